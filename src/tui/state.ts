/**
 * What the bench TUI shows at a moment: the engine's latest `Analysis`, the state of each
 * source, and what the engineer has selected. Panes render this; only the screen's key
 * handling changes the selection, and only the session changes the analysis and sources.
 */
import type { Analysis } from '../engine/analysis.js';
import type { WithdrawnFinding } from './kept-findings.js';
import type { ConsoleNote } from './session.js';
import type { RowPackets } from './row-packets.js';

export type PaneId = 'phones' | 'console' | 'network' | 'findings';

export type SourceKind = 'console' | 'capture' | 'server-log' | 'tftp-root';

export type SourceState = 'read' | 'replaying' | 'open' | 'reconnecting' | 'capturing' | 'following' | 'failed';

export interface SourceStatus {
  readonly kind: SourceKind;
  /** The file, port, host or interface, as given. */
  readonly name: string;
  readonly state: SourceState;
  /** A few words: `1,204 packets, 0 dropped`, or why it failed. */
  readonly detail?: string;
}

/** The packets of a capture row, read from its file while its details are open. */
export type RowPacketsView =
  | { readonly state: 'reading' }
  | { readonly state: 'read'; readonly packets: RowPackets }
  | { readonly state: 'failed'; readonly message: string };

export type Overlay =
  | { readonly kind: 'finding'; readonly index: number }
  /** `packets` is set for a row from a capture (it has a frame). */
  | { readonly kind: 'entry'; readonly anchor: string; readonly packets?: RowPacketsView }
  | { readonly kind: 'timeline' }
  | { readonly kind: 'messages' }
  | { readonly kind: 'servers' }
  | { readonly kind: 'help' };

/** A line being typed at the bottom: a filter (`/`), a line for the phone's console (`s`) or a marker's note (`M`). */
export interface Prompt {
  readonly purpose: 'filter' | 'send' | 'marker';
  readonly text: string;
}

export interface TuiState {
  readonly analysis: Analysis;
  readonly sources: readonly SourceStatus[];
  /** Said in the header, e.g. `bundled sample captures/loads-part-missing`. */
  readonly banner?: string;
  /** The phone picked in the phone list (MAC, else IP); undefined: the worst phone. */
  readonly phone?: string;
  readonly focus: PaneId;
  /** Row under the cursor in each pane; FOLLOW keeps it on the last row as rows arrive (like tail -f). */
  readonly cursor: Readonly<Record<PaneId, number>>;
  /** Index into the shown findings whose evidence is highlighted; undefined when none is selected. */
  readonly selectedFinding?: number;
  /** Rows of the console and network panes must contain this (case-insensitive). */
  readonly filter: string;
  /** Live, the screen keeps what it shows while the sources keep reading; a replay stops playing (and steps). */
  readonly paused: boolean;
  readonly overlay?: Overlay;
  readonly prompt?: Prompt;
  /** The newest message, shown in the footer until the next key. */
  readonly status?: string;
  /** Every message of the session, oldest first (the `m` view). */
  readonly messages: readonly TuiMessage[];
  /** Findings shown earlier that the newest analysis no longer has. */
  readonly withdrawn: readonly WithdrawnFinding[];
  /** Lines sent to the phone and markers, shown in the console pane. */
  readonly notes: readonly ConsoleNote[];
  /** A console to type to (`s`, `b`): the footer names those keys only then. */
  readonly liveConsole: boolean;
  /** The session is a replay (its keys work: pause, step, seek). */
  readonly replay?: boolean;
}

export interface TuiMessage {
  /** `06:30:12`, the wall clock. */
  readonly at: string;
  readonly text: string;
}

export const FOLLOW = -1;

export function initialState(
  analysis: Analysis,
  sources: readonly SourceStatus[],
  banner?: string,
  liveConsole = false,
): TuiState {
  return {
    analysis,
    sources,
    ...(banner ? { banner } : {}),
    liveConsole,
    focus: 'findings',
    messages: [],
    withdrawn: [],
    notes: [],
    cursor: { phones: 0, console: FOLLOW, network: FOLLOW, findings: 0 },
    filter: '',
    paused: false,
  };
}
