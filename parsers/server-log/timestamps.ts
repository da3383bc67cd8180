/**
 * Turning the many ways server logs write time into one instant (seconds since the epoch, to the ms).
 * Classic syslog (`Dec 20 03:25:25`), tftpd32 (`[28/08 02:18:40.879]`) and IOS logs give
 * no year and no zone: those come from the caller's context, and the event says so.
 */
import type { TimeAssumption } from './events.js';

export interface ServerLogContext {
  /**
   * A time close to the log's, in seconds since the epoch: the capture's first packet, or the
   * log file's mtime. A line without a year gets the year that puts it closest to this time,
   * so a log that runs over New Year reads right.
   */
  readonly referenceTime: number;
  /** Minutes to add to UTC to get the log's local time (60 for CET, -300 for EST). Used when a line has no zone. */
  readonly utcOffsetMinutes: number;
}

export interface LogTime {
  /** Seconds since the epoch (UTC), to the millisecond. */
  readonly seconds: number;
  readonly assumes: readonly TimeAssumption[];
}

/** The parts of a local time as a log line writes them. */
export interface ClockParts {
  readonly year?: number;
  /** 1-12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Decimal digits after the seconds, as written (any length). */
  readonly fraction?: string;
  /** Offset from UTC in minutes when the line gives one. */
  readonly offsetMinutes?: number;
}

export const MONTHS: readonly string[] = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** 1-12 for an English month abbreviation (syslog writes them in the C locale), or 0. */
export function monthNumber(name: string): number {
  return MONTHS.indexOf(name) + 1;
}

/** The zones in use run from UTC-12:00 to UTC+14:00. */
const ZONE_MINUTES = { west: -12 * 60, east: 14 * 60 } as const;

/**
 * `Z`, `+01:00`, `-0500` as minutes east of UTC; undefined for anything else, and for a zone
 * no clock is in (`+99:99`, `+15:00`): such a line's time is read as one without a zone.
 */
export function offsetMinutes(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m || Number(m[3]) > 59) return undefined;
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return minutes >= ZONE_MINUTES.west && minutes <= ZONE_MINUTES.east ? minutes : undefined;
}

const MINUTE_MS = 60_000;

/** UTC milliseconds of a local time in `year`, or undefined when the date does not exist (30 February). */
/** Days of each month in a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** Without a Date per line: a log of millions of lines takes each line's time several times (the year nearest). */
function utcMillis(year: number, parts: ClockParts, offset: number, millis: number): number | undefined {
  // Date.UTC reads a year 0-99 as 1900-1999.
  if (year < 100 || parts.day < 1 || parts.day > daysIn(year, parts.month)) return undefined;
  const local = Date.UTC(year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, millis);
  return Number.isNaN(local) ? undefined : local - offset * MINUTE_MS;
}

/**
 * What a time was completed with, one array per combination shared by every line: a log of a
 * million lines keeps a million events, and an array of its own in each would outweigh the event.
 */
const ASSUMING: Readonly<Record<'none' | 'year' | 'offset' | 'both', readonly TimeAssumption[]>> = {
  none: Object.freeze([]),
  year: Object.freeze(['year'] as const),
  offset: Object.freeze(['utc-offset'] as const),
  both: Object.freeze(['year', 'utc-offset'] as const),
};

function assumptions(year: boolean, offset: boolean): readonly TimeAssumption[] {
  return year ? (offset ? ASSUMING.both : ASSUMING.year) : offset ? ASSUMING.offset : ASSUMING.none;
}

export function resolveTime(parts: ClockParts, context: ServerLogContext): LogTime | undefined {
  if (parts.month < 1 || parts.month > 12 || parts.hour > 23 || parts.minute > 59 || parts.second > 59)
    return undefined;
  const millis = parts.fraction ? Number(parts.fraction.padEnd(3, '0').slice(0, 3)) : 0;
  const offset = parts.offsetMinutes ?? context.utcOffsetMinutes;
  let instant: number | undefined;
  if (parts.year !== undefined) {
    instant = utcMillis(parts.year, parts, offset, millis);
  } else {
    const reference = context.referenceTime * 1000;
    const referenceYear = new Date(reference + offset * MINUTE_MS).getUTCFullYear();
    for (const year of [referenceYear - 1, referenceYear, referenceYear + 1]) {
      const candidate = utcMillis(year, parts, offset, millis);
      if (candidate === undefined) continue;
      if (instant === undefined || Math.abs(candidate - reference) < Math.abs(instant - reference)) instant = candidate;
    }
  }
  if (instant === undefined) return undefined;
  return { seconds: instant / 1000, assumes: assumptions(parts.year === undefined, parts.offsetMinutes === undefined) };
}

/** An instant given as seconds since the epoch (journalctl `-o short-unix`). */
export function epochTime(seconds: string, fraction: string): LogTime {
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  return { seconds: (Number(seconds) * 1000 + millis) / 1000, assumes: ASSUMING.none };
}
