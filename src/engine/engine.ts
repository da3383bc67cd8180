/**
 * The diagnosis engine: events go in as they arrive (`add`), and `analysis()` gives, at any
 * moment, each phone's timeline, what it runs and where it is going, and the findings with
 * their evidence, root causes first; `analysisInParts()` gives the same a phone at a time, for
 * `analyze` to write a site's phones without holding them all. Offline analysis
 * (input-events.ts) feeds the same engine from files. The analysis is derived from the whole
 * set of events, sorted by their position in their source, so it does not depend on the order
 * in which sources delivered them.
 */
import { formatVersion } from '../../parsers/firmware/image-name.js';
import { KINDS_OF_NO_HOST } from '../../parsers/server-log/events.js';
import { isoMillis } from '../../parsers/time/iso.js';
import type { EvidenceSource, Finding, PhoneRef } from '../findings/finding.js';
import { causalOrder } from '../findings/causal-order.js';
import { linkCauses, lowerFirst } from '../findings/causes.js';
import { catalogFinding } from '../findings/catalog-finding.js';
import { sortFindings } from '../findings/report.js';
import type { Report, ReportImage, ReportInput, ReportPhone, ReportRequest } from '../findings/report-schema.js';
import { W210_SIPDEFAULT_LIMIT_BYTES } from '../flows/assumptions.js';
import { imageLabel } from '../flows/phone.js';
import type { RunningImage } from '../flows/phone.js';
import type { FlowId } from '../flows/predict.js';
import { lintParsedRoot } from '../lint/lint.js';
import { withEvidenceCapped } from './evidence-cap.js';
import { FindingSet } from '../lint/finding-set.js';
import { acrossPhones } from './across-phones.js';
import type { AcrossPhones } from './across-phones.js';
import { evidenceAnchor, inParts } from './analysis.js';
import type { Analysis, AnalysisInParts, ClockAlignment, PhoneAnalysis, TimelineEntry } from './analysis.js';
import { accepted, bootStartTimes, bootsOf, imageOf, kindOf } from './boots.js';
import type { BootRecord, RunningKnowledge } from './boots.js';
import { ALIGNED_WITHIN_SECONDS } from './clocks.js';
import type { EngineEvent } from './events.js';
import { cutsStory, damageClause, damageFinding, damageOfPhone } from './damage.js';
import { ReportTally } from './report-tally.js';
import type { ReportTotals } from './report-tally.js';
import { otherModelOf } from './other-models.js';
import type { OtherModel } from './other-models.js';
import { InputLineCounter } from './input-lines.js';
import { buildModel, emptyStore, firstFrame } from './model.js';
import type { EngineOptions, EngineWindow, Model, PhoneRecord } from './model.js';
import { receivedFiles, targetOf } from './rules/context.js';
import type { ConsoleError, PhoneContext } from './rules/context.js';
import { EVIDENCE_RULES } from './rules/evidence.js';
import { FILE_RULES } from './rules/files.js';
import { FIRMWARE_RULES } from './rules/firmware.js';
import { NETWORK_RULES } from './rules/network.js';
import { visibleName } from './observations.js';
import { timelineOf } from './timeline.js';

export type { EngineOptions, EngineWindow } from './model.js';
export { LIVE_WINDOW } from './model.js';

const RULES = [...NETWORK_RULES, ...FILE_RULES, ...FIRMWARE_RULES, ...EVIDENCE_RULES];

export interface EngineSetup extends EngineOptions {
  readonly version: string;
  readonly inputs: readonly ReportInput[];
}

export class DiagnosisEngine {
  private readonly store = emptyStore();
  private readonly forgotten: Partial<Record<keyof EngineWindow, number>> = {};
  private readonly lines = new InputLineCounter();

  constructor(private readonly setup: EngineSetup) {}

