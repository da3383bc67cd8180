/**
 * How log files are written: UTF-8 (with or without a byte-order mark), a single-byte code
 * page, or UTF-16 with its byte-order mark (Windows terminal programs save that way). The text
 * comes back without the mark, and byte offsets can be counted in the file's own encoding.
 */
import { isUtf8 } from 'node:buffer';

export type LogEncoding = 'utf8' | 'latin1' | 'utf16le' | 'utf16be';

export interface DecodedLog {
  readonly text: string;
  readonly encoding: LogEncoding;
  /** Bytes of the byte-order mark the file starts with (0 without one). */
  readonly markBytes: number;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes as text: UTF-8 when valid, else Latin-1, so every byte reads as some character
 * (one line of a log, or a whole file without a UTF-16 mark).
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}

export function decodeLogText(bytes: Uint8Array): DecodedLog {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf16le', markBytes: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf16be', markBytes: 2 };
  const mark = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(mark);
  // A Latin-1 reading keeps the mark's three bytes as characters: the text starts at byte 0.
  return isUtf8(body)
    ? { text: decodeText(body), encoding: 'utf8', markBytes: mark }
    : { text: decodeText(bytes), encoding: 'latin1', markBytes: 0 };
}

/** The bytes `text` takes in the file's encoding. */
export function encodedLength(text: string, encoding: LogEncoding): number {
  return encoding === 'utf16le' || encoding === 'utf16be' ? text.length * 2 : Buffer.byteLength(text, encoding);
}
