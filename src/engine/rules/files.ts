/**
 * The files the phone asked for and what it got (diagnoses.md, "The files the phone asks
 * for"): missing files, refused files, broken transfers, and what the configs it received
 * say (checked with the provisioning parsers, as `lint` checks a TFTP root).
 */
import { tftpFilesFor } from '../../../parsers/firmware/bundles.js';
import type { ImageName } from '../../../parsers/firmware/image-name.js';
import { os79xxRequestedFileName, SECURITY_FILE_KINDS } from '../../../parsers/provisioning/file-names.js';
import {
  configProblem,
  firstPerLine,
  fixFor,
  isNameFault,
  malformedFix,
} from '../../findings/builders/config-problems.js';
import type { WrittenName } from '../../findings/builders/config-problems.js';
import {
  fileNameCase,
  os79xxMissing,
  sccpConfigMissing,
  sipDefaultMissing,
  sipMacConfigMissing,
  tftpAccessDenied,
  ualHuntStopped,
} from '../../findings/builders/file-findings.js';
import {
  imageNameLetterO,
  imageNotFound,
  imageSourcesDisagree,
  letterOAskedStep,
  loadsPartMissing,
} from '../../findings/builders/image-findings.js';
import type { FindingId } from '../../findings/catalog.js';
import type { Evidence } from '../../findings/finding.js';
import { catalogFinding } from '../../findings/catalog-finding.js';
import type { ImageSource } from '../../flows/image-sources.js';
import { imageRequest } from '../../flows/image-requests.js';
import { applicationFor, imageLabel, runningFromFileName } from '../../flows/phone.js';
import type { RunningImage } from '../../flows/phone.js';
import { imageOf, isSccpConfig, isSipConfig, kindOf } from '../boots.js';
import type { ServedSpelling } from '../across-phones.js';
import type { PhoneRequest } from '../model.js';
import { visibleName } from '../observations.js';
import { bootOf, caseVariant, evidenceOf, protocolOf } from './context.js';
import type { PhoneContext, ReceivedFile, Rule, RuleFinding } from './context.js';

const rootEvidence = (path: string, text: string): Evidence => ({ source: 'tftp-root', file: path, text });

const ctlNotFound: Rule = ({ phone, ref }) => {
  const missing = phone.requests.filter((r) => r.answer === 'not-found' && SECURITY_FILE_KINDS.has(kindOf(r.file)));
  return missing.length
    ? [
        {
          key: 'CTL_NOT_FOUND_NORMAL',
          finding: catalogFinding('CTL_NOT_FOUND_NORMAL', { phone: ref, evidence: missing.flatMap((r) => r.evidence) }),
        },
      ]
    : [];
};

/** A request not found whose name the root holds, or another request got served, in other letter case. */
const nameInOtherCase: Rule = (context) =>
  context.phone.requests.flatMap((r) => {
    if (r.answer !== 'not-found' || SECURITY_FILE_KINDS.has(kindOf(r.file))) return [];
    const variant = caseVariant(context.model.roots, r.file);
    const served = variant ? undefined : servedInOtherCase(context, r);
    const other = variant
      ? {
          name: variant.path,
          evidence: [
            rootEvidence(variant.path, `the TFTP root has ${variant.path}; the phone asked for ${visibleName(r.file)}`),
          ],
        }
      : served
        ? {
            name: served.file,
            evidence: [{ ...served.evidence, text: `${served.evidence.text}: served under this spelling` }],
          }
        : undefined;
    if (!other) return [];
    return [
      {
        key: `FILE_NAME_CASE|${other.name}`,
        finding: fileNameCase({
          phone: context.ref,
          evidence: [...r.evidence, ...other.evidence],
          present: other.name.replace(/^(\.\/)+/, ''),
          wanted: r.file.replace(/^(\.\/)+/, ''),
          wantedIsRequest: true,
        }),
      },
    ];
  });

/** A request of any phone for the same name in other letter case that the server did serve. */
function servedInOtherCase(context: PhoneContext, r: PhoneRequest): ServedSpelling | undefined {
  return context.across.servedSpellings.get(r.file.toLowerCase())?.find((q) => q.file !== r.file);
}

