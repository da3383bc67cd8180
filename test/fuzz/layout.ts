/**
 * A lenient map of a capture's bytes for the mutators: where each record or block starts and
 * ends, and where the header fields worth aiming at lie (lengths, types, flags, NULs), down
 * through link layer, IPv4, UDP, DHCP and TFTP. Written from the specs, independent of
 * parsers/: it stops quietly at the first thing it cannot follow.
 */

export type FieldRole = 'length' | 'type' | 'flags' | 'value' | 'nul';

export interface Field {
  readonly at: number;
  readonly width: 1 | 2 | 4;
  readonly le: boolean;
  readonly role: FieldRole;
  readonly name: string;
}

/** A pcap record, a pcapng block or a file header. */
export interface Unit {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** For records and packet blocks: where the packet data starts and how long it is. */
  readonly dataStart?: number;
  readonly dataLength?: number;
  readonly linkType?: number;
  /** pcapng: the byte order of the block's section. */
  readonly le: boolean;
}

export interface Layout {
  readonly format: 'pcap' | 'pcapng' | 'unknown';
  /** In file order; a prefix of the file when the walk stopped early. */
  readonly units: readonly Unit[];
  readonly fields: readonly Field[];
  /** The fields by name: aiming picks a name first, so that rare fields get their share. */
  readonly fieldsByName: ReadonlyMap<string, readonly Field[]>;
  /** Offsets where a header, a record or a string starts or ends, sorted, without duplicates. */
  readonly boundaries: readonly number[];
}

const PCAP_MAGICS = new Map<number, boolean>([
  [0xa1b2c3d4, false],
  [0xa1b23c4d, false],
  [0xd4c3b2a1, true],
  [0x4d3cb2a1, true],
]);
const SHB = 0x0a0d0d0a;
/** Anything longer is not followed (the reader's own default limit is 16 MiB). */
const MAX_UNIT = 16 * 1024 * 1024;

function u16(b: Uint8Array, i: number, le: boolean): number {
  return le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!;
}

