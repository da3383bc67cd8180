/**
 * What the bench TUI shows at a moment: the engine's latest `Analysis`, the state of each
 * source, and what the engineer has selected. Panes render this; only the screen's key
 * handling changes the selection, and only the session changes the analysis and sources.
 */
import type { Analysis } from '../engine/analysis.js';
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
  | { readonly kind: 'help' };

/** A line being typed at the bottom: a filter (`/`) or a line for the phone's console (`s`). */
export interface Prompt {
  readonly purpose: 'filter' | 'send';
  readonly text: string;
}

export interface TuiState {
  readonly analysis: Analysis;
  readonly sources: readonly SourceStatus[];
  /** Said in the header, e.g. `bundled sample captures/loads-part-missing`. */
  readonly banner?: string;
  /** Index into analysis.phones. */
  readonly phone: number;
  readonly focus: PaneId;
  /** Row under the cursor in each pane; FOLLOW keeps it on the last row as rows arrive (like tail -f). */
  readonly cursor: Readonly<Record<PaneId, number>>;
  /** Index into the shown findings whose evidence is highlighted; undefined when none is selected. */
  readonly selectedFinding?: number;
  /** Rows of the console and network panes must contain this (case-insensitive). */
  readonly filter: string;
  /** While paused the screen keeps what it shows; the session keeps reading. */
  readonly paused: boolean;
  readonly overlay?: Overlay;
  readonly prompt?: Prompt;
  /** The last message for the engineer (export done, no console to send to). */
  readonly status?: string;
}

export const FOLLOW = -1;

export function initialState(analysis: Analysis, sources: readonly SourceStatus[], banner?: string): TuiState {
  return {
    analysis, sources, ...(banner ? { banner } : {}),
    phone: 0, focus: 'findings', cursor: { phones: 0, console: FOLLOW, network: FOLLOW, findings: 0 }, filter: '', paused: false,
  };
}
