/**
 * Mutations of a capture, aimed with its layout (layout.ts) at what readers get wrong:
 * length, type and flag fields set to boundary values, truncation at every kind of boundary,
 * records duplicated, removed, swapped or spliced in from another capture, datagrams cut
 * into overlapping IPv4 fragments, fragment floods, DHCP options whose structure a decoder
 * walks (compression pointers, sub-options) grown to 64 KiB, and floods of TFTP reads whose
 * block numbers jump.
 *
 * Every mutation reports the first byte offset it changed, in the coordinates of its input:
 * everything before the smallest such offset of a chain is the seed's bytes untouched.
 */
import type { Prng } from '../bench/prng.js';
import { concat, concatAll, pad4, u16, u32 } from './build.js';
import { captureLayout, type Field, type Layout, type Unit } from './layout.js';

export interface Step {
  readonly bytes: Uint8Array;
  /** First offset changed (the input's length when only bytes were appended). */
  readonly at: number;
  readonly what: string;
}

export interface Mutated {
  readonly bytes: Uint8Array;
  readonly steps: readonly string[];
  /** Bytes before this offset are the seed's. */
  readonly firstChange: number;
  /** The only change is a cut: the seed's first `bytes.length` bytes. */
  readonly truncationOnly: boolean;
}

interface Context {
  readonly rng: Prng;
  readonly layout: Layout;
  /** Another seed's bytes, for splicing. */
  readonly donor: () => Uint8Array;
}

type Operator = (bytes: Uint8Array, c: Context) => Step | undefined;

const MIB = 1024 * 1024;

/** Values readers trip on, for a field of `width` bytes now holding `current`. */
function interestingValue(f: Field, current: number, remaining: number, rng: Prng): number {
  const max = f.width === 1 ? 0xff : f.width === 2 ? 0xffff : 0xffffffff;
  const half = Math.floor(max / 2);
  const near = [current + 1, current - 1, current + 4, current - 4, current + 8, current - 8];
  const common = [0, 1, max, half, half + 1, ...near, current * 2, rng.uint32()];
  const lengths =
    f.width === 4
      ? [
          remaining,
          remaining + 1,
          remaining - 1,
          16 * MIB,
          16 * MIB - 1,
          16 * MIB + 4,
          262144,
          262145,
          50_000_000,
          0x00ffffff,
        ]
      : f.width === 2
        ? [remaining & 0xffff, 20, 19, 8, 7, 576, 65507, 65508]
        : [4, 5, 15, 16, 253, 254];
  const pool =
    f.role === 'length' && rng.below(2) === 0 ? [...near, ...near, ...lengths, 0, max] : [...common, ...lengths];
  const v = rng.pick(pool);
  return (((v % (max + 1)) + max + 1) % (max + 1)) >>> 0;
}

function readField(b: Uint8Array, f: Field): number {
  let v = 0;
  for (let i = 0; i < f.width; i++) v = v * 256 + b[f.le ? f.at + f.width - 1 - i : f.at + i]!;
  return v;
}

function writeField(b: Uint8Array, f: Field, value: number): void {
  for (let i = 0; i < f.width; i++) {
    const byte = Math.floor(value / 256 ** (f.width - 1 - i)) & 0xff;
    b[f.le ? f.at + f.width - 1 - i : f.at + i] = byte;
  }
}

function hex(v: number, width: number): string {
  return `0x${v.toString(16).padStart(width * 2, '0')}`;
}

const field: Operator = (bytes, { rng, layout }) => {
  if (layout.fields.length === 0) return undefined;
  // A field name first, then one field of that name: a capture has thousands of IPv4 headers but one if_tsresol.
  const names = [...layout.fieldsByName.keys()];
  const lengthNames = names.filter((n) => layout.fieldsByName.get(n)![0]!.role === 'length');
  const name = rng.below(3) === 0 && lengthNames.length > 0 ? rng.pick(lengthNames) : rng.pick(names);
  const f = rng.pick(layout.fieldsByName.get(name)!);
  const out = bytes.slice();
  const current = readField(out, f);
  let value: number;
  if (f.role === 'nul') value = rng.pick([0x41, 0xff, 0x2f]);
  else value = interestingValue(f, current, bytes.length - f.at, rng);
  writeField(out, f, value);
  return { bytes: out, at: f.at, what: `${f.name} @${f.at} ${hex(current, f.width)}->${hex(value, f.width)}` };
};

