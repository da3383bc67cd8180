/**
 * Findings from one phone's predicted boots: what it asks for and does not get, where it
 * stops, and whether the image it is sent to is a legal step from what it runs.
 */
import { checkMove, findUpgradePath } from '../upgrade/find-path.js';
import type { UpgradePath } from '../upgrade/find-path.js';
import { upgradePathFix } from '../upgrade/path-fix.js';
import type { Evidence, PhoneRef } from '../findings/finding.js';
import { catalogFinding } from '../findings/catalog-finding.js';
import type { AssumptionId } from '../flows/assumptions.js';
import type { Boot, PredictedRequest } from '../flows/boot.js';
import type { ImageSource } from '../flows/image-sources.js';
import { imageLabel, isSigned, releaseOf, sameImage } from '../flows/phone.js';
import type { RunningImage } from '../flows/phone.js';
import type { BootPrediction } from '../flows/predict.js';
import { type FindingSet, rootEvidence } from './finding-set.js';
import { applicationOfSource, missingImage } from './image-checks.js';
import type { NameFaultId } from './image-checks.js';
import type { ParsedRoot } from './parsed-root.js';
import { rootPath } from './tftp-root.js';
import { shellQuote } from '../findings/shell-quote.js';

export interface FlowCheckContext {
  readonly parsed: ParsedRoot;
  /** `file:line` → finding ID of an error in the image name written there. */
  readonly faulty: ReadonlyMap<string, NameFaultId>;
  /** The image the user aims at (--target). */
  readonly target?: RunningImage;
  /** Some file of the root names an image (a per-phone file the prediction could not read, for one). */
  readonly rootNamesImage: boolean;
}

