/**
 * The bottom line: the line being typed (filter, console line, marker), else the newest
 * message in short with "m for more" (until the next key), else the keys that work here.
 */
import type { TuiState } from './state.js';
import { plain } from './markup.js';
import { footerHint } from './keys.js';

const PROMPT_LABEL = { filter: 'filter: ', send: 'send to console: ', marker: 'marker note: ' } as const;
const MORE = ' · m for more';

export function footerContent(state: TuiState, width: number): string {
  if (state.prompt) {
    const label = PROMPT_LABEL[state.prompt.purpose];
    const room = Math.max(1, width - label.length - 1);
    // The end of a long line stays in view while it is typed.
    const text = state.prompt.text.length > room ? `…${state.prompt.text.slice(-(room - 1))}` : state.prompt.text;
    return `{bold}${plain(label)}{/bold}${plain(text)}█`;
  }
  if (state.status) return `{cyan-fg}${plain(state.status, Math.max(1, width - MORE.length))}{/cyan-fg}${plain(MORE)}`;
  return plain(footerHint(state.liveConsole, width, state.replay), width);
}
