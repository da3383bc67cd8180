/**
 * From the stored events to one record per phone: who it is (DHCP client MAC, the MAC in the
 * file names it asks for, IP through DHCP and ARP, the console recording's header), the
 * clocks lined up, and its TFTP requests merged across capture, server log and console.
 * Hosts that never ask for a phone's file nor present themselves as a Cisco IP phone in
 * DHCP are not phones: their traffic is ignored.
 *
 * Everything is recomputed from the whole set of events and sorted by position, so the
 * result does not depend on the order in which sources delivered them.
 */
import { timestampSeconds } from '../../parsers/capture/frame.js';
import type { ConsoleEvent } from '../../parsers/console/events.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import { classifyFileName, parseMac } from '../../parsers/provisioning/file-names.js';
import type { Mac } from '../../parsers/provisioning/file-names.js';
import type { PhoneModel } from '../../parsers/provisioning/sccp-xml.js';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import type { Evidence } from '../findings/finding.js';
import type { ParsedRoot } from '../lint/parsed-root.js';
import type { ClockAlignment } from './analysis.js';
import { alignSource, MATCH_TOLERANCE_SECONDS, phoneDayTimes, type ClockMark } from './clocks.js';
import type { PacketSighting } from './events.js';
import { fromConsoleRequest, fromServerLog, fromTransfer, type ObservedRequest } from './observations.js';

export interface EngineOptions {
  /** Seconds added to console times (--console-offset): overrides the alignment. */
  readonly consoleOffsetSeconds?: number;
  /** Seconds added to server-log times (--log-offset). */
  readonly logOffsetSeconds?: number;
  /** Only this phone (--phone). */
  readonly phone?: Mac;
  /** A long live session keeps only the newest events of each kind (its session files keep them all). */
  readonly window?: EngineWindow;
}

/** How many of each kind of event the engine keeps; `Analysis.forgotten` counts the older ones let go. */
export interface EngineWindow {
  readonly consoleLines: number;
  readonly serverLines: number;
  readonly transfers: number;
  readonly exchanges: number;
  readonly packets: number;
  readonly arps: number;
}

/**
 * The bench TUI's window: a phone's conversion is a few boots of some hundred console lines
 * and some dozen requests, so this holds many boots (a SIP boot asks for about ten files)
 * while keeping each analysis within some tens of milliseconds.
 */
export const LIVE_WINDOW: EngineWindow = { consoleLines: 2000, serverLines: 2000, transfers: 300, exchanges: 100, packets: 5000, arps: 200 };

/** What the engine keeps of one capture. */
export interface CaptureStore {
  exchanges: DhcpExchange[];
  transfers: TftpTransfer[];
  arps: { frame: number; mac: string; ip: string }[];
  packets: PacketSighting[];
  span?: { first: number; last: number };
  /** A live capture's transfers under way and exchanges not settled, at capture time `at`. */
  pending?: { at: number; transfers: TftpTransfer[]; exchanges: DhcpExchange[] };
}

/** What the engine keeps of each source. */
export interface Store {
  readonly captures: Map<string, CaptureStore>;
  readonly consoles: Map<string, { header: { line: number; text: string; fields: Readonly<Record<string, string>> }[]; events: ConsoleEvent[] }>;
  readonly serverLogs: Map<string, ServerLogEvent[]>;
  readonly roots: Map<string, ParsedRoot>;
}

export function emptyStore(): Store {
  return { captures: new Map(), consoles: new Map(), serverLogs: new Map(), roots: new Map() };
}

export interface PhoneRequest extends ObservedRequest {
  /** Seconds on the reference clock, when known. */
  readonly time?: number;
}

export interface TimedConsoleEvent {
  readonly file: string;
  readonly event: ConsoleEvent;
  readonly time?: number;
}

export interface TimedServerEvent {
  readonly file: string;
  readonly event: ServerLogEvent;
  readonly time?: number;
}

