import type { ConsoleLineFormat, ConsoleSeverity, PhoneClock } from './events.js';

/** A console line split into its frame (time, severity, module) and the message recognisers match. */
export interface ConsoleEnvelope {
  readonly format: ConsoleLineFormat;
  readonly message: string;
  readonly phoneTime?: PhoneClock;
  readonly severity?: ConsoleSeverity;
  readonly seq?: number;
  readonly module?: string;
}

// Colon before the fraction.
const SIP_DEBUG = /^\[(\d{2}):(\d{2}):(\d{2}):(\d{6})\] ?(.*)$/;
// The 79x1/79x2 family.
const LATER_FAMILY = /^(?:(\d+): )?(NOT|INF|WRN|ERR) (\d{2}):(\d{2}):(\d{2})\.(\d{6}) (.*)$/;
// Linux kernel style: `[   12.345678] text`.
const SINCE_BOOT = /^\[\s*(\d{1,9})\.(\d{1,9})\]\s?(.*)$/;
// Either may come in brackets (`[2026-12-03 14:02:11.123]`, as terminal programs stamp lines).
const ISO_8601 =
  /^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}(?::?\d{2})?)?\]?(?:\s+|$)(.*)$/;
const SYSLOG =
  /^\[?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\]?(?:\s+|$)(.*)$/;
// `host tag[pid]: ` after a syslog time.
const SYSLOG_HOST_TAG = /^\S+ [\w./-]+(?:\[\d+\])?: /;
// Liberal: `14:02:11`, `[14:02:11.123]`, `14:02:11,123`, `2:02:11 PM`, `14:03` (a watch read by hand).
const TIME_OF_DAY =
  /^(\[?)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,:](\d{1,6}))?)?(?:\s?([AaPp])\.?[Mm]\.?)?(\]?)(?=\s|$)\s*(?:[-–|>:]\s+)?(.*)$/;
const MODULE = /^([A-Za-z][\w.-]*):/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Microseconds of a fraction written with any number of digits (`5` → 500000, `123456789` → 123456). */
function fractionMicros(digits: string | undefined): number {
  return digits ? Math.floor(Number(`0.${digits}`) * 1e6 + 1e-6) : 0;
}

function resolutionOf(fraction: string | undefined, seconds: boolean): number {
  if (!seconds) return 60;
  return fraction ? 10 ** -Math.min(fraction.length, 6) : 1;
}

function clock(
  text: string,
  h: number,
  m: number,
  s: number,
  micros: number,
  resolutionSeconds: number,
): PhoneClock | undefined {
  if (h > 23 || m > 59 || s > 59) return undefined;
  return { text, microsOfDay: ((h * 60 + m) * 60 + s) * 1_000_000 + micros, resolutionSeconds };
}

function moduleOf(message: string): string | undefined {
  return MODULE.exec(message)?.[1];
}

function framed(format: ConsoleLineFormat, rest: string, phoneTime: PhoneClock): ConsoleEnvelope {
  const message = rest.trim();
  const module = moduleOf(message);
  return { format, message, phoneTime, ...(module ? { module } : {}) };
}

function zoneMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return undefined;
  if (zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return zone.startsWith('-') ? -minutes : minutes;
}

/** The time as written at the start of `line`, before `rest`, without its brackets. */
function stampText(line: string, rest: string): string {
  return line
    .slice(0, line.length - rest.length)
    .trim()
    .replace(/^\[|\]$/g, '');
}

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** phone-facts 1.2: `[17:00:53:148185] sipTransportSendMessage: ...`. */
function readSipDebug(line: string): ConsoleEnvelope | undefined {
  const debug = SIP_DEBUG.exec(line);
  if (!debug) return undefined;
  const [, hh = '', mm = '', ss = '', micros = '', rest = ''] = debug;
  const phoneTime = clock(`${hh}:${mm}:${ss}:${micros}`, Number(hh), Number(mm), Number(ss), Number(micros), 1e-6);
  return phoneTime && framed('7940-sip-debug', rest, phoneTime);
}

