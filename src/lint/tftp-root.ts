/**
 * A TFTP root on disk, as a TFTP server shows it to a phone: exact names (servers on UNIX
 * are case sensitive), and only what the server's user may read. The server runs as an
 * unprivileged user (tftpd-hpa --secure drops to `tftp`), so a file is taken as readable
 * when it is world readable and every directory on the way is world searchable.
 *
 * Nothing outside the root is read, listed or quoted: tftpd-hpa --secure chroots into the
 * root, so a symbolic link whose target lies outside it (`up -> ..`, `-> /etc/passwd`)
 * reaches nothing for a phone. Such links, dangling links and special files (FIFO, device,
 * socket) are skipped and listed in `skipped` with the reason. The directory is read as a
 * stream (opendir), and files are read only up to a size cap checked from fstat first.
 */
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  opendirSync,
  readSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import type { Dir, Dirent, Stats } from 'node:fs';
import path from 'node:path';
import { InputError } from '../exit-codes.js';
import { stripCurrentDirectory } from '../flows/tftp-lookup.js';
import type { TftpLookup } from '../flows/tftp-lookup.js';

export interface RootEntry {
  /** Relative to the root, `/`-separated. */
  readonly path: string;
  readonly type: 'file' | 'directory';
  readonly mode: number;
  readonly size: number;
  /** A file phonedoc itself may not read (run as another user than the server's): its content is not checked. */
  readonly unreadable?: true;
}

/** Others may read (files) or search (directories): what the TFTP server's user needs. */
export const WORLD_READABLE = 0o004;
export const WORLD_SEARCHABLE = 0o001;

/**
 * A root deeper or larger than this is not a phone's TFTP root: lint refuses it rather than
 * check part of it. A large site's CallManager root holds a SEP<MAC>.cnf.xml per phone.
 */
const MAX_DEPTH = 12;
const MAX_ENTRIES = 1_000_000;

/** Configuration files and `.loads` descriptors are kilobytes; a file read whole may not be larger (images are only stat'ed). */
export const READ_FILE_CAP_BYTES = 1024 * 1024;

export interface SkippedEntry {
  /** Relative to the root, `/`-separated. */
  readonly path: string;
  readonly reason: string;
}

export interface TftpRoot {
  readonly dir: string;
  readonly rootMode: number;
  /** Files and directories, sorted by path. */
  readonly entries: readonly RootEntry[];
  /** Links leading outside the root, dangling links and special files, with the reason each was left out. */
  readonly skipped: readonly SkippedEntry[];
  entry(relative: string): RootEntry | undefined;
  /** The file's bytes; an InputError naming the file and the cap when it is larger than READ_FILE_CAP_BYTES. */
  read(relative: string): Uint8Array;
  /** Entries whose path equals `relative` except in letter case. */
  caseVariants(relative: string): RootEntry[];
  /** The directories on the way to `relative` (the root as '.') that others cannot search. */
  closedDirectories(relative: string): string[];
  /** Whether the TFTP server's user can read the file. */
  servable(relative: string): boolean;
  /** What a phone asking for `name` gets. */
  readonly lookup: TftpLookup;
}

/** The path inside the root a requested name stands for; undefined when it leaves the root. */
export function rootPath(name: string): string | undefined {
  const parts = stripCurrentDirectory(name.replace(/^\/+/, ''))
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}

/** Files up to this size are kept in memory once read (config files are a few KB; images are not kept)... */
const KEPT_FILE_BYTES = 256 * 1024;
/** ...up to this much in all: a site's root with a file per phone is read once and not held. */
const KEPT_TOTAL_BYTES = 8 * 1024 * 1024;

export function readTftpRoot(dir: string): TftpRoot {
  const rootStat = statRoot(dir);
  const realRoot = realpathSync(dir);
  const { entries, skipped } = listRoot(dir, realRoot, rootStat);
  return rootOf({ dir, realRoot }, rootStat.mode & 0o7777, entries, skipped);
}

/** The root as given (for messages) and as resolved (what every path read must lie in). */
interface RootPlace {
  readonly dir: string;
  readonly realRoot: string;
}

/** The root directory's stat; an InputError saying what to give when it is not a directory. */
function statRoot(dir: string): Stats {
  let rootStat: Stats;
  try {
    rootStat = statSync(dir);
  } catch (err) {
    throw new InputError(
      `TFTP root ${dir}: ${describe(err, 'does not exist')}; give the directory the TFTP server serves (e.g. /srv/tftp or /tftpboot).`,
    );
  }
  if (!rootStat.isDirectory())
    throw new InputError(`TFTP root ${dir} is not a directory; give the directory the TFTP server serves.`);
  return rootStat;
}

