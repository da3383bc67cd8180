/**
 * Writes the entries of an archive into its temporary folder, one rule for every archive kind:
 * a name is written only when it is a relative path of plain parts that fits the file system,
 * each file is created exclusively (never through a link, never over an earlier entry), and the
 * bytes written are counted against the caps. An entry that cannot be written is skipped and
 * listed with the reason; only damage and the caps stop the unpacking.
 */
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { InputError } from '../exit-codes.js';

/** Everything unpacked from one archive, at most. */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
export const MAX_ENTRIES = 10_000;
/** Longest name part most file systems take (NAME_MAX), and a whole name well inside PATH_MAX. */
const MAX_PART_BYTES = 255;
const MAX_NAME_BYTES = 3072;
/** Folders below the archive's top: far more than a ticket has (its folder is searched 3 deep). */
const MAX_NAME_DEPTH = 32;

/** An entry name as shown in a message: quoted, escaped, and cut when it is very long. */
export function shownName(name: string): string {
  return JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name);
}

/** The relative path an entry name is written at, or why it is not written. */
function entryPath(name: string): { path: string } | { problem: string } {
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) return { problem: 'an absolute name, outside the folder' };
  const parts = name.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) return { problem: 'an empty name' };
  if (parts.includes('..')) return { problem: 'a name that points outside the folder (a ".." part)' };
  if (/[\x00-\x1f\x7f]/.test(name)) return { problem: 'a name holding control characters' };
  if (parts.some((p) => Buffer.byteLength(p) > MAX_PART_BYTES))
    return { problem: `a name part longer than ${MAX_PART_BYTES} bytes` };
  if (parts.length > MAX_NAME_DEPTH) return { problem: `more than ${MAX_NAME_DEPTH} folders deep` };
  const relative = parts.join('/');
  if (Buffer.byteLength(relative) > MAX_NAME_BYTES) return { problem: `a name longer than ${MAX_NAME_BYTES} bytes` };
  return { path: relative };
}

/** What an archive says an entry holds (a tar its size, a zip also its CRC-32), checked as it is written. */
export interface DeclaredContent {
  readonly size: number;
  readonly crc32?: number;
}

/** File-system refusals that concern one entry only: it is skipped, the rest is unpacked. */
const ENTRY_ERRORS: Readonly<Record<string, string>> = {
  EEXIST: 'a name already unpacked (the same name, or one differing only in case on this file system)',
  ENOTDIR: 'a name below a file of the same name as its folder',
  EISDIR: 'a file where the archive has a folder of this name',
  ENAMETOOLONG: 'a name too long for this file system',
  EILSEQ: 'a name this file system cannot hold',
};

export class Unpacker {
  written = 0;
  files = 0;
  entries = 0;
  readonly skipped: string[] = [];
  private readonly filesWritten = new Set<string>();
  private readonly folders = new Set<string>();

  constructor(
    readonly archive: string,
    readonly dir: string,
  ) {}

  count(): void {
    if (++this.entries > MAX_ENTRIES)
      throw new InputError(`${this.archive}: more than ${MAX_ENTRIES} entries; unpack it yourself and give the folder`);
  }

  /** Stops before writing when `bytes` more would take the archive over the cap. */
  refuseOverCap(bytes: number, name?: string): void {
    if (this.written + bytes <= MAX_UNPACKED_BYTES) return;
    throw new InputError(
      `${this.archive}: unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB` +
        `${name === undefined ? '' : ` (at the entry ${shownName(name)})`}; unpack it yourself and give the folder`,
    );
  }

  /** Lists the entry as not unpacked, with the reason. */
  skip(name: string, reason: string): undefined {
    this.skipped.push(`${shownName(name)}: ${reason}`);
    return undefined;
  }

