/**
 * The folders phonedoc writes into (`transfers --extract`, `analyze --out`, session folders,
 * console logs), checked by one rule before anything is written:
 *
 * - a path on /proc or /sys (or on a procfs or sysfs mounted elsewhere) is refused: those
 *   kernel file systems take no files, and Node's recursive mkdir can spin on them for ever;
 * - the folder itself may not be a symbolic link (to a folder, to `/`, dangling): phonedoc
 *   writes names taken from untrusted input, and only into the folder it was given;
 * - an existing entry that is not a folder is refused, naming what it is.
 *
 * A missing folder is made one component at a time, so a failure names the component and
 * the reason (read-only file system, permission denied, not a folder) instead of Node's
 * recursive mkdir's ENOENT.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  realpathSync,
  type Stats,
  statfsSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { InputError } from '../exit-codes.js';

/** statfs(2) f_type of procfs and sysfs (linux/magic.h). */
const KERNEL_FILE_SYSTEMS: ReadonlySet<number> = new Set([0x9fa0, 0x62656572]);
const KERNEL_TREES = ['/proc', '/sys'];

/** Why a file-system call failed, in words, from its error code. */
const REASONS: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'a symbolic link is in the way (or a loop of them)',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'it already exists',
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder',
  ENXIO: 'no process reads it',
  EIO: 'input/output error',
};

/** An error of a system call on a file (ENOSPC, EROFS...), not a bug of phonedoc's. */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** `the file system is read-only (EROFS)`: an error of a file-system call as a user reads it. */
export function fileSystemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? undefined : REASONS[code];
  if (reason !== undefined) return `${reason} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** What a non-folder entry is, for a message: `a symbolic link`, `a file`, `a FIFO`... */
export function entryKind(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFile()) return 'a file';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return stats.isDirectory() ? 'a folder' : 'not a regular file';
}

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

/**
 * The check before writing into `dir` (see the file comment); true when it exists (a real
 * folder), false when it is still to be made. Throws an InputError naming `dir` otherwise.
 */
export function refuseOutputFolder(dir: string, what: string): boolean {
  if (dir.trim() === '') throw new InputError(`${what} is given as an empty name: give a folder.`);
  refuseKernelFolder(dir, what);
  let stats: Stats;
  try {
    stats = lstatSync(path.resolve(dir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      refuseFileOnTheWay(dir, what);
      return false;
    }
    throw new InputError(`cannot use ${dir} as ${what}: ${fileSystemReason(error)}.`);
  }
  if (stats.isSymbolicLink()) {
    throw new InputError(
      `${dir} is a symbolic link (to ${linkTarget(path.resolve(dir))}): ${what} must be a real folder, ` +
        'as phonedoc never writes through a link; give the folder itself.',
    );
  }
  if (!stats.isDirectory())
    throw new InputError(`${dir} exists and is ${entryKind(stats)}, not a folder: give a folder as ${what}.`);
  return true;
}

/** Before anything is read or written: the nearest existing ancestor of a missing `dir` must be a folder. */
function refuseFileOnTheWay(dir: string, what: string): void {
  for (let p = path.dirname(path.resolve(dir)); path.dirname(p) !== p; p = path.dirname(p)) {
    let stats: Stats;
    try {
      stats = statSync(p);
    } catch {
      continue;
    }
    if (stats.isDirectory()) return;
    throw new InputError(`cannot create ${what} ${dir}: ${p} is ${entryKind(stats)}, not a folder.`);
  }
}

/**
 * `mkdir -p DIR` after `refuseKernelFolder`, one component at a time. Links on the way are
 * followed (a home folder may be one): callers refuse a link as the output folder itself
 * with `refuseOutputFolder` first.
 */
export function makeFolder(dir: string, what: string): void {
  refuseKernelFolder(dir, what);
  const resolved = path.resolve(dir);
  const missing: string[] = [];
  for (let p = resolved; !isFolder(p) && path.dirname(p) !== p; p = path.dirname(p)) missing.unshift(p);
  for (const component of missing) {
    try {
      mkdirSync(component);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && isFolder(component)) continue;
      const place = component === resolved ? '' : ` (at ${component})`;
      throw new InputError(`cannot create ${what} ${dir}${place}: ${whyNotMade(component, error)}.`);
    }
  }
}

/** Why mkdir failed: an existing entry in the way is named for what it is. */
function whyNotMade(component: string, error: unknown): string {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return fileSystemReason(error);
  try {
    const stats = lstatSync(component);
    if (stats.isSymbolicLink()) return `${component} is a symbolic link to ${linkTarget(component)}, which is missing`;
    return `${component} is ${entryKind(stats)}, not a folder`;
  } catch {
    return fileSystemReason(error);
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function linkTarget(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return 'an unreadable target';
  }
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