  add(event: EngineEvent): void {
    const { store } = this;
    this.lines.count(event);
    if (event.kind === 'damage') {
      store.damage.set(event.file, { source: event.source, file: event.file, damage: event.damage });
      return;
    }
    if (event.source === 'capture') {
      let c = store.captures.get(event.file);
      if (!c) {
        c = { exchanges: [], transfers: [], arps: [], packets: [] };
        store.captures.set(event.file, c);
      }
      const { pending } = c;
      switch (event.kind) {
        case 'dhcp': {
          const { client, xid } = event.exchange;
          this.keep(c.exchanges, event.exchange, 'exchanges');
          if (pending) pending.exchanges = pending.exchanges.filter((x) => x.client !== client || x.xid !== xid);
          break;
        }
        case 'tftp': {
          const { id } = event.transfer;
          this.keep(c.transfers, event.transfer, 'transfers');
          if (pending) pending.transfers = pending.transfers.filter((t) => t.id !== id);
          break;
        }
        case 'pending':
          c.pending = { at: event.at, transfers: [...event.transfers], exchanges: [...event.exchanges] };
          break;
        case 'arp':
          this.keep(c.arps, { frame: event.arp.frame, mac: event.arp.mac, ip: event.arp.ip }, 'arps');
          break;
        case 'packet':
          this.keep(c.packets, event.packet, 'packets');
          break;
        case 'span':
          c.span = { first: event.first, last: event.last };
          break;
      }
      return;
    }
    if (event.source === 'console') {
      let c = store.consoles.get(event.file);
      if (!c) {
        c = { header: [], events: [] };
        store.consoles.set(event.file, c);
      }
      if (event.kind === 'console-header') c.header.push(event);
      else this.keep(c.events, event.event, 'consoleLines');
      return;
    }
    if (event.source === 'server-log') {
      const list = store.serverLogs.get(event.file) ?? [];
      if (!KINDS_OF_NO_HOST.has(event.event.kind)) this.keep(list, event.event, 'serverLines');
      store.serverLogs.set(event.file, list);
      return;
    }
    store.roots.set(event.file, event.root);
  }

  /**
   * Adds to a list; with a window, lets the oldest go in batches, so that adding stays cheap.
   * `analysis()` trims every list to its window exactly, so what it sees never swings with the batches.
   */
  private keep<T>(list: T[], item: T, kind: keyof EngineWindow): void {
    list.push(item);
    const cap = this.setup.window?.[kind];
    if (cap !== undefined && list.length > cap + Math.max(16, cap >> 3)) this.trim(list, kind);
  }

  /** Lets the oldest of a list go down to its window, and counts them. */
  private trim(list: unknown[], kind: keyof EngineWindow): void {
    const cap = this.setup.window?.[kind];
    if (cap === undefined || list.length <= cap) return;
    const excess = list.length - cap;
    list.splice(0, excess);
    this.forgotten[kind] = (this.forgotten[kind] ?? 0) + excess;
  }

  /** The analysis of every phone at once (the TUI, a ticket bundle). */
  analysis(): Analysis {
    if (!this.settle()) return this.rootOnly();
    const model = buildModel(this.store, this.setup);
    const records = [...model.records()];
    const site = this.siteOf(model, records);
    const phones = records.map((phone) => analysePhone(phone, site));
    const tally = new ReportTally(site.global);
    for (const p of phones) tally.addPhoneFindings(p.findings);
    const { summary, assumptions, findingsOfNoPhone } = tally.totals();
    return {
      report: {
        ...site.head,
        phones: phones.map((p) => p.phone),
        findings: [...phones.flatMap((p) => p.findings), ...site.global],
        summary,
        assumptions,
      },
      phones,
      clocks: model.clocks,
      findingsOfNoPhone,
      ...this.forgottenSoFar(),
    };
  }

  /**
   * The same analysis a phone at a time (`analyze`): each pass over the phones builds each
   * one's record and analysis as it is asked for, and a view lets it go once rendered.
   */
  analysisInParts(): AnalysisInParts {
    if (!this.settle()) return inParts(this.rootOnly());
    const model = buildModel(this.store, this.setup);
    const site = this.siteOf(model, model.records());
    return new PhoneByPhone(site, model.clocks, function* () {
      for (const phone of model.records()) yield analysePhone(phone, site);
    });
  }

