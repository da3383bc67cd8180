/**
 * The bench TUI drawn in-process into a headless xterm: blessed writes to a stream that
 * feeds @xterm/headless, keys go in through a PassThrough, and the screen is read back as
 * text lines and cells. Deterministic, no pty.
 */
import { PassThrough, Writable } from 'node:stream';
import xterm from '@xterm/headless';
import type { Analysis } from '../../src/engine/analysis.js';
import { TuiScreen } from '../../src/tui/screen.js';
import type { ReplayControls, TuiHandlers } from '../../src/tui/screen.js';
import type { TuiState } from '../../src/tui/state.js';

/** What the terminal sends for each key name the tests use. */
export const KEY_BYTES = {
  tab: '\t',
  'shift-tab': '\x1b[Z',
  up: '\x1b[A',
  down: '\x1b[B',
  enter: '\r',
  escape: '\x1b',
  backspace: '\x7f',
} as const;

export interface HeadlessTui {
  readonly screen: TuiScreen;
  readonly calls: string[];
  lines(): string[];
  text(): string;
  /** Background colour (palette index) of the cell, or -1 for the default. */
  background(row: number, column: number): number;
  /** Foreground colour (palette index) of the cell, or -1 for the default. */
  foreground(row: number, column: number): number;
  press(...keys: (keyof typeof KEY_BYTES | string)[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  settle(): Promise<void>;
  close(): void;
}

export async function openHeadlessTui(
  state: TuiState,
  columns: number,
  rows: number,
  refreshMs = 5,
  colour = true,
  replay?: ReplayControls,
): Promise<HeadlessTui> {
  // No scrollback: what a test reads is the screen, and a terminal's history is not the TUI's memory (bench:tui).
  const term = new xterm.Terminal({ cols: columns, rows, scrollback: 0, allowProposedApi: true });
  const output = Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => term.write(chunk, done) }), {
    columns,
    rows,
    isTTY: true,
  });
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const calls: string[] = [];
  const handlers: TuiHandlers = {
    exportBundle: (analysis: Analysis) => {
      calls.push(`export ${analysis.phones.length}`);
      return Promise.resolve('ticket bundle: written');
    },
    sendLine: (text) => {
      calls.push(`send ${text}`);
      return Promise.resolve(`sent ${text}`);
    },
    sendBreak: () => {
      calls.push('break');
      return Promise.resolve('break sent');
    },
    mark: (text) => {
      calls.push(`mark ${text}`);
      return Promise.resolve(`marker "${text}" noted`);
    },
    quit: () => calls.push('quit'),
    ...(replay ? { replay } : {}),
  };
  const screen = new TuiScreen({ input, output, terminal: 'xterm' }, state, handlers, refreshMs, colour);
  const settle = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(30, refreshMs * 3)));
    await new Promise<void>((resolve) => term.write('', resolve));
  };
  await settle();
  const lines = (): string[] =>
    Array.from({ length: term.rows }, (_, i) => term.buffer.active.getLine(i)?.translateToString(true) ?? '');
  return {
    screen,
    calls,
    settle,
    lines,
    text: () => lines().join('\n'),
    background: (row, column) => {
      const cell = term.buffer.active.getLine(row)?.getCell(column);
      return cell?.isBgPalette() ? cell.getBgColor() : -1;
    },
    foreground: (row, column) => {
      const cell = term.buffer.active.getLine(row)?.getCell(column);
      return cell?.isFgPalette() ? cell.getFgColor() : -1;
    },
    async press(...keys) {
      for (const key of keys) {
        input.write(key in KEY_BYTES ? KEY_BYTES[key as keyof typeof KEY_BYTES] : key);
        // A lone ESC is only known to be the Escape key once nothing follows it.
        await new Promise((resolve) => setTimeout(resolve, key === 'escape' ? 80 : 5));
      }
      await settle();
    },
    async resize(c, r) {
      term.resize(c, r);
      Object.assign(output, { columns: c, rows: r });
      output.emit('resize');
      await settle();
    },
    close: () => screen.destroy(),
  };
}
