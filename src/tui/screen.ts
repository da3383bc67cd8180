/**
 * The bench TUI's screen: a blessed screen with one box per pane, laid out for the terminal
 * size (re-laid out on resize), redrawn at most once per refresh interval however fast the
 * sources deliver, and the keys dispatched through the controller. Each pane's text comes
 * from its own module; this file only places the boxes and carries out effects.
 */
import type { Readable, Writable } from 'node:stream';
import blessed from 'blessed';
import type { Analysis } from '../engine/analysis.js';
import { applyAction, applyPromptKey, packetsRead, pointAt } from './controller.js';
import type { Effect } from './controller.js';
import { consolePaneContent, consolePaneLabel } from './console-pane.js';
import { overlayContent, overlayTitle } from './details-pane.js';
import { findingsPaneContent, findingsPaneLabel } from './findings-pane.js';
import { footerContent } from './footer-pane.js';
import { headerContent } from './header-pane.js';
import { actionFor } from './keys.js';
import { layoutFor } from './layout.js';
import type { Rect } from './layout.js';
import { networkPaneContent, networkPaneLabel } from './network-pane.js';
import { PHONE_LIST_LINES, phoneListContent, phoneListStart } from './phone-list-pane.js';
import { phonePaneContent } from './phone-pane.js';
import { withdrawnAfter } from './kept-findings.js';
import { readRowPackets } from './row-packets.js';
import { widestRow } from './rows-pane.js';
import { wrapTagged } from './wrap.js';
import { useColor } from '../views/colours.js';
import { consoleRows, rowCount } from './view-model.js';
import type { ConsoleNote, ReplayPosition, ReplaySeek } from './session.js';
import type { PaneId, SourceStatus, TuiState } from './state.js';
import { firstVisibleRow, withoutColours } from './markup.js';

export interface TuiTerminal {
  /** Where keys come from. */
  readonly input: Readable;
  /** Where the screen is drawn; `columns`/`rows` and its `resize` event give the size. */
  readonly output: Writable;
  /** The terminfo name blessed uses (see terminalName). */
  readonly terminal: string;
}

export interface ReplayControls {
  position(): ReplayPosition | undefined;
  setPaused(paused: boolean): void;
  step(): void;
  /** Moves the replay by `seconds` of capture time. */
  seek(seconds: number): ReplaySeek;
  /** Moves the replay to the start of the next (1) or previous (-1) boot of `phone` (MAC, else IP). */
  seekBoot(direction: 1 | -1, phone?: string): ReplaySeek;
}

export interface TuiHandlers {
  /** Writes the ticket bundle; resolves to the message shown (where it went). */
  exportBundle(analysis: Analysis): Promise<string>;
  /** Types a line to the phone's console; resolves to the message shown. */
  sendLine(text: string): Promise<string>;
  sendBreak(): Promise<string>;
  /** Notes a marker; resolves to the message shown. */
  mark(text: string): Promise<string>;
  /** A replay's controls, when the session is one. */
  readonly replay?: ReplayControls;
  quit(): void;
}

/** Rows the mouse wheel moves. */
const WHEEL_ROWS = 3;
/** How often a replay's position bar is redrawn. */
const POSITION_MS = 500;
/** How long a message stays in the footer when no key is pressed. */
const STATUS_MS = 10_000;
/** Messages kept for the `m` view. */
const MAX_MESSAGES = 500;

/** Default redraw interval: a console at 115200 baud or thousands of packets a second cost one redraw per interval. */
export const REFRESH_MS = 100;

/**
 * blessed 0.1.81 cannot parse ncurses 6.4's xterm-256color / tmux-256color entries (it
 * draws a warning over the UI): it is always given `xterm`, which it reads, except on the
 * Linux console.
 */
export function terminalName(term: string | undefined): string {
  return term === 'linux' ? 'linux' : 'xterm';
}

type Pane = 'header' | 'phone' | 'phones' | 'console' | 'network' | 'findings' | 'footer';

