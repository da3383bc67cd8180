/** The bottom line: the line being typed (filter or console), else the last message, else the keys. */
import type { TuiState } from './state.js';
import { plain } from './markup.js';
import { FOOTER_HINT } from './keys.js';

export function footerContent(state: TuiState, width: number): string {
  if (state.prompt) {
    const label = state.prompt.purpose === 'filter' ? 'filter: ' : 'send to console: ';
    return `{bold}${plain(label)}{/bold}${plain(state.prompt.text, width - label.length - 1)}█`;
  }
  if (state.status) return `{cyan-fg}${plain(state.status, width)}{/cyan-fg}`;
  return plain(FOOTER_HINT, width);
}
