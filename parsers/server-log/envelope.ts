/**
 * Splitting a server-log line into its frame (time, host, program tag, pid) and message.
 * Detected per line, because one file may mix syslog programs and formats:
 * - RFC 5424: `<13>1 2026-11-26T06:22:23.123456+00:00 host in.tftpd 8214 - - msg`;
 * - ISO / RFC 3339 (rsyslog, journalctl -o short-iso[-precise]): `2026-11-26T06:22:23.123456+00:00 host in.tftpd[1]: msg`;
 * - journalctl -o short-full: `Thu 2026-11-26 06:22:23 UTC host in.tftpd[1]: msg`;
 * - journalctl -o short-unix / short-monotonic: `1795674143.123456 host ...`, `[ 5.123456] host ...`;
 * - classic syslog and journalctl -o short[-precise]: `Dec 20 03:25:25[.123456] host in.tftpd[8214]: msg` (optionally `<PRI>` first);
 *   BusyBox syslogd / logread write the facility.priority after the host (`Dec  3 14:02:11 gw daemon.info in.tftpd[811]: msg`),
 *   OpenWrt logread the full ctime with year and no host (`Sat Dec  7 06:00:09 2024 daemon.info dnsmasq-dhcp[1234]: msg`);
 * - journalctl -o json: one JSON object per line (`__REALTIME_TIMESTAMP`, `SYSLOG_IDENTIFIER`, `MESSAGE`, ...);
 * - Kea: `2024-05-01 10:00:00.123 INFO  [kea-dhcp4.packets/812.140245] DHCP4_PACKET_RECEIVED ...` (or the same after a syslog frame);
 * - Cisco IOS: `[seq: ][*|.]Mar  1 00:01:02.345[ UTC]: TFTP: ...`, or no prefix at all;
 * - tftpd32/tftpd64: message then ` [DD/MM HH:MM:SS.mmm]` (day first, phone-facts 6.2);
 * - a known program's `tag[pid]: msg` with no time at all (dnsmasq on its standard error, `docker logs`).
 * A line pasted with a leading sequence number (`12: `, `cat -n`) or a shell prompt (`root@gw:~# `) is
 * read after it. rsyslog's escapes of control characters (`#015` for a CR, on by default) are decoded in
 * the message, so a name with a CR reads as the phone sent it.
 */
import type { ServerProgram } from './events.js';
import type { ClockParts, LogTime, ServerLogContext } from './timestamps.js';
import { SYSLOG_TAG_PROGRAMS } from './recognisers.js';
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
const RFC5424 =
  /^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]"\\]|\\.|"(?:[^"\\]|\\.)*")*\])+)(?: (.*))?$/s;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?(?= |$)/;
const SHORT_FULL =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\S+)(?= |$)/;
const SHORT_UNIX = /^(\d{9,12})\.(\d{6})(?= )/;
const SHORT_MONOTONIC = /^\[\s*\d+\.\d{6}\](?= )/;
const CTIME_YEAR = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})(?= )`,
);
const CLASSIC = new RegExp(`^${MONTH} +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?= |$)`);
const IOS = new RegExp(
  `^(?:\\d+: )?[*.]?${MONTH} +(\\d{1,2})(?: (\\d{4}))? (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?(?: ([A-Z]{2,5}))?: (.*)$`,
  's',
);
const IOS_SEQ_ONLY = /^\d+: (TFTP: .*)$/s;
/** BusyBox syslogd's `facility.priority` (names of syslog.h, or `<N>` for a number it has no name for). */
const FACILITY_PRIORITY =
  '(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|ntp|security|console|local[0-7]|<\\d+>)\\.(?:emerg|alert|crit|err|error|warn|warning|notice|info|debug|panic|<\\d+>)';
// After the time: `host tag[pid]: msg` or `tag[pid]: msg`, with BusyBox's facility.priority before the tag; a host never ends with a colon.
const HOST_TAG = new RegExp(
  `^ +(?:(\\S*[^\\s:]) +)??(?:${FACILITY_PRIORITY} +)?([^\\s[\\]:]+)(?:\\[(\\d+)\\])?: ?(.*)$`,
  's',
);
/** Kea's own layout (`%-5p [%c/%i.%t] %m`, or `[%c.%t]` through syslog): severity, logger, then `MESSAGE_ID text`. */
const KEA = /^(?:FATAL|ERROR|WARN|INFO|DEBUG)\s+\[kea-dhcp[46][^\]\s]*\] (.*)$/s;
/**
 * What a paste may put before a log line: a sequence number (`12: `, `12.`, `cat -n`), the file
 * name `grep` or `Select-String` writes (`tftpd.log:12:`), a shell prompt (`root@gw:~# `, `$ `).
 */
const PASTED_PREFIXES: readonly RegExp[] = [
  /^\s*\d{1,9}(?:[:.)\]]\s*|\s+)/,
  /^[^\s:]+(?::\d+)?[:-]/,
  /^[^\s$#>%]*[$#>%] +/,
];
const TAG_ONLY = /^([A-Za-z][\w.-]*)(?:\[(\d+)\])?: (.*)$/s;
/** rsyslog's `#ooo` escape of a control character (parser.escapeControlCharactersOnReceive, on by default). */
const RSYSLOG_ESCAPE = /#(0[0-3][0-7]|177)/g;
const TFTPD32_SUFFIX = /^(.*?) ?\[(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})\]\s*$/s;

