/**
 * `phonedoc analyze --format md` and the ticket bundle's `report.md`: per phone the verdict,
 * the findings (root causes first, consequences marked) with evidence and numbered fix
 * steps, then the timeline as a table. Text from the inputs passes through `markdownText`,
 * so a file name cannot open a link, an image, raw HTML or a table cell.
 */
import { markdownText } from './escape.js';
import { inParts } from '../engine/analysis.js';
import type { Analysis, AnalysisInParts, PhoneAnalysis, TimelineEntry } from '../engine/analysis.js';
import type { PlacedFinding } from '../findings/causal-order.js';
import {
  citingNumbers,
  clockSentence,
  clockTime,
  dayOf,
  evidencePlace,
  inputDamageNote,
  inputLinesSentence,
  lastStepBeyondVerdict,
  linesAfter,
  phoneFacts,
  phoneName,
  SEVERITY_WORD,
  shortPlace,
  summaryLine,
} from './analysis-parts.js';

export function renderAnalysisMarkdown(analysis: Analysis): string {
  return [...analysisMarkdownPieces(inParts(analysis))].join('');
}

/** The Markdown a phone at a time: the head (it needs the totals), each phone's section, then what is about every phone. */
export function* analysisMarkdownPieces(analysis: AnalysisInParts): Generator<string> {
  const { report } = analysis;
  const totals = analysis.totals();
  const head: string[] = [`# phonedoc ${report.command}: ${summaryLine(totals.summary)}`, ''];
  head.push(`phonedoc ${markdownText(report.version)}. Inputs:`, '');
  for (const input of report.inputs) {
    const damage = inputDamageNote(input);
    const lines = inputLinesSentence(input);
    const damaged = damage ? ` (**${markdownText(damage)}**)` : '';
    head.push(`- ${input.kind}: ${markdownText(input.path)}${lines ? ` (${markdownText(lines)})` : ''}${damaged}`);
  }
  if (analysis.clocks.length) {
    head.push('', 'Clocks:', '');
    for (const c of analysis.clocks) head.push(`- ${markdownText(clockSentence(c))}`);
  }
  yield head.join('\n');
  let index = 0;
  for (const phone of analysis.phones()) yield linesAfter(['', ...phoneSection(phone, index++)]);
  const tail: string[] = [];
  const shared = totals.findingsOfNoPhone;
  if (shared.length) {
    tail.push('', '## Every phone (the TFTP root and the inputs)');
    for (const placed of shared) tail.push('', ...findingSection(placed, '###'));
  }
  if (totals.assumptions.length) {
    tail.push('', "## Assumed where the firmware's behaviour is not documented", '');
    for (const a of totals.assumptions) tail.push(`- ${markdownText(a.text)} (${markdownText(a.id)})`);
  }
  yield `${linesAfter(tail)}\n`;
}

function phoneSection(phone: PhoneAnalysis, index: number): string[] {
  const out = [`## Phone ${markdownText(phoneName(phone.phone, index))}`, '', `**${markdownText(phone.verdict)}**`];
  const facts = phoneFacts(phone.phone);
  if (facts) out.push('', `${markdownText(facts)}.`);
  const step = lastStepBeyondVerdict(phone);
  if (step) out.push('', markdownText(step));
  const { placed } = phone;
  out.push('', '### Findings');
  if (placed.length === 0) out.push('', 'No problem found.');
  for (const p of placed) out.push('', ...findingSection(p, '####'));
  out.push('', '### Timeline', '', ...timelineTable(phone.timeline, placed));
  return out;
}

function findingSection({ finding, depth, number }: PlacedFinding, heading: string): string[] {
  const cause = depth > 0 && finding.causedBy ? ` (because of ${markdownText(finding.causedBy)})` : '';
  const out = [
    `${heading} ${number}. ${SEVERITY_WORD[finding.severity]} ${markdownText(finding.id)}: ` +
      `${markdownText(finding.title)}${cause}`,
    '',
    markdownText(finding.explanation),
    '',
    'Evidence:',
    '',
  ];
  for (const e of finding.evidence) {
    const when = clockTime(e.time);
    out.push(`- ${markdownText(evidencePlace(e))}${when ? `, ${when}` : ''}: ${markdownText(e.text)}`);
  }
  out.push('', 'Fix:', '');
  finding.fix.forEach((step, i) => {
    out.push(`${i + 1}. ${markdownText(step)}`);
  });
  return out;
}

function timelineTable(timeline: readonly TimelineEntry[], placed: readonly PlacedFinding[]): string[] {
  if (timeline.length === 0) return ['No event of this phone was seen.'];
  const days = new Set(timeline.map((e) => dayOf(e.time)).filter((d) => d !== ''));
  const out = [
    `Times in UTC on the capture's clock${days.size ? ` (${[...days].join(', ')})` : ''}; ` +
      `findings [n] cite the marked rows.`,
    '',
    '| Time | Lane | Event | Source | Cited by |',
    '|---|---|---|---|---|',
  ];
  for (const entry of timeline) {
    const cited = citingNumbers(entry, placed);
    const time = clockTime(entry.time) || '?';
    out.push(
      `| ${time} | ${entry.lane} | ${markdownText(entry.text)} | ` +
        `${markdownText(shortPlace(entry))} | ${cited.map((n) => `[${n}]`).join(' ')} |`,
    );
  }
  return out;
}
