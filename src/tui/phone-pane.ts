/**
 * The phone shown: MAC, IP, model, running image → target image, flow; then its progress
 * through the conversion as the chain of files it asked for (✓ served, ✗ not), ending with
 * the engine's verdict.
 */
import type { ReportPhone } from '../findings/report-schema.js';
import type { TuiState } from './state.js';
import { coloured, plain, SEVERITY_COLOUR } from './markup.js';
import { currentPhone } from './view-model.js';
import { worstSeverity } from '../views/analysis-parts.js';

const image = (i: NonNullable<ReportPhone['running']>): string => `${i.protocol} ${i.version}`;

export function phonePaneContent(state: TuiState, width: number): string {
  const p = currentPhone(state);
  if (!p) return plain(state.analysis.report.findings.length ? 'No phone seen; findings about the inputs below.' : 'Waiting for a phone: no DHCP, TFTP or console line yet.', width);
  const { phone } = p;
  const count = state.analysis.phones.length > 1 ? `[${state.phone + 1}/${state.analysis.phones.length}] ` : '';
  const facts = [
    phone.mac ?? 'MAC unknown', phone.ip ?? 'IP unknown', phone.model ?? '',
    `${phone.running ? image(phone.running) : '?'}${phone.target ? ` → ${image(phone.target)}` : ''}`,
    phone.flow ? `flow ${phone.flow}` : '',
  ].filter((f) => f !== '').join('  ');
  const worst = worstSeverity(p);
  const chain = lastSteps(phone.requests ?? [], Math.floor(width / 2));
  const progress = chain ? `${chain}  ` : '';
  return `{bold}${plain(count + facts, width)}{/bold}\n${plain(progress)}${coloured(worst ? SEVERITY_COLOUR[worst] : 'green', plain(p.verdict, Math.max(1, width - progress.length)))}`;
}

/** The last files asked for that fit in `room` columns (the last steps matter most), `…` before them when some are left out. */
function lastSteps(requests: NonNullable<ReportPhone['requests']>, room: number): string {
  const shown: string[] = [];
  let length = 0;
  for (let i = requests.length - 1; i >= 0; i--) {
    const step = `${requests[i]!.file}${requests[i]!.answer === 'found' ? '✓' : '✗'}`;
    const ellipsis = i > 0 ? '… '.length : 0;
    if (shown.length > 0 && length + step.length + ellipsis > room) return `… ${shown.join(' ')}`;
    shown.unshift(step);
    length += step.length + 1;
  }
  return shown.join(' ');
}