export interface PhoneRecord {
  readonly key: string;
  readonly mac?: Mac;
  readonly ips: readonly string[];
  readonly model?: PhoneModel;
  readonly modelEvidence?: Evidence;
  /** `image=` of a phonedoc console recording's header: what the recorder was told the phone runs. */
  readonly declaredImage?: { readonly name: string; readonly evidence: Evidence };
  readonly exchanges: readonly { readonly file: string; readonly exchange: DhcpExchange }[];
  readonly requests: readonly PhoneRequest[];
  readonly console: readonly TimedConsoleEvent[];
  readonly serverLines: readonly TimedServerEvent[];
  /** Lines the engineer sent to the phone and markers, from the console recording (`# phonedoc console sent|marker`). */
  readonly notes: readonly ConsoleNoteRecord[];
  /** The DHCP/TFTP datagrams from or to the phone's addresses (every DATA and ACK, for the per-phone export). */
  readonly packets: readonly { readonly file: string; readonly packet: PacketSighting }[];
}

export interface ConsoleNoteRecord {
  readonly file: string;
  readonly line: number;
  readonly kind: 'sent' | 'marker';
  readonly text: string;
  /** Seconds on the reference clock. */
  readonly time?: number;
}

const NOTE_HEADER = /^# phonedoc console (sent|marker)\b/;

export interface Model {
  readonly phones: readonly PhoneRecord[];
  readonly clocks: readonly ClockAlignment[];
  readonly roots: readonly ParsedRoot[];
  readonly captureFiles: readonly string[];
  /** Capture time spans (reference clock), by file. */
  readonly spans: readonly { readonly file: string; readonly first: number; readonly last: number }[];
  /** DHCP replies to every client: which TFTP servers DHCP hands out, by server address. */
  readonly allExchanges: readonly { readonly file: string; readonly exchange: DhcpExchange }[];
}

/** Option 60 of Cisco IP phones (phone-facts 7.1), with or without the G and the trailing NUL. */
const CISCO_PHONE_VENDOR = /Cisco Systems,? Inc\.? IP Phone/i;
const MODEL_IN_TEXT = /\b(?:CP-?)?79(40|60)G?\b/;

/** A file only a Cisco 7940/7960 (or its provisioning) asks for. */
export function isPhoneFile(name: string): boolean {
  const c = classifyFileName(name);
  if (c.kind === 'other' || c.kind === 'ring') return false;
  if (c.kind === 'image') return c.image?.family === '7940/7960' || c.image?.family === '7905/7912';
  return true;
}

function modelOf(text: string | undefined): PhoneModel | undefined {
  const m = text ? MODEL_IN_TEXT.exec(text) : null;
  return m ? (`79${m[1]}` as PhoneModel) : undefined;
}

const SOURCE_RANK: Readonly<Record<Evidence['source'], number>> = { capture: 0, 'server-log': 1, console: 2, 'tftp-root': 3 };

function position(e: Evidence): number {
  return e.frame ?? e.line ?? 0;
}

export function compareRequests(a: PhoneRequest, b: PhoneRequest): number {
  const ta = a.time ?? Number.POSITIVE_INFINITY;
  const tb = b.time ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta - tb;
  const ea = a.evidence[0]!;
  const eb = b.evidence[0]!;
  return SOURCE_RANK[ea.source] - SOURCE_RANK[eb.source] || ea.file.localeCompare(eb.file) || position(ea) - position(eb);
}

/**
 * An exchange still open in a live capture counts once it is settled or has been quiet this
 * long: a client answered within milliseconds must not look unanswered for one refresh, and a
 * phone resends after 4 s (RFC 2131 4.1), so a quiet exchange is one still waiting.
 */
const PENDING_QUIET_SECONDS = 3;
const UNSETTLED: ReadonlySet<DhcpExchange['outcome']> = new Set(['no-offer', 'offered-not-requested', 'requested-no-answer']);

function exchangesOf(c: CaptureStore): DhcpExchange[] {
  const { pending } = c;
  if (!pending) return c.exchanges;
  return [...c.exchanges, ...pending.exchanges.filter((x) => !UNSETTLED.has(x.outcome) || pending.at - timestampSeconds(x.lastTime) >= PENDING_QUIET_SECONDS)];
}

