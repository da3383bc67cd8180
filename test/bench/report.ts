/** The bench's results: one row per tool, the targets, as a text table, Markdown and JSON. */
import type { BenchCaptureManifest } from './bench-capture.js';
import { machineLines, type MachineFacts } from './machine.js';
import { hasGnuTime } from './measure.js';

export type ToolStatus = 'ok' | 'failed' | 'unavailable';

export interface ToolResult {
  readonly id: string;
  readonly label: string;
  /** phonedoc's own rows are compared with the peers. */
  readonly phonedoc: boolean;
  /** `wall`: spawn to exit, startup included; `in-process`: the child's own clock around the work. */
  readonly timing: 'wall' | 'in-process';
  /** How to run it by hand. */
  readonly command: string;
  readonly status: ToolStatus;
  readonly note?: string;
  readonly seconds?: number;
  readonly packetsPerSecond?: number;
  readonly mbPerSecond?: number;
  /** Peak resident set size, MB (10^6 bytes). */
  readonly peakMemoryMb?: number;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly capture: { readonly file: string } & BenchCaptureManifest;
  readonly machine: MachineFacts;
  readonly rows: readonly ToolResult[];
  /** Id of the phonedoc row the peers are compared with. */
  readonly reference: string | undefined;
  readonly targets: readonly TargetResult[];
  readonly reproduce: readonly string[];
}

export interface TargetResult {
  readonly name: string;
  readonly measured: string;
  readonly verdict: 'PASS' | 'FAIL' | 'NOT MEASURED';
}

export const SPEED_TARGET_PACKETS_PER_SECOND = 1.5e6;
export const MEMORY_TARGET_MB = 150;
/** `phonedoc analyze` on the bench capture: at most this many times decode's time, and under this peak memory. */
export const ANALYZE_TIME_FACTOR = 2;
export const ANALYZE_MEMORY_TARGET_MB = 200;

/** The phonedoc row the peers are compared with: the CLI when it ran, else the in-process decoder. */
export function referenceRow(rows: readonly ToolResult[], ids: readonly string[]): ToolResult | undefined {
  for (const id of ids) {
    const row = rows.find((r) => r.id === id && r.status === 'ok');
    if (row !== undefined) return row;
  }
  return undefined;
}

/** Speed is judged on the in-process reader+decoder, memory on the row the peers are compared with. */
export function targets(speedRow: ToolResult | undefined, memoryRow: ToolResult | undefined): TargetResult[] {
  const speed = speedRow?.packetsPerSecond;
  const memory = memoryRow?.peakMemoryMb;
  return [
    {
      name: `phonedoc reader+decoder at least ${formatRate(SPEED_TARGET_PACKETS_PER_SECOND)} packets/s`,
      measured: speed === undefined ? 'not measured' : `${formatRate(speed)} packets/s`,
      verdict: speed === undefined ? 'NOT MEASURED' : speed >= SPEED_TARGET_PACKETS_PER_SECOND ? 'PASS' : 'FAIL',
    },
    {
      name:
        `phonedoc peak memory under ${MEMORY_TARGET_MB} ` +
        `MB${memoryRow === undefined ? '' : ` (${memoryRow.label})`}`,
      measured: memory === undefined ? 'not measured' : `${memory.toFixed(1)} MB`,
      verdict: memory === undefined ? 'NOT MEASURED' : memory < MEMORY_TARGET_MB ? 'PASS' : 'FAIL',
    },
  ];
}

/** analyze against decode: both are CLI rows timed from spawn to exit. */
export function analyzeTargets(analyze: ToolResult | undefined, decode: ToolResult | undefined): TargetResult[] {
  const ratio =
    analyze?.seconds !== undefined && decode?.seconds !== undefined ? analyze.seconds / decode.seconds : undefined;
  const memory = analyze?.peakMemoryMb;
  return [
    {
      name: `phonedoc analyze within ${ANALYZE_TIME_FACTOR}× phonedoc decode's time`,
      measured:
        ratio === undefined
          ? 'not measured'
          : `${analyze!.seconds!.toFixed(2)} s against ${decode!.seconds!.toFixed(2)} s (${ratio.toFixed(2)}×)`,
      verdict: ratio === undefined ? 'NOT MEASURED' : ratio <= ANALYZE_TIME_FACTOR ? 'PASS' : 'FAIL',
    },
    {
      name: `phonedoc analyze peak memory under ${ANALYZE_MEMORY_TARGET_MB} MB`,
      measured: memory === undefined ? 'not measured' : `${memory.toFixed(1)} MB`,
      verdict: memory === undefined ? 'NOT MEASURED' : memory < ANALYZE_MEMORY_TARGET_MB ? 'PASS' : 'FAIL',
    },
  ];
}

/** `phonedoc decode` (the whole CLI) at least this fraction of tcpdump's speed on the same file, in the same run. */
export const DECODE_TCPDUMP_SPEED_TARGET = 0.5;

