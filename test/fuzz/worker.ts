/**
 * A fuzz worker thread: runs the in-process cases it is given and reports each to the
 * runner (runner.ts), which watches for hangs and memory blow-ups that a worker cannot
 * report itself. Started by the runner only.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { TimeBudget } from './budget.js';
import { captureExtension } from './build.js';
import { makeCase, SeedBank } from './cases.js';
import { checkCase, type Failure } from './properties.js';
import { loadSeeds } from './seeds.js';
import { shrink } from './shrink.js';

export interface WorkerInput {
  readonly master: number;
  readonly outDir: string;
  /** Time spent shrinking one failing input at most. */
  readonly shrinkMs: number;
}

/** The runner sends one case number at a time; the worker answers 'done' for it. */
export interface WorkerRequest {
  readonly index: number;
}

export type WorkerMessage = {
  readonly type: 'done';
  readonly index: number;
  readonly ms: number;
  readonly bytes: number;
  /** Heap + external memory held after the case, when measured (after a full GC). */
  readonly retained?: number;
  readonly failures: readonly Failure[];
  readonly description?: string;
  readonly reproducer?: string;
};

/** Heap + external memory a worker may hold after a case, once garbage is collected. */
const RETAINED_LIMIT = 256 * 1024 * 1024;
/** Cases between two measurements of the memory held (a full GC each: not after every case). */
const MEASURE_EVERY = 250;
/** Kinds worth shrinking: they do not depend on where the input came from. */
const SHRINKABLE = new Set<Failure['kind']>(['exception', 'output', 'work', 'chunking', 'memory']);

// A full GC on demand, to tell memory still held from garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function inUse(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

let casesRun = 0;

/** Memory held after a case: measured after a full GC every MEASURE_EVERY cases, or when it looks high. */
function retainedMemory(): number | undefined {
  if (++casesRun % MEASURE_EVERY !== 0 && inUse() <= RETAINED_LIMIT) return undefined;
  gc();
  return inUse();
}

const input = workerData as WorkerInput;
const bank = new SeedBank(loadSeeds());
const budget = new TimeBudget();
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

function runCase(index: number): void {
  const c = makeCase(bank, input.master, index);
  const origin = {
    reference: c.reference(),
    firstChange: c.mutated.firstChange,
    truncationOnly: c.mutated.truncationOnly,
  };
  const budgetMs = budget.forBytes(c.mutated.bytes.length);
  const started = performance.now();
  const failures = checkCase(c.mutated.bytes, { chunkSizes: c.chunkSizes, budgetMs, gc, origin });
  const ms = performance.now() - started;
  let reproducer: string | undefined;
  if (failures.length > 0) {
    const first = failures[0]!;
    let bytes = c.mutated.bytes;
    if (SHRINKABLE.has(first.kind)) {
      const same = (candidate: Uint8Array): boolean => {
        const again = checkCase(candidate, {
          chunkSizes: c.chunkSizes,
          budgetMs: budget.forBytes(candidate.length),
          gc,
        });
        // An exception must be the same one; other kinds carry figures that change as the input shrinks.
        return again.some(
          (f) =>
            f.kind === first.kind &&
            (f.kind !== 'exception' || f.message.split('\n')[0] === first.message.split('\n')[0]),
        );
      };
      bytes = shrink(bytes, same, input.shrinkMs);
    }
    reproducer = path.join(input.outDir, `case-${input.master}-${index}-${first.kind}${captureExtension(bytes)}`);
    writeFileSync(reproducer, bytes);
  }
  const retained = retainedMemory();
  if (retained !== undefined && retained > RETAINED_LIMIT) {
    failures.push({
      kind: 'memory',
      message: `${(retained / 1048576).toFixed(0)} MiB still held after the case (limit ${RETAINED_LIMIT / 1048576} MiB)`,
    });
  }
  post({
    type: 'done',
    index,
    ms,
    bytes: c.mutated.bytes.length,
    failures,
    ...(retained === undefined ? {} : { retained }),
    ...(failures.length > 0 ? { description: c.description, reproducer } : {}),
  });
}

parentPort!.on('message', (request: WorkerRequest) => runCase(request.index));
