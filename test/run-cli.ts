/**
 * Runs a phonedoc command line in the test's own process (no node start-up, no module loading):
 * what it writes to stdout and stderr is captured, and its exit code returned as the CLI would
 * exit. For tests about what a command does; tests about the process itself (a terminal, a
 * closed pipe, standard input, memory) spawn the built CLI instead.
 */
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawnSync } from 'node:child_process';
import { runProgram } from '../src/program.js';
import { cliPath } from './helpers.js';

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Captured {
  stdout: string;
  stderr: string;
}

const capture = new AsyncLocalStorage<Captured>();
let patched = false;

/** stdout and stderr writes made inside a run go to that run; every other write (the test runner's) passes. */
function patchStreams(): void {
  if (patched) return;
  patched = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const into = capture.getStore();
      if (into === undefined) return original(chunk, ...rest);
      into[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const done = rest.find((r): r is () => void => typeof r === 'function');
      if (done) process.nextTick(done);
      return true;
    }) as typeof stream.write;
  }
}

/** One run at a time: the exit code a command sets is the process's. */
let queue: Promise<unknown> = Promise.resolve();

export function runCli(...args: string[]): Promise<CliRun> {
  patchStreams();
  const run = queue.then(() => {
    const into: Captured = { stdout: '', stderr: '' };
    return capture.run(into, async () => ({ status: await runProgram(args), ...into }));
  });
  queue = run.catch(() => undefined);
  return run;
}

export interface SpawnedRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI as a child process, as a user starts it (NO_COLOR set), for tests about the
 * process; fails the test when it has not ended within a minute. `runAs`: a command put before
 * node (`setpriv --reuid=…`).
 */
export function spawnCli(args: readonly string[], runAs: readonly string[] = []): SpawnedRun {
  const [command = process.execPath, ...prefix] = [...runAs, process.execPath];
  const run = spawnSync(command, [...prefix, cliPath, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(run.signal, null, `phonedoc ${args.join(' ')} did not end: ${run.signal}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
