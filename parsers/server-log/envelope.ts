/**
 * Splitting a server-log line into its frame (time, host, program tag, pid) and message.
 * Detected per line, because one file may mix syslog programs and formats:
 * - RFC 5424: `<13>1 2026-11-26T06:22:23.123456+00:00 host in.tftpd 8214 - - msg`;
 * - ISO / RFC 3339 (rsyslog, journalctl -o short-iso[-precise]): `2026-11-26T06:22:23.123456+00:00 host in.tftpd[1]: msg`;
 * - journalctl -o short-full: `Thu 2026-11-26 06:22:23 UTC host in.tftpd[1]: msg`;
 * - journalctl -o short-unix / short-monotonic: `1795674143.123456 host ...`, `[ 5.123456] host ...`;
 * - classic syslog and journalctl -o short[-precise]: `Dec 20 03:25:25[.123456] host in.tftpd[8214]: msg` (optionally `<PRI>` first);
 * - Cisco IOS: `[seq: ][*|.]Mar  1 00:01:02.345[ UTC]: TFTP: ...`, or no prefix at all;
 * - tftpd32/tftpd64: message then ` [DD/MM HH:MM:SS.mmm]` (day first, phone-facts 6.2).
 */
import type { ServerProgram } from './events.js';
import type { ClockParts, LogTime, ServerLogContext } from './timestamps.js';
import { epochTime, monthNumber, offsetMinutes, resolveTime } from './timestamps.js';

export interface ServerLogEnvelope {
  readonly message: string;
  readonly time?: LogTime;
  readonly host?: string;
  readonly tag?: string;
  readonly pid?: number;
  /** The program the frame itself gives away (a tftpd32 time suffix, an IOS time prefix). */
  readonly programHint?: ServerProgram;
}

const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const PRI = /^<\d{1,3}>/;
const RFC5424 = /^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]"\\]|\\.|"(?:[^"\\]|\\.)*")*\])+)(?: (.*))?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?(?= |$)/;
const SHORT_FULL = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\S+)(?= |$)/;
const SHORT_UNIX = /^(\d{9,12})\.(\d{6})(?= )/;
const SHORT_MONOTONIC = /^\[\s*\d+\.\d{6}\](?= )/;
const CLASSIC = new RegExp(`^${MONTH} +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?= |$)`);
const IOS = new RegExp(`^(?:\\d+: )?[*.]?${MONTH} +(\\d{1,2})(?: (\\d{4}))? (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?(?: ([A-Z]{2,5}))?: (.*)$`);
const IOS_SEQ_ONLY = /^\d+: (TFTP: .*)$/;
// After the time: `host tag[pid]: msg` or `tag[pid]: msg`; a host never ends with a colon.
const HOST_TAG = /^ +(?:(\S*[^\s:]) +)?([^\s[\]:]+)(?:\[(\d+)\])?: ?(.*)$/;
const TFTPD32_SUFFIX = /^(.*?) ?\[(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})\]\s*$/;

const UTC_NAMES = new Set(['UTC', 'GMT', 'Z']);

/** `host tag[pid]: message` after a syslog time. */
function afterTime(rest: string, time: LogTime | undefined): ServerLogEnvelope {
  const m = HOST_TAG.exec(rest);
  const base = time ? { time } : {};
  if (!m) return { ...base, message: rest.trim() };
  const [, host, tag, pid, message] = m;
  return {
    ...base,
    message: message.trim(),
    ...(host !== undefined ? { host } : {}),
    tag,
    ...(pid !== undefined ? { pid: Number(pid) } : {}),
  };
}

