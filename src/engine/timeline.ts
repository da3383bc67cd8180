/**
 * One phone's merged timeline: its DHCP messages and TFTP transfers from the capture, the
 * server-log lines about it, and its console lines, on the reference clock. Each entry has
 * the anchor its evidence uses, so views can link findings and entries both ways.
 */
import { timestampSeconds } from '../../parsers/capture/frame.js';
import type { Timestamp } from '../../parsers/capture/frame.js';
import type { DhcpServerReply } from '../../parsers/dhcp/exchanges.js';
import { requestedAddress, tftpServerAddresses, tftpServerName, yourAddress } from '../../parsers/dhcp/fields.js';
import { nameText } from '../../parsers/dhcp/options.js';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import type { FindingId } from '../findings/catalog.js';
import type { Finding } from '../findings/finding.js';
import { evidenceAnchor } from './analysis.js';
import type { TimelineEntry } from './analysis.js';
import type { PhoneRecord } from './model.js';
import { visibleName } from './observations.js';
import { flatText, sharedText } from './shared-text.js';

type Draft = Omit<TimelineEntry, 'anchor' | 'findingIds' | 'time'> & {
  readonly seconds?: number;
  /** Where it sorts, when not at `seconds`. */
  readonly order?: number;
};

const LANE_RANK = { network: 0, server: 1, console: 2 } as const;

function dhcpReplyText(reply: DhcpServerReply): string {
  const address = yourAddress(reply.message);
  const name = tftpServerName(reply.message);
  const addresses = tftpServerAddresses(reply.message);
  return `DHCP ${reply.type} from ${reply.server}${address ? `: ${address}` : ''}${name ? `, option 66 ${nameText(name)}` : ''}${addresses?.length ? `, option 150 ${addresses.join(',')}` : ''}`;
}

export function timelineOf(phone: PhoneRecord, findings: readonly Finding[]): TimelineEntry[] {
  const drafts: Draft[] = [
    ...dhcpDrafts(phone),
    ...requestDrafts(phone),
    ...serverLineDrafts(phone),
    ...noteDrafts(phone),
    ...consoleDrafts(phone),
  ];
  const at = (d: Draft): number => d.order ?? d.seconds ?? Infinity;
  drafts.sort(
    (a, b) =>
      at(a) - at(b) ||
      LANE_RANK[a.lane] - LANE_RANK[b.lane] ||
      a.file.localeCompare(b.file) ||
      (a.frame ?? a.line ?? 0) - (b.frame ?? b.line ?? 0),
  );
  const cited = new Map<string, Set<FindingId>>();
  for (const f of findings) {
    for (const e of f.evidence) {
      const anchor = evidenceAnchor(e);
      cited.set(anchor, (cited.get(anchor) ?? new Set()).add(f.id));
    }
  }
  return drafts.map((d) => entryOf(d, cited));
}

/** The phone's captured DHCP messages. */
function dhcpDrafts(phone: PhoneRecord): Draft[] {
  const drafts: Draft[] = [];
  for (const { file, exchange } of phone.exchanges) {
    const messages: { frame: number; time: Timestamp; text: string; reply?: DhcpServerReply }[] = [
      ...exchange.clientMessages.map((m) => ({
        frame: m.frame,
        time: m.time,
        text: `DHCP ${m.type} from ${exchange.client}${requestedAddress(m.message) ? ` for ${requestedAddress(m.message)}` : ''}`,
      })),
      ...[...exchange.offers, ...exchange.answers].map((a) => ({
        frame: a.frame,
        time: a.time,
        reply: a,
        text: dhcpReplyText(a),
      })),
    ];
    for (const m of messages)
      drafts.push({
        source: 'capture',
        file,
        frame: m.frame,
        seconds: timestampSeconds(m.time),
        lane: 'network',
        kind: 'dhcp',
        text: m.text,
        ...(m.reply ? { dhcpReply: m.reply } : {}),
      });
  }
  return drafts;
}

/** The phone's requests, each at its first evidence when that is a captured transfer (log lines about it folded in). */
function requestDrafts(phone: PhoneRecord): Draft[] {
  const drafts: Draft[] = [];
  for (const r of phone.requests) {
    for (const e of r.evidence) {
      if (e.source !== 'capture' || e !== r.evidence[0]) continue;
      const merged = r.evidence.filter((x) => x.source === 'server-log').map(evidenceAnchor);
      drafts.push({
        source: 'capture',
        file: e.file,
        ...(e.frame !== undefined ? { frame: e.frame } : {}),
        ...(r.time !== undefined ? { seconds: r.time } : {}),
        lane: 'network',
        kind: r.answer === 'found' || r.answer === 'unknown' ? 'tftp' : 'error',
        text: e.text,
        ...(r.progress ? { progress: r.progress } : {}),
        ...(r.outcome !== undefined && r.transfer
          ? {
              request: {
                file: visibleName(r.file),
                answer: r.transfer.outcome === 'complete' ? 'found' : r.answer === 'found' ? 'unknown' : r.answer,
                outcome: r.outcome,
                peers: sharedText(`${r.transfer.client} → ${r.transfer.server}`),
                server: r.transfer.server,
              },
            }
          : {}),
        ...(merged.length ? { merged } : {}),
      });
    }
  }
  return drafts;
}

