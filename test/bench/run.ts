/**
 * `npm run bench`: builds (or reuses) the bench capture, runs phonedoc and its peers on it
 * one after the other as child processes, and reports time, packets/s, MB/s and peak
 * memory side by side, with the targets and how to reproduce. See `--help`.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cliPath, fixture, repoRoot } from '../helpers.js';
import { benchCapture, type BenchCaptureManifest } from './bench-capture.js';
import { machineFacts } from './machine.js';
import { commandLine, lastErrorLine, measure, onPath, type Measurement } from './measure.js';
import type { PcapParserReport } from './pcap-parser-count.js';
import type { PipelineReport } from './phonedoc-pipeline.js';
import {
  analyzeTargets,
  decodeAgainstTcpdump,
  referenceRow,
  renderReport,
  targets,
  type BenchResults,
  type ToolResult,
} from './report.js';

const TOOL_IDS = ['decode', 'analyze', 'reader', 'decoder', 'tshark', 'tcpdump', 'pcap-parser'] as const;
type ToolId = (typeof TOOL_IDS)[number];

const USAGE = `usage: npm run bench -- [--size-mb N] [--tools LIST] [--json FILE]

  --size-mb N   size of the bench capture in MB (default 500); use 20 for a quick run
  --tools LIST  comma-separated subset of: ${TOOL_IDS.join(',')}
  --json FILE   where to write the results (default $PHONEDOC_BENCH_DIR/results-<N>MB.json)

The capture is cached in $PHONEDOC_BENCH_DIR (default /tmp/phonedoc-bench) and rebuilt
when missing or when the generator changes.`;

const DEFAULT_BENCH_DIR = '/tmp/phonedoc-bench';
const here = path.dirname(fileURLToPath(import.meta.url));

interface ChildReport {
  readonly packets: number;
  readonly seconds: number;
  /** DHCP and TFTP packets decoded, to compare with the boot frames the capture holds. */
  readonly dhcpTftpPackets?: number;
  readonly problems?: number;
  readonly error?: string;
}

interface ToolSpec {
  readonly id: ToolId;
  readonly label: string;
  readonly phonedoc: boolean;
  readonly command: string;
  readonly args: readonly string[];
  /** Children that report their own count and in-process time print JSON on stdout; the others write to /dev/null. */
  readonly childReport?: (stdout: string) => ChildReport;
  /** Why the tool cannot run here, or undefined when it can. */
  readonly unavailable?: () => Promise<string | undefined>;
}

function toolSpecs(file: string): ToolSpec[] {
  const node = process.execPath;
  const pipeline = path.join(here, 'phonedoc-pipeline.js');
  const pipelineReport = (stdout: string): ChildReport => {
    const report = JSON.parse(stdout) as PipelineReport;
    return {
      packets: report.frames,
      seconds: report.seconds,
      problems: report.problems,
      ...(report.dhcpTftpPackets === undefined ? {} : { dhcpTftpPackets: report.dhcpTftpPackets }),
    };
  };
  return [
    {
      id: 'decode',
      label: 'phonedoc decode (CLI, jsonl)',
      phonedoc: true,
      command: node,
      args: [cliPath, 'decode', file, '--format', 'jsonl'],
      unavailable: () => commandUnavailable('decode'),
    },
    {
      id: 'analyze',
      label: 'phonedoc analyze (CLI, json)',
      phonedoc: true,
      command: node,
      args: [cliPath, 'analyze', file, '--format', 'json'],
      unavailable: () => commandUnavailable('analyze'),
    },
    {
      id: 'reader',
      label: 'phonedoc reader (in-process)',
      phonedoc: true,
      command: node,
      args: [pipeline, 'reader', file],
      childReport: pipelineReport,
    },
    {
      id: 'decoder',
      label: 'phonedoc reader+decoder (in-process)',
      phonedoc: true,
      command: node,
      args: [pipeline, 'decoder', file],
      childReport: pipelineReport,
    },
    {
      id: 'tshark',
      label: 'tshark -Y "tftp || dhcp"',
      phonedoc: false,
      command: 'tshark',
      args: ['-n', '-r', file, '-Y', 'tftp || dhcp', '-T', 'fields', '-e', 'frame.number'],
      unavailable: async () => (onPath('tshark') ? undefined : 'tshark not installed (Debian package tshark)'),
    },
    {
      // Filtering with BPF and writing the matches, as the decode target is stated against.
      id: 'tcpdump',
      label: 'tcpdump -w /dev/null udp',
      phonedoc: false,
      command: 'tcpdump',
      args: ['-n', '-r', file, '-w', '/dev/null', 'udp'],
      unavailable: async () => (onPath('tcpdump') ? undefined : 'tcpdump not installed (Debian package tcpdump)'),
    },
    {
      id: 'pcap-parser',
      label: 'pcap-parser 0.2.1 (count)',
      phonedoc: false,
      command: node,
      args: [path.join(here, 'pcap-parser-count.js'), file],
      childReport: (stdout) => {
        const report = JSON.parse(stdout) as PcapParserReport;
        return {
          packets: report.packets,
          seconds: report.seconds,
          ...(report.error === undefined ? {} : { error: report.error }),
        };
      },
    },
  ];
}