  /** Sorts what was kept by position and trims it to its window; false when only a TFTP root was given. */
  private settle(): boolean {
    const { store } = this;
    for (const c of store.captures.values()) {
      this.trim(
        c.exchanges.sort((a, b) => firstFrame(a.frames) - firstFrame(b.frames)),
        'exchanges',
      );
      this.trim(
        c.transfers.sort((a, b) => firstFrame(a.frames.requests) - firstFrame(b.frames.requests) || a.id - b.id),
        'transfers',
      );
      this.trim(
        c.arps.sort((a, b) => a.frame - b.frame),
        'arps',
      );
      this.trim(
        c.packets.sort((a, b) => a.frame - b.frame),
        'packets',
      );
    }
    for (const c of store.consoles.values()) {
      c.header.sort((a, b) => a.line - b.line);
      this.trim(
        c.events.sort((a, b) => a.line - b.line),
        'consoleLines',
      );
    }
    for (const list of store.serverLogs.values())
      this.trim(
        list.sort((a, b) => a.line - b.line),
        'serverLines',
      );
    const observed = store.captures.size + store.consoles.size + store.serverLogs.size > 0;
    return observed || store.roots.size === 0;
  }

  /** What every phone's analysis shares: the model, what it must know of the other phones, and the findings about no phone. */
  private siteOf(model: Model, records: Iterable<PhoneRecord>): Site {
    const { setup, store } = this;
    const across = acrossPhones(model, records);
    const global = [
      ...clockFindings(
        model.clocks.filter((c) => c.source === 'server-log'),
        undefined,
      ),
      ...model.damage.filter((d) => !across.damageOfPhones.has(d)).map((d) => damageFinding(d)),
      ...this.lines.findings(setup.inputs),
    ];
    const inputs = this.lines.inputs(setup.inputs).map((input) => {
      const damage = store.damage.get(input.path);
      return damage && damage.source === input.kind ? { ...input, damage: damage.damage } : input;
    });
    return {
      model,
      across,
      w210LimitBytes: setup.w210LimitBytes ?? W210_SIPDEFAULT_LIMIT_BYTES,
      head: { tool: 'phonedoc', version: setup.version, command: 'analyze', inputs },
      global,
    };
  }

  private forgottenSoFar(): Pick<Analysis, 'forgotten'> {
    return Object.keys(this.forgotten).length ? { forgotten: { ...this.forgotten } } : {};
  }

  /** A TFTP root alone: what each phone will ask for it (the lint's prediction), per MAC the root names. */
  private rootOnly(): Analysis {
    const { setup } = this;
    const findings: Finding[] = [];
    // Findings by the phone they name (undefined: none), kept as they come: a site's root predicts a phone per file.
    const byMac = new Map<string | undefined, Finding[]>();
    const phones: PhoneAnalysis[] = [];
    for (const parsed of [...this.store.roots.values()]) {
      const macs = setup.phone
        ? [setup.phone]
        : [
            ...new Map(
              [...parsed.names.values()].flatMap((n) => (n.mac ? [[n.mac.canonical, n.mac] as const] : [])),
            ).values(),
          ];
      const result = lintParsedRoot(parsed, { macs });
      for (const f of result.findings) {
        findings.push(f);
        const mac = f.phone?.mac;
        const list = byMac.get(mac);
        if (list) list.push(f);
        else byMac.set(mac, [f]);
      }
      for (const phone of result.phones) {
        const own = sortFindings(byMac.get(phone.mac) ?? []);
        phones.push({
          phone,
          verdict: predictedVerdict(phone, own),
          timeline: [],
          findings: own,
          placed: causalOrder(own),
          frames: [],
        });
      }
    }
    const ofPhones = new Set(phones.flatMap((p) => p.findings));
    return {
      report: report(
        setup,
        phones.map((p) => p.phone),
        findings,
      ),
      phones,
      clocks: [],
      findingsOfNoPhone: causalOrder(findings.filter((f) => !ofPhones.has(f))),
    };
  }
}

function imageName(image: ReportImage): string {
  return `${image.protocol} ${image.version}`;
}

