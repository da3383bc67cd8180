/**
 * A tar archive (POSIX ustar, with GNU long names and pax records) read as a stream and written
 * through the Unpacker: every header's checksum is checked, sizes may be octal or base-256, and
 * the bytes of an entry that is not written are passed over in pieces, never held whole.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { InputError } from '../exit-codes.js';
import type { Unpacker } from './archive-unpacker.js';
import { GzipDamage, gunzipMembers } from './gzip-members.js';

const BLOCK = 512;
const PIECE_BYTES = 1024 * 1024;
/** A GNU long name or a pax record set: names and a few numbers, never this large in a real archive. */
const MAX_META_BYTES = 1024 * 1024;

/** Reads exactly `n` bytes from a stream's async iterator, keeping the rest for later; counts what was taken. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private done = false;
  /** Bytes taken so far: the offset of the next byte in the (decompressed) archive. */
  offset = 0;
  constructor(private readonly iterator: AsyncIterator<Buffer>) {}

  /** True once the stream has ended and every byte was taken. */
  get drained(): boolean {
    return this.done && this.length === 0;
  }

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
    this.offset += n;
    return all.subarray(0, n);
  }

  /** `n` bytes in pieces of at most PIECE_BYTES; `ended()` is thrown when the stream ends first. */
  async *pieces(n: number, ended: () => Error): AsyncGenerator<Buffer> {
    for (let left = n; left > 0; ) {
      const piece = await this.take(Math.min(left, PIECE_BYTES));
      if (piece === undefined) throw ended();
      left -= piece.length;
      yield Buffer.from(piece);
    }
  }
}

/** A header's number field: octal text, or base-256 (GNU and star, first byte 0x80; 0xff is negative). */
function tarNumber(block: Buffer, at: number, length: number, what: string): number {
  const first = block[at] ?? 0;
  if (first === 0xff) throw new Error(`a negative ${what}`);
  if (first === 0x80) {
    let value = 0;
    for (let i = at + 1; i < at + length; i++) value = value * 256 + (block[i] ?? 0);
    if (!Number.isSafeInteger(value)) throw new Error(`a ${what} too large to be real`);
    return value;
  }
  const text = block
    .subarray(at, at + length)
    .toString('latin1')
    .replace(/\0.*$/s, '')
    .trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`${JSON.stringify(text)} where an octal ${what} was expected`);
  return parseInt(text, 8);
}

const cString = (block: Buffer, at: number, length: number): string =>
  block
    .subarray(at, at + length)
    .toString('utf8')
    .replace(/\0.*$/s, '');

/** The header's checksum: the sum of its bytes with the checksum field read as spaces (signed sums too). */
function checksumMatches(header: Buffer): boolean {
  const stored = tarNumber(header, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** What an entry of a pax extended header changes in the next entry. */
interface PaxRecords {
  path?: string;
  size?: number;
  sparse?: boolean;
}

/** The `length key=value\n` records of a pax extended header (the length counts bytes). */
function paxRecords(data: Buffer): PaxRecords {
  const records: PaxRecords = {};
  for (let at = 0; at < data.length; ) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.subarray(at, space).toString('latin1'));
    const equals = data.indexOf(0x3d, space);
    if (
      space < 0 ||
      !Number.isSafeInteger(length) ||
      equals < 0 ||
      at + length <= equals + 1 ||
      at + length > data.length
    )
      throw new Error(`a pax extended header with a damaged record at its byte ${at}`);
    const key = data.subarray(space + 1, equals).toString('utf8');
    const value = data.subarray(equals + 1, at + length - 1).toString('utf8');
    // A pax sparse file's own name is in GNU.sparse.name (its path is GNUSparseFile.N/…).
    if (key === 'path' || key === 'GNU.sparse.name') records.path = value;
    if (key === 'size') {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
        throw new Error(`a pax size of ${JSON.stringify(value)}`);
      records.size = Number(value);
    }
    if (key.startsWith('GNU.sparse.')) records.sparse = true;
    at += length;
  }
  return records;
}

const REGULAR_TYPES = new Set(['0', '7']);
const OTHER_TYPES: Readonly<Record<string, string>> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO',
  S: 'a sparse file',
  V: 'a volume label',
  M: 'the continuation of a file from another volume',
};

