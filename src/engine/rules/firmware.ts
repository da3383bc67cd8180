/**
 * Firmware and conversion path (diagnoses.md): whether the move from what the phone runs to
 * where it is sent is a legal step (src/upgrade), what the phone showed (console error
 * texts), and whether the conversion went through.
 */
import { isDos83BaseName } from '../../../parsers/firmware/naming.js';
import { compareVersions, isSignedOnly, v } from '../../../parsers/firmware/version.js';
import { catalog } from '../../findings/catalog.js';
import type { Evidence, PhoneRef } from '../../findings/finding.js';
import { expectedFileName } from '../../../parsers/provisioning/file-names.js';
import {
  bufferFullW210Risk,
  noLoadSpecified,
  reduceSipDefaultStep,
  sccpNameTooLongForSip21,
  unsignedRefused,
  upgradePathBlocked,
} from '../../findings/builders/firmware-findings.js';
import { gkdefaultUpgradecode } from '../../findings/builders/image-findings.js';
import { catalogFinding } from '../../findings/catalog-finding.js';
import { imageLabel, releaseOf, sameImage } from '../../flows/phone.js';
import { checkMove, findUpgradePath } from '../../upgrade/find-path.js';
import { accepted, imageOf, isSccpConfig, isSipConfig, kindOf } from '../boots.js';
import { withNote } from './context.js';
import type { Rule, RuleFinding, Target } from './context.js';
import type { RunningKnowledge } from '../boots.js';

/** The console error texts that are findings by themselves (the catalog's `shownOnConsole`). */
const shownOnScreen: Rule = ({ consoleErrors, ref }) => {
  const out: RuleFinding[] = [];
  for (const { id, shownOnConsole } of catalog.values()) {
    if (shownOnConsole === undefined) continue;
    const evidence = consoleErrors.filter((e) => e.code === shownOnConsole).map((e) => e.evidence);
    if (evidence.length) out.push({ key: id, finding: catalogFinding(id, { phone: ref, evidence }) });
  }
  return out;
};

/** The forum pattern: the same application fetched twice in one boot, and the old one kept. */
const fetchedTwice: Rule = ({ boots, ref }) => {
  for (const boot of boots) {
    const apps = boot.requests.filter(
      (r) => r.answer === 'found' && imageOf(r.file)?.role === 'application' && imageOf(r.file)?.extension,
    );
    const twice = apps.find((r, i) => apps.slice(i + 1).some((q) => q.file === r.file));
    if (twice) {
      return [
        {
          key: 'IMAGE_AUTH_FAILED',
          finding: catalogFinding('IMAGE_AUTH_FAILED', {
            phone: ref,
            evidence: apps.filter((r) => r.file === twice.file).flatMap((r) => r.evidence),
            likely: [
              'fetching the same application twice in one boot means the phone rejected the first copy (Cisco Support Community, "7960G SCCP Firmware Upgrade Strange Fail")',
            ],
          }),
        },
      ];
    }
  }
  return [];
};

/** The step from the image in flash to the one the phone is sent to must be one legal move. */
const upgradePath: Rule = ({ start, target, ref, consoleErrors }) => {
  const from = start?.image;
  if (!target || target.fromLoader) return [];
  if (!from)
    return signedRefusesUnsigned(
      target,
      consoleErrors.find((e) => e.code === 'IMAGE_AUTHENTICATION_FAILED')?.evidence,
      ref,
    );
  const a = releaseOf(from);
  const b = releaseOf(target.image);
  if (!a || !b || sameImage(from, target.image)) return [];
  if (
    from.protocol === 'SIP' &&
    compareVersions(from.version, v('2.2')) < 0 &&
    target.image.protocol === 'SCCP' &&
    !isDos83BaseName(target.image.image)
  )
    return []; // SCCP_NAME_TOO_LONG_FOR_SIP21
  const path = findUpgradePath(a, b);
  // A legal move in one step (a longer route may still be preferred when that move is in doubt).
  if (
    path.legal &&
    (path.steps.length <= 1 || checkMove({ ...a, image: from.image }, { ...b, image: target.image.image }).legal)
  )
    return [];
  const chain = path.legal ? path.steps.map((s) => s.image) : [];
  const reason = path.legal
    ? `${path.steps.length} steps are needed: ${chain.join(' → ')}`
    : (path.reason ?? 'no legal path');
  const where =
    target.evidence.source === 'tftp-root' && target.evidence.line !== undefined
      ? `${target.evidence.file} line ${target.evidence.line}`
      : undefined;
  return [
    {
      key: 'UPGRADE_PATH_BLOCKED',
      finding: upgradePathBlocked({
        phone: ref,
        evidence: [
          ...(start?.evidence ?? []).slice(0, 1).map((e) => ({ ...e, text: `${e.text} (runs ${imageLabel(from)})` })),
          { ...target.evidence, text: `${target.evidence.text} (sent to ${imageLabel(target.image)})` },
        ],
        from,
        to: target.image,
        reason,
        path,
        ...(where ? { where } : {}),
        showMove: true,
        likely: start?.likely ? [`the phone runs ${imageLabel(from)}: ${start.how}`] : [],
      }),
    },
  ];
};

