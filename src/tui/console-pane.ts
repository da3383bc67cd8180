/** The phone's console lines, coloured by kind as `phonedoc console` colours them (console/kind-colours.ts). */
import { plain } from './markup.js';
import type { TuiState } from './state.js';
import { renderRows } from './rows-pane.js';
import { consoleRows, cursorRow, highlightedAnchors } from './view-model.js';

export function consolePaneLabel(state: TuiState): string {
  return ` Console (${consoleRows(state).length}${state.filter ? `, filter "${plain(state.filter)}"` : ''}) `;
}

export function consolePaneContent(state: TuiState, width: number, height: number, lineRows?: number[]): string {
  return renderRows({
    rows: consoleRows(state),
    cursor: cursorRow(state, 'console'),
    focused: state.focus === 'console',
    cited: highlightedAnchors(state),
    width,
    height,
    ...(lineRows ? { lineRows } : {}),
  });
}