const bitFlips: Operator = (bytes, { rng, layout }) => {
  if (bytes.length === 0) return undefined;
  const out = bytes.slice();
  const count = 1 + rng.below(8);
  let first = Infinity;
  const where: number[] = [];
  for (let i = 0; i < count; i++) {
    // Half of the flips land in a header field, the rest anywhere.
    const at = rng.below(2) === 0 && layout.fields.length > 0 ? rng.pick(layout.fields).at : rng.below(out.length);
    out[at]! ^= 1 << rng.below(8);
    first = Math.min(first, at);
    where.push(at);
  }
  return { bytes: out, at: first, what: `bit flips @${where.join(',')}` };
};

const byteOverwrite: Operator = (bytes, { rng }) => {
  if (bytes.length === 0) return undefined;
  const out = bytes.slice();
  const at = rng.below(out.length);
  const count = 1 + rng.below(4);
  const value = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x01, 0x45, 0x0a, rng.below(256)]);
  out.fill(value, at, Math.min(out.length, at + count));
  return { bytes: out, at, what: `${count} byte(s) ${hex(value, 1)} @${at}` };
};

function cut(bytes: Uint8Array, at: number, why: string): Step {
  const end = Math.max(0, Math.min(bytes.length, at));
  return { bytes: bytes.subarray(0, end), at: end, what: `truncated at ${end} (${why})` };
}

const truncateAtBoundary: Operator = (bytes, { rng, layout }) => {
  if (layout.boundaries.length === 0) return cut(bytes, rng.below(bytes.length + 1), 'anywhere');
  const boundary = rng.pick(layout.boundaries);
  const delta = rng.pick([0, 0, 0, 1, -1, 2, 3, -4]);
  return cut(bytes, boundary + delta, `boundary ${boundary}${delta === 0 ? '' : ` ${delta > 0 ? '+' : ''}${delta}`}`);
};

const truncateAnywhere: Operator = (bytes, { rng }) => cut(bytes, rng.below(bytes.length + 1), 'anywhere');

/** Units past the file header, which the unit operations move around. */
function movable(layout: Layout): readonly Unit[] {
  return layout.units.filter((u) => u.name !== 'pcap file header');
}

function splice(bytes: Uint8Array, start: number, removeEnd: number, insert: Uint8Array): Uint8Array {
  return concat(bytes.subarray(0, start), insert, bytes.subarray(removeEnd));
}

const duplicateUnit: Operator = (bytes, { rng, layout }) => {
  const units = movable(layout);
  if (units.length === 0) return undefined;
  const u = rng.pick(units);
  const copies = rng.below(4) === 0 ? 2 + rng.below(30) : 1;
  const target = rng.below(2) === 0 ? u.end : rng.pick(units).end;
  const copy = bytes.subarray(u.start, u.end);
  const inserted = concatAll(Array.from({ length: copies }, () => copy));
  return {
    bytes: splice(bytes, target, target, inserted),
    at: target,
    what: `${copies} cop${copies === 1 ? 'y' : 'ies'} of ${u.name} @${u.start} inserted @${target}`,
  };
};

const removeUnit: Operator = (bytes, { rng, layout }) => {
  const units = movable(layout);
  if (units.length === 0) return undefined;
  const u = rng.pick(units);
  return {
    bytes: splice(bytes, u.start, u.end, new Uint8Array(0)),
    at: u.start,
    what: `${u.name} @${u.start} removed`,
  };
};

const swapUnits: Operator = (bytes, { rng, layout }) => {
  const units = movable(layout);
  if (units.length < 2) return undefined;
  const i = rng.below(units.length - 1);
  const j = rng.below(3) === 0 ? i + 1 + rng.below(units.length - i - 1) : i + 1;
  const a = units[i]!;
  const b = units[j]!;
  const out = concat(
    bytes.subarray(0, a.start),
    bytes.subarray(b.start, b.end),
    bytes.subarray(a.end, b.start),
    bytes.subarray(a.start, a.end),
    bytes.subarray(b.end),
  );
  return { bytes: out, at: a.start, what: `${a.name} @${a.start} swapped with ${b.name} @${b.start}` };
};

