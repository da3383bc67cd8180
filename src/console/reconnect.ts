/**
 * Waiting for a lost console to come back: one connection attempt per interval (the
 * adapter's stable /dev/serial/by-id name reappears when it is plugged in again; a
 * rebooted phone accepts telnet again), until it opens or the wait is called off.
 * serialport has no reconnect of its own (maintainer, serialport issue #648).
 */
import type { ConsoleEndpoint, ConsoleLink, LinkHandlers } from './transport.js';
import { OpenFailure } from './transport.js';

export const RECONNECT_INTERVAL_MS = 500;

export interface ReconnectOptions {
  readonly intervalMs?: number;
  readonly signal: AbortSignal;
  /** Called when the reason it cannot open yet changes (not for every attempt). */
  readonly onWaiting?: (why: string) => void;
}

/** The new link, or undefined when the wait was called off. */
export async function reconnect(
  endpoint: ConsoleEndpoint,
  handlers: LinkHandlers,
  options: ReconnectOptions,
): Promise<ConsoleLink | undefined> {
  const interval = options.intervalMs ?? RECONNECT_INTERVAL_MS;
  let lastWhy = '';
  while (!options.signal.aborted) {
    await sleep(interval, options.signal);
    if (options.signal.aborted) break;
    try {
      const link = await endpoint.connect(handlers);
      if (options.signal.aborted) {
        await link.close();
        break;
      }
      return link;
    } catch (err) {
      const why = err instanceof OpenFailure ? err.message : String(err);
      if (why !== lastWhy) options.onWaiting?.(why);
      lastWhy = why;
    }
  }
  return undefined;
}

/** Waits `ms`, or less when `signal` aborts; never rejects (an abort is a normal end here). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
