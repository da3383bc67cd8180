/**
 * What the console and network panes share: a window of timeline entries around the
 * cursor. A row leads with what matters — time, kind, and for a TFTP request its mark
 * (✓ complete, ✗ failed, … not settled), the file and the outcome — and the rest after. What
 * matters is wrapped onto more lines rather than cut; the rest is cut at the pane's edge,
 * and the row under the cursor shows everything. The entries the selected finding cites are
 * marked and shown bold; the cursor row is highlighted across the whole pane.
 */
import type { TimelineEntry } from '../engine/analysis.js';
import { coloured, KIND_COLOUR, plain, progressBar, shortTime } from './markup.js';
import { wrapTagged } from './wrap.js';

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
  /** Filled with the row each drawn line belongs to (for a mouse click). */
  readonly lineRows?: number[];
}

export const CITED_MARK = '»';

/** ✓ only for a transfer the capture shows complete. */
const ANSWER_MARK = { found: '✓', unknown: '…' } as const;

/** The row's text in two parts: what matters (wrapped, never cut) and the rest (cut at the edge unless selected). */
export function rowParts(entry: TimelineEntry): { readonly lead: string; readonly rest: string } {
  const r = entry.request;
  if (r) {
    const mark = r.answer === 'found' || r.answer === 'unknown' ? ANSWER_MARK[r.answer] : '✗';
    const bar = entry.progress ? ` ${progressBar(entry.progress)}` : '';
    return {
      lead: `${mark} ${r.file}${bar}: ${r.outcome}`,
      rest: `${r.peers}${entry.merged?.length ? ' · in the server log' : ''}`,
    };
  }
  if (entry.kind === 'dhcp' && entry.lane !== 'console') {
    // `DHCP OFFER from 192.0.2.1: 192.0.2.119, option 66 …`: the message and address first, the options after.
    const text = entry.text.replace(/^DHCP /, '');
    const at = text.indexOf(', ');
    return at < 0 ? { lead: text, rest: '' } : { lead: text.slice(0, at), rest: text.slice(at + 2) };
  }
  return { lead: entry.text, rest: '' };
}

/** Whether the row is one the selected finding cites (itself, or a server-log line folded into it). */
export function isCited(entry: TimelineEntry, cited: ReadonlySet<string>): boolean {
  return cited.has(entry.anchor) || (entry.merged?.some((a) => cited.has(a)) ?? false);
}

/** One row as screen lines. */
function rowLines(entry: TimelineEntry, view: RowsView, selected: boolean): string[] {
  const cited = isCited(entry, view.cited);
  const tag = view.tag ? `${view.tag(entry)} ` : '';
  const head = `${cited ? CITED_MARK : ' '}${shortTime(entry.time)} ${tag}`;
  const { lead, rest } = rowParts(entry);
  const colour = KIND_COLOUR[entry.kind];
  const headTagged = cited ? `{yellow-bg}{black-fg}${plain(head)}{/black-fg}{/yellow-bg}` : plain(head);
  const indent = ' '.repeat(Math.min(head.length, Math.floor(view.width / 3)));
  let lines: string[];
  if (selected) {
    lines = wrapTagged(
      `${headTagged}${coloured(colour, plain(lead))}${rest ? ` ${coloured('gray', plain(`· ${rest}`))}` : ''}`,
      view.width,
      indent,
    );
  } else {
    lines = wrapTagged(`${headTagged}${coloured(colour, plain(lead))}`, view.width, indent);
    const last = lines.length - 1;
    const used = last === 0 ? head.length + lead.length : visibleWidth(lines[last]!);
    const room = view.width - used - 1;
    if (rest && room >= 4) lines[last] += ` ${coloured('gray', plain(`· ${rest}`, room))}`;
  }
  if (cited) lines = lines.map((l) => `{bold}${l}{/bold}`);
  if (selected)
    lines = lines.map((l) => `{inverse}${l}${' '.repeat(Math.max(0, view.width - visibleWidth(l)))}{/inverse}`);
  return lines;
}

/** Columns a tagged line takes. */
function visibleWidth(tagged: string): number {
  return tagged.replace(/\{\/?[a-z-]+\}/g, (t) => (t === '{open}' || t === '{close}' ? '_' : '')).length;
}

/**
 * The rows around the cursor that fill `height` lines: about half above it, the rest below,
 * more above when the rows end first (the newest row at the bottom while following).
 */
export function renderRows(view: RowsView): string {
  const { rows, height } = view;
  view.lineRows?.splice(0);
  if (rows.length === 0 || height <= 0) return '';
  const cursor = Math.min(Math.max(0, view.cursor), rows.length - 1);
  const linesOf = (i: number): string[] => rowLines(rows[i]!, view, i === cursor && view.focused);
  const own = linesOf(cursor);
  const above: string[][] = [];
  const below: string[][] = [];
  let used = own.length;
  let up = cursor - 1;
  let down = cursor + 1;
  while (up >= 0 && used < Math.floor(height / 2)) {
    const l = linesOf(up--);
    above.unshift(l);
    used += l.length;
  }
  while (down < rows.length && used < height) {
    const l = linesOf(down++);
    below.push(l);
    used += l.length;
  }
  while (up >= 0 && used < height) {
    const l = linesOf(up--);
    above.unshift(l);
    used += l.length;
  }
  const before = above.flat();
  const after = below.flat();
  // Rows that did not fill the screen below: lines over the height go from the top, else from the bottom.
  const extra = before.length + own.length + after.length - height;
  const shownAbove = extra > 0 && down >= rows.length ? before.slice(Math.min(extra, before.length)) : before;
  if (view.lineRows) {
    const rowOf = [
      ...above.flatMap((l, i) => l.map(() => up + 1 + i)),
      ...own.map(() => cursor),
      ...below.flatMap((l, i) => l.map(() => cursor + 1 + i)),
    ];
    view.lineRows.splice(0, view.lineRows.length, ...rowOf.slice(before.length - shownAbove.length).slice(0, height));
  }
  return [...shownAbove, ...own, ...after].slice(0, height).join('\n');
}

/** Columns the widest row takes in full, for a pane that should be no wider than its content. */
export function widestRow(rows: readonly TimelineEntry[], tag?: (entry: TimelineEntry) => string): number {
  let widest = 0;
  for (const entry of rows) {
    const { lead, rest } = rowParts(entry);
    widest = Math.max(
      widest,
      1 + 12 + 1 + (tag ? tag(entry).length + 1 : 0) + lead.length + (rest ? rest.length + 3 : 0),
    );
  }
  return widest;
}
