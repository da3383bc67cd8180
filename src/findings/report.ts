/**
 * The report around the findings: their order by severity, exit code, summary, and the
 * lint's text view (grouped by phone, errors first, evidence, numbered fix steps). The JSON
 * view is the Report itself (report-schema.ts).
 */
import { terminalText } from '../views/escape.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exit-codes.js';
import { TEXT_WIDTH, wrapVerbatim } from '../views/wrap-text.js';
import { SEVERITY_RANK } from './finding.js';
import type { Finding, Severity } from './finding.js';
import type { Report, ReportImage, ReportPhone } from './report-schema.js';

/** Errors first, then warnings, then info; by phone, then by id. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (a.phone?.mac ?? '').localeCompare(b.phone?.mac ?? '') ||
      a.id.localeCompare(b.id),
  );
}

export function summarize(findings: readonly Finding[]): Report['summary'] {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return { error: count('error'), warning: count('warning'), info: count('info') };
}

/** 1 when an `error` finding is reported; warnings and info alone exit 0. */
export function exitCodeFor(findings: readonly Finding[]): number {
  return exitCodeOfSummary(summarize(findings));
}

/** `exitCodeFor` from a report's counts. */
export function exitCodeOfSummary(summary: Report['summary']): number {
  return summary.error > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

const imageText = (image: ReportImage | undefined): string =>
  image ? `${image.protocol} ${image.version} (${image.image})` : 'an unknown image';

const ANSWER_MARK: Readonly<Record<string, string>> = {
  found: 'ok',
  'not-found': 'not found',
  denied: 'DENIED',
  'too-large': 'TOO LARGE',
  failed: 'FAILED',
  'no-answer': 'no answer',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The lint's text view, wrapped to `width` columns; findings in the order given (causes before their consequences). */
export function renderText(report: Report, width: number = TEXT_WIDTH): string {
  const out: string[] = [];
  // Escaped before wrapping, so an escape (`\r` for a CR) is counted in the width.
  const w = (text: string, first: string, rest: string = ' '.repeat(first.length)): string[] =>
    wrapVerbatim(terminalText(text), first, rest, width);
  const { error, warning, info } = report.summary;
  const inputs = report.inputs.map((i) => i.path).join(', ');
  out.push(
    ...w(
      `phonedoc ${report.command} ${inputs}: ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info`,
      '',
    ),
  );

  const groups: { readonly heading: string; readonly phone?: ReportPhone; readonly findings: Finding[] }[] = [];
  const macs = new Set(report.phones.map((p) => p.mac).filter((m): m is string => m !== undefined));
  // A phone's finding caused by a finding of the root is shown under its cause, never before it.
  const ofRoot = (f: Finding, seen = new Set<Finding>()): boolean => {
    if (!f.phone?.mac || !macs.has(f.phone.mac)) return true;
    const cause =
      f.causedBy === undefined ? undefined : report.findings.find((c) => c.id === f.causedBy && !seen.has(c));
    return cause !== undefined && ofRoot(cause, seen.add(f));
  };
  for (const phone of report.phones) {
    const heading = phone.mac
      ? `Phone ${phone.mac}${phone.model ? ` (${phone.model})` : ''}`
      : `Phone with no MAC given${phone.model ? ` (${phone.model})` : ''}`;
    groups.push({
      heading,
      phone,
      findings: phone.mac ? report.findings.filter((f) => f.phone?.mac === phone.mac && !ofRoot(f)) : [],
    });
  }
  const shared = report.findings.filter((f) => ofRoot(f));
  groups.push({ heading: 'Every phone (the TFTP root)', findings: shared });

  for (const group of groups) {
    if (!group.phone && group.findings.length === 0) continue;
    out.push('', group.heading);
    if (group.phone) out.push(...phoneLines(group.phone, w));
    // One line at a time: a finding of a large site cites a file per phone, too many to spread.
    for (const finding of group.findings) for (const line of ['', ...findingLines(finding, w)]) out.push(line);
    const mac = group.phone?.mac;
    const elsewhere = mac !== undefined && shared.some((f) => f.phone?.mac === mac);
    if (elsewhere)
      out.push(...w('Findings of this phone that follow from the TFTP root are below, under their cause.', '  '));
    else if (group.findings.length === 0 && group.phone && shared.some((f) => f.severity !== 'info'))
      out.push(...w('No finding of this phone alone; those of the TFTP root below apply to it.', '  '));
    else if (group.findings.length === 0) out.push('  No problem found.');
  }
  if (report.assumptions.length) {
    out.push('', "Assumed where the firmware's behaviour is not documented:");
    for (const a of report.assumptions) out.push(...w(`${a.text} [${a.id}]`, '  - ', '    '));
  }
  return `${out.map(terminalText).join('\n')}\n`;
}

type Wrap = (text: string, first: string, rest?: string) => string[];

function phoneLines(phone: ReportPhone, w: Wrap): string[] {
  const lines: string[] = [];
  const runs = phone.running
    ? `${phone.runningAssumed ? 'Assumed to run' : 'Runs'} ${imageText(phone.running)}`
    : 'Runs an unknown image';
  const target = phone.target ? `; sent to ${imageText(phone.target)}` : '';
  lines.push(...w(`${runs}${target}${phone.flow ? ` [flow ${phone.flow}]` : ''}.`, '  '));
  if (phone.lastStep) lines.push(...w(phone.lastStep, '  '));
  if (!phone.mac && !phone.ip && phone.requests?.length)
    lines.push(
      ...w(
        'No MAC given: the files named after the MAC (SEP<MAC>.cnf.xml, SIP<MAC>.cnf, CTLSEP<MAC>.tlv) are left out; give --mac.',
        '  ',
      ),
    );
  const [first] = phone.requests ?? [];
  if (phone.requests && first) {
    lines.push(`  ${first.predicted ? 'Predicted requests' : 'Requests'}:`);
    phone.requests.forEach((r, i) => {
      lines.push(
        ...w(
          `${JSON.stringify(r.file).slice(1, -1)}  ${ANSWER_MARK[r.answer] ?? r.answer}`,
          `    ${String(i + 1).padStart(2)}. `,
        ),
      );
    });
  }
  return lines;
}

function findingLines(finding: Finding, w: Wrap): string[] {
  const lines = w(`${finding.severity.toUpperCase()} ${finding.id}: ${finding.title}`, '  ', '    ');
  if (finding.causedBy)
    lines.push(
      ...w(
        `(a consequence of ${finding.causedBy}${finding.phone?.mac ? `, for phone ${finding.phone.mac}` : ''})`,
        '    ',
      ),
    );
  lines.push(...w(finding.explanation, '    '), '    Evidence:');
  for (const e of finding.evidence) {
    const where = `${e.file}${e.line ? `:${e.line}` : ''}${e.frame ? ` frame ${e.frame}` : ''}${e.time ? ` ${e.time}` : ''}`;
    lines.push(...w(e.text, `      ${where}  `, '        '));
  }
  lines.push('    Fix:');
  finding.fix.forEach((step, i) => {
    lines.push(...w(step, `      ${i + 1}. `));
  });
  return lines;
}
