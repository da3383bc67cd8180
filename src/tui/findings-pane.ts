/**
 * The shown phone's findings: number (the timeline's `[n]`), severity and title,
 * consequences indented under their cause; findings the newest analysis withdrew stay,
 * dimmed and marked with the time they went.
 */
import type { TuiState } from './state.js';
import { coloured, firstVisibleRow, plain, SEVERITY_COLOUR } from './markup.js';
import { currentPhone, shownFindings } from './view-model.js';
import { SEVERITY_WORD } from '../views/analysis-parts.js';

export function findingsPaneLabel(state: TuiState): string {
  const shown = shownFindings(state).filter((f) => f.withdrawnAt === undefined);
  const n = (severity: string, word: string): string => {
    const count = shown.filter((f) => f.finding.severity === severity).length;
    return `${count} ${word}${count === 1 || word === 'info' ? '' : 's'}`;
  };
  const phone = state.analysis.phones.length > 1 ? currentPhone(state)?.phone : undefined;
  const whose = phone ? ` of ${phone.mac ?? phone.ip ?? 'this phone'}` : '';
  return ` Findings${whose}: ${n('error', 'error')}, ${n('warning', 'warning')}, ${n('info', 'info')} `;
}

export function findingsPaneContent(state: TuiState, width: number, height: number): string {
  const placed = shownFindings(state);
  if (placed.length === 0) return plain('No finding yet.');
  const start = firstVisibleRow(placed.length, state.cursor.findings, height);
  const numberWidth = String(placed.length).length + 2;
  return placed
    .slice(start, start + height)
    .map(({ finding, depth, number, withdrawnAt }, i) => {
      const index = start + i;
      const mark = index === state.selectedFinding ? '»' : ' ';
      const lead = `${mark}${`[${number}]`.padEnd(numberWidth)} ${'  '.repeat(depth)}`;
      const word = SEVERITY_WORD[finding.severity].padEnd(8);
      const title =
        withdrawnAt === undefined
          ? finding.title
          : `${finding.title} (withdrawn ${withdrawnAt}: not in the newest analysis)`;
      const room = Math.max(1, width - lead.length - word.length);
      const line =
        withdrawnAt === undefined
          ? `${plain(lead)}${coloured(SEVERITY_COLOUR[finding.severity], plain(word))}${plain(title, room)}`
          : coloured('gray', `${plain(`${lead}${word}`)}${plain(title, room)}`);
      return index === state.cursor.findings && state.focus === 'findings'
        ? `{inverse}${line}${' '.repeat(Math.max(0, width - lead.length - word.length - Math.min(title.length, room)))}{/inverse}`
        : line;
    })
    .join('\n');
}