/**
 * The image in flash is not known, but the phone refused an unsigned image (below 5.0): only a
 * signed image (5.0 and later) refuses those, and it cannot go back below 5.0 (phone-facts 2.4, 4.3).
 */
function signedRefusesUnsigned(target: Target, refused: Evidence | undefined, ref: PhoneRef): RuleFinding[] {
  if (!refused || isSignedOnly(target.image.version)) return [];
  return [
    {
      key: 'UPGRADE_PATH_BLOCKED',
      finding: unsignedRefused({
        phone: ref,
        evidence: [
          { ...target.evidence, text: `${target.evidence.text} (sent to ${imageLabel(target.image)}, unsigned)` },
          refused,
        ],
        to: target.image,
      }),
    },
  ];
}

/** Seed: from an old SCCP image to SIP 3.x/4.x, go through SIP 2.3 when the move fails. */
const via23: Rule = ({ start, target, boots, ref }) => {
  const from = start?.image;
  if (
    from?.protocol !== 'SCCP' ||
    !target ||
    target.image.protocol !== 'SIP' ||
    (target.image.version.major !== 3 && target.image.version.major !== 4)
  )
    return [];
  const boot = boots.find((b) => b.fetched && sameImage(b.fetched.image, target.image));
  if (boot && accepted(boots, boot)) return [];
  return [
    { key: 'SIP3X_4X_VIA_23', finding: catalogFinding('SIP3X_4X_VIA_23', { phone: ref, evidence: [target.evidence] }) },
  ];
};

/** Seed "SIP phone not accepting SCCP load": SIP 2.1 and earlier take 8.3 names only. */
const nameTooLong: Rule = ({ start, phone, ref }) => {
  const from = start?.image;
  if (from?.protocol !== 'SIP' || compareVersions(from.version, v('2.2')) >= 0) return [];
  const r = phone.requests.find((q) => {
    const image = imageOf(q.file);
    return image?.protocol === 'SCCP' && !isDos83BaseName(image.baseName);
  });
  return r
    ? [
        {
          key: 'SCCP_NAME_TOO_LONG_FOR_SIP21',
          finding: sccpNameTooLongForSip21({ phone: ref, evidence: [...r.evidence] }),
        },
      ]
    : [];
};

/** The upgradecode's image asked for and not found. */
const upgradecodeImage: Rule = ({ phone, ref, received }) => {
  const gk = received.find((f) => f.source?.place === 'upgradecode');
  const upgradecode = gk?.source;
  const gkRequest = phone.requests.find((r) => kindOf(r.file) === 'gkdefault-cfg' && r.answer === 'found');
  const missing = phone.requests.find((r) => {
    const image = imageOf(r.file);
    if (r.answer !== 'not-found' || !image) return false;
    return upgradecode ? upgradecode.written === r.file : image.family === '7905/7912' && gkRequest !== undefined;
  });
  if (!missing) return [];
  const evidence: Evidence[] = [
    ...(gk && upgradecode
      ? [{ ...gk.evidence, line: upgradecode.line, text: upgradecode.text }]
      : gkRequest
        ? gkRequest.evidence.slice(0, 1)
        : []),
    ...missing.evidence,
  ];
  return [
    {
      key: 'GKDEFAULT_UPGRADECODE',
      finding: gkdefaultUpgradecode({ phone: ref, evidence, notServed: missing.file }),
    },
  ];
};

/**
 * The Universal Application Loader in flash hunted the config files and none it read names an
 * application: it has nothing to load ("No Load Specified"). Only when every config it got was read.
 */
const loaderFindsNoLoad: Rule = ({ boots, received, ref }) => {
  for (const boot of boots) {
    const loader = boot.running.image;
    if (loader?.protocol !== 'loader' || boot.requests.some((r) => imageOf(r.file))) continue;
    const configs = boot.requests.filter((r) => isSccpConfig(r.file) || isSipConfig(r.file));
    const served = configs.filter((r) => r.answer === 'found');
    const read = received.filter((f) => boot.requests.includes(f.request));
    if (configs.length === 0 || read.length < served.length || read.some((f) => f.source)) continue;
    return [
      {
        key: 'NO_LOAD_SPECIFIED',
        finding: noLoadSpecified({
          phone: ref,
          evidence: [...boot.running.evidence.slice(0, 1), ...configs.flatMap((r) => r.evidence.slice(0, 1))],
          loaderHunted: { loader: imageLabel(loader) },
        }),
      },
    ];
  }
  return [];
};

