/**
 * What each pane shows, taken from the state: the current phone, its console and network
 * rows (the engine's timeline entries, by lane), its findings in the order the other views
 * use, and the anchors the selected finding cites. Nothing here reads an input or decides
 * a diagnosis: it selects from the `Analysis`.
 */
import type { PhoneAnalysis, TimelineEntry } from '../engine/analysis.js';
import { evidenceAnchor } from '../engine/analysis.js';
import type { Finding } from '../findings/finding.js';
import { causalOrder } from '../findings/causal-order.js';
import type { PlacedFinding } from '../findings/causal-order.js';
import { worstSeverity } from '../views/analysis-parts.js';
import { FOLLOW } from './state.js';
import type { ConsoleNote } from './session.js';
import type { PaneId, TuiState } from './state.js';

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** How a phone is known across analyses: its MAC, else its IP, else its place. */
export function phoneKey(phone: PhoneAnalysis, index: number): string {
  return phone.phone.mac ?? phone.phone.ip ?? `#${index}`;
}

const orderCache = new WeakMap<readonly PhoneAnalysis[], readonly PhoneAnalysis[]>();

/** The phones, worst first (errors, then warnings, then the rest), in the analysis' order among equals. */
export function phonesWorstFirst(state: TuiState): readonly PhoneAnalysis[] {
  const phones = state.analysis.phones;
  let order = orderCache.get(phones);
  if (!order) {
    const rank = (p: PhoneAnalysis): number => {
      const worst = worstSeverity(p);
      return worst ? SEVERITY_RANK[worst] : 3;
    };
    order = phones
      .map((p, i) => ({ p, i }))
      .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
      .map(({ p }) => p);
    orderCache.set(phones, order);
  }
  return order;
}

/** The phone shown: the one the engineer picked while it is there, else the worst. */
export function currentPhone(state: TuiState): PhoneAnalysis | undefined {
  const order = phonesWorstFirst(state);
  if (state.phone !== undefined) {
    const picked = state.analysis.phones.find((p, i) => phoneKey(p, i) === state.phone);
    if (picked) return picked;
  }
  return order[0];
}

/** The shown phone's place in the phone list. */
export function currentPhoneRow(state: TuiState): number {
  const phone = currentPhone(state);
  return phone ? Math.max(0, phonesWorstFirst(state).indexOf(phone)) : 0;
}

interface PaneRows {
  readonly console: readonly TimelineEntry[];
  readonly network: readonly TimelineEntry[];
}

/** A redraw asks for the rows several times; a timeline is split once per filter (the analysis is replaced, never changed). */
const rowsCache = new WeakMap<readonly TimelineEntry[], Map<string, PaneRows>>();
const NO_ROWS: PaneRows = { console: [], network: [] };
const NO_TIMELINE: readonly TimelineEntry[] = [];

function paneRows(state: TuiState): PaneRows {
  const timeline = currentPhone(state)?.timeline ?? (state.notes.length ? NO_TIMELINE : undefined);
  if (!timeline) return NO_ROWS;
  const byFilter = rowsCache.get(timeline) ?? new Map<string, PaneRows>();
  rowsCache.set(timeline, byFilter);
  const key = `${state.notes.length}\u0000${state.filter}`;
  let rows = byFilter.get(key);
  if (!rows) {
    const needle = state.filter.toLowerCase();
    const all = state.notes.length ? withNotes(timeline, state.notes) : timeline;
    const shown = needle === '' ? all : all.filter((e) => e.text.toLowerCase().includes(needle));
    // A server-log line about a request the capture shows is folded into that request's row.
    const folded = new Set(timeline.flatMap((e) => e.merged ?? []));
    rows = {
      console: shown.filter((e) => e.lane === 'console'),
      network: shown.filter((e) => e.lane !== 'console' && !folded.has(e.anchor)),
    };
    byFilter.set(key, rows);
  }
  return rows;
}

export const NOTE_ANCHOR = 'note ';

