/**
 * What a key does to the state, as a pure function: the screen calls it and carries out
 * the returned effect (export, send, read a row's packets, quit). Selecting a finding moves
 * the console and network cursors to the first row it cites, so its evidence is in view in
 * both panes.
 */
import { evidenceAnchor } from '../engine/analysis.js';
import type { TimelineEntry } from '../engine/analysis.js';
import { NO_LIVE_CONSOLE } from './keys.js';
import type { TuiAction } from './keys.js';
import { isCited } from './rows-pane.js';
import { FOLLOW } from './state.js';
import type { PaneId, RowPacketsView, TuiState } from './state.js';
import {
  consoleRows,
  currentPhone,
  cursorRow,
  NOTE_ANCHOR,
  focusOrder,
  networkRows,
  phoneKey,
  phonesWorstFirst,
  rowCount,
  shownFindings,
} from './view-model.js';

export type Effect =
  | { readonly kind: 'export' }
  | { readonly kind: 'send-line'; readonly text: string }
  | { readonly kind: 'send-break' }
  | { readonly kind: 'marker'; readonly text: string }
  | { readonly kind: 'pause'; readonly paused: boolean }
  /** Moves a replay by `seconds` of capture time (back: played again from the start up to there). */
  | { readonly kind: 'seek'; readonly seconds: number }
  /** Moves a replay to the start of the next or previous boot of `phone` (MAC, else IP). */
  | { readonly kind: 'seek-boot'; readonly direction: 1 | -1; readonly phone?: string }
  | { readonly kind: 'step' }
  /** Read the packets of the row `anchor` (frame `frame` of capture `file`) and hand them to `packetsRead`. */
  | { readonly kind: 'load-packets'; readonly anchor: string; readonly file: string; readonly frame: number }
  | { readonly kind: 'quit' };

export interface Step {
  readonly state: TuiState;
  readonly effect?: Effect;
}

const PAGE = 10;
/** `[` and `]` move a replay by this much capture time. */
const SKIP_SECONDS = 10;

export function applyAction(state: TuiState, action: TuiAction): Step {
  const { status: _cleared, ...s } = state;
  if (
    s.overlay &&
    action !== 'close' &&
    action !== 'quit' &&
    action !== 'help' &&
    action !== 'messages' &&
    action !== 'servers'
  )
    return { state: s }; // the overlay's box scrolls itself
  switch (action) {
    case 'next-pane':
    case 'previous-pane':
    case 'up':
    case 'down':
    case 'page-up':
    case 'page-down':
    case 'top':
    case 'bottom':
      return { state: navigate(s, action) };
    case 'details':
      return openDetails(s);
    case 'close': {
      if (s.overlay) {
        const { overlay: _closed, ...rest } = s;
        return { state: rest };
      }
      const { selectedFinding: _unselected, ...rest } = s;
      return { state: rest };
    }
    case 'filter':
      return { state: { ...s, prompt: { purpose: 'filter', text: s.filter } } };
    case 'send-line':
      return s.liveConsole
        ? { state: { ...s, prompt: { purpose: 'send', text: '' } } }
        : { state: { ...s, status: NO_LIVE_CONSOLE } };
    case 'marker':
      return { state: { ...s, prompt: { purpose: 'marker', text: '' } } };
    case 'servers':
      return { state: s.overlay?.kind === 'servers' ? withoutOverlay(s) : { ...s, overlay: { kind: 'servers' } } };
    case 'messages':
      return { state: s.overlay?.kind === 'messages' ? withoutOverlay(s) : { ...s, overlay: { kind: 'messages' } } };
    case 'timeline':
      return { state: { ...s, overlay: { kind: 'timeline' } } };
    case 'help':
      return { state: s.overlay?.kind === 'help' ? withoutOverlay(s) : { ...s, overlay: { kind: 'help' } } };
    case 'pause':
    case 'skip':
    case 'skip-back':
    case 'next-boot':
    case 'previous-boot':
    case 'step':
      return steerReplay(s, action);
    case 'export':
      return { state: s, effect: { kind: 'export' } };
    case 'send-break':
      return s.liveConsole
        ? { state: s, effect: { kind: 'send-break' } }
        : { state: { ...s, status: NO_LIVE_CONSOLE } };
    case 'quit':
      return { state: s, effect: { kind: 'quit' } };
  }
}

type NavigationAction = Extract<
  TuiAction,
  'next-pane' | 'previous-pane' | 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom'
>;

/** Focus to another pane, or the cursor within the focused one; `bottom` in a log pane follows new rows. */
function navigate(s: TuiState, action: NavigationAction): TuiState {
  switch (action) {
    case 'next-pane':
      return moveFocus(s, 1);
    case 'previous-pane':
      return moveFocus(s, -1);
    case 'up':
      return moveCursor(s, -1);
    case 'down':
      return moveCursor(s, 1);
    case 'page-up':
      return moveCursor(s, -PAGE);
    case 'page-down':
      return moveCursor(s, PAGE);
    case 'top':
      return moveCursor(s, -Infinity);
    case 'bottom':
      return s.focus === 'console' || s.focus === 'network'
        ? { ...s, cursor: { ...s.cursor, [s.focus]: FOLLOW } }
        : moveCursor(s, Infinity);
  }
}

type ReplayAction = Extract<TuiAction, 'pause' | 'skip' | 'skip-back' | 'next-boot' | 'previous-boot' | 'step'>;