/** phone-facts 1.5: `531: NOT 03:43:03.308495 tftpClient: ...`. */
function readLaterFamily(line: string): ConsoleEnvelope | undefined {
  const later = LATER_FAMILY.exec(line);
  if (!later) return undefined;
  const [, seq, severity, hh = '', mm = '', ss = '', micros = '', rest = ''] = later;
  const phoneTime = clock(`${hh}:${mm}:${ss}.${micros}`, Number(hh), Number(mm), Number(ss), Number(micros), 1e-6);
  if (!phoneTime) return undefined;
  return {
    ...framed('79x1-79x2', rest, phoneTime),
    severity: severity as ConsoleSeverity,
    ...(seq !== undefined ? { seq: Number(seq) } : {}),
  };
}

function readSinceBoot(line: string): ConsoleEnvelope | undefined {
  const boot = SINCE_BOOT.exec(line);
  if (!boot) return undefined;
  const [, whole = '', fraction = '', rest = ''] = boot;
  return framed('since-boot', rest, {
    text: `${whole}.${fraction}`,
    sinceBootSeconds: Number(whole) + fractionMicros(fraction) / 1e6,
    resolutionSeconds: resolutionOf(fraction, true),
  });
}

function readIso8601(line: string): ConsoleEnvelope | undefined {
  const iso = ISO_8601.exec(line);
  if (!iso) return undefined;
  const [, year = '', month = '', day = '', hh = '', mm = '', ss = '', fraction, zoneText, rest = ''] = iso;
  const date = { year: Number(year), month: Number(month), day: Number(day) };
  const time = clock(
    stampText(line, rest),
    Number(hh),
    Number(mm),
    Number(ss),
    fractionMicros(fraction),
    resolutionOf(fraction, true),
  );
  const zone = zoneMinutes(zoneText);
  if (!time || !validDate(date.year, date.month, date.day) || (zone !== undefined && Math.abs(zone) > 14 * 60))
    return undefined;
  return framed('iso-8601', rest, { ...time, date, ...(zone !== undefined ? { utcOffsetMinutes: zone } : {}) });
}

function readSyslog(line: string): ConsoleEnvelope | undefined {
  const syslog = SYSLOG.exec(line);
  if (!syslog) return undefined;
  const [, monthName = '', day = '', hh = '', mm = '', ss = '', fraction, rest = ''] = syslog;
  const time = clock(
    stampText(line, rest),
    Number(hh),
    Number(mm),
    Number(ss),
    fractionMicros(fraction),
    resolutionOf(fraction, true),
  );
  if (!time || Number(day) < 1 || Number(day) > 31) return undefined;
  const date = { month: MONTHS.indexOf(monthName) + 1, day: Number(day) };
  return framed('syslog', rest.replace(SYSLOG_HOST_TAG, ''), { ...time, date });
}

/** A time of day, however written; an hour a 12-hour clock cannot show makes the line plain. */
function readTimeOfDay(line: string): ConsoleEnvelope | undefined {
  const tod = TIME_OF_DAY.exec(line);
  if (!tod || (tod[1] === '') !== (tod[7] === '')) return undefined;
  const [, , hh = '', mm = '', ss, fraction, meridiem, , rest = ''] = tod;
  let h = Number(hh);
  if (meridiem) {
    if (h < 1 || h > 12) return plain(line);
    h = (h % 12) + (/[Pp]/.test(meridiem) ? 12 : 0);
  }
  const text = `${hh}:${mm}${ss !== undefined ? `:${ss}` : ''}${fraction !== undefined ? `.${fraction}` : ''}${meridiem ? ` ${meridiem.toUpperCase()}M` : ''}`;
  const time = clock(
    text,
    h,
    Number(mm),
    Number(ss ?? 0),
    fractionMicros(fraction),
    resolutionOf(fraction, ss !== undefined),
  );
  return time && framed('time-of-day', rest, time);
}

function plain(line: string): ConsoleEnvelope {
  return { format: 'plain', message: line.trim() };
}

/** The line formats, tried in this order: the first that reads the line's frame wins. */
const ENVELOPE_READERS: readonly ((line: string) => ConsoleEnvelope | undefined)[] = [
  readSipDebug,
  readLaterFamily,
  readSinceBoot,
  readIso8601,
  readSyslog,
  readTimeOfDay,
];

export function readEnvelope(line: string): ConsoleEnvelope {
  for (const read of ENVELOPE_READERS) {
    const envelope = read(line);
    if (envelope) return envelope;
  }
  return plain(line);
}