/** Lines sent to the phone and markers, as console rows among the phone's lines by time. */
function withNotes(timeline: readonly TimelineEntry[], notes: readonly ConsoleNote[]): TimelineEntry[] {
  const rows = notes.map(
    (n, i): TimelineEntry => ({
      anchor: `${NOTE_ANCHOR}${i}`,
      time: n.time,
      source: 'console',
      file: '',
      lane: 'console',
      kind: 'status',
      text: n.kind === 'sent' ? `→ sent: ${n.text}` : `■ marker: ${n.text}`,
      findingIds: [],
    }),
  );
  const out: TimelineEntry[] = [];
  let i = 0;
  for (const e of timeline) {
    while (i < rows.length && e.time !== undefined && rows[i]!.time! < e.time) out.push(rows[i++]!);
    out.push(e);
  }
  return [...out, ...rows.slice(i)];
}

/** The phone's console lines, and the lines sent to it and markers. */
export function consoleRows(state: TuiState): readonly TimelineEntry[] {
  return paneRows(state).console;
}

/** DHCP messages and TFTP requests from the capture, and the TFTP server's log lines about the phone not folded into a request's row. */
export function networkRows(state: TuiState): readonly TimelineEntry[] {
  return paneRows(state).network;
}

/** A finding as the findings pane lists it; `withdrawnAt` when it was shown earlier and the newest analysis no longer has it. */
export interface ShownFinding extends PlacedFinding {
  readonly withdrawnAt?: string;
}

/**
 * The phone's findings, roots first with their consequences under them, then those about no
 * phone; then those shown earlier that the newest analysis no longer has, so that nothing
 * shown vanishes while evidence arrives.
 */
export function shownFindings(state: TuiState): ShownFinding[] {
  const phone = currentPhone(state);
  const own: readonly Finding[] = phone?.findings ?? [];
  // One list for the phone and every phone: a finding about the TFTP root may be the cause of one of the phone's.
  const placed: ShownFinding[] = causalOrder([...own, ...state.analysis.findingsOfNoPhone.map((p) => p.finding)]);
  const key = phone?.phone.mac ?? phone?.phone.ip;
  for (const w of state.withdrawn) {
    if (w.phone === undefined || w.phone === key)
      placed.push({ finding: w.finding, depth: 0, number: placed.length + 1, withdrawnAt: w.at });
  }
  return placed;
}

export function selectedFinding(state: TuiState): Finding | undefined {
  if (state.selectedFinding !== undefined && shownFindings(state)[state.selectedFinding]?.withdrawnAt !== undefined)
    return undefined;
  return state.selectedFinding === undefined ? undefined : shownFindings(state)[state.selectedFinding]?.finding;
}

/** Anchors of the timeline entries the selected finding cites. */
export function highlightedAnchors(state: TuiState): ReadonlySet<string> {
  const finding = selectedFinding(state);
  return new Set(finding ? finding.evidence.map(evidenceAnchor) : []);
}

/** The row under a pane's cursor, FOLLOW resolved to the last row. */
export function cursorRow(state: TuiState, pane: PaneId): number {
  if (pane === 'phones') return currentPhoneRow(state);
  const cursor = state.cursor[pane];
  return cursor === FOLLOW ? Math.max(0, rowCount(state, pane) - 1) : cursor;
}

/** How many rows a pane holds, for moving its cursor. */
export function rowCount(state: TuiState, pane: PaneId): number {
  switch (pane) {
    case 'phones':
      return state.analysis.phones.length;
    case 'console':
      return consoleRows(state).length;
    case 'network':
      return networkRows(state).length;
    case 'findings':
      return shownFindings(state).length;
  }
}

/** The panes Tab moves through: the phone list only when there is more than one phone. */
export function focusOrder(state: TuiState): PaneId[] {
  return [...(state.analysis.phones.length > 1 ? ['phones' as const] : []), 'findings', 'console', 'network'];
}