/** What every phone's analysis shares. */
interface Site {
  readonly model: Model;
  readonly across: AcrossPhones;
  readonly w210LimitBytes: number;
  readonly head: AnalysisInParts['report'];
  /** Findings about no phone: a server log's clock, damage no phone's evidence comes from, lines not understood. */
  readonly global: readonly Finding[];
}

/** The analysis in parts, each pass over the phones analysing them anew; the totals are counted on the first pass that ends. */
class PhoneByPhone implements AnalysisInParts {
  readonly report: AnalysisInParts['report'];
  readonly phoneCount: number;
  private counted: ReportTotals | undefined;

  constructor(
    private readonly site: Site,
    readonly clocks: readonly ClockAlignment[],
    private readonly analyse: () => Iterable<PhoneAnalysis>,
  ) {
    this.report = site.head;
    this.phoneCount = site.across.phoneCount;
  }

  *phones(): Generator<PhoneAnalysis> {
    const tally = this.counted ? undefined : new ReportTally(this.site.global);
    for (const phone of this.analyse()) {
      tally?.addPhoneFindings(phone.findings);
      yield phone;
    }
    if (tally) this.counted = tally.totals();
  }

  *findings(): Generator<Finding> {
    for (const phone of this.phones()) yield* phone.findings;
    yield* this.site.global;
  }

  totals(): ReportTotals {
    if (!this.counted) for (const phone of this.phones()) void phone;
    return this.counted ?? new ReportTally(this.site.global).totals();
  }
}

function analysePhone(phone: PhoneRecord, site: Site): PhoneAnalysis {
  const { model } = site;
  const ref: PhoneRef = {
    ...(phone.mac ? { mac: phone.mac.canonical } : {}),
    ...(phone.ips[0] ? { ip: phone.ips[0] } : {}),
  };
  const damage = damageOfPhone(phone, model);
  const boots = bootsOf(phone, cutsStory(damage));
  const received = receivedFiles(phone, model.roots);
  const target = targetOf(boots, received);
  const consoleErrors: ConsoleError[] = phone.console.flatMap(({ file, event, time }) =>
    event.kind === 'error'
      ? [
          {
            code: event.code,
            text: event.message || event.raw.trim(),
            ...(time !== undefined ? { time } : {}),
            evidence: {
              source: 'console' as const,
              file,
              line: event.line,
              ...(event.hostTime !== undefined ? { time: isoMillis(event.hostTime) } : {}),
              text: event.raw.trim(),
            },
          },
        ]
      : [],
  );
  const context: PhoneContext = {
    phone,
    ref,
    model,
    boots,
    start: boots[0]?.running,
    ...(target ? { target } : {}),
    received,
    consoleErrors,
    damage,
    w210LimitBytes: site.w210LimitBytes,
    across: site.across,
  };
  const clocks = clockFindings(
    model.clocks.filter((c) => c.source === 'console' && phone.console.some((e) => e.file === c.file)),
    ref,
  );
  const frames = phoneFrames(phone);
  const { given } = site.across;
  const other = otherModelOf(phone);
  if (other) return notCovered(phone, context, other, clocks, frames, given);
  const set = new FindingSet();
  for (const rule of RULES) for (const { key, finding } of rule(context)) set.add(key, finding);
  const found = linkCauses(withEvidenceCapped([...set.list(), ...clocks]), given);
  const timeline = timelineOf(phone, found);
  const findings = withTimelineTimes(found, timeline);
  const reportPhone = reportPhoneOf(phone, boots, context);
  return {
    phone: reportPhone,
    verdict: verdictText(
      startLabel(context.start),
      target ? imageLabel(target.image) : undefined,
      findings,
      findings.some((f) => f.id === 'CONVERSION_SUCCEEDED'),
      reportPhone.lastStep,
      stoppedAt(boots),
      damage.map(damageClause),
    ),
    timeline,
    findings,
    placed: causalOrder(findings),
    frames,
    bootStarts: bootStartTimes(phone, boots),
  };
}

