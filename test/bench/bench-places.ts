/**
 * What the child-process benchmarks (`bench:site`, `bench:site-root`, `bench:hostile`,
 * `bench:serverlog`) share: the CLI they run, where their generated files go, the memory target
 * of issue #14 and their command-line options.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The bundle: what `npm install` puts on the PATH (the unbundled modules load about 15 MB more). */
export const cli = path.join(repoRoot, 'dist', 'phonedoc.js');
export const benchDir = process.env.PHONEDOC_BENCH_DIR ?? '/tmp/phonedoc-bench';
/** Peak memory of one `phonedoc` run, in MB (issue #14: a 10,000-phone site). */
export const MEMORY_TARGET_MB = 200;

/** The value after `--name` on the command line. */
export function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

/** `--scale F`: the generated files at F times their full size (0 < F <= 10, default 1). */
export function scaleOption(): number {
  const text = option('--scale') ?? '1';
  const n = Number(text);
  if (!(n > 0 && n <= 10)) throw new Error(`--scale wants a number above 0 and at most 10, got "${text}"`);
  return n;
}