function iosTime(m: RegExpExecArray, context: ServerLogContext): LogTime | undefined {
  const [, month, day, year, hour, minute, second, fraction, zone] = m;
  return resolveTime(
    {
      ...(year !== undefined ? { year: Number(year) } : {}),
      month: monthNumber(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      ...(fraction !== undefined ? { fraction } : {}),
      ...(zone !== undefined && UTC_NAMES.has(zone) ? { offsetMinutes: 0 } : {}),
    },
    context,
  );
}

function syslogFrame(line: string, context: ServerLogContext): ServerLogEnvelope | undefined {
  const rfc5424 = RFC5424.exec(line);
  if (rfc5424) {
    const [, stamp, host, app, procId, , , message] = rfc5424;
    const iso = ISO.exec(stamp);
    const time = iso ? isoTime(iso, context) : undefined;
    return {
      ...(time ? { time } : {}),
      message: (message ?? '').replace(/^\uFEFF/, '').trim(),
      ...(host !== '-' ? { host } : {}),
      ...(app !== '-' ? { tag: app } : {}),
      ...(/^\d+$/.test(procId) ? { pid: Number(procId) } : {}),
    };
  }
  const text = line.replace(PRI, '');
  const iso = ISO.exec(text);
  if (iso) return afterTime(text.slice(iso[0].length), isoTime(iso, context));
  const full = SHORT_FULL.exec(text);
  if (full) {
    const [, year, month, day, hour, minute, second, fraction, zone] = full;
    const offset = UTC_NAMES.has(zone) ? 0 : offsetMinutes(zone);
    const time = resolveTime(
      {
        year: Number(year),
        month: Number(month),
        day: Number(day),
        hour: Number(hour),
        minute: Number(minute),
        second: Number(second),
        ...(fraction !== undefined ? { fraction } : {}),
        ...(offset !== undefined ? { offsetMinutes: offset } : {}),
      },
      context,
    );
    return afterTime(text.slice(full[0].length), time);
  }
  const unix = SHORT_UNIX.exec(text);
  if (unix) return afterTime(text.slice(unix[0].length), epochTime(unix[1], unix[2]));
  const monotonic = SHORT_MONOTONIC.exec(text);
  if (monotonic) return afterTime(text.slice(monotonic[0].length), undefined);
  const classic = CLASSIC.exec(text);
  if (classic) {
    const [, month, day, hour, minute, second, fraction] = classic;
    const parts: ClockParts = {
      month: monthNumber(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      ...(fraction !== undefined ? { fraction } : {}),
    };
    return afterTime(text.slice(classic[0].length), resolveTime(parts, context));
  }
  return undefined;
}

function isoTime(m: RegExpExecArray, context: ServerLogContext): LogTime | undefined {
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  const offset = zone !== undefined ? offsetMinutes(zone) : undefined;
  return resolveTime(
    {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      ...(fraction !== undefined ? { fraction } : {}),
      ...(offset !== undefined ? { offsetMinutes: offset } : {}),
    },
    context,
  );
}

/** IOS prefix and tftpd32 suffix, which may also sit inside a syslog message (a router or tftpd32 logging to syslog). */
function innerFrame(envelope: ServerLogEnvelope, context: ServerLogContext): ServerLogEnvelope {
  const ios = IOS.exec(envelope.message);
  if (ios) {
    const time = envelope.time ?? iosTime(ios, context);
    return { ...envelope, message: ios[9].trim(), ...(time ? { time } : {}), programHint: 'cisco-ios' };
  }
  const seqOnly = IOS_SEQ_ONLY.exec(envelope.message);
  if (seqOnly) return { ...envelope, message: seqOnly[1].trim(), programHint: 'cisco-ios' };
  const tftpd32 = TFTPD32_SUFFIX.exec(envelope.message);
  if (tftpd32) {
    const [, message, day, month, hour, minute, second, fraction] = tftpd32;
    const time =
      envelope.time ??
      resolveTime(
        { month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second), fraction },
        context,
      );
    return { ...envelope, message: message.trim(), ...(time ? { time } : {}), programHint: 'tftpd32' };
  }
  return envelope;
}

export function readServerLogEnvelope(line: string, context: ServerLogContext): ServerLogEnvelope {
  // IOS first: `Dec 20 03:25:25.123 UTC: TFTP: ...` would otherwise read as syslog with tag "UTC".
  const outer = IOS.test(line) ? undefined : syslogFrame(line, context);
  return innerFrame(outer ?? { message: line.trim() }, context);
}