/** The capture frames of the phone's requests, exchanges and packets, each once, in order (no list of them all before the set). */
function phoneFrames(phone: PhoneRecord): number[] {
  const frames = new Set<number>();
  for (const r of phone.requests) for (const f of r.frames) frames.add(f);
  for (const { exchange } of phone.exchanges) for (const f of exchange.frames) frames.add(f);
  for (const { packet } of phone.packets) frames.add(packet.frame);
  return [...frames].sort((a, b) => a - b);
}

/** A Cisco phone of another model: said once, with what is known of the evidence, and no 7940/7960 rule applied. */
function notCovered(
  phone: PhoneRecord,
  context: PhoneContext,
  other: OtherModel,
  clocks: readonly Finding[],
  frames: readonly number[],
  given: ReadonlySet<EvidenceSource>,
): PhoneAnalysis {
  const { ref, damage } = context;
  const found = linkCauses(
    [
      catalogFinding('PHONE_NOT_COVERED', {
        phone: ref,
        evidence: [other.evidence],
        detail: `The evidence shows ${other.name}.`,
      }),
      ...damage.map((d) => damageFinding(d, ref)),
      ...clocks,
    ],
    given,
  );
  const timeline = timelineOf(phone, found);
  const findings = withTimelineTimes(found, timeline);
  const requests: ReportRequest[] = phone.requests.flatMap((r) =>
    r.answer === 'unknown' ? [] : [{ file: r.file, answer: r.answer, predicted: false }],
  );
  const lastStep = `Not a 7940/7960: ${other.name}; not judged by the 7940/7960 rules.`;
  return {
    phone: {
      ...(phone.mac ? { mac: phone.mac.canonical } : {}),
      ...(phone.ips[0] ? { ip: phone.ips[0] } : {}),
      lastStep,
      requests,
    },
    verdict: `${other.name}: not a 7940/7960, so not judged by the 7940/7960 rules${damage.length ? `; ${damage.map(damageClause).join('; ')}` : ''}`,
    timeline,
    findings,
    placed: causalOrder(findings),
    frames,
  };
}

/**
 * Log and console evidence at the time its timeline entry shows (on the reference clock, a
 * whole-second line placed at the event it matched), so one event never shows two times.
 */
function withTimelineTimes(findings: readonly Finding[], timeline: readonly TimelineEntry[]): Finding[] {
  const times = new Map(
    timeline.flatMap((e) => (e.time !== undefined && e.source !== 'capture' ? [[e.anchor, e.time] as const] : [])),
  );
  return findings.map((f) => {
    if (!f.evidence.some((e) => times.has(evidenceAnchor(e)))) return f;
    return {
      ...f,
      evidence: f.evidence.map((e) => {
        const time = times.get(evidenceAnchor(e));
        return time === undefined ? e : { ...e, time: isoMillis(time) };
      }),
    };
  });
}

function clockFindings(clocks: readonly ClockAlignment[], phone: PhoneRef | undefined): Finding[] {
  return clocks
    .filter(
      (c) =>
        (c.method === 'override' && c.offsetSeconds !== 0) ||
        ((c.method === 'matched-events' || c.method === 'screen-states') &&
          Math.abs(c.offsetSeconds) >= ALIGNED_WITHIN_SECONDS),
    )
    .map((c) =>
      catalogFinding('CLOCKS_UNALIGNED', {
        ...(phone ? { phone } : {}),
        evidence: [{ source: c.source, file: c.file, text: c.detail }],
        detail: `${c.file}: ${c.detail}.`,
      }),
    );
}

function startLabel(start: RunningKnowledge | undefined): string {
  if (start?.image) return imageLabel(start.image);
  if (start?.protocol) return `${start.protocol} (version not known)`;
  if (start?.era === 'loader-era') return 'a loader-era image (SCCP 6.x+ or SIP 7.x+)';
  if (start?.era === 'pre-loader') return 'an image before the loader era';
  return 'an unknown image';
}

/**
 * One line: `SCCP 8.1(2) → SIP 8.12: stopped, <root cause>`. With damaged inputs, what is
 * unknown after the damage follows (`damage`: one clause each).
 */