export class TuiScreen {
  private readonly screen: blessed.Widgets.Screen;
  private readonly boxes: Record<Pane, blessed.Widgets.BoxElement>;
  private readonly overlay: blessed.Widgets.BoxElement;
  private state: TuiState;
  /** The newest analysis, held back while paused. */
  private latest: Analysis;
  private timer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  /** For each row pane, the row each line on screen belongs to. */
  private readonly lineRows: { console: number[]; network: number[] } = { console: [], network: [] };
  private ticker: NodeJS.Timeout | undefined;
  private destroyed = false;
  /** A replay went back: the next analysis starts the findings afresh (none is withdrawn). */
  private replayRestarted = false;

  /** `colour` false (NO_COLOR): bold and inverse only. */
  constructor(
    terminal: TuiTerminal,
    state: TuiState,
    private readonly handlers: TuiHandlers,
    private readonly refreshMs: number = REFRESH_MS,
    private readonly colour: boolean = useColor(undefined, { isTTY: true }),
  ) {
    this.state = handlers.replay ? { ...state, replay: true } : state;
    this.latest = state.analysis;
    // @types/blessed has the types of `input` and `output` swapped.
    this.screen = blessed.screen({
      input: terminal.input as unknown as Writable,
      output: terminal.output as unknown as Readable,
      terminal: terminal.terminal,
      warnings: false,
      smartCSR: true,
      title: 'phonedoc',
    });
    // On a UTF-8 terminal lines are drawn as Unicode: the VT100 line-drawing set that blessed
    // would switch to comes back as letters (lqqk) through tmux and in copied text.
    const { tput } = this.screen.program as unknown as { tput: { unicode?: boolean; brokenACS?: boolean } };
    if (tput.unicode) tput.brokenACS = true;
    const box = (bordered: boolean): blessed.Widgets.BoxElement =>
      blessed.box({
        parent: this.screen,
        tags: true,
        wrap: false,
        ...(bordered ? { border: { type: 'line' } } : {}),
      });
    this.boxes = {
      header: box(false),
      phone: box(false),
      phones: box(true),
      console: box(true),
      network: box(true),
      findings: box(true),
      footer: box(false),
    };
    this.overlay = blessed.box({
      parent: this.screen,
      tags: true,
      wrap: false,
      border: { type: 'line' },
      scrollable: true,
      alwaysScroll: true,
      hidden: true,
      style: { border: { bold: true, ...(this.colour ? { fg: 'cyan' } : {}) } },
    });
    this.screen.on('keypress', (ch: string | undefined, key: { full: string }) => this.onKey(ch, key.full));
    this.screen.on('resize', () => this.render());
    for (const pane of ['phones', 'console', 'network', 'findings'] as const) {
      const b = this.boxes[pane];
      this.screen.enableMouse(b);
      b.on('click', (mouse: { y: number }) =>
        this.apply({ state: pointAt(this.state, pane, this.rowAt(pane, mouse.y - (b.atop as number) - 1)) }),
      );
      b.on('wheelup', () => this.apply({ state: pointAt(this.state, pane, undefined, -WHEEL_ROWS) }));
      b.on('wheeldown', () => this.apply({ state: pointAt(this.state, pane, undefined, WHEEL_ROWS) }));
    }
    this.overlay.on('wheelup', () => {
      this.overlay.scroll(-WHEEL_ROWS);
      this.screen.render();
    });
    this.overlay.on('wheeldown', () => {
      this.overlay.scroll(WHEEL_ROWS);
      this.screen.render();
    });
    // A replay's position bar moves on with its clock.
    if (handlers.replay) this.ticker = setInterval(() => this.requestRender(), POSITION_MS);
    this.render();
  }

  get current(): TuiState {
    return this.state;
  }

  /** A new analysis from the engine: shown at the next refresh; live and paused, when the pause ends. */
  setAnalysis(analysis: Analysis): void {
    this.latest = analysis;
    // A paused replay moves only by steps: what a step played is shown.
    if (!this.state.paused || this.handlers.replay) {
      this.state = this.withAnalysis(this.state, analysis);
      this.requestRender();
    }
  }

