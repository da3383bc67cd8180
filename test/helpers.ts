import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { isoMillis } from '../parsers/time/iso.js';

/** The repository root, whether the test runs from `test/` (tsx) or from `dist/test/` (compiled). */
export const repoRoot: string = (() => {
  const start = path.dirname(fileURLToPath(import.meta.url));
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json in ${start} or above it`);
    dir = parent;
  }
  return dir;
})();

/** `../shared` beside the checkout (the public capture corpus and facts), or undefined when absent. */
export function sharedDir(): string | undefined {
  const dir = path.resolve(repoRoot, '..', 'shared');
  return existsSync(dir) ? dir : undefined;
}

export function fixture(...parts: string[]): string {
  return path.join(repoRoot, 'test', 'fixtures', ...parts);
}

/**
 * True when `tool` is on PATH. When it is missing the test is skipped with the reason on
 * a developer's machine, and fails under CI=true: CI must never skip silently.
 */
export function requireTool(t: TestContext, tool: string, debianPackage: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    const reason = `${tool} is not installed (Debian package ${debianPackage})`;
    if (process.env.CI === 'true') throw new Error(reason);
    t.skip(reason);
    return false;
  }
}

/** Path of the built CLI (the bundled bin); tests run `node <cliPath> ...`. `npm test` builds first. */
export const cliPath: string = path.join(repoRoot, 'dist', 'phonedoc.js');

/** Polls `check` every `pollMs` until it holds; fails naming `what` after `ms`. */
export async function until(what: string, check: () => boolean, ms = 10_000, pollMs = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** `value`, or a failed assertion naming `what` when it is missing (undefined or null). */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) assert.fail(`expected ${what}, got ${value}`);
  return value;
}

/** The first element of `list`, or a failed assertion naming `what` when the list is empty. */
export function first<T>(list: ArrayLike<T>, what: string): T {
  return defined(list[0], `${what} (the list is empty)`);
}

/** The element at `index` of `list`, or a failed assertion giving the list's length. */
export function nth<T>(list: ArrayLike<T>, index: number): T {
  return defined(list[index], `element ${index} of a list of ${list.length}`);
}

/** Seconds since the epoch of an ISO 8601 time, as parsers and the engine carry times. */
export function utcSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** ISO 8601 of a time in seconds since the epoch, as phonedoc prints it (to the millisecond). */
export function utcIso(seconds: number): string {
  return isoMillis(seconds);
}