function verdictText(
  from: string,
  to: string | undefined,
  findings: readonly Finding[],
  converted: boolean,
  lastStep: string | undefined,
  stoppedAt?: string,
  damage: readonly string[] = [],
): string {
  const root =
    findings.find((f) => f.severity === 'error' && !f.causedBy) ??
    rootCauseOf(
      findings.find((f) => f.severity === 'error'),
      findings,
    );
  const head = to ? `${from} → ${to}` : from;
  const unknown = damage.length ? `; ${damage.join('; ')}` : '';
  if (root) return `${head}: stopped, ${lowerFirst(root.title)}${stoppedAt ? ` (${stoppedAt})` : ''}${unknown}`;
  if (converted) return `${head}: converted${unknown}`;
  const warning = findings.find((f) => f.severity === 'warning' && !f.causedBy && f.id !== 'INPUT_DAMAGED');
  const end = warning
    ? warning.title
    : lastStep
      ? lastStep.replace(/\.$/, '')
      : damage.length
        ? 'no problem seen in what could be read'
        : 'no problem found';
  const untold = damage.filter((clause) => !end.includes(clause));
  return `${head}: ${warning ? 'warning, ' : ''}${lowerFirst(end)}${untold.length ? `; ${untold.join('; ')}` : ''}`;
}

/** The finding at the start of `f`'s chain of causes (an error may follow from a warning: no lines, then Unprovisioned). */
function rootCauseOf(f: Finding | undefined, findings: readonly Finding[]): Finding | undefined {
  const seen = new Set<Finding>();
  for (let at = f; at; ) {
    const cause = at.causedBy;
    if (!cause || seen.has(at)) return at;
    seen.add(at);
    at = findings.find((c) => c.id === cause);
  }
  return f;
}

/** What the TFTP root predicts, worded as a prediction: `if a 7960 boots now (SCCP 8.1(2) → SIP 8.12) it is expected to stop: …`. */
function predictedVerdict(phone: ReportPhone, findings: readonly Finding[]): string {
  const from = phone.running ? imageName(phone.running) : 'its image';
  const path = phone.target ? `${from} → ${imageName(phone.target)}` : from;
  const root = findings.find((f) => f.severity === 'error' && !f.causedBy);
  const warning = findings.find((f) => f.severity === 'warning' && !f.causedBy);
  const outcome = root
    ? `is expected to stop: ${lowerFirst(root.title)}`
    : warning
      ? `is expected to go on, with a warning: ${lowerFirst(warning.title)}`
      : 'is expected to go through: no problem found in the TFTP root';
  return `if a ${phone.model ?? '7940/7960'} boots now (${path}) it ${outcome}`;
}

function reportImage(image: RunningImage | undefined): ReportImage | undefined {
  return image
    ? { protocol: image.protocol, version: formatVersion(image.version, image.protocol), image: image.image }
    : undefined;
}

type Proto = 'sip' | 'sccp';

function flowOf(context: PhoneContext): FlowId | undefined {
  const from = context.start?.image?.protocol ?? context.start?.protocol;
  const lower = (p: string | undefined): Proto | undefined => (p === 'SIP' ? 'sip' : p === 'SCCP' ? 'sccp' : undefined);
  const a = lower(from);
  if (context.phone.requests.length === 0) return undefined;
  if (!context.target) return a ? `${a}-boot` : undefined;
  const b = lower(context.target.image.protocol);
  // What named the first image asked for: the config file served just before it in that boot.
  let mechanism: 'os79xx' | 'config' | 'loader' | 'gkdefault' = 'config';
  for (const boot of context.boots) {
    const i = boot.requests.findIndex((r) => imageOf(r.file));
    const asked = boot.requests[i];
    const image = asked && imageOf(asked.file);
    if (!image) continue;
    const before = boot.requests
      .slice(0, i)
      .reverse()
      .find((r) => r.answer === 'found');
    const kind = before ? kindOf(before.file) : undefined;
    mechanism =
      image.role === 'loader'
        ? 'loader'
        : kind === 'os79xx'
          ? 'os79xx'
          : kind === 'gkdefault-cfg'
            ? 'gkdefault'
            : 'config';
    break;
  }
  if (!a || !b) return undefined;
  return a === b ? `${a}-upgrade-${mechanism}` : `${a}-to-${b}-${mechanism}`;
}