  /** The folder or file path to write `name` at, or undefined when it was skipped (and listed). */
  private place(name: string, as: 'file' | 'folder'): string | undefined {
    const where = entryPath(name);
    if ('problem' in where) return this.skip(name, where.problem);
    const relative = where.path;
    const parts = relative.split('/');
    const underFile = parts.some((_, i) => i > 0 && this.filesWritten.has(parts.slice(0, i).join('/')));
    if (underFile) return this.skip(name, ENTRY_ERRORS.ENOTDIR!);
    if (this.filesWritten.has(relative))
      return this.skip(name, as === 'file' ? 'a second entry of this name (the first is kept)' : ENTRY_ERRORS.EEXIST!);
    if (as === 'file' && this.folders.has(relative)) return this.skip(name, ENTRY_ERRORS.EISDIR!);
    return relative;
  }

  /** A refusal of the file system that concerns this entry alone is listed; any other stops the unpacking. */
  private refused(name: string, error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === undefined ? undefined : ENTRY_ERRORS[code];
    if (reason === undefined) {
      throw new InputError(
        `${this.archive}: cannot write the entry ${shownName(name)} into ${this.dir} ` +
          `(${error instanceof Error ? error.message : String(error)})`,
      );
    }
    this.skip(name, reason);
  }

  private async makeFolders(relative: string): Promise<void> {
    await mkdir(path.join(this.dir, relative), { recursive: true });
    const parts = relative.split('/');
    for (let i = 1; i <= parts.length; i++) this.folders.add(parts.slice(0, i).join('/'));
  }

  async folder(name: string): Promise<void> {
    // `./` (what `tar -C dir .` writes first) is the folder itself.
    if (name.split(/[\\/]/).every((part) => part === '' || part === '.')) return;
    const relative = this.place(name, 'folder');
    if (relative === undefined) return;
    await this.makeFolders(relative).catch((error: unknown) => this.refused(name, error));
  }

  /**
   * Writes the entry `name` from `body()`, counting its bytes against the cap (and, for a zip,
   * against what its directory declares); `discard()` passes over the entry's bytes when it is skipped.
   */
  async file(
    name: string,
    body: () => Readable,
    discard: () => Promise<void>,
    declared?: DeclaredContent,
  ): Promise<void> {
    if (declared !== undefined) this.refuseOverCap(declared.size, name);
    const relative = this.place(name, 'file');
    const target = relative === undefined ? undefined : await this.create(name, relative);
    if (relative === undefined || target === undefined) return await discard();
    try {
      await pipeline(body(), this.meter(name, declared), target.createWriteStream());
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(
        `${this.archive}: the entry ${shownName(name)} cannot be read ` +
          `(${error instanceof Error ? error.message : String(error)})`,
      );
    }
    this.filesWritten.add(relative);
    this.files++;
  }

  private async create(name: string, relative: string): Promise<FileHandle | undefined> {
    try {
      const parent = path.dirname(relative);
      if (parent !== '.') await this.makeFolders(parent);
      return await open(path.join(this.dir, relative), 'wx', 0o600);
    } catch (error) {
      this.refused(name, error);
      return undefined;
    }
  }

  /** Counts the bytes of one entry: the archive's cap, and the size and CRC-32 its directory declares. */
  private meter(name: string, declared: DeclaredContent | undefined): Transform {
    let size = 0;
    let crc = 0;
    const damaged = (what: string): InputError =>
      new InputError(`${this.archive}: the entry ${shownName(name)} is damaged (${what})`);
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.written += chunk.length;
        size += chunk.length;
        try {
          this.refuseOverCap(0, name);
        } catch (error) {
          return done(error as Error);
        }
        if (declared !== undefined && size > declared.size)
          return done(damaged(`it holds more than the ${declared.size} bytes its directory entry declares`));
        if (declared?.crc32 !== undefined) crc = crc32(chunk, crc);
        done(null, chunk);
      },
      flush: (done) => {
        if (declared === undefined) return done();
        if (size !== declared.size)
          return done(damaged(`it holds ${size} bytes, its directory entry declares ${declared.size}`));
        if (declared.crc32 !== undefined && crc !== declared.crc32)
          return done(damaged('its CRC-32 does not match its directory entry'));
        done();
      },
    });
  }
}
