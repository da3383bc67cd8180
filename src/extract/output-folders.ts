/**
 * Creating the folders phonedoc writes into (`transfers --extract`, `analyze --out`, session
 * folders, console logs). A path on /proc or /sys (or on a procfs or sysfs mounted
 * elsewhere) is refused up front: those kernel file systems take no files, and Node's
 * recursive mkdir can spin on them for ever.
 */
import { existsSync, mkdirSync, realpathSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../exit-codes.js';

/** statfs(2) f_type of procfs and sysfs (linux/magic.h). */
const KERNEL_FILE_SYSTEMS: ReadonlySet<number> = new Set([0x9fa0, 0x62656572]);
const KERNEL_TREES = ['/proc', '/sys'];

/** Throws an InputError when `dir` would be made on /proc or /sys. */
export function refuseKernelFolder(dir: string, what: string): void {
  const resolved = path.resolve(dir);
  let existing = resolved;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const real = safeRealpath(existing);
  const onKernelTree = [resolved, real].some((p) =>
    KERNEL_TREES.some((tree) => p === tree || p.startsWith(`${tree}/`)),
  );
  if (onKernelTree || isKernelFileSystem(real)) {
    throw new InputError(
      `cannot create ${what} ${dir}: it is on a kernel file system (/proc or /sys) ` +
        `that takes no files; give a folder on a disk.`,
    );
  }
}

/** `mkdir -p DIR` after `refuseKernelFolder`. */
export function makeFolder(dir: string, what: string): void {
  refuseKernelFolder(dir, what);
  mkdirSync(dir, { recursive: true });
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Whether `p` is on procfs or sysfs. */
export function isKernelFileSystem(p: string): boolean {
  try {
    return KERNEL_FILE_SYSTEMS.has(Number(statfsSync(p).type));
  } catch {
    return false;
  }
}
