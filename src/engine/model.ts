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
import type { ConsoleEvent, ScreenState } from '../../parsers/console/events.js';
import type { ConsoleLogHeader } from '../../parsers/console/log-lines.js';
import { isoMillis } from '../../parsers/time/iso.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import { yourAddress } from '../../parsers/dhcp/fields.js';
import { classifyFileName, CONFIG_FILE_KINDS, parseMac } from '../../parsers/provisioning/file-names.js';
import type { Mac } from '../../parsers/provisioning/file-names.js';
import type { PhoneModel } from '../../parsers/provisioning/sccp-xml.js';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import type { Evidence } from '../findings/finding.js';
import type { ParsedRoot } from '../lint/parsed-root.js';
import type { ClockAlignment } from './analysis.js';
import { alignSource, consoleOwnTimes, MATCH_TOLERANCE_SECONDS, toReference, type ClockMark } from './clocks.js';
import type { DamageableSource, PacketSighting } from './events.js';
import type { ReportInputDamage } from '../findings/report-schema.js';
import { CISCO_DEVICE_VENDOR, isOtherFamilyFile } from './other-models.js';
import { placeAfterCut } from './damage.js';
import { loggedDhcpExchanges, type LoggedDhcpExchange, type LoggedDhcpMessage } from './logged-dhcp.js';
import { fromConsoleRequest, fromServerLog, fromTransfer, type ObservedRequest } from './observations.js';

