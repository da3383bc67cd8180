/**
 * A ticket sent as an archive (.zip, .tar, .tar.gz / .tgz, recognised by content) unpacked into
 * a new temporary folder by phonedoc's own small readers — no system tool: only regular files
 * and folders are written, under names made of plain path parts (no absolute path, no `..`, no
 * drive letter), each file created exclusively, so nothing outside the folder is written or
 * followed; links and devices are skipped. Sizes are counted as written and capped, so an
 * archive bomb stops with a clear error.
 */
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createInflateRaw } from 'node:zlib';
import { InputError } from '../exit-codes.js';
import { GZIP_MAGIC, startsWithMagic } from './capture-input.js';
import { gunzipHead } from './input-kind.js';

/** Everything unpacked from one archive, at most. */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
export const MAX_ENTRIES = 10_000;

export type ArchiveKind = 'zip' | 'tar' | 'tar.gz';

export interface UnpackedArchive {
  readonly dir: string;
  readonly files: number;
  /** Entries not written, with the reason (`link.txt: a symbolic link`). */
  readonly skipped: readonly string[];
  remove(): Promise<void>;
}

const isUstar = (head: Uint8Array): boolean =>
  head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar';

/** The archive kind of a file from its first bytes (at least 512), or undefined. */
export function archiveKind(head: Uint8Array): ArchiveKind | undefined {
  if (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
  )
    return 'zip';
  if (isUstar(head)) return 'tar';
  if (startsWithMagic(head, GZIP_MAGIC) && isUstar(gunzipHead(head))) return 'tar.gz';
  return undefined;
}

/** A relative path of plain parts, or undefined when the name could point outside the folder. */
export function safeRelativePath(name: string): string | undefined {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return undefined;
  const parts = name.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..' || /[\x00-\x1f]/.test(p))) return undefined;
  return parts.join('/');
}

class Unpacker {
  written = 0;
  files = 0;
  entries = 0;
  readonly skipped: string[] = [];

  constructor(
    readonly archive: string,
    readonly dir: string,
  ) {}

  count(): void {
    if (++this.entries > MAX_ENTRIES)
      throw new InputError(`${this.archive}: more than ${MAX_ENTRIES} entries; unpack it yourself and give the folder`);
  }

  /** Writes `source` as the file `name` inside the folder, counting its bytes against the cap. */
  async file(name: string, source: Readable): Promise<void> {
    const relative = safeRelativePath(name);
    if (relative === undefined) {
      for await (const _ of source) {
        /* read past it */
      }
      const why = /[\x00-\x1f]/.test(name) ? 'holds a control character' : 'points outside the folder';
      this.skipped.push(`${JSON.stringify(name)}: a name that ${why}`);
      return;
    }
    const target = path.join(this.dir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    const cap = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.written += chunk.length;
        if (this.written > MAX_UNPACKED_BYTES) {
          done(
            new InputError(
              `${this.archive}: unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB; ` +
                `unpack it yourself and give the folder`,
            ),
          );
        } else done(null, chunk);
      },
    });
    await pipeline(source, cap, createWriteStream(target, { flags: 'wx' }));
    this.files++;
  }

  folder(name: string): Promise<unknown> {
    const relative = safeRelativePath(name);
    return relative === undefined ? Promise.resolve() : mkdir(path.join(this.dir, relative), { recursive: true });
  }
}

