/**
 * Reading a console log file into lines (pure: the caller reads the file).
 *
 * Two forms are accepted, line by line:
 * - our recorder's: `2026-11-26T06:22:23.123Z <text>` (ISO 8601 UTC, a space, the text);
 * - a bare paste (HyperTerminal, minicom capture) without timestamps.
 * Header lines `# phonedoc console log key=value ...` are skipped and kept as metadata;
 * `simulated` (or `simulated=yes`) in a header marks text produced by the lab's simulator.
 * After a `# phonedoc console log ... bytes=escaped` header the lines are in the recorder's
 * escaped form (`\\` a backslash, `\xNN` the byte NN; a phone's line starting with `#` has it as
 * `\x23`, so only the recorder's lines are headers): they are read back into the bytes the phone
 * sent, and those are the line's text (UTF-8 when valid, else one character per byte).
 * When that header also says `line-ends=kept`, each line of the phone's ends with the line end
 * it arrived with, escaped (`\x0d\x0a`, `\x0a` or `\x0d`; none when the recorder cut the line
 * itself): the CR and LF bytes at a line's end are its `lineEnd`, no part of its text, and the
 * session's lines decoded and joined in order are exactly the bytes received.
 */
import { bytesText } from '../capture/bytes.js';
import { readIsoUtc } from '../time/iso.js';

export interface ConsoleLogLine {
  /** 1-based line number in the file; CR, LF and CRLF each end one line. */
  readonly line: number;
  /** What the phone sent, without the recorder's timestamp and the line end. */
  readonly text: string;
  /** Seconds since the epoch (UTC, to the millisecond) the recorder stamped on the line, when it has one. */
  readonly hostTime?: number;
  /** The bytes the phone sent, without the line end, when the log holds them in escaped form. */
  readonly received?: Uint8Array;
  /**
   * The line end as received (CR LF, LF, CR; empty when the recorder cut the line: its length
   * cap, a quiet phone, the session's end), when the log keeps line ends (`line-ends=kept`).
   */
  readonly lineEnd?: Uint8Array;
}

export interface ConsoleLogHeader {
  readonly line: number;
  /** The header line as written, without the recorder's timestamp. */
  readonly text: string;
  /** Its `key=value` words (`key="a b"` for a value with spaces). */
  readonly fields: Readonly<Record<string, string>>;
  /** Its `time=` word (a sent line's or a marker's, as the recorder wrote it), in seconds since the epoch. */
  readonly time?: number;
}

export interface ConsoleLog {
  readonly header: readonly ConsoleLogHeader[];
  /** True when a header marks the text as coming from the lab's simulator, not a phone. */
  readonly simulated: boolean;
  readonly lines: readonly ConsoleLogLine[];
}

/**
 * Splits a log at CRLF, lone CR or lone LF (serial consoles and Windows terminals use all
 * three). A text ending in a line end has no empty last line.
 */
export function splitLogLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const NUL_PADDING = /^\0+|\0+$/g;

/** A line without the NUL bytes padding it (some routers' syslog, a terminal program's fill): no part of the text. */
export function withoutNulPadding(line: string): string {
  return line.includes('\0') ? line.replace(NUL_PADDING, '') : line;
}

/** A terminal's colour, cursor and title sequences (CSI, OSC) a terminal program kept in its log. */
const TERMINAL_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** What a console line printed, for its parser: without NUL padding and terminal sequences (the line's text keeps them). */
export function printedText(line: string): string {
  return withoutNulPadding(line.includes('\x1b') ? line.replace(TERMINAL_SEQUENCE, '') : line);
}

const HEADER = /^# phonedoc\b/;
const HEADER_FIELD = /([A-Za-z][\w.-]*)=(?:"([^"]*)"|(\S*))/g;
const SIMULATED_WORD = /(?:^|\s)simulated(?:\s|$)/;
const FALSE_WORDS = new Set(['no', 'false', '0', 'off']);
/** The header word of a log whose lines are in escaped form. */
export const ESCAPED_FORM = { field: 'bytes', value: 'escaped' } as const;
/** The header word of an escaped-form log whose lines end with the line end received, escaped. */
export const LINE_ENDS_KEPT = { field: 'line-ends', value: 'kept' } as const;
const SESSION_START = /^# phonedoc console log\b/;
const ESCAPE = /\\(?:\\|x([0-9a-fA-F]{2}))/g;

