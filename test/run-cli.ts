/**
 * Runs a phonedoc command line in the test's own process (no node start-up, no module loading):
 * what it writes to stdout and stderr is captured, and its exit code returned as the CLI would
 * exit. For tests about what a command does; tests about the process itself (a terminal, a
 * closed pipe, standard input, memory) spawn the built CLI instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { runProgram } from '../src/program.js';

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
