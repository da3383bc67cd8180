/**
 * Lining up the clocks of the sources. The capture's clock is the reference (without a
 * capture, the server log's, then the console's). A console log carries the host's time of
 * receipt, or only the phone's own clock (a time of day, a date, seconds since boot), or the
 * watch times of a screen noted by hand; a server log its wall-clock time, often without year
 * or zone. The offset of a source is found from marks, events both sources saw: the same file
 * requested, DHCP steps (console words, capture, a DHCP server's log). Every pairing of equal
 * marks proposes an offset; the offset most pairs agree with (within MATCH_TOLERANCE_SECONDS)
 * wins, refined to the median of its pairs, and to a straight line when the source's clock
 * drifts over a long session. Any offset is found: time zones, a clock a day wrong.
 * A console with only screen states is lined up approximately from the states it shows
 * (SCREEN_MARKS), with a wider tolerance, and says how uncertain that is.
 */
import type { ConsoleEvent } from '../../parsers/console/events.js';
import type { ClockAlignment } from './analysis.js';

/** Clocks of a phone's console and a PC's capture agree to well within this after alignment. */
export const MATCH_TOLERANCE_SECONDS = 2;
/** Below this the clocks are taken to agree: no CLOCKS_UNALIGNED. */
export const ALIGNED_WITHIN_SECONDS = 1;
/** Pairs looked at, at most, per source (the vote is quadratic in them). */
const MAX_PAIRS = 3000;

/** Drift smaller than this over the matched span is left out (the median offset is as good). */
const DRIFT_NOTICED_SECONDS = 0.5;
/** Drift is fitted only over at least this many matched marks spread over at least this long. */
const DRIFT_MIN_MARKS = 4;
const DRIFT_MIN_SPAN_SECONDS = 600;
/**
 * How far a screen state may be from the network event it goes with: the phone changes its
 * screen a few seconds around the event, and a watch is read to the second at best.
 */
export const SCREEN_TOLERANCE_SECONDS = 10;

/** An event a source saw, by what makes it comparable across sources. */
export interface ClockMark {
  /**
   * `tftp <client> <file>` (client may be '*'), `dhcp-discover`, `dhcp-offer`, `dhcp-request`,
   * `dhcp-ack`, `dhcp-nak`; a screen state `screen <state>` (approximate marks only).
   */
  readonly key: string;
  readonly time: number;
}