function steerReplay(s: TuiState, action: ReplayAction): Step {
  switch (action) {
    case 'pause':
      return { state: { ...s, paused: !s.paused }, effect: { kind: 'pause', paused: !s.paused } };
    case 'skip':
      return { state: s, effect: { kind: 'seek', seconds: SKIP_SECONDS } };
    case 'skip-back':
      return { state: s, effect: { kind: 'seek', seconds: -SKIP_SECONDS } };
    case 'next-boot':
    case 'previous-boot': {
      const phone = currentPhone(s)?.phone;
      const key = phone?.mac ?? phone?.ip;
      return {
        state: s,
        effect: {
          kind: 'seek-boot',
          direction: action === 'next-boot' ? 1 : -1,
          ...(key !== undefined ? { phone: key } : {}),
        },
      };
    }
    // A step shows what it played: the paused screen takes the newest analysis.
    case 'step':
      return { state: { ...s, paused: true }, effect: { kind: 'step' } };
  }
}

/** A key while a line is being typed: printable characters add, Backspace removes, Enter ends, Esc cancels. */
export function applyPromptKey(state: TuiState, ch: string | undefined, key: string): Step {
  const prompt = state.prompt;
  if (!prompt) return { state };
  const { prompt: _done, ...s } = state;
  if (key === 'escape') return { state: s };
  if (key === 'enter') {
    if (prompt.purpose === 'send') return { state: s, effect: { kind: 'send-line', text: prompt.text } };
    if (prompt.purpose === 'marker')
      return prompt.text.trim() ? { state: s, effect: { kind: 'marker', text: prompt.text.trim() } } : { state: s };
    return { state: { ...s, filter: prompt.text, cursor: { ...s.cursor, console: FOLLOW, network: FOLLOW } } };
  }
  if (key === 'backspace') return { state: { ...s, prompt: { ...prompt, text: prompt.text.slice(0, -1) } } };
  if (ch !== undefined && ch.length === 1 && ch >= ' ' && ch !== '\x7f')
    return { state: { ...s, prompt: { ...prompt, text: prompt.text + ch } } };
  return { state };
}

function withoutOverlay(s: TuiState): TuiState {
  const { overlay: _closed, ...rest } = s;
  return rest;
}

function moveFocus(s: TuiState, by: number): TuiState {
  const order = focusOrder(s);
  const i = order.indexOf(s.focus);
  return { ...s, focus: order[(i + by + order.length) % order.length] ?? s.focus };
}

function clampCursor(s: TuiState, pane: PaneId, value: number): number {
  const count = rowCount(s, pane);
  return count === 0 ? 0 : Math.min(Math.max(0, value), count - 1);
}

function moveCursor(s: TuiState, by: number): TuiState {
  const pane = s.focus;
  const cursor = clampCursor(s, pane, cursorRow(s, pane) + by);
  const moved = { ...s, cursor: { ...s.cursor, [pane]: cursor } };
  if (pane === 'findings') return selectFinding(moved, cursor);
  if (pane === 'phones') {
    const { selectedFinding: _other, ...rest } = moved;
    const picked = phonesWorstFirst(s)[cursor];
    const key = picked ? phoneKey(picked, s.analysis.phones.indexOf(picked)) : undefined;
    return {
      ...rest,
      ...(key !== undefined ? { phone: key } : {}),
      cursor: { ...moved.cursor, console: FOLLOW, network: FOLLOW, findings: 0 },
    };
  }
  return moved;
}

/** A click on row `row` of `pane` (or the wheel over it, `by` rows): the pane gets the focus and the row the cursor. */
export function pointAt(state: TuiState, pane: PaneId, row: number | undefined, by = 0): TuiState {
  const { status: _cleared, ...s } = state;
  if (s.overlay || s.prompt) return s;
  const focused = { ...s, focus: pane };
  if (row === undefined) return by === 0 ? focused : moveCursor(focused, by);
  return moveCursor(focused, row - cursorRow(focused, pane));
}

/** The finding at `index` becomes the selected one; each row pane's cursor goes to the first row it cites. */
export function selectFinding(s: TuiState, index: number): TuiState {
  const finding = shownFindings(s)[index]?.finding;
  if (!finding) return s;
  const anchors = new Set(finding.evidence.map(evidenceAnchor));
  const firstCited = (rows: readonly TimelineEntry[], current: number): number => {
    const i = rows.findIndex((r) => isCited(r, anchors));
    return i < 0 ? current : i;
  };
  return {
    ...s,
    selectedFinding: index,
    cursor: {
      ...s.cursor,
      findings: index,
      console: firstCited(consoleRows(s), s.cursor.console),
      network: firstCited(networkRows(s), s.cursor.network),
    },
  };
}

function openDetails(s: TuiState): Step {
  switch (s.focus) {
    case 'findings':
      return {
        state: shownFindings(s).length
          ? { ...selectFinding(s, s.cursor.findings), overlay: { kind: 'finding', index: s.cursor.findings } }
          : s,
      };
    case 'console':
    case 'network': {
      const entry = (s.focus === 'console' ? consoleRows(s) : networkRows(s))[cursorRow(s, s.focus)];
      if (!entry || entry.anchor.startsWith(NOTE_ANCHOR)) return { state: s };
      if (entry.source !== 'capture' || entry.frame === undefined)
        return { state: { ...s, overlay: { kind: 'entry', anchor: entry.anchor } } };
      return {
        state: { ...s, overlay: { kind: 'entry', anchor: entry.anchor, packets: { state: 'reading' } } },
        effect: { kind: 'load-packets', anchor: entry.anchor, file: entry.file, frame: entry.frame },
      };
    }
    case 'phones':
      return { state: { ...s, focus: 'findings' } };
  }
}

/** The packets of row `anchor` have been read (or could not be): shown if its details are still open. */
export function packetsRead(s: TuiState, anchor: string, packets: RowPacketsView): TuiState {
  return s.overlay?.kind === 'entry' && s.overlay.anchor === anchor ? { ...s, overlay: { ...s.overlay, packets } } : s;
}
