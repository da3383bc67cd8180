/**
 * `phonedoc analyze` for a terminal, 80 columns: per phone the verdict, a compact timeline
 * (time, lane, text; `>` and the finding numbers on entries a finding cites), then the
 * findings, root causes first with their consequences indented under them, each with its
 * evidence and numbered fix steps. Text from the inputs passes through `printable`.
 */
import type { Analysis, PhoneAnalysis, TimelineEntry } from '../engine/analysis.js';
import {
  citingNumbers, clockSentence, clockTime, dayOf, evidencePlace, findingsOfNoPhone, inputLinesSentence, lastStepBeyondVerdict, orderFindings, phoneFacts, phoneName,
  printable, SEVERITY_WORD, summaryLine, type PlacedFinding,
} from './analysis-parts.js';
import { clip, TEXT_WIDTH, wrap } from './wrap-text.js';

const LANE_WIDTH = 7;
const TIME_WIDTH = 12;

export function renderAnalysisText(analysis: Analysis): string {
  const { report } = analysis;
  const out: string[] = [];
  const inputs = report.inputs.map((i) => printable(i.path)).join(', ');
  out.push(...wrap(`phonedoc ${report.command} ${inputs}: ${summaryLine(analysis)}`, ''));
  for (const input of report.inputs) {
    const lines = inputLinesSentence(input);
    if (lines) out.push(...wrap(printable(`${input.path}: ${lines}`), 'Lines: ', '  '));
  }
  for (const c of analysis.clocks) out.push(...wrap(printable(clockSentence(c)), 'Clock: ', '  '));
  analysis.phones.forEach((phone, i) => out.push('', ...phoneLines(phone, i)));
  const shared = findingsOfNoPhone(analysis);
  if (shared.length) {
    out.push('', 'Every phone (the TFTP root and the inputs)');
    for (const placed of orderFindings(shared)) out.push(...findingLines(placed, '  '));
  }
  if (report.assumptions.length) {
    out.push('', 'Assumed where the firmware\'s behaviour is not documented:');
    for (const a of report.assumptions) out.push(...wrap(`${printable(a.text)} [${printable(a.id)}]`, '  - ', '    '));
  }
  return `${out.join('\n')}\n`;
}

function phoneLines(phone: PhoneAnalysis, index: number): string[] {
  const out = wrap(printable(`${phoneName(phone.phone, index)}: ${phone.verdict}`), 'Phone ', '  ');
  const facts = phoneFacts(phone.phone);
  if (facts) out.push(...wrap(printable(`${facts}.`), '  '));
  const step = lastStepBeyondVerdict(phone);
  if (step) out.push(...wrap(printable(step), '  '));
  const placed = orderFindings(phone.findings);
  out.push('', ...timelineLines(phone.timeline, placed));
  out.push('', placed.length ? '  Findings' : '  Findings: no problem found.');
  for (const p of placed) out.push(...findingLines(p, '  '));
  return out;
}

function timelineLines(timeline: readonly TimelineEntry[], placed: readonly PlacedFinding[]): string[] {
  if (timeline.length === 0) return ['  Timeline: no event of this phone was seen.'];
  const out = ['  Timeline (UTC, on the capture\'s clock; > marks what the findings [n] cite)'];
  let day = '';
  for (let i = 0; i < timeline.length; i++) {
    const entry = timeline[i];
    const cited = citingNumbers(entry, placed);
    let repeats = 1;
    if (cited.length === 0) {
      while (i + repeats < timeline.length && sameUncited(timeline[i + repeats], entry)) repeats++;
    }
    const entryDay = dayOf(entry.time);
    if (entryDay && entryDay !== day) {
      out.push(`  ${entryDay}`);
      day = entryDay;
    }
    const time = (clockTime(entry.time) || '?').padEnd(TIME_WIDTH);
    const head = `${cited.length ? '>' : ' '} ${time} ${entry.lane.padEnd(LANE_WIDTH)} `;
    const tail = `${repeats > 1 ? ` (x${repeats})` : ''}${cited.length ? ` [${cited.join(',')}]` : ''}`;
    out.push(`  ${head}${clip(printable(entry.text), TEXT_WIDTH - 2 - head.length - tail.length)}${tail}`);
    i += repeats - 1;
  }
  return out;
}

/** Consecutive repeats (DHCP retries, the same status twice) are shown once with a count. */
function sameUncited(a: TimelineEntry, b: TimelineEntry): boolean {
  return a.findingIds.length === 0 && a.lane === b.lane && a.text === b.text;
}

function findingLines({ finding, depth, number }: PlacedFinding, base: string): string[] {
  const indent = base + '   '.repeat(depth);
  const label = `${number}. `;
  const body = indent + ' '.repeat(label.length);
  const out = ['', ...wrap(printable(`${SEVERITY_WORD[finding.severity]} ${finding.id}: ${finding.title}`), indent + label, body)];
  if (depth > 0 && finding.causedBy) out.push(...wrap(printable(`A consequence of ${finding.causedBy}.`), body));
  out.push(...wrap(printable(finding.explanation), body));
  out.push(`${body}Evidence:`);
  for (const e of finding.evidence) {
    const when = clockTime(e.time);
    out.push(...wrap(printable(`${evidencePlace(e)}${when ? `, ${when}` : ''}: ${e.text}`), `${body}  `, `${body}    `));
  }
  out.push(`${body}Fix:`);
  finding.fix.forEach((step, i) => out.push(...wrap(printable(step), `${body}  ${i + 1}. `)));
  return out;
}
