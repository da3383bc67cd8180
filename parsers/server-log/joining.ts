/**
 * Lines as they arrive in a ticket: a mail program or a terminal may break a long log line
 * in two, the second half without a time of its own (`… RRQ from 192.0.2.106 filename` /
 * `SEP000E84C060A6.cnf.xml`). A line without its own frame is joined to the line before it
 * when the join is understood and at least one half is not; a line already understood is only
 * completed when the join adds what it lacked (a MAC, an address) or turns the file name it
 * ends in into a name a phone asks for. The
 * break may have eaten a space (mail) or not (terminal): the join with a space is tried first,
 * unless it leaves a space inside the file name, which no phone file has. A mail reply's
 * quote marks (`> `) are taken off first.
 */
import { classifyFileName } from '../provisioning/file-names.js';
import { hasOwnFrame } from './envelope.js';
import type { ServerLogEvent } from './events.js';
import { parseServerLogLine } from './parse-line.js';
import type { ServerLogContext } from './timestamps.js';

export interface LogicalLine {
  /** The 1-based number of its first physical line. */
  readonly line: number;
  readonly text: string;
  /** Physical lines joined into it after the first. */
  readonly joined: number;
  /** The line read on its own (not yet linked to the lines before it). */
  readonly event: ServerLogEvent;
}

export interface ServerLogLineJoiner {
  push(text: string, line: number): void;
  /** Gives the line held back (waiting to see whether the next line continues it). */
  flush(): void;
}

function fileOf(event: ServerLogEvent): string | undefined {
  return 'file' in event && typeof event.file === 'string' ? event.file : undefined;
}

function phoneFile(event: ServerLogEvent): boolean {
  const file = fileOf(event);
  return file !== undefined && classifyFileName(file).kind !== 'other';
}

/** The `> ` a mail reply puts before each line it quotes; no log line starts with `>`. */
const MAIL_QUOTE = /^(?:> ?)+/;

/** What a logical line's event may lack when its line was cut short. */
const COMPLETING_FIELDS = ['file', 'client', 'mac', 'ip'] as const;

/** The joined line tells more than the first half alone: a field it lacked, or a file name a phone asks for instead of a cut one. */
function completes(half: ServerLogEvent, joined: ServerLogEvent): boolean {
  if (half.kind !== joined.kind) return false;
  const has = (e: ServerLogEvent, field: string): boolean => (e as unknown as Record<string, unknown>)[field] !== undefined;
  return COMPLETING_FIELDS.some((f) => has(joined, f) && !has(half, f)) || (phoneFile(joined) && !phoneFile(half));
}

export function createServerLogLineJoiner(context: ServerLogContext, emit: (line: LogicalLine) => void): ServerLogLineJoiner {
  let held: { line: number; text: string; joined: number; event: ServerLogEvent } | undefined;
  const read = (text: string, line: number): ServerLogEvent => parseServerLogLine(text, line, context);

  /** The joined line and its event, when `next` continues the line held. */
  function continued(next: string, nextEvent: ServerLogEvent): { text: string; event: ServerLogEvent } | undefined {
    if (!held) return undefined;
    const heldKnown = held.event.kind !== 'raw';
    if ((heldKnown && nextEvent.kind !== 'raw') || held.text.trim() === '' || next.trim() === '' || hasOwnFrame(next, context)) return undefined;
    const tail = next.trimStart();
    const candidates = held.text.endsWith(' ') ? [held.text + tail] : [`${held.text} ${tail}`, held.text + next];
    const understood = candidates.map((text) => ({ text, event: read(text, held!.line) })).filter(({ event }) => event.kind !== 'raw' && event.kind !== 'info');
    const noSpaceInName = understood.filter(({ event }) => !/\s/.test(fileOf(event) ?? ''));
    const best = noSpaceInName[0] ?? understood[0];
    if (!best || (heldKnown && !completes(held.event, best.event))) return undefined;
    return best;
  }

  return {
    push(physical, line) {
      const text = physical.replace(MAIL_QUOTE, '');
      const event = read(text, line);
      const joined = continued(text, event);
      if (joined && held) {
        held = { line: held.line, text: joined.text, joined: held.joined + 1, event: joined.event };
        return;
      }
      if (held) emit(held);
      held = { line, text, joined: 0, event };
    },
    flush() {
      if (held) emit(held);
      held = undefined;
    },
  };
}
