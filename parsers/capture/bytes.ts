/**
 * Unsigned integers read from capture bytes in either byte order, with plain byte
 * arithmetic: on the per-frame hot path this beats a DataView per record. Callers check
 * the bounds first.
 */

/** The byte at `i`; 0 past the end, as the bitwise operators below would make of `undefined`. */
export function byteAt(b: Uint8Array, i: number): number {
  return b[i] ?? 0;
}

export function readU32(b: Uint8Array, i: number, littleEndian: boolean): number {
  const b0 = byteAt(b, i);
  const b1 = byteAt(b, i + 1);
  const b2 = byteAt(b, i + 2);
  const b3 = byteAt(b, i + 3);
  return littleEndian
    ? (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0
    : ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
}

export function readU16(b: Uint8Array, i: number, littleEndian: boolean): number {
  const b0 = byteAt(b, i);
  const b1 = byteAt(b, i + 1);
  return littleEndian ? b0 | (b1 << 8) : (b0 << 8) | b1;
}

/** A signed 64-bit integer as a double (exact up to 2^53). */
export function readI64(b: Uint8Array, i: number, littleEndian: boolean): number {
  const high = littleEndian ? readU32(b, i + 4, true) | 0 : readU32(b, i, false) | 0;
  const low = littleEndian ? readU32(b, i, true) : readU32(b, i + 4, false);
  return high * 4294967296 + low;
}

/** `0x1a2b3c4d`: four bytes in file order, for messages. */
export function hexBytes(b: Uint8Array, i: number, count: number): string {
  let s = '0x';
  for (let k = i; k < i + count; k++) s += byteAt(b, k).toString(16).padStart(2, '0');
  return s;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LATIN1_CHUNK = 0x2000;

/**
 * Bytes from a capture (a file name, an error message, a DHCP string) as text: UTF-8 when
 * they are valid UTF-8, otherwise one character per byte (ISO 8859-1, U+0000-U+00FF), so
 * that nothing is lost and each output's escaping shows every byte that is a control.
 * Not `TextDecoder('latin1')`: the Encoding standard makes that windows-1252.
 */
export function bytesText(bytes: Uint8Array): string {
  if (bytes.some((byte) => byte >= 0x80)) {
    try {
      return STRICT_UTF8.decode(bytes);
    } catch {
      // Not UTF-8: one character per byte.
    }
  }
  let text = '';
  for (let i = 0; i < bytes.length; i += LATIN1_CHUNK)
    text += String.fromCharCode(...bytes.subarray(i, i + LATIN1_CHUNK));
  return text;
}