/** The last request, when it is what the phone stopped on: `P0S3-8-12-00.sb2 not found`. */
function stoppedAt(boots: readonly BootRecord[]): string | undefined {
  const requests = boots[boots.length - 1]?.requests ?? [];
  const last = requests[requests.length - 1];
  if (!last || last.answer === 'found' || last.answer === 'unknown') return undefined;
  return `${visibleName(last.file)} ${ANSWER_WORDS[last.answer]}`;
}

const ANSWER_WORDS = {
  'not-found': 'not found',
  denied: 'refused',
  'too-large': 'too large',
  failed: 'failed',
  'no-answer': 'got no answer',
} as const;

function lastStepOf(boots: readonly BootRecord[], context: PhoneContext): string | undefined {
  const last = boots[boots.length - 1];
  const shown = context.consoleErrors[context.consoleErrors.length - 1];
  const n = `${boots.length} boot${boots.length === 1 ? '' : 's'}`;
  if (!last || last.requests.length === 0)
    return shown
      ? `Shows "${shown.text}".`
      : context.phone.exchanges.length
        ? 'No TFTP request seen after DHCP.'
        : undefined;
  const request = last.requests[last.requests.length - 1];
  const tail = shown ? `; the phone shows "${shown.text}"` : '';
  // Cut short by a damaged input: where the evidence ends, not where the phone settled.
  if (cutsStory(context.damage))
    return `Last seen in boot ${boots.length}: ${request ? `${visibleName(request.file)} ${request.answer === 'found' ? 'served' : request.answer === 'unknown' ? 'requested' : ANSWER_WORDS[request.answer]}` : 'no request'}${tail}; ${context.damage.map(damageClause).join('; ')}.`;
  if (last.fetched && !accepted(boots, last))
    return `Fetched ${last.fetched.request.file} in boot ${boots.length}; no boot on it is seen${tail}.`;
  if (request && request.answer !== 'found' && request.answer !== 'unknown')
    return `Stops after ${n}: ${visibleName(request.file)} ${ANSWER_WORDS[request.answer]}${tail}.`;
  const runs = last.running.image ? `runs ${imageLabel(last.running.image)}` : 'boots';
  return `${runs.charAt(0).toUpperCase()}${runs.slice(1)} after ${n}; last request ${request?.file ?? 'none'}${tail}.`;
}

function reportPhoneOf(phone: PhoneRecord, boots: readonly BootRecord[], context: PhoneContext): ReportPhone {
  const running = reportImage(context.start?.image);
  const target = reportImage(context.target?.image);
  const flow = flowOf(context);
  const lastStep = lastStepOf(boots, context);
  // A request whose answer no source shows (a console line alone, a log without outcome lines) is in the timeline only.
  const requests: ReportRequest[] = phone.requests.flatMap((r) =>
    r.answer === 'unknown' ? [] : [{ file: r.file, answer: r.answer, predicted: false }],
  );
  return {
    ...(phone.mac ? { mac: phone.mac.canonical } : {}),
    ...(phone.ips[0] ? { ip: phone.ips[0] } : {}),
    ...(phone.model ? { model: phone.model } : {}),
    ...(running ? { running } : {}),
    ...(target ? { target } : {}),
    ...(flow ? { flow } : {}),
    ...(lastStep ? { lastStep } : {}),
    requests,
  };
}

function report(setup: EngineSetup, phones: readonly ReportPhone[], findings: readonly Finding[]): Report {
  const { summary, assumptions } = new ReportTally(findings).totals();
  return {
    tool: 'phonedoc',
    version: setup.version,
    command: 'analyze',
    inputs: setup.inputs,
    phones,
    findings,
    summary,
    assumptions,
  };
}
