/**
 * The boots of a phone against a TFTP root, one after the other, until it settles on an
 * image or stops: which image it decides to load, from which file, and whether that is a
 * legal step (src/upgrade). `bootFlow` is the generator (flow-ask.ts) the lab's simulated
 * phone drives over real TFTP; `predictBoot`, used by `lint`, drives it with a TFTP root.
 * Pure.
 */
import { parseImageName } from '../../parsers/firmware/image-name.js';
import { isDos83BaseName } from '../../parsers/firmware/naming.js';
import { expectedFileName } from '../../parsers/provisioning/file-names.js';
import { parseOs79xxTxt } from '../../parsers/provisioning/os79xx-txt.js';
import { parseSccpXml } from '../../parsers/provisioning/sccp-xml.js';
import { parseSipCnf } from '../../parsers/provisioning/sip-cnf.js';
import { findUpgradePath } from '../upgrade/find-path.js';
import type { UpgradePath } from '../upgrade/find-path.js';
import { MAX_PREDICTED_BOOTS, W210_SIPDEFAULT_LIMIT_BYTES } from './assumptions.js';
import type { AssumptionId } from './assumptions.js';
import { bootRequests } from './boot.js';
import type { Boot, BootOptions, RequestAnswer } from './boot.js';
import { imageVersionSource, loadInformationSource, os79xxSource } from './image-sources.js';
import type { ImageSource } from './image-sources.js';
import { applicationFor, imageLabel, releaseOf, sameImage } from './phone.js';
import type { PhoneSpec, RunningImage } from './phone.js';
import { answerFromLookup } from './flow-ask.js';
import type { Flow } from './flow-ask.js';
import type { TftpLookup } from './tftp-lookup.js';

export type FlowMechanism = 'os79xx' | 'config' | 'loader' | 'gkdefault';
type Proto = 'sip' | 'sccp';
/**
 * `<from>-to-<to>-<how>` for a conversion, `<protocol>-upgrade-<how>` inside one protocol,
 * `<protocol>-boot` when the phone keeps its image, `no-load` when nothing names one. `how`
 * is what named the first image fetched: `os79xx` (OS79XX.TXT named an application: the
 * seed's "SCCP 3.x/5.x to SIP ≤ 6.x" and "SIP 4.x/earlier to SCCP"), `loader` (OS79XX.TXT
 * named the Universal Application Loader of a zip), `config` (image_version or
 * loadInformation: "SCCP 3.x/5.x to SIP 7.x", "SIP 7.x/later to SCCP", the loader era),
 * `gkdefault` (upgradecode: "SIP 5.x, 6.x to SCCP").
 */
export type FlowId =
  | `${Proto}-to-${Proto}-${FlowMechanism}`
  | `${Proto}-upgrade-${FlowMechanism}`
  | `${Proto}-boot`
  | 'no-load';

export type PredictionEnd =
  /** The last boot kept its image. */
  | 'settled'
  | 'image-not-found'
  | 'part-missing'
  | 'image-denied'
  | 'hunt-stopped'
  | 'no-load'
  /** The phone fetched an image it will refuse: not a legal step, or a long name on SIP 2.1. */
  | 'refused'
  /** The files send the phone back to an image it already ran. */
  | 'loop'
  | 'too-many-boots';

export interface Refusal {
  readonly kind: 'name-not-8.3' | 'not-a-legal-step';
  readonly from: RunningImage;
  readonly to: RunningImage;
  /** The file whose name was refused (name-not-8.3). */
  readonly file?: string;
  readonly path?: UpgradePath;
  readonly reason: string;
}

export interface ImageDecision {
  /** The file and line whose image the phone acts on first. */
  readonly source: ImageSource;
  /** The application in flash, when known. */
  readonly from?: RunningImage;
  /** The application the phone is sent to (through the loader when there is one). */
  readonly to?: RunningImage;
  /** From `from` to `to`, when both are known and differ. */
  readonly path?: UpgradePath;
  /** One legal move (path legal in a single step). */
  readonly legalStep?: boolean;
}

export interface LookedFor {
  readonly file: string;
  readonly answer: RequestAnswer;
  /** The file was there but named no image. */
  readonly namesNoImage?: boolean;
}

export interface BootPrediction {
  readonly phone: PhoneSpec;
  /** The image of the first boot: the phone's, or the one the root names (`startAssumed`). */
  readonly start?: RunningImage;
  readonly startAssumed: boolean;
  readonly boots: readonly Boot[];
  /** With no image known and none named: the files looked at for one. */
  readonly lookedFor?: readonly LookedFor[];
  readonly decision?: ImageDecision;
  /** What the phone runs when it settles (absent when the prediction ends on a failure). */
  readonly final?: RunningImage;
  readonly end: PredictionEnd;
  readonly refusal?: Refusal;
  readonly flow: FlowId;
  readonly assumptions: readonly AssumptionId[];
}