/** The finding a missing file is a consequence of, when another rule names its cause. */
function caseCause(context: PhoneContext, r: PhoneRequest): 'FILE_NAME_CASE' | undefined {
  return caseVariant(context.model.roots, r.file) || servedInOtherCase(context, r) ? 'FILE_NAME_CASE' : undefined;
}

/** A .loads part: the request follows a served .loads whose release's zip holds that name. */
function loadsOf(context: PhoneContext, r: PhoneRequest): PhoneRequest | undefined {
  const boot = bootOf(context, r);
  if (!boot) return undefined;
  const before = boot.requests.slice(0, boot.requests.indexOf(r)).reverse();
  for (const q of before) {
    const image = imageOf(q.file);
    if (!image) return undefined;
    if (
      image.extension !== '.loads' ||
      q.answer !== 'found' ||
      !image.version ||
      (image.protocol !== 'SIP' && image.protocol !== 'SCCP')
    )
      continue;
    const zip = tftpFilesFor(
      { protocol: image.protocol, version: image.version },
      image.scheme === 'sccp-8.3' ? image.baseName : undefined,
    );
    if (zip.files.some((f) => f.name === r.file)) return q;
  }
  return undefined;
}

const imageMissing: Rule = (context) => {
  const out: RuleFinding[] = [];
  for (const r of context.phone.requests) {
    const image = imageOf(r.file);
    if (!image || r.answer !== 'not-found') continue;
    const loads = loadsOf(context, r);
    if (loads) {
      out.push(loadsPartNotFound(context, r, loads));
      continue;
    }
    const named = namedBy(context, r);
    const cause =
      caseCause(context, r) ??
      named?.file.problems.filter(isNameFault).find((p) => p.line === named.source.line)?.findingId ??
      (image.problems.some((p) => p.code === 'letter-o') ? 'IMAGE_NAME_LETTER_O' : undefined) ??
      (image.problems.some((p) => p.code === 'whitespace') ? 'OS79XX_SYNTAX' : undefined) ??
      (image.family === '7905/7912' ? 'GKDEFAULT_UPGRADECODE' : undefined);
    out.push({
      key: `IMAGE_NOT_FOUND|${r.file}`,
      finding: imageNotFound({
        phone: context.ref,
        evidence: [
          ...(named
            ? [
                {
                  ...named.file.evidence,
                  line: named.source.line,
                  text: `${named.file.request.file}: ${named.source.text}`,
                },
              ]
            : []),
          ...r.evidence,
        ],
        ...(image.suggestion && image.suggestion !== r.file ? { zipSpelling: image.suggestion } : {}),
        ...(cause ? { causedBy: cause } : {}),
      }),
    });
  }
  return out;
};

/** A part of the served .loads `loads` not found; the fix unpacks the .loads' zip. */
function loadsPartNotFound(context: PhoneContext, r: PhoneRequest, loads: PhoneRequest): RuleFinding {
  const image = imageOf(r.file);
  const app = applicationFor(runningFromFileName(loads.file));
  const zip =
    image?.version && app
      ? tftpFilesFor({ protocol: image.protocol === 'SCCP' ? 'SCCP' : 'SIP', version: image.version })
      : undefined;
  return {
    key: `LOADS_PART_MISSING|${loads.file}`,
    finding: loadsPartMissing({
      phone: context.ref,
      evidence: [...loads.evidence.slice(0, 1), ...evidenceOf(r, `a part of ${loads.file}`)],
      ...(zip && app ? { zip: { label: imageLabel(app), files: zip.files.map((f) => f.name) } } : {}),
      ...(caseCause(context, r) ? { causedBy: 'FILE_NAME_CASE' } : {}),
    }),
  };
}

