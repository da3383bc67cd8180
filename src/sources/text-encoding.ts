/**
 * How log files are written: UTF-8 (with or without a byte-order mark), a single-byte code
 * page, or UTF-16 with its byte-order mark (Windows terminal programs save that way). The text
 * comes back without the mark, and byte offsets can be counted in the file's own encoding.
 */
export type LogEncoding = 'utf8' | 'latin1' | 'utf16le' | 'utf16be';

export interface DecodedLog {
  readonly text: string;
  readonly encoding: LogEncoding;
  /** Bytes of the byte-order mark the file starts with (0 without one). */
  readonly markBytes: number;
}

export function decodeLogText(bytes: Uint8Array): DecodedLog {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf16le', markBytes: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf16be', markBytes: 2 };
  const mark = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(mark)), encoding: 'utf8', markBytes: mark };
  } catch {
    return { text: Buffer.from(bytes).toString('latin1'), encoding: 'latin1', markBytes: 0 };
  }
}

/** The bytes `text` takes in the file's encoding. */
export function encodedLength(text: string, encoding: LogEncoding): number {
  return encoding === 'utf16le' || encoding === 'utf16be' ? text.length * 2 : Buffer.byteLength(text, encoding);
}
