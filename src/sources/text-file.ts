/**
 * Reading the text inputs (console logs, server logs) without ever building a string larger
 * than the input warrants: a server log is read line by line in 1 MiB chunks, each line cut
 * at LINE_CAP_BYTES; a console log, which is read whole, is refused above
 * WHOLE_TEXT_CAP_BYTES (checked from fstat before reading). Text is UTF-8 when the bytes are
 * valid UTF-8, else one character per byte (a single-byte code page).
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { InputError } from '../exit-codes.js';
import { decodeLogText, decodeText, type DecodedLog } from './text-encoding.js';

/**
 * A log line longer than this is cut there: syslog lines are at most a few
 * KiB (RFC 5424 §6.1 asks receivers for 2048 octets).
 */
export const LINE_CAP_BYTES = 64 * 1024;
/** A console log read whole: a phone's session log is kilobytes to a few megabytes. */
export const WHOLE_TEXT_CAP_BYTES = 64 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;

export interface TextLine {
  /** 1-based. */
  readonly line: number;
  /** Without the LF (and a CR before it). */
  readonly text: string;
  /** True when the line was longer than LINE_CAP_BYTES and `text` holds its start only. */
  readonly cut: boolean;
  /** Byte offset of the line's start in the file. */
  readonly offset: number;
  /** False for a last line with no LF after it. */
  readonly ended: boolean;
}

/** A named pipe with no program writing to it after this long: given up on (a writer opens it at once). */
export const FIFO_WRITER_WAIT_MS = 10_000;

/** What a path that is not a regular file or a pipe is, for the message refusing it. */
function deviceKind(info: Stats): string | undefined {
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return undefined;
}

function unreadable(file: string, what: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'ENXIO'
            ? 'it is a socket, which cannot be opened as a file: give the log file, or pipe it in (cat … |)'
            : (code ?? String(error));
  return new InputError(`cannot read ${what} ${file}: ${why}`);
}

/**
 * Opens a log to read to its end: a regular file, or a pipe (standard input, `<(command)`, a
 * FIFO) read as it is written. A directory or a device is refused; a FIFO no program opens for
 * writing within FIFO_WRITER_WAIT_MS is given up on instead of waited for for ever.
 */
async function openText(file: string, what: string): Promise<FileHandle> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    const device = deviceKind(info);
    if (device) throw new InputError(`cannot read ${what} ${file}: it is ${device}, not a file: give the log file`);
    return info.isFIFO() ? await openPipe(file, what) : await open(file, 'r');
  } catch (error) {
    throw unreadable(file, what, error);
  }
}