  /** `analysis` shown in place of the one `state` has; findings it no longer has are kept as withdrawn. */
  private withAnalysis(state: TuiState, analysis: Analysis): TuiState {
    if (analysis === state.analysis) return state;
    if (this.replayRestarted) {
      this.replayRestarted = false;
      return { ...state, analysis, withdrawn: [] };
    }
    return { ...state, analysis, withdrawn: withdrawnAfter(state.analysis, analysis, state.withdrawn, wallClock()) };
  }

  setSources(sources: readonly SourceStatus[]): void {
    this.setState({ ...this.state, sources });
  }

  /** A message for the engineer: into the message log (`m`), and the footer until the next key or STATUS_MS. */
  notify(text: string): void {
    const messages = [...this.state.messages.slice(-(MAX_MESSAGES - 1)), { at: wallClock(), text }];
    this.setState({ ...this.state, messages, status: text });
    clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => {
      if (this.state.status === text) {
        const { status: _gone, ...rest } = this.state;
        this.setState(rest);
      }
    }, STATUS_MS);
    this.statusTimer.unref?.();
  }

  /** A line sent to the phone or a marker, for the console pane. */
  addNote(note: ConsoleNote): void {
    this.setState({ ...this.state, notes: [...this.state.notes, note] });
  }

  /** Redraws within the refresh interval; many calls in one interval cost one redraw. */
  requestRender(): void {
    if (this.timer || this.destroyed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, this.refreshMs);
  }

  render(): void {
    if (this.destroyed) return;
    const s = this.state;
    const program = this.screen.program;
    const layout = layoutFor(program.cols, program.rows, s.analysis.phones.length, widestRow(consoleRows(s)) + 2);
    const place = (
      pane: Pane,
      rect: Rect | undefined,
      content: (width: number, height: number) => string,
      label?: string,
    ): void => {
      const b = this.boxes[pane];
      if (!rect) {
        b.hide();
        return;
      }
      b.show();
      Object.assign(b.position, { top: rect.top, left: rect.left, width: rect.width, height: rect.height });
      const inner = b.border ? 2 : 0;
      // A label wider than its box would be drawn over the box's first line.
      if (label !== undefined)
        b.setLabel(label.length > rect.width - 4 ? `${label.slice(0, Math.max(1, rect.width - 5))}… ` : label);
      // Unfocused borders in the terminal's own colour, visible on light and dark backgrounds; the focused one bold (and cyan).
      if (b.border) b.style.border = pane === s.focus ? { bold: true, ...(this.colour ? { fg: 'cyan' } : {}) } : {};
      const text = content(rect.width - inner, rect.height - inner);
      b.setContent(this.colour ? text : withoutColours(text));
    };
    place('header', layout.header, (w) => headerContent(s, w, this.handlers.replay?.position()));
    place('phone', layout.phone, (w) => phonePaneContent(s, w));
    place('phones', layout.phones, (w, h) => phoneListContent(s, w, h), ' Phones ');
    place('findings', layout.findings, (w, h) => findingsPaneContent(s, w, h), findingsPaneLabel(s));
    place('console', layout.console, (w, h) => consolePaneContent(s, w, h, this.lineRows.console), consolePaneLabel(s));
    place('network', layout.network, (w, h) => networkPaneContent(s, w, h, this.lineRows.network), networkPaneLabel(s));
    place('footer', layout.footer, (w) => footerContent(s, w));
    if (s.overlay) {
      const { top, left, width, height } = layout.overlay;
      Object.assign(this.overlay.position, { top, left, width, height });
      const title = overlayTitle(s.overlay);
      const wrapped = wrapTagged(overlayContent(s, s.overlay), width - 2, '  ', true).join('\n');
      const content = this.colour ? wrapped : withoutColours(wrapped);
      if (this.overlay.hidden || this.overlay.getContent() !== content) {
        this.overlay.setLabel(title);
        this.overlay.setContent(content);
      }
      this.overlay.show();
      this.overlay.setFront();
    } else {
      this.overlay.hide();
      this.overlay.setScroll(0);
    }
    this.screen.render();
  }

  /** Restores the terminal (normal buffer, cursor, input mode). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.timer) clearTimeout(this.timer);
    clearTimeout(this.statusTimer);
    clearInterval(this.ticker);
    this.screen.destroy();
  }

  private onKey(ch: string | undefined, key: string): void {
    if (this.state.prompt) {
      this.apply(applyPromptKey(this.state, ch, key));
      return;
    }
    const action = actionFor(key);
    if (!action) return;
    if (this.state.overlay) {
      const by = { up: -1, down: 1, 'page-up': -this.overlayPage(), 'page-down': this.overlayPage() }[action as string];
      if (by !== undefined) {
        this.overlay.scroll(by);
        this.screen.render();
        return;
      }
    }
    const wasPaused = this.state.paused;
    const step = applyAction(this.state, action);
    if (wasPaused && !step.state.paused) this.apply({ ...step, state: this.withAnalysis(step.state, this.latest) });
    else this.apply(step);
  }

  /** The row of `pane` drawn on line `line` of its inside, if any. */
  private rowAt(pane: PaneId, line: number): number | undefined {
    if (line < 0) return undefined;
    if (pane === 'console' || pane === 'network') return this.lineRows[pane][line];
    const height = (this.boxes[pane].height as number) - 2;
    if (pane === 'findings') {
      const count = rowCount(this.state, 'findings');
      const row = firstVisibleRow(count, this.state.cursor.findings, height) + line;
      return row < count ? row : undefined;
    }
    const count = rowCount(this.state, 'phones');
    const row = phoneListStart(this.state, height) + Math.floor(line / PHONE_LIST_LINES);
    return row < count ? row : undefined;
  }

  private overlayPage(): number {
    return Math.max(1, (this.overlay.height as number) - 2);
  }

  private apply(step: { readonly state: TuiState; readonly effect?: Effect }): void {
    this.state = step.state;
    this.render();
    if (step.effect) this.carryOut(step.effect);
  }

  private carryOut(effect: Effect): void {
    if (effect.kind === 'quit') {
      this.handlers.quit();
      return;
    }
    if (effect.kind === 'pause' || effect.kind === 'seek' || effect.kind === 'seek-boot' || effect.kind === 'step') {
      const replay = this.handlers.replay;
      if (effect.kind === 'pause') replay?.setPaused(effect.paused);
      else if (!replay) this.notify('. [ ] { } move a replay; this session is not one');
      else if (effect.kind === 'seek' || effect.kind === 'seek-boot') {
        const sought =
          effect.kind === 'seek' ? replay.seek(effect.seconds) : replay.seekBoot(effect.direction, effect.phone);
        if (sought.back) this.replayRestarted = true;
        if (sought.message) this.notify(sought.message);
        this.requestRender();
      } else {
        replay.setPaused(true);
        replay.step();
      }
      return;
    }
    if (effect.kind === 'load-packets') {
      const { anchor, file, frame } = effect;
      readRowPackets(file, frame).then(
        (packets) => this.setState(packetsRead(this.state, anchor, { state: 'read', packets })),
        (error: unknown) =>
          this.setState(packetsRead(this.state, anchor, { state: 'failed', message: messageOf(error) })),
      );
      return;
    }
    const done =
      effect.kind === 'export'
        ? this.handlers.exportBundle(this.state.analysis)
        : effect.kind === 'send-line'
          ? this.handlers.sendLine(effect.text)
          : effect.kind === 'marker'
            ? this.handlers.mark(effect.text)
            : this.handlers.sendBreak();
    done.then(
      (message) => this.notify(message),
      (error: unknown) => this.notify(messageOf(error)),
    );
  }

  private setState(state: TuiState): void {
    this.state = state;
    this.requestRender();
  }
}

/** `06:30:12`, local time. */
export function wallClock(at: Date = new Date()): string {
  return at.toTimeString().slice(0, 8);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
