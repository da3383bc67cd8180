/**
 * Lines as they arrive in a ticket: a mail program or a terminal may break a long log line
 * in two, the second half without a time of its own (`… RRQ from 192.0.2.106 filename` /
 * `SEP000E84C060A6.cnf.xml`). A line without its own frame is joined to the line before it
 * when the join is understood and at least one half is not; a line already understood is only
 * joined when the join reads as the same line completed (a MAC added, a cut address or file
 * name continued, a banner's text going on). The
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

/** Fields every event has, which say where and when, not what was logged. */
const CONTEXT_FIELDS: ReadonlySet<string> = new Set(['line', 'raw', 'message', 'program', 'recogniser', 'time', 'timeAssumes', 'host', 'tag', 'pid', 'link', 'joined']);

/** Fields that say which request or exchange a line is about: a join may continue them, never change them. */
const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['file', 'path', 'client', 'mac', 'ip', 'code', 'xid', 'op', 'messageType', 'action']);

/**
 * The joined line reads as the first half did, completed: the same kind of event, each field
 * naming the request or exchange kept or continued (`192.0.2.1` → `192.0.2.106`, `SEP000E84` →
 * `SEP000E84C060A6.cnf.xml`), none changed otherwise. Free text (a banner, an option's value) may go on.
 */
function identityCount(event: ServerLogEvent): number {
  const record = event as unknown as Readonly<Record<string, unknown>>;
  return [...IDENTITY_FIELDS].filter((key) => record[key] !== undefined).length;
}

function completes(half: ServerLogEvent, joined: ServerLogEvent): boolean {
  if (half.kind !== joined.kind) return false;
  const a = half as unknown as Readonly<Record<string, unknown>>;
  const b = joined as unknown as Readonly<Record<string, unknown>>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (CONTEXT_FIELDS.has(key) || !IDENTITY_FIELDS.has(key) || a[key] === b[key] || a[key] === undefined) continue;
    if (typeof a[key] === 'string' && typeof b[key] === 'string' && (b[key] as string).startsWith(a[key] as string)) continue;
    return false;
  }
  return !phoneFile(half) || phoneFile(joined);
}

export function createServerLogLineJoiner(context: ServerLogContext, emit: (line: LogicalLine) => void): ServerLogLineJoiner {
  /** `last`: the length of its last physical line (where a terminal broke it, if one did). */
  let held: { line: number; text: string; joined: number; event: ServerLogEvent; last: number } | undefined;
  /** Widths at which this input was seen broken mid-word: a terminal's, which break ties the same way. */
  const terminalWidths = new Set<number>();
  const read = (text: string, line: number): ServerLogEvent => parseServerLogLine(text, line, context);

  /** The joined line and its event, when `next` continues the line held. */
  function continued(next: string, nextEvent: ServerLogEvent): { text: string; event: ServerLogEvent } | undefined {
    if (!held) return undefined;
    const { text, event, last } = held;
    const heldKnown = event.kind !== 'raw';
    if ((heldKnown && nextEvent.kind !== 'raw') || text.trim() === '' || next.trim() === '' || hasOwnFrame(next, context)) return undefined;
    const atSpace = { text: text.endsWith(' ') ? text + next.trimStart() : `${text} ${next.trimStart()}`, midWord: false };
    const candidates = (text.endsWith(' ') ? [atSpace] : [atSpace, { text: text + next, midWord: true }])
      .map((c) => ({ ...c, event: read(c.text, held!.line) }))
      .filter((c) => c.event.kind !== 'raw' && (!heldKnown || completes(event, c.event)));
    // The join that names the most (a MAC whole rather than cut), then one without a space in the
    // file name, then the break this input's terminal makes.
    const rank = (c: (typeof candidates)[number]): number =>
      identityCount(c.event) * 4 + (/\s/.test(fileOf(c.event) ?? '') ? 0 : 2) + (c.midWord === terminalWidths.has(last) ? 1 : 0);
    const ranked = [...candidates].sort((a, b) => rank(b) - rank(a));
    const best = ranked[0];
    if (best?.midWord && (ranked.length === 1 || rank(ranked[1]!) >> 1 < rank(best) >> 1)) terminalWidths.add(last);
    return best;
  }

  return {
    push(physical, line) {
      const text = physical.replace(MAIL_QUOTE, '');
      const event = read(text, line);
      const joined = continued(text, event);
      if (joined && held) {
        held = { line: held.line, text: joined.text, joined: held.joined + 1, event: joined.event, last: text.length };
        return;
      }
      if (held) emit(held);
      held = { line, text, joined: 0, event, last: text.length };
    },
    flush() {
      if (held) emit(held);
      held = undefined;
    },
  };
}