async function commandUnavailable(command: string): Promise<string | undefined> {
  if (!existsSync(cliPath))
    return `phonedoc ${command} not available (${path.relative(repoRoot, cliPath)} missing: run tsc -p .)`;
  // Commander lists each subcommand, indented, under "Commands:" in the program's help.
  const help = await measure(process.execPath, [cliPath, '--help'], { captureStdout: true });
  return new RegExp(`^\\s+${command}\\b`, 'm').test(help.stdout)
    ? undefined
    : `phonedoc ${command} not available (the CLI has no ${command} command yet)`;
}

/** The command as typed from the repository root: `node`, and relative paths for the repository's files. */
function displayed(command: string, args: readonly string[]): [string, string[]] {
  const relative = (arg: string): string =>
    arg.startsWith(`${repoRoot}${path.sep}`) ? path.relative(repoRoot, arg) : arg;
  return [command === process.execPath ? 'node' : command, args.map(relative)];
}

async function runTool(spec: ToolSpec, manifest: BenchCaptureManifest): Promise<ToolResult> {
  const base = {
    id: spec.id,
    label: spec.label,
    phonedoc: spec.phonedoc,
    timing: spec.childReport === undefined ? 'wall' : 'in-process',
    command: commandLine(...displayed(spec.command, spec.args), spec.childReport === undefined),
  } as const;
  const reason = await spec.unavailable?.();
  if (reason !== undefined) return { ...base, status: 'unavailable', note: reason };
  log(`running ${spec.label}`);
  const m = await measure(spec.command, spec.args, { captureStdout: spec.childReport !== undefined });
  // phonedoc exits 1 when it found problems in what it read: the run itself is fine.
  const exitOk = m.exitCode === 0 || (spec.phonedoc && m.exitCode === 1);
  if (!exitOk) {
    if (spec.childReport !== undefined && /ERR_MODULE_NOT_FOUND|Cannot find module/.test(m.stderrTail)) {
      return {
        ...base,
        status: 'unavailable',
        note: `phonedoc parsers pipeline not available (${lastErrorLine(m.stderrTail)})`,
      };
    }
    return { ...base, status: 'failed', note: `${m.signal ?? `exit ${m.exitCode}`}: ${lastErrorLine(m.stderrTail)}` };
  }
  let packets = manifest.packets;
  let seconds = m.seconds;
  const notes: string[] = [];
  if (spec.childReport !== undefined) {
    const report = parseChildReport(spec, m);
    if (typeof report === 'string') return { ...base, status: 'failed', note: report };
    ({ packets, seconds } = report);
    if (report.error !== undefined) notes.push(`error: ${report.error}`);
    if (report.problems !== undefined && report.problems > 0)
      notes.push(`${report.problems} capture problems reported`);
    if (report.dhcpTftpPackets !== undefined && report.dhcpTftpPackets !== manifest.bootFrames) {
      notes.push(
        `MISMATCH: decoded ${report.dhcpTftpPackets} DHCP/TFTP packets, the capture has ${manifest.bootFrames}`,
      );
    }
    notes.push(`${formatSeconds(m.seconds)} s with node startup`);
  }
  if (spec.phonedoc && m.exitCode === 1) notes.push('exit 1 (problems reported)');
  const peakMemoryMb = m.peakRssKib === undefined ? childMaxRss(spec, m) : (m.peakRssKib * 1024) / 1e6;
  const result: ToolResult = {
    ...base,
    status: 'ok',
    seconds,
    packetsPerSecond: packets / seconds,
    mbPerSecond: manifest.bytes / 1e6 / seconds,
    ...(peakMemoryMb === undefined ? {} : { peakMemoryMb }),
  };
  if (packets !== manifest.packets) {
    return {
      ...result,
      status: spec.phonedoc ? 'failed' : 'ok',
      note: [`counted ${packets} packets of ${manifest.packets}`, ...notes].join('; '),
    };
  }
  return notes.length === 0 ? result : { ...result, note: notes.join('; ') };
}