/** The config file received before `r` whose image name makes the phone ask for `r`, with that name. */
function namedBy(context: PhoneContext, r: PhoneRequest): { file: ReceivedFile; source: ImageSource } | undefined {
  const boot = bootOf(context, r);
  const before = boot ? boot.requests.slice(0, boot.requests.indexOf(r)) : [];
  for (const file of [...context.received].reverse()) {
    const { source } = file;
    if (!source || !before.includes(file.request)) continue;
    const { place, written } = source;
    const names =
      place === 'os79xx'
        ? [os79xxRequestedFileName(written)]
        : place === 'upgradecode'
          ? [written]
          : [imageRequest(written, true), imageRequest(written, false)];
    if (names.includes(r.file)) return { file, source };
  }
  return undefined;
}

/** A name asked for with the letter O where Cisco writes zero; or a received config writing one. The fix names the fully corrected name. */
const letterO: Rule = ({ phone, ref, received }) => {
  const evidence: Evidence[] = [];
  const fix: string[] = [];
  for (const r of phone.requests) {
    const image = imageOf(r.file);
    const problem = image?.problems.find((p) => p.code === 'letter-o');
    if (!image || !problem) continue;
    evidence.push(...evidenceOf(r, problem.message));
    if (image.suggestion) fix.push(letterOAskedStep(visibleName(r.file), image.suggestion));
  }
  for (const f of received) {
    for (const p of f.problems) {
      if (p.findingId !== 'IMAGE_NAME_LETTER_O') continue;
      evidence.push({ ...f.evidence, line: p.line, text: p.message });
      fix.unshift(...(fixFor('IMAGE_NAME_LETTER_O', f.request.file, p.line, writtenOn(f, p.line)) ?? []).slice(0, 1));
    }
  }
  const steps = [...new Set(fix)].slice(0, 1);
  return evidence.length
    ? [{ key: 'IMAGE_NAME_LETTER_O', finding: imageNameLetterO({ phone: ref, evidence, fix: steps }) }]
    : [];
};

/** The image name a received file writes on `line`, with what was probably meant. */
function writtenOn(f: ReceivedFile, line: number): WrittenName | undefined {
  if (!f.source || f.source.line !== line) return undefined;
  return { name: f.source.image.name, ...(f.source.image.suggestion ? { suggestion: f.source.image.suggestion } : {}) };
}

/** Problems the provisioning parsers find in what the phone received, under their finding IDs. */
const receivedProblems: Rule = ({ received, ref }) => {
  const out: RuleFinding[] = [];
  const ids = ['OS79XX_SYNTAX', 'IMAGE_VERSION_SYNTAX', 'GKDEFAULT_UPGRADECODE', 'CONFIG_MALFORMED'] as const;
  for (const id of ids) {
    const evidence: Evidence[] = [];
    let allWarnings = true;
    for (const f of received) {
      for (const p of firstPerLine(f.problems)) {
        if (p.findingId !== id || p.severity === 'info') continue;
        if (p.severity !== 'warning') allWarnings = false;
        evidence.push({
          ...f.evidence,
          line: p.line,
          text: `${f.request.file}${p.column > 1 ? ` column ${p.column}` : ''}: ${p.message}`,
        });
      }
    }
    const sharpened = evidence.length ? sharpenedFix(id, received) : undefined;
    if (evidence.length)
      out.push({
        key: id,
        finding: configProblem(id, { phone: ref, evidence, allWarnings, ...(sharpened ? { sharpened } : {}) }),
      });
  }
  return out;
};

/** The fix naming the places in the files received: each line and column of a malformed file, or the corrected image name. */
function sharpenedFix(id: FindingId, received: readonly ReceivedFile[]): string[] | undefined {
  if (id === 'CONFIG_MALFORMED') {
    const perFile = received.map((f) =>
      firstPerLine(f.problems)
        .filter((p) => p.findingId === id && p.severity !== 'info')
        .map((p) => ({ ...p, file: f.request.file })),
    );
    const steps = perFile.filter((ps) => ps.length).flatMap((ps) => malformedFix(ps));
    return steps.length ? steps : undefined;
  }
  return received
    .flatMap((f) =>
      f.problems.filter((p) => p.findingId === id).map((p) => fixFor(id, f.request.file, p.line, writtenOn(f, p.line))),
    )
    .find((fix) => fix);
}

