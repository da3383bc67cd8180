/**
 * The phone shown: MAC, IP, model, running image → target image, flow; then its progress
 * through the conversion as the chain of files it asked for (✓ served, ✗ not; before a phone
 * is seen, the files the TFTP root predicts, ○ there, ✗ missing), ending with the engine's verdict.
 */
import type { ReportPhone } from '../findings/report-schema.js';
import type { TuiState } from './state.js';
import { coloured, plain, SEVERITY_COLOUR } from './markup.js';
import { currentPhone, currentPhoneRow } from './view-model.js';
import { worstSeverity } from '../views/analysis-parts.js';

const image = (i: NonNullable<ReportPhone['running']>): string => `${i.protocol} ${i.version}`;

export function phonePaneContent(state: TuiState, width: number): string {
  const p = currentPhone(state);
  if (!p)
    return plain(
      state.analysis.report.findings.length
        ? 'No phone seen; findings about the inputs below.'
        : 'Waiting for a phone: no DHCP, TFTP or console line yet.',
      width,
    );
  const { phone } = p;
  const count =
    state.analysis.phones.length > 1 ? `[${currentPhoneRow(state) + 1}/${state.analysis.phones.length}] ` : '';
  const facts = [
    phone.mac ?? 'MAC unknown',
    phone.ip ?? 'IP unknown',
    phone.model ?? '',
    `${phone.running ? image(phone.running) : '?'}${phone.target ? ` → ${image(phone.target)}` : ''}`,
    phone.flow ? `flow ${phone.flow}` : '',
  ]
    .filter((f) => f !== '')
    .join('  ');
  const worst = worstSeverity(p);
  const chain = lastSteps(phone.requests ?? [], Math.floor(width / 2));
  const predicted = phone.requests?.some((r) => r.predicted) ? 'predicted: ' : '';
  const progress = chain ? `${predicted}${chain}  ` : '';
  const verdict = coloured(
    worst ? SEVERITY_COLOUR[worst] : 'green',
    plain(p.verdict, predicted ? width : Math.max(1, width - progress.length)),
  );
  // A prediction says so first; the files it expects come after, as room allows.
  const room = width - p.verdict.length;
  const second = predicted
    ? `${verdict}${room > 8 ? plain(`  ${progress}`, room) : ''}`
    : `${plain(progress)}${verdict}`;
  return `{bold}${plain(count + facts, width)}{/bold}\n${second}`;
}

/** The last files asked for that fit in `room` columns (the last steps matter most), `…` before them when some are left out. */
function lastSteps(requests: NonNullable<ReportPhone['requests']>, room: number): string {
  const shown: string[] = [];
  let length = 0;
  for (let i = requests.length - 1; i >= 0; i--) {
    const r = requests[i]!;
    // ✓ only for a transfer seen complete; a prediction from the TFTP root is ○ (on the server) or ✗ (missing).
    const step = `${r.file}${r.answer === 'found' ? (r.predicted ? '○' : '✓') : '✗'}`;
    const ellipsis = i > 0 ? '… '.length : 0;
    if (shown.length > 0 && length + step.length + ellipsis > room) return `… ${shown.join(' ')}`;
    shown.unshift(step);
    length += step.length + 1;
  }
  return shown.join(' ');
}