/** Unpacks `file` (of `kind`) into a new temporary folder; the caller removes it when done. */
export async function unpackArchive(file: string, kind: ArchiveKind): Promise<UnpackedArchive> {
  const dir = await mkdtemp(path.join(tmpdir(), 'phonedoc-ticket-'));
  // Also when the process ends early (a reader of the output closed the pipe).
  const onExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', onExit);
  const remove = (): Promise<void> => {
    process.off('exit', onExit);
    return rm(dir, { recursive: true, force: true });
  };
  const unpacker = new Unpacker(file, dir);
  try {
    if (kind === 'zip') await unpackZip(file, unpacker);
    else
      await unpackTar(
        kind === 'tar.gz' ? createReadStream(file).pipe(createGunzip()) : createReadStream(file),
        unpacker,
      );
  } catch (error) {
    await remove();
    if (error instanceof InputError) throw error;
    throw new InputError(
      `${file}: cannot unpack the ${kind} archive (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return { dir, files: unpacker.files, skipped: unpacker.skipped, remove };
}

// ---- tar (POSIX ustar, with GNU long names and pax path records) ----

const BLOCK = 512;
const PIECE_BYTES = 1024 * 1024;

function octal(block: Buffer, at: number, length: number): number {
  const text = block
    .subarray(at, at + length)
    .toString('latin1')
    .replace(/\0.*$/s, '')
    .trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text))
    throw new InputError(`a tar header holds ${JSON.stringify(text)} where an octal number was expected`);
  return parseInt(text, 8);
}

const cString = (block: Buffer, at: number, length: number): string =>
  block
    .subarray(at, at + length)
    .toString('utf8')
    .replace(/\0.*$/s, '');

/** Reads exactly `n` bytes from a paused stream's async iterator, keeping the rest for later. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(private readonly iterator: AsyncIterator<Buffer>) {}

  async take(n: number): Promise<Buffer | undefined> {
    while (this.length < n && !this.done) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else {
        this.chunks.push(next.value);
        this.length += next.value.length;
      }
    }
    if (this.length < n) return undefined;
    const [only, ...more] = this.chunks;
    const all = only !== undefined && more.length === 0 ? only : Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.length = all.length - n;
    return all.subarray(0, n);
  }
}

async function unpackTar(stream: Readable, unpacker: Unpacker): Promise<void> {
  const queue = new ByteQueue(stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  let longName: string | undefined;
  for (;;) {
    const header = await queue.take(BLOCK);
    if (header === undefined)
      throw new InputError(`${unpacker.archive}: the tar archive ends in the middle of a header`);
    if (header.every((b) => b === 0)) return;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = cString(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100));
    longName = undefined;
    const padding = Math.ceil(size / BLOCK) * BLOCK - size;
    const ended = (): InputError =>
      new InputError(`${unpacker.archive}: the tar archive ends in the middle of ${JSON.stringify(name)}`);
    if (type === 'L' || type === 'x' || type === 'g') {
      const data = await queue.take(size + padding);
      if (data === undefined) throw ended();
      const text = data.subarray(0, size).toString('utf8');
      if (type === 'L') longName = text.replace(/\0.*$/s, '');
      if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1];
      continue;
    }
    unpacker.count();
    if (type === '0' || type === '7') {
      // Streamed in pieces: a large capture in the archive is never held whole.
      async function* body(): AsyncGenerator<Buffer> {
        for (let left = size; left > 0; ) {
          const piece = await queue.take(Math.min(left, PIECE_BYTES));
          if (piece === undefined) throw ended();
          left -= piece.length;
          yield Buffer.from(piece);
        }
      }
      await unpacker.file(name, Readable.from(body()));
    } else {
      if (size > 0 && (await queue.take(size)) === undefined) throw ended();
      if (type === '5') await unpacker.folder(name);
      else
        unpacker.skipped.push(
          `${JSON.stringify(name || '(no name)')}: ` +
            `${type === '2' ? 'a symbolic link' : type === '1' ? 'a hard link' : 'not a regular file'}`,
        );
    }
    if (padding > 0 && (await queue.take(padding)) === undefined) throw ended();
  }
}

// ---- zip (APPNOTE 4.3: end of central directory, central directory, local headers) ----

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** A zip's central directory and its entry count, found through the end record at the end of the file. */
async function readZipDirectory(
  handle: FileHandle,
  size: number,
  file: string,
): Promise<{ directory: Buffer; count: number }> {
  // The end record is in the last 22 bytes plus a comment of up to 65535.
  const tailLength = Math.min(size, 22 + 65535);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      end = i;
      break;
    }
  if (end < 0) throw new InputError(`${file}: not a readable zip archive (no end of central directory record)`);
  const count = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (directoryOffset === 0xffffffff || count === 0xffff)
    throw new InputError(`${file}: a zip64 archive; unpack it yourself and give the folder`);
  return { directory: await readAt(handle, directoryOffset, directorySize), count };
}

async function unpackZip(file: string, unpacker: Unpacker): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const { directory, count } = await readZipDirectory(handle, size, file);
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE)
        throw new InputError(`${file}: the zip central directory is damaged at entry ${i + 1}`);
      const flags = directory.readUInt16LE(at + 8);
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const madeBy = directory.readUInt16LE(at + 4) >> 8;
      const externalAttributes = directory.readUInt32LE(at + 38);
      const localOffset = directory.readUInt32LE(at + 42);
      const name = directory.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
      at += 46 + nameLength + extraLength + commentLength;
      unpacker.count();
      const unixMode = madeBy === 3 ? externalAttributes >>> 16 : 0;
      const fileType = unixMode & 0o170000;
      if (name.endsWith('/')) {
        await unpacker.folder(name);
        continue;
      }
      if (fileType !== 0 && fileType !== 0o100000) {
        unpacker.skipped.push(
          `${JSON.stringify(name)}: ${fileType === 0o120000 ? 'a symbolic link' : 'not a regular file'}`,
        );
        continue;
      }
      if (flags & 0x1) {
        unpacker.skipped.push(`${JSON.stringify(name)}: encrypted`);
        continue;
      }
      if (method !== 0 && method !== 8) {
        unpacker.skipped.push(
          `${JSON.stringify(name)}: compression method ${method} (phonedoc reads stored and deflated entries)`,
        );
        continue;
      }
      const local = await readAt(handle, localOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE)
        throw new InputError(
          `${file}: the zip entry ${JSON.stringify(name)} has no local header at offset ${localOffset}`,
        );
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataStart + compressedSize > size)
        throw new InputError(`${file}: the zip entry ${JSON.stringify(name)} runs past the end of the file`);
      const raw =
        compressedSize === 0
          ? Readable.from([])
          : createReadStream('', {
              fd: handle.fd,
              start: dataStart,
              end: dataStart + compressedSize - 1,
              autoClose: false,
            });
      await unpacker.file(name, method === 8 ? raw.pipe(createInflateRaw()) : raw);
    }
  } finally {
    await handle.close();
  }
}
