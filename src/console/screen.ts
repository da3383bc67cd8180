/**
 * What the console shows. On a terminal: the phone's bytes as they arrive, each line
 * recoloured by its event kind once complete, a timestamp at the start of each row, a hex
 * view, and a status line on the bottom row (a scroll region above it). On a pipe: one
 * plain line per console line, so a prompt without a line end still shows once idle.
 */
import { consoleScreenText, terminalText } from '../views/escape.js';
import type { ConsoleEventKind } from '../../parsers/console/events.js';
import type { SplitLine } from '../../parsers/console/line-splitter.js';
import { CONSOLE_KIND_COLOUR, SGR_RESET, sgrOf } from '../views/colours.js';

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

/** A terminal screen when `tty`, else plain lines for a pipe. */
export function createScreen(options: ScreenOptions): ConsoleScreen {
  return options.tty ? new TerminalScreen(options) : new PipeScreen(options);
}

/** `HH:MM:SS.mmm ` when timestamps are on, else nothing. */
function stampOf(timestamps: boolean, at: number): string {
  return timestamps ? `${screenTime(at)} ` : '';
}

/** On a pipe: one plain line per console line (a prompt too, once idle), notices on lines of their own. */
class PipeScreen implements ConsoleScreen {
  private timestamps: boolean;
  private hex = false;

  constructor(private readonly options: ScreenOptions) {
    this.timestamps = options.timestamps ?? true;
  }

  pending(): void {}

  line(line: SplitLine): void {
    const stamp = stampOf(this.timestamps, line.firstByteAt);
    const rows = this.hex ? hexRows(line.raw) : [consoleScreenText(line.text)];
    for (const row of rows) this.options.out.write(`${stamp}${row}\n`);
  }

  notice(text: string): void {
    this.options.out.write(`[phonedoc] ${terminalText(text)}\n`);
  }

  echo(): void {}

  status(): void {}

  setTimestamps(on: boolean): void {
    this.timestamps = on;
  }

  setHex(on: boolean): void {
    this.hex = on;
  }

  resize(): void {}

  close(): void {}
}

/**
 * On a terminal: the bytes as they arrive, a complete line redrawn in its kind's colour when it
 * fits on its row, a prompt's row left open for the phone's echo, and a status line on the
 * bottom row (below a scroll region) when there are rows enough.
 */
class TerminalScreen implements ConsoleScreen {
  private readonly out: ScreenOutput;
  private readonly colour: boolean;
  private readonly statusLine: boolean;
  private rows: number;
  private columns: number;
  private timestamps: boolean;
  private hex = false;
  private statusText = '';
  // The terminal row being written: what is on it (with escapes) and its visible width.
  private rowOpen = false;
  private rowStyled = '';
  private rowWidth = 0;
  /** Characters of the splitter's partial line already written. */
  private shown = 0;

  constructor(options: ScreenOptions) {
    this.out = options.out;
    this.colour = options.colour ?? true;
    this.rows = options.rows ?? 24;
    this.columns = options.columns ?? 80;
    this.timestamps = options.timestamps ?? true;
    this.statusLine = this.rows >= 3;
    this.setRegion();
  }

  pending(text: string, firstByteAt: number): void {
    if (this.hex || text.length <= this.shown) return;
    this.openRow(firstByteAt);
    this.out.write(consoleScreenText(text.slice(this.shown)));
    this.shown = text.length;
  }

  line(line: SplitLine, kind: ConsoleEventKind): void {
    if (this.hex) this.hexLine(line, kind);
    else this.textLine(line, kind);
  }

  notice(notice: string): void {
    this.endRow();
    this.out.write(`${this.style(NOTICE_STYLE, `[phonedoc] ${terminalText(notice)}`)}\r\n`);
  }

  echo(keys: Uint8Array): void {
    for (const byte of keys) {
      if (byte === 0x0d || byte === 0x0a) {
        this.rowOpen = true;
        this.endRow();
      } else {
        this.openRow(Date.now());
        this.out.write(this.style(DIM, consoleScreenText(String.fromCharCode(byte))));
        this.rowWidth += 1;
      }
    }
  }

  status(status: string): void {
    const text = terminalText(status);
    if (text === this.statusText) return;
    this.statusText = text;
    this.drawStatus();
  }

  setTimestamps(on: boolean): void {
    this.timestamps = on;
  }

  setHex(on: boolean): void {
    this.hex = on;
  }

  resize(rows: number, columns: number): void {
    this.rows = rows;
    this.columns = columns;
    this.setRegion();
  }

  close(): void {
    this.endRow();
    if (this.statusLine) this.out.write(`\x1b[${this.rows};1H\x1b[2K\x1b[r\x1b[${this.rows};1H`);
  }

  private style(sgr: string | undefined, text: string): string {
    return this.colour && sgr && text ? `${sgr}${text}${SGR_RESET}` : text;
  }

  private hexLine(line: SplitLine, kind: ConsoleEventKind): void {
    this.endRow();
    const stamp = this.style(DIM, stampOf(this.timestamps, line.firstByteAt));
    for (const row of hexRows(line.raw)) this.out.write(`${stamp}${this.style(KIND_STYLE[kind], row)}\r\n`);
  }

  private textLine(line: SplitLine, kind: ConsoleEventKind): void {
    const text = consoleScreenText(line.text);
    this.openRow(line.firstByteAt);
    const styled = this.style(KIND_STYLE[kind], text);
    if (styled !== text && this.rowWidth + text.length < this.columns && !text.includes('\b')) {
      // The whole line fits on the row: draw it again in its colour.
      this.out.write(`\r\x1b[K${this.rowStyled}${styled}`);
    } else {
      this.out.write(consoleScreenText(line.text.slice(this.shown)));
    }
    this.shown = 0;
    if (line.ending === 'idle') {
      // A prompt: the cursor stays after it, where the phone's echo of the command goes.
      this.rowStyled += styled;
      this.rowWidth += text.length;
    } else {
      this.rowOpen = true;
      this.endRow();
    }
  }

  private openRow(at: number): void {
    if (this.rowOpen) return;
    this.rowOpen = true;
    this.rowStyled = this.style(DIM, stampOf(this.timestamps, at));
    this.rowWidth = this.timestamps ? 13 : 0;
    this.out.write(this.rowStyled);
  }

  private endRow(): void {
    if (!this.rowOpen) return;
    this.out.write('\r\n');
    this.rowOpen = false;
    this.rowStyled = '';
    this.rowWidth = 0;
    this.shown = 0;
  }

  private drawStatus(): void {
    if (!this.statusLine) return;
    const text = ` ${this.statusText}`.slice(0, this.columns).padEnd(this.columns);
    this.out.write(`\x1b7\x1b[${this.rows};1H\x1b[2K${this.colour ? `\x1b[7m${text}${SGR_RESET}` : text}\x1b8`);
  }

  private setRegion(): void {
    if (!this.statusLine) return;
    // DECSTBM: scroll rows 1..rows-1 only, and start writing at the bottom of that region.
    this.out.write(`\x1b[1;${this.rows - 1}r\x1b[${this.rows - 1};1H`);
    this.drawStatus();
  }
}
