/**
 * Runs one command as a child process and measures it: wall time by the parent's
 * monotonic clock (spawn to exit), peak resident memory by GNU time's `%M` (the child's
 * getrusage ru_maxrss, in KiB) when /usr/bin/time exists.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measurement {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly seconds: number;
  /** Peak RSS in KiB from GNU time; undefined without it. */
  readonly peakRssKib: number | undefined;
  /** The child's standard output when `captureStdout`, else empty (it went to /dev/null). */
  readonly stdout: string;
  /** The end of the child's standard error, for a failure message. */
  readonly stderrTail: string;
}

const STDERR_KEPT = 4096;

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/** Whether `tool` is an existing file in one of the PATH directories. */
export function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && existsSync(path.join(dir, tool)));
}

/** The command line as a user would type it, with GNU time in front when it is used. */
export function commandLine(command: string, args: readonly string[], stdoutToNull: boolean): string {
  const quoted = [command, ...args].map(shellQuote).join(' ');
  return `${hasGnuTime() ? `${GNU_TIME} -f '%e %M' ` : ''}${quoted}${stdoutToNull ? ' > /dev/null' : ''}`;
}

export async function measure(
  command: string,
  args: readonly string[],
  options: { captureStdout: boolean },
): Promise<Measurement> {
  const timeDir = hasGnuTime() ? mkdtempSync(path.join(tmpdir(), 'phonedoc-bench-time-')) : undefined;
  const timeFile = timeDir === undefined ? undefined : path.join(timeDir, 'time.txt');
  const [file, argv] =
    timeFile === undefined ? [command, args] : [GNU_TIME, ['-f', '%e %M', '-o', timeFile, command, ...args]];
  // The child writes straight into /dev/null: no pipe through this process to slow it down.
  const devNull = options.captureStdout ? undefined : openSync('/dev/null', 'w');
  try {
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEPT);
    });
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, sig) => resolve([code, sig]));
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      exitCode,
      signal,
      seconds,
      peakRssKib: timeFile === undefined ? undefined : readPeakRss(timeFile),
      stdout,
      stderrTail: stderr,
    };
  } finally {
    if (devNull !== undefined) closeSync(devNull);
    if (timeDir !== undefined) rmSync(timeDir, { recursive: true, force: true });
  }
}

/** GNU time writes "Command exited with non-zero status N" before the format line when the command fails. */
function readPeakRss(timeFile: string): number | undefined {
  const last = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '';
  const match = /^\d+(?:\.\d+)? (\d+)$/.exec(last);
  return match === null ? undefined : Number(match[1]);
}

/**
 * The line of a tool's standard error worth showing: the last error line of a Node stack
 * dump, else the last line, without tshark's warning on every run as root.
 */
export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('Running as user') && !/^Node\.js v\d/.test(line));
  return [...lines].reverse().find((line) => /^[\w.]*Error\b/.test(line)) ?? lines.at(-1) ?? '';
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
