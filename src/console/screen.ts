/**
 * What the console shows. On a terminal: the phone's bytes as they arrive, each line
 * recoloured by its event kind once complete, a timestamp at the start of each row, a hex
 * view, and a status line on the bottom row (a scroll region above it). On a pipe: one
 * plain line per console line, so a prompt without a line end still shows once idle.
 */
import { consoleScreenText, terminalText } from '../views/escape.js';
import type { ConsoleEventKind } from '../../parsers/console/events.js';
import type { SplitLine } from '../../parsers/console/line-splitter.js';
import { CONSOLE_KIND_COLOUR, sgrOf } from './kind-colours.js';

export interface ScreenOutput {
  write(text: string): unknown;
}

export interface ScreenOptions {
  readonly out: ScreenOutput;
  /** A terminal: colours, live partial lines, status line. */
  readonly tty: boolean;
  readonly rows?: number;
  readonly columns?: number;
  readonly timestamps?: boolean;
  readonly colour?: boolean;
}

export interface ConsoleScreen {
  /** The partial line so far (shown as it arrives, on a terminal). */
  pending(text: string, firstByteAt: number): void;
  /** A complete console line and the kind of event it became. */
  line(line: SplitLine, kind: ConsoleEventKind): void;
  /** phonedoc's own words (settings, disconnects, hints), on a row of their own. */
  notice(text: string): void;
  /** Local echo of typed keys. */
  echo(keys: Uint8Array): void;
  status(text: string): void;
  setTimestamps(on: boolean): void;
  setHex(on: boolean): void;
  resize(rows: number, columns: number): void;
  close(): void;
}

const RESET = '\x1b[0m';
/** Colours by event kind (the table `phonedoc tui` uses too); kinds not listed stay plain. */
const KIND_STYLE: Partial<Record<ConsoleEventKind, string>> = Object.fromEntries(
  Object.entries(CONSOLE_KIND_COLOUR).map(([kind, style]) => [kind, sgrOf(style)]),
);
const NOTICE_STYLE = '\x1b[1;34m';
const DIM = '\x1b[2m';
const HEX_BYTES_PER_ROW = 16;

/** Local time `HH:MM:SS.mmm` (the log has UTC; the screen is for the person at the bench). */
export function screenTime(at: number): string {
  const d = new Date(at);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** `0000  48 65 6c 6c 6f 0d 0a  |Hello..|` rows for the hex view. */
export function hexRows(bytes: Uint8Array): string[] {
  const rows: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += HEX_BYTES_PER_ROW) {
    const part = bytes.subarray(offset, offset + HEX_BYTES_PER_ROW);
    const hex = [...part].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = [...part].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${offset.toString(16).padStart(4, '0')}  ${hex.padEnd(HEX_BYTES_PER_ROW * 3 - 1)}  |${text}|`);
  }
  return rows;
}

export function createScreen(options: ScreenOptions): ConsoleScreen {
  const { out, tty } = options;
  const colour = tty && (options.colour ?? true);
  let rows = options.rows ?? 24;
  let columns = options.columns ?? 80;
  let timestamps = options.timestamps ?? true;
  let hex = false;
  let statusText = '';
  const statusLine = tty && rows >= 3;

  // The terminal row being written: what is on it (with escapes) and its visible width.
  let rowOpen = false;
  let rowStyled = '';
  let rowWidth = 0;
  /** Characters of the splitter's partial line already written. */
  let shown = 0;

  const style = (sgr: string | undefined, text: string): string =>
    colour && sgr && text ? `${sgr}${text}${RESET}` : text;

  function openRow(at: number): void {
    if (rowOpen) return;
    rowOpen = true;
    rowStyled = timestamps ? style(DIM, `${screenTime(at)} `) : '';
    rowWidth = timestamps ? 13 : 0;
    out.write(rowStyled);
  }

  function endRow(): void {
    if (!rowOpen) return;
    out.write('\r\n');
    rowOpen = false;
    rowStyled = '';
    rowWidth = 0;
    shown = 0;
  }

  function drawStatus(): void {
    if (!statusLine) return;
    const text = ` ${statusText}`.slice(0, columns).padEnd(columns);
    out.write(`\x1b7\x1b[${rows};1H\x1b[2K${colour ? `\x1b[7m${text}${RESET}` : text}\x1b8`);
  }

  function setRegion(): void {
    if (!statusLine) return;
    // DECSTBM: scroll rows 1..rows-1 only, and start writing at the bottom of that region.
    out.write(`\x1b[1;${rows - 1}r\x1b[${rows - 1};1H`);
    drawStatus();
  }
  if (tty) setRegion();

  return {
    pending(text, firstByteAt) {
      if (!tty || hex || text.length <= shown) return;
      openRow(firstByteAt);
      out.write(consoleScreenText(text.slice(shown)));
      shown = text.length;
    },

    line(line, kind) {
      if (hex) {
        endRow();
        const stamp = timestamps ? `${screenTime(line.firstByteAt)} ` : '';
        for (const row of hexRows(line.raw))
          out.write(`${style(DIM, stamp)}${style(KIND_STYLE[kind], row)}${tty ? '\r\n' : '\n'}`);
        return;
      }
      const text = consoleScreenText(line.text);
      if (!tty) {
        out.write(`${timestamps ? `${screenTime(line.firstByteAt)} ` : ''}${text}\n`);
        return;
      }
      openRow(line.firstByteAt);
      const styled = style(KIND_STYLE[kind], text);
      if (colour && styled !== text && rowWidth + text.length < columns && !text.includes('\b')) {
        // The whole line fits on the row: draw it again in its colour.
        out.write(`\r\x1b[K${rowStyled}${styled}`);
      } else {
        out.write(consoleScreenText(line.text.slice(shown)));
      }
      shown = 0;
      if (line.ending === 'idle') {
        // A prompt: the cursor stays after it, where the phone's echo of the command goes.
        rowStyled += styled;
        rowWidth += text.length;
      } else {
        rowOpen = true;
        endRow();
      }
    },

    notice(notice) {
      endRow();
      const text = terminalText(notice);
      out.write(tty ? `${style(NOTICE_STYLE, `[phonedoc] ${text}`)}\r\n` : `[phonedoc] ${text}\n`);
    },

    echo(keys) {
      if (!tty) return;
      for (const byte of keys) {
        if (byte === 0x0d || byte === 0x0a) {
          rowOpen = true;
          endRow();
        } else {
          openRow(Date.now());
          out.write(style(DIM, consoleScreenText(String.fromCharCode(byte))));
          rowWidth += 1;
        }
      }
    },

    status(status) {
      const text = terminalText(status);
      if (text === statusText) return;
      statusText = text;
      drawStatus();
    },

    setTimestamps(on) {
      timestamps = on;
    },

    setHex(on) {
      hex = on;
    },

    resize(newRows, newColumns) {
      rows = newRows;
      columns = newColumns;
      setRegion();
    },

    close() {
      endRow();
      if (statusLine) out.write(`\x1b[${rows};1H\x1b[2K\x1b[r\x1b[${rows};1H`);
    },
  };
}