/** OS79XX.TXT asked for and not found, in a boot that then loaded nothing although the phone is meant to move. */
const os79xxNotFound: Rule = (context) => {
  const out: RuleFinding[] = [];
  for (const boot of context.boots) {
    const miss = boot.requests.find((r) => kindOf(r.file) === 'os79xx' && r.answer === 'not-found');
    if (!miss || boot.fetched || boot.requests.some((r) => imageOf(r.file))) continue;
    if (context.received.some((f) => f.source && boot.requests.includes(f.request))) continue;
    const protocol = protocolOf(boot);
    // The intent to move: configs of the other protocol served, or the root holds another protocol's images.
    const otherConfig = boot.requests.find(
      (r) =>
        r.answer === 'found' &&
        (protocol === 'SCCP' ? isSipConfig(r.file) : protocol === 'SIP' ? isSccpConfig(r.file) : false),
    );
    const otherImage = context.model.roots
      .flatMap((root) => [...root.names.entries()].map(([path, n]) => ({ path, image: n.image })))
      .find(
        (n): n is { path: string; image: ImageName } =>
          n.image?.family === '7940/7960' &&
          n.image.protocol !== 'loader' &&
          protocol !== undefined &&
          n.image.protocol !== protocol &&
          n.image.extension !== undefined,
      );
    if (!otherConfig && !otherImage) continue;
    const evidence: Evidence[] = [
      ...miss.evidence,
      ...(otherConfig
        ? evidenceOf(
            otherConfig,
            `a ${protocol === 'SCCP' ? 'SIP' : 'SCCP'} config was served to a phone running ${protocol}`,
          )
        : []),
      ...(otherImage
        ? [
            rootEvidence(
              otherImage.path,
              `the TFTP root holds ${otherImage.path}, a ${otherImage.image.protocol} image nothing the phone read names`,
            ),
          ]
        : []),
    ];
    const image = otherImage?.image.baseName;
    out.push({
      key: 'OS79XX_MISSING',
      finding: os79xxMissing({ phone: context.ref, evidence, ...(image ? { image } : {}) }),
    });
  }
  return out.slice(0, 1);
};

/** The SIP config files of a phone running SIP (or taken to SIP in a later boot). */
const sipConfigNotFound: Rule = (context) => {
  const out: RuleFinding[] = [];
  for (const r of context.phone.requests) {
    if (r.answer !== 'not-found') continue;
    const kind = kindOf(r.file);
    if (kind !== 'sip-default' && kind !== 'sip-phone') continue;
    if (protocolOf(bootOf(context, r)) !== 'SIP') continue;
    const cause = caseCause(context, r);
    const facts = { phone: context.ref, evidence: [...r.evidence], ...(cause ? { causedBy: cause } : {}) };
    out.push(
      kind === 'sip-default'
        ? { key: 'SIP_DEFAULT_MISSING', finding: sipDefaultMissing(facts) }
        : { key: 'SIP_MAC_CONFIG_MISSING', finding: sipMacConfigMissing(facts) },
    );
  }
  return out;
};

/** Neither SEP<MAC>.cnf.xml nor XMLDefault.cnf.xml for a phone running SCCP. */
const sccpConfigNotFound: Rule = (context) => {
  for (const boot of context.boots) {
    if (protocolOf(boot) !== 'SCCP') continue;
    const asked = boot.requests.filter((r) => isSccpConfig(r.file));
    if (asked.length === 0 || asked.some((r) => r.answer !== 'not-found')) continue;
    if (boot.requests.some((r) => kindOf(r.file) === 'os79xx' && r.answer === 'not-found') && !boot.fetched) continue; // OS79XX_MISSING's case
    const cause = asked.map((r) => caseCause(context, r)).find((c) => c);
    return [
      {
        key: 'SCCP_CONFIG_MISSING',
        finding: sccpConfigMissing({
          phone: context.ref,
          evidence: asked.flatMap((r) => r.evidence),
          ...(cause ? { causedBy: cause } : {}),
        }),
      },
    ];
  }
  return [];
};

