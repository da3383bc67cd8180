/**
 * DHCP messages and TFTP requests from the capture (file, server, size, outcome, as the
 * engine words them), and the TFTP server's log lines about the phone; errors in red.
 */
import { plain } from './markup.js';
import type { TuiState } from './state.js';
import { renderRows } from './rows-pane.js';
import { cursorRow, highlightedAnchors, networkRows } from './view-model.js';

export function networkPaneLabel(state: TuiState): string {
  return ` Network (${networkRows(state).length}${state.filter ? `, filter "${plain(state.filter)}"` : ''}) `;
}

export function networkPaneContent(state: TuiState, width: number, height: number, lineRows?: number[]): string {
  return renderRows({
    rows: networkRows(state),
    cursor: cursorRow(state, 'network'),
    focused: state.focus === 'network',
    cited: highlightedAnchors(state),
    width,
    height,
    ...(lineRows ? { lineRows } : {}),
    tag: (entry) => (entry.lane === 'server' ? 'log' : entry.kind === 'dhcp' ? 'dhcp' : 'tftp'),
  });
}
