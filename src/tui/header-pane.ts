/**
 * The top two lines: each source with its state (read, replaying, port open / reconnecting,
 * packets and drops, files followed, failed); then what is shown (the bundled sample), the
 * clock offsets used between streams, how much of a long session the analysis has let go,
 * and whether the screen is paused.
 */
import path from 'node:path';
import { isoMillis } from '../../parsers/time/iso.js';
import type { ReplayPosition } from './session.js';
import type { TuiState } from './state.js';
import { coloured, plain, SOURCE_STATE_COLOUR } from './markup.js';

/** Long file names (console-sep000e84c060a6.log) and details are cut so several sources fit on a line; the footer has the whole message. */
const NAME_COLUMNS = 16;
const DETAIL_COLUMNS = 24;

function shortName(name: string): string {
  const base = path.basename(name) || name;
  return base.length <= NAME_COLUMNS ? base : `${base.slice(0, NAME_COLUMNS - 1)}…`;
}

export function headerContent(state: TuiState, width: number, replay?: ReplayPosition): string {
  let used = 'phonedoc '.length;
  const sources: string[] = [];
  for (const s of state.sources) {
    const detail =
      s.detail && s.detail.length > DETAIL_COLUMNS ? `${s.detail.slice(0, DETAIL_COLUMNS - 1)}…` : s.detail;
    const words = `${shortName(s.name)} ${s.state}${detail ? ` (${detail})` : ''}`;
    const room = width - used - 3;
    if (room < 8) break;
    sources.push(coloured(SOURCE_STATE_COLOUR[s.state], plain(words, room)));
    used += Math.min(words.length, room) + 3;
  }
  const clocks = state.analysis.clocks.map(
    (c) =>
      `${shortName(c.file)} ${c.offsetSeconds < 0 ? '-' : '+'}${Math.abs(c.offsetSeconds).toFixed(3)} s${c.method === 'none' ? ' (not aligned)' : ''}`,
  );
  const paused = state.paused ? ' PAUSED ' : '';
  const banner = `${replay ? `${replayBar(replay)} · ` : ''}${state.banner ? `${state.banner} · ` : ''}`;
  const second = `${banner}clocks: ${clocks.length ? clocks.join(', ') : 'one stream, no offset'}${forgottenText(state)}`;
  return `{bold}phonedoc{/bold} ${sources.join(' · ')}\n${paused ? `{yellow-bg}{black-fg}${paused}{/black-fg}{/yellow-bg}` : ''}${coloured(state.banner ? 'cyan' : undefined, plain(second, width - paused.length))}`;
}

const BAR_CELLS = 10;

/** `▶ 08:03:41.2 [███░░░░░░░] 4.1 of 12.6 s`: where a replay is, on the capture's clock. */
export function replayBar(p: ReplayPosition): string {
  const length = Math.max(0, p.end - p.start);
  const done = Math.min(length, Math.max(0, p.now - p.start));
  const filled = length > 0 ? Math.round((done / length) * BAR_CELLS) : BAR_CELLS;
  const clock = isoMillis(Math.min(p.now, Math.max(p.end, p.start))).slice(11, 21);
  return `${p.paused ? '⏸' : '▶'} ${clock} [${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)}] ${done.toFixed(1)} of ${length.toFixed(1)} s`;
}

/** ` · analysing the newest events: 12,000 older console lines in the session files` */
function forgottenText(state: TuiState): string {
  const forgotten = state.analysis.forgotten;
  if (!forgotten) return '';
  const words = {
    consoleLines: 'console lines',
    serverLines: 'log lines',
    transfers: 'transfers',
    exchanges: 'DHCP exchanges',
    packets: 'packets',
    arps: 'ARP packets',
  } as const;
  const parts = (Object.keys(words) as (keyof typeof words)[]).flatMap((k) => {
    const count = forgotten[k];
    return count ? [`${count.toLocaleString('en-US')} ${words[k]}`] : [];
  });
  return ` · newest events analysed; older ones in the files: ${parts.join(', ')}`;
}
