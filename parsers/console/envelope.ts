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

// phone-facts 1.2: `[17:00:53:148185] sipTransportSendMessage: ...` (colon before the fraction).
const SIP_DEBUG = /^\[(\d{2}):(\d{2}):(\d{2}):(\d{6})\] ?(.*)$/;
// phone-facts 1.5: `531: NOT 03:43:03.308495 tftpClient: ...` (79x1/79x2 family).
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

export function readEnvelope(line: string): ConsoleEnvelope {
  const debug = SIP_DEBUG.exec(line);
  if (debug) {
    const phoneTime = clock(
      `${debug[1]}:${debug[2]}:${debug[3]}:${debug[4]}`,
      Number(debug[1]),
      Number(debug[2]),
      Number(debug[3]),
      Number(debug[4]),
      1e-6,
    );
    if (phoneTime) return framed('7940-sip-debug', debug[5], phoneTime);
  }
  const later = LATER_FAMILY.exec(line);
  if (later) {
    const [, seq, severity, hh, mm, ss, micros, rest] = later;
    const phoneTime = clock(`${hh}:${mm}:${ss}.${micros}`, Number(hh), Number(mm), Number(ss), Number(micros), 1e-6);
    if (phoneTime) {
      return {
        ...framed('79x1-79x2', rest, phoneTime),
        severity: severity as ConsoleSeverity,
        ...(seq !== undefined ? { seq: Number(seq) } : {}),
      };
    }
  }
  const boot = SINCE_BOOT.exec(line);
  if (boot) {
    const seconds = Number(boot[1]) + fractionMicros(boot[2]) / 1e6;
    return framed('since-boot', boot[3], {
      text: `${boot[1]}.${boot[2]}`,
      sinceBootSeconds: seconds,
      resolutionSeconds: resolutionOf(boot[2], true),
    });
  }
  const iso = ISO_8601.exec(line);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const time = clock(
      stampText(line, iso[9]),
      Number(iso[4]),
      Number(iso[5]),
      Number(iso[6]),
      fractionMicros(iso[7]),
      resolutionOf(iso[7], true),
    );
    const zone = zoneMinutes(iso[8]);
    if (time && validDate(year, month, day) && (zone === undefined || Math.abs(zone) <= 14 * 60)) {
      return framed('iso-8601', iso[9], {
        ...time,
        date: { year, month, day },
        ...(zone !== undefined ? { utcOffsetMinutes: zone } : {}),
      });
    }
  }
  const syslog = SYSLOG.exec(line);
  if (syslog) {
    const month = MONTHS.indexOf(syslog[1]) + 1;
    const day = Number(syslog[2]);
    const text = stampText(line, syslog[7]);
    const time = clock(
      text,
      Number(syslog[3]),
      Number(syslog[4]),
      Number(syslog[5]),
      fractionMicros(syslog[6]),
      resolutionOf(syslog[6], true),
    );
    if (time && day >= 1 && day <= 31)
      return framed('syslog', syslog[7].replace(SYSLOG_HOST_TAG, ''), { ...time, date: { month, day } });
  }
  const tod = TIME_OF_DAY.exec(line);
  if (tod && (tod[1] === '') === (tod[7] === '')) {
    const [, , hh, mm, ss, fraction, meridiem, , rest] = tod;
    let h = Number(hh);
    if (meridiem) {
      if (h < 1 || h > 12) return { format: 'plain', message: line.trim() };
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
    if (time) return framed('time-of-day', rest, time);
  }
  return { format: 'plain', message: line.trim() };
}
