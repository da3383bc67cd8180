/**
 * Lining up the clocks of the sources. The capture's clock is the reference (without a
 * capture, the server log's, then the console's). A console log carries the host's time of
 * receipt, or only the phone's own HH:MM:SS; a server log its wall-clock time, often without
 * year or zone. The offset of a source is found from events both sources saw: the same file
 * requested (console, capture, log), the DHCP REQUEST and ACK (console state words, capture).
 * Every pairing of equal events proposes an offset; the offset most pairs agree with (within
 * MATCH_TOLERANCE_SECONDS) wins, refined to the median of its pairs.
 */
import type { ClockAlignment } from './analysis.js';

/** Clocks of a phone's console and a PC's capture agree to well within this after alignment. */
export const MATCH_TOLERANCE_SECONDS = 2;
/** Below this the clocks are taken to agree: no CLOCKS_UNALIGNED. */
export const ALIGNED_WITHIN_SECONDS = 1;
/** Pairs looked at, at most, per source (the vote is quadratic in them). */
const MAX_PAIRS = 3000;

/** An event a source saw, by what makes it comparable across sources. */
export interface ClockMark {
  /** `tftp <client> <file>` (client may be '*'), `dhcp-request`, `dhcp-ack`. */
  readonly key: string;
  readonly time: number;
}

export interface OffsetVote {
  readonly offsetSeconds: number;
  readonly matches: number;
}

function keysMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [ka, ca, ...fa] = a.split(' ');
  const [kb, cb, ...fb] = b.split(' ');
  return ka === 'tftp' && kb === 'tftp' && fa.join(' ') === fb.join(' ') && (ca === '*' || cb === '*');
}

/** Marks that can match each other share this: `tftp <file>` whatever the client, else the key itself. */
function matchGroup(key: string): string {
  if (!key.startsWith('tftp ')) return key;
  const afterClient = key.indexOf(' ', 'tftp '.length);
  return afterClient < 0 ? key : `tftp ${key.slice(afterClient + 1)}`;
}

/** The offset (seconds to add to `source` times) most matching events agree with; undefined when none match. */
export function voteOffset(reference: readonly ClockMark[], source: readonly ClockMark[]): OffsetVote | undefined {
  const byGroup = new Map<string, ClockMark[]>();
  for (const r of reference) {
    const group = matchGroup(r.key);
    const list = byGroup.get(group);
    if (list) list.push(r);
    else byGroup.set(group, [r]);
  }
  const pairs: { src: number; d: number }[] = [];
  source.forEach((s, i) => {
    for (const r of byGroup.get(matchGroup(s.key)) ?? []) {
      if (pairs.length >= MAX_PAIRS) return;
      if (keysMatch(r.key, s.key)) pairs.push({ src: i, d: r.time - s.time });
    }
  });
  if (pairs.length === 0) return undefined;
  const best = mostSupported(pairs);
  // Refine: for each source event, the pair closest to the winning offset; then the median.
  const closest = new Map<number, number>();
  for (const p of pairs) {
    if (Math.abs(p.d - best) > MATCH_TOLERANCE_SECONDS) continue;
    const known = closest.get(p.src);
    if (known === undefined || Math.abs(p.d - best) < Math.abs(known - best)) closest.set(p.src, p.d);
  }
  const ds = [...closest.values()].sort((a, b) => a - b);
  const median = ds.length % 2 ? ds[(ds.length - 1) / 2]! : (ds[ds.length / 2 - 1]! + ds[ds.length / 2]!) / 2;
  // A log in whole seconds (syslog) truncates: its events happen up to a second after the time written.
  const wholeSeconds = source.every((s) => Number.isInteger(s.time));
  return { offsetSeconds: wholeSeconds ? Math.floor(median) : Math.round(median * 1000) / 1000, matches: closest.size };
}

/**
 * The proposed offset that the most source events support (a pair within MATCH_TOLERANCE_SECONDS
 * of it); ties go to the offset nearest zero, then the smaller. One sweep over the pairs sorted by
 * offset, counting each source event once in the window around the candidate.
 */
function mostSupported(pairs: readonly { src: number; d: number }[]): number {
  const sorted = [...pairs].sort((a, b) => a.d - b.d);
  const inWindow = new Map<number, number>();
  const enter = (src: number): void => { inWindow.set(src, (inWindow.get(src) ?? 0) + 1); };
  const leave = (src: number): void => {
    const n = inWindow.get(src)! - 1;
    if (n === 0) inWindow.delete(src);
    else inWindow.set(src, n);
  };
  let best: { d: number; score: number } | undefined;
  let low = 0;
  let high = 0;
  for (let i = 0; i < sorted.length; i++) {
    const d = sorted[i]!.d;
    if (i > 0 && sorted[i - 1]!.d === d) continue;
    while (high < sorted.length && sorted[high]!.d <= d + MATCH_TOLERANCE_SECONDS) enter(sorted[high++]!.src);
    while (sorted[low]!.d < d - MATCH_TOLERANCE_SECONDS) leave(sorted[low++]!.src);
    const score = inWindow.size;
    if (!best || score > best.score || (score === best.score && (Math.abs(d) < Math.abs(best.d) || (Math.abs(d) === Math.abs(best.d) && d < best.d)))) best = { d, score };
  }
  return best!.d;
}

export function alignSource(
  source: ClockAlignment['source'], file: string, reference: readonly ClockMark[], marks: readonly ClockMark[],
  referenceName: string, override: number | undefined,
): ClockAlignment {
  if (override !== undefined) {
    return { source, file, offsetSeconds: override, method: 'override', matches: 0, detail: `offset ${formatOffset(override)} given on the command line` };
  }
  const vote = voteOffset(reference, marks);
  if (!vote) {
    return { source, file, offsetSeconds: 0, method: 'none', matches: 0, detail: `no event seen in both ${file} and ${referenceName}: times left as they are` };
  }
  return {
    source, file, offsetSeconds: vote.offsetSeconds, method: 'matched-events', matches: vote.matches,
    detail: `${vote.matches} event${vote.matches === 1 ? '' : 's'} (same file requested, DHCP steps) seen in both ${file} and ${referenceName} put it ${formatOffset(vote.offsetSeconds)} from ${referenceName}`,
  };
}

export function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  return `${sign}${Math.abs(seconds).toFixed(3)} s`;
}

const DAY = 86_400;

/**
 * Absolute seconds for a phone's time of day (no date): on the UTC day of `anchor`, moving to
 * the next day when the phone's clock goes back by more than half a day (midnight passed).
 */
export function phoneDayTimes(micros: readonly (number | undefined)[], anchor: number): (number | undefined)[] {
  let day = Math.floor(anchor / DAY) * DAY;
  let last: number | undefined;
  return micros.map((m) => {
    if (m === undefined) return undefined;
    const seconds = m / 1e6;
    if (last !== undefined && seconds < last - DAY / 2) day += DAY;
    last = seconds;
    return day + seconds;
  });
}
