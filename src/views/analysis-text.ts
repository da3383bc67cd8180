/**
 * `phonedoc analyze` for a terminal, 80 columns: per phone the verdict, a compact timeline
 * (time, lane, text; `>` and the finding numbers on entries a finding cites), then the
 * findings, root causes first with their consequences indented under them, each with its
 * evidence and numbered fix steps. Text from the inputs passes through `terminalShown`
 * (escaped, a very long string cut).
 */
import { terminalShown } from './escape.js';
import { inParts } from '../engine/analysis.js';
import type { Analysis, AnalysisInParts, PhoneAnalysis, TimelineEntry } from '../engine/analysis.js';
import type { PlacedFinding } from '../findings/causal-order.js';
import type { Severity } from '../findings/finding.js';
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
  summaryLine,
  worstSeverity,
} from './analysis-parts.js';
import { SEVERITY_COLOUR, SGR_RESET, sgrOf } from './colours.js';
import { clip, TEXT_WIDTH, wrap } from './wrap-text.js';

const LANE_WIDTH = 7;
const TIME_WIDTH = 12;

/** Wraps `text` in a severity's colour when colour is on; widths are counted without it. */
type Paint = (severity: Severity | undefined, text: string) => string;
const plain: Paint = (_severity, text) => text;
const coloured: Paint = (severity, text) =>
  severity ? `${sgrOf(SEVERITY_COLOUR[severity])}${text}${SGR_RESET}` : text;

export function renderAnalysisText(analysis: Analysis, options: { color?: boolean } = {}): string {
  return [...analysisTextPieces(inParts(analysis), options)].join('');
}

/** The text a phone at a time: the head (it needs the totals), each phone's block, then what is about every phone. */
export function* analysisTextPieces(analysis: AnalysisInParts, options: { color?: boolean } = {}): Generator<string> {
  const paint = options.color ? coloured : plain;
  const { report } = analysis;
  const totals = analysis.totals();
  const head: string[] = [];
  const inputs = report.inputs.map((i) => terminalShown(i.path)).join(', ');
  head.push(...wrap(`phonedoc ${report.command} ${inputs}: ${summaryLine(totals.summary)}`, ''));
  for (const input of report.inputs) {
    const lines = inputLinesSentence(input);
    if (lines) head.push(...wrap(terminalShown(`${input.path}: ${lines}`), 'Lines: ', '  '));
    const damage = inputDamageNote(input);
    if (damage) head.push(...wrap(terminalShown(`${input.path}: ${damage}`), 'Input ', '  '));
  }
  for (const c of analysis.clocks) head.push(...wrap(terminalShown(clockSentence(c)), 'Clock: ', '  '));
  yield head.join('\n');
  let index = 0;
  for (const phone of analysis.phones()) yield linesAfter(['', ...phoneLines(phone, index++, paint)]);
  const tail: string[] = [];
  const shared = totals.findingsOfNoPhone;
  if (shared.length) {
    tail.push('', 'Every phone (the TFTP root and the inputs)');
    for (const placed of shared) tail.push(...findingLines(placed, '  ', paint));
  }
  if (totals.assumptions.length) {
    tail.push('', "Assumed where the firmware's behaviour is not documented:");
    for (const a of totals.assumptions)
      tail.push(...wrap(`${terminalShown(a.text)} [${terminalShown(a.id)}]`, '  - ', '    '));
  }
  yield `${linesAfter(tail)}\n`;
}

/** `Phone 000E84C060A6 (7960, 192.0.2.50): <verdict>`, wrapped, the verdict coloured by the phone's worst finding. */
function verdictLines(phone: PhoneAnalysis, index: number, paint: Paint): string[] {
  return wrap(terminalShown(`${phoneName(phone.phone, index)}: ${phone.verdict}`), 'Phone ', '  ').map((l) =>
    paint(worstSeverity(phone), l),
  );
}

/** The verdict lines of every phone alone (`analyze --quiet`), or the summary when no phone was found. */
export function renderVerdictLines(analysis: Analysis, options: { color?: boolean } = {}): string {
  return [...verdictLinePieces(inParts(analysis), options)].join('');
}