export interface OffsetVote {
  readonly offsetSeconds: number;
  readonly matches: number;
  /** The largest distance of a matched pair from the offset (or the drift line). */
  readonly spreadSeconds: number;
  readonly drift?: { readonly perSecond: number; readonly from: number };
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
export function voteOffset(
  reference: readonly ClockMark[],
  source: readonly ClockMark[],
  tolerance = MATCH_TOLERANCE_SECONDS,
): OffsetVote | undefined {
  const byGroup = new Map<string, ClockMark[]>();
  for (const r of reference) {
    const group = matchGroup(r.key);
    const list = byGroup.get(group);
    if (list) list.push(r);
    else byGroup.set(group, [r]);
  }
  const candidates = source.map((s) => byGroup.get(matchGroup(s.key)) ?? []);
  // Over MAX_PAIRS, every n-th source event is taken, so a long session is still seen end to end.
  const step = Math.max(1, Math.ceil(candidates.reduce((n, c) => n + c.length, 0) / MAX_PAIRS));
  const pairs: { src: number; d: number }[] = [];
  source.forEach((s, i) => {
    if (i % step !== 0) return;
    for (const r of candidates[i]!) if (keysMatch(r.key, s.key)) pairs.push({ src: i, d: r.time - s.time });
  });
  if (pairs.length === 0) return undefined;
  const best = mostSupported(pairs, tolerance);
  // Refine: for each source event, the pair closest to the winning offset; then the median.
  const closest = closestPairs(pairs, () => best, tolerance);
  const ds = [...closest.values()].sort((a, b) => a - b);
  const median = medianOf(ds);
  const spread = Math.max(...ds.map((d) => Math.abs(d - median)));
  // A log in whole seconds (syslog) truncates: its events happen up to a second after the time written.
  const wholeSeconds = source.every((s) => Number.isInteger(s.time));
  // Screen states are too loose to tell a drift; whole seconds need a larger one to be sure of it.
  const drift =
    tolerance <= MATCH_TOLERANCE_SECONDS
      ? driftOf(pairs, closest, source, median, tolerance, wholeSeconds ? 2 : DRIFT_NOTICED_SECONDS)
      : undefined;
  if (drift) return { ...drift, offsetSeconds: Math.round(drift.offsetSeconds * 1000) / 1000 };
  return {
    offsetSeconds: wholeSeconds ? Math.floor(median) : Math.round(median * 1000) / 1000,
    matches: closest.size,
    spreadSeconds: spread,
  };
}

function medianOf(sorted: readonly number[]): number {
  return sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}

/** For each source event, the offset of its pair nearest `expected(source index)`, among those within `tolerance` of it. */
function closestPairs(
  pairs: readonly { src: number; d: number }[],
  expected: (src: number) => number,
  tolerance: number,
): Map<number, number> {
  const closest = new Map<number, number>();
  for (const p of pairs) {
    const e = expected(p.src);
    if (Math.abs(p.d - e) > tolerance) continue;
    const known = closest.get(p.src);
    if (known === undefined || Math.abs(p.d - e) < Math.abs(known - e)) closest.set(p.src, p.d);
  }
  return closest;
}

/**
 * A clock that drifts over a long session: a straight line through the matched offsets
 * (least squares, the pairs taken again near the line a few times, so that marks the drift
 * had carried out of the first window come back). Undefined when the drift over the matched
 * span stays under `noticed` seconds or there are too few marks to tell.
 */
function driftOf(
  pairs: readonly { src: number; d: number }[],
  first: ReadonlyMap<number, number>,
  source: readonly ClockMark[],
  median: number,
  tolerance: number,
  noticed: number,
): OffsetVote | undefined {
  let closest = first;
  let line = { a: median, b: 0, t0: 0 };
  for (let round = 0; round < 4; round++) {
    const points = [...closest].map(([src, d]) => ({ t: source[src]!.time, d }));
    const span = points.length ? Math.max(...points.map((p) => p.t)) - Math.min(...points.map((p) => p.t)) : 0;
    if (points.length < DRIFT_MIN_MARKS || span < DRIFT_MIN_SPAN_SECONDS) return undefined;
    const t0 = Math.min(...points.map((p) => p.t));
    const mt = points.reduce((sum, p) => sum + p.t - t0, 0) / points.length;
    const md = points.reduce((sum, p) => sum + p.d, 0) / points.length;
    const sxx = points.reduce((sum, p) => sum + (p.t - t0 - mt) ** 2, 0);
    const b = points.reduce((sum, p) => sum + (p.t - t0 - mt) * (p.d - md), 0) / sxx;
    line = { a: md - b * mt, b, t0 };
    const { a, t0: from } = line;
    closest = closestPairs(pairs, (src) => a + b * (source[src]!.time - from), tolerance);
  }
  const points = [...closest].map(([src, d]) => ({ t: source[src]!.time, d }));
  const span = Math.max(...points.map((p) => p.t)) - Math.min(...points.map((p) => p.t));
  if (Math.abs(line.b) * span < noticed) return undefined;
  const spread = Math.max(...points.map((p) => Math.abs(p.d - (line.a + line.b * (p.t - line.t0)))));
  return {
    offsetSeconds: line.a,
    matches: closest.size,
    spreadSeconds: spread,
    drift: { perSecond: line.b, from: line.t0 },
  };
}

/**
 * The proposed offset that the most source events support (a pair within MATCH_TOLERANCE_SECONDS
 * of it); ties go to the offset nearest zero, then the smaller. One sweep over the pairs sorted by
 * offset, counting each source event once in the window around the candidate.
 */
function mostSupported(pairs: readonly { src: number; d: number }[], tolerance: number): number {
  const sorted = [...pairs].sort((a, b) => a.d - b.d);
  const inWindow = new Map<number, number>();
  const enter = (src: number): void => {
    inWindow.set(src, (inWindow.get(src) ?? 0) + 1);
  };
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
    while (high < sorted.length && sorted[high]!.d <= d + tolerance) enter(sorted[high++]!.src);
    while (sorted[low]!.d < d - tolerance) leave(sorted[low++]!.src);
    const score = inWindow.size;
    if (
      !best ||
      score > best.score ||
      (score === best.score && (Math.abs(d) < Math.abs(best.d) || (Math.abs(d) === Math.abs(best.d) && d < best.d)))
    )
      best = { d, score };
  }
  return best!.d;
}

