/**
 * The findings about the image a phone runs and where it is sent, built once for `lint` and
 * `analyze`: a move that is not one legal step, a name SIP 2.1 cannot take, no load named,
 * a SIPDefault.cnf too large for SIP 2.x.
 */
import type { AssumptionId } from '../../flows/assumptions.js';
import { imageLabel } from '../../flows/phone.js';
import type { RunningImage } from '../../flows/phone.js';
import type { UpgradePath } from '../../upgrade/find-path.js';
import { upgradePathFix } from '../../upgrade/path-fix.js';
import type { Finding } from '../finding.js';
import { catalogFinding } from '../catalog-finding.js';
import { shellQuote } from '../shell-quote.js';
import { type FindingFacts, phoneOf } from './facts.js';

/**
 * UPGRADE_PATH_BLOCKED: `from` → `to` is not one legal move, for `reason`. `path`: the route
 * found (its steps are the fix); `where`: the file and line naming `to`; `showMove`: the
 * explanation names the move (the reason does not).
 */
export function upgradePathBlocked(
  facts: FindingFacts & {
    readonly from: RunningImage;
    readonly to: RunningImage;
    readonly reason: string;
    readonly path?: UpgradePath;
    readonly where?: string;
    readonly showMove?: boolean;
    readonly assumed?: readonly AssumptionId[];
    readonly likely?: readonly string[];
  },
): Finding {
  const { from, to, path } = facts;
  const move = facts.showMove ? `${imageLabel(from)} → ${imageLabel(to)}: ` : '';
  const fix = path ? upgradePathFix(from, to, path, facts.where) : [];
  return catalogFinding('UPGRADE_PATH_BLOCKED', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    detail: `${move}${facts.reason.replace(/\.$/, '')}.`,
    ...(fix.length ? { fix, replacesCatalogFix: true } : {}),
    ...(facts.assumed?.length ? { assumed: facts.assumed } : {}),
    ...(facts.likely?.length ? { likely: facts.likely } : {}),
  });
}

/** UPGRADE_PATH_BLOCKED for an unsigned image (below 5.0) refused by a phone whose image in flash is not known. */
export function unsignedRefused(facts: FindingFacts & { readonly to: RunningImage }): Finding {
  const { to } = facts;
  return catalogFinding('UPGRADE_PATH_BLOCKED', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    detail: `${imageLabel(to)} is below 5.0 and unsigned; a phone on a signed image (5.0 or later) cannot go back to it.`,
    fix: [
      `There is no route back to ${imageLabel(to)} from a signed image. Name a signed image (5.0 or later) instead of ${to.image}, or leave the phone on the image it runs.`,
    ],
    replacesCatalogFix: true,
    likely: [
      'the phone runs a signed image (5.0 or later): it refused an unsigned one, and no source names the image in flash',
    ],
  });
}

export function sccpNameTooLongForSip21(facts: FindingFacts): Finding {
  return catalogFinding('SCCP_NAME_TOO_LONG_FOR_SIP21', { ...phoneOf(facts), evidence: facts.evidence });
}

/**
 * NO_LOAD_SPECIFIED from what was read, not from the screen. `loaderHunted`: the Universal
 * Application Loader in flash read configs naming no application (`loader`: its label, when
 * known from the evidence); `flashUnknown`: no file names an image and the flash is not known.
 */
export function noLoadSpecified(
  facts: FindingFacts & { readonly loaderHunted?: { readonly loader?: string }; readonly flashUnknown?: boolean },
): Finding {
  const { loaderHunted } = facts;
  const detail = loaderHunted
    ? loaderHunted.loader
      ? `The Universal Application Loader (${loaderHunted.loader}) is in flash and no config file it read names the application to fetch.`
      : 'The Universal Application Loader is in flash and no configuration names the application to fetch, so the phone has nothing to run ("Protocol Application Invalid").'
    : facts.flashUnknown
      ? 'The image in the phone\'s flash was not given (--current): if the flash holds none, the phone shows "No Load Specified"; if it holds one, the phone keeps it.'
      : undefined;
  return catalogFinding('NO_LOAD_SPECIFIED', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(detail ? { detail } : {}),
    ...(loaderHunted ? { assumed: ['HUNT_SIP_CONFIG_WITHOUT_SCCP_CONFIG'] as const } : {}),
  });
}

/** The step that cuts SIPDefault.cnf (`file`) down to the image name, for a SIP 2.x phone's W210 limit. */
export function reduceSipDefaultStep(file: string, image: string): string {
  return `Reduce ${file} to the single line image_version: ${image} (keep a copy of it): printf 'image_version: %s\\n' ${shellQuote(image)} > ${file}`;
}

/** BUFFER_FULL_W210_RISK; `image`, when known, is what `file` names, the one line to keep. */
export function bufferFullW210Risk(facts: FindingFacts & { readonly file: string; readonly image?: string }): Finding {
  const { image } = facts;
  return catalogFinding('BUFFER_FULL_W210_RISK', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(image
      ? {
          fix: [reduceSipDefaultStep(facts.file, image), 'Put the full file back once the phone runs a newer image.'],
          replacesCatalogFix: true,
        }
      : {}),
    assumed: ['W210_LIMIT'],
  });
}