export function checkPrediction(prediction: BootPrediction, context: FlowCheckContext, set: FindingSet): void {
  const { parsed } = context;
  const mac = prediction.phone.mac;
  const phone: PhoneRef | undefined = mac ? { mac: mac.canonical } : undefined;
  const who = mac?.canonical ?? 'any';
  const withPhone = phone ? { phone } : {};

  for (const boot of prediction.boots) {
    const label = imageLabel(boot.running);
    for (const request of boot.requests) {
      if (request.answer === 'not-found') notFound(request, boot, label);
    }
    // CSCee31047 is the loader's; SCCP 6.x and later run it (seed), older images are not known to.
    if (
      boot.outcome === 'hunt-stopped' &&
      (boot.running.protocol === 'loader' || boot.generation === 'sccp-loader-era')
    ) {
      const refused = boot.requests.filter((r) => r.answer === 'denied');
      set.add(
        `UAL_HUNT_STOPPED|${who}`,
        catalogFinding('UAL_HUNT_STOPPED', {
          ...withPhone,
          evidence: refused.map((r) =>
            rootEvidence(
              pathOf(r.file),
              `${label} asks for ${r.file}: the server refuses it (it is not readable by others), and the hunt for config files stops there`,
            ),
          ),
          fix: [
            `Make ${refused.map((r) => pathOf(r.file)).join(', ')} readable by others (chmod a+r), or remove ${refused.length === 1 ? 'it' : 'them'} if the phone is to go on to the next config file.`,
          ],
          causedBy: 'TFTP_ACCESS_DENIED',
        }),
      );
    }
    sccpConfigMissing(boot, label);
    if (boot.outcome === 'no-load') {
      const asked = boot.requests.filter((r) => r.purpose !== 'ctl');
      set.add(
        `NO_LOAD_SPECIFIED|${who}`,
        catalogFinding('NO_LOAD_SPECIFIED', {
          ...withPhone,
          evidence: asked.map((r) =>
            rootEvidence(
              pathOf(r.file),
              r.answer === 'found'
                ? `the loader reads ${r.file}: it names no image`
                : `the loader asks for ${r.file}: ${answerText(r)}`,
            ),
          ),
          detail:
            'The Universal Application Loader is in flash and no configuration names the application to fetch, so the phone has nothing to run ("Protocol Application Invalid").',
          assumed: ['HUNT_SIP_CONFIG_WITHOUT_SCCP_CONFIG'],
        }),
      );
    }
  }

  if (
    prediction.end === 'no-load' &&
    prediction.boots.length === 0 &&
    prediction.lookedFor &&
    !context.rootNamesImage
  ) {
    set.add(
      `NO_LOAD_SPECIFIED|${who}`,
      catalogFinding('NO_LOAD_SPECIFIED', {
        ...withPhone,
        evidence: prediction.lookedFor.map((l) =>
          rootEvidence(
            pathOf(l.file),
            l.answer === 'found' ? `${l.file} names no image` : `${l.file} is not in the TFTP root`,
          ),
        ),
        detail:
          'The image in the phone\'s flash was not given (--current): if the flash holds none, the phone shows "No Load Specified"; if it holds one, the phone keeps it.',
      }),
    );
  }
  if (prediction.end === 'refused' && prediction.refusal) refused(prediction);
  if (prediction.end === 'loop') loop(prediction.boots);
  if (context.target && prediction.start && !prediction.startAssumed)
    targetPath(prediction.start, context.target, prediction);

  function notFound(request: PredictedRequest, boot: Boot, label: string): void {
    const relative = pathOf(request.file);
    const variant = parsed.root.caseVariants(relative)[0];
    if (variant && request.purpose !== 'ctl') {
      set.add(
        `FILE_NAME_CASE|${relative}`,
        catalogFinding('FILE_NAME_CASE', {
          ...(phone && request.purpose !== 'sip-default' && request.purpose !== 'xml-default' ? { phone } : {}),
          evidence: [rootEvidence(variant.path, `${label} asks for ${request.file}; the root has ${variant.path}`)],
          fix: [`Rename ${variant.path} to ${relative}: mv ${shellQuote(variant.path)} ${shellQuote(relative)}`],
          replacesCatalogFix: true,
        }),
      );
      return;
    }
    const asked = rootEvidence(relative, `${label} asks for ${request.file}: not in the TFTP root`);
    switch (request.purpose) {
      case 'os79xx':
        if (os79xxNeeded(boot)) {
          const name = context.target?.image;
          set.add(
            `OS79XX_MISSING|${who}`,
            catalogFinding('OS79XX_MISSING', {
              ...withPhone,
              evidence: [
                rootEvidence(
                  relative,
                  `${label} asks for ${request.file} first: not in the TFTP root, and no other file it reads names an image, so it keeps ${label}`,
                ),
              ],
              ...(name
                ? {
                    fix: [
                      `Create OS79XX.TXT holding the single line ${name}: printf '%s' ${shellQuote(name)} > OS79XX.TXT`,
                    ],
                  }
                : {}),
              assumed: ['OS79XX_FIRST_BEFORE_LOADER_ERA'],
            }),
          );
        }
        return;
      case 'sip-default':
        if (boot.running.protocol === 'SIP')
          set.add('SIP_DEFAULT_MISSING', catalogFinding('SIP_DEFAULT_MISSING', { evidence: [asked] }));
        return;
      case 'sip-phone':
        if (boot.running.protocol === 'SIP') {
          set.add(
            `SIP_MAC_CONFIG_MISSING|${who}`,
            catalogFinding('SIP_MAC_CONFIG_MISSING', {
              ...withPhone,
              evidence: [asked],
              fix: [
                `Create ${relative} (MAC in upper case, .cnf in lower case) with line1_name, line1_authname, line1_password and the proxy.`,
              ],
              replacesCatalogFix: true,
            }),
          );
        }
        return;
      case 'image':
      case 'loads':
        if (request.namedBy) imageNotFound(request, request.namedBy, boot, label);
        return;
      case 'loader-part':
      case 'application-part': {
        const loads = pathOf(request.partOf ?? request.file);
        set.add(
          `LOADS_PART_MISSING|${loads}`,
          catalogFinding('LOADS_PART_MISSING', {
            ...withPhone,
            evidence: [
              rootEvidence(loads, `${label} fetched ${loads}, then asks for ${request.file}: not in the TFTP root`),
            ],
            assumed: ['LOADS_PARTS_FROM_ZIP', 'LOADER_FILE_BY_SIGNING'],
          }),
        );
        return;
      }
      default:
        return;
    }
  }

  function imageNotFound(request: PredictedRequest, source: ImageSource, boot: Boot, label: string): void {
    const cause = context.faulty.get(`${source.file}:${source.line}`);
    const preLoader = boot.generation === 'sip-pre-loader' || boot.generation === 'sccp-pre-loader';
    const assumption: AssumptionId[] = !preLoader
      ? ['LOADS_FETCHED_EVERY_BOOT']
      : source.place !== 'os79xx'
        ? ['PRE_LOADER_FETCHES_BIN']
        : isSigned(boot.running)
          ? ['OS79XX_NAME_FETCHED_AS_BIN']
          : [];
    const seen = `${label} asks for ${request.file}: not in the TFTP root`;
    if (source.place === 'upgradecode') {
      set.add(
        'GKDEFAULT_UPGRADECODE|image',
        catalogFinding('GKDEFAULT_UPGRADECODE', {
          ...withPhone,
          evidence: [rootEvidence(pathOf(source.file), `${source.text}: ${seen}`, source.line)],
          assumed: ['GKDEFAULT_AFTER_SIP_CONFIG'],
        }),
      );
      return;
    }
    set.add(
      `IMAGE_NOT_FOUND|${source.image.baseName}`,
      missingImage(parsed, { ...source, file: pathOf(source.file) }, [request.file], seen, {
        ...withPhone,
        assumed: assumption,
        ...(cause ? { causedBy: cause } : {}),
      }),
    );
  }

  /** "In a flow that needs it": the user aims elsewhere (--target), or the root holds only the other protocol's configs. */
  function os79xxNeeded(boot: Boot): boolean {
    if (boot.sources.length > 0) return false;
    if (context.target) return !sameImage(context.target, boot.running);
    const protocols = new Set<string>([
      ...(parsed.sipCnfs.size ? ['SIP'] : []),
      ...(parsed.xmlConfigs.size ? ['SCCP'] : []),
    ]);
    return protocols.size > 0 && !protocols.has(boot.running.protocol);
  }

  function sccpConfigMissing(boot: Boot, label: string): void {
    const asked = boot.requests.filter((r) => r.purpose === 'sep-xml' || r.purpose === 'xml-default');
    if (asked.length === 0 || asked.some((r) => r.answer !== 'not-found')) return;
    if (asked.some((r) => parsed.root.caseVariants(pathOf(r.file)).length > 0)) return; // FILE_NAME_CASE says it
    const goesTo = boot.decision ? applicationOfSource(boot.decision) : undefined;
    const sccp = boot.running.protocol === 'SCCP' || (boot.running.protocol === 'loader' && goesTo?.protocol !== 'SIP');
    // A phone meant to leave SCCP needs no SCCP config; OS79XX_MISSING says why it did not leave.
    const leaving =
      context.target?.protocol === 'SIP' ||
      (boot.requests.some((r) => r.purpose === 'os79xx' && r.answer === 'not-found') && os79xxNeeded(boot));
    if (!sccp || goesTo?.protocol === 'SIP' || leaving) return;
    set.add(
      `SCCP_CONFIG_MISSING|${who}`,
      catalogFinding('SCCP_CONFIG_MISSING', {
        ...withPhone,
        evidence: asked.map((r) => rootEvidence(pathOf(r.file), `${label} asks for ${r.file}: not in the TFTP root`)),
      }),
    );
  }

  function refused(p: BootPrediction): void {
    const refusal = p.refusal!;
    const source = p.decision?.source;
    const evidence: Evidence[] = [
      ...(source
        ? [
            rootEvidence(
              pathOf(source.file),
              `${source.text}: sends ${imageLabel(refusal.from)} to ${imageLabel(refusal.to)}`,
              source.line,
            ),
          ]
        : []),
    ];
    if (refusal.kind === 'name-not-8.3' && refusal.to.protocol !== 'SIP') {
      evidence.push(rootEvidence(pathOf(refusal.file ?? source?.file ?? '.'), refusal.reason));
      set.add(
        `SCCP_NAME_TOO_LONG_FOR_SIP21|${who}`,
        catalogFinding('SCCP_NAME_TOO_LONG_FOR_SIP21', { ...withPhone, evidence }),
      );
      return;
    }
    if (evidence.length === 0) evidence.push(rootEvidence('.', refusal.reason));
    blocked(
      refusal.from,
      refusal.to,
      refusal.path,
      evidence,
      refusal.reason,
      source ? `${pathOf(source.file)} line ${source.line}` : undefined,
    );
  }

  function blocked(
    from: RunningImage,
    to: RunningImage,
    path: UpgradePath | undefined,
    evidence: Evidence[],
    reason: string,
    where?: string,
  ): void {
    const route = path ?? findPathBetween(from, to);
    const fix = route ? upgradePathFix(from, to, route, where) : [];
    set.add(
      `UPGRADE_PATH_BLOCKED|${who}|${imageLabel(to)}`,
      catalogFinding('UPGRADE_PATH_BLOCKED', {
        ...withPhone,
        evidence,
        detail: `${reason.replace(/\.$/, '')}.`,
        ...(fix.length ? { fix, replacesCatalogFix: true } : {}),
        assumed: ['ILLEGAL_STEP_REFUSED'],
      }),
    );
  }

  function loop(boots: readonly Boot[]): void {
    const acted = boots.filter((b) => b.decision && b.next);
    set.add(
      `IMAGE_SOURCES_DISAGREE|loop|${who}`,
      catalogFinding('IMAGE_SOURCES_DISAGREE', {
        ...withPhone,
        evidence: acted.map((b) =>
          rootEvidence(
            pathOf(b.decision!.file),
            `${b.decision!.text}: on ${imageLabel(b.running)} the phone loads ${imageLabel(b.next!)}`,
            b.decision!.line,
          ),
        ),
        detail: 'Each image reads a different file first, so the phone switches images on every boot.',
        assumed: ['OS79XX_FIRST_BEFORE_LOADER_ERA', 'CONFIG_FILES_WIN_IN_LOADER_ERA'],
      }),
    );
  }

  /** --target: one legal step from --current, or the step to take first. */
  function targetPath(start: RunningImage, target: RunningImage, p: BootPrediction): void {
    if (sameImage(start, target)) return;
    if (p.refusal && sameImage(p.refusal.to, target)) return; // said where the phone refuses it
    const from = releaseOf(start);
    const to = releaseOf(target);
    if (!from || !to) return;
    const source = p.decision?.source;
    const named = source ? applicationOfSource(source) : undefined;
    const evidence = [
      source
        ? rootEvidence(
            pathOf(source.file),
            named && sameImage(named, target)
              ? `${source.text}: names the target, ${imageLabel(target)}`
              : `${source.text}: the root sends the phone to ${imageLabel(named ?? target)}; the target is ${imageLabel(target)}`,
            source.line,
          )
        : rootEvidence(
            '.',
            `no file of the root sends ${imageLabel(start)} elsewhere; the target is ${imageLabel(target)}`,
          ),
    ];
    const move = checkMove({ ...from, image: start.image }, { ...to, image: target.image });
    if (!move.legal && move.block?.id === 'sip-2.1-takes-8.3-names' && target.protocol === 'SCCP') {
      set.add(
        `SCCP_NAME_TOO_LONG_FOR_SIP21|${who}`,
        catalogFinding('SCCP_NAME_TOO_LONG_FOR_SIP21', { ...withPhone, evidence }),
      );
      return;
    }
    const path = findUpgradePath(from, to);
    if (path.legal && (path.steps.length <= 1 || move.legal)) return;
    const reason = path.legal
      ? path.notes?.slice(1).join(' ') || `${path.steps.length} steps are needed`
      : (path.reason ?? 'no legal path');
    blocked(start, target, path, evidence, reason, source ? `${pathOf(source.file)} line ${source.line}` : undefined);
  }
}

/** The chain between two images, when both are releases the path finder knows. */
function findPathBetween(from: RunningImage, to: RunningImage): UpgradePath | undefined {
  const a = releaseOf(from);
  const b = releaseOf(to);
  return a && b ? findUpgradePath(a, b) : undefined;
}

/** The path inside the root a requested name stands for (`./SIP….cnf` → `SIP….cnf`). */
function pathOf(file: string): string {
  return rootPath(file) || file;
}

function answerText(request: PredictedRequest): string {
  return request.answer === 'not-found'
    ? 'not in the TFTP root'
    : request.answer === 'denied'
      ? 'refused (not readable)'
      : 'too large to read';
}
