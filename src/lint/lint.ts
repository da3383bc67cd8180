/**
 * `phonedoc lint`: checks a TFTP root against what each phone will ask for. The files are
 * checked as they lie (names, permissions, syntax, images and their parts, agreement of the
 * image names); then each phone's boots are predicted (src/flows) and what it will not get,
 * or will refuse, is reported for that phone.
 */
import { formatVersion } from '../../parsers/firmware/image-name.js';
import { expectedFileName } from '../../parsers/provisioning/file-names.js';
import type { Mac } from '../../parsers/provisioning/file-names.js';
import type { PhoneModel } from '../../parsers/provisioning/sccp-xml.js';
import type { Finding } from '../findings/finding.js';
import { linkCauses } from '../findings/causes.js';
import { summarize } from '../findings/report.js';
import { bufferFullW210Risk } from '../findings/builders/firmware-findings.js';
import type { Report, ReportAssumption, ReportImage, ReportPhone } from '../findings/report-schema.js';
import { ASSUMPTIONS, W210_SIPDEFAULT_LIMIT_BYTES } from '../flows/assumptions.js';
import type { AssumptionId } from '../flows/assumptions.js';
import { imageLabel, sameImage } from '../flows/phone.js';
import type { RunningImage } from '../flows/phone.js';
import { predictBoot } from '../flows/predict.js';
import type { BootPrediction } from '../flows/predict.js';
import { checkFileNames, checkGkdefault, checkPermissions, checkProvisioningProblems } from './file-checks.js';
import { FindingSet, rootEvidence } from './finding-set.js';
import { checkPrediction } from './flow-checks.js';
import {
  allImageSources,
  checkLoadsParts,
  checkNamedImages,
  checkSourcesAgree,
  faultyNameLines,
} from './image-checks.js';
import { parseRoot } from './parsed-root.js';
import type { ParsedRoot } from './parsed-root.js';
import { readTftpRoot } from './tftp-root.js';
import type { SkippedEntry } from './tftp-root.js';

export interface LintOptions {
  /** Phones to predict; none: one phone whose MAC is not known (per-phone files are not predicted). */
  readonly macs?: readonly Mac[];
  readonly model?: PhoneModel;
  /** The application in the phones' flash; undefined: not known. */
  readonly current?: RunningImage;
  /** The application the phones should end on. */
  readonly target?: RunningImage;
  /** Overrides W210_SIPDEFAULT_LIMIT_BYTES. */
  readonly w210LimitBytes?: number;
}

export interface LintResult {
  readonly findings: readonly Finding[];
  readonly phones: readonly ReportPhone[];
  readonly predictions: readonly BootPrediction[];
  readonly assumptions: readonly ReportAssumption[];
  /** Entries of the root left out (links leading outside it, dangling links, special files). */
  readonly skipped: readonly SkippedEntry[];
}

/** Reads and checks the root; throws InputError when it cannot be read. */
export function lintTftpRoot(dir: string, options: LintOptions = {}): LintResult {
  return lintParsedRoot(parseRoot(readTftpRoot(dir)), options);
}

