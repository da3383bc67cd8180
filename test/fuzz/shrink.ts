/**
 * Makes a failing input small enough to keep as a fixture: cut it after the first unit that
 * still fails, drop the units the failure does not need, then trim bytes off the end.
 * Structural steps (layout.ts), so the result stays a capture a person can open.
 */
import { concat } from './build.js';
import { captureLayout } from './layout.js';

/** `fails(bytes)`: the failure still shows. Stops trying after `budgetMs`. */
export function shrink(bytes: Uint8Array, fails: (candidate: Uint8Array) => boolean, budgetMs: number): Uint8Array {
  const deadline = performance.now() + budgetMs;
  const timeLeft = (): boolean => performance.now() < deadline;
  let best = bytes;

  // The shortest prefix ending at a unit boundary that still fails (binary search, then checked).
  const ends = captureLayout(best)
    .units.map((u) => u.end)
    .filter((e) => e < best.length);
  let low = 0;
  let high = ends.length;
  while (low < high && timeLeft()) {
    const mid = (low + high) >> 1;
    if (fails(best.subarray(0, ends[mid]!))) high = mid;
    else low = mid + 1;
  }
  if (high < ends.length && fails(best.subarray(0, ends[high]!))) best = best.slice(0, ends[high]!);

  // Drop units one at a time, last first, keeping each removal that still fails.
  let units = captureLayout(best).units;
  for (let i = units.length - 1; i >= 0 && timeLeft(); i--) {
    const u = units[i]!;
    if (u.name === 'pcap file header' || u.start === 0) continue;
    const candidate = concat(best.subarray(0, u.start), best.subarray(u.end));
    if (fails(candidate)) {
      best = candidate;
      units = captureLayout(best).units;
      i = Math.min(i, units.length);
    }
  }

  // Trim the tail in halving steps.
  for (let step = best.length >> 1; step > 0 && timeLeft(); step >>= 1) {
    while (best.length > step && timeLeft() && fails(best.subarray(0, best.length - step)))
      best = best.slice(0, best.length - step);
  }
  return best;
}