function serverLineDrafts(phone: PhoneRecord): Draft[] {
  const drafts: Draft[] = [];
  for (const { file, event, time } of phone.serverLines) {
    // A time to the whole second says "within that second". The model places a line it matched
    // to a capture event at that event; one still at the second's start is sorted at its end, so
    // it does not land above packets of that second shown already.
    const order =
      time !== undefined && Number.isInteger(time) && wholeSecond(event) ? time + WHOLE_SECOND_END : undefined;
    drafts.push({
      source: 'server-log',
      file,
      line: event.line,
      ...(time !== undefined ? { seconds: time } : {}),
      ...(order !== undefined ? { order } : {}),
      lane: 'server',
      kind: event.kind === 'not-found' || event.kind === 'error' ? 'error' : 'server',
      text: visibleName(event.message),
    });
  }
  return drafts;
}

/** Lines the engineer sent and markers, from the console recording. */
function noteDrafts(phone: PhoneRecord): Draft[] {
  return phone.notes.map((n) => ({
    source: 'console',
    file: n.file,
    line: n.line,
    ...(n.time !== undefined ? { seconds: n.time } : {}),
    lane: 'console',
    kind: 'status',
    note: n.kind,
    text: n.kind === 'sent' ? `→ sent: ${n.text}` : `■ marker: ${n.text}`,
  }));
}

function consoleDrafts(phone: PhoneRecord): Draft[] {
  const drafts: Draft[] = [];
  // A console line without a time of its own is put at the line before it (the first timed line for those before it).
  const last = new Map<string, number>();
  for (const { file, time } of phone.console) if (time !== undefined && !last.has(file)) last.set(file, time);
  for (const { file, event, time } of phone.console) {
    if (time !== undefined) last.set(file, time);
    if (event.kind === 'raw' && event.continuationOf !== undefined) continue;
    const seconds = last.get(file);
    drafts.push({
      source: 'console',
      file,
      line: event.line,
      ...(seconds !== undefined ? { seconds } : {}),
      lane: 'console',
      kind:
        event.kind === 'error'
          ? 'error'
          : event.kind === 'dhcp'
            ? 'dhcp'
            : event.kind === 'status'
              ? 'status'
              : event.kind === 'tftp-request' || event.kind === 'tftp-finished' || event.kind === 'tftp-outcome'
                ? 'tftp'
                : 'console',
      text: `${event.phoneTime && event.hostTime === undefined ? `[${event.phoneTime.text}] ` : ''}${event.message || event.raw}`,
    });
  }
  return drafts;
}

/** Where in its second a line stamped to the whole second is placed (sorted, replayed). */
export const WHOLE_SECOND_END = 0.999;

/** The line's own timestamp (before its message) has no fraction of a second. */
export function wholeSecond(event: ServerLogEvent): boolean {
  const stamp = event.raw.slice(0, Math.max(0, event.raw.length - event.message.length));
  return !/\d:\d\d[.,]\d/.test(stamp);
}

/**
 * Built one property after the other in a fixed order rather than by spreading the draft: on
 * Node 20, copies spread from objects of many shapes each get a hidden class of their own,
 * and the bench TUI rebuilds thousands of entries on every analysis.
 */
/** One empty list for the many entries no finding cites. */
const NO_FINDINGS: readonly FindingId[] = Object.freeze([]);

function entryOf(d: Draft, cited: ReadonlyMap<string, ReadonlySet<FindingId>>): TimelineEntry {
  const entry = {} as { -readonly [K in keyof TimelineEntry]: TimelineEntry[K] };
  entry.source = d.source;
  entry.file = d.file;
  if (d.frame !== undefined) entry.frame = d.frame;
  if (d.line !== undefined) entry.line = d.line;
  entry.lane = d.lane;
  entry.kind = d.kind;
  entry.text = d.text;
  if (d.progress) entry.progress = d.progress;
  if (d.request) entry.request = d.request;
  if (d.merged) entry.merged = d.merged;
  if (d.dhcpReply) entry.dhcpReply = d.dhcpReply;
  if (d.note) entry.note = d.note;
  entry.anchor = flatText(evidenceAnchor(d));
  if (d.seconds !== undefined && Number.isFinite(d.seconds)) entry.time = d.seconds;
  const ids = cited.get(entry.anchor);
  entry.findingIds = ids ? [...ids] : NO_FINDINGS;
  return entry;
}