interface TarHeader {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

/** The fields of one header block, its checksum checked. */
function readHeader(header: Buffer, pending: PaxRecords): TarHeader {
  if (!checksumMatches(header)) throw new Error('its checksum does not match (not a tar header, or damaged)');
  const size = pending.size ?? tarNumber(header, 124, 12, 'size');
  const prefix = cString(header, 345, 155);
  const name = pending.path ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100));
  const type = String.fromCharCode(header[156] || 0x30);
  return { name, type, size };
}

/**
 * Unpacks the tar (or, `gzipped`, tar.gz) archive `file`. The gzip layer is read as gunzip reads
 * it (gzip-members.ts): bytes after it are not read once the tar has ended, damage is named.
 */
export async function unpackTar(file: string, gzipped: boolean, unpacker: Unpacker): Promise<void> {
  const handle = await open(file, 'r');
  const chunks = gzipped ? gunzipMembers(handle, PIECE_BYTES) : rawChunks(handle);
  try {
    await readTarEntries(chunks, unpacker);
  } catch (error) {
    if (!(error instanceof GzipDamage)) throw error;
    throw new InputError(`${file}: ${error.message}, at compressed byte ${error.compressedOffset}`);
  } finally {
    // Stops reading what follows the tar's end.
    await chunks.return(undefined);
    await handle.close();
  }
}

async function* rawChunks(handle: FileHandle): AsyncGenerator<Buffer> {
  for (let position = 0; ; ) {
    const buffer = Buffer.allocUnsafe(PIECE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, PIECE_BYTES, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

async function readTarEntries(chunks: AsyncIterator<Buffer>, unpacker: Unpacker): Promise<void> {
  const queue = new ByteQueue(chunks);
  const archive = unpacker.archive;
  let pending: PaxRecords = {};
  for (;;) {
    const at = queue.offset;
    const block = await queue.take(BLOCK);
    // Some writers leave out the two zero blocks: an end after a whole entry is the end.
    if (block === undefined && queue.drained) return;
    if (block === undefined) throw new InputError(`${archive}: the tar archive ends in the middle of a header`);
    if (block.every((b) => b === 0)) return;
    let header: TarHeader;
    try {
      header = readHeader(block, pending);
    } catch (error) {
      throw new InputError(`${archive}: the tar header at byte ${at} is damaged: ${(error as Error).message}`);
    }
    const { name, type, size } = header;
    const ended = (): InputError =>
      new InputError(`${archive}: the tar archive ends in the middle of ${JSON.stringify(name)}`);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'x' || type === 'g' || type === 'K') {
      if (size > MAX_META_BYTES)
        throw new InputError(`${archive}: the tar header at byte ${at} has ${size} bytes of long name or pax records`);
      const data = await queue.take(padded);
      if (data === undefined) throw ended();
      try {
        if (type === 'L') pending = { ...pending, path: cString(data, 0, size) };
        if (type === 'x') pending = { ...pending, ...paxRecords(data.subarray(0, size)) };
      } catch (error) {
        throw new InputError(`${archive}: the tar header at byte ${at} is damaged: ${(error as Error).message}`);
      }
      continue;
    }
    const sparse = pending.sparse === true;
    pending = {};
    unpacker.count();
    const discard = async (): Promise<void> => {
      for await (const _ of queue.pieces(size, ended)) {
        /* passed over */
      }
    };
    if (REGULAR_TYPES.has(type) && !name.endsWith('/') && !sparse) {
      // Streamed in pieces: a large capture in the archive is never held whole.
      await unpacker.file(name, () => Readable.from(queue.pieces(size, ended)), discard, { size });
    } else {
      await discard();
      if (type === '5' || REGULAR_TYPES.has(type)) {
        if (sparse) unpacker.skip(name, 'a sparse file');
        else await unpacker.folder(name);
      } else unpacker.skip(name || '(no name)', OTHER_TYPES[type] ?? `an entry of type ${JSON.stringify(type)}`);
    }
    if (padded > size && (await queue.take(padded - size)) === undefined) throw ended();
  }
}
