import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CaptureReader } from '../../parsers/capture/reader.js';
import { InputError } from '../exit-codes.js';
import { GzipDamage, gunzipMembers } from './gzip-members.js';

export interface CaptureInputOptions {
  /**
   * Keep reading a file that is still being written (a live capture by tcpdump -w):
   * wait for new bytes until `signal` aborts. Standard input is always read this way.
   */
  follow?: boolean;
  /** Stops reading. With `follow` (and for standard input) this is the normal end of the input. */
  signal?: AbortSignal;
  /** Bytes per read from a file; default 1 MiB. */
  chunkBytes?: number;
  /** The stream read for the path '-'; default `process.stdin`. */
  stdin?: Readable;
  /**
   * Awaited after each chunk is fed: lets the consumer write out what the chunk produced
   * (and wait for a slow reader of its output) before more input is read.
   */
  afterChunk?: () => Promise<void>;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** How often a followed file is checked for new bytes. */
const FOLLOW_POLL_MS = 100;

/**
 * Reads a capture from a path, or from standard input when path is '-', feeding `reader`
 * chunk by chunk with back-pressure; resolves when done.
 *
 * Calls `reader.end()` when the input has ended: at the end of the file or stream, or,
 * when following (and for standard input), once the signal has aborted and the bytes
 * already written have been read. Reading a plain file stops early, without `end()`,
 * if the signal aborts. Memory stays flat whatever the size of the input.
 */
export async function readCaptureInto(
  path: string,
  reader: CaptureReader,
  options: CaptureInputOptions = {},
): Promise<void> {
  if (path === '-') return readStream(options.stdin ?? process.stdin, reader, options.signal, options.afterChunk);
  const file = await openCapture(path);
  try {
    const compression = await compressionOf(file, path);
    if (compression === 'gzip') await readGzip(file, reader, options);
    else if (options.follow === true) await readFile(file, path, reader, options);
    else await readAhead(file, path, reader, options);
  } finally {
    await file.close();
  }
}

async function openCapture(path: string): Promise<FileHandle> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new InputError(`cannot read capture ${path}: ${fileErrorReason(error)}`);
  }
  const stats = await file.stat();
  if (stats.isDirectory()) {
    await file.close();
    throw new InputError(`cannot read capture ${path}: it is a directory, not a capture file`);
  }
  return file;
}

/**
 * gzip (RFC 1952 2.3.1) and zstd (RFC 8878 3.1.1) magic numbers; a
 * capture is recognised by content, whatever its name.
 */
export const GZIP_MAGIC: readonly number[] = [0x1f, 0x8b];
export const ZSTD_MAGIC: readonly number[] = [0x28, 0xb5, 0x2f, 0xfd];

export const startsWithMagic = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

async function compressionOf(file: FileHandle, path: string): Promise<'gzip' | undefined> {
  const head = Buffer.alloc(4);
  let bytesRead: number;
  try {
    // A positioned read leaves the file position at the start for the read proper.
    ({ bytesRead } = await file.read(head, 0, 4, 0));
  } catch (error) {
    throw new InputError(`cannot read capture ${path}: ${fileErrorReason(error)}`);
  }
  const read = head.subarray(0, bytesRead);
  if (startsWithMagic(read, GZIP_MAGIC)) return 'gzip';
  if (startsWithMagic(read, ZSTD_MAGIC)) {
    throw new InputError(
      `cannot read capture ${path}: it is zstd-compressed, ` +
        `which Node 20 cannot decompress; run zstd -d ${path} and give the decompressed file`,
    );
  }
  return undefined;
}

/**
 * A gzip-compressed capture, decompressed as it is read (memory stays flat; gzip-members.ts). A
 * file cut short, damaged, or followed by bytes that are not gzip, is reported by the reader as
 * capture damage at the decompressed offset reached, after every frame before it was delivered.
 */
async function readGzip(file: FileHandle, reader: CaptureReader, options: CaptureInputOptions): Promise<void> {
  try {
    for await (const chunk of gunzipMembers(file, options.chunkBytes ?? DEFAULT_CHUNK_BYTES)) {
      if (options.signal?.aborted === true) break;
      reader.feed(chunk);
      if (options.afterChunk !== undefined) await options.afterChunk();
      if (reader.stopped) break;
    }
  } catch (error) {
    if (!(error instanceof GzipDamage)) throw error;
    reader.fail(
      `${error.message}, after ${error.compressedOffset} compressed bytes; ` +
        `byte offsets count in the decompressed capture, and what came before was read`,
    );
    return;
  }
  reader.end();
}

