/** Byte helpers shared by the tests that build captures and packets by hand. */
export type Bytes = Uint8Array | readonly number[];

export function concat(...parts: Bytes[]): Uint8Array {
  return concatAll(parts);
}

/** `concat` for a list too long to spread into arguments. */
export function concatAll(parts: readonly Bytes[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
