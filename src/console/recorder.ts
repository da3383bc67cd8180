/**
 * The console log: one line per console line, `2026-11-26T06:22:23.123Z <text>` (ISO 8601
 * UTC, milliseconds), appended and written to the file line by line (a synchronous write
 * each: a crash, a kill or an unplug loses nothing already received). Events of the session
 * (start, disconnect, reconnect) are `# phonedoc console ...` lines, which readConsoleLog
 * keeps as header metadata with their line numbers, apart from the phone's lines. Lines are
 * in the escaped form (escapeConsoleBytes: `\\` a backslash, `\xNN` a byte that is not
 * valid UTF-8 or is a control character), marked `bytes=escaped` in the session's first
 * line, so the file holds exactly the bytes the phone sent, and nothing that acts on a terminal.
 * Each phone's line ends with its line end as received, escaped (`\x0d\x0a`, `\x0a`, `\x0d`;
 * nothing when the line splitter cut it: the length cap, the idle flush, the end), marked
 * `line-ends=kept`: the lines decoded and joined give back the bytes received, in order.
 *
 * Default place: `$PHONEDOC_CONSOLE_DIR`, else `$XDG_STATE_HOME/phonedoc/console`, else
 * `~/.local/state/phonedoc/console`; one file per session, `<port>-<start>.log`.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  type Stats,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ESCAPED_FORM, LINE_ENDS_KEPT } from '../../parsers/console/log-lines.js';
import { isoMillis } from '../../parsers/time/iso.js';
import { InputError } from '../exit-codes.js';
import { entryKind, fileSystemReason, makeFolder } from '../extract/output-folders.js';
import { escapeConsoleBytes, escapeConsoleLine } from '../views/escape.js';

/** `sent`: a line typed to the phone from outside the keyboard stream (the TUI's `s`); `marker`: the engineer's note. */
export type RecorderEvent = 'log' | 'disconnected' | 'reconnected' | 'closed' | 'sent' | 'marker';

export interface ConsoleRecorder {
  readonly file: string;
  /**
   * Writes one console line, given as Latin-1 text (one character per byte received, as the
   * line splitter gives it) and the line end it arrived with (Latin-1 too, empty when none);
   * returns its line number in the file (what the console parser calls `line`).
   */
  line(text: string, at: number, lineEnd?: string): number;
  /** A `# phonedoc console <event> key=value ...` line; returns its line number. */
  mark(event: RecorderEvent, fields: Readonly<Record<string, string>>, at: number): number;
  close(): void;
}

export function defaultConsoleDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.PHONEDOC_CONSOLE_DIR) return env.PHONEDOC_CONSOLE_DIR;
  const state = env.XDG_STATE_HOME || path.join(home, '.local', 'state');
  return path.join(state, 'phonedoc', 'console');
}

/** `usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0-20261126T062223Z.log` */
export function defaultLogFile(dir: string, endpointName: string, startedAt: number): string {
  const stamp = isoMillis(startedAt / 1000)
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return path.join(dir, `${endpointName.replace(/[^\w.-]/g, '_')}-${stamp}.log`);
}

function headerWords(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${/[\s"]/.test(v) || v === '' ? `"${v.replace(/"/g, "'")}"` : v}`)
    .join(' ');
}

/**
 * Checks a console log path before the session connects: a symbolic link, a folder, a FIFO, a
 * socket or a block device is refused (a character device such as /dev/null is taken); returns
 * a notice when the file exists with content, which the session is appended to.
 */
export function checkConsoleLogFile(file: string): string | undefined {
  if (file.trim() === '') throw new InputError('--log is given as an empty name: give a file.');
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`cannot use ${file} as the console log: ${fileSystemReason(error)}.`);
  }
  refuseLogEntry(file, stats);
  return stats.isFile() && stats.size > 0
    ? `${file} exists: this session is appended to it (its ${stats.size} bytes are kept)`
    : undefined;
}

function refuseLogEntry(file: string, stats: Stats): void {
  if (stats.isSymbolicLink()) {
    throw new InputError(
      `${file} is a symbolic link (to ${readlinkSync(file)}): the console log must be a file, ` +
        'as phonedoc never writes through a link; give the file itself.',
    );
  }
  if (!stats.isFile() && !stats.isCharacterDevice())
    throw new InputError(
      `${file} is ${entryKind(stats)}: the console log must be a file; give another file with --log.`,
    );
}

/**
 * Opens the log to append, never through a link (O_NOFOLLOW) and without waiting for a reader
 * (O_NONBLOCK: a FIFO is refused, not waited on). Read and write, to count the lines already there.
 */
function openLogFile(file: string): number {
  let fd: number;
  try {
    fd = openSync(
      file,
      constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      0o644,
    );
  } catch (error) {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    if (stats !== undefined) refuseLogEntry(file, stats);
    throw error;
  }
  try {
    refuseLogEntry(file, fstatSync(fd));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** How many lines `splitLogLines` finds in a log file (CR, LF and CRLF each end one), read in chunks; whether the last is not ended. */
function countLines(fd: number): { lines: number; endsOpen: boolean } {
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  let lines = 0;
  let last = -1;
  let position = 0;
  for (
    let n = readSync(fd, chunk, 0, chunk.length, position);
    n > 0;
    n = readSync(fd, chunk, 0, chunk.length, position)
  ) {
    position += n;
    for (const byte of chunk.subarray(0, n)) {
      if (byte === 0x0d || (byte === 0x0a && last !== 0x0d)) lines++;
      last = byte;
    }
  }
  const endsOpen = last !== -1 && last !== 0x0a && last !== 0x0d;
  return { lines: lines + (endsOpen ? 1 : 0), endsOpen };
}

/**
 * Opens (appending) and writes the session's first line, `# phonedoc console log ...`. Lines
 * already in a log file are counted, so that line numbers stay those of the file; a character
 * device (/dev/null) is written without counting.
 */
export function openRecorder(file: string, fields: Readonly<Record<string, string>>, at: number): ConsoleRecorder {
  makeFolder(path.dirname(file), 'the console log folder');
  const fd = openLogFile(file);
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  let lines = 0;
  const write = (text: string): number => {
    if (!open) throw new Error(`console log ${file} is closed`);
    writeSync(fd, text);
    return ++lines;
  };
  const recorder: ConsoleRecorder = {
    file,
    line: (text, time, lineEnd = '') =>
      write(`${isoMillis(time / 1000)} ${escapeConsoleLine(Buffer.from(text + lineEnd, 'latin1'))}\n`),
    mark: (event, words, time) => {
      const text = `# phonedoc console ${event}${Object.keys(words).length ? ` ${headerWords(words)}` : ''}`;
      return write(`${isoMillis(time / 1000)} ${escapeConsoleBytes(Buffer.from(text, 'utf8'))}\n`);
    },
    close,
  };
  try {
    const before = fstatSync(fd).isFile() ? countLines(fd) : { lines: 0, endsOpen: false };
    lines = before.lines;
    if (before.endsOpen) writeSync(fd, '\n');
    const form = { [ESCAPED_FORM.field]: ESCAPED_FORM.value, [LINE_ENDS_KEPT.field]: LINE_ENDS_KEPT.value };
    recorder.mark('log', { ...fields, ...form }, at);
  } catch (error) {
    close();
    throw error;
  }
  return recorder;
}
