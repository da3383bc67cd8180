/**
 * The real CLI as a child process on a fuzzed capture: it must end within a timeout, exit 0
 * or 2 (never 70, "internal error"), print no stack trace, keep its peak RSS (VmHWM from
 * /proc/<pid>/status) under a bound, and print what the in-process pipeline decoded.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cliPath } from '../helpers.js';
import type { Failure } from './properties.js';
import type { PipelineRun } from './properties.js';

export interface CliRun {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Peak resident set size seen, in KiB (0 when /proc could not be read). */
  readonly peakRssKiB: number;
  readonly timedOut: boolean;
}

/** VmHWM of a live process, in KiB; 0 once it is gone. */
function highWaterMark(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

export function runCli(args: readonly string[], options: { stdin?: Uint8Array; timeoutMs: number }): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let peak = 0;
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    // The high-water mark only grows: the last reading before exit is the peak, give or take the last 20 ms.
    const poll = setInterval(() => {
      if (child.pid !== undefined) peak = Math.max(peak, highWaterMark(child.pid));
    }, 20);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdin.on('error', () => undefined); // the CLI may stop reading early (an error in the capture)
    child.stdin.end(
      options.stdin === undefined
        ? undefined
        : Buffer.from(options.stdin.buffer, options.stdin.byteOffset, options.stdin.length),
    );
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        code,
        signal,
        timedOut,
        peakRssKiB: peak,
        ms: performance.now() - started,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** Peak RSS the CLI may reach on any fuzzed capture (Node itself takes about 50 MiB). */
export const CLI_RSS_LIMIT_KIB = 256 * 1024;
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/** The properties of any CLI run on a capture. */
export function checkCliRun(what: string, run: CliRun): Failure[] {
  const failures: Failure[] = [];
  if (run.timedOut)
    failures.push({ kind: 'slow', message: `${what}: killed after the timeout (${run.ms.toFixed(0)} ms)` });
  else if (run.code !== 0 && run.code !== 2) {
    failures.push({
      kind: 'exception',
      message: `${what}: exit code ${run.code ?? run.signal}, expected 0 or 2; stderr:\n${run.stderr.slice(0, 2000)}`,
    });
  }
  if (/internal error/.test(run.stderr) || STACK_FRAME.test(run.stderr)) {
    failures.push({
      kind: 'exception',
      message: `${what}: internal error or stack trace on stderr:\n${run.stderr.slice(0, 2000)}`,
    });
  }
  const stray = run.stderr.split('\n').find((l) => l !== '' && !l.startsWith('phonedoc: '));
  if (stray !== undefined && !run.timedOut)
    failures.push({ kind: 'exception', message: `${what}: stderr line not from phonedoc: ${stray}` });
  if (run.peakRssKiB > CLI_RSS_LIMIT_KIB) {
    failures.push({
      kind: 'memory',
      message: `${what}: peak RSS ${(run.peakRssKiB / 1024).toFixed(0)} MiB (limit ${CLI_RSS_LIMIT_KIB / 1024} MiB)`,
    });
  }
  return failures;
}

/**
 * `decode --format jsonl` must print what the in-process pipeline decoded,
 * and exit 2 exactly when the reader hit an error.
 */
export function checkDecodeOutput(what: string, run: CliRun, expected: PipelineRun): Failure[] {
  if (run.timedOut) return [];
  const failures: Failure[] = [];
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  const want = expected.packets.map((p) => p.line);
  const i = lines.findIndex((l, k) => l !== want[k]);
  if (i >= 0 || lines.length !== want.length) {
    const k = i >= 0 ? i : Math.min(lines.length, want.length);
    failures.push({
      kind: 'output',
      message:
        `${what}: line ${k + 1} of ${lines.length} differs from the in-process decode ` +
        `(${want.length} lines):\n${lines[k] ?? 'missing'}\nvs\n${want[k] ?? 'missing'}`,
    });
  }
  const damaged = expected.problems.some((p) => p.severity === 'error');
  if ((run.code === 2) !== damaged)
    failures.push({
      kind: 'output',
      message: `${what}: exit code ${run.code} but the reader ${damaged ? 'reported' : 'did not report'} an error`,
    });
  const problemLines = run.stderr.split('\n').filter((l) => / (error|warning) at byte offset /.test(l)).length;
  if (problemLines !== expected.problems.length) {
    failures.push({
      kind: 'output',
      message: `${what}: ${problemLines} problems on stderr, ${expected.problems.length} in-process`,
    });
  }
  return failures;
}

/** `transfers --format jsonl`: one JSON object per transfer and exchange found in-process. */
export function checkTransfersOutput(what: string, run: CliRun, expected: PipelineRun): Failure[] {
  if (run.timedOut) return [];
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  for (const line of lines) {
    try {
      JSON.parse(line);
    } catch {
      return [{ kind: 'output', message: `${what}: a line is not JSON: ${line.slice(0, 200)}` }];
    }
  }
  const want = expected.transfers + expected.exchanges;
  return lines.length === want
    ? []
    : [{ kind: 'output', message: `${what}: ${lines.length} rows, ${want} transfers and exchanges in-process` }];
}