/** Opens a FIFO for reading, waiting at most FIFO_WRITER_WAIT_MS for a writer. */
async function openPipe(file: string, what: string): Promise<FileHandle> {
  const opening = open(file, 'r');
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'waited'>((resolve) => {
    timer = setTimeout(() => resolve('waited'), FIFO_WRITER_WAIT_MS);
  });
  const first = await Promise.race([opening, waited]);
  clearTimeout(timer);
  if (first !== 'waited') return first;
  // Opening the FIFO for writing ourselves ends the wait of the open above (it holds no thread for ever).
  const writer = await open(file, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
  await (await opening).close();
  await writer?.close();
  throw new InputError(
    `cannot read ${what} ${file}: it is a named pipe (FIFO) and no program opened it for writing ` +
      `within ${FIFO_WRITER_WAIT_MS / 1000} s: start the program that writes the log first, or give the log file`,
  );
}

/** Reads into `buffer` from the file's current position; a read error is an InputError naming the byte offset. */
async function readAt(handle: FileHandle, buffer: Buffer, file: string, what: string, offset: number): Promise<number> {
  try {
    return (await handle.read(buffer, 0, buffer.length, null)).bytesRead;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(`cannot read ${what} ${file} at byte ${offset}: ${code} (read error)`);
  }
}

/**
 * The whole file decoded, with its encoding and byte-order mark (for byte offsets); an InputError
 * naming the file and the cap when it is larger than WHOLE_TEXT_CAP_BYTES.
 */
export async function readWholeLog(file: string, what: string): Promise<DecodedLog> {
  return decodeLogText(await readWholeBytes(file, what));
}

/**
 * The whole file's bytes, at most WHOLE_TEXT_CAP_BYTES: checked from fstat before reading, and
 * counted as read (a pipe or a /proc file has no size; a file may grow while read).
 */
export async function readWholeBytes(file: string, what: string): Promise<Buffer> {
  const kept = pipesRead.get(file);
  if (kept) return kept;
  const handle = await openText(file, what);
  try {
    const { size } = await handle.stat();
    if (size > WHOLE_TEXT_CAP_BYTES) throw overCap(file, what, `is ${size} bytes`);
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const bytesRead = await readAt(handle, chunk, file, what, total);
      if (bytesRead === 0) return keepIfPipe(file, (await handle.stat()).isFIFO(), Buffer.concat(parts, total));
      total += bytesRead;
      if (total > WHOLE_TEXT_CAP_BYTES) throw overCap(file, what, `holds more than ${WHOLE_TEXT_CAP_BYTES} bytes`);
      parts.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/**
 * What was read whole from a pipe (standard input, `<(command)`), which gives its bytes once:
 * a second reader of the same input (the ticket bundle's console.log) gets them from here.
 */
const pipesRead = new Map<string, Buffer>();

function keepIfPipe(file: string, pipe: boolean, bytes: Buffer): Buffer {
  if (pipe) pipesRead.set(file, bytes);
  return bytes;
}

function overCap(file: string, what: string, size: string): InputError {
  return new InputError(
    `${what} ${file} ${size}, over phonedoc's cap of ${WHOLE_TEXT_CAP_BYTES} bytes (64 MiB) ` +
      `for a ${what}: give the part around the phone's boot.`,
  );
}

/** Opens the file (an InputError when it cannot be read) for `lines`; `modified` is its mtime. */
export async function openTextLines(
  file: string,
  what: string,
): Promise<{ modified: Date; lines: AsyncGenerator<TextLine> }> {
  const handle = await openText(file, what);
  return { modified: (await handle.stat()).mtime, lines: textLines(handle, file, what) };
}

/**
 * The file's LF-ended lines, read in chunks (a byte-order mark before the
 * first line dropped); closes the file at the end.
 */
async function* textLines(handle: FileHandle, file: string, what: string): AsyncGenerator<TextLine> {
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let parts: Buffer[] = [];
    let kept = 0;
    let cut = false;
    let line = 0;
    let offset = 0;
    let length = 0;
    const take = (ended: boolean): TextLine => {
      let bytes = Buffer.concat(parts, kept);
      let start = offset;
      if (line === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
        start += 3;
      }
      if (bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, -1);
      const result = { line: ++line, text: decodeText(bytes), cut, offset: start, ended };
      offset += length + (ended ? 1 : 0);
      parts = [];
      kept = 0;
      length = 0;
      cut = false;
      return result;
    };
    const keep = (bytes: Buffer): void => {
      length += bytes.length;
      const room = LINE_CAP_BYTES - kept;
      if (bytes.length > room) cut = true;
      if (room > 0) {
        const part = Buffer.from(bytes.subarray(0, Math.min(room, bytes.length)));
        parts.push(part);
        kept += part.length;
      }
    };
    for (;;) {
      const bytesRead = await readAt(handle, chunk, file, what, offset + length);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      let from = 0;
      for (let end = data.indexOf(0x0a, from); end >= 0; end = data.indexOf(0x0a, from)) {
        keep(data.subarray(from, end));
        yield take(true);
        from = end + 1;
      }
      keep(data.subarray(from));
    }
    if (kept > 0 || cut) yield take(false);
  } finally {
    await handle.close();
  }
}