const spliceFromDonor: Operator = (bytes, { rng, layout, donor }) => {
  const other = donor();
  const units = movable(captureLayout(other));
  if (units.length === 0) return undefined;
  const first = rng.below(units.length);
  const last = Math.min(units.length - 1, first + rng.below(4));
  const inserted = other.subarray(units[first]!.start, units[last]!.end);
  const targets = layout.units.map((u) => u.end);
  const target = targets.length > 0 ? rng.pick(targets) : bytes.length;
  return {
    bytes: splice(bytes, target, target, inserted),
    at: target,
    what: `${last - first + 1} unit(s) of another capture (${inserted.length} bytes) inserted @${target}`,
  };
};

const insertGarbage: Operator = (bytes, { rng, layout }) => {
  const target = layout.boundaries.length > 0 ? rng.pick(layout.boundaries) : rng.below(bytes.length + 1);
  const length = 1 + rng.below(64);
  const fill = rng.below(3);
  const garbage = Uint8Array.from({ length }, () => (fill === 0 ? 0 : fill === 1 ? 0xff : rng.below(256)));
  return {
    bytes: splice(bytes, target, target, garbage),
    at: target,
    what: `${length} ${['zero', '0xff', 'random'][fill]} byte(s) inserted @${target}`,
  };
};

// ---- IPv4 fragments ---------------------------------------------------------------------

interface Ipv4InUnit {
  readonly unit: Unit;
  /** Offset of the IPv4 header in the file. */
  readonly at: number;
  readonly headerLength: number;
  readonly totalLength: number;
}

/** Units carrying an unfragmented IPv4 UDP datagram that fits the record. */
function ipv4Units(bytes: Uint8Array, layout: Layout): Ipv4InUnit[] {
  const found: Ipv4InUnit[] = [];
  let u = 0;
  for (const f of layout.fields) {
    if (f.name !== 'IPv4 version/IHL') continue;
    while (u < layout.units.length && layout.units[u]!.end <= f.at) u++;
    const unit = layout.units[u];
    if (unit?.dataStart === undefined || unit.dataLength === undefined || f.at < unit.dataStart) continue;
    const headerLength = (bytes[f.at]! & 15) * 4;
    const totalLength = (bytes[f.at + 2]! << 8) | bytes[f.at + 3]!;
    const fragmentField = (bytes[f.at + 6]! << 8) | bytes[f.at + 7]!;
    if (
      bytes[f.at + 9] !== 17 ||
      headerLength < 20 ||
      totalLength <= headerLength + 8 ||
      (fragmentField & 0x3fff) !== 0
    )
      continue;
    if (f.at + totalLength > unit.dataStart + unit.dataLength) continue;
    found.push({ unit, at: f.at, headerLength, totalLength });
  }
  return found;
}

/** A record or packet block like `template` (same header fields) holding `data`. */
function rewrap(bytes: Uint8Array, template: Unit, data: Uint8Array): Uint8Array {
  const le = template.le;
  if (template.name === 'pcap record') {
    const header = bytes.slice(template.start, template.start + 16);
    header.set(u32(data.length, le), 8);
    header.set(u32(data.length, le), 12);
    return concat(header, data);
  }
  const simple = template.dataStart! - template.start === 12;
  const head = bytes.slice(template.start, template.dataStart!);
  const length = head.length + pad4(data).length + 4;
  head.set(u32(length, le), 4);
  if (simple) head.set(u32(data.length, le), 8);
  else {
    head.set(u32(data.length, le), 20);
    head.set(u32(data.length, le), 24);
  }
  return concat(head, pad4(data), u32(length, le));
}

/** One fragment of the datagram at `ip`: its header with a new length and fragment field, then `piece`. */
function fragmentFrame(
  bytes: Uint8Array,
  ip: Ipv4InUnit,
  offset: number,
  more: boolean,
  piece: Uint8Array,
  id?: number,
): Uint8Array {
  const link = bytes.subarray(ip.unit.dataStart!, ip.at);
  const header = bytes.slice(ip.at, ip.at + ip.headerLength);
  header.set(u16(ip.headerLength + piece.length), 2);
  if (id !== undefined) header.set(u16(id), 4);
  header.set(u16((more ? 0x2000 : 0) | ((offset / 8) & 0x1fff)), 6);
  return concat(link, header, piece);
}