const UTC_NAMES = new Set(['UTC', 'GMT', 'Z']);

/** `host tag[pid]: message` after a syslog time. */
function afterTime(rest: string, time: LogTime | undefined): ServerLogEnvelope {
  const m = HOST_TAG.exec(rest);
  const base = time ? { time } : {};
  if (!m) return { ...base, message: rest.trim() };
  const [, host, tag, pid, message = ''] = m;
  return {
    ...base,
    message: message.trim(),
    ...(host !== undefined ? { host } : {}),
    tag,
    ...(pid !== undefined ? { pid: Number(pid) } : {}),
  };
}

function iosTime(m: RegExpExecArray, context: ServerLogContext): LogTime | undefined {
  const [, month = '', day, year, hour, minute, second, fraction, zone] = m;
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
    const [, stamp = '', host, app, procId = '', , , message] = rfc5424;
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
    const [, year, month, day, hour, minute, second, fraction, zone = ''] = full;
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
  const ctime = CTIME_YEAR.exec(text);
  if (ctime) {
    const [, month = '', day, hour, minute, second, year] = ctime;
    const time = resolveTime(
      {
        year: Number(year),
        month: monthNumber(month),
        day: Number(day),
        hour: Number(hour),
        minute: Number(minute),
        second: Number(second),
      },
      context,
    );
    return afterTime(text.slice(ctime[0].length), time);
  }
  const unix = SHORT_UNIX.exec(text);
  if (unix) return afterTime(text.slice(unix[0].length), epochTime(unix[1] ?? '', unix[2] ?? ''));
  const monotonic = SHORT_MONOTONIC.exec(text);
  if (monotonic) return afterTime(text.slice(monotonic[0].length), undefined);
  const classic = CLASSIC.exec(text);
  if (classic) {
    const [, month = '', day, hour, minute, second, fraction] = classic;
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

/** A journal entry of `journalctl -o json` (binary values are arrays of byte values). */
function journalEntry(line: string): ServerLogEnvelope | undefined {
  if (!line.startsWith('{') || !line.endsWith('}')) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null || !('MESSAGE' in entry)) return undefined;
  const field = (name: string): string | undefined => {
    const value = (entry as Record<string, unknown>)[name];
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.every((b) => typeof b === 'number'))
      return Buffer.from(value as number[]).toString('latin1');
    return undefined;
  };
  const micros = field('_SOURCE_REALTIME_TIMESTAMP') ?? field('__REALTIME_TIMESTAMP');
  const time =
    micros !== undefined && /^\d{1,17}$/.test(micros)
      ? epochTime(micros.slice(0, -6) || '0', micros.slice(-6).padStart(6, '0'))
      : undefined;
  const tag = field('SYSLOG_IDENTIFIER') ?? field('_COMM');
  const pid = field('SYSLOG_PID') ?? field('_PID');
  const host = field('_HOSTNAME');
  return {
    message: (field('MESSAGE') ?? '').replace(/\n$/, '').trim(),
    ...(time ? { time } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(pid !== undefined && /^\d+$/.test(pid) ? { pid: Number(pid) } : {}),
  };
}

/** IOS prefix and tftpd32 suffix, which may also sit inside a syslog message (a router or tftpd32 logging to syslog). */
function innerFrame(envelope: ServerLogEnvelope, context: ServerLogContext): ServerLogEnvelope {
  const kea = KEA.exec(envelope.message);
  if (kea) return { ...envelope, message: (kea[1] ?? '').trim(), programHint: 'kea' };
  const ios = IOS.exec(envelope.message);
  if (ios) {
    const time = envelope.time ?? iosTime(ios, context);
    return { ...envelope, message: (ios[9] ?? '').trim(), ...(time ? { time } : {}), programHint: 'cisco-ios' };
  }
  const seqOnly = IOS_SEQ_ONLY.exec(envelope.message);
  if (seqOnly) return { ...envelope, message: (seqOnly[1] ?? '').trim(), programHint: 'cisco-ios' };
  const tftpd32 = TFTPD32_SUFFIX.exec(envelope.message);
  if (tftpd32) {
    const [, message = '', day, month, hour, minute, second, fraction] = tftpd32;
    const time =
      envelope.time ??
      resolveTime(
        {
          month: Number(month),
          day: Number(day),
          hour: Number(hour),
          minute: Number(minute),
          second: Number(second),
          fraction,
        },
        context,
      );
    return { ...envelope, message: message.trim(), ...(time ? { time } : {}), programHint: 'tftpd32' };
  }
  return envelope;
}

/**
 * The last line framed: reading a line and asking whether the next line has a frame of its own
 * (line joining) frame the same line twice in a row.
 */
let lastFramed: { line: string; context: ServerLogContext; frame: ServerLogEnvelope | undefined } | undefined;

/** The frame of a line as written, or undefined when it has none (IOS lines are framed by innerFrame). */
function outerFrame(line: string, context: ServerLogContext): ServerLogEnvelope | undefined {
  if (lastFramed?.line === line && lastFramed.context === context) return lastFramed.frame;
  // IOS first: `Dec 20 03:25:25.123 UTC: TFTP: ...` would otherwise read as syslog with tag "UTC".
  const frame = IOS.test(line) ? undefined : (journalEntry(line) ?? syslogFrame(line, context) ?? tagOnly(line));
  lastFramed = { line, context, frame };
  return frame;
}

/** `dnsmasq-tftp: sent …`: a known program's tag without a time, as it writes to its standard error (a container's log). */
function tagOnly(line: string): ServerLogEnvelope | undefined {
  const [, tag = '', pid, message = ''] = TAG_ONLY.exec(line) ?? [];
  // `tftpd: read(ack): …` is tftpd-hpa's own message text (it starts with its name), not a tag.
  if (SYSLOG_TAG_PROGRAMS[tag] === undefined || tag === 'tftpd') return undefined;
  return { tag, ...(pid !== undefined ? { pid: Number(pid) } : {}), message: message.trim() };
}

/**
 * What the line starts with of its own (a line broken in two: its second half has neither):
 * a time (or a whole frame), only a program's tag (`in.tftpd[1]: …`, which may also be the
 * second half of a syslog line broken after its time), or nothing.
 */
export function ownFrame(line: string, context: ServerLogContext): 'time' | 'tag' | undefined {
  if (IOS.test(line)) return 'time';
  const frame = outerFrame(line, context);
  if (!frame) return undefined;
  return frame.time === undefined && TAG_ONLY.test(line) ? 'tag' : 'time';
}

export function readServerLogEnvelope(line: string, context: ServerLogContext): ServerLogEnvelope {
  let outer = outerFrame(line, context);
  let text = line;
  if (!outer && !IOS.test(line)) {
    for (const prefix of PASTED_PREFIXES) {
      const m = prefix.exec(line);
      if (!m) continue;
      const rest = line.slice(m[0].length);
      const framed = IOS.test(rest) ? undefined : outerFrame(rest, context);
      if (framed || IOS.test(rest)) {
        outer = framed;
        text = rest;
        break;
      }
    }
  }
  const envelope = innerFrame(outer ?? { message: text.trim() }, context);
  return { ...envelope, message: decodeSyslogEscapes(envelope.message) };
}

/** `#015` to a CR, `#011` to a TAB, ...: the control character rsyslog escaped. */
export function decodeSyslogEscapes(message: string): string {
  return message.includes('#')
    ? message.replace(RSYSLOG_ESCAPE, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    : message;
}
