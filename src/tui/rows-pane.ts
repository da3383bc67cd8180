/**
 * What the console and network panes share: a window of timeline entries around the
 * cursor, each entry one line with its time, coloured by kind, a transfer under way with its
 * progress bar; the entries the selected finding cites are marked and shown bold.
 */
import type { TimelineEntry } from '../engine/analysis.js';
import { coloured, firstVisibleRow, KIND_COLOUR, plain, progressBar, shortTime } from './markup.js';

export interface RowsView {
  readonly rows: readonly TimelineEntry[];
  readonly cursor: number;
  readonly focused: boolean;
  readonly cited: ReadonlySet<string>;
  /** Inner size of the pane. */
  readonly width: number;
  readonly height: number;
  /** Words before the text (`network`/`log`), or none. */
  readonly tag?: (entry: TimelineEntry) => string;
}

export const CITED_MARK = '»';

export function renderRows(view: RowsView): string {
  const start = firstVisibleRow(view.rows.length, view.cursor, view.height);
  return view.rows.slice(start, start + view.height).map((entry, i) => {
    const cited = view.cited.has(entry.anchor);
    const tag = view.tag ? `${view.tag(entry)} ` : '';
    const bar = entry.progress ? `${progressBar(entry.progress)} ` : '';
    const head = `${cited ? CITED_MARK : ' '}${shortTime(entry.time)} ${tag}${bar}`;
    const text = coloured(KIND_COLOUR[entry.kind], plain(entry.text, Math.max(1, view.width - head.length)));
    const line = cited ? `{bold}{yellow-bg}{black-fg}${plain(head)}{/black-fg}{/yellow-bg}${text}{/bold}` : `${plain(head)}${text}`;
    return start + i === view.cursor && view.focused ? `{inverse}${line}{/inverse}` : line;
  }).join('\n');
}
