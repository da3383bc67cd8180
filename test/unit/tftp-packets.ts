/**
 * TFTP packets built byte by byte from the RFC 1350 / RFC 2347 layouts, for the tftp-*
 * tests (independent of parsers/tftp/decode.ts).
 */
import { concat } from '../bytes.js';

const text = new TextEncoder();

const u16 = (n: number): number[] => [(n >> 8) & 255, n & 255];
const z = (s: string): Uint8Array => concat(text.encode(s), [0]);

export function rrq(file: string, mode = 'octet', options: [string, string][] = []): Uint8Array {
  return concat(u16(1), z(file), z(mode), ...options.flatMap(([n, v]) => [z(n), z(v)]));
}

export function wrq(file: string, mode = 'octet', options: [string, string][] = []): Uint8Array {
  return concat(u16(2), z(file), z(mode), ...options.flatMap(([n, v]) => [z(n), z(v)]));
}

export function data(block: number, payload: Uint8Array): Uint8Array {
  return concat(u16(3), u16(block), payload);
}

export function ack(block: number): Uint8Array {
  return concat(u16(4), u16(block));
}

export function error(code: number, message: string): Uint8Array {
  return concat(u16(5), u16(code), z(message));
}

export function oack(options: [string, string][]): Uint8Array {
  return concat(u16(6), ...options.flatMap(([n, v]) => [z(n), z(v)]));
}

export function raw(...bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

/** Deterministic file content of `size` bytes (a position-dependent pattern). */
export function fileContent(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 255;
  return out;
}

/** 192.0.2.x as an unsigned 32-bit number. */
export function ip(last: number, third = 2): number {
  return ((192 << 24) >>> 0) + (0 << 16) + (third << 8) + last;
}
