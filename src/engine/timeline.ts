/**
 * One phone's merged timeline: its DHCP messages and TFTP transfers from the capture, the
 * server-log lines about it, and its console lines, on the reference clock. Each entry has
 * the anchor its evidence uses, so views can link findings and entries both ways.
 */
import { timestampSeconds } from '../../parsers/capture/frame.js';
import type { Finding } from '../findings/finding.js';
import { evidenceAnchor } from './analysis.js';
import type { TimelineEntry } from './analysis.js';
import type { PhoneRecord } from './model.js';
import { visibleName } from './observations.js';

type Draft = Omit<TimelineEntry, 'anchor' | 'findingIds' | 'time'> & { readonly seconds?: number };

const LANE_RANK = { network: 0, server: 1, console: 2 } as const;

function iso(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
  // Cut to the millisecond, as a capture's time is shown (not rounded up past it).
  return new Date(Math.floor(seconds * 1000 + 1e-3)).toISOString();
}

export function timelineOf(phone: PhoneRecord, findings: readonly Finding[]): TimelineEntry[] {
  const drafts: Draft[] = [];
  for (const { file, exchange } of phone.exchanges) {
    const messages = [
      ...exchange.clientMessages.map((m) => ({ frame: m.frame, time: m.time, text: `DHCP ${m.type} from ${exchange.client}${m.requestedIp ? ` for ${m.requestedIp}` : ''}` })),
      ...[...exchange.offers, ...exchange.answers].map((a) => ({ frame: a.frame, time: a.time, text: `DHCP ${a.type} from ${a.server}${a.yiaddr ? `: ${a.yiaddr}` : ''}${a.tftp.option66 ? `, option 66 ${a.tftp.option66.replace(/\0+$/, '')}` : ''}${a.tftp.option150?.length ? `, option 150 ${a.tftp.option150.join(',')}` : ''}` })),
    ];
    for (const m of messages) drafts.push({ source: 'capture', file, frame: m.frame, seconds: timestampSeconds(m.time), lane: 'network', kind: 'dhcp', text: m.text });
  }
  for (const r of phone.requests) {
    for (const e of r.evidence) {
      if (e.source !== 'capture' || e !== r.evidence[0]) continue;
      drafts.push({
        source: 'capture', file: e.file, ...(e.frame !== undefined ? { frame: e.frame } : {}), ...(r.time !== undefined ? { seconds: r.time } : {}),
        lane: 'network', kind: r.answer === 'found' || r.answer === 'unknown' ? 'tftp' : 'error', text: e.text, ...(r.progress ? { progress: r.progress } : {}),
      });
    }
  }
  for (const { file, event, time } of phone.serverLines) {
    drafts.push({ source: 'server-log', file, line: event.line, ...(time !== undefined ? { seconds: time } : {}), lane: 'server', kind: event.kind === 'not-found' || event.kind === 'error' ? 'error' : 'server', text: visibleName(event.message) });
  }
  // A console line without a time of its own is put at the line before it (the first timed line for those before it).
  const last = new Map<string, number>();
  for (const { file, time } of phone.console) if (time !== undefined && !last.has(file)) last.set(file, time);
  for (const { file, event, time } of phone.console) {
    if (time !== undefined) last.set(file, time);
    if (event.kind === 'raw' && event.continuationOf !== undefined) continue;
    const seconds = last.get(file);
    drafts.push({
      source: 'console', file, line: event.line, ...(seconds !== undefined ? { seconds } : {}), lane: 'console',
      kind: event.kind === 'error' ? 'error' : event.kind === 'dhcp' ? 'dhcp' : event.kind === 'status' ? 'status' : event.kind === 'tftp-request' || event.kind === 'tftp-finished' || event.kind === 'tftp-outcome' ? 'tftp' : 'console',
      text: `${event.phoneTime && !event.hostTime ? `[${event.phoneTime.text}] ` : ''}${event.message || event.raw}`,
    });
  }
  drafts.sort((a, b) => (a.seconds ?? Infinity) - (b.seconds ?? Infinity) || LANE_RANK[a.lane] - LANE_RANK[b.lane] ||
    a.file.localeCompare(b.file) || (a.frame ?? a.line ?? 0) - (b.frame ?? b.line ?? 0));
  const cited = new Map<string, Set<string>>();
  for (const f of findings) {
    for (const e of f.evidence) {
      const anchor = evidenceAnchor(e);
      cited.set(anchor, (cited.get(anchor) ?? new Set()).add(f.id));
    }
  }
  return drafts.map((d) => entryOf(d, cited));
}

/**
 * Built one property after the other in a fixed order rather than by spreading the draft: on
 * Node 20, copies spread from objects of many shapes each get a hidden class of their own,
 * and the bench TUI rebuilds thousands of entries on every analysis.
 */
function entryOf(d: Draft, cited: ReadonlyMap<string, ReadonlySet<string>>): TimelineEntry {
  const entry = {} as { -readonly [K in keyof TimelineEntry]: TimelineEntry[K] };
  entry.source = d.source;
  entry.file = d.file;
  if (d.frame !== undefined) entry.frame = d.frame;
  if (d.line !== undefined) entry.line = d.line;
  entry.lane = d.lane;
  entry.kind = d.kind;
  entry.text = d.text;
  if (d.progress) entry.progress = d.progress;
  entry.anchor = evidenceAnchor(d);
  const time = iso(d.seconds);
  if (time) entry.time = time;
  entry.findingIds = [...(cited.get(entry.anchor) ?? [])];
  return entry;
}
