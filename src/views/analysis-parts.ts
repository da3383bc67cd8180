/**
 * What the text, Markdown and HTML views of an `Analysis` share: the numbers timeline entries
 * cite findings by, and how a phone, a time and a piece of evidence are named.
 */
import { isoMillis } from '../../parsers/time/iso.js';
import type { Analysis, PhoneAnalysis, TimelineEntry } from '../engine/analysis.js';
import type { PlacedFinding } from '../findings/causal-order.js';
import type { Evidence, Severity } from '../findings/finding.js';
import type { Report, ReportInput, ReportPhone } from '../findings/report-schema.js';

/** The numbers of the placed findings that cite `entry`, in order. */
export function citingNumbers(entry: TimelineEntry, placed: readonly PlacedFinding[]): number[] {
  if (entry.findingIds.length === 0) return [];
  return placed.filter((p) => entry.findingIds.includes(p.finding.id)).map((p) => p.number);
}

/**
 * What an input's damage left readable:
 * `damaged: 15 frames read, unreadable from byte 2960 (frame 16)`; undefined
 * when it is whole.
 */
export function inputDamageNote(input: ReportInput): string | undefined {
  const d = input.damage;
  if (!d) return undefined;
  const read =
    d.framesRead !== undefined
      ? `${d.framesRead} frames read`
      : d.linesRead !== undefined
        ? `${d.linesRead} lines read`
        : undefined;
  const where =
    d.frame !== undefined
      ? ` (frame ${d.frame})`
      : d.line !== undefined
        ? ` (line ${d.lastLine !== undefined ? `${d.line}-${d.lastLine}` : d.line})`
        : '';
  const what = d.endsInput
    ? `unreadable from byte ${d.offset}${where}`
    : `a damaged stretch from byte ${d.offset}${where}, left out`;
  return `damaged: ${read ? `${read}, ` : ''}${what}`;
}

/** `00:0e:84:c0:60:a6 (7960, 192.0.2.10)`, or the IP, or `phone N` when neither is known. */
export function phoneName(phone: ReportPhone, index: number): string {
  const details = [phone.model, phone.mac ? phone.ip : undefined].filter((d): d is string => d !== undefined);
  const name = phone.mac ?? phone.ip ?? `phone ${index + 1}`;
  return details.length ? `${name} (${details.join(', ')})` : name;
}

/** A time as a view prints it: a timeline entry's seconds in ISO 8601, an evidence's time (the report's ISO 8601) as it is. */
export function printedTime(time: string | number | undefined): string | undefined {
  return typeof time === 'number' ? isoMillis(time) : time;
}

/** `08:03:46.002` from a timeline entry's seconds or an evidence's ISO 8601 time (UTC); '' when absent or unreadable. */
export function clockTime(time: string | number | undefined): string {
  const iso = printedTime(time);
  const m = iso === undefined ? null : /T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(iso);
  if (!m) return '';
  return `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/** `2026-11-26` from a timeline entry's seconds or an ISO 8601 time; '' when absent. */
export function dayOf(time: string | number | undefined): string {
  return /^[+-]?\d{4,}-\d{2}-\d{2}/.exec(printedTime(time) ?? '')?.[0] ?? '';
}

/** `capture.pcap frame 42`, `console.log line 17`, `OS79XX.TXT` (a path in the TFTP root). */
export function evidencePlace(e: Pick<Evidence, 'file' | 'frame' | 'line'>): string {
  if (e.frame !== undefined) return `${e.file} frame ${e.frame}`;
  if (e.line !== undefined) return `${e.file} line ${e.line}`;
  return e.file;
}

/** The same, with the file's base name only: for the timeline, where the inputs are listed once above. */
export function shortPlace(e: Pick<Evidence, 'file' | 'frame' | 'line'>): string {
  return evidencePlace({
    ...e,
    file: e.file.slice(Math.max(e.file.lastIndexOf('/'), e.file.lastIndexOf('\\')) + 1) || e.file,
  });
}

export const SEVERITY_WORD: Readonly<Record<Severity, string>> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

/** Lines that follow what was written before them (a view written a piece at a time): each after a line end. */
export function linesAfter(lines: readonly string[]): string {
  return lines.map((line) => `\n${line}`).join('');
}

/** `1 error, 2 warnings, 0 info`. */
export function summaryLine({ error, warning, info }: Report['summary']): string {
  const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${n(error, 'error')}, ${n(warning, 'warning')}, ${info} info`;
}

/** The worst severity among a phone's findings, for a banner's colour; undefined with none. */
export function worstSeverity(phone: PhoneAnalysis): Severity | undefined {
  for (const s of ['error', 'warning', 'info'] as const) if (phone.findings.some((f) => f.severity === s)) return s;
  return undefined;
}

/** How a clock alignment reads: `console-x.log: +3.212 s to the capture's clock; <how it was found>`. */
/**
 * A log input's line counts in words:
 * `412 lines read, 398 used, 3 not understood (first: lines 1, 7, 9)`; undefined
 * for other inputs.
 */
export function inputLinesSentence(input: ReportInput): string | undefined {
  const l = input.lines;
  if (!l) return undefined;
  const first = l.firstNotUnderstood.map((n) => n.line);
  const listed = first.length ? ` (first: line${first.length === 1 ? '' : 's'} ${first.join(', ')})` : '';
  return `${l.read} line${l.read === 1 ? '' : 's'} read, ${l.used} used, ${l.notUnderstood} not understood${listed}`;
}

export function clockSentence(c: Analysis['clocks'][number]): string {
  const sign = c.offsetSeconds < 0 ? '-' : '+';
  return `${c.file}: ${sign}${Math.abs(c.offsetSeconds).toFixed(3)} s to the capture's clock; ${c.detail}`;
}

/**
 * The phone's last step when it says more than the verdict (the engine often writes the
 * verdict from it); undefined when the verdict already holds it.
 */
export function lastStepBeyondVerdict(phone: PhoneAnalysis): string | undefined {
  const step = phone.phone.lastStep;
  if (!step) return undefined;
  const plain = (t: string): string => t.toLowerCase().replace(/[.\s]+$/, '');
  return plain(phone.verdict).includes(plain(step)) ? undefined : step;
}

/**
 * `Runs SCCP 8.1(2) (P00308010200); sent to SIP 8.12 (P0S3-8-12-00); flow sccp-to-sip-loader`;
 * '' when nothing is known.
 */
export function phoneFacts(phone: ReportPhone): string {
  const image = (i: NonNullable<ReportPhone['running']>): string => `${i.protocol} ${i.version} (${i.image})`;
  const facts = [
    phone.running ? `${phone.runningAssumed ? 'assumed to run' : 'runs'} ${image(phone.running)}` : '',
    phone.target ? `sent to ${image(phone.target)}` : '',
    phone.flow ? `flow ${phone.flow}` : '',
  ]
    .filter((f) => f !== '')
    .join('; ');
  return facts && facts.charAt(0).toUpperCase() + facts.slice(1);
}