export type PredictOptions = Partial<BootOptions>;

export function predictBoot(phone: PhoneSpec, lookup: TftpLookup, options: PredictOptions = {}): BootPrediction {
  const assumptions = new Set<AssumptionId>();
  let start = phone.running;
  let lookedFor: LookedFor[] | undefined;
  if (!start) {
    const named = namedImage(phone, lookup);
    assumptions.add('UNKNOWN_IMAGE_AS_NAMED');
    if (!named.image) {
      return {
        phone,
        startAssumed: true,
        boots: [],
        lookedFor: named.lookedFor,
        end: 'no-load',
        flow: 'no-load',
        assumptions: [...assumptions],
      };
    }
    start = named.image;
    lookedFor = named.lookedFor;
  }

  const run = answerFromLookup(bootFlow(phone, start, options), lookup);
  run.assumptions.forEach((a) => {
    assumptions.add(a);
  });
  const { boots, end, refusal } = run;
  const decision = decisionOf(start, phone.running !== undefined, boots);
  const final = end === 'settled' ? boots.at(-1)?.running : undefined;
  return {
    phone,
    start,
    startAssumed: phone.running === undefined,
    boots,
    ...(lookedFor ? { lookedFor } : {}),
    ...(decision ? { decision } : {}),
    ...(final ? { final } : {}),
    end,
    ...(refusal ? { refusal } : {}),
    flow: flowOf(start, boots, decision),
    assumptions: [...assumptions],
  };
}

/** The boots of a phone from `start` on, and how they ended. */
export interface BootFlowRun {
  readonly boots: readonly Boot[];
  readonly end: PredictionEnd;
  readonly refusal?: Refusal;
  readonly assumptions: readonly AssumptionId[];
}

/**
 * The phone's boots from `start` on: each boot's requests (bootRequests), then, when a boot
 * fetched a new image whole and the move is legal, a reboot into it, until the phone settles,
 * fails, refuses an image or loops.
 */
export function* bootFlow(phone: PhoneSpec, start: RunningImage, options: PredictOptions = {}): Flow<BootFlowRun> {
  const bootOptions: BootOptions = { w210LimitBytes: options.w210LimitBytes ?? W210_SIPDEFAULT_LIMIT_BYTES };
  const assumptions = new Set<AssumptionId>();
  const boots: Boot[] = [];
  const visited = [start];
  let running = start;
  let lastApp = start.protocol === 'loader' ? undefined : start;
  const ended = (end: PredictionEnd, refusal?: Refusal): BootFlowRun => ({
    boots,
    end,
    ...(refusal ? { refusal } : {}),
    assumptions: [...assumptions],
  });
  while (boots.length < MAX_PREDICTED_BOOTS) {
    const boot = yield* bootRequests(running, phone, bootOptions);
    boots.push(boot);
    boot.assumptions.forEach((a) => {
      assumptions.add(a);
    });
    if (boot.outcome !== 'loads-image') return ended(boot.outcome === 'keeps-image' ? 'settled' : boot.outcome);
    const fetched = boot.requests[boot.requests.length - 1]!;
    let refusal = lastApp && running.protocol !== 'loader' ? nameRefusal(lastApp, boot, fetched.file) : undefined;
    const next = boot.next;
    if (!refusal && next && next.protocol !== 'loader' && lastApp && !sameImage(lastApp, next))
      refusal = stepRefusal(lastApp, next);
    if (refusal) {
      assumptions.add('ILLEGAL_STEP_REFUSED');
      return ended('refused', refusal);
    }
    if (!next) return ended('settled');
    if (visited.some((v) => sameImage(v, next) && v.protocol !== 'loader')) return ended('loop');
    visited.push(next);
    yield { kind: 'reboot', into: next };
    running = next;
    if (next.protocol !== 'loader') lastApp = next;
  }
  return ended('too-many-boots');
}

/** Seed "SIP phone not accepting SCCP load": SIP 2.1 and earlier take 8.3 names only. */
function nameRefusal(app: RunningImage, boot: Boot, file: string): Refusal | undefined {
  if (app.protocol !== 'SIP' || app.version.major > 2 || (app.version.major === 2 && app.version.minor > 1))
    return undefined;
  const base = parseImageName(file).baseName;
  const to = applicationFor(boot.decision?.leadsTo) ?? boot.next;
  if (isDos83BaseName(base) || !to) return undefined;
  return {
    kind: 'name-not-8.3',
    from: app,
    to,
    file,
    reason:
      `${imageLabel(app)} accepts only 8.3 file names; ` + `${file} has ${base.length} characters before the extension`,
  };
}