/** The bytes an escaped-form line stands for; a backslash not starting an escape stands for itself. */
export function consoleLogBytes(text: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const m of text.matchAll(ESCAPE)) {
    parts.push(
      Buffer.from(text.slice(from, m.index), 'utf8'),
      m[1] === undefined ? Buffer.of(0x5c) : Buffer.of(parseInt(m[1], 16)),
    );
    from = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** A line's bytes parted into its text and the CR and LF bytes ending it. */
function withoutLineEnd(bytes: Uint8Array): { received: Uint8Array; lineEnd: Uint8Array } {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0d || bytes[end - 1] === 0x0a)) end--;
  return { received: bytes.subarray(0, end), lineEnd: bytes.subarray(end) };
}

/**
 * The bytes a phone's line stands for, line end included, as the recorder received them;
 * undefined when the log does not hold them (not in escaped form, or written before line ends were kept).
 */
export function receivedWithLineEnd(line: ConsoleLogLine): Uint8Array | undefined {
  if (line.received === undefined || line.lineEnd === undefined) return undefined;
  return Buffer.concat([line.received, line.lineEnd]);
}

/** The recorder's time at the start of `text`, or undefined when there is none or it is not a real date. */
function recorderStamp(text: string): { seconds: number; rest: string } | undefined {
  const stamp = readIsoUtc(text);
  if (!stamp) return undefined;
  const rest = text.slice(stamp.length);
  if (rest !== '' && !rest.startsWith(' ')) return undefined;
  return { seconds: stamp.seconds, rest: rest.slice(1) };
}

function headerFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, key, quoted, bare] of text.matchAll(HEADER_FIELD)) {
    if (key !== undefined) fields[key] = quoted ?? bare ?? '';
  }
  return fields;
}

function marksSimulated(h: ConsoleLogHeader): boolean {
  const value = h.fields.simulated;
  if (value !== undefined) return !FALSE_WORDS.has(value.toLowerCase());
  return SIMULATED_WORD.test(h.text);
}

export function readConsoleLog(text: string): ConsoleLog {
  const header: ConsoleLogHeader[] = [];
  const lines: ConsoleLogLine[] = [];
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let escaped = false;
  let endsKept = false;
  splitLogLines(source).forEach((raw, index) => {
    const line = index + 1;
    const stamp = recorderStamp(raw);
    const written = stamp ? stamp.rest : raw;
    // Judged on the file's own text: in the escaped form a phone's line never starts with `#` (`\x23`).
    const isHeader = HEADER.test(written);
    if (isHeader && SESSION_START.test(written)) {
      const fields = headerFields(written);
      escaped = fields[ESCAPED_FORM.field] === ESCAPED_FORM.value;
      endsKept = escaped && fields[LINE_ENDS_KEPT.field] === LINE_ENDS_KEPT.value;
    }
    const decoded = escaped ? consoleLogBytes(written) : undefined;
    const parted = decoded && endsKept && !isHeader ? withoutLineEnd(decoded) : undefined;
    const received = parted?.received ?? decoded;
    const body = received ? bytesText(received) : written;
    if (isHeader) {
      const fields = headerFields(body);
      const time = fields.time === undefined ? undefined : readIsoUtc(fields.time);
      header.push({
        line,
        text: body,
        fields,
        ...(time && time.length === fields.time?.length ? { time: time.seconds } : {}),
      });
    } else {
      lines.push({
        line,
        text: body,
        ...(stamp ? { hostTime: stamp.seconds } : {}),
        ...(received ? { received } : {}),
        ...(parted ? { lineEnd: parted.lineEnd } : {}),
      });
    }
  });
  const simulated = header.some(marksSimulated);
  return { header, simulated, lines };
}
