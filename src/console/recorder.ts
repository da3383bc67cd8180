/**
 * The console log: one line per console line, `2026-11-26T06:22:23.123Z <text>` (ISO 8601
 * UTC, milliseconds), appended and written to the file line by line (a synchronous write
 * each: a crash, a kill or an unplug loses nothing already received). Events of the session
 * (start, disconnect, reconnect) are `# phonedoc console ...` lines, which readConsoleLog
 * keeps as header metadata with their line numbers, apart from the phone's lines. Lines are
 * in the escaped form (escapeConsoleBytes: `\\` a backslash, `\xNN` a byte that is not
 * valid UTF-8 or is a control character), marked `bytes=escaped` in the session's first
 * line, so the file holds exactly the bytes the phone sent, and nothing that acts on a terminal.
 *
 * Default place: `$PHONEDOC_CONSOLE_DIR`, else `$XDG_STATE_HOME/phonedoc/console`, else
 * `~/.local/state/phonedoc/console`; one file per session, `<port>-<start>.log`.
 */
import { closeSync, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { ESCAPED_FORM } from '../../parsers/console/log-lines.js';
import { isoMillis } from '../../parsers/time/iso.js';
import { makeFolder } from '../extract/output-folders.js';
import { escapeConsoleBytes, escapeConsoleLine } from '../views/escape.js';

/** `sent`: a line typed to the phone from outside the keyboard stream (the TUI's `s`); `marker`: the engineer's note. */
export type RecorderEvent = 'log' | 'disconnected' | 'reconnected' | 'closed' | 'sent' | 'marker';

export interface ConsoleRecorder {
  readonly file: string;
  /**
   * Writes one console line, given as Latin-1 text (one character per byte received, as the
   * line splitter gives it); returns its line number in the file (what the console parser calls `line`).
   */
  line(text: string, at: number): number;
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

/** How many lines `splitLogLines` finds in the file (CR, LF and CRLF each end one), read in chunks; whether the last is not ended. */
function countLines(file: string): { lines: number; endsOpen: boolean } {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    let lines = 0;
    let last = -1;
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      for (const byte of chunk.subarray(0, n)) {
        if (byte === 0x0d || (byte === 0x0a && last !== 0x0d)) lines++;
        last = byte;
      }
    }
    const endsOpen = last !== -1 && last !== 0x0a && last !== 0x0d;
    return { lines: lines + (endsOpen ? 1 : 0), endsOpen };
  } finally {
    closeSync(fd);
  }
}

/** Opens (appending) and writes the session's first line, `# phonedoc console log ...`. */
export function openRecorder(file: string, fields: Readonly<Record<string, string>>, at: number): ConsoleRecorder {
  makeFolder(path.dirname(file), 'the console log folder');
  // Appending to an earlier log: count its lines so that line numbers stay those of the file.
  const before = existsSync(file) ? countLines(file) : { lines: 0, endsOpen: false };
  const fd = openSync(file, 'a');
  let { lines } = before;
  if (before.endsOpen) writeSync(fd, '\n');
  let open = true;
  const write = (text: string): number => {
    if (!open) throw new Error(`console log ${file} is closed`);
    writeSync(fd, text);
    return ++lines;
  };
  const recorder: ConsoleRecorder = {
    file,
    line: (text, time) => write(`${isoMillis(time / 1000)} ${escapeConsoleLine(Buffer.from(text, 'latin1'))}\n`),
    mark: (event, words, time) => {
      const text = `# phonedoc console ${event}${Object.keys(words).length ? ` ${headerWords(words)}` : ''}`;
      return write(`${isoMillis(time / 1000)} ${escapeConsoleBytes(Buffer.from(text, 'utf8'))}\n`);
    },
    close: () => {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
  recorder.mark('log', { ...fields, [ESCAPED_FORM.field]: ESCAPED_FORM.value }, at);
  return recorder;
}
