/**
 * One server-log line to one event, on its own: the frame (time, host, tag) taken off, then
 * the message matched against the recognisers of the program the tag names (all of them
 * when no tag says). Lines that frame no log message of any program — a comment, journalctl's
 * `-- Boot … --` marks — are read as such.
 */
import { DHCPD_RECOGNISERS } from './dhcpd-recognisers.js';
import { DNSMASQ_RECOGNISERS } from './dnsmasq-recognisers.js';
import { readServerLogEnvelope } from './envelope.js';
import type { ServerLogEvent, ServerLogEventContext, ServerProgram } from './events.js';
import type { ServerLogRecogniser } from './recognisers.js';
import { SERVER_LOG_RECOGNISERS, SYSLOG_TAG_PROGRAMS } from './recognisers.js';
import type { ServerLogContext } from './timestamps.js';

/** A comment (`# …`), journalctl's `-- Boot … --` / `-- No entries --`: understood, about nothing. */
export const NOTE_LINE = /^(?:#|-- .* --$)/;

/** Every recogniser, its `.` matching any character: a name the phone sent may hold a CR (CSCdv19260). */
const ALL_RECOGNISERS: readonly ServerLogRecogniser[] = [
  ...SERVER_LOG_RECOGNISERS,
  ...DNSMASQ_RECOGNISERS,
  ...DHCPD_RECOGNISERS,
].map((r) => (r.pattern.dotAll ? r : { ...r, pattern: new RegExp(r.pattern.source, `${r.pattern.flags}s`) }));
const BY_PROGRAM = new Map<ServerProgram, ServerLogRecogniser[]>();
for (const recogniser of ALL_RECOGNISERS) {
  BY_PROGRAM.set(recogniser.program, [...(BY_PROGRAM.get(recogniser.program) ?? []), recogniser]);
}

/** A group's name (`(?<file>`), not a lookbehind (`(?<=`, `(?<!`). */
const NAMED_GROUP = /\(\?<(?![=!])[A-Za-z_$][\w$]*>/g;

/**
 * One pattern matching where any of `recognisers` matches: a busy host's syslog is mostly lines
 * of other programs, and one pass over a line that no recogniser knows costs far less than one per recogniser.
 */
function anyOf(recognisers: readonly ServerLogRecogniser[]): RegExp {
  return new RegExp(recognisers.map((r) => `(?:${r.pattern.source.replace(NAMED_GROUP, '(?:')})`).join('|'), 's');
}
const ANY_RECOGNISED = new Map<readonly ServerLogRecogniser[], RegExp>(
  [ALL_RECOGNISERS, ...BY_PROGRAM.values()].map((list) => [list, anyOf(list)]),
);

/**
 * One line to one event, without looking at other lines. When the syslog tag names a
 * program we know, only that program's messages are tried; otherwise all are, and the
 * matching recogniser tells the program.
 */
/** An IPv4 or IPv6 address, bracketed or with a port or zone as servers write them. */
const ADDRESS = /^\[?(?:[\d.]+|[\da-f.]*:[\da-f:.]*)\]?(?:[:#]\d+)?(?:%[\w.-]+)?$/i;

/**
 * A line's client or IP field is an address: `sent X to 192.0.2.10hello` (a stray piece
 * after the line) is not the line its recogniser reads.
 */
function namesAddresses(groups: Readonly<Record<string, string | undefined>> | undefined): boolean {
  const { client, ip } = groups ?? {};
  return (client === undefined || ADDRESS.test(client)) && (ip === undefined || ADDRESS.test(ip));
}

export function parseServerLogLine(line: string, lineNo: number, context: ServerLogContext): ServerLogEvent {
  const envelope = readServerLogEnvelope(line, context);
  const tagProgram = envelope.tag !== undefined ? SYSLOG_TAG_PROGRAMS[envelope.tag] : undefined;
  const knownProgram = tagProgram ?? envelope.programHint;
  const candidates = knownProgram !== undefined ? (BY_PROGRAM.get(knownProgram) ?? []) : ALL_RECOGNISERS;

  const base: Omit<ServerLogEventContext, 'program'> = {
    line: lineNo,
    raw: line,
    message: envelope.message,
    ...(envelope.time ? { time: envelope.time.seconds } : {}),
    ...(envelope.time && envelope.time.assumes.length > 0 ? { timeAssumes: envelope.time.assumes } : {}),
    ...(envelope.host !== undefined ? { host: envelope.host } : {}),
    ...(envelope.tag !== undefined ? { tag: envelope.tag } : {}),
    ...(envelope.pid !== undefined ? { pid: envelope.pid } : {}),
  };
  const someMatch = ANY_RECOGNISED.get(candidates)?.test(envelope.message) ?? true;
  for (const recogniser of someMatch ? candidates : []) {
    const match = recogniser.pattern.exec(envelope.message);
    if (match && namesAddresses(match.groups)) {
      return {
        ...base,
        program: recogniser.program,
        recogniser: recogniser.id,
        ...recogniser.make(match.groups ?? {}, envelope.message),
      };
    }
  }
  if (NOTE_LINE.test(line.trim())) return { ...base, program: knownProgram ?? 'other', kind: 'info' };
  return { ...base, program: knownProgram ?? 'other', kind: 'raw' };
}
