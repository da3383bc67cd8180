/**
 * What phonedoc is writing part-way (a ticket bundle's temporary folder, an extracted file) is
 * removed when SIGINT, SIGTERM or SIGHUP arrive; the signal then ends the process as it would
 * have (unless someone else listens for it: the TUI quits by itself).
 */
import { rmSync } from 'node:fs';

const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface SignalGuard {
  /** The file or folder being written, once it exists; removed on a signal. */
  path: string | undefined;
  /** Stops listening: the work is done (or removed by the caller). */
  release(): void;
}

/** Listens before the work's file or folder is made, so that no moment leaves it behind. */
export function removedOnSignal(): SignalGuard {
  const guard: SignalGuard = { path: undefined, release };
  function handler(signal: NodeJS.Signals): void {
    if (guard.path !== undefined) rmSync(guard.path, { recursive: true, force: true });
    release();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
  function release(): void {
    for (const signal of ENDING_SIGNALS) process.off(signal, handler);
  }
  for (const signal of ENDING_SIGNALS) process.on(signal, handler);
  return guard;
}
