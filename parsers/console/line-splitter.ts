/**
 * Bytes from a serial or telnet console to lines (pure: no I/O, no timers; the caller
 * passes the time and calls `flushIdle` from its own timer).
 *
 * Not `@serialport/parser-readline`: a phone console needs CR, LF and CRLF as line ends,
 * a prompt without a line end shown after a short idle, a cap on the line length (noise
 * at a wrong baud rate has no line ends), the time of each line's FIRST byte, and the raw
 * bytes for a hex view (../shared/library-notes.md, parser-readline).
 */

/** What ended a line: a line end, a quiet phone (a prompt), the length cap, or the end of the input. */
export type LineEnding = 'lf' | 'cr' | 'crlf' | 'idle' | 'max-length' | 'end';

export interface SplitLine {
  /** The line's bytes without its line end, read as Latin-1 (one character per byte, nothing replaced). */
  readonly text: string;
  /** The bytes as received, line end included. */
  readonly raw: Uint8Array;
  /** When the line's first byte arrived (the caller's clock, ms since 1970). */
  readonly firstByteAt: number;
  readonly ending: LineEnding;
}

export interface LineSplitterOptions {
  /** Longest line kept whole, in bytes without the line end; longer ones are cut into pieces of this size. */
  readonly maxLineBytes?: number;
  /** A partial line becomes a line after this long without a byte. */
  readonly idleMs?: number;
}

export interface LineSplitter {
  /** The lines this chunk completes, in order. */
  push(chunk: Uint8Array, now: number): SplitLine[];
  /** The partial line, ended as `idle` (or `cr` when a CR waits for a possible LF), when nothing came for `idleMs`. */
  flushIdle(now: number): SplitLine | undefined;
  /** When `flushIdle` would next return a line; undefined when nothing is pending. */
  idleDeadline(): number | undefined;
  /** The partial line as text so far (for showing it while it arrives); empty when none. */
  pendingText(): string;
  /** Ends the input (a disconnect, the end of a file): the partial line, if any, ended as `end` (or `cr`). */
  end(): SplitLine | undefined;
}

export const DEFAULT_MAX_LINE_BYTES = 4096;
export const DEFAULT_IDLE_MS = 200;

const CR = 0x0d;
const LF = 0x0a;

export function createLineSplitter(options: LineSplitterOptions = {}): LineSplitter {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1)
    throw new RangeError(`maxLineBytes must be a positive whole number, got ${maxLineBytes}`);
  // Text bytes plus CR LF: the buffer never grows past this.
  const buffer = new Uint8Array(maxLineBytes + 2);
  let length = 0;
  /** Bytes of `buffer` that are text (a trailing CR is not). */
  let textLength = 0;
  /** A CR ended the text; the line is held until the next byte says whether an LF follows. */
  let heldCR = false;
  let firstByteAt = 0;
  let lastByteAt = 0;

  function take(ending: LineEnding): SplitLine {
    const raw = buffer.slice(0, length);
    const text = latin1(raw.subarray(0, textLength));
    const line: SplitLine = { text, raw, firstByteAt, ending };
    length = 0;
    textLength = 0;
    heldCR = false;
    return line;
  }

  return {
    push(chunk, now) {
      const lines: SplitLine[] = [];
      for (const byte of chunk) {
        if (heldCR) {
          if (byte === LF) {
            buffer[length++] = byte;
            lines.push(take('crlf'));
            continue;
          }
          lines.push(take('cr'));
        }
        if (length === 0) firstByteAt = now;
        if (byte === LF) {
          buffer[length++] = byte;
          lines.push(take('lf'));
        } else if (byte === CR) {
          buffer[length++] = byte;
          heldCR = true;
        } else {
          if (textLength === maxLineBytes) lines.push(take('max-length'));
          if (length === 0) firstByteAt = now;
          buffer[length++] = byte;
          textLength = length;
        }
      }
      if (chunk.length > 0) lastByteAt = now;
      return lines;
    },
    flushIdle(now) {
      if (length === 0 || now - lastByteAt < idleMs) return undefined;
      return take(heldCR ? 'cr' : 'idle');
    },
    idleDeadline() {
      return length === 0 ? undefined : lastByteAt + idleMs;
    },
    pendingText() {
      return latin1(buffer.subarray(0, textLength));
    },
    end() {
      if (length === 0) return undefined;
      return take(heldCR ? 'cr' : 'end');
    },
  };
}

/** The line end a line arrived with, as Latin-1 (`\r\n`, `\n`, `\r`); empty when the splitter cut the line. */
export function lineEndText(line: SplitLine): string {
  return latin1(line.raw.subarray(line.text.length));
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