/** What each screen-state mark is matched with, in words. */
const SCREEN_PAIRINGS: Readonly<Record<string, string>> = {
  'screen configuring-ip': 'Configuring IP ↔ the start of a DHCP exchange',
  'screen requesting-config': 'requesting the configuration ↔ a config file asked for',
  'screen upgrading': 'upgrading ↔ an image asked for',
  'screen application-invalid': 'Protocol Application Invalid ↔ the end of an image transfer',
  'screen tftp-timeout': 'TFTP Timeout ↔ a request left unanswered',
};

/** Marks for an approximate alignment (screen states), and how coarse the source's times are. */
export interface ApproximateMarks {
  readonly reference: readonly ClockMark[];
  readonly source: readonly ClockMark[];
  /** The step of the source's written times (1 s, or 60 s for `HH:MM`). */
  readonly resolutionSeconds: number;
}

export function alignSource(
  source: ClockAlignment['source'],
  file: string,
  reference: readonly ClockMark[],
  marks: readonly ClockMark[],
  referenceName: string,
  override: number | undefined,
  approximate?: ApproximateMarks,
): ClockAlignment {
  if (override !== undefined) {
    return {
      source,
      file,
      offsetSeconds: override,
      method: 'override',
      matches: 0,
      detail: `offset ${formatOffset(override)} given on the command line`,
    };
  }
  const vote = voteOffset(reference, marks);
  if (vote) {
    const drift = vote.drift ? `, drifting ${formatDrift(vote.drift.perSecond)}` : '';
    return {
      source,
      file,
      offsetSeconds: vote.offsetSeconds,
      method: 'matched-events',
      matches: vote.matches,
      ...(vote.drift ? { drift: vote.drift } : {}),
      detail: `${vote.matches} event${vote.matches === 1 ? '' : 's'} (same file requested, DHCP steps) seen in both ${file} and ${referenceName} put it ${formatOffset(vote.offsetSeconds)} from ${referenceName}${drift}${zoneNote(vote.offsetSeconds)}`,
    };
  }
  const screen =
    approximate && approximate.source.length > 0
      ? voteOffset(approximate.reference, approximate.source, SCREEN_TOLERANCE_SECONDS + approximate.resolutionSeconds)
      : undefined;
  if (screen && approximate) {
    const uncertainty = Math.ceil(
      Math.max(screen.spreadSeconds + approximate.resolutionSeconds / 2, SCREEN_TOLERANCE_SECONDS / 2),
    );
    const referenceKeys = new Set(approximate.reference.map((m) => m.key));
    const pairings = [...new Set(approximate.source.map((m) => m.key))]
      .filter((k) => referenceKeys.has(k))
      .map((k) => SCREEN_PAIRINGS[k] ?? k);
    return {
      source,
      file,
      offsetSeconds: screen.offsetSeconds,
      method: 'screen-states',
      matches: screen.matches,
      uncertaintySeconds: uncertainty,
      detail: `approximately: ${screen.matches} screen state${screen.matches === 1 ? '' : 's'} (${pairings.join(', ')}) matched to events in ${referenceName} put it ${formatOffset(screen.offsetSeconds)} (± ${uncertainty} s) from ${referenceName}${zoneNote(screen.offsetSeconds)}`,
    };
  }
  return {
    source,
    file,
    offsetSeconds: 0,
    method: 'none',
    matches: 0,
    detail: `no event seen in both ${file} and ${referenceName}: times left as they are`,
  };
}

