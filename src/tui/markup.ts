/**
 * Text for blessed boxes with tags on: untrusted text from the inputs made printable (no
 * escape sequence from a capture reaches the terminal), clipped (to a width, or as a report
 * cuts a very long string), and its braces escaped so it cannot open a tag; colours for timeline kinds and severities, declared once.
 */
import blessed from 'blessed';
import type { TimelineEntry } from '../engine/analysis.js';
import type { TransferProgress } from '../engine/observations.js';
import type { Severity } from '../findings/finding.js';
import { CONSOLE_KIND_COLOUR, SEVERITY_COLOUR as SEVERITY_STYLE } from '../views/colours.js';
import { printedTime } from '../views/analysis-parts.js';
import { terminalShown } from '../views/escape.js';
import type { SourceState } from './state.js';

export function plain(text: string, width?: number): string {
  const shown = terminalShown(text);
  return blessed.escape(
    width === undefined || shown.length <= width ? shown : `${shown.slice(0, Math.max(0, width - 1))}…`,
  );
}

export function coloured(colour: string | undefined, tagged: string): string {
  return colour ? `{${colour}-fg}${tagged}{/${colour}-fg}` : tagged;
}

/** Timeline kinds in the colours `phonedoc console` gives the same console lines. */
export const KIND_COLOUR: Readonly<Record<TimelineEntry['kind'], string | undefined>> = {
  error: CONSOLE_KIND_COLOUR.error?.colour,
  dhcp: CONSOLE_KIND_COLOUR.dhcp?.colour,
  tftp: CONSOLE_KIND_COLOUR['tftp-request']?.colour,
  status: CONSOLE_KIND_COLOUR.status?.colour,
  server: undefined,
  console: undefined,
  other: undefined,
};

const COLOUR_TAG = /\{\/?[a-z]+-(?:fg|bg)\}/g;

/** Tagged text without its colours (NO_COLOR): bold, inverse and the rest stay. */
export function withoutColours(tagged: string): string {
  return tagged.replace(COLOUR_TAG, '');
}

/** The colour name of each severity, from the one colour table (bold is kept for cited rows). */
export const SEVERITY_COLOUR: Readonly<Record<Severity, string>> = {
  error: SEVERITY_STYLE.error.colour,
  warning: SEVERITY_STYLE.warning.colour,
  info: SEVERITY_STYLE.info.colour,
};

export const SOURCE_STATE_COLOUR: Readonly<Record<SourceState, string | undefined>> = {
  read: undefined,
  replaying: 'cyan',
  open: 'green',
  capturing: 'green',
  following: 'green',
  reconnecting: 'yellow',
  failed: 'red',
};

/** `08:03:37.561` from a timeline entry's seconds or an ISO time, or blanks of the same width. */
export function shortTime(time: string | number | undefined): string {
  const iso = printedTime(time);
  const m = iso === undefined ? null : /T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?/.exec(iso);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(3, '0')}` : ' '.repeat(12);
}

/** The first row to show so that the cursor row stays inside `height` rows. */
export function firstVisibleRow(count: number, cursor: number, height: number): number {
  if (count <= height) return 0;
  return Math.min(Math.max(0, cursor - Math.floor(height / 2)), count - height);
}

const BAR_CELLS = 10;

/** `[██████░░░░]  60%` when the file's size is known, else `[ 123 kB ]`: a transfer under way. */
export function progressBar(progress: TransferProgress): string {
  if (progress.size === undefined || progress.size <= 0)
    return `[${`${Math.round(progress.bytes / 1024)} kB`.padStart(BAR_CELLS - 1).padEnd(BAR_CELLS)}]`;
  const share = Math.min(1, progress.bytes / progress.size);
  const filled = Math.round(share * BAR_CELLS);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%`;
}