function u32(b: Uint8Array, i: number, le: boolean): number {
  return le
    ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
    : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

class Builder {
  readonly units: Unit[] = [];
  readonly fields: Field[] = [];
  private readonly marks = new Set<number>();

  constructor(readonly bytes: Uint8Array) {}

  field(at: number, width: 1 | 2 | 4, le: boolean, role: FieldRole, name: string): void {
    if (at >= 0 && at + width <= this.bytes.length) this.fields.push({ at, width, le, role, name });
  }

  mark(...offsets: number[]): void {
    for (const o of offsets) if (o >= 0 && o <= this.bytes.length) this.marks.add(o);
  }

  unit(unit: Unit): void {
    this.units.push(unit);
    this.mark(unit.start, unit.end);
  }

  layout(format: Layout['format']): Layout {
    const fieldsByName = new Map<string, Field[]>();
    for (const f of this.fields) {
      const same = fieldsByName.get(f.name);
      if (same === undefined) fieldsByName.set(f.name, [f]);
      else same.push(f);
    }
    return {
      format,
      units: this.units,
      fields: this.fields,
      fieldsByName,
      boundaries: [...this.marks].sort((a, b) => a - b),
    };
  }
}

export function captureLayout(bytes: Uint8Array): Layout {
  const b = new Builder(bytes);
  if (bytes.length < 4) return b.layout('unknown');
  const magic = u32(bytes, 0, false);
  if (PCAP_MAGICS.has(magic)) {
    walkPcap(b, PCAP_MAGICS.get(magic)!);
    return b.layout('pcap');
  }
  if (magic === SHB) {
    walkPcapng(b);
    return b.layout('pcapng');
  }
  return b.layout('unknown');
}

function walkPcap(b: Builder, le: boolean): void {
  const bytes = b.bytes;
  if (bytes.length < 24) return;
  b.field(0, 4, false, 'type', 'pcap magic');
  b.field(4, 2, le, 'value', 'pcap version major');
  b.field(6, 2, le, 'value', 'pcap version minor');
  b.field(16, 4, le, 'length', 'pcap snaplen');
  b.field(20, 4, le, 'type', 'pcap link type');
  b.unit({ start: 0, end: 24, name: 'pcap file header', le });
  const linkType = u32(bytes, 20, le) & 0xffff;
  let p = 24;
  while (p + 16 <= bytes.length) {
    const caplen = u32(bytes, p + 8, le);
    b.field(p, 4, le, 'value', 'pcap record seconds');
    b.field(p + 4, 4, le, 'value', 'pcap record fraction');
    b.field(p + 8, 4, le, 'length', 'pcap record captured length');
    b.field(p + 12, 4, le, 'length', 'pcap record original length');
    b.mark(p + 16);
    if (caplen > MAX_UNIT || p + 16 + caplen > bytes.length) return;
    b.unit({
      start: p,
      end: p + 16 + caplen,
      name: 'pcap record',
      dataStart: p + 16,
      dataLength: caplen,
      linkType,
      le,
    });
    walkPacket(b, p + 16, p + 16 + caplen, linkType);
    p += 16 + caplen;
  }
}

function walkPcapng(b: Builder): void {
  const bytes = b.bytes;
  let le = true;
  let linkTypes: number[] = [];
  let snapLengths: number[] = [];
  let p = 0;
  while (p + 12 <= bytes.length) {
    const type = u32(bytes, p, le);
    if (type === SHB) {
      const order = u32(bytes, p + 8, false);
      if (order === 0x4d3c2b1a) le = true;
      else if (order === 0x1a2b3c4d) le = false;
      else return;
      linkTypes = [];
      snapLengths = [];
    }
    const length = u32(bytes, p + 4, le);
    if (length < 12 || length % 4 !== 0 || length > MAX_UNIT || p + length > bytes.length) {
      b.field(p, 4, le, 'type', 'pcapng block type');
      b.field(p + 4, 4, le, 'length', 'pcapng block total length');
      return;
    }
    if (u32(bytes, p + length - 4, le) !== length) return;
    b.field(p, 4, le, 'type', 'pcapng block type');
    b.field(p + 4, 4, le, 'length', 'pcapng block total length');
    b.field(p + length - 4, 4, le, 'length', 'pcapng block trailing length');
    const end = p + length - 4;
    let unit: Unit = { start: p, end: p + length, name: `pcapng block 0x${type.toString(16)}`, le };
    switch (type) {
      case SHB:
        b.field(p + 8, 4, false, 'type', 'pcapng byte-order magic');
        b.field(p + 12, 2, le, 'value', 'pcapng version major');
        b.field(p + 14, 2, le, 'value', 'pcapng version minor');
        b.field(p + 16, 4, le, 'length', 'pcapng section length');
        walkOptions(b, p + 24, end, le, 'SHB');
        break;
      case 1:
        if (length >= 20) {
          linkTypes.push(u16(bytes, p + 8, le));
          snapLengths.push(u32(bytes, p + 12, le));
          b.field(p + 8, 2, le, 'type', 'pcapng IDB link type');
          b.field(p + 12, 4, le, 'length', 'pcapng IDB snaplen');
          walkOptions(b, p + 16, end, le, 'IDB');
        }
        break;
      case 2:
      case 6:
        if (length >= 32) {
          const iface = type === 6 ? u32(bytes, p + 8, le) : u16(bytes, p + 8, le);
          const caplen = u32(bytes, p + 20, le);
          b.field(p + 8, type === 6 ? 4 : 2, le, 'value', 'pcapng packet interface id');
          b.field(p + 12, 4, le, 'value', 'pcapng packet timestamp high');
          b.field(p + 16, 4, le, 'value', 'pcapng packet timestamp low');
          b.field(p + 20, 4, le, 'length', 'pcapng packet captured length');
          b.field(p + 24, 4, le, 'length', 'pcapng packet original length');
          b.mark(p + 28);
          if (p + 28 + caplen <= end) {
            unit = {
              ...unit,
              dataStart: p + 28,
              dataLength: caplen,
              ...(linkTypes[iface] === undefined ? {} : { linkType: linkTypes[iface] }),
            };
            if (linkTypes[iface] !== undefined) walkPacket(b, p + 28, p + 28 + caplen, linkTypes[iface]!);
            walkOptions(b, p + 28 + ((caplen + 3) & ~3), end, le, 'EPB');
          }
        }
        break;
      case 3:
        if (length >= 16) {
          const original = u32(bytes, p + 8, le);
          const snap = snapLengths[0] ?? 0;
          const caplen = Math.min(snap !== 0 ? Math.min(original, snap) : original, length - 16);
          b.field(p + 8, 4, le, 'length', 'pcapng SPB original length');
          unit = {
            ...unit,
            dataStart: p + 12,
            dataLength: caplen,
            ...(linkTypes[0] === undefined ? {} : { linkType: linkTypes[0] }),
          };
          if (linkTypes[0] !== undefined) walkPacket(b, p + 12, p + 12 + caplen, linkTypes[0]);
        }
        break;
      case 4:
        for (let r = p + 8; r + 4 <= end; ) {
          b.field(r, 2, le, 'type', 'pcapng NRB record type');
          b.field(r + 2, 2, le, 'length', 'pcapng NRB record length');
          b.mark(r);
          const size = u16(bytes, r + 2, le);
          if (u16(bytes, r, le) === 0) break;
          r += 4 + ((size + 3) & ~3);
        }
        break;
      case 5:
        b.field(p + 8, 4, le, 'value', 'pcapng ISB interface id');
        walkOptions(b, p + 20, end, le, 'ISB');
        break;
    }
    b.unit(unit);
    p += length;
  }
}

function walkOptions(b: Builder, from: number, to: number, le: boolean, block: string): void {
  for (let p = from; p + 4 <= to; ) {
    const code = u16(b.bytes, p, le);
    const length = u16(b.bytes, p + 2, le);
    b.field(p, 2, le, 'type', `pcapng ${block} option code`);
    b.field(p + 2, 2, le, 'length', `pcapng ${block} option length`);
    b.mark(p, p + 4);
    if (block === 'IDB' && (code === 9 || code === 13))
      b.field(p + 4, 1, le, 'value', code === 9 ? 'pcapng if_tsresol' : 'pcapng if_fcslen');
    if (block === 'IDB' && code === 14) b.field(p + 8, 4, le, 'value', 'pcapng if_tsoffset');
    if (code === 0) return;
    p += 4 + ((length + 3) & ~3);
  }
}

const ETHERTYPE_IPV4 = 0x0800;
const VLAN_TYPES = new Set([0x8100, 0x88a8, 0x9100]);

/** The link layer of `bytes[start, end)` and what it carries. */
function walkPacket(b: Builder, start: number, end: number, linkType: number): void {
  const bytes = b.bytes;
  let at: number;
  let etherType: number;
  switch (linkType) {
    case 1: // Ethernet
      if (end - start < 14) return;
      at = start + 12;
      etherType = u16(bytes, at, false);
      b.field(at, 2, false, 'type', 'ethertype');
      at += 2;
      while (VLAN_TYPES.has(etherType) && at + 4 <= end) {
        b.field(at, 2, false, 'value', 'VLAN TCI');
        b.field(at + 2, 2, false, 'type', 'ethertype');
        etherType = u16(bytes, at + 2, false);
        at += 4;
      }
      break;
    case 113: // Linux SLL
      if (end - start < 16) return;
      b.field(start + 14, 2, false, 'type', 'SLL protocol');
      etherType = u16(bytes, start + 14, false);
      at = start + 16;
      break;
    case 276: // Linux SLL2
      if (end - start < 20) return;
      b.field(start, 2, false, 'type', 'SLL2 protocol');
      etherType = u16(bytes, start, false);
      at = start + 20;
      break;
    case 0: // BSD NULL
    case 108: // OpenBSD LOOP
      if (end - start < 4) return;
      b.field(start, 4, linkType === 0, 'type', 'loopback family');
      etherType = ETHERTYPE_IPV4;
      at = start + 4;
      break;
    case 101:
    case 12:
    case 14:
    case 228:
      etherType = ETHERTYPE_IPV4;
      at = start;
      break;
    default:
      return;
  }
  b.mark(at);
  if (etherType === ETHERTYPE_IPV4) walkIpv4(b, at, end, false);
}

function walkIpv4(b: Builder, at: number, end: number, quoted: boolean): void {
  const bytes = b.bytes;
  if (end - at < 20 || bytes[at]! >> 4 !== 4) return;
  const headerLength = (bytes[at]! & 15) * 4;
  const totalLength = u16(bytes, at + 2, false);
  b.field(at, 1, false, 'length', 'IPv4 version/IHL');
  b.field(at + 2, 2, false, 'length', 'IPv4 total length');
  b.field(at + 4, 2, false, 'value', 'IPv4 identification');
  b.field(at + 6, 2, false, 'flags', 'IPv4 flags/fragment offset');
  b.field(at + 9, 1, false, 'type', 'IPv4 protocol');
  b.field(at + 12, 4, false, 'value', 'IPv4 source');
  b.field(at + 16, 4, false, 'value', 'IPv4 destination');
  const datagramEnd = Math.min(end, at + (totalLength === 0 ? end - at : totalLength));
  b.mark(at + headerLength, at + totalLength);
  if (headerLength < 20 || at + headerLength > datagramEnd) return;
  const fragmentOffset = u16(bytes, at + 6, false) & 0x1fff;
  if (fragmentOffset !== 0) return;
  const payload = at + headerLength;
  const protocol = bytes[at + 9];
  if (protocol === 17) walkUdp(b, payload, datagramEnd);
  else if (protocol === 1 && !quoted && datagramEnd - payload >= 8) {
    b.field(payload, 1, false, 'type', 'ICMP type');
    b.field(payload + 1, 1, false, 'value', 'ICMP code');
    b.mark(payload + 8);
    walkIpv4(b, payload + 8, datagramEnd, true);
  }
}

const DHCP_PORTS = new Set([67, 68, 4011]);

function walkUdp(b: Builder, at: number, end: number): void {
  const bytes = b.bytes;
  if (end - at < 8) return;
  const sport = u16(bytes, at, false);
  const dport = u16(bytes, at + 2, false);
  const length = u16(bytes, at + 4, false);
  b.field(at, 2, false, 'value', 'UDP source port');
  b.field(at + 2, 2, false, 'value', 'UDP destination port');
  b.field(at + 4, 2, false, 'length', 'UDP length');
  b.mark(at + 8, at + length);
  const payloadEnd = length >= 8 ? Math.min(end, at + length) : end;
  if (DHCP_PORTS.has(sport) || DHCP_PORTS.has(dport)) walkDhcp(b, at + 8, payloadEnd);
  else if (payloadEnd - at >= 10 && bytes[at + 8] === 0 && bytes[at + 9]! >= 1 && bytes[at + 9]! <= 6)
    walkTftp(b, at + 8, payloadEnd);
}

/** RFC 2131 fixed header, then RFC 2132 options (and option 52's overloaded fields). */
function walkDhcp(b: Builder, at: number, end: number): void {
  const bytes = b.bytes;
  b.field(at, 1, false, 'type', 'DHCP op');
  b.field(at + 2, 1, false, 'length', 'DHCP hlen');
  b.field(at + 4, 4, false, 'value', 'DHCP xid');
  b.field(at + 10, 2, false, 'flags', 'DHCP flags');
  b.field(at + 236, 4, false, 'value', 'DHCP magic cookie');
  b.mark(at + 28, at + 44, at + 108, at + 236, at + 240);
  if (end - at < 240) return;
  for (let p = at + 240; p < end; ) {
    const code = bytes[p]!;
    b.mark(p);
    if (code === 0) {
      p++;
      continue;
    }
    b.field(p, 1, false, 'type', 'DHCP option code');
    if (code === 255 || p + 1 >= end) return;
    const length = bytes[p + 1]!;
    b.field(p + 1, 1, false, 'length', 'DHCP option length');
    if (code === 52) {
      b.field(p + 2, 1, false, 'flags', 'DHCP option overload');
      // The fields option 52 hands over to options: their first option's code and length.
      b.field(at + 44, 1, false, 'type', 'DHCP option code in sname');
      b.field(at + 45, 1, false, 'length', 'DHCP option length in sname');
      b.field(at + 108, 1, false, 'type', 'DHCP option code in file');
      b.field(at + 109, 1, false, 'length', 'DHCP option length in file');
    }
    if (code === 53) b.field(p + 2, 1, false, 'type', 'DHCP message type');
    p += 2 + length;
    b.mark(p);
  }
}

/** RFC 1350 opcode and block, and every NUL that ends a string. */
function walkTftp(b: Builder, at: number, end: number): void {
  const bytes = b.bytes;
  b.field(at, 2, false, 'type', 'TFTP opcode');
  const opcode = u16(bytes, at, false);
  if (opcode >= 3 && opcode <= 5) b.field(at + 2, 2, false, 'value', 'TFTP block or error code');
  if (opcode === 3) return;
  for (let p = at + 2; p < end; p++) {
    if (bytes[p] === 0) {
      b.field(p, 1, false, 'nul', 'TFTP string NUL');
      b.mark(p, p + 1);
    }
  }
}