/** A source time on the reference clock. */
export function toReference(alignment: Pick<ClockAlignment, 'offsetSeconds' | 'drift'>, time: number): number {
  const { drift } = alignment;
  return time + alignment.offsetSeconds + (drift ? drift.perSecond * (time - drift.from) : 0);
}

function formatDrift(perSecond: number): string {
  const perHour = perSecond * 3600;
  return `${perHour < 0 ? '-' : '+'}${Math.abs(perHour).toFixed(3)} s per hour`;
}

/** An offset near a whole quarter hour of at least 15 minutes is most likely a time zone: say which. */
function zoneNote(offset: number): string {
  // Seconds since boot are put on the reference by an offset that is a date, not a zone.
  if (Math.abs(offset) > 400 * DAY) return '';
  const quarters = Math.round(-offset / 900);
  if (quarters === 0 || Math.abs(-offset - quarters * 900) > 2 * MATCH_TOLERANCE_SECONDS) return '';
  const minutes = Math.abs(quarters) * 15;
  const days = Math.floor(minutes / 1440);
  const within = minutes % 1440;
  const zone = `${quarters < 0 ? '−' : '+'}${String(Math.floor(within / 60)).padStart(2, '0')}:${String(within % 60).padStart(2, '0')}`;
  if (days > 0)
    return ` (its clock is set ${days} day${days === 1 ? '' : 's'} ${quarters < 0 ? 'behind' : 'ahead'}${within ? `, then ${zone}` : ''})`;
  return ` (its clock most likely shows the time of zone UTC${zone})`;
}

export function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  return `${sign}${Math.abs(seconds).toFixed(3)} s`;
}

const DAY = 86_400;

/**
 * Seconds on a console's own clock, line by line (undefined: the line carries no time). The
 * host's time of receipt when the log has it; else the time the line carries: a full date
 * (with its zone when written), a syslog date (its year the one that puts it nearest
 * `anchor`), seconds since boot (a reboot starts again from 0: the count goes on from the
 * last), or a time of day alone, put on the day that brings the first such line within half a
 * day of `anchor`, moving to the next day when the clock goes back by more than half a day
 * (midnight passed). The offset to the reference is found afterwards from marks.
 */
export function consoleOwnTimes(events: readonly ConsoleEvent[], anchor: number): (number | undefined)[] {
  if (events.some((e) => e.hostTime !== undefined)) return events.map((e) => e.hostTime);
  let day: number | undefined;
  let lastOfDay: number | undefined;
  let bootCarry = 0;
  let lastBoot: number | undefined;
  return events.map(({ phoneTime: t }) => {
    if (!t) return undefined;
    if (t.sinceBootSeconds !== undefined) {
      if (lastBoot !== undefined && t.sinceBootSeconds < lastBoot) bootCarry += lastBoot;
      lastBoot = t.sinceBootSeconds;
      return bootCarry + t.sinceBootSeconds;
    }
    if (t.microsOfDay === undefined) return undefined;
    const seconds = t.microsOfDay / 1e6;
    if (t.date) {
      const zone = (t.utcOffsetMinutes ?? 0) * 60;
      const at = (year: number): number => Date.UTC(year, t.date!.month - 1, t.date!.day) / 1000 + seconds - zone;
      if (t.date.year !== undefined) return at(t.date.year);
      const year = new Date(anchor * 1000).getUTCFullYear();
      return [year - 1, year, year + 1].map(at).reduce((a, b) => (Math.abs(b - anchor) < Math.abs(a - anchor) ? b : a));
    }
    if (day === undefined) {
      day = Math.floor(anchor / DAY) * DAY;
      if (day + seconds - anchor > DAY / 2) day -= DAY;
      else if (anchor - (day + seconds) > DAY / 2) day += DAY;
    } else if (lastOfDay !== undefined && seconds < lastOfDay - DAY / 2) {
      day += DAY;
    }
    lastOfDay = seconds;
    return day + seconds;
  });
}