export interface EngineOptions {
  /** Seconds added to console times (--console-offset): overrides the alignment. */
  readonly consoleOffsetSeconds?: number;
  /** Seconds added to server-log times (--log-offset). */
  readonly logOffsetSeconds?: number;
  /** Only this phone (--phone). */
  readonly phone?: Mac;
  /** The SIPDefault.cnf size taken as a SIP 2.x phone's limit (--w210-limit); W210_SIPDEFAULT_LIMIT_BYTES when absent. */
  readonly w210LimitBytes?: number;
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
export const LIVE_WINDOW: EngineWindow = {
  consoleLines: 2000,
  serverLines: 2000,
  transfers: 300,
  exchanges: 100,
  packets: 5000,
  arps: 200,
};

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

/** What the engine keeps of one console: the recording's header lines and the phone's lines. */
export interface ConsoleStore {
  header: ConsoleLogHeader[];
  events: ConsoleEvent[];
}

/** What the engine keeps of each source. */
export interface Store {
  readonly captures: Map<string, CaptureStore>;
  readonly consoles: Map<string, ConsoleStore>;
  readonly serverLogs: Map<string, ServerLogEvent[]>;
  readonly roots: Map<string, ParsedRoot>;
  /** Inputs found damaged or cut, by file. */
  readonly damage: Map<string, InputDamage>;
}

export interface InputDamage {
  readonly source: DamageableSource;
  readonly file: string;
  readonly damage: ReportInputDamage;
}

export function emptyStore(): Store {
  return { captures: new Map(), consoles: new Map(), serverLogs: new Map(), roots: new Map(), damage: new Map() };
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

export interface TimedDhcpMessage extends LoggedDhcpMessage {
  /** Seconds on the reference clock, when the line has a time. */
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
  /** The phone's DHCP exchanges as DHCP servers logged them, each message's `time` on the reference clock. */
  readonly loggedDhcp: readonly LoggedDhcpExchange<TimedDhcpMessage>[];
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
  /** Each phone's record, in key order, built as it is asked for: a site's records need never be held all at once. */
  records(): Iterable<PhoneRecord>;
  readonly clocks: readonly ClockAlignment[];
  readonly roots: readonly ParsedRoot[];
  readonly captureFiles: readonly string[];
  /** Capture time spans (reference clock), by file. */
  readonly spans: readonly { readonly file: string; readonly first: number; readonly last: number }[];
  /** DHCP replies to every client: which TFTP servers DHCP hands out, by server address. */
  readonly allExchanges: readonly { readonly file: string; readonly exchange: DhcpExchange }[];
  /** Inputs found damaged or cut. */
  readonly damage: readonly InputDamage[];
}

/** Option 60 of Cisco IP phones (phone-facts 7.1), with or without the G and the trailing NUL. */
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

const SOURCE_RANK: Readonly<Record<Evidence['source'], number>> = {
  capture: 0,
  'server-log': 1,
  console: 2,
  'tftp-root': 3,
};
const SOURCES = Object.keys(SOURCE_RANK).length;

function position(e: Evidence): number {
  return e.frame ?? e.line ?? 0;
}

export function compareRequests(a: PhoneRequest, b: PhoneRequest): number {
  const ta = a.time ?? Number.POSITIVE_INFINITY;
  const tb = b.time ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta - tb;
  const ea = a.evidence[0];
  const eb = b.evidence[0];
  if (!ea || !eb) return 0; // every source gives a request its evidence
  return (
    SOURCE_RANK[ea.source] - SOURCE_RANK[eb.source] || ea.file.localeCompare(eb.file) || position(ea) - position(eb)
  );
}

/**
 * An exchange still open in a live capture counts once it is settled or has been quiet this
 * long: a client answered within milliseconds must not look unanswered for one refresh, and a
 * phone resends after 4 s (RFC 2131 4.1), so a quiet exchange is one still waiting.
 */
const PENDING_QUIET_SECONDS = 3;
const UNSETTLED: ReadonlySet<DhcpExchange['outcome']> = new Set([
  'no-offer',
  'offered-not-requested',
  'requested-no-answer',
]);

function exchangesOf(c: CaptureStore): DhcpExchange[] {
  const { pending } = c;
  if (!pending) return c.exchanges;
  return [
    ...c.exchanges,
    ...pending.exchanges.filter(
      (x) => !UNSETTLED.has(x.outcome) || pending.at - timestampSeconds(x.lastTime) >= PENDING_QUIET_SECONDS,
    ),
  ];
}

/** A capture's TFTP transfer; `live`: still under way when a live capture was last looked at. */
interface CapturedTransfer {
  readonly file: string;
  readonly t: TftpTransfer;
  readonly live: boolean;
}

interface CapturedExchange {
  readonly file: string;
  readonly exchange: DhcpExchange;
}

/** The captures' traffic, in file then frame order, what two captures of one link both hold taken once. */
interface Traffic {
  readonly captureFiles: readonly string[];
  readonly allExchanges: readonly CapturedExchange[];
  readonly transfers: readonly CapturedTransfer[];
}

/** The server logs: their files, the TFTP requests they log and the DHCP exchanges they show. */
interface Logs {
  /** In code-unit order (the reference clock is the first when no capture is given). */
  readonly files: readonly string[];
  /** In locale order, as their lines are merged. */
  readonly byName: readonly (readonly [string, readonly ServerLogEvent[]])[];
  readonly requests: readonly { readonly file: string; readonly r: ObservedRequest }[];
  readonly dhcp: readonly LoggedDhcpExchange[];
}

/** A phone as the identity pass finds it: its key (the MAC, else `ip:<address>` or `console:<file>`) and what names it. */
interface PhoneIdentity {
  readonly key: string;
  readonly ips: Set<string>;
  model?: PhoneModel;
  modelEvidence?: Evidence;
  declared?: PhoneRecord['declaredImage'];
  readonly consoles: string[];
}

/** The lists a phone finds its own items in by address, so a site of N phones costs N times one phone. */
interface Indexes {
  readonly transfersByClient: AddressIndex<CapturedTransfer>;
  readonly serverRequestsByClient: AddressIndex<Logs['requests'][number]>;
  readonly exchangesByClient: AddressIndex<CapturedExchange>;
}

/** The clocks lined up: every alignment, each log's, the logged requests on the reference clock and each console line's time. */
interface Clocks {
  readonly clocks: readonly ClockAlignment[];
  readonly logClocks: ReadonlyMap<string, ClockAlignment>;
  readonly alignedServer: readonly AlignedServerRequest[];
  readonly consoleTimes: ReadonlyMap<string, readonly (number | undefined)[]>;
}

interface AlignedServerRequest {
  readonly file: string;
  readonly r: ObservedRequest;
  readonly time: number | undefined;
}

/**
 * The model in three passes: who is who (identity), the clocks lined up with the capture's,
 * then, as each phone is asked for, its requests merged across sources (`phoneRecord`).
 */
export function buildModel(store: Store, options: EngineOptions): Model {
  const traffic = capturedTraffic(store);
  const logs = serverLogsOf(store);
  const indexes: Indexes = {
    transfersByClient: new AddressIndex(traffic.transfers, ({ t }) => [t.client]),
    serverRequestsByClient: new AddressIndex(logs.requests, ({ r }) => (r.client ? [r.client] : [])),
    exchangesByClient: new AddressIndex(traffic.allExchanges, ({ exchange }) => [exchange.client.toLowerCase()]),
  };
  const phones = identifyPhones(store, options, traffic, logs, indexes);
  const clocks = alignClocks(store, options, traffic, logs, phones);
  const sources = recordSources(store, traffic, logs, indexes, clocks);
  const selected = [...phones.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .filter((p) => !options.phone || p.key === options.phone.canonical);
  return {
    records: function* () {
      for (const p of selected) yield phoneRecord(p, sources);
    },
    clocks: clocks.clocks,
    roots: [...store.roots.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, root]) => root),
    captureFiles: traffic.captureFiles,
    spans: traffic.captureFiles.flatMap((file) => {
      const span = store.captures.get(file)?.span;
      return span ? [{ file, ...span }] : [];
    }),
    allExchanges: traffic.allExchanges,
    damage: [...store.damage.values()].sort((a, b) => a.file.localeCompare(b.file)),
  };
}

function capturedTraffic(store: Store): Traffic {
  const captures = [...store.captures.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const allExchanges = sameTrafficOnce(
    captures
      .flatMap(([file, c]) => exchangesOf(c).map((exchange) => ({ file, exchange })))
      .sort((a, b) => a.file.localeCompare(b.file) || firstFrame(a.exchange.frames) - firstFrame(b.exchange.frames)),
    ({ exchange }) => `${exchange.client} ${exchange.xid} ${Math.round(timestampSeconds(exchange.firstTime) * 1000)}`,
  );
  const transfers = sameTrafficOnce(
    captures
      .flatMap(([file, c]) => [
        ...c.transfers.map((t) => ({ file, t, live: false })),
        ...(c.pending?.transfers ?? []).map((t) => ({ file, t, live: true })),
      ])
      .sort(
        (a, b) => a.file.localeCompare(b.file) || firstFrame(a.t.frames.requests) - firstFrame(b.t.frames.requests),
      ),
    ({ t }) => `${t.client}:${t.clientPort} ${t.file} ${Math.round(timestampSeconds(t.firstTime) * 1000)}`,
  );
  return { captureFiles: captures.map(([file]) => file), allExchanges, transfers };
}

/** The first frame of a list the decoder never leaves empty (an exchange's, a transfer's requests). */
export function firstFrame(frames: readonly number[]): number {
  return frames[0] ?? Number.NaN;
}

function serverLogsOf(store: Store): Logs {
  const byName = [...store.serverLogs.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    files: [...store.serverLogs.keys()].sort(),
    byName,
    requests: byName.flatMap(([file, events]) => fromServerLog(file, events).map((r) => ({ file, r }))),
    dhcp: loggedDhcpExchanges(byName),
  };
}

// --- Identity: who is who.

/** Each address's MAC: from DHCP first (`sure`), then ARP and the MAC in the file names asked for (`weak`). */
interface AddressOwners {
  readonly sure: ReadonlyMap<string, string>;
  readonly weak: ReadonlyMap<string, string>;
}

function addressOwners(store: Store, traffic: Traffic, logs: Logs): AddressOwners {
  const sure = new Map<string, string>();
  const weak = new Map<string, string>();
  for (const { exchange } of traffic.allExchanges) {
    for (const a of exchange.answers) {
      const address = a.type === 'ACK' ? yourAddress(a.message) : undefined;
      if (address) sure.set(address, exchange.client.toLowerCase());
    }
  }
  for (const file of traffic.captureFiles)
    for (const arp of store.captures.get(file)?.arps ?? [])
      if (!sure.has(arp.ip) && arp.ip !== '0.0.0.0') weak.set(arp.ip, arp.mac);
  for (const x of logs.dhcp) {
    for (const m of x.messages)
      if (m.action === 'sent' && m.messageType === 'ack' && m.ip && !sure.has(m.ip)) sure.set(m.ip, x.mac);
  }
  for (const { client, file } of [
    ...traffic.transfers.map(({ t }) => ({ client: t.client, file: t.file })),
    ...logs.requests.map(({ r }) => ({ client: r.client, file: r.file })),
  ]) {
    const mac = classifyFileName(file).mac;
    if (client && mac && !sure.has(client)) weak.set(client, mac.canonical);
  }
  return { sure, weak };
}

/**
 * The phones: hosts that present themselves as Cisco IP phones in DHCP (captured or logged),
 * or ask for a phone's file, each with its addresses; then each console's phone.
 */
function identifyPhones(
  store: Store,
  options: EngineOptions,
  traffic: Traffic,
  logs: Logs,
  indexes: Indexes,
): Map<string, PhoneIdentity> {
  const phones = new Map<string, PhoneIdentity>();
  const phone = (key: string): PhoneIdentity => {
    let p = phones.get(key);
    if (!p) {
      p = { key, ips: new Set(), consoles: [] };
      phones.set(key, p);
    }
    return p;
  };
  phonesOfDhcp(traffic, logs, options, phone);
  const owners = addressOwners(store, traffic, logs);
  const keyOfIp = (ip: string): string => owners.sure.get(ip) ?? owners.weak.get(ip) ?? `ip:${ip}`;
  for (const { t } of traffic.transfers)
    if (isPhoneFile(t.file) || isOtherFamilyFile(t.file)) phone(keyOfIp(t.client)).ips.add(t.client);
  for (const { r } of logs.requests)
    if (r.client && (isPhoneFile(r.file) || isOtherFamilyFile(r.file))) phone(keyOfIp(r.client)).ips.add(r.client);
  for (const [ip, mac] of [...owners.sure, ...owners.weak]) phones.get(mac)?.ips.add(ip);
  const filesOf = (ips: ReadonlySet<string>): Set<string> =>
    new Set([
      ...indexes.transfersByClient.of(ips).map(({ t }) => t.file),
      ...indexes.serverRequestsByClient.of(ips).map(({ r }) => r.file),
    ]);
  // Consoles: the recording's header, the SEP<MAC> in the file name, a file name the phone showed; else the only phone.
  for (const [file, c] of [...store.consoles.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const header = c.header.find((h) => h.fields.mac !== undefined && parseMac(h.fields.mac));
    const fromName = /SEP([0-9A-F]{12})/i.exec(file.split('/').pop() ?? '')?.[1];
    const fromEvents = c.events
      .map((e) => ('file' in e && typeof e.file === 'string' ? classifyFileName(e.file).mac : undefined))
      .find((m) => m);
    const mac =
      (header?.fields.mac !== undefined ? parseMac(header.fields.mac) : undefined) ??
      (fromName ? parseMac(fromName) : undefined) ??
      fromEvents;
    const known = mac?.canonical ?? phoneOfFiles(c.events, phones, filesOf);
    // A recording of a session in which the phone printed nothing shows no phone of its own.
    if (known === undefined && c.events.length === 0) continue;
    const p = phone(known ?? `console:${file}`);
    p.consoles.push(file);
    learnFromConsoleHeader(p, file, c.header);
  }
  return phones;
}

/** Phones by their DHCP: a captured exchange with a Cisco vendor class, a logged one also by a SEP<MAC> host name or --phone. */
function phonesOfDhcp(
  traffic: Traffic,
  logs: Logs,
  options: EngineOptions,
  phone: (key: string) => PhoneIdentity,
): void {
  for (const { file, exchange } of traffic.allExchanges) {
    if (!exchange.vendorClass || !CISCO_DEVICE_VENDOR.test(exchange.vendorClass)) continue;
    const p = phone(exchange.client.toLowerCase());
    const model = modelOf(exchange.vendorClass);
    if (model && !p.model) {
      p.model = model;
      p.modelEvidence = {
        source: 'capture',
        file,
        frame: firstFrame(exchange.frames),
        text: `DHCP option 60 "${exchange.vendorClass.replace(/\0/g, '')}"`,
      };
    }
  }
  for (const x of logs.dhcp) {
    // A phone by its vendor class, its SEP<MAC> host name, or because --phone names it (dhcpd logs neither).
    const sep =
      x.hostname !== undefined &&
      parseMac(x.hostname.replace(/^SEP/i, ''))?.canonical === x.mac &&
      /^SEP/i.test(x.hostname);
    const { vendorClass } = x;
    if (!sep && options.phone?.canonical !== x.mac && !(vendorClass && CISCO_DEVICE_VENDOR.test(vendorClass.text)))
      continue;
    const p = phone(x.mac);
    const model = modelOf(vendorClass?.text);
    if (vendorClass && model && !p.model) {
      p.model = model;
      p.modelEvidence = { ...vendorClass.evidence, text: `DHCP option 60 "${vendorClass.text}"` };
    }
  }
}

/** The model and the image a phonedoc console recording's header declares. */
function learnFromConsoleHeader(p: PhoneIdentity, file: string, header: ConsoleStore['header']): void {
  const modelHeader = header.find((h) => modelOf(h.fields.model));
  if (modelHeader && !p.model) {
    p.model = modelOf(modelHeader.fields.model);
    p.modelEvidence = { source: 'console', file, line: modelHeader.line, text: modelHeader.text };
  }
  const imageHeader = header.find((h) => h.fields.image);
  const image = imageHeader?.fields.image;
  if (imageHeader && image && !p.declared) {
    p.declared = {
      name: image,
      evidence: { source: 'console', file, line: imageHeader.line, text: `recording header: image=${image}` },
    };
  }
}

// --- Clocks: the capture is the reference; server logs, then consoles, are lined up with it.

function alignClocks(
  store: Store,
  options: EngineOptions,
  traffic: Traffic,
  logs: Logs,
  phones: ReadonlyMap<string, PhoneIdentity>,
): Clocks {
  const { captureFiles, transfers, allExchanges } = traffic;
  const referenceName = captureFiles.length ? captureFiles.join(', ') : (logs.files[0] ?? 'the first console');
  const logClocks = alignServerLogs(options, traffic, logs, referenceName);
  const alignedServer = logs.requests.map(({ file, r }) => {
    const clock = logClocks.get(file);
    return { file, r, time: r.sourceTime === undefined || !clock ? undefined : toReference(clock, r.sourceTime) };
  });
  const anchor = transfers[0]
    ? timestampSeconds(transfers[0].t.firstTime)
    : allExchanges[0]
      ? timestampSeconds(allExchanges[0].exchange.firstTime)
      : (alignedServer.find((s) => s.time !== undefined)?.time ?? 0);
  const consoleClocks: ClockAlignment[] = [];
  const consoleTimes = new Map<string, (number | undefined)[]>();
  const owners = new Map([...phones.values()].flatMap((p) => p.consoles.map((file) => [file, p] as const)));
  const setting: ConsoleClockSetting = {
    options,
    traffic,
    alignedServer,
    referenceName,
    hasReference: captureFiles.length > 0 || logs.files.length > 0,
  };
  for (const [file, { events }] of [...store.consoles.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const owner = owners.get(file);
    if (!owner) continue; // every console was given a phone by the identity pass
    const { alignment, times } = alignConsole(file, events, consoleOwnTimes(events, anchor), owner, setting);
    consoleClocks.push(alignment);
    consoleTimes.set(file, times);
  }
  return { clocks: [...logClocks.values(), ...consoleClocks], logClocks, alignedServer, consoleTimes };
}

/** Each server log's alignment with the capture (by the requests and DHCP messages both show), in file order. */
function alignServerLogs(
  options: EngineOptions,
  traffic: Traffic,
  logs: Logs,
  referenceName: string,
): Map<string, ClockAlignment> {
  const captureMarks: ClockMark[] = [
    ...traffic.transfers.map(({ t }) => ({ key: `tftp ${t.client} ${t.file}`, time: timestampSeconds(t.firstTime) })),
    ...traffic.transfers.map(({ t }) => ({
      key: `tftp-end ${t.client} ${t.file}`,
      time: timestampSeconds(t.lastTime),
    })),
    ...traffic.allExchanges.flatMap(({ exchange }) => capturedDhcpMarks(exchange)),
  ];
  const logClocks = new Map<string, ClockAlignment>();
  for (const file of logs.files) {
    const marks = [
      ...logs.requests.flatMap(({ file: f, r }) =>
        f === file && r.sourceTime !== undefined
          ? [{ key: `${r.loggedAtEnd ? 'tftp-end' : 'tftp'} ${r.client ?? '*'} ${r.file}`, time: r.sourceTime }]
          : [],
      ),
      ...logs.dhcp.flatMap((x) =>
        x.messages.flatMap((m) =>
          m.evidence.file === file && m.sourceTime !== undefined
            ? [{ key: `dhcp ${m.messageType} ${x.mac}`, time: m.sourceTime }]
            : [],
        ),
      ),
    ];
    const isReference = traffic.captureFiles.length === 0 && file === logs.files[0];
    const alignment =
      isReference && options.logOffsetSeconds === undefined
        ? {
            source: 'server-log' as const,
            file,
            offsetSeconds: 0,
            method: 'none' as const,
            matches: 0,
            detail: `${file} is the reference clock (no capture given)`,
          }
        : alignSource(
            'server-log',
            file,
            isReference ? [] : captureMarks,
            marks,
            referenceName,
            options.logOffsetSeconds,
          );
    logClocks.set(file, alignment);
  }
  return logClocks;
}

interface ConsoleClockSetting {
  readonly options: EngineOptions;
  readonly traffic: Traffic;
  readonly alignedServer: readonly AlignedServerRequest[];
  readonly referenceName: string;
  /** A capture or a server log was given. */
  readonly hasReference: boolean;
}

/**
 * A console's alignment with the reference, by the requests and DHCP steps of its phone both
 * show (else by its screen states), and each of its lines' time on the reference clock.
 */
function alignConsole(
  file: string,
  events: readonly ConsoleEvent[],
  own: readonly (number | undefined)[],
  phone: PhoneIdentity,
  setting: ConsoleClockSetting,
): { alignment: ClockAlignment; times: (number | undefined)[] } {
  const { options, traffic, hasReference } = setting;
  const { key, ips } = phone;
  const phoneTransfers = traffic.transfers.filter(({ t }) => ips.has(t.client)).map(({ t }) => t);
  const phoneExchanges = traffic.allExchanges
    .filter(({ exchange }) => exchange.client.toLowerCase() === key)
    .map((x) => x.exchange);
  const captured: ClockMark[] = [
    ...phoneTransfers.map((t) => ({ key: `tftp * ${t.file}`, time: timestampSeconds(t.firstTime) })),
    ...dhcpMarks(phoneExchanges),
  ];
  const reference: ClockMark[] = [
    ...captured,
    ...setting.alignedServer.flatMap((s) =>
      s.r.client && ips.has(s.r.client) && s.time !== undefined ? [{ key: `tftp * ${s.r.file}`, time: s.time }] : [],
    ),
  ];
  const { marks, screens, resolutionSeconds } = consoleMarks(events, own);
  const approximate = { reference: screenMarks(phoneExchanges, phoneTransfers), source: screens, resolutionSeconds };
  const alignment =
    hasReference || options.consoleOffsetSeconds !== undefined
      ? alignSource('console', file, reference, marks, setting.referenceName, options.consoleOffsetSeconds, approximate)
      : {
          source: 'console' as const,
          file,
          offsetSeconds: 0,
          method: 'none' as const,
          matches: 0,
          detail: `${file} is the only clock`,
        };
  // Phone time of day alone means nothing on another clock unless lined up.
  const usable = events.some((e) => e.hostTime !== undefined) || alignment.method !== 'none' || !hasReference;
  const times = own.map((t) => (t === undefined || !usable ? undefined : toReference(alignment, t)));
  const wholeSeconds =
    alignment.method === 'matched-events' &&
    events.every((e) => e.hostTime === undefined && (e.phoneTime?.resolutionSeconds ?? 1) >= 1);
  return {
    alignment: withSinceBootNote(alignment, events),
    times: wholeSeconds ? consoleInCausalOrder(events, times, captured) : times,
  };
}

/** A console's lines comparable with network events (`marks`) and its screen states tied to them, at its own times. */
function consoleMarks(
  events: readonly ConsoleEvent[],
  own: readonly (number | undefined)[],
): { marks: ClockMark[]; screens: ClockMark[]; resolutionSeconds: number } {
  const marks: ClockMark[] = [];
  const screens: ClockMark[] = [];
  let resolutionSeconds = 0;
  events.forEach((e, i) => {
    const t = own[i];
    if (t === undefined) return;
    const k = consoleMarkKey(e);
    if (k) marks.push({ key: k, time: t });
    if (e.screen && SCREEN_MARK_STATES.has(e.screen)) {
      resolutionSeconds = Math.max(
        resolutionSeconds,
        e.hostTime !== undefined ? 0 : (e.phoneTime?.resolutionSeconds ?? 0),
      );
      screens.push({ key: `screen ${e.screen}`, time: t });
    }
  });
  return { marks, screens, resolutionSeconds };
}

/** A lined-up console whose times count seconds since the phone started: the detail says when it started. */
function withSinceBootNote(alignment: ClockAlignment, events: readonly ConsoleEvent[]): ClockAlignment {
  const sinceBoot =
    alignment.method !== 'none' &&
    alignment.method !== 'override' &&
    events.some((e) => e.phoneTime?.sinceBootSeconds !== undefined);
  return sinceBoot
    ? {
        ...alignment,
        detail: `${alignment.detail}; its times count seconds since the phone started, at ${isoMillis(toReference(alignment, 0))}`,
      }
    : alignment;
}

// --- Request merging: each phone's record, built when it is asked for.

/** What every phone's record is cut from. */
interface RecordSources {
  readonly store: Store;
  readonly traffic: Traffic;
  readonly logs: Logs;
  readonly indexes: Indexes;
  readonly clocks: Clocks;
  readonly loggedByMac: ReadonlyMap<string, readonly LoggedDhcpExchange[]>;
  readonly serverByClient: AddressIndex<AlignedServerRequest>;
  /** A server's lines by the phone's IP (TFTP), or by its MAC (a DHCP server's lines). */
  readonly serverEventsByAddress: ReadonlyMap<string, AddressIndex<ServerLogEvent>>;
  readonly packetsByAddress: ReadonlyMap<string, AddressIndex<PacketSighting>>;
  /** Captures cut short: the earliest end of what could be read, where requests seen later are placed. */
  readonly cutAt: number;
}

function recordSources(store: Store, traffic: Traffic, logs: Logs, indexes: Indexes, clocks: Clocks): RecordSources {
  const loggedByMac = new Map<string, LoggedDhcpExchange[]>();
  for (const x of logs.dhcp) {
    const list = loggedByMac.get(x.mac);
    if (list) list.push(x);
    else loggedByMac.set(x.mac, [x]);
  }
  return {
    store,
    traffic,
    logs,
    indexes,
    clocks,
    loggedByMac,
    serverByClient: new AddressIndex(clocks.alignedServer, (s) => (s.r.client ? [s.r.client] : [])),
    serverEventsByAddress: new Map(
      [...store.serverLogs].map(
        ([file, events]) =>
          [
            file,
            new AddressIndex(events, (e) => [
              ...('client' in e && e.client !== undefined ? [e.client] : []),
              ...(e.kind === 'dhcp' && e.mac !== undefined ? [e.mac] : []),
            ]),
          ] as const,
      ),
    ),
    packetsByAddress: new Map(
      traffic.captureFiles.map(
        (file) => [file, new AddressIndex(store.captures.get(file)?.packets ?? [], (c) => [c.src, c.dst])] as const,
      ),
    ),
    cutAt: Math.min(
      ...traffic.captureFiles
        .filter((f) => store.damage.get(f)?.damage.endsInput)
        .map((f) => store.captures.get(f)?.span?.last ?? Infinity),
    ),
  };
}

function phoneRecord(p: PhoneIdentity, sources: RecordSources): PhoneRecord {
  const { store, clocks, indexes } = sources;
  const merged = new MergedRequests(
    indexes.transfersByClient.of(p.ips).map(({ file, t, live }) => {
      const r = fromTransfer(file, t, live, store.damage.get(file)?.damage.endsInput === true);
      return phoneRequest(r, r.sourceTime);
    }),
  );
  for (const s of sources.serverByClient.of(p.ips)) merged.add(s.r, s.time, true);
  const consoleEvents = consoleOfPhone(p, store, clocks.consoleTimes, merged);
  const { requests } = merged;
  if (Number.isFinite(sources.cutAt)) placeAfterCut(requests, sources.cutAt);
  requests.sort(compareRequests);
  const mac =
    p.key.includes(':') && !p.key.startsWith('ip:') && !p.key.startsWith('console:') ? parseMac(p.key) : undefined;
  return {
    key: p.key,
    ...(mac ? { mac } : {}),
    ips: [...p.ips].sort(),
    ...(p.model ? { model: p.model } : {}),
    ...(p.modelEvidence ? { modelEvidence: p.modelEvidence } : {}),
    ...(p.declared ? { declaredImage: p.declared } : {}),
    exchanges: indexes.exchangesByClient.of(new Set([p.key])),
    loggedDhcp: (sources.loggedByMac.get(p.key) ?? []).map((x) => ({
      ...x,
      messages: x.messages.map((m) => {
        const clock = clocks.logClocks.get(m.evidence.file);
        return { ...m, ...(m.sourceTime !== undefined && clock ? { time: toReference(clock, m.sourceTime) } : {}) };
      }),
    })),
    requests,
    console: consoleEvents,
    serverLines: serverLinesOf(p, sources, requests),
    notes: notesOf(p, store, clocks.clocks),
    packets: sameTrafficOnce(
      sources.traffic.captureFiles.flatMap((file) =>
        (sources.packetsByAddress.get(file)?.of(p.ips) ?? []).map((packet) => ({ file, packet })),
      ),
      ({ packet }) => `${packet.frame} ${packet.src} ${packet.dst}`,
    ),
  };
}

/**
 * `r` at `time` (with `changes`), built one property after the other in a fixed order rather
 * than spread: on Node 20 each spread copy of a request got a hidden class of its own (some
 * 350 bytes a request, which one phone asking 100,000 times multiplies).
 */
export function phoneRequest(
  r: ObservedRequest,
  time: number | undefined,
  changes: Partial<Pick<ObservedRequest, 'evidence' | 'answer' | 'error' | 'bytes'>> = {},
): PhoneRequest {
  const q = {} as { -readonly [K in keyof PhoneRequest]: PhoneRequest[K] };
  q.file = r.file;
  if (r.client !== undefined) q.client = r.client;
  if (r.sourceTime !== undefined) q.sourceTime = r.sourceTime;
  if (r.loggedAtEnd !== undefined) q.loggedAtEnd = r.loggedAtEnd;
  q.answer = changes.answer ?? r.answer;
  const error = 'error' in changes ? changes.error : r.error;
  if (error !== undefined) q.error = error;
  if (r.content !== undefined) q.content = r.content;
  const bytes = 'bytes' in changes ? changes.bytes : r.bytes;
  if (bytes !== undefined) q.bytes = bytes;
  q.evidence = changes.evidence ?? r.evidence;
  q.frames = r.frames;
  if (r.transfer !== undefined) q.transfer = r.transfer;
  if (r.progress !== undefined) q.progress = r.progress;
  if (r.underWay !== undefined) q.underWay = r.underWay;
  if (r.outcome !== undefined) q.outcome = r.outcome;
  if (time !== undefined) q.time = time;
  return q;
}

/**
 * A phone's requests merged across sources: a line of a log or a console joins the request
 * of the same file within MATCH_TOLERANCE_SECONDS that has room for it, else is a request of its own.
 */
class MergedRequests {
  /**
   * How many lines each request took from each source, request `k`'s count of source `s` at
   * `k * SOURCES + SOURCE_RANK[s]` (one array, not a map per request): a transfer takes one log
   * line per RRQ datagram (tftpd-hpa logs a resent request again), other sources one line each.
   */
  private readonly taken: number[];

  constructor(readonly requests: PhoneRequest[]) {
    this.taken = new Array<number>(requests.length * SOURCES).fill(0);
  }

  add(r: ObservedRequest, time: number | undefined, sameClient: boolean): void {
    const source = r.evidence[0]?.source ?? 'capture';
    // A line written at the transfer's end is compared with the end of the captured transfer.
    const when = (q: PhoneRequest): number | undefined =>
      r.loggedAtEnd && q.transfer ? timestampSeconds(q.transfer.lastTime) : q.time;
    const i = this.requests.findIndex((q, k) => {
      const at = when(q);
      return (
        q.file === r.file &&
        this.hasRoom(q, k, source) &&
        (!sameClient || !q.client || !r.client || q.client === r.client) &&
        (time === undefined || at === undefined || Math.abs(at - time) <= MATCH_TOLERANCE_SECONDS)
      );
    });
    const q = this.requests[i];
    if (!q) {
      this.requests.push(phoneRequest(r, time));
      for (let s = 0; s < SOURCES; s++) this.taken.push(s === SOURCE_RANK[source] ? 1 : 0);
      return;
    }
    const error = q.error ?? r.error;
    const bytes = q.bytes ?? r.bytes;
    this.requests[i] = phoneRequest(q, q.time, {
      evidence: [...q.evidence, ...r.evidence],
      // A transfer still under way is not served yet, whatever a log without outcome lines suggests.
      answer: q.answer === 'unknown' && !(q.underWay && r.answer === 'found') ? r.answer : q.answer,
      error,
      bytes: bytes ? bytes : q.bytes,
    });
    const at = i * SOURCES + SOURCE_RANK[source];
    this.taken[at] = (this.taken[at] ?? 0) + 1;
  }

  private hasRoom(q: PhoneRequest, k: number, source: Evidence['source']): boolean {
    const taken = this.taken[k * SOURCES + SOURCE_RANK[source]] ?? 0;
    return taken < (source === 'server-log' ? 1 + (q.transfer?.requestRetries ?? 0) : 1);
  }
}

/** The phone's console lines on the reference clock; its requests and refusals merged into `merged`. */
function consoleOfPhone(
  p: PhoneIdentity,
  store: Store,
  consoleTimes: Clocks['consoleTimes'],
  merged: MergedRequests,
): TimedConsoleEvent[] {
  const consoleEvents: TimedConsoleEvent[] = [];
  for (const file of p.consoles) {
    const events = store.consoles.get(file)?.events ?? [];
    const times = consoleTimes.get(file) ?? [];
    const finishedAfter = nextFinished(events);
    events.forEach((event, i) => {
      const time = times[i];
      consoleEvents.push({ file, event, ...(time !== undefined ? { time } : {}) });
      if (event.kind === 'tftp-request' || (event.kind === 'tftp-outcome' && !finishedAfter.answered.has(i))) {
        merged.add(fromConsoleRequest(file, event, finishedAfter.ends[i], time), time, false);
      }
    });
  }
  return consoleEvents;
}

/** Lines the engineer sent to the phone and markers, from its console recordings' headers, on the reference clock. */
function notesOf(p: PhoneIdentity, store: Store, clocks: readonly ClockAlignment[]): ConsoleNoteRecord[] {
  return p.consoles.flatMap((file) =>
    (store.consoles.get(file)?.header ?? []).flatMap((h): ConsoleNoteRecord[] => {
      const kind = NOTE_HEADER.exec(h.text)?.[1] as ConsoleNoteRecord['kind'] | undefined;
      const text = kind === 'sent' ? h.fields.text : kind === 'marker' ? h.fields.note : undefined;
      if (!kind || text === undefined) return [];
      const own = h.time ?? NaN;
      const clock = clocks.find((c) => c.file === file);
      return [
        {
          file,
          line: h.line,
          kind,
          text,
          ...(Number.isFinite(own) ? { time: clock ? toReference(clock, own) : own } : {}),
        },
      ];
    }),
  );
}

/** The server-log lines about the phone (its IP or MAC), on the reference clock, in causal order. */
function serverLinesOf(
  p: PhoneIdentity,
  sources: RecordSources,
  requests: readonly PhoneRequest[],
): TimedServerEvent[] {
  const matched = capturedLineTimes(requests);
  const captured = capturedDhcpMessages(sources.indexes.exchangesByClient.of(new Set([p.key])));
  const addresses = new Set([...p.ips, p.key]);
  return sources.logs.byName.flatMap(([file]) => {
    const clock = sources.clocks.logClocks.get(file);
    const lines = (sources.serverEventsByAddress.get(file)?.of(addresses) ?? []).map((event) => ({
      file,
      event,
      ...(event.time !== undefined && clock ? { time: toReference(clock, event.time) } : {}),
    }));
    return inCausalOrder(file, lines, new Map([...matched, ...dhcpLineTimes(file, lines, captured)]));
  });
}

/**
 * For each console request line, the line that ends it: the first `Finished` line after it of
 * the same transfer, else the first outcome line naming the same file before the file is asked
 * for again; and which outcome lines end a request (so are no request of their own). One pass, from the end.
 */
function nextFinished(events: readonly ConsoleEvent[]): { ends: (ConsoleEvent | undefined)[]; answered: Set<number> } {
  const next = new Map<number, ConsoleEvent>();
  const outcomes = new Map<string, { event: ConsoleEvent; index: number }>();
  const out: (ConsoleEvent | undefined)[] = new Array(events.length);
  const answered = new Set<number>();
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (!e) continue;
    if (e.kind === 'tftp-request') {
      const outcome = outcomes.get(e.file);
      out[i] = (e.transfer !== undefined ? next.get(e.transfer) : undefined) ?? outcome?.event;
      if (outcome && out[i] === outcome.event) answered.add(outcome.index);
      outcomes.delete(e.file);
    }
    if (e.kind === 'tftp-finished' && e.transfer !== undefined) next.set(e.transfer, e);
    if (e.kind === 'tftp-outcome') outcomes.set(e.file, { event: e, index: i });
  }
  return { ends: out, answered };
}

/**
 * Server-log lines that are evidence of a request the capture saw, by `file:line`, with the
 * capture's time: the request line at the request, an outcome line at the transfer's end.
 */
function capturedLineTimes(requests: readonly PhoneRequest[]): Map<string, number> {
  const times = new Map<string, number>();
  for (const q of requests) {
    if (!q.transfer || q.time === undefined) continue;
    const end = timestampSeconds(q.transfer.error?.time ?? q.transfer.lastTime);
    q.evidence.forEach((e, i) => {
      if (e.source === 'server-log' && e.line !== undefined)
        times.set(`${e.file}:${e.line}`, i === q.evidence.findIndex((x) => x.source === 'server-log') ? q.time! : end);
    });
  }
  return times;
}

/** The phone's DHCP messages in the capture, by type in lower case (`discover`, `ack`), in time order. */
function capturedDhcpMessages(exchanges: readonly { readonly exchange: DhcpExchange }[]): Map<string, number[]> {
  const byType = new Map<string, number[]>();
  for (const { exchange } of exchanges) {
    for (const m of [...exchange.clientMessages, ...exchange.offers, ...exchange.answers]) {
      const type = m.type.toLowerCase();
      const times = byType.get(type);
      if (times) times.push(timestampSeconds(m.time));
      else byType.set(type, [timestampSeconds(m.time)]);
    }
  }
  for (const times of byType.values()) times.sort((a, b) => a - b);
  return byType;
}

/**
 * A DHCP server's lines that log a message the capture holds, by `file:line`, with the
 * capture's time: each line takes the first message of its type not taken yet within its
 * second (a whole-second log line says only the second it falls in).
 */
function dhcpLineTimes(
  file: string,
  lines: readonly TimedServerEvent[],
  captured: ReadonlyMap<string, readonly number[]>,
): Map<string, number> {
  const times = new Map<string, number>();
  const used = new Set<string>();
  for (const { event, time } of lines) {
    if (event.kind !== 'dhcp' || event.messageType === undefined || time === undefined) continue;
    const type = event.messageType;
    const at = (captured.get(type) ?? []).find(
      (t) => !used.has(`${type} ${t}`) && t >= time - MATCH_TOLERANCE_SECONDS && t < time + 1,
    );
    if (at === undefined) continue;
    used.add(`${type} ${at}`);
    times.set(`${file}:${event.line}`, at);
  }
  return times;
}

/**
 * A log written in whole seconds says only the second a line falls in: a line is put at the
 * capture event it matched, else no earlier than the line before it within that second, so
 * that no line shows at `.000` ahead of what caused it.
 */
function inCausalOrder(
  file: string,
  lines: readonly TimedServerEvent[],
  matched: ReadonlyMap<string, number>,
): TimedServerEvent[] {
  if (!lines.every((l) => l.time === undefined || Number.isInteger(Math.round(l.time * 1000) / 1000)))
    return [...lines];
  let last: number | undefined;
  return lines.map((l) => {
    if (l.time === undefined) return l;
    const at = matched.get(`${file}:${l.event.line}`);
    const time =
      at !== undefined && at >= l.time - MATCH_TOLERANCE_SECONDS
        ? at
        : last !== undefined && last > l.time && last < l.time + 1
          ? last
          : l.time;
    last = time;
    return time === l.time ? l : { ...l, time };
  });
}

/**
 * A console written in whole seconds, as `inCausalOrder` does for a log: a line that is a mark
 * (a file asked for, a DHCP step) goes to the first unused reference event of its kind within
 * its second; any other line no earlier than the line before it within that second.
 */
function consoleInCausalOrder(
  events: readonly ConsoleEvent[],
  times: readonly (number | undefined)[],
  reference: readonly ClockMark[],
): (number | undefined)[] {
  const used = new Set<ClockMark>();
  // The reference marks by kind, each list in time order: a line looks only at its own kind.
  const byKey = new Map<string, ClockMark[]>();
  for (const m of reference) {
    const marks = byKey.get(m.key);
    if (marks) marks.push(m);
    else byKey.set(m.key, [m]);
  }
  for (const marks of byKey.values()) marks.sort((a, b) => a.time - b.time);
  let last: number | undefined;
  return times.map((t, i) => {
    if (t === undefined) return t;
    const event = events[i];
    const key = event && consoleMarkKey(event);
    const match =
      key === undefined ? undefined : byKey.get(key)?.find((m) => !used.has(m) && m.time >= t - 1e-3 && m.time < t + 1);
    if (match) used.add(match);
    const placed = match ? match.time : last !== undefined && last > t && last < t + 1 ? last : t;
    last = placed;
    return placed;
  });
}

/** The items of a list by the addresses (IP, or MAC for DHCP) each involves, so a phone finds its own without scanning every phone's. */
class AddressIndex<T> {
  private readonly positions = new Map<string, number[]>();

  constructor(
    private readonly list: readonly T[],
    addressesOf: (item: T) => readonly string[],
  ) {
    list.forEach((item, i) => {
      for (const address of new Set(addressesOf(item))) {
        const at = this.positions.get(address);
        if (at) at.push(i);
        else this.positions.set(address, [i]);
      }
    });
  }

  /** The items involving any of `addresses`, each once, in list order. */
  of(addresses: ReadonlySet<string>): T[] {
    const at =
      addresses.size === 1
        ? (this.positions.get(addresses.values().next().value!) ?? [])
        : [...new Set([...addresses].flatMap((a) => this.positions.get(a) ?? []))].sort((x, y) => x - y);
    return at.map((i) => this.list[i]!);
  }
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
  events: readonly ConsoleEvent[],
  phones: ReadonlyMap<string, { readonly ips: ReadonlySet<string> }>,
  filesOf: (ips: ReadonlySet<string>) => ReadonlySet<string>,
): string | undefined {
  if (phones.size === 1) return [...phones.keys()][0];
  const named = new Set(
    events.flatMap((e) =>
      e.kind === 'tftp-request' || e.kind === 'tftp-outcome' || (e.kind === 'status' && e.file) ? [e.file!] : [],
    ),
  );
  let best: { key: string; score: number } | undefined;
  for (const [key, p] of [...phones].sort(([a], [b]) => a.localeCompare(b))) {
    const files = filesOf(p.ips);
    const score = [...named].filter((f) => files.has(f)).length;
    if (score > 0 && (!best || score > best.score)) best = { key, score };
  }
  return best?.key;
}

/** A captured exchange's messages as marks a DHCP server's log can match: `dhcp <type> <mac>`. */
function capturedDhcpMarks(x: DhcpExchange): ClockMark[] {
  const mac = x.client.toLowerCase();
  return [...x.clientMessages, ...x.offers, ...x.answers].flatMap((m) =>
    m.type === 'BOOTREQUEST' || m.type === 'BOOTREPLY'
      ? []
      : [{ key: `dhcp ${m.type.toLowerCase()} ${mac}`, time: timestampSeconds(m.time) }],
  );
}

function dhcpMarks(exchanges: readonly DhcpExchange[]): ClockMark[] {
  const marks: ClockMark[] = [];
  for (const x of exchanges) {
    for (const m of x.clientMessages)
      if (m.type === 'DISCOVER' || m.type === 'REQUEST')
        marks.push({ key: `dhcp-${m.type.toLowerCase()}`, time: timestampSeconds(m.time) });
    for (const a of [...x.offers, ...x.answers])
      if (a.type === 'OFFER' || a.type === 'ACK' || a.type === 'NAK')
        marks.push({ key: `dhcp-${a.type.toLowerCase()}`, time: timestampSeconds(a.time) });
  }
  return marks;
}

/** Screen states tied to network events (a VLAN is configured before any DHCP, so it is not one). */
const SCREEN_MARK_STATES: ReadonlySet<ScreenState> = new Set([
  'configuring-ip',
  'requesting-config',
  'tftp-timeout',
  'upgrading',
  'application-invalid',
]);

/**
 * The network events a screen state goes with: Configuring IP ↔ the start of each DHCP
 * exchange, Requesting configuration ↔ a config file asked for, Upgrading ↔ an image asked
 * for, Protocol Application Invalid ↔ the end of an image transfer, TFTP Timeout ↔ the last
 * try of a request left unanswered.
 */
function screenMarks(exchanges: readonly DhcpExchange[], transfers: readonly TftpTransfer[]): ClockMark[] {
  const marks: ClockMark[] = exchanges.map((x) => ({
    key: 'screen configuring-ip',
    time: timestampSeconds(x.firstTime),
  }));
  for (const t of transfers) {
    const kind = classifyFileName(t.file).kind;
    if (kind === 'image') {
      marks.push({ key: 'screen upgrading', time: timestampSeconds(t.firstTime) });
      marks.push({ key: 'screen application-invalid', time: timestampSeconds(t.lastTime) });
    }
    if (CONFIG_FILE_KINDS.has(kind))
      marks.push({ key: 'screen requesting-config', time: timestampSeconds(t.firstTime) });
    // Never answered: given up on, or still unanswered when the capture ended.
    const unanswered =
      t.outcome === 'no-answer' ||
      t.outcome === 'unreachable' ||
      (t.outcome === 'running' && t.blocks === 0 && t.serverPort === undefined);
    if (unanswered) marks.push({ key: 'screen tftp-timeout', time: timestampSeconds(t.lastTime) });
  }
  return marks;
}

/** Console events comparable with the capture's: file requests, the config file name shown, a file refused, DHCP steps. */
function consoleMarkKey(e: ConsoleEvent): string | undefined {
  if (e.kind === 'tftp-request') return `tftp * ${e.file}`;
  if (e.kind === 'status' && e.file) return `tftp * ${e.file}`;
  // A refusal comes at once; a file received, a timeout or a failure part-way comes later, which is no mark for the request.
  if (e.kind === 'tftp-outcome' && (e.outcome === 'not-found' || e.outcome === 'denied')) return `tftp * ${e.file}`;
  if (e.kind === 'dhcp') {
    if (/^(?:DHCP BOUND|DHCP ACK|DHCP LEASE|ACK RECEIVED)$/.test(e.state)) return 'dhcp-ack';
    if (/^(?:DHCP REQUESTING|DHCP REQUEST|SENDING REQUEST)$/.test(e.state)) return 'dhcp-request';
    if (/^(?:DHCP DISCOVER|SENDING DISCOVER)$/.test(e.state)) return 'dhcp-discover';
    if (e.state === 'DHCP OFFER') return 'dhcp-offer';
    if (e.state === 'DHCP NAK') return 'dhcp-nak';
  }
  return undefined;
}
