/**
 * The findings about files the phone asks for, built once for `lint` (what a phone will ask
 * of a TFTP root) and `analyze` (what it asked): names in the wrong letter case, missing
 * config files, refused files.
 */
import type { Finding } from '../finding.js';
import { catalogFinding } from '../catalog-finding.js';
import { shellQuote } from '../shell-quote.js';
import { type CauseFacts, causeOf, type FindingFacts, phoneOf } from './facts.js';

/** The step renaming `from` to `to` (`said`: how the step names `to`), with the command. */
export function renameStep(from: string, to: string, said: string = to): string {
  return `Rename ${from} to ${said}: mv ${shellQuote(from)} ${shellQuote(to)}`;
}

/** FILE_NAME_CASE: `present` is in the root (or was served) under the spelling the phone did not ask for. */
export function fileNameCase(
  facts: FindingFacts & {
    readonly present: string;
    readonly wanted: string;
    /** The fix calls `wanted` "the name the phone asks for" (analyze: the request is the evidence). */
    readonly wantedIsRequest?: boolean;
  },
): Finding {
  const said = facts.wantedIsRequest ? 'the name the phone asks for' : facts.wanted;
  return catalogFinding('FILE_NAME_CASE', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    fix: [renameStep(facts.present, facts.wanted, said)],
    replacesCatalogFix: true,
  });
}

/** OS79XX_MISSING; `image`, when known, is the name the file must hold. */
export function os79xxMissing(facts: FindingFacts & { readonly image?: string }): Finding {
  const { image } = facts;
  return catalogFinding('OS79XX_MISSING', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(image
      ? { fix: [`Create OS79XX.TXT holding the single line ${image}: printf '%s' ${shellQuote(image)} > OS79XX.TXT`] }
      : {}),
    assumed: ['OS79XX_FIRST_BEFORE_LOADER_ERA'],
  });
}

export function sipDefaultMissing(facts: FindingFacts & CauseFacts<'SIP_DEFAULT_MISSING'>): Finding {
  return catalogFinding('SIP_DEFAULT_MISSING', { ...phoneOf(facts), evidence: facts.evidence, ...causeOf(facts) });
}

/** SIP_MAC_CONFIG_MISSING; `file`, when known, is the path to create. */
export function sipMacConfigMissing(
  facts: FindingFacts & CauseFacts<'SIP_MAC_CONFIG_MISSING'> & { readonly file?: string },
): Finding {
  return catalogFinding('SIP_MAC_CONFIG_MISSING', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(facts.file
      ? {
          fix: [
            `Create ${facts.file} (MAC in upper case, .cnf in lower case) with line1_name, line1_authname, line1_password and the proxy.`,
          ],
          replacesCatalogFix: true,
        }
      : {}),
    ...causeOf(facts),
  });
}

export function sccpConfigMissing(facts: FindingFacts & CauseFacts<'SCCP_CONFIG_MISSING'>): Finding {
  return catalogFinding('SCCP_CONFIG_MISSING', { ...phoneOf(facts), evidence: facts.evidence, ...causeOf(facts) });
}

/** The modes that refuse files to the TFTP server's user, and where to change them. */
export interface ClosedModes {
  readonly dir: string;
  readonly files: readonly string[];
  readonly directories: readonly string[];
}

/** TFTP_ACCESS_DENIED; with the modes known (a TFTP root), the fix is the chmod to run. */
export function tftpAccessDenied(facts: FindingFacts & { readonly modes?: ClosedModes }): Finding {
  const { modes } = facts;
  if (!modes) return catalogFinding('TFTP_ACCESS_DENIED', { ...phoneOf(facts), evidence: facts.evidence });
  const fix = [
    ...(modes.files.length ? [`chmod a+r ${modes.files.map((f) => shellQuote(f)).join(' ')}`] : []),
    ...(modes.directories.length ? [`chmod a+x ${modes.directories.map((d) => shellQuote(d)).join(' ')}`] : []),
  ].map((command) => `In ${modes.dir}: ${command}`);
  return catalogFinding('TFTP_ACCESS_DENIED', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    fix,
    replacesCatalogFix: true,
    likely: [
      'the TFTP server reads files as an unprivileged user (tftpd-hpa --secure runs as "tftp"); a file owned by that user may still be served',
    ],
  });
}

/**
 * UAL_HUNT_STOPPED (CSCee31047). `refused`: the files the server refused, when known (lint);
 * `loaderAssumed`: the image the phone runs is not known to be the loader (analyze).
 */
export function ualHuntStopped(
  facts: FindingFacts & {
    readonly refused?: readonly string[];
    readonly denied: boolean;
    readonly loaderAssumed?: boolean;
  },
): Finding {
  const { refused } = facts;
  return catalogFinding('UAL_HUNT_STOPPED', {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(refused
      ? {
          fix: [
            `Make ${refused.join(', ')} readable by others (chmod a+r), or remove ${refused.length === 1 ? 'it' : 'them'} if the phone is to go on to the next config file.`,
          ],
        }
      : {}),
    ...(facts.loaderAssumed
      ? { likely: ['the phone runs the Universal Application Loader or a loader-era image that hunts like it'] }
      : {}),
    ...(facts.denied ? { causedBy: 'TFTP_ACCESS_DENIED' } : {}),
  });
}
