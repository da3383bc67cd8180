/**
 * What each pane shows, taken from the state: the current phone, its console and network
 * rows (the engine's timeline entries, by lane), its findings in the order the other views
 * use, and the anchors the selected finding cites. Nothing here reads an input or decides
 * a diagnosis: it selects from the `Analysis`.
 */
import type { PhoneAnalysis, TimelineEntry } from '../engine/analysis.js';
import { evidenceAnchor } from '../engine/analysis.js';
import type { Finding } from '../findings/finding.js';
import { findingsOfNoPhone, orderFindings } from '../views/analysis-parts.js';
import type { PlacedFinding } from '../views/analysis-parts.js';
import { FOLLOW } from './state.js';
import type { PaneId, TuiState } from './state.js';

export function currentPhone(state: TuiState): PhoneAnalysis | undefined {
  return state.analysis.phones[Math.min(state.phone, state.analysis.phones.length - 1)];
}

interface PaneRows {
  readonly console: readonly TimelineEntry[];
  readonly network: readonly TimelineEntry[];
}

/** A redraw asks for the rows several times; a timeline is split once per filter (the analysis is replaced, never changed). */
const rowsCache = new WeakMap<readonly TimelineEntry[], Map<string, PaneRows>>();
const NO_ROWS: PaneRows = { console: [], network: [] };

function paneRows(state: TuiState): PaneRows {
  const timeline = currentPhone(state)?.timeline;
  if (!timeline) return NO_ROWS;
  const byFilter = rowsCache.get(timeline) ?? new Map<string, PaneRows>();
  rowsCache.set(timeline, byFilter);
  let rows = byFilter.get(state.filter);
  if (!rows) {
    const needle = state.filter.toLowerCase();
    const shown = needle === '' ? timeline : timeline.filter((e) => e.text.toLowerCase().includes(needle));
    // A server-log line about a request the capture shows is folded into that request's row.
    const folded = new Set(timeline.flatMap((e) => e.merged ?? []));
    rows = { console: shown.filter((e) => e.lane === 'console'), network: shown.filter((e) => e.lane !== 'console' && !folded.has(e.anchor)) };
    byFilter.set(state.filter, rows);
  }
  return rows;
}

/** The phone's console lines. */
export function consoleRows(state: TuiState): readonly TimelineEntry[] {
  return paneRows(state).console;
}

/** DHCP messages and TFTP requests from the capture, and the TFTP server's log lines about the phone not folded into a request's row. */
export function networkRows(state: TuiState): readonly TimelineEntry[] {
  return paneRows(state).network;
}

/** The phone's findings, roots first with their consequences under them, then those about no phone. */
export function shownFindings(state: TuiState): PlacedFinding[] {
  const own: readonly Finding[] = currentPhone(state)?.findings ?? [];
  return orderFindings([...own, ...findingsOfNoPhone(state.analysis)]);
}

export function selectedFinding(state: TuiState): Finding | undefined {
  return state.selectedFinding === undefined ? undefined : shownFindings(state)[state.selectedFinding]?.finding;
}

/** Anchors of the timeline entries the selected finding cites. */
export function highlightedAnchors(state: TuiState): ReadonlySet<string> {
  const finding = selectedFinding(state);
  return new Set(finding ? finding.evidence.map(evidenceAnchor) : []);
}

/** The row under a pane's cursor, FOLLOW resolved to the last row. */
export function cursorRow(state: TuiState, pane: PaneId): number {
  const cursor = state.cursor[pane];
  return cursor === FOLLOW ? Math.max(0, rowCount(state, pane) - 1) : cursor;
}

/** How many rows a pane holds, for moving its cursor. */
export function rowCount(state: TuiState, pane: PaneId): number {
  switch (pane) {
    case 'phones': return state.analysis.phones.length;
    case 'console': return consoleRows(state).length;
    case 'network': return networkRows(state).length;
    case 'findings': return shownFindings(state).length;
  }
}

/** The panes Tab moves through: the phone list only when there is more than one phone. */
export function focusOrder(state: TuiState): PaneId[] {
  return [...(state.analysis.phones.length > 1 ? ['phones' as const] : []), 'findings', 'console', 'network'];
}