function parseChildReport(spec: ToolSpec, m: Measurement): ChildReport | string {
  try {
    return spec.childReport!(m.stdout);
  } catch {
    return `no report on stdout (${lastErrorLine(m.stderrTail) || 'nothing on stderr'})`;
  }
}

/** Without GNU time, the node children's own maxRSS (KiB) is the only peak memory figure. */
function childMaxRss(spec: ToolSpec, m: Measurement): number | undefined {
  if (spec.childReport === undefined) return undefined;
  const kib = (JSON.parse(m.stdout) as { maxRssKib?: number }).maxRssKib;
  return kib === undefined ? undefined : (kib * 1024) / 1e6;
}

function formatSeconds(seconds: number): string {
  return seconds.toFixed(2);
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/** Reads the file once so that every tool finds it in the page cache, not only the ones run last. */
async function warmPageCache(file: string): Promise<void> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) void chunk;
}

/**
 * The memory figure of phonedoc's reference row in earlier runs at other
 * sizes, to show whether it grows with the file.
 */
function memoryAtOtherSizes(benchDir: string, sizeMb: number, rowId: string): string[] {
  if (!existsSync(benchDir)) return [];
  const lines: string[] = [];
  for (const name of readdirSync(benchDir).sort()) {
    const match = /^results-(\d+(?:\.\d+)?)MB\.json$/.exec(name);
    if (match === null || Number(match[1]) === sizeMb) continue;
    try {
      const earlier = JSON.parse(readFileSync(path.join(benchDir, name), 'utf8')) as BenchResults;
      const row = earlier.rows.find((r) => r.id === rowId && r.status === 'ok');
      if (row?.peakMemoryMb !== undefined)
        lines.push(`${match[1]} MB file: ${row.peakMemoryMb.toFixed(1)} MB (${earlier.startedAt})`);
    } catch {
      // Not a results file of this bench.
    }
  }
  return lines;
}

async function main(): Promise<number> {
  let values: { 'size-mb'?: string; tools?: string; json?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        'size-mb': { type: 'string' },
        tools: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const sizeMb = Number(values['size-mb'] ?? 500);
  if (!Number.isFinite(sizeMb) || sizeMb < 1 || sizeMb > 100_000) {
    process.stderr.write(`--size-mb ${values['size-mb']}: expected a number of MB from 1 to 100000\n`);
    return 2;
  }
  const wanted = values.tools
    ?.split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const unknown = wanted?.filter((id) => !(TOOL_IDS as readonly string[]).includes(id)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`--tools: unknown ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const benchDir = process.env.PHONEDOC_BENCH_DIR ?? DEFAULT_BENCH_DIR;
  const startedAt = new Date().toISOString();
  const machine = machineFacts();
  const capture = await benchCapture(benchDir, sizeMb, fixture('captures'), log);
  const { manifest, file } = capture;
  log(
    capture.generatedInSeconds === undefined
      ? `using cached ${file}`
      : `generated ${file} in ${formatSeconds(capture.generatedInSeconds)} s`,
  );
  await warmPageCache(file);

  const specs = toolSpecs(file);
  const rows: ToolResult[] = [];
  for (const spec of specs)
    if (wanted === undefined || wanted.includes(spec.id)) rows.push(await runTool(spec, manifest));

  const reference = referenceRow(rows, ['decode', 'decoder']);
  const json: BenchResults = {
    startedAt,
    capture: { file, ...manifest },
    machine,
    rows,
    reference: reference?.id,
    targets: [
      ...targets(referenceRow(rows, ['decoder']), reference),
      ...analyzeTargets(referenceRow(rows, ['analyze']), referenceRow(rows, ['decode'])),
      decodeAgainstTcpdump(referenceRow(rows, ['decode']), referenceRow(rows, ['tcpdump'])),
    ],
    reproduce: [
      `npx tsc -p . && PHONEDOC_BENCH_DIR=${benchDir} node dist/test/bench/run.js ` +
        `--size-mb ${sizeMb}   # or: npm run bench -- --size-mb ${sizeMb}`,
      ...rows.map((row) => row.command),
    ],
  };
  const jsonFile = values.json ?? path.join(benchDir, `results-${sizeMb}MB.json`);
  const otherSizes = reference === undefined ? [] : memoryAtOtherSizes(benchDir, sizeMb, reference.id);
  process.stdout.write(renderReport(json, reference, otherSizes, jsonFile));
  writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  return json.targets.some((target) => target.verdict === 'FAIL') ? 1 : 0;
}

process.exitCode = await main();