/** Checks a root already read (analyze's --tftp-root: read once for the capture's phones and for the prediction). */
export function lintParsedRoot(parsed: ParsedRoot, options: LintOptions = {}): LintResult {
  const w210LimitBytes = options.w210LimitBytes ?? W210_SIPDEFAULT_LIMIT_BYTES;
  const set = new FindingSet();
  const used = new Set<AssumptionId>();

  checkFileNames(parsed, set);
  checkPermissions(parsed, set);
  checkProvisioningProblems(parsed, set);
  checkGkdefault(parsed, set);
  checkNamedImages(parsed, set);
  checkLoadsParts(parsed, set);
  if (checkW210(parsed, options.current, w210LimitBytes, set)) used.add('W210_LIMIT');

  const cfgDir = parsed.sipCnfs.get(expectedFileName('sip-default'))?.tftpCfgDir;
  const macs = options.macs?.length ? options.macs : [undefined];
  const views = macs.map((mac) => ({
    ...(mac ? { mac } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(cfgDir !== undefined ? { cfgDir } : {}),
  }));
  checkSourcesAgree(parsed, views, set, options.target?.image);

  const faulty = faultyNameLines(parsed);
  const rootNamesImage = allImageSources(parsed).length > 0 || parsed.gkdefault?.upgradeCodes[0]?.image !== undefined;
  const predictions = macs.map((mac) =>
    predictBoot(
      {
        ...(mac ? { mac } : {}),
        ...(options.model ? { model: options.model } : {}),
        ...(options.current ? { running: options.current } : {}),
      },
      parsed.root.lookup,
      { w210LimitBytes },
    ),
  );
  for (const prediction of predictions) {
    checkPrediction(
      prediction,
      { parsed, faulty, rootNamesImage, ...(options.target ? { target: options.target } : {}) },
      set,
    );
    prediction.assumptions.forEach((a) => {
      used.add(a);
    });
  }

  return {
    findings: linkCauses(set.list(), new Set(['tftp-root'])),
    phones: predictions.map((p) => phoneOf(p, options.target)),
    predictions,
    assumptions: [...used].map((id) => ({ id, text: ASSUMPTIONS[id] })),
    skipped: parsed.root.skipped,
  };
}

export function lintReport(dir: string, result: LintResult, version: string): Report {
  return {
    tool: 'phonedoc',
    version,
    command: 'lint',
    inputs: [{ kind: 'tftp-root', path: dir }],
    phones: result.phones,
    findings: result.findings,
    summary: summarize(result.findings),
    assumptions: result.assumptions,
  };
}

/**
 * Tech note 5455, "W210 TFTP Error : buffer full": a SIP 2.x phone and a SIPDefault.cnf above
 * the (undocumented) limit. A TFTP root shows the size only, never the message: a risk.
 */
function checkW210(parsed: ParsedRoot, current: RunningImage | undefined, limit: number, set: FindingSet): boolean {
  const name = expectedFileName('sip-default');
  const entry = parsed.root.entry(name);
  if (current?.protocol !== 'SIP' || current.version.major !== 2 || !entry || entry.size <= limit) return false;
  const image = parsed.sipCnfs.get(name)?.written[0]?.name ?? parsed.os79xx?.image?.name;
  set.add(
    'BUFFER_FULL_W210_RISK',
    bufferFullW210Risk({
      evidence: [
        rootEvidence(
          name,
          `${entry.size} bytes, above the ${limit} bytes taken as the limit of ${imageLabel(current)}`,
        ),
      ],
      file: name,
      ...(image ? { image } : {}),
    }),
  );
  return true;
}

function reportImage(image: RunningImage | undefined): ReportImage | undefined {
  return image
    ? { protocol: image.protocol, version: formatVersion(image.version, image.protocol), image: image.image }
    : undefined;
}

function phoneOf(p: BootPrediction, target: RunningImage | undefined): ReportPhone {
  const running = reportImage(p.start);
  const reached = p.final && p.start && !sameImage(p.final, p.start) ? p.final : undefined;
  const goal = reportImage(target ?? reached ?? p.decision?.to);
  // With no boot to show, the files looked at for an image name say what the phone would find.
  const requests = p.boots.length
    ? p.boots.flatMap((b) => b.requests.map((r) => ({ file: r.file, answer: r.answer, predicted: true })))
    : (p.lookedFor ?? []).map((l) => ({ file: l.file, answer: l.answer, predicted: true }));
  return {
    ...(p.phone.mac ? { mac: p.phone.mac.canonical } : {}),
    ...(p.phone.model ? { model: p.phone.model } : {}),
    ...(running ? { running } : {}),
    ...(running && p.startAssumed ? { runningAssumed: true } : {}),
    ...(goal ? { target: goal } : {}),
    flow: p.flow,
    lastStep: lastStep(p),
    requests,
  };
}

function lastStep(p: BootPrediction): string {
  const last = p.boots[p.boots.length - 1];
  const request = last?.requests[last.requests.length - 1];
  const boots = `${p.boots.length} boot${p.boots.length === 1 ? '' : 's'}`;
  switch (p.end) {
    case 'settled':
      return `Settles on ${last ? imageLabel(last.running) : 'the image in flash'} after ${boots}.`;
    case 'image-not-found':
      return `Stops after ${boots}: ${request?.file} is not in the root, so the phone keeps ${last ? imageLabel(last.running) : 'the image in flash'}.`;
    case 'part-missing':
      return `Stops after ${boots}: ${request?.file}, a part of ${request?.partOf}, is not in the root ("Protocol Application Invalid" likely).`;
    case 'image-denied':
      return `Stops after ${boots}: the server refuses ${request?.file} (not readable).`;
    case 'hunt-stopped':
      return `Stops after ${boots}: an error other than File not found ends the hunt for config files (CSCee31047).`;
    case 'no-load':
      return p.boots.length === 0
        ? 'No file of the root names an image.'
        : `Stops after ${boots}: the loader finds no configuration naming an application.`;
    case 'refused':
      return `Likely refuses ${request?.file} after ${boots}: ${p.refusal?.reason}.`;
    case 'loop':
      return `Switches images on every boot (seen after ${boots}).`;
    case 'too-many-boots':
      return `Still changing images after ${boots}.`;
  }
}