const fragmentDatagram: Operator = (bytes, { rng, layout }) => {
  const candidates = ipv4Units(bytes, layout);
  if (candidates.length === 0) return undefined;
  const ip = rng.pick(candidates);
  const payload = bytes.subarray(ip.at + ip.headerLength, ip.at + ip.totalLength);
  const size = 8 * (1 + rng.below(Math.max(1, Math.floor(payload.length / 16))));
  const pieces: { offset: number; more: boolean; data: Uint8Array }[] = [];
  for (let offset = 0; offset < payload.length; offset += size) {
    pieces.push({ offset, more: offset + size < payload.length, data: payload.subarray(offset, offset + size) });
  }
  const twists: string[] = [];
  if (rng.below(3) === 0 && pieces.length > 1) {
    const p = rng.pick(pieces.slice(1));
    pieces.push({
      offset: p.offset - 8,
      more: true,
      data: Uint8Array.from({ length: p.data.length + 8 }, () => rng.below(256)),
    });
    twists.push('overlap');
  }
  if (rng.below(4) === 0) {
    pieces.push(rng.pick(pieces));
    twists.push('duplicate');
  }
  if (rng.below(6) === 0 && pieces.length > 1) {
    pieces.splice(rng.below(pieces.length), 1);
    twists.push('one missing');
  }
  if (rng.below(2) === 0) {
    for (let i = pieces.length - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
    }
    twists.push('shuffled');
  }
  const units = pieces.map((p) => rewrap(bytes, ip.unit, fragmentFrame(bytes, ip, p.offset, p.more, p.data)));
  return {
    bytes: splice(bytes, ip.unit.start, ip.unit.end, concatAll(units)),
    at: ip.unit.start,
    what:
      `datagram @${ip.at} cut into ${pieces.length} fragments of ${size} ` +
      `bytes${twists.length > 0 ? ` (${twists.join(', ')})` : ''}`,
  };
};

const fragmentFlood: Operator = (bytes, { rng, layout }) => {
  const candidates = ipv4Units(bytes, layout);
  if (candidates.length === 0) return undefined;
  const ip = rng.pick(candidates);
  const count = 500 + rng.below(9500);
  const mode = rng.pick([
    'one datagram, never complete',
    'many datagrams',
    'one huge datagram in 8-byte fragments',
  ] as const);
  const units: Uint8Array[] = [];
  const piece8 = (i: number): Uint8Array => Uint8Array.from({ length: 8 }, (_, k) => (i + k) & 0xff);
  for (let i = 0; i < count; i++) {
    switch (mode) {
      case 'one datagram, never complete': {
        const length = 8 * (1 + rng.below(8));
        const offset = 8 * (1 + rng.below(8000));
        units.push(
          rewrap(bytes, ip.unit, fragmentFrame(bytes, ip, offset, i !== 0, new Uint8Array(length).fill(i & 0xff))),
        );
        break;
      }
      case 'many datagrams':
        units.push(rewrap(bytes, ip.unit, fragmentFrame(bytes, ip, 0, true, piece8(i), i & 0xffff)));
        break;
      case 'one huge datagram in 8-byte fragments': {
        // Offsets 8, 16, ... up to the 16-bit total; the original first 8 bytes (the UDP header) come last.
        const offset = 8 * (1 + i);
        if (offset > 65528 - ip.headerLength) break;
        units.push(rewrap(bytes, ip.unit, fragmentFrame(bytes, ip, offset, i !== count - 1, piece8(i))));
        break;
      }
    }
  }
  if (mode === 'one huge datagram in 8-byte fragments') {
    units.push(
      rewrap(
        bytes,
        ip.unit,
        fragmentFrame(bytes, ip, 0, true, bytes.slice(ip.at + ip.headerLength, ip.at + ip.headerLength + 8)),
      ),
    );
  }
  return {
    bytes: splice(bytes, ip.unit.end, ip.unit.end, concatAll(units)),
    at: ip.unit.end,
    what: `fragment flood after @${ip.unit.start}: ${units.length} fragments, ${mode}`,
  };
};

// ---- DHCP and TFTP built into a datagram's place ------------------------------------------

