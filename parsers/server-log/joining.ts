/**
 * Lines as they arrive in a ticket: a mail program or a terminal may break a long log line,
 * the rest without a time of its own (`… RRQ from 192.0.2.106 filename` / `SEP000E84C060A6.cnf.xml`).
 * A line without its own frame is joined to the line before it when the join is understood and
 * at least one half is not; a line already understood is only joined when the join reads as the
 * same line completed (a MAC added, a cut address or file name continued, a banner's text going
 * on). The break may have eaten a space (mail) or not (terminal): the join naming the most wins,
 * then one without a space in the file name (no phone file has one), then the break this input's
 * terminal was seen to make. A line broken more than once (a narrow terminal) waits for up to
 * MAX_PENDING pieces; pieces that never make it understood are given back as lines of their own.
 * A mail reply's quote marks (`> `) are taken off first.
 */
import { classifyFileName } from '../provisioning/file-names.js';
import { ownFrame } from './envelope.js';
import type { ServerLogEvent } from './events.js';
import { NOTE_LINE, parseServerLogLine } from './parse-line.js';
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
const CONTEXT_FIELDS: ReadonlySet<string> = new Set([
  'line',
  'raw',
  'message',
  'program',
  'recogniser',
  'time',
  'timeAssumes',
  'host',
  'tag',
  'pid',
  'link',
  'joined',
]);

/** Fields that say which request or exchange a line is about: a join may continue them, never change them. */
const IDENTITY_FIELDS: ReadonlySet<string> = new Set([
  'file',
  'path',
  'client',
  'mac',
  'ip',
  'code',
  'xid',
  'op',
  'messageType',
  'action',
]);

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
    if (typeof a[key] === 'string' && typeof b[key] === 'string' && (b[key] as string).startsWith(a[key] as string))
      continue;
    return false;
  }
  return !phoneFile(half) || phoneFile(joined);
}

/**
 * A log line broken by a mail program or a terminal is a syslog line: at most 2048 octets (what
 * RFC 5424 §6.1 asks receivers to take). Longer, the pieces are lines of their own; this also
 * bounds the work a file of many short lines after one known line costs.
 */
const MAX_JOINED_LENGTH = 2048;

/** A line broken more than once may be understood only when its last piece comes: pieces waited for, at most. */
const MAX_PENDING = 3;

/** Every way to join the pieces to `text`: at a space (kept, or eaten by the break) or mid-word. */
function joins(text: string, pieces: readonly string[]): { text: string; midWord: boolean }[] {
  let out = [{ text, midWord: false }];
  for (const piece of pieces) {
    // Only spaces are taken off: a CR at the start of a piece is part of the name (CSCdv19260).
    const rest = piece.replace(/^ +/, '');
    out = out.flatMap((j) =>
      j.text.endsWith(' ')
        ? [{ text: j.text + rest, midWord: j.midWord }]
        : [
            { text: `${j.text} ${rest}`, midWord: j.midWord },
            { text: j.text + piece, midWord: true },
          ],
    );
  }
  return out;
}

/**
 * A line held back to see whether the next lines continue it. `last`: the length of its last
 * physical line (where a terminal broke it, if one did); `pending`: the physical lines after it
 * that may continue it, not understood yet.
 */
interface HeldLine {
  readonly line: number;
  readonly text: string;
  readonly joined: number;
  readonly event: ServerLogEvent;
  readonly last: number;
  readonly pending: string[];
}

export function createServerLogLineJoiner(
  context: ServerLogContext,
  emit: (line: LogicalLine) => void,
): ServerLogLineJoiner {
  return new LineJoiner(context, emit);
}

class LineJoiner implements ServerLogLineJoiner {
  private held: HeldLine | undefined;
  /** Widths at which this input was seen broken mid-word: a terminal's, which break ties the same way. */
  private readonly terminalWidths = new Set<number>();

  constructor(
    private readonly context: ServerLogContext,
    private readonly emit: (line: LogicalLine) => void,
  ) {}

  push(physical: string, line: number): void {
    const text = physical.replace(MAIL_QUOTE, '');
    const event = this.read(text, line);
    const held = this.held;
    if (held) {
      const joined = this.continued(held, text, event);
      if (joined === 'wait') {
        held.pending.push(text);
        return;
      }
      if (joined) {
        this.held = {
          line: held.line,
          text: joined.text,
          joined: held.joined + held.pending.length + 1,
          event: joined.event,
          last: text.length,
          pending: [],
        };
        return;
      }
    }
    this.flush();
    this.held = { line, text, joined: 0, event, last: text.length, pending: [] };
  }

  /** Gives the line held, and each piece that never joined it as a line of its own. */
  flush(): void {
    const held = this.held;
    if (!held) return;
    this.emit(held);
    held.pending.forEach((piece, i) => {
      const line = held.line + held.joined + 1 + i;
      this.emit({ line, text: piece, joined: 0, event: this.read(piece, line) });
    });
    this.held = undefined;
  }

  private read(text: string, line: number): ServerLogEvent {
    return parseServerLogLine(text, line, this.context);
  }

  /** The joined line and its event, when `next` (after the pending pieces) continues the line held; `wait` when it may yet. */
  private continued(
    held: HeldLine,
    next: string,
    nextEvent: ServerLogEvent,
  ): { text: string; event: ServerLogEvent } | 'wait' | undefined {
    const { text, event, last, pending } = held;
    const heldKnown = event.kind !== 'raw';
    const frame = ownFrame(next, this.context);
    // A tag alone may be the rest of a line broken after its time (the held line then has no tag).
    const framed = frame === 'time' || (frame === 'tag' && (event.tag !== undefined || event.time === undefined));
    // A comment is whole as written: what follows it is not its continuation.
    if (
      (heldKnown && nextEvent.kind !== 'raw') ||
      text.trim() === '' ||
      next.trim() === '' ||
      framed ||
      NOTE_LINE.test(text.trim()) ||
      text.length + pending.reduce((sum, piece) => sum + piece.length, 0) + next.length > MAX_JOINED_LENGTH
    )
      return undefined;
    const candidates = joins(text, [...pending, next])
      .map((c) => ({ ...c, event: this.read(c.text, held.line) }))
      .filter((c) => c.event.kind !== 'raw' && (!heldKnown || completes(event, c.event)));
    // The join that names the most (a MAC whole rather than cut), then one without a space in the
    // file name, then the break this input's terminal makes.
    const rank = (c: (typeof candidates)[number]): number =>
      identityCount(c.event) * 4 +
      (/\s/.test(fileOf(c.event) ?? '') ? 0 : 2) +
      (c.midWord === this.terminalWidths.has(last) ? 1 : 0);
    const [best, second] = [...candidates].sort((a, b) => rank(b) - rank(a));
    if (!best)
      return !heldKnown && pending.length < MAX_PENDING && ownFrame(text, this.context) === 'time' ? 'wait' : undefined;
    if (best.midWord && pending.length === 0 && (second === undefined || rank(second) >> 1 < rank(best) >> 1))
      this.terminalWidths.add(last);
    return best;
  }
}