/** Every file and directory a phone could reach, sorted by path, and what was left out with the reason. */
function listRoot(dir: string, realRoot: string, rootStat: Stats): { entries: RootEntry[]; skipped: SkippedEntry[] } {
  const entries: RootEntry[] = [];
  const skipped: SkippedEntry[] = [];
  const tooLarge = (why: string): InputError =>
    new InputError(
      `TFTP root ${dir} ${why}: that is not a phone's TFTP root; give the directory the TFTP server serves.`,
    );
  // Directories on the way down, by device and inode: a symbolic link back up is listed, not walked again.
  const walk = (relative: string, depth: number, ancestors: ReadonlySet<string>): void => {
    const absolute = path.join(dir, relative);
    let listing: Dir;
    try {
      listing = openDirectoryInside(absolute, realRoot);
    } catch (err) {
      if (relative === '') throw new InputError(`TFTP root ${dir} cannot be read: ${describe(err, 'unreadable')}.`);
      // Its mode is still checked as an entry.
      skipped.push({ path: relative, reason: `a directory lint cannot list: ${describe(err, 'unreadable')}` });
      return;
    }
    const subdirectories: [string, Stats][] = [];
    const next = (): Dirent | null => {
      try {
        return listing.readSync();
      } catch (err) {
        if (relative === '') throw new InputError(`TFTP root ${dir} cannot be read: ${describe(err, 'unreadable')}.`);
        skipped.push({
          path: relative,
          reason: `a directory lint could not list whole: ${describe(err, 'unreadable')}`,
        });
        return null;
      }
    };
    try {
      for (let dirent = next(); dirent !== null; dirent = next()) {
        if (entries.length >= MAX_ENTRIES) throw tooLarge(`holds more than ${MAX_ENTRIES} files and directories`);
        const child = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
        const reached = reachedEntry(path.join(dir, child), realRoot);
        if (reached && 'skip' in reached) skipped.push({ path: child, reason: reached.skip });
        const stat = reached && 'stat' in reached ? reached.stat : undefined;
        if (stat?.isDirectory()) subdirectories.push([child, stat]);
        else if (stat?.isFile()) entries.push(fileEntry(child, path.join(dir, child), stat, skipped));
      }
    } finally {
      listing.closeSync();
    }
    for (const [child, stat] of subdirectories.sort(([a], [b]) => (a < b ? -1 : 1))) {
      entries.push({ path: child, type: 'directory', mode: stat.mode & 0o7777, size: 0 });
      const key = `${stat.dev}:${stat.ino}`;
      if (ancestors.has(key)) continue;
      if (depth + 1 >= MAX_DEPTH) throw tooLarge(`has directories more than ${MAX_DEPTH} levels deep (${child})`);
      walk(child, depth + 1, new Set([...ancestors, key]));
    }
  };
  walk('', 0, new Set([`${rootStat.dev}:${rootStat.ino}`]));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, skipped };
}

/** A file of the root; one phonedoc may not read is kept (its mode is checked) and listed as left out. */
function fileEntry(relative: string, absolute: string, stat: Stats, skipped: SkippedEntry[]): RootEntry {
  const entry: RootEntry = { path: relative, type: 'file', mode: stat.mode & 0o7777, size: stat.size };
  if (process.getuid?.() === 0) return entry;
  try {
    accessSync(absolute, constants.R_OK);
    return entry;
  } catch (err) {
    skipped.push({
      path: relative,
      reason: `phonedoc may not read it (${describe(err, 'unreadable')}): its content is not checked; run phonedoc as root or as the TFTP server's user`,
    });
    return { ...entry, unreadable: true };
  }
}

/**
 * What the server could serve at `absolute`: the stat of a file or directory, or the reason it
 * is left out; undefined when it is gone since it was listed.
 */
function reachedEntry(absolute: string, realRoot: string): { stat: Stats } | { skip: string } | undefined {
  let link: Stats;
  try {
    link = lstatSync(absolute);
  } catch (err) {
    return goneOrUnreachable(err);
  }
  if (link.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch (err) {
      return { skip: brokenLinkReason(err) };
    }
    if (!insideRoot(real, realRoot)) {
      return {
        skip: 'a symbolic link leading outside the root (tftpd --secure chroots into the root: a phone cannot reach its target)',
      };
    }
  }
  let stat: Stats;
  try {
    stat = link.isSymbolicLink() ? statSync(absolute) : link;
  } catch (err) {
    return goneOrUnreachable(err);
  }
  if (!stat.isDirectory() && !stat.isFile()) return { skip: `not a regular file (${specialKind(stat)})` };
  return { stat };
}