/** The datagram at `ip` carrying `payload` instead (IPv4 and UDP lengths follow, no UDP checksum). */
function withUdpPayload(
  bytes: Uint8Array,
  ip: Ipv4InUnit,
  payload: Uint8Array,
  ports?: readonly [number, number],
  swap = false,
): Uint8Array {
  const header = bytes.slice(ip.at, ip.at + ip.headerLength);
  header.set(u16(Math.min(0xffff, ip.headerLength + 8 + payload.length)), 2);
  if (swap) {
    header.set(bytes.subarray(ip.at + 16, ip.at + 20), 12);
    header.set(bytes.subarray(ip.at + 12, ip.at + 16), 16);
  }
  const udp = bytes.slice(ip.at + ip.headerLength, ip.at + ip.headerLength + 8);
  if (ports !== undefined) udp.set([...u16(ports[0]), ...u16(ports[1])], 0);
  udp.set([...u16(Math.min(0xffff, 8 + payload.length)), 0, 0], 4);
  return concat(bytes.subarray(ip.unit.dataStart!, ip.at), header, udp, payload);
}

const DHCP_PORTS = new Set([67, 68, 4011]);
const MAX_UDP_PAYLOAD = 65535 - 20 - 8;

/** Option data whose structure a decoder walks: domain names with compression pointers, routes, sub-options. */
function adversarialOptionData(code: number, size: number, rng: Prng): Uint8Array {
  const out: number[] = [];
  switch (code) {
    case 119:
    case 137:
    case 141:
    case 213:
    case 88: {
      // A long chain of one-letter labels, then many names that are only a pointer into it (RFC 1035 4.1.4).
      const labels = Math.floor(size / 4);
      for (let i = 0; i < labels; i++) out.push(1, 0x61 + (i % 26));
      out.push(0);
      while (out.length + 2 <= size) {
        const target = rng.below(4) === 0 ? 2 * rng.below(Math.min(labels, 0x1fff)) : 0;
        out.push(0xc0 | (target >> 8), target & 0xff);
      }
      break;
    }
    case 121:
      while (out.length + 9 <= size) out.push(32, 192, 0, 2, rng.below(256), 192, 0, 2, 1);
      break;
    case 82:
      while (out.length + 2 <= size) out.push(1 + rng.below(11), 0);
      break;
    case 124:
    case 125:
      while (out.length + 5 <= size) out.push(0, 0, 0, 9, 0);
      break;
    default:
      while (out.length < size) out.push(rng.below(256));
  }
  return Uint8Array.from(out);
}

const dhcpOptionBomb: Operator = (bytes, { rng, layout }) => {
  const candidates = ipv4Units(bytes, layout).filter((ip) => {
    const udp = ip.at + ip.headerLength;
    return (
      DHCP_PORTS.has((bytes[udp]! << 8) | bytes[udp + 1]!) || DHCP_PORTS.has((bytes[udp + 2]! << 8) | bytes[udp + 3]!)
    );
  });
  if (candidates.length === 0) return undefined;
  const ip = rng.pick(candidates);
  const code = rng.pick([119, 119, 137, 141, 121, 82, 125, 124, 81, 61, 55, 43, 150, 60, 66, 52]);
  const size = rng.pick([600, 4000, 16000, 60000]);
  const data = adversarialOptionData(code, size, rng);
  const dhcpAt = ip.at + ip.headerLength + 8;
  const fixed = new Uint8Array(240);
  fixed.set(bytes.subarray(dhcpAt, Math.min(dhcpAt + 236, ip.at + ip.totalLength)));
  fixed.set([99, 130, 83, 99], 236);
  // RFC 3396: an option longer than 255 bytes goes in consecutive instances of the same code.
  const options: number[] = [53, 1, 1 + rng.below(8)];
  for (let at = 0; at < data.length && 240 + options.length + 258 < MAX_UDP_PAYLOAD; at += 255) {
    const piece = data.subarray(at, at + 255);
    options.push(code, piece.length, ...piece);
  }
  options.push(255);
  const payload = concat(fixed, options);
  const unit = rewrap(bytes, ip.unit, withUdpPayload(bytes, ip, payload));
  return {
    bytes: splice(bytes, ip.unit.start, ip.unit.end, unit),
    at: ip.unit.start,
    what: `DHCP @${ip.at} given ${data.length} bytes of option ${code} in ${Math.ceil(data.length / 255)} instances`,
  };
};