function stepRefusal(from: RunningImage, to: RunningImage): Refusal | undefined {
  const a = releaseOf(from);
  const b = releaseOf(to);
  if (!a || !b) return undefined;
  const path = findUpgradePath(a, b);
  if (path.legal && path.steps.length <= 1) return undefined;
  const reason = path.legal
    ? `${imageLabel(from)} cannot load ${imageLabel(to)} directly: ` +
      `${path.steps.length} steps are needed, first ${path.steps[0]!.image}`
    : (path.reason ?? `no legal path from ${imageLabel(from)} to ${imageLabel(to)}`);
  return { kind: 'not-a-legal-step', from, to, path, reason };
}

function decisionOf(start: RunningImage, known: boolean, boots: readonly Boot[]): ImageDecision | undefined {
  const first = boots.find((b) => b.decision);
  if (!first?.decision) return undefined;
  const from = known && start.protocol !== 'loader' ? start : undefined;
  // The application reached; through the loader, the one the loader's boot decides; else the one named.
  const index = boots.indexOf(first);
  let to = first.next && first.next.protocol !== 'loader' ? first.next : undefined;
  if (!to && first.next)
    to = boots
      .slice(index + 1)
      .map((b) => b.decision?.leadsTo)
      .find((l) => l && l.protocol !== 'loader');
  to ??= applicationFor(first.decision.leadsTo);
  const a = from && releaseOf(from);
  const b = to && releaseOf(to);
  if (!from || !to || !a || !b || sameImage(from, to)) {
    return { source: first.decision, ...(from ? { from } : {}), ...(to && b ? { to } : {}) };
  }
  const path = findUpgradePath(a, b);
  return { source: first.decision, from, to, path, legalStep: path.legal && path.steps.length === 1 };
}

function flowOf(start: RunningImage, boots: readonly Boot[], decision: ImageDecision | undefined): FlowId {
  const firstApp = start.protocol === 'loader' ? undefined : start;
  const lower = (image: RunningImage): Proto => (image.protocol === 'SCCP' ? 'sccp' : 'sip');
  if (!decision || !firstApp) return firstApp ? `${lower(firstApp)}-boot` : 'no-load';
  const source = decision.source;
  const firstDecided = boots.find((b) => b.decision === source);
  const viaLoader = firstDecided?.next?.protocol === 'loader';
  const mechanism: FlowMechanism =
    source.place === 'upgradecode'
      ? 'gkdefault'
      : viaLoader
        ? 'loader'
        : source.place === 'os79xx'
          ? 'os79xx'
          : 'config';
  const to = decision.to;
  if (!to) return `${lower(firstApp)}-boot`;
  return lower(firstApp) === lower(to)
    ? `${lower(firstApp)}-upgrade-${mechanism}`
    : `${lower(firstApp)}-to-${lower(to)}-${mechanism}`;
}

/**
 * The image the root names, for a phone whose image is not known: config files first
 * (SEP<MAC>.cnf.xml or XMLDefault.cnf.xml, SIP<MAC>.cnf, SIPDefault.cnf), then OS79XX.TXT.
 * A loader name stands for its zip's SIP application.
 */
function namedImage(phone: PhoneSpec, lookup: TftpLookup): { image?: RunningImage; lookedFor: LookedFor[] } {
  const lookedFor: LookedFor[] = [];
  const read = <T>(
    file: string,
    parse: (content: string | Uint8Array) => T,
    source: (parsed: T) => ImageSource | undefined,
  ): { parsed?: T; source?: ImageSource } => {
    const answer = lookup(file);
    if (typeof answer === 'string') {
      lookedFor.push({ file, answer });
      return {};
    }
    const parsed = parse(answer.read());
    const found = source(parsed);
    lookedFor.push({ file, answer: 'found', ...(found ? {} : { namesNoImage: true }) });
    return { parsed, ...(found ? { source: found } : {}) };
  };
  const candidates: (ImageSource | undefined)[] = [];
  const xml = (file: string) =>
    read(
      file,
      (c) => parseSccpXml(c, file),
      (p) => loadInformationSource(p, phone.model),
    );
  const sep = phone.mac ? xml(expectedFileName('sep-xml', phone.mac)) : undefined;
  candidates.push(sep?.parsed ? sep.source : xml(expectedFileName('xml-default')).source);
  const sipDefaultName = expectedFileName('sip-default');
  const sipDefault = read(sipDefaultName, (c) => parseSipCnf(c, sipDefaultName), imageVersionSource);
  if (phone.mac) {
    const name = expectedFileName('sip-phone', phone.mac, sipDefault.parsed?.tftpCfgDir?.value);
    candidates.push(read(name, (c) => parseSipCnf(c, name), imageVersionSource).source);
  }
  candidates.push(sipDefault.source);
  const os79xxName = expectedFileName('os79xx');
  candidates.push(read(os79xxName, (c) => parseOs79xxTxt(c, os79xxName), os79xxSource).source);

  for (const source of candidates) {
    const image = applicationFor(source?.leadsTo);
    if (image) return { image, lookedFor };
  }
  return { lookedFor };
}
