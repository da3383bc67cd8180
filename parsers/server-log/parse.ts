/**
 * TFTP-server log lines to typed events. `parseServerLogLine` reads one line on its own;
 * `createServerLogParser` and `parseServerLog` also join outcome lines to their requests
 * (see linking.ts), which needs the lines in file order.
 */
import { splitLogLines } from '../console/log-lines.js';
import { readServerLogEnvelope } from './envelope.js';
import type { ServerLogEvent, ServerLogEventContext, ServerProgram } from './events.js';
import { createServerLogLinker } from './linking.js';
import type { ServerLogRecogniser } from './recognisers.js';
import { SERVER_LOG_RECOGNISERS, SYSLOG_TAG_PROGRAMS } from './recognisers.js';
import type { ServerLogContext } from './timestamps.js';

export type { ServerLogContext } from './timestamps.js';

export interface ServerLogParser {
  /** The event for the next line; `lineNo` is 1-based. Lines must come in file order. */
  parse(line: string, lineNo: number): ServerLogEvent;
}

const BY_PROGRAM = new Map<ServerProgram, ServerLogRecogniser[]>();
for (const recogniser of SERVER_LOG_RECOGNISERS) {
  BY_PROGRAM.set(recogniser.program, [...(BY_PROGRAM.get(recogniser.program) ?? []), recogniser]);
}

/**
 * One line to one event, without looking at other lines. When the syslog tag names a
 * program we know, only that program's messages are tried; otherwise all are, and the
 * matching recogniser tells the program.
 */
export function parseServerLogLine(line: string, lineNo: number, context: ServerLogContext): ServerLogEvent {
  const envelope = readServerLogEnvelope(line, context);
  const tagProgram = envelope.tag !== undefined ? SYSLOG_TAG_PROGRAMS[envelope.tag] : undefined;
  const knownProgram = tagProgram ?? envelope.programHint;
  const candidates = knownProgram !== undefined ? BY_PROGRAM.get(knownProgram) ?? [] : SERVER_LOG_RECOGNISERS;

  const base: Omit<ServerLogEventContext, 'program'> = {
    line: lineNo,
    raw: line,
    message: envelope.message,
    ...(envelope.time ? { time: envelope.time.iso } : {}),
    ...(envelope.time && envelope.time.assumes.length > 0 ? { timeAssumes: envelope.time.assumes } : {}),
    ...(envelope.host !== undefined ? { host: envelope.host } : {}),
    ...(envelope.tag !== undefined ? { tag: envelope.tag } : {}),
    ...(envelope.pid !== undefined ? { pid: envelope.pid } : {}),
  };
  for (const recogniser of candidates) {
    const match = recogniser.pattern.exec(envelope.message);
    if (match) {
      return { ...base, program: recogniser.program, recogniser: recogniser.id, ...recogniser.make(match.groups ?? {}, envelope.message) };
    }
  }
  return { ...base, program: knownProgram ?? 'other', kind: 'raw' };
}

export function createServerLogParser(context: ServerLogContext): ServerLogParser {
  const link = createServerLogLinker();
  return { parse: (line, lineNo) => link(parseServerLogLine(line, lineNo, context)) };
}

/** A whole log text (any of CRLF, CR, LF line ends) to one event per line. */
export function parseServerLog(text: string, context: ServerLogContext): ServerLogEvent[] {
  const parser = createServerLogParser(context);
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return splitLogLines(source).map((line, index) => parser.parse(line, index + 1));
}
