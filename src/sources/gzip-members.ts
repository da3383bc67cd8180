/**
 * A gzip file (RFC 1952) decompressed member by member, as gunzip reads it: concatenated members
 * are one stream, each member's CRC-32 and length are checked, zero bytes after the last member
 * are padding. Anything else after it, and damage, is thrown as GzipDamage only after every byte
 * before it was given (Node's own gunzip drops the last output when trailing bytes are not gzip).
 * Decompression far beyond what a capture compresses to (a compression bomb) is stopped.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import { GZIP_MAGIC, startsWithMagic } from './capture-input.js';
import { bytesAt } from './bytes-at.js';

/** Damage found in the gzip layer; `compressedOffset` is how far the compressed file was read. */
export class GzipDamage extends Error {
  constructor(
    message: string,
    readonly compressedOffset: number,
  ) {
    super(message);
  }
}

/** Enough for a member header with a file name and a comment of any real length. */
const HEADER_READ_BYTES = 64 * 1024;
/**
 * Captures compress a few times (about 10 times for a synthetic site capture); deflate at most
 * about 1,000 times. Past BOMB_FLOOR_BYTES of output, more than BOMB_RATIO times is not a capture.
 */
const BOMB_RATIO = 200;
const BOMB_FLOOR_BYTES = 256 * 1024 * 1024;

const FLAG_HCRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;

/** The length of the member header at the start of `bytes`, or what is wrong with it. */
function headerLength(bytes: Buffer): number | string {
  if (bytes.length < 10) return 'is cut short';
  if (!startsWithMagic(bytes, GZIP_MAGIC)) return 'does not start with the gzip magic number 1f 8b';
  if (bytes[2] !== 8) return `gives compression method ${bytes[2]} (gzip has only 8, deflate)`;
  const flags = bytes[3] ?? 0;
  let at = 10;
  if (flags & FLAG_EXTRA) at += 2 + (at + 2 <= bytes.length ? bytes.readUInt16LE(at) : 0);
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if (!(flags & flag)) continue;
    const nul = bytes.indexOf(0, at);
    if (nul < 0) return `holds a file name or comment longer than ${HEADER_READ_BYTES} bytes, or is cut short`;
    at = nul + 1;
  }
  if (flags & FLAG_HCRC) at += 2;
  return at <= bytes.length ? at : 'is cut short';
}

/** Whether the file holds only zero bytes from `position` to its end (padding, as gunzip takes it). */
async function zerosToEnd(file: FileHandle, position: number): Promise<boolean> {
  for (let at = position; ; ) {
    const bytes = await bytesAt(file, at, HEADER_READ_BYTES);
    if (bytes.length === 0) return true;
    if (bytes.some((b) => b !== 0)) return false;
    at += bytes.length;
  }
}

interface MemberEnd {
  /** Compressed bytes of the member's deflate data. */
  readonly consumed: number;
  readonly crc: number;
  readonly length: number;
}

/** The deflate data of one member from `start`, inflated as it is read. */
async function* inflateMember(
  file: FileHandle,
  start: number,
  chunkBytes: number,
  tooMuch: (compressedRead: number, length: number) => string | undefined,
): AsyncGenerator<Buffer, MemberEnd> {
  let readSoFar = 0;
  async function* compressed(): AsyncGenerator<Buffer> {
    for (;;) {
      const bytes = await bytesAt(file, start + readSoFar, chunkBytes);
      if (bytes.length === 0) return;
      readSoFar += bytes.length;
      yield bytes;
    }
  }
  const source = Readable.from(compressed(), { highWaterMark: 1 });
  const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
  source.on('error', (error) => inflate.destroy(error));
  source.pipe(inflate);
  let crc = 0;
  let length = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      length += chunk.length;
      const bomb = tooMuch(start + inflate.bytesWritten, length);
      if (bomb !== undefined) throw new GzipDamage(bomb, start + inflate.bytesWritten);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof GzipDamage) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new GzipDamage(
      code === 'Z_BUF_ERROR'
        ? 'the gzip file ends early'
        : `the gzip data is damaged (${error instanceof Error ? error.message : String(error)})`,
      start + inflate.bytesWritten,
    );
  } finally {
    source.unpipe(inflate);
    source.destroy();
  }
  return { consumed: inflate.bytesWritten, crc, length };
}

/** The decompressed bytes of the gzip file `file`, member after member. */
export async function* gunzipMembers(file: FileHandle, chunkBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  const tooMuch = (compressedRead: number, length: number): string | undefined =>
    total + length > BOMB_FLOOR_BYTES && total + length > BOMB_RATIO * compressedRead
      ? `the gzip data inflates more than ${BOMB_RATIO}-fold (${total + length} bytes from ${compressedRead} ` +
        'compressed bytes), which no capture or ticket does: a compression bomb? If it is not, decompress ' +
        'it yourself (gunzip -k) and give the decompressed file'
      : undefined;
  for (let position = 0, member = 0; ; member++) {
    const head = await bytesAt(file, position, HEADER_READ_BYTES);
    if (member > 0 && head.length === 0) return;
    if (member > 0 && !startsWithMagic(head, GZIP_MAGIC)) {
      if (await zerosToEnd(file, position)) return;
      throw new GzipDamage(
        `the bytes after the gzip data (from compressed byte ${position}) are not gzip data (trailing garbage)`,
        position,
      );
    }
    const length = headerLength(head);
    if (typeof length === 'string')
      throw new GzipDamage(`the gzip member header at compressed byte ${position} ${length}`, position);
    const end = yield* inflateMember(file, position + length, chunkBytes, tooMuch);
    const trailerAt = position + length + end.consumed;
    const trailer = await bytesAt(file, trailerAt, 8);
    if (trailer.length < 8) throw new GzipDamage('the gzip file ends early', trailerAt + trailer.length);
    if (trailer.readUInt32LE(0) !== end.crc || trailer.readUInt32LE(4) !== end.length % 2 ** 32)
      throw new GzipDamage('the gzip data is damaged (its CRC-32 or length does not match)', trailerAt);
    total += end.length;
    position = trailerAt + 8;
  }
}