/** Why a file could not be opened or read, in words (`permission denied`). */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory, not a capture file';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A whole file, reading the next chunk while the current one is decoded: the disk (or page
 * cache) and the decoder work at the same time instead of taking turns.
 */
async function readAhead(
  file: FileHandle,
  path: string,
  reader: CaptureReader,
  options: CaptureInputOptions,
): Promise<void> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const next = (): Promise<{ bytesRead: number; buffer: Buffer }> =>
    file.read(Buffer.allocUnsafe(chunkBytes), 0, chunkBytes, null).catch((error: unknown) => {
      throw new InputError(`cannot read capture ${path}: ${fileErrorReason(error)}`);
    });
  let ahead = next();
  try {
    for (;;) {
      if (options.signal?.aborted === true) return;
      const { bytesRead, buffer } = await ahead;
      if (bytesRead === 0) break;
      // Frames point into the chunk fed: each read has a buffer of its own.
      ahead = next();
      reader.feed(buffer.subarray(0, bytesRead));
      if (options.afterChunk !== undefined) await options.afterChunk();
      if (reader.stopped) break;
    }
  } finally {
    // The file is closed after this returns: no read may still be running on it.
    await ahead.catch(() => undefined);
  }
  reader.end();
}

async function readFile(
  file: FileHandle,
  path: string,
  reader: CaptureReader,
  options: CaptureInputOptions,
): Promise<void> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const { follow = false, signal } = options;
  let buffer = Buffer.allocUnsafe(chunkBytes);
  for (;;) {
    if (signal?.aborted === true && !follow) return;
    // Abort was seen before this read: what it returns is the last of the file.
    const last = signal?.aborted === true;
    let bytesRead: number;
    try {
      // Position null: read on from the current position, which also works for pipes and devices.
      ({ bytesRead } = await file.read(buffer, 0, chunkBytes, null));
    } catch (error) {
      throw new InputError(`cannot read capture ${path}: ${fileErrorReason(error)}`);
    }
    if (bytesRead > 0) {
      if (bytesRead < chunkBytes / 2) {
        // A small read (typical when following): copy it, so that frames do not pin a whole chunk.
        reader.feed(new Uint8Array(buffer.subarray(0, bytesRead)));
      } else {
        // Frames point into what was fed: the next read needs a fresh buffer.
        reader.feed(buffer.subarray(0, bytesRead));
        buffer = Buffer.allocUnsafe(chunkBytes);
      }
      if (options.afterChunk !== undefined) await options.afterChunk();
      if (reader.stopped) break;
      continue;
    }
    if (!follow || last) break;
    try {
      await sleep(FOLLOW_POLL_MS, undefined, signal === undefined ? undefined : { signal });
    } catch {
      // Aborted while waiting: one more read takes what was written meanwhile.
    }
  }
  reader.end();
}

function readStream(
  stream: Readable,
  reader: CaptureReader,
  signal: AbortSignal | undefined,
  afterChunk: (() => Promise<void>) | undefined,
): Promise<void> {
  if ((stream as { isTTY?: boolean }).isTTY === true) {
    return Promise.reject(
      new InputError(
        'cannot read a capture from standard input: it is a terminal; ' +
          'pipe a capture into it (for example tcpdump -w - | phonedoc ...) or give a file name',
      ),
    );
  }
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const feed = (chunk: Buffer | string): void => {
      reader.feed(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    };
    // The reader takes each chunk synchronously, so the stream never holds more than its own buffer.
    const onData = (chunk: Buffer | string): void => {
      feed(chunk);
      if (reader.stopped) {
        finish();
        return;
      }
      if (afterChunk !== undefined) {
        stream.pause();
        afterChunk().then(() => {
          if (!settled) stream.resume();
        }, fail);
      }
    };
    const onAbort = (): void => {
      stream.off('data', onData);
      stream.pause();
      // What the writer had already sent is still part of the capture.
      for (
        let chunk = stream.read() as Buffer | string | null;
        chunk !== null && !reader.stopped;
        chunk = stream.read() as Buffer | string | null
      ) {
        feed(chunk);
      }
      finish();
    };
    const onError = (error: Error): void => {
      fail(new InputError(`cannot read a capture from standard input: ${fileErrorReason(error)}`));
    };
    const cleanup = (): void => {
      settled = true;
      stream.off('data', onData);
      stream.off('end', finish);
      stream.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      stream.pause();
    };
    /** An error of the stream, or of the consumer's `afterChunk` (passed on as it is). */
    function fail(error: unknown): void {
      if (settled) return;
      cleanup();
      reject(error);
    }
    function finish(): void {
      if (settled) return;
      cleanup();
      reader.end();
      resolve();
    }
    stream.on('end', finish);
    stream.on('error', onError);
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
  });
}