/** The root as the checks and the boot prediction see it: lookups by path and by letter case, modes, reads. */
function rootOf(place: RootPlace, rootMode: number, entries: RootEntry[], skipped: SkippedEntry[]): TftpRoot {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const byLowerPath = new Map<string, RootEntry[]>();
  for (const e of entries) {
    const key = e.path.toLowerCase();
    const same = byLowerPath.get(key);
    if (same) same.push(e);
    else byLowerPath.set(key, [e]);
  }
  const closedDirectories = (relative: string): string[] => {
    const closed = (rootMode & WORLD_SEARCHABLE) === 0 ? ['.'] : [];
    const parts = relative.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = byPath.get(parts.slice(0, i).join('/'));
      if (parent && (parent.mode & WORLD_SEARCHABLE) === 0) closed.push(parent.path);
    }
    return closed;
  };
  const servable = (relative: string): boolean => {
    const e = byPath.get(relative);
    return e !== undefined && (e.mode & WORLD_READABLE) !== 0 && closedDirectories(relative).length === 0;
  };
  const read = keptReader(place, byPath);
  return {
    dir: place.dir,
    rootMode,
    entries,
    skipped,
    entry: (relative) => byPath.get(relative),
    read,
    caseVariants: (relative) => (byLowerPath.get(relative.toLowerCase()) ?? []).filter((e) => e.path !== relative),
    closedDirectories,
    servable,
    lookup: (name) => {
      const relative = rootPath(name);
      // A closed directory on the way refuses the request before the file is even looked for (EACCES).
      if (relative === undefined || closedDirectories(relative).length > 0) return 'denied';
      const e = byPath.get(relative);
      if (e?.type !== 'file') return 'not-found';
      if (!servable(relative)) return 'denied';
      return { size: e.size, read: () => read(relative) };
    },
  };
}

/** Reads files of the root; a live session analyses again and again: small files (configs) are read from disk once per snapshot. */
function keptReader(place: RootPlace, byPath: ReadonlyMap<string, RootEntry>): (relative: string) => Uint8Array {
  const kept = new Map<string, Uint8Array>();
  let keptBytes = 0;
  return (relative) => {
    const known = kept.get(relative);
    if (known) return known;
    if (!byPath.has(relative)) throw new InputError(`TFTP root ${place.dir}: ${relative} is not a file of the root.`);
    const bytes = readCapped(place, relative);
    if (bytes.length <= KEPT_FILE_BYTES && keptBytes + bytes.length <= KEPT_TOTAL_BYTES) {
      kept.set(relative, bytes);
      keptBytes += bytes.length;
    }
    return bytes;
  };
}

/** Reads a file of the root whole after checking its size on the open descriptor (no string, no read past the cap). */
function readCapped({ dir, realRoot }: RootPlace, relative: string): Uint8Array {
  let fd: number;
  try {
    // Non-blocking: a FIFO put in place of the file since the listing cannot hang the open.
    fd = openInside(path.join(dir, relative), realRoot, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(`TFTP root ${dir}: ${relative} cannot be read: ${describe(err, 'unreadable')}.`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`TFTP root ${dir}: ${relative} is no longer a regular file.`);
    const { size } = stat;
    if (size > READ_FILE_CAP_BYTES) {
      throw new InputError(
        `TFTP root ${dir}: ${relative} is ${size} bytes, over phonedoc's cap of ${READ_FILE_CAP_BYTES} bytes (1 MiB) for a file it reads whole; phone configuration files are kilobytes: check what this file is.`,
      );
    }
    const bytes = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

function insideRoot(real: string, realRoot: string): boolean {
  return real === realRoot || real.startsWith(realRoot === '/' ? '/' : `${realRoot}/`);
}

/**
 * Opens `absolute` and checks what was opened, not the path: a link swapped in since the
 * listing (to /etc/passwd, to /) is caught on the descriptor. Where the system cannot say
 * what a descriptor is (no /proc), the path is resolved again just after opening.
 */
function openInside(absolute: string, realRoot: string, flags: number): number {
  const fd = openSync(absolute, flags);
  let opened: string;
  try {
    opened = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    opened = realpathSync(absolute);
  }
  if (!insideRoot(opened, realRoot)) {
    closeSync(fd);
    throw Object.assign(new Error('it leads outside the root since it was listed (a link changed)'), {
      code: 'OUTSIDE_ROOT',
    });
  }
  return fd;
}

/** A directory of the root listed through the descriptor openInside checked. */
function openDirectoryInside(absolute: string, realRoot: string): Dir {
  const fd = openInside(absolute, realRoot, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NONBLOCK);
  try {
    return opendirSync(`/proc/self/fd/${fd}`, { bufferSize: 256 });
  } catch {
    return opendirSync(absolute, { bufferSize: 256 });
  } finally {
    closeSync(fd);
  }
}

/** Nothing for an entry gone since it was listed; otherwise why it cannot be looked at (a path too long…). */
function goneOrUnreachable(err: unknown): { skip: string } | undefined {
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
  return { skip: `phonedoc cannot look at it: ${describe(err, 'unreadable')}` };
}

/** Why a symbolic link reaches no file: a loop, a name too long, or nothing there. */
function brokenLinkReason(err: unknown): string {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'ELOOP':
      return 'a symbolic link loop (it leads back to itself)';
    case 'ENAMETOOLONG':
      return 'a symbolic link whose target is a name too long for the system';
    case 'EACCES':
      return 'a symbolic link through a folder lint may not search';
    default:
      return 'a symbolic link to nothing (dangling)';
  }
}

function specialKind(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'a special file';
}

function describe(err: unknown, fallback: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'ENAMETOOLONG') return 'the path is longer than the system allows';
  if (code === 'OUTSIDE_ROOT' && err instanceof Error) return err.message;
  return err instanceof Error ? `${fallback} (${err.message})` : fallback;
}
