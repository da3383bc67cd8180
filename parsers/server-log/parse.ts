/**
 * DHCP- and TFTP-server log lines to typed events. `parseServerLogLine` reads one line on its own;
 * `createServerLogParser` and `parseServerLog` also join outcome lines to their requests
 * (see linking.ts), which needs the lines in file order.
 */
import type { ServerLogEvent, ServerProgram } from './events.js';
import { createServerLogLineJoiner } from './joining.js';
import { createServerLogLinker } from './linking.js';
import { parseServerLogLine } from './parse-line.js';
import type { ServerLogContext } from './timestamps.js';

export { parseServerLogLine } from './parse-line.js';

export type { ServerLogContext } from './timestamps.js';

export interface ServerLogParser {
  /** The event for the next line; `lineNo` is 1-based. Lines must come in file order. */
  parse(line: string, lineNo: number): ServerLogEvent;
  /** The same for a line already read on its own (`parseServerLogLine`). */
  accept(event: ServerLogEvent): ServerLogEvent;
}

export function createServerLogParser(context: ServerLogContext): ServerLogParser {
  const link = createServerLogLinker();
  const roots = new Map<ServerProgram, string>();
  const accept = (event: ServerLogEvent): ServerLogEvent => {
    if (event.kind === 'server-start' && event.tftpRoot !== undefined)
      roots.set(event.program, event.tftpRoot.replace(/\/+$/, ''));
    return link(underRoot(event, roots.get(event.program)));
  };
  return { accept, parse: (line, lineNo) => accept(parseServerLogLine(line, lineNo, context)) };
}

/** A logged full path as the name asked for, once the server said its TFTP root (dnsmasq): `/srv/tftp/sub/x.cnf` → `sub/x.cnf`. */
function underRoot(event: ServerLogEvent, root: string | undefined): ServerLogEvent {
  if (root === undefined || !('path' in event) || event.path === undefined || !event.path.startsWith(`${root}/`))
    return event;
  return { ...event, file: event.path.slice(root.length + 1) };
}

export interface ServerLogReader {
  /** The next physical line (without its line end), 1-based, in file order. */
  push(text: string, line: number): void;
  /** The end of the input, or a pause in a growing file: the line held back is given. */
  flush(): void;
}

/**
 * Physical lines to events: broken lines joined (joining.ts), each logical line parsed and
 * linked. An event made of several physical lines carries `joined`, the lines after its first.
 */
export function createServerLogReader(
  context: ServerLogContext,
  sink: (event: ServerLogEvent) => void,
): ServerLogReader {
  const parser = createServerLogParser(context);
  const joiner = createServerLogLineJoiner(context, ({ joined, event }) => {
    const linked = parser.accept(event);
    // Copied whole: an object built a field at a time keeps spare room, twice its size in a log of millions of events.
    sink(joined > 0 ? { ...linked, joined } : { ...linked });
  });
  return { push: (text, line) => joiner.push(text, line), flush: () => joiner.flush() };
}

/**
 * Syslog lines end at LF (a CR before it is dropped); a CR inside a line is part of a file
 * name the phone asked for (CSCdv19260), so it does not end the line.
 */
export function serverLogLines(text: string): string[] {
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.replace(/\r$/, ''));
}

/** A whole log text to one event per logical line. */
export function parseServerLog(text: string, context: ServerLogContext): ServerLogEvent[] {
  const events: ServerLogEvent[] = [];
  const reader = createServerLogReader(context, (event) => events.push(event));
  serverLogLines(text).forEach((line, index) => {
    reader.push(line, index + 1);
  });
  reader.flush();
  return events;
}
