/** The phones seen, when there are several: the one shown is marked; colour by its worst finding. */
import type { TuiState } from './state.js';
import { coloured, firstVisibleRow, plain, SEVERITY_COLOUR } from './markup.js';
import { phoneName, worstSeverity } from '../views/analysis-parts.js';

export function phoneListContent(state: TuiState, width: number, height: number): string {
  const phones = state.analysis.phones;
  const start = firstVisibleRow(phones.length, state.cursor.phones, height);
  return phones.slice(start, start + height).map((p, i) => {
    const index = start + i;
    const worst = worstSeverity(p);
    const line = coloured(worst ? SEVERITY_COLOUR[worst] : undefined, plain(`${index === state.phone ? '»' : ' '}${p.phone.mac ?? phoneName(p.phone, index)}`, width));
    return index === state.cursor.phones && state.focus === 'phones' ? `{inverse}${line}{/inverse}` : line;
  }).join('\n');
}