const accessDenied: Rule = ({ phone, ref }) => {
  const refused = phone.requests.filter((r) => r.answer === 'denied');
  return refused.length
    ? [
        {
          key: 'TFTP_ACCESS_DENIED',
          finding: tftpAccessDenied({ phone: ref, evidence: refused.flatMap((r) => r.evidence) }),
        },
      ]
    : [];
};

/** CSCee31047: a config request answered by an error other than File not found, and the hunt for config files stops there. */
const huntStopped: Rule = (context) => {
  for (const boot of context.boots) {
    const i = boot.requests.findIndex(
      (r) =>
        (isSccpConfig(r.file) || isSipConfig(r.file)) &&
        (r.answer === 'denied' || (r.answer === 'failed' && r.bytes === undefined)),
    );
    const r = boot.requests[i];
    if (!r) continue;
    if (boot.requests.slice(i + 1).some((q) => isSccpConfig(q.file) || isSipConfig(q.file))) continue;
    return [
      {
        key: 'UAL_HUNT_STOPPED',
        finding: ualHuntStopped({
          phone: context.ref,
          evidence: evidenceOf(r, 'no config file is asked for after it'),
          denied: r.answer === 'denied',
          loaderAssumed: true,
        }),
      },
    ];
  }
  return [];
};

const transferFailed: Rule = ({ phone, ref }) =>
  phone.requests
    .filter(
      (r) =>
        r.answer === 'failed' && (r.bytes !== undefined || (r.transfer?.blocks ?? 0) > 0 || r.error?.by === 'client'),
    )
    .map((r) => ({
      key: `TFTP_TRANSFER_FAILED|${r.file}`,
      finding: catalogFinding('TFTP_TRANSFER_FAILED', { phone: ref, evidence: [...r.evidence] }),
    }));

/** OS79XX.TXT (the phone's, or the root's), image_version and loadInformation name different applications. */
const sourcesDisagree: Rule = (context) => {
  const sources: { source: ImageSource; app: RunningImage; evidence: Evidence }[] = [];
  for (const { source, evidence } of context.received) {
    const app = applicationFor(source?.leadsTo);
    if (source && app) sources.push({ source, app, evidence });
  }
  if (!sources.some((s) => s.source.place === 'os79xx')) sources.push(...rootOs79xxSources(context));
  const labels = new Set(sources.map((s) => imageLabel(s.app)));
  if (labels.size < 2) return [];
  return [
    {
      key: 'IMAGE_SOURCES_DISAGREE',
      finding: imageSourcesDisagree({
        phone: context.ref,
        evidence: sources.map(({ source, app, evidence }) => ({
          ...evidence,
          line: source.line,
          text: `${source.file}: ${source.text} → ${imageLabel(app)}`,
        })),
      }),
    },
  ];
};

/** OS79XX.TXT of the TFTP roots given, as an image source, when the phone did not read one. */
function rootOs79xxSources(context: PhoneContext): { source: ImageSource; app: RunningImage; evidence: Evidence }[] {
  return context.model.roots.flatMap((root) => {
    const os = root.os79xx;
    if (!os?.image) return [];
    const app = applicationFor(os.image.image.version ? runningFromFileName(`${os.image.name}.bin`) : undefined);
    if (!app) return [];
    const source: ImageSource = {
      place: 'os79xx',
      file: os.file,
      line: os.image.line,
      text: os.image.name,
      written: os.image.name,
      image: os.image.image,
      leadsTo: app,
    };
    return [{ source, app, evidence: rootEvidence(os.file, `${os.file} in the TFTP root`) }];
  });
}

export const FILE_RULES: readonly Rule[] = [
  ctlNotFound,
  nameInOtherCase,
  imageMissing,
  letterO,
  receivedProblems,
  os79xxNotFound,
  sipConfigNotFound,
  sccpConfigNotFound,
  accessDenied,
  huntStopped,
  transferFailed,
  sourcesDisagree,
];