/**
 * "W210 TFTP Error : buffer full": BUFFER_FULL_W210 when the console shows the message (with
 * the size when known); from the size alone, a SIP 2.x phone sent a SIPDefault.cnf above the
 * (undocumented) limit, only a risk. The fix writes the image the file names.
 */
const bufferFull: Rule = ({ boots, ref, consoleErrors, w210LimitBytes, received }) => {
  const seen = consoleErrors.filter((e) => e.code === 'W210_BUFFER_FULL').map((e) => e.evidence);
  const named =
    received.find((f) => kindOf(f.request.file) === 'sip-default' && f.source)?.source?.image.name ??
    received.find((f) => kindOf(f.request.file) === 'os79xx' && f.source)?.source?.image.name;
  const file = expectedFileName('sip-default');
  let sized: Evidence[] = [];
  for (const boot of boots) {
    const image = boot.running.image;
    if (image?.protocol !== 'SIP' || image.version.major !== 2) continue;
    const big = boot.requests.find((r) => kindOf(r.file) === 'sip-default' && (r.bytes ?? 0) > w210LimitBytes);
    if (big) {
      sized = withNote(
        big.evidence,
        `${big.bytes} bytes to ${imageLabel(image)}, above the ${w210LimitBytes} bytes taken as its limit`,
      );
      break;
    }
  }
  if (seen.length)
    return [
      {
        key: 'BUFFER_FULL_W210',
        finding: catalogFinding('BUFFER_FULL_W210', {
          phone: ref,
          evidence: [...seen, ...sized],
          ...(named ? { fix: [reduceSipDefaultStep(file, named)] } : {}),
        }),
      },
    ];
  if (sized.length === 0) return [];
  return [
    {
      key: 'BUFFER_FULL_W210_RISK',
      finding: bufferFullW210Risk({ phone: ref, evidence: sized, file, ...(named ? { image: named } : {}) }),
    },
  ];
};

/**
 * The catalog's definition: the phone fetched and accepted the target image (it booted again
 * without fetching it again), then asked for the target protocol's configuration files. An
 * image of the same protocol as the one the phone started on is an upgrade, not a conversion;
 * a start image phonedoc could not identify does not stop the finding, the text says so.
 */
const conversionSucceeded: Rule = ({ start, boots, ref }) => {
  const from = start?.image?.protocol ?? start?.protocol;
  for (const boot of boots) {
    if (
      !boot.fetched ||
      !accepted(boots, boot) ||
      boot.fetched.image.protocol === from ||
      boot.fetched.image.protocol === 'loader'
    )
      continue;
    // accepted: the phone booted again, so a next boot is there.
    const next = boots[boot.index + 1];
    if (!next) continue;
    const to = boot.fetched.image;
    const configs = next.requests.filter((r) => (to.protocol === 'SIP' ? isSipConfig(r.file) : isSccpConfig(r.file)));
    if (configs.length === 0) continue;
    return [
      {
        key: 'CONVERSION_SUCCEEDED',
        finding: catalogFinding('CONVERSION_SUCCEEDED', {
          phone: ref,
          evidence: [
            ...boot.fetched.request.evidence.slice(0, 1),
            ...configs.slice(0, 2).flatMap((r) => r.evidence.slice(0, 1)),
          ],
          detail: `${startWords(start)} → ${imageLabel(to)}.`,
        }),
      },
    ];
  }
  return [];
};

/** The image the phone started from, as the finding names it, with how it is known. */
function startWords(start: RunningKnowledge | undefined): string {
  const how = start && start.how !== 'not known' ? start.how : undefined;
  if (start?.image) return `From ${imageLabel(start.image)}${how ? ` (${start.likely ? 'likely: ' : ''}${how})` : ''}`;
  if (start?.protocol)
    return `From ${start.protocol}, version not known (${start.likely ? 'likely: ' : ''}${how ?? 'not known how'})`;
  return `From an image phonedoc could not identify (its first boot does not tell SCCP from SIP${how ? `; ${how}` : ''})`;
}

export const FIRMWARE_RULES: readonly Rule[] = [
  shownOnScreen,
  fetchedTwice,
  upgradePath,
  via23,
  nameTooLong,
  upgradecodeImage,
  loaderFindsNoLoad,
  bufferFull,
  conversionSucceeded,
];
