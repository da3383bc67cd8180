/**
 * The diagnosis engine: events go in as they arrive (`add`), and `analysis()` gives, at any
 * moment, each phone's timeline, what it runs and where it is going, and the findings with
 * their evidence, root causes first. Offline analysis (offline.ts) feeds the same engine from
 * files. The analysis is derived from the whole set of events, sorted by their position in
 * their source, so it does not depend on the order in which sources delivered them.
 */
import { formatVersion } from '../../parsers/firmware/image-name.js';
import type { Finding, PhoneRef } from '../findings/finding.js';
import { catalogFinding, sortFindings, summarize } from '../findings/report.js';
import type { Report, ReportImage, ReportInput, ReportPhone, ReportRequest } from '../findings/report-schema.js';
import { ASSUMPTIONS } from '../flows/assumptions.js';
import { imageLabel } from '../flows/phone.js';
import type { RunningImage } from '../flows/phone.js';
import type { FlowId } from '../flows/predict.js';
import { lintTftpRoot } from '../lint/lint.js';
import { FindingSet } from '../lint/finding-set.js';
import type { Analysis, ClockAlignment, PhoneAnalysis } from './analysis.js';
import { accepted, bootsOf, imageOf, kindOf } from './boots.js';
import type { BootRecord, RunningKnowledge } from './boots.js';
import { ALIGNED_WITHIN_SECONDS } from './clocks.js';
import type { EngineEvent } from './events.js';
import { buildModel, emptyStore } from './model.js';
import type { EngineOptions, EngineWindow, Model, PhoneRecord } from './model.js';
import { receivedFiles, targetOf } from './rules/context.js';
import type { ConsoleError, PhoneContext } from './rules/context.js';
import { EVIDENCE_RULES } from './rules/evidence.js';
import { FILE_RULES } from './rules/files.js';
import { causesOf, FIRMWARE_RULES } from './rules/firmware.js';
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

  constructor(private readonly setup: EngineSetup) {}

  add(event: EngineEvent): void {
    const { store } = this;
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
        case 'pending': c.pending = { at: event.at, transfers: [...event.transfers], exchanges: [...event.exchanges] }; break;
        case 'arp': this.keep(c.arps, { frame: event.arp.frame, mac: event.arp.mac, ip: event.arp.ip }, 'arps'); break;
        case 'packet': this.keep(c.packets, event.packet, 'packets'); break;
        case 'span': c.span = { first: event.first, last: event.last }; break;
      }
      return;
    }
    if (event.source === 'console') {
      let c = store.consoles.get(event.file);
      if (!c) {
        c = { header: [], events: [] };
        store.consoles.set(event.file, c);
      }
      if (event.kind === 'console-header') c.header.push({ line: event.line, text: event.text, fields: event.fields });
      else this.keep(c.events, event.event, 'consoleLines');
      return;
    }
    if (event.source === 'server-log') {
      const list = store.serverLogs.get(event.file) ?? [];
      this.keep(list, event.event, 'serverLines');
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

  analysis(): Analysis {
    const { store, setup } = this;
    for (const c of store.captures.values()) {
      this.trim(c.exchanges.sort((a, b) => a.frames[0]! - b.frames[0]!), 'exchanges');
      this.trim(c.transfers.sort((a, b) => a.frames.requests[0]! - b.frames.requests[0]! || a.id - b.id), 'transfers');
      this.trim(c.arps.sort((a, b) => a.frame - b.frame), 'arps');
      this.trim(c.packets.sort((a, b) => a.frame - b.frame), 'packets');
    }
    for (const c of store.consoles.values()) {
      c.header.sort((a, b) => a.line - b.line);
      this.trim(c.events.sort((a, b) => a.line - b.line), 'consoleLines');
    }
    for (const list of store.serverLogs.values()) this.trim(list.sort((a, b) => a.line - b.line), 'serverLines');

    const observed = store.captures.size + store.consoles.size + store.serverLogs.size > 0;
    if (!observed && store.roots.size > 0) return this.rootOnly();

    const model = buildModel(store, setup);
    const phones = model.phones.map((phone) => analysePhone(phone, model));
    const global = clockFindings(model.clocks.filter((c) => c.source === 'server-log'), undefined);
    const findings = [...phones.flatMap((p) => p.findings), ...global];
    return {
      report: report(setup, phones.map((p) => p.phone), findings),
      phones,
      clocks: model.clocks,
      ...(Object.keys(this.forgotten).length ? { forgotten: { ...this.forgotten } } : {}),
    };
  }

  /** A TFTP root alone: what each phone will ask for it (the lint's prediction), per MAC the root names. */
  private rootOnly(): Analysis {
    const { setup } = this;
    const findings: Finding[] = [];
    const phones: PhoneAnalysis[] = [];
    for (const parsed of [...this.store.roots.values()]) {
      const macs = setup.phone ? [setup.phone] : [...new Map([...parsed.names.values()].flatMap((n) => (n.mac ? [[n.mac.canonical, n.mac] as const] : []))).values()];
      const result = lintTftpRoot(parsed.root.dir, { macs });
      findings.push(...result.findings);
      result.phones.forEach((phone) => {
        const own = sortFindings(findings.filter((f) => f.phone?.mac === phone.mac));
        phones.push({ phone, verdict: predictedVerdict(phone, own), timeline: [], findings: own, frames: [] });
      });
    }
    return { report: report(setup, phones.map((p) => p.phone), findings), phones, clocks: [] };
  }
}

