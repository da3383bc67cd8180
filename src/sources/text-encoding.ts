/**
 * How log files are written: UTF-8 (with or without a byte-order mark), a single-byte code
 * page, or UTF-16 or UTF-32 (Windows terminal programs save that way), with their byte-order
 * mark or known by the zero bytes of ASCII text without one. The text
 * comes back without the mark, and byte offsets can be counted in the file's own encoding.
 */
import { isUtf8 } from 'node:buffer';

export type LogEncoding = 'utf8' | 'latin1' | 'utf16le' | 'utf16be' | 'utf32le' | 'utf32be';

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

/** True when the bytes are UTF-16 or UTF-32 (a log saved so is read whole, its lines are not LF-ended bytes). */
export function isWideText(bytes: Uint8Array): boolean {
  return wideEncoding(bytes) !== undefined;
}

/** A wide encoding by its byte-order mark, then by where the zero bytes of ASCII text fall (a file saved without one). */
function wideEncoding(bytes: Uint8Array): { encoding: LogEncoding; markBytes: number } | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { encoding: 'utf32le', markBytes: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf32be', markBytes: 4 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf16le', markBytes: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf16be', markBytes: 2 };
  const guessed = (['utf32le', 'utf32be', 'utf16le', 'utf16be'] as const).find((e) => zeroPattern(bytes, e));
  return guessed && { encoding: guessed, markBytes: 0 };
}

/**
 * Nine in ten of the first characters have the zero bytes an ASCII character has in `encoding`
 * (`41 00` in UTF-16LE, `00 00 00 41` in UTF-32BE) and a non-zero one where the letter is.
 */
function zeroPattern(bytes: Uint8Array, encoding: 'utf32le' | 'utf32be' | 'utf16le' | 'utf16be'): boolean {
  const width = encoding.startsWith('utf32') ? 4 : 2;
  const letter = encoding.endsWith('le') ? 0 : width - 1;
  const units = Math.min(Math.floor(bytes.length / width), 1024);
  if (units < 4) return false;
  let ascii = 0;
  for (let u = 0; u < units; u++) {
    const unit = bytes.subarray(u * width, u * width + width);
    if (unit.every((byte, i) => (i === letter ? byte !== 0 && byte < 0x80 : byte === 0))) ascii++;
  }
  return ascii * 10 >= units * 9;
}

/** UTF-32 to text (no TextDecoder reads it); a unit that is no code point reads as U+FFFD. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = '';
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const code = view.getUint32(i, littleEndian);
    text += code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  }
  return text;
}

export function decodeLogText(bytes: Uint8Array): DecodedLog {
  const wide = wideEncoding(bytes);
  if (wide) {
    const body = bytes.subarray(wide.markBytes);
    const text =
      wide.encoding === 'utf32le' || wide.encoding === 'utf32be'
        ? decodeUtf32(body, wide.encoding === 'utf32le')
        : new TextDecoder(wide.encoding === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(body);
    return { text, ...wide };
  }
  const mark = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(mark);
  // A Latin-1 reading keeps the mark's three bytes as characters: the text starts at byte 0.
  return isUtf8(body)
    ? { text: decodeText(body), encoding: 'utf8', markBytes: mark }
    : { text: decodeText(bytes), encoding: 'latin1', markBytes: 0 };
}

/** The bytes `text` takes in the file's encoding. */
export function encodedLength(text: string, encoding: LogEncoding): number {
  if (encoding === 'utf32le' || encoding === 'utf32be') {
    let points = 0;
    for (const _ of text) points++;
    return points * 4;
  }
  return encoding === 'utf16le' || encoding === 'utf16be' ? text.length * 2 : Buffer.byteLength(text, encoding);
}