export function buildModel(store: Store, options: EngineOptions): Model {
  const captureFiles = [...store.captures.keys()].sort();
  const allExchanges = sameTrafficOnce(
    captureFiles.flatMap((file) => exchangesOf(store.captures.get(file)!).map((exchange) => ({ file, exchange })))
      .sort((a, b) => a.file.localeCompare(b.file) || a.exchange.frames[0]! - b.exchange.frames[0]!),
    ({ exchange }) => `${exchange.client} ${exchange.xid} ${Math.round(timestampSeconds(exchange.firstTime) * 1000)}`,
  );
  const transfers = sameTrafficOnce(
    captureFiles.flatMap((file) => {
      const c = store.captures.get(file)!;
      return [...c.transfers.map((t) => ({ file, t, live: false })), ...(c.pending?.transfers ?? []).map((t) => ({ file, t, live: true }))];
    }).sort((a, b) => a.file.localeCompare(b.file) || a.t.frames.requests[0]! - b.t.frames.requests[0]!),
    ({ t }) => `${t.client}:${t.clientPort} ${t.file} ${Math.round(timestampSeconds(t.firstTime) * 1000)}`,
  );

  // --- Who is who: IP -> MAC (DHCP first, then ARP, then the MAC in file names asked for).
  const ipToMac = new Map<string, string>();
  const weak = new Map<string, string>();
  for (const { exchange } of allExchanges) {
    for (const a of exchange.answers) if (a.type === 'ACK' && a.yiaddr) ipToMac.set(a.yiaddr, exchange.client.toLowerCase());
  }
  for (const file of captureFiles) for (const arp of store.captures.get(file)!.arps) if (!ipToMac.has(arp.ip) && arp.ip !== '0.0.0.0') weak.set(arp.ip, arp.mac);
  const serverRequests = [...store.serverLogs.entries()].sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([file, events]) => fromServerLog(file, events).map((r) => ({ file, r })));
  for (const { client, file } of [...transfers.map(({ t }) => ({ client: t.client, file: t.file })), ...serverRequests.map(({ r }) => ({ client: r.client, file: r.file }))]) {
    const mac = classifyFileName(file).mac;
    if (client && mac && !ipToMac.has(client)) weak.set(client, mac.canonical);
  }
  const macOfIp = (ip: string | undefined): string | undefined => (ip === undefined ? undefined : ipToMac.get(ip) ?? weak.get(ip));
  const keyOfIp = (ip: string): string => macOfIp(ip) ?? `ip:${ip}`;

  const phones = new Map<string, { key: string; ips: Set<string>; model?: PhoneModel; modelEvidence?: Evidence; declared?: PhoneRecord['declaredImage']; consoles: string[] }>();
  const phone = (key: string) => {
    let p = phones.get(key);
    if (!p) {
      p = { key, ips: new Set(), consoles: [] };
      phones.set(key, p);
    }
    return p;
  };
  for (const { file, exchange } of allExchanges) {
    if (!exchange.vendorClass || !CISCO_PHONE_VENDOR.test(exchange.vendorClass)) continue;
    const p = phone(exchange.client.toLowerCase());
    const model = modelOf(exchange.vendorClass);
    if (model && !p.model) {
      p.model = model;
      p.modelEvidence = { source: 'capture', file, frame: exchange.frames[0]!, text: `DHCP option 60 "${exchange.vendorClass.replace(/\0/g, '')}"` };
    }
  }
  for (const { t } of transfers) if (isPhoneFile(t.file)) phone(keyOfIp(t.client)).ips.add(t.client);
  for (const { r } of serverRequests) if (r.client && isPhoneFile(r.file)) phone(keyOfIp(r.client)).ips.add(r.client);
  for (const [ip, mac] of [...ipToMac, ...weak]) phones.get(mac)?.ips.add(ip);

  // Consoles: the recording's header, the SEP<MAC> in the file name, a file name the phone showed; else the only phone.
  const consoleFiles = [...store.consoles.keys()].sort();
  for (const file of consoleFiles) {
    const c = store.consoles.get(file)!;
    const header = c.header.find((h) => h.fields.mac !== undefined && parseMac(h.fields.mac));
    const fromName = /SEP([0-9A-F]{12})/i.exec(file.split('/').pop() ?? '')?.[1];
    const fromEvents = c.events.map((e) => ('file' in e && typeof e.file === 'string' ? classifyFileName(e.file).mac : undefined)).find((m) => m);
    const mac = (header ? parseMac(header.fields.mac!) : undefined) ?? (fromName ? parseMac(fromName) : undefined) ?? fromEvents;
    const key = mac?.canonical ?? phoneOfFiles(c.events, phones, transfers.map(({ t }) => t), serverRequests.map(({ r }) => r)) ?? `console:${file}`;
    const p = phone(key);
    p.consoles.push(file);
    const modelHeader = c.header.find((h) => modelOf(h.fields.model));
    if (modelHeader && !p.model) {
      p.model = modelOf(modelHeader.fields.model);
      p.modelEvidence = { source: 'console', file, line: modelHeader.line, text: modelHeader.text };
    }
    const imageHeader = c.header.find((h) => h.fields.image);
    if (imageHeader && !p.declared) {
      p.declared = { name: imageHeader.fields.image!, evidence: { source: 'console', file, line: imageHeader.line, text: `recording header: image=${imageHeader.fields.image}` } };
    }
  }

  // --- Clocks: capture is the reference; server logs, then consoles, are lined up with it.
  const captureMarks: ClockMark[] = transfers.map(({ t }) => ({ key: `tftp ${t.client} ${t.file}`, time: timestampSeconds(t.firstTime) }));
  const clocks: ClockAlignment[] = [];
  const referenceName = captureFiles.length ? captureFiles.join(', ') : [...store.serverLogs.keys()].sort()[0] ?? 'the first console';
  const logOffsets = new Map<string, number>();
  const logFiles = [...store.serverLogs.keys()].sort();
  for (const file of logFiles) {
    const marks = serverRequests.filter((s) => s.file === file && s.r.sourceTime !== undefined)
      .map(({ r }) => ({ key: `tftp ${r.client ?? '*'} ${r.file}`, time: r.sourceTime! }));
    const isReference = captureFiles.length === 0 && file === logFiles[0];
    const alignment = isReference && options.logOffsetSeconds === undefined
      ? { source: 'server-log' as const, file, offsetSeconds: 0, method: 'none' as const, matches: 0, detail: `${file} is the reference clock (no capture given)` }
      : alignSource('server-log', file, isReference ? [] : captureMarks, marks, referenceName, options.logOffsetSeconds);
    clocks.push(alignment);
    logOffsets.set(file, alignment.offsetSeconds);
  }
  const alignedServer = serverRequests.map(({ file, r }) => ({ file, r, time: r.sourceTime === undefined ? undefined : r.sourceTime + logOffsets.get(file)! }));
  const anchor = transfers[0] ? timestampSeconds(transfers[0].t.firstTime) : alignedServer.find((s) => s.time !== undefined)?.time ?? 0;

  const consoleTimes = new Map<string, (number | undefined)[]>();
  for (const file of consoleFiles) {
    const { events } = store.consoles.get(file)!;
    const host = events.map((e) => (e.hostTime ? Date.parse(e.hostTime) / 1000 : undefined));
    const own = events.some((e) => e.hostTime) ? host : phoneDayTimes(events.map((e) => e.phoneTime?.microsOfDay), anchor);
    const key = [...phones.values()].find((p) => p.consoles.includes(file))!.key;
    const ips = phones.get(key)!.ips;
    const reference: ClockMark[] = [
      ...transfers.filter(({ t }) => ips.has(t.client)).map(({ t }) => ({ key: `tftp * ${t.file}`, time: timestampSeconds(t.firstTime) })),
      ...alignedServer.filter((s) => s.r.client && ips.has(s.r.client) && s.time !== undefined).map((s) => ({ key: `tftp * ${s.r.file}`, time: s.time! })),
      ...dhcpMarks(allExchanges.filter(({ exchange }) => exchange.client.toLowerCase() === key).map((x) => x.exchange)),
    ];
    const marks: ClockMark[] = [];
    events.forEach((e, i) => {
      const t = own[i];
      if (t === undefined) return;
      const k = consoleMarkKey(e);
      if (k) marks.push({ key: k, time: t });
    });
    const hasReference = captureFiles.length > 0 || logFiles.length > 0;
    const alignment = hasReference || options.consoleOffsetSeconds !== undefined
      ? alignSource('console', file, reference, marks, referenceName, options.consoleOffsetSeconds)
      : { source: 'console' as const, file, offsetSeconds: 0, method: 'none' as const, matches: 0, detail: `${file} is the only clock` };
    clocks.push(alignment);
    // Phone time of day alone means nothing on another clock unless lined up.
    const usable = events.some((e) => e.hostTime) || alignment.method !== 'none' || !hasReference;
    consoleTimes.set(file, own.map((t) => (t === undefined || !usable ? undefined : t + alignment.offsetSeconds)));
  }

  // --- Requests per phone, merged across sources.
  const records: PhoneRecord[] = [];
  for (const p of [...phones.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    if (options.phone && p.key !== options.phone.canonical) continue;
    const requests: PhoneRequest[] = transfers.filter(({ t }) => p.ips.has(t.client)).map(({ file, t, live }) => {
      const r = fromTransfer(file, t, live);
      return { ...r, time: r.sourceTime! };
    });
    // How many lines each request took from each source: a transfer takes one log line per
    // RRQ datagram (tftpd-hpa logs a resent request again), other sources one line each.
    const taken = requests.map(() => new Map<string, number>());
    const room = (q: PhoneRequest, k: number, source: string): boolean =>
      (taken[k]!.get(source) ?? 0) < (source === 'server-log' ? 1 + (q.transfer?.requestRetries ?? 0) : 1);
    const mergeInto = (r: ObservedRequest, time: number | undefined, sameClient: boolean): void => {
      const source = r.evidence[0]!.source;
      const i = requests.findIndex((q, k) => q.file === r.file && room(q, k, source) &&
        (!sameClient || !q.client || !r.client || q.client === r.client) &&
        (time === undefined || q.time === undefined || Math.abs(q.time - time) <= MATCH_TOLERANCE_SECONDS));
      if (i < 0) {
        requests.push({ ...r, ...(time !== undefined ? { time } : {}) });
        taken.push(new Map([[source, 1]]));
        return;
      }
      const q = requests[i]!;
      requests[i] = {
        ...q, evidence: [...q.evidence, ...r.evidence],
        // A transfer still under way is not served yet, whatever a log without outcome lines suggests.
        answer: q.answer === 'unknown' && !(q.underWay && r.answer === 'found') ? r.answer : q.answer,
        ...(q.error ?? r.error ? { error: (q.error ?? r.error)! } : {}),
        ...(q.bytes ?? r.bytes ? { bytes: (q.bytes ?? r.bytes)! } : {}),
      };
      taken[i]!.set(source, (taken[i]!.get(source) ?? 0) + 1);
    };
    for (const s of alignedServer) if (s.r.client && p.ips.has(s.r.client)) mergeInto(s.r, s.time, true);
    const consoleEvents: TimedConsoleEvent[] = [];
    for (const file of p.consoles) {
      const { events } = store.consoles.get(file)!;
      const times = consoleTimes.get(file)!;
      const finishedAfter = nextFinished(events);
      events.forEach((event, i) => {
        consoleEvents.push({ file, event, ...(times[i] !== undefined ? { time: times[i] } : {}) });
        if (event.kind === 'tftp-request') mergeInto(fromConsoleRequest(file, event, finishedAfter[i], times[i]), times[i], false);
      });
    }
    requests.sort(compareRequests);
    const notes = p.consoles.flatMap((file) => store.consoles.get(file)!.header.flatMap((h): ConsoleNoteRecord[] => {
      const kind = NOTE_HEADER.exec(h.text)?.[1] as ConsoleNoteRecord['kind'] | undefined;
      const text = kind === 'sent' ? h.fields.text : kind === 'marker' ? h.fields.note : undefined;
      if (!kind || text === undefined) return [];
      const own = h.fields.time ? Date.parse(h.fields.time) / 1000 : NaN;
      const offset = clocks.find((c) => c.file === file)?.offsetSeconds ?? 0;
      return [{ file, line: h.line, kind, text, ...(Number.isFinite(own) ? { time: own + offset } : {}) }];
    }));
    const serverLines = alignedServer.length === 0 ? [] : [...store.serverLogs.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([file, events]) => events
      .filter((e) => 'client' in e && e.client !== undefined && p.ips.has(e.client))
      .map((event) => ({ file, event, ...(event.time ? { time: Date.parse(event.time) / 1000 + logOffsets.get(file)! } : {}) })));
    const mac = p.key.includes(':') && !p.key.startsWith('ip:') && !p.key.startsWith('console:') ? parseMac(p.key) : undefined;
    records.push({
      key: p.key, ...(mac ? { mac } : {}), ips: [...p.ips].sort(),
      ...(p.model ? { model: p.model } : {}), ...(p.modelEvidence ? { modelEvidence: p.modelEvidence } : {}),
      ...(p.declared ? { declaredImage: p.declared } : {}),
      exchanges: allExchanges.filter(({ exchange }) => exchange.client.toLowerCase() === p.key),
      requests, console: consoleEvents, serverLines, notes,
      packets: sameTrafficOnce(
        captureFiles.flatMap((file) => store.captures.get(file)!.packets.filter((c) => p.ips.has(c.src) || p.ips.has(c.dst)).map((packet) => ({ file, packet }))),
        ({ packet }) => `${packet.frame} ${packet.src} ${packet.dst}`,
      ),
    });
  }
  return {
    phones: records, clocks, roots: [...store.roots.keys()].sort().map((k) => store.roots.get(k)!), captureFiles,
    spans: captureFiles.flatMap((file) => {
      const span = store.captures.get(file)!.span;
      return span ? [{ file, ...span }] : [];
    }),
    allExchanges,
  };
}