export function decodeAgainstTcpdump(decode: ToolResult | undefined, tcpdump: ToolResult | undefined): TargetResult {
  const ratio =
    decode?.seconds !== undefined && tcpdump?.seconds !== undefined ? tcpdump.seconds / decode.seconds : undefined;
  return {
    name:
      `phonedoc decode --format jsonl at least ` +
      `${DECODE_TCPDUMP_SPEED_TARGET}× the speed of tcpdump -w /dev/null udp`,
    measured:
      ratio === undefined
        ? 'not measured'
        : `${decode!.seconds!.toFixed(2)} s against ${tcpdump!.seconds!.toFixed(2)} s (${ratio.toFixed(2)}×)`,
    verdict: ratio === undefined ? 'NOT MEASURED' : ratio >= DECODE_TCPDUMP_SPEED_TARGET ? 'PASS' : 'FAIL',
  };
}

/** Everything the bench prints on standard output. */
export function renderReport(
  results: BenchResults,
  reference: ToolResult | undefined,
  otherSizes: readonly string[],
  jsonFile: string,
): string {
  const { capture, machine, rows } = results;
  const size = `${(capture.bytes / 1e6).toFixed(0)} MB classic pcap, ${capture.packets.toLocaleString('en-US')} packets`;
  const boots = `${capture.boots.length} phone boots, ${capture.bootFrames.toLocaleString('en-US')} DHCP/TFTP frames`;
  const ratios =
    reference === undefined
      ? 'No phonedoc row ran: no ratios.'
      : `Ratios: ${reference.label} ÷ peer (speed above 1: phonedoc faster; memory below 1: phonedoc smaller).`;
  const out = [
    `phonedoc bench: ${size} (${boots})`,
    `capture: ${capture.file}`,
    ...capture.notes.map((note) => `  ${note}`),
    '',
    textTable(rows, reference),
    '',
    'Seconds: wall time from spawn to exit, node startup included; ' +
      "* = the child's own clock around reading and decoding.",
    'Packets/s and MB/s: packets and bytes of the whole file over those seconds. MB = 10^6 bytes.',
    `Peak memory: ${hasGnuTime() ? 'peak RSS of the child (GNU time %M)' : 'process.resourceUsage().maxRSS of the node children only (GNU time missing)'}.`,
    ratios,
    '',
    'Targets:',
    ...results.targets.map((target) => `  ${target.verdict.padEnd(12)} ${target.name}: ${target.measured}`),
    ...(otherSizes.length === 0 ? [] : [`  (same row at other sizes: ${otherSizes.join('; ')})`]),
    '',
    '--- Markdown (docs/benchmarks.md) ---',
    '',
    `Bench capture: ${size}, ${boots}; ${machine.cpuModel}, nproc ${machine.nproc}, Node ${machine.node}.`,
    '',
    markdownTable(rows, reference),
    '',
    `${ratios} * = in-process time, without node startup.`,
    '',
    ...results.targets.map((target) => `- **${target.verdict}** ${target.name}: ${target.measured}`),
    '',
    '--- end of Markdown ---',
    '',
    'Reproduce:',
    ...results.reproduce.map((line) => `  ${line}`),
    '',
    'Machine:',
    ...machineLines(machine).map((line) => `  ${line}`),
    '',
    `Results JSON: ${jsonFile}`,
  ];
  return `${out.join('\n')}\n`;
}

const HEADERS = [
  'Tool',
  'Seconds',
  'Packets/s',
  'MB/s',
  'Peak memory (MB)',
  'phonedoc speed ×',
  'phonedoc memory ×',
  'Note',
];

function cells(rows: readonly ToolResult[], reference: ToolResult | undefined): string[][] {
  return rows.map((row) => {
    const ok = row.status === 'ok';
    const compare = ok && !row.phonedoc && reference !== undefined;
    return [
      row.label,
      ok && row.seconds !== undefined ? `${row.seconds.toFixed(2)}${row.timing === 'in-process' ? '*' : ''}` : '—',
      ok && row.packetsPerSecond !== undefined ? formatRate(row.packetsPerSecond) : '—',
      ok && row.mbPerSecond !== undefined ? row.mbPerSecond.toFixed(1) : '—',
      ok && row.peakMemoryMb !== undefined ? row.peakMemoryMb.toFixed(1) : '—',
      compare ? ratio(reference.packetsPerSecond, row.packetsPerSecond) : '—',
      compare ? ratio(reference.peakMemoryMb, row.peakMemoryMb) : '—',
      row.status === 'ok' ? (row.note ?? '') : `${row.status === 'failed' ? 'FAILED: ' : ''}${row.note ?? row.status}`,
    ];
  });
}

function textTable(rows: readonly ToolResult[], reference: ToolResult | undefined): string {
  const body = cells(rows, reference);
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function markdownTable(rows: readonly ToolResult[], reference: ToolResult | undefined): string {
  const cellEscaped = (cell: string): string => cell.replaceAll('|', '\\|');
  const align = HEADERS.map((_, i) => (i === 0 || i === HEADERS.length - 1 ? '---' : '---:'));
  return [HEADERS, align, ...cells(rows, reference)].map((row) => `| ${row.map(cellEscaped).join(' | ')} |`).join('\n');
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
  return perSecond.toFixed(0);
}

/** `a / b`, for "how many times phonedoc's figure is the peer's". */
function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0) return '—';
  const value = a / b;
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;
}
