/**
 * The summary of `analyze --each`: one row per input (input, phones, verdict, worst finding,
 * exit code), as text, a Markdown table or JSON rows — what a desk pastes into its tracker.
 */
import type { Analysis } from '../engine/analysis.js';
import { EXIT_BAD_INPUT } from '../exit-codes.js';
import type { FindingId } from '../findings/catalog.js';
import { SEVERITY_RANK } from '../findings/finding.js';
import { markdownText, terminalText } from './escape.js';
import { wrap } from './wrap-text.js';

export interface TicketRow {
  readonly input: string;
  /** MAC (or address) of each phone found. */
  readonly phones: readonly string[];
  /** The verdict of the phone with the worst finding, or what stopped the analysis. */
  readonly verdict: string;
  /** ID of the most severe finding (the first reported among equals); null when none. */
  readonly worstFinding: FindingId | null;
  readonly exitCode: number;
  /** The ticket bundle written for this input, with --out. */
  readonly bundle?: string;
}

export function ticketRow(input: string, analysis: Analysis, exitCode: number, bundle?: string): TicketRow {
  const findings = [...analysis.report.findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const worst = findings[0];
  const worstPhone = analysis.phones.find((p) => worst && p.findings.includes(worst)) ?? analysis.phones[0];
  return {
    input,
    phones: analysis.phones.map((p, i) => p.phone.mac ?? p.phone.ip ?? `phone ${i + 1}`),
    verdict: worstPhone?.verdict ?? (analysis.phones.length ? '' : 'no phone found'),
    worstFinding: worst ? worst.id : null,
    exitCode,
    ...(bundle ? { bundle } : {}),
  };
}

export function unreadableRow(input: string, message: string): TicketRow {
  return { input, phones: [], verdict: `not analysed: ${message}`, worstFinding: null, exitCode: EXIT_BAD_INPUT };
}

/** A name per input for its bundle folder: the last path part, made unique with the one before it, then ~2, ~3. */
export function ticketNames(inputs: readonly string[]): string[] {
  const clean = (s: string): string =>
    s
      .replace(/\.(pcapng|pcap|zip|tgz|tar|gz)$/gi, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^\.+/, '') || 'ticket';
  const parts = inputs.map((i) => i.replace(/[\\/]+$/, '').split(/[\\/]/));
  const short = parts.map((p) => clean(p[p.length - 1] ?? ''));
  const names = short.map((name, i) => {
    const parent = parts[i]?.at(-2);
    return short.filter((n) => n === name).length > 1 && parent !== undefined ? `${clean(parent)}-${name}` : name;
  });
  const used = new Map<string, number>();
  return names.map((name) => {
    const n = (used.get(name) ?? 0) + 1;
    used.set(name, n);
    return n === 1 ? name : `${name}~${n}`;
  });
}

const cellText = (row: TicketRow): [string, string, string, string] => [
  terminalText(row.input),
  row.phones.length ? row.phones.join(' ') : '-',
  terminalText(row.verdict),
  row.worstFinding ?? '-',
];

export function renderSummary(rows: readonly TicketRow[], format: 'text' | 'md'): string {
  const header: [string, string, string, string] = ['input', 'phones', 'verdict', 'worst finding'];
  const cells = rows.map(cellText);
  if (format === 'md') {
    const table = [
      header,
      ['---', '---', '---', '---'],
      ...rows.map((row) => {
        const [, phones, , worst] = cellText(row);
        return [markdownText(row.input), phones, markdownText(row.verdict), worst];
      }),
    ];
    return `${table.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`;
  }
  // Text: the input, phones and worst finding in columns, the verdict under each row (it is long).
  const width = (column: 0 | 1): number => Math.max(header[column].length, ...cells.map((r) => r[column].length));
  const inputWidth = width(0);
  const phonesWidth = width(1);
  const line = ([input, phones, , worst]: readonly [string, string, string, string]): string =>
    `${input.padEnd(inputWidth)}  ${phones.padEnd(phonesWidth)}  ${worst}`.trimEnd();
  const out = [`Summary of ${rows.length} analyses`, line(header)];
  for (const r of cells) out.push(line(r), ...wrap(r[2], '  '));
  return `${out.join('\n')}\n`;
}
