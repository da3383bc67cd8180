/**
 * Reading the text inputs (console logs, server logs) without ever building a string larger
 * than the input warrants: a server log is read line by line in 1 MiB chunks, each line cut
 * at LINE_CAP_BYTES; a console log, which is read whole, is refused above
 * WHOLE_TEXT_CAP_BYTES (checked from fstat before reading). Text is UTF-8 when the bytes are
 * valid UTF-8, else one character per byte (a single-byte code page).
 */
import { open } from 'node:fs/promises';
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

async function openText(file: string, what: string): Promise<FileHandle> {
  try {
    const handle = await open(file, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    }
    return handle;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? String(error));
    throw new InputError(`cannot read ${what} ${file}: ${why}`);
  }
}

/**
 * The whole file decoded, with its encoding and byte-order mark (for byte offsets); an InputError
 * naming the file and the cap when it is larger than WHOLE_TEXT_CAP_BYTES.
 */
export async function readWholeLog(file: string, what: string): Promise<DecodedLog> {
  return decodeLogText(await readWholeBytes(file, what));
}

/** The whole file's bytes, after the size check (WHOLE_TEXT_CAP_BYTES, from fstat before reading). */
export async function readWholeBytes(file: string, what: string): Promise<Buffer> {
  const handle = await openText(file, what);
  try {
    const { size } = await handle.stat();
    if (size > WHOLE_TEXT_CAP_BYTES) {
      throw new InputError(
        `${what} ${file} is ${size} bytes, over phonedoc's cap of ${WHOLE_TEXT_CAP_BYTES} bytes (64 MiB) ` +
          `for a ${what}: give the part around the phone's boot.`,
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Opens the file (an InputError when it cannot be read) for `lines`; `modified` is its mtime. */
export async function openTextLines(
  file: string,
  what: string,
): Promise<{ modified: Date; lines: AsyncGenerator<TextLine> }> {
  const handle = await openText(file, what);
  return { modified: (await handle.stat()).mtime, lines: textLines(handle) };
}

/**
 * The file's LF-ended lines, read in chunks (a byte-order mark before the
 * first line dropped); closes the file at the end.
 */
async function* textLines(handle: FileHandle): AsyncGenerator<TextLine> {
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
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
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