/** For each console `Requesting` line, the first `Finished` line after it of the same transfer (one pass, from the end). */
function nextFinished(events: readonly ConsoleEvent[]): (ConsoleEvent | undefined)[] {
  const next = new Map<number, ConsoleEvent>();
  const out: (ConsoleEvent | undefined)[] = new Array(events.length);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'tftp-request' && e.transfer !== undefined) out[i] = next.get(e.transfer);
    if (e.kind === 'tftp-finished' && e.transfer !== undefined) next.set(e.transfer, e);
  }
  return out;
}

/** Two captures of the same link (a pcap and its pcapng copy, two taps) hold the same exchanges: each is kept once, from the first file. */
function sameTrafficOnce<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A console without a MAC anywhere: the only phone, else the phone whose requests share the
 * most file names with the files the console names (requested, or shown as the config file).
 */
function phoneOfFiles(
  events: readonly ConsoleEvent[], phones: ReadonlyMap<string, { readonly ips: ReadonlySet<string> }>,
  transfers: readonly TftpTransfer[], logged: readonly ObservedRequest[],
): string | undefined {
  if (phones.size === 1) return [...phones.keys()][0];
  const named = new Set(events.flatMap((e) => (e.kind === 'tftp-request' || (e.kind === 'status' && e.file) ? [e.file!] : [])));
  let best: { key: string; score: number } | undefined;
  for (const [key, p] of [...phones].sort(([a], [b]) => a.localeCompare(b))) {
    const files = new Set([...transfers.filter((t) => p.ips.has(t.client)).map((t) => t.file), ...logged.filter((r) => r.client && p.ips.has(r.client)).map((r) => r.file)]);
    const score = [...named].filter((f) => files.has(f)).length;
    if (score > 0 && (!best || score > best.score)) best = { key, score };
  }
  return best?.key;
}

function dhcpMarks(exchanges: readonly DhcpExchange[]): ClockMark[] {
  const marks: ClockMark[] = [];
  for (const x of exchanges) {
    for (const m of x.clientMessages) if (m.type === 'REQUEST') marks.push({ key: 'dhcp-request', time: timestampSeconds(m.time) });
    for (const a of x.answers) if (a.type === 'ACK') marks.push({ key: 'dhcp-ack', time: timestampSeconds(a.time) });
  }
  return marks;
}

/** Console events comparable with the capture's: file requests, the config file name shown, DHCP steps. */
function consoleMarkKey(e: ConsoleEvent): string | undefined {
  if (e.kind === 'tftp-request') return `tftp * ${e.file}`;
  if (e.kind === 'status' && e.file) return `tftp * ${e.file}`;
  if (e.kind === 'dhcp') {
    if (/^(?:DHCP BOUND|ACK RECEIVED)$/.test(e.state)) return 'dhcp-ack';
    if (/^(?:DHCP REQUESTING|SENDING REQUEST)$/.test(e.state)) return 'dhcp-request';
  }
  return undefined;
}