/** `--quiet`: each phone's verdict lines as its analysis is made. */
export function* verdictLinePieces(analysis: AnalysisInParts, options: { color?: boolean } = {}): Generator<string> {
  const paint = options.color ? coloured : plain;
  let index = 0;
  for (const phone of analysis.phones()) yield `${verdictLines(phone, index++, paint).join('\n')}\n`;
  if (index === 0) yield `No phone found: ${summaryLine(analysis.totals().summary)}\n`;
}

function phoneLines(phone: PhoneAnalysis, index: number, paint: Paint): string[] {
  const out = verdictLines(phone, index, paint);
  const facts = phoneFacts(phone.phone);
  if (facts) out.push(...wrap(terminalShown(`${facts}.`), '  '));
  const step = lastStepBeyondVerdict(phone);
  if (step) out.push(...wrap(terminalShown(step), '  '));
  const { placed } = phone;
  out.push('', ...timelineLines(phone.timeline, placed));
  out.push('', placed.length ? '  Findings' : '  Findings: no problem found.');
  for (const p of placed) out.push(...findingLines(p, '  ', paint));
  return out;
}

function timelineLines(timeline: readonly TimelineEntry[], placed: readonly PlacedFinding[]): string[] {
  if (timeline.length === 0) return ['  Timeline: no event of this phone was seen.'];
  const out = ["  Timeline (UTC, on the capture's clock; > marks what the findings [n] cite)"];
  let day = '';
  let next = 0; // the first entry not yet shown, counted as a repeat or on its own line
  for (const [i, entry] of timeline.entries()) {
    if (i < next) continue;
    const cited = citingNumbers(entry, placed);
    let repeats = 1;
    if (cited.length === 0) {
      while (sameUncited(timeline[i + repeats], entry)) repeats++;
    }
    const entryDay = dayOf(entry.time);
    if (entryDay && entryDay !== day) {
      out.push(`  ${entryDay}`);
      day = entryDay;
    }
    const time = (clockTime(entry.time) || '?').padEnd(TIME_WIDTH);
    const head = `${cited.length ? '>' : ' '} ${time} ${entry.lane.padEnd(LANE_WIDTH)} `;
    const tail = `${repeats > 1 ? ` (x${repeats})` : ''}${cited.length ? ` [${cited.join(',')}]` : ''}`;
    out.push(`  ${head}${clip(terminalShown(entry.text), TEXT_WIDTH - 2 - head.length - tail.length)}${tail}`);
    next = i + repeats;
  }
  return out;
}

/** Consecutive repeats (DHCP retries, the same status twice) are shown once with a count. */
function sameUncited(a: TimelineEntry | undefined, b: TimelineEntry): boolean {
  return a !== undefined && a.findingIds.length === 0 && a.lane === b.lane && a.text === b.text;
}

function findingLines({ finding, depth, number }: PlacedFinding, base: string, paint: Paint): string[] {
  const indent = base + '   '.repeat(depth);
  const label = `${number}. `;
  const body = indent + ' '.repeat(label.length);
  const word = SEVERITY_WORD[finding.severity];
  const [heading = '', ...headingRest] = wrap(
    terminalShown(`${word} ${finding.id}: ${finding.title}`),
    indent + label,
    body,
  );
  const out = ['', heading.replace(word, paint(finding.severity, word)), ...headingRest];
  if (depth > 0 && finding.causedBy) out.push(...wrap(terminalShown(`A consequence of ${finding.causedBy}.`), body));
  out.push(...wrap(terminalShown(finding.explanation), body));
  out.push(`${body}Evidence:`);
  for (const e of finding.evidence) {
    const when = clockTime(e.time);
    out.push(
      ...wrap(terminalShown(`${evidencePlace(e)}${when ? `, ${when}` : ''}: ${e.text}`), `${body}  `, `${body}    `),
    );
  }
  out.push(`${body}Fix:`);
  finding.fix.forEach((step, i) => {
    out.push(...wrap(terminalShown(step), `${body}  ${i + 1}. `));
  });
  return out;
}
