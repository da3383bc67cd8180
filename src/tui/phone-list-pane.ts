/**
 * The phones seen, when there are several, worst first: each with its worst severity, its
 * counts of errors, warnings and info, and the engine's verdict; the one shown is marked.
 */
import type { PhoneAnalysis } from '../engine/analysis.js';
import type { TuiState } from './state.js';
import { coloured, plain, SEVERITY_COLOUR } from './markup.js';
import { phoneName, worstSeverity } from '../views/analysis-parts.js';
import { currentPhone, currentPhoneRow, phonesWorstFirst } from './view-model.js';

/** Screen lines per phone in the list. */
export const PHONE_LIST_LINES = 2;

const SEVERITY_MARK = { error: '✗', warning: '!', info: '✓' } as const;

/** `2E 1W 0I`: the phone's findings by severity. */
export function phoneCounts(p: PhoneAnalysis): string {
  const n = (s: string): number => p.findings.filter((f) => f.severity === s).length;
  return `${n('error')}E ${n('warning')}W ${n('info')}I`;
}

export function phoneListContent(state: TuiState, width: number, height: number): string {
  const phones = phonesWorstFirst(state);
  const shown = currentPhone(state);
  const perScreen = Math.max(1, Math.floor(height / PHONE_LIST_LINES));
  const cursor = currentPhoneRow(state);
  const start = phoneListStart(state, height);
  return phones
    .slice(start, start + perScreen)
    .flatMap((p, i) => {
      const worst = worstSeverity(p);
      const colour = worst && worst !== 'info' ? SEVERITY_COLOUR[worst] : 'green';
      const mark = worst ? SEVERITY_MARK[worst] : '✓';
      const name = p.phone.mac ?? phoneName(p.phone, state.analysis.phones.indexOf(p));
      const first = `${p === shown ? '»' : ' '}${coloured(colour, plain(mark))} ${plain(name, width - 3)}`;
      const verdict = p.verdict.slice(p.verdict.indexOf(': ') + 2);
      const second = `  ${plain(`${phoneCounts(p)} ${verdict}`, width - 2)}`;
      const lines = [first, coloured('gray', second)];
      return start + i === cursor && state.focus === 'phones' ? lines.map((l) => `{inverse}${l}{/inverse}`) : lines;
    })
    .join('\n');
}

/** The first phone the list shows in `height` lines: the shown phone stays in view. */
export function phoneListStart(state: TuiState, height: number): number {
  const count = state.analysis.phones.length;
  const perScreen = Math.max(1, Math.floor(height / PHONE_LIST_LINES));
  return count <= perScreen
    ? 0
    : Math.min(Math.max(0, currentPhoneRow(state) - Math.floor(perScreen / 2)), count - perScreen);
}
