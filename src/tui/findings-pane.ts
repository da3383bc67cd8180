/** The phone's findings: severity and title, consequences indented under their cause. */
import type { TuiState } from './state.js';
import { coloured, firstVisibleRow, plain, SEVERITY_COLOUR } from './markup.js';
import { shownFindings } from './view-model.js';
import { SEVERITY_WORD, summaryLine } from '../views/analysis-parts.js';

export function findingsPaneLabel(state: TuiState): string {
  return ` Findings: ${summaryLine(state.analysis)} `;
}

export function findingsPaneContent(state: TuiState, width: number, height: number): string {
  const placed = shownFindings(state);
  if (placed.length === 0) return plain('No finding yet.');
  const start = firstVisibleRow(placed.length, state.cursor.findings, height);
  return placed.slice(start, start + height).map(({ finding, depth }, i) => {
    const index = start + i;
    const mark = index === state.selectedFinding ? '»' : ' ';
    const head = `${mark}${'  '.repeat(depth)}${SEVERITY_WORD[finding.severity].padEnd(8)}`;
    const line = `${plain(mark + '  '.repeat(depth))}${coloured(SEVERITY_COLOUR[finding.severity], plain(SEVERITY_WORD[finding.severity].padEnd(8)))}${plain(finding.title, Math.max(1, width - head.length))}`;
    return index === state.cursor.findings && state.focus === 'findings' ? `{inverse}${line}{/inverse}` : line;
  }).join('\n');
}