/** Many TFTP reads at once, each answered by DATA blocks numbered with a stride (wrapping at 16 bits). */
const tftpFlood: Operator = (bytes, { rng, layout }) => {
  const candidates = ipv4Units(bytes, layout);
  if (candidates.length === 0) return undefined;
  const ip = rng.pick(candidates);
  const conversations = 1 + rng.below(200);
  const blockSize = rng.pick([8, 8, 512]);
  // Half a megabyte of datagrams at most.
  const blocks = 1 + rng.below(Math.floor((blockSize === 8 ? 8000 : 1000) / conversations));
  const stride = rng.pick([1, 2, 255, 4096, 32767, 32768, 65535, 1 + rng.below(65535)]);
  const acks = rng.below(2) === 0;
  const units: Uint8Array[] = [];
  const text = (s: string): number[] => [...s].map((c) => c.charCodeAt(0)).concat(0);
  const firstPort = 1024 + rng.below(30000);
  for (let c = 0; c < conversations; c++) {
    const port = firstPort + c;
    const request = Uint8Array.from([
      0,
      1,
      ...text(`f${c}`),
      ...text('octet'),
      ...(blockSize === 8 ? [...text('blksize'), ...text('8')] : []),
    ]);
    units.push(rewrap(bytes, ip.unit, withUdpPayload(bytes, ip, request, [port, 69])));
    for (let k = 1; k <= blocks; k++) {
      const block = (k * stride) & 0xffff;
      const data = new Uint8Array(4 + blockSize);
      data.set([0, 3, block >> 8, block & 0xff]);
      units.push(rewrap(bytes, ip.unit, withUdpPayload(bytes, ip, data, [40000, port], true)));
      if (acks)
        units.push(
          rewrap(
            bytes,
            ip.unit,
            withUdpPayload(bytes, ip, Uint8Array.from([0, 4, block >> 8, block & 0xff]), [port, 40000]),
          ),
        );
    }
  }
  return {
    bytes: splice(bytes, ip.unit.end, ip.unit.end, concatAll(units)),
    at: ip.unit.end,
    what:
      `TFTP flood after @${ip.unit.start}: ${conversations} reads of ${blocks} DATA blocks ` +
      `of ${blockSize} bytes numbered in steps of ${stride}${acks ? ', each ACKed' : ''}`,
  };
};

// ---- choosing -----------------------------------------------------------------------------

const OPERATORS: readonly (readonly [Operator, number])[] = [
  [field, 30],
  [bitFlips, 12],
  [byteOverwrite, 8],
  [truncateAtBoundary, 10],
  [truncateAnywhere, 3],
  [duplicateUnit, 6],
  [removeUnit, 4],
  [swapUnits, 4],
  [spliceFromDonor, 4],
  [insertGarbage, 4],
  [fragmentDatagram, 6],
  [fragmentFlood, 2],
  [dhcpOptionBomb, 3],
  [tftpFlood, 2],
];
const TOTAL_WEIGHT = OPERATORS.reduce((n, [, w]) => n + w, 0);

function pickOperator(rng: Prng): Operator {
  let r = rng.below(TOTAL_WEIGHT);
  for (const [op, weight] of OPERATORS) {
    if (r < weight) return op;
    r -= weight;
  }
  return field;
}

/**
 * One to five mutations of `seed` (one in six cases is a single cut, checked more strictly).
 * `seedLayout` is the seed's layout (computed once per seed by the caller).
 */
export function mutate(seed: Uint8Array, seedLayout: Layout, rng: Prng, donor: () => Uint8Array): Mutated {
  if (rng.below(6) === 0) {
    const step = (rng.below(4) === 0 ? truncateAnywhere : truncateAtBoundary)(seed, {
      rng,
      layout: seedLayout,
      donor,
    })!;
    return { bytes: step.bytes, steps: [step.what], firstChange: step.at, truncationOnly: true };
  }
  const count = rng.below(10) < 6 ? 1 : rng.below(3) < 2 ? 2 : 3 + rng.below(3);
  let bytes = seed;
  let layout = seedLayout;
  let firstChange = seed.length;
  const steps: string[] = [];
  for (let i = 0; i < count; i++) {
    // A few tries: an operator may not apply (no units, no IPv4 datagram).
    let step: Step | undefined;
    for (let tries = 0; step === undefined && tries < 8; tries++)
      step = pickOperator(rng)(bytes, { rng, layout, donor });
    if (step === undefined) break;
    bytes = step.bytes;
    firstChange = Math.min(firstChange, step.at);
    steps.push(step.what);
    if (i + 1 < count) layout = captureLayout(bytes);
  }
  return { bytes, steps, firstChange, truncationOnly: false };
}