function imageName(image: ReportImage): string {
  return `${image.protocol} ${image.version}`;
}

function analysePhone(phone: PhoneRecord, model: Model): PhoneAnalysis {
  const ref: PhoneRef = { ...(phone.mac ? { mac: phone.mac.canonical } : {}), ...(phone.ips[0] ? { ip: phone.ips[0] } : {}) };
  const boots = bootsOf(phone);
  const received = receivedFiles(phone, model.roots);
  const target = targetOf(boots, received);
  const consoleErrors: ConsoleError[] = phone.console.flatMap(({ file, event, time }) => event.kind === 'error'
    ? [{ code: event.code, ...(time !== undefined ? { time } : {}), evidence: { source: 'console' as const, file, line: event.line, ...(event.hostTime ? { time: event.hostTime } : {}), text: event.raw.trim() } }]
    : []);
  const context: PhoneContext = { phone, ref, model, boots, start: boots[0]?.running, ...(target ? { target } : {}), received, consoleErrors };
  const set = new FindingSet();
  for (const rule of RULES) for (const { key, finding } of rule(context)) set.add(key, finding);
  const clocks = clockFindings(model.clocks.filter((c) => c.source === 'console' && phone.console.some((e) => e.file === c.file)), ref);
  const findings = rootCausesFirst([...set.list(), ...clocks]);
  const reportPhone = reportPhoneOf(phone, boots, context);
  const frames = [...new Set([...phone.requests.flatMap((r) => r.frames), ...phone.exchanges.flatMap(({ exchange }) => exchange.frames), ...phone.packets.map(({ packet }) => packet.frame)])].sort((a, b) => a - b);
  return {
    phone: reportPhone,
    verdict: verdictText(startLabel(context.start), target ? imageLabel(target.image) : undefined, findings, findings.some((f) => f.id === 'CONVERSION_SUCCEEDED'), reportPhone.lastStep, stoppedAt(boots)),
    timeline: timelineOf(phone, findings),
    findings,
    frames,
  };
}

/**
 * Findings the phone showed point at the finding that explains them; a consequence whose
 * cause is not reported loses the pointer. Roots come first, each followed by its consequences.
 */
function rootCausesFirst(findings: readonly Finding[]): Finding[] {
  const ids = new Set(findings.map((f) => f.id));
  const linked = findings.map((f): Finding => {
    const cause = f.causedBy ?? causesOf(f.id).find((c) => ids.has(c) && c !== f.id);
    if (cause && ids.has(cause) && cause !== f.id) return { ...f, causedBy: cause };
    const { causedBy: _dropped, ...rest } = f;
    return rest;
  });
  const roots = sortFindings(linked.filter((f) => !f.causedBy));
  const out: Finding[] = [];
  const place = (f: Finding): void => {
    if (out.includes(f)) return;
    out.push(f);
    for (const c of sortFindings(linked.filter((x) => x.causedBy === f.id))) place(c);
  };
  roots.forEach(place);
  for (const f of sortFindings(linked)) place(f); // a cycle of causes: keep every finding
  return out;
}

function clockFindings(clocks: readonly ClockAlignment[], phone: PhoneRef | undefined): Finding[] {
  return clocks.filter((c) => (c.method === 'override' && c.offsetSeconds !== 0) || (c.method === 'matched-events' && Math.abs(c.offsetSeconds) >= ALIGNED_WITHIN_SECONDS))
    .map((c) => catalogFinding('CLOCKS_UNALIGNED', {
      ...(phone ? { phone } : {}),
      evidence: [{ source: c.source, file: c.file, text: c.detail }],
      detail: `${c.file}: ${c.detail}.`,
    }));
}

function startLabel(start: RunningKnowledge | undefined): string {
  if (start?.image) return imageLabel(start.image);
  if (start?.protocol) return `${start.protocol} (version not known)`;
  if (start?.era === 'loader-era') return 'a loader-era image (SCCP 6.x+ or SIP 7.x+)';
  if (start?.era === 'pre-loader') return 'an image before the loader era';
  return 'an unknown image';
}

