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
  const steps = (phone.requests ?? []).map((r) => `${r.file}${r.answer === 'found' ? '✓' : '✗'}`);
  const worst = worstSeverity(p);
  // The last steps matter most: drop the oldest when the line is too long.
  let chain = steps.join(' ');
  while (steps.length > 1 && chain.length > Math.floor(width / 2)) { steps.shift(); chain = `… ${steps.join(' ')}`; }
  const progress = chain ? `${chain}  ` : '';
  return `{bold}${plain(count + facts, width)}{/bold}\n${plain(progress)}${coloured(worst ? SEVERITY_COLOUR[worst] : 'green', plain(p.verdict, Math.max(1, width - progress.length)))}`;
}
