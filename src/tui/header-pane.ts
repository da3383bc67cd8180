/**
 * The top two lines: each source with its state (read, replaying, port open / reconnecting,
 * packets and drops, files followed, failed), then the clock offsets used between streams
 * and whether the screen is paused.
 */
import path from 'node:path';
import type { TuiState } from './state.js';
import { coloured, plain, SOURCE_STATE_COLOUR } from './markup.js';

export function headerContent(state: TuiState, width: number): string {
  const sources = state.sources.map((s) => {
    const words = `${s.kind} ${path.basename(s.name) || s.name}: ${s.state}${s.detail ? ` (${s.detail})` : ''}`;
    return coloured(SOURCE_STATE_COLOUR[s.state], plain(words));
  });
  const title = `{bold}phonedoc{/bold}${state.banner ? ` ${coloured('cyan', plain(state.banner))}` : ''}`;
  const clocks = state.analysis.clocks.map((c) => `${path.basename(c.file)} ${c.offsetSeconds < 0 ? '-' : '+'}${Math.abs(c.offsetSeconds).toFixed(3)} s${c.method === 'none' ? ' (not aligned)' : ''}`);
  const second = `${state.paused ? '{yellow-bg}{black-fg} PAUSED {/black-fg}{/yellow-bg} ' : ''}${plain(clocks.length ? `clock offsets: ${clocks.join(', ')}` : 'clock offsets: none needed', width)}`;
  // Sources go on the first line while they fit, then continue on the second.
  return `${title}  ${sources.join(' · ')}\n${second}`;
}
