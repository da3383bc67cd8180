/**
 * Runs fuzz cases in worker threads and watches them: a worker that does not finish a case
 * within `hangMs` is stopped and the case recorded as a hang; a worker that runs out of
 * its heap (`resourceLimits`) is recorded as a memory failure. Either way a fresh worker
 * goes on with the remaining cases. Failing inputs are written to `outDir`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { captureExtension } from './build.js';
import { makeCase, SeedBank } from './cases.js';
import type { Failure } from './properties.js';
import { loadSeeds } from './seeds.js';
import type { WorkerInput, WorkerMessage, WorkerRequest } from './worker.js';

export interface FuzzOptions {
  readonly master: number;
  readonly indices: readonly number[];
  readonly workers: number;
  readonly outDir: string;
  /** A case not done after this long is a hang. */
  readonly hangMs: number;
  readonly shrinkMs: number;
  /** Old-generation heap limit of each worker, in MiB: beyond it the case is a memory failure. */
  readonly workerHeapMiB: number;
}

export interface CaseFailure {
  readonly index: number;
  readonly description: string;
  readonly failures: readonly Failure[];
  /** The failing input (shrunk when the kind allows). */
  readonly reproducer: string | undefined;
}

export interface FuzzReport {
  readonly cases: number;
  readonly ms: number;
  readonly inputBytes: number;
  readonly failures: readonly CaseFailure[];
  readonly slowest: { readonly index: number; readonly ms: number; readonly bytes: number } | undefined;
  /** Largest heap + external memory a worker held after a case (measured every so often, after a full GC). */
  readonly maxRetained: number;
}

interface Slot {
  worker: Worker | undefined;
  /** The case the worker is on. */
  index: number | undefined;
  since: number;
}

export function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const queue = [...options.indices];
  const failures: CaseFailure[] = [];
  let done = 0;
  let inputBytes = 0;
  let maxRetained = 0;
  let slowest: FuzzReport['slowest'];
  let bank: SeedBank | undefined;

  /** A case the worker could not report on: regenerated here to keep its bytes. */
  const lost = (index: number, failure: Failure): void => {
    bank ??= new SeedBank(loadSeeds());
    const c = makeCase(bank, options.master, index);
    const reproducer = path.join(
      options.outDir,
      `case-${options.master}-${index}-${failure.kind}${captureExtension(c.mutated.bytes)}`,
    );
    writeFileSync(reproducer, c.mutated.bytes);
    failures.push({ index, description: c.description, failures: [failure], reproducer });
    done++;
  };

  return new Promise((resolve) => {
    const slots: Slot[] = [];
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      for (const s of slots) void s.worker?.terminate();
      resolve({
        cases: done,
        ms: performance.now() - started,
        inputBytes,
        failures: failures.sort((a, b) => a.index - b.index),
        slowest,
        maxRetained,
      });
    };
    const next = (slot: Slot): void => {
      const index = queue.shift();
      slot.index = index;
      slot.since = performance.now();
      if (index !== undefined) slot.worker?.postMessage({ index } satisfies WorkerRequest);
      else if (slots.every((s) => s.index === undefined)) finish();
    };
    const start = (slot: Slot): void => {
      const input: WorkerInput = { master: options.master, outDir: options.outDir, shrinkMs: options.shrinkMs };
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: input,
        resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMiB },
      });
      slot.worker = worker;
      worker.on('message', (m: WorkerMessage) => {
        if (slot.worker !== worker) return;
        done++;
        inputBytes += m.bytes;
        maxRetained = Math.max(maxRetained, m.retained ?? 0);
        if (slowest === undefined || m.ms > slowest.ms) slowest = { index: m.index, ms: m.ms, bytes: m.bytes };
        if (m.failures.length > 0)
          failures.push({
            index: m.index,
            description: m.description ?? '',
            failures: m.failures,
            reproducer: m.reproducer,
          });
        next(slot);
      });
      worker.on('error', (error: Error & { code?: string }) => {
        if (slot.worker !== worker) return;
        if (slot.index !== undefined) {
          const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
          lost(slot.index, {
            kind: outOfMemory ? 'memory' : 'exception',
            message: outOfMemory
              ? `the worker ran out of its ${options.workerHeapMiB} MiB heap on this case`
              : `the worker died: ${error.stack ?? error.message}`,
          });
        }
        restart(slot);
      });
    };
    const restart = (slot: Slot): void => {
      void slot.worker?.terminate();
      start(slot);
      next(slot);
    };
    const watchdog = setInterval(() => {
      for (const slot of slots) {
        if (slot.index === undefined || performance.now() - slot.since < options.hangMs) continue;
        lost(slot.index, { kind: 'slow', message: `no result after ${options.hangMs} ms: the case hangs (or nearly)` });
        restart(slot);
      }
    }, 250);
    for (let i = 0; i < Math.max(1, options.workers); i++) {
      const slot: Slot = { worker: undefined, index: undefined, since: 0 };
      slots.push(slot);
      start(slot);
    }
    for (const slot of slots) next(slot);
  });
}
