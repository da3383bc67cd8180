/**
 * What phonedoc is writing part-way (a ticket bundle's temporary folder, an extracted file, an
 * archive unpacked into a temporary folder) is removed when SIGINT, SIGTERM or SIGHUP arrive, or
 * when the process exits before its owner removed it (a reader of the output closed the pipe).
 * The signal then ends the process as it would have (unless someone else listens for it: the TUI
 * quits by itself). One set of process listeners serves every guard, however many are open.
 */
import { rmSync } from 'node:fs';

const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface SignalGuard {
  /** The file or folder being written, once it exists; removed on a signal or at exit. */
  path: string | undefined;
  /** Stops guarding: the work is done (or removed by the caller). */
  release(): void;
}

const open = new Set<SignalGuard>();

function removeAll(): void {
  for (const guard of open) if (guard.path !== undefined) removeNow(guard.path);
  open.clear();
  listen(false);
}

/**
 * Writes still under way (an unpacker's files) can fill a folder again while it is removed
 * (ENOTEMPTY): tried again a few times, and a failure never stops the signal from ending the process.
 */
function removeNow(target: string): void {
  try {
    rmSync(target, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  } catch {
    // What is left is in a temporary folder; the signal still ends phonedoc.
  }
}

function onEndingSignal(signal: NodeJS.Signals): void {
  removeAll();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function listen(on: boolean): void {
  for (const signal of ENDING_SIGNALS) {
    if (on) process.on(signal, onEndingSignal);
    else process.off(signal, onEndingSignal);
  }
  if (on) process.on('exit', removeAll);
  else process.off('exit', removeAll);
}

/** Starts guarding before the work's file or folder is made, so that no moment leaves it behind. */
export function removedOnSignal(): SignalGuard {
  const guard: SignalGuard = {
    path: undefined,
    release: () => {
      if (open.delete(guard) && open.size === 0) listen(false);
    },
  };
  if (open.size === 0) listen(true);
  open.add(guard);
  return guard;
}