/** One line: `SCCP 8.1(2) → SIP 8.12: stopped, <root cause>`. */
function verdictText(from: string, to: string | undefined, findings: readonly Finding[], converted: boolean, lastStep: string | undefined, stoppedAt?: string): string {
  const root = findings.find((f) => f.severity === 'error' && !f.causedBy);
  const head = to ? `${from} → ${to}` : from;
  if (root) return `${head}: stopped, ${inSentence(root.title)}${stoppedAt ? ` (${stoppedAt})` : ''}`;
  if (converted) return `${head}: converted`;
  const warning = findings.find((f) => f.severity === 'warning' && !f.causedBy);
  const end = warning ? warning.title : lastStep ? lastStep.replace(/\.$/, '') : 'no problem found';
  return `${head}: ${warning ? 'warning, ' : ''}${inSentence(end)}`;
}

/** What the TFTP root predicts, worded as a prediction: `if a 7960 boots now (SCCP 8.1(2) → SIP 8.12) it is expected to stop: …`. */
function predictedVerdict(phone: ReportPhone, findings: readonly Finding[]): string {
  const from = phone.running ? imageName(phone.running) : 'its image';
  const path = phone.target ? `${from} → ${imageName(phone.target)}` : from;
  const root = findings.find((f) => f.severity === 'error' && !f.causedBy);
  const warning = findings.find((f) => f.severity === 'warning' && !f.causedBy);
  const outcome = root ? `is expected to stop: ${inSentence(root.title)}` : warning ? `is expected to go on, with a warning: ${inSentence(warning.title)}` : 'is expected to go through: no problem found in the TFTP root';
  return `if a ${phone.model ?? '7940/7960'} boots now (${path}) it ${outcome}`;
}

/** A title inside a sentence: `The phone…` → `the phone…`, but `OS79XX.TXT…` stays. */
function inSentence(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

function reportImage(image: RunningImage | undefined): ReportImage | undefined {
  return image ? { protocol: image.protocol, version: formatVersion(image.version, image.protocol), image: image.image } : undefined;
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
    if (i < 0) continue;
    const image = imageOf(boot.requests[i]!.file)!;
    const before = boot.requests.slice(0, i).reverse().find((r) => r.answer === 'found');
    const kind = before ? kindOf(before.file) : undefined;
    mechanism = image.role === 'loader' ? 'loader' : kind === 'os79xx' ? 'os79xx' : kind === 'gkdefault-cfg' ? 'gkdefault' : 'config';
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

const ANSWER_WORDS = { 'not-found': 'not found', denied: 'refused', 'too-large': 'too large', failed: 'failed', 'no-answer': 'got no answer' } as const;

function lastStepOf(boots: readonly BootRecord[], context: PhoneContext): string | undefined {
  const last = boots[boots.length - 1];
  const shown = context.consoleErrors[context.consoleErrors.length - 1];
  const n = `${boots.length} boot${boots.length === 1 ? '' : 's'}`;
  if (!last || last.requests.length === 0) return shown ? `Shows "${shown.evidence.text}".` : context.phone.exchanges.length ? 'No TFTP request seen after DHCP.' : undefined;
  const request = last.requests[last.requests.length - 1];
  const tail = shown ? `; the phone shows "${shown.evidence.text}"` : '';
  if (last.fetched && !accepted(boots, last)) return `Fetched ${last.fetched.request.file} in boot ${boots.length}; no boot on it is seen${tail}.`;
  if (request && request.answer !== 'found' && request.answer !== 'unknown') return `Stops after ${n}: ${visibleName(request.file)} ${ANSWER_WORDS[request.answer]}${tail}.`;
  const runs = last.running.image ? `runs ${imageLabel(last.running.image)}` : 'boots';
  return `${runs.charAt(0).toUpperCase()}${runs.slice(1)} after ${n}; last request ${request?.file ?? 'none'}${tail}.`;
}

function reportPhoneOf(phone: PhoneRecord, boots: readonly BootRecord[], context: PhoneContext): ReportPhone {
  const running = reportImage(context.start?.image);
  const target = reportImage(context.target?.image);
  const flow = flowOf(context);
  const lastStep = lastStepOf(boots, context);
  // A request whose answer no source shows (a console line alone, a log without outcome lines) is in the timeline only.
  const requests: ReportRequest[] = phone.requests.flatMap((r) => (r.answer === 'unknown' ? [] : [{ file: r.file, answer: r.answer, predicted: false }]));
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
  const explanations = findings.map((f) => f.explanation).join('\n');
  const assumptions = Object.entries(ASSUMPTIONS).filter(([, text]) => explanations.includes(text)).map(([id, text]) => ({ id, text }));
  return {
    tool: 'phonedoc', version: setup.version, command: 'analyze',
    inputs: setup.inputs, phones, findings, summary: summarize(findings), assumptions,
  };
}
