/**
 * Byte builders for the fuzz suite: classic pcap and pcapng containers in either byte order,
 * link-layer framings, IPv4 fragments, and DHCP/TFTP payloads, all written from the specs
 * (RFC 791, RFC 768, RFC 2131/2132, RFC 1350/2347, draft-ietf-opsawg-pcap/pcapng).
 */
import { arpRequest, ethernetFrame, internetChecksum, udpDatagram } from '../bench/packet-builder.js';

export { concat, concatAll, type Bytes };
import { concat, concatAll, type Bytes } from '../bytes.js';

export function u16(v: number, le = false): number[] {
  const b = [(v >>> 8) & 0xff, v & 0xff];
  return le ? b.reverse() : b;
}

export function u32(v: number, le = false): number[] {
  const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return le ? b.reverse() : b;
}

export function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function pad4(b: Bytes): Uint8Array {
  return concat(b, new Array<number>((4 - (b.length % 4)) % 4).fill(0));
}

export function ip(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

// ---- containers -------------------------------------------------------------------------

/** `.pcapng` when the bytes start with a Section Header Block, else `.pcap`. */
export function captureExtension(bytes: Uint8Array): string {
  return bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a
    ? '.pcapng'
    : '.pcap';
}

export interface TimedPacket {
  /** Seconds since the epoch (fractions allowed). */
  readonly time: number;
  readonly data: Uint8Array;
  /** Bytes on the wire when the snap length cut `data`. */
  readonly originalLength?: number;
}

export interface PcapOptions {
  readonly le?: boolean;
  readonly nanos?: boolean;
  readonly linkType: number;
  readonly snapLength?: number;
  /** Link-type field bits 26..31 (FCS present, FCS length in 16-bit words). */
  readonly fcsWords?: number;
}

export function pcapFile(options: PcapOptions, packets: readonly TimedPacket[]): Uint8Array {
  const le = options.le ?? true;
  const units = options.nanos === true ? 1e9 : 1e6;
  const linkField =
    (options.linkType | (options.fcsWords === undefined ? 0 : 0x04000000 | (options.fcsWords << 28))) >>> 0;
  const parts: Bytes[] = [
    u32(options.nanos === true ? 0xa1b23c4d : 0xa1b2c3d4, le),
    u16(2, le),
    u16(4, le),
    u32(0, le),
    u32(0, le),
    u32(options.snapLength ?? 262144, le),
    u32(linkField, le),
  ];
  for (const p of packets) {
    const seconds = Math.floor(p.time);
    parts.push(
      u32(seconds, le),
      u32(Math.round((p.time - seconds) * units), le),
      u32(p.data.length, le),
      u32(p.originalLength ?? p.data.length, le),
      p.data,
    );
  }
  return concatAll(parts);
}

/** One pcapng option (code, length, value padded to 4). */
export function option(code: number, value: Bytes, le: boolean): Uint8Array {
  return concat(u16(code, le), u16(value.length, le), pad4(value));
}

export function endOfOptions(le: boolean): number[] {
  return [...u16(0, le), ...u16(0, le)];
}

/** A block: type, total length, body (padded), total length. */
export function block(type: number, body: Bytes, le: boolean): Uint8Array {
  const padded = pad4(body);
  const length = 12 + padded.length;
  return concat(u32(type, le), u32(length, le), padded, u32(length, le));
}

export function sectionHeader(le: boolean, options: Bytes = []): Uint8Array {
  // Byte-order magic 0x1a2b3c4d in the writer's order, version 1.0, section length unknown (-1).
  return block(
    0x0a0d0d0a,
    concat(u32(0x1a2b3c4d, le), u16(1, le), u16(0, le), u32(0xffffffff, le), u32(0xffffffff, le), options),
    le,
  );
}

export interface InterfaceOptions {
  readonly linkType: number;
  readonly snapLength?: number;
  readonly name?: string;
  /** if_tsresol byte; microseconds when absent. */
  readonly tsresol?: number;
  /** if_tsoffset seconds. */
  readonly tsoffset?: number;
  readonly fcsLength?: number;
}

export function interfaceDescription(o: InterfaceOptions, le: boolean): Uint8Array {
  const options: Bytes[] = [];
  if (o.name !== undefined) options.push(option(2, ascii(o.name), le));
  if (o.tsresol !== undefined) options.push(option(9, [o.tsresol], le));
  if (o.fcsLength !== undefined) options.push(option(13, [o.fcsLength], le));
  if (o.tsoffset !== undefined) {
    const high = Math.floor(o.tsoffset / 4294967296);
    const low = o.tsoffset - high * 4294967296;
    options.push(option(14, le ? [...u32(low, le), ...u32(high, le)] : [...u32(high, le), ...u32(low, le)], le));
  }
  if (options.length > 0) options.push(endOfOptions(le));
  return block(1, concat(u16(o.linkType, le), u16(0, le), u32(o.snapLength ?? 0, le), ...options), le);
}

/** Units per second of an if_tsresol byte (absent: microseconds). */
export function tsresolUnits(tsresol: number | undefined): number {
  if (tsresol === undefined) return 1e6;
  return (tsresol & 0x80) !== 0 ? 2 ** (tsresol & 0x7f) : 10 ** tsresol;
}

export function enhancedPacket(
  interfaceId: number,
  time: number,
  unitsPerSecond: number,
  data: Uint8Array,
  le: boolean,
  comments: readonly string[] = [],
): Uint8Array {
  const count = (BigInt(Math.round(time * 1e6)) * BigInt(unitsPerSecond)) / 1000000n;
  const options = comments.length === 0 ? [] : [...comments.map((c) => option(1, ascii(c), le)), endOfOptions(le)];
  return block(
    6,
    concat(
      u32(interfaceId, le),
      u32(Number(count >> 32n), le),
      u32(Number(count & 0xffffffffn), le),
      u32(data.length, le),
      u32(data.length, le),
      pad4(data),
      ...options,
    ),
    le,
  );
}

export function simplePacket(data: Uint8Array, le: boolean): Uint8Array {
  return block(3, concat(u32(data.length, le), pad4(data)), le);
}

export function nameResolution(le: boolean, ipv4: readonly [string, string][]): Uint8Array {
  const records = ipv4.map(([address, name]) => {
    const value = concat(ip(address), ascii(name), [0]);
    return concat(u16(1, le), u16(value.length, le), pad4(value));
  });
  return block(4, concat(...records, u16(0, le), u16(0, le)), le);
}

/** Interface Statistics Block with no options but the end marker. */
export function interfaceStatistics(interfaceId: number, le: boolean): Uint8Array {
  return block(5, concat(u32(interfaceId, le), u32(0, le), u32(0, le), endOfOptions(le)), le);
}

/** A custom block (0x00000BAD, copyable) with a private enterprise number and data. */
export function customBlock(le: boolean): Uint8Array {
  return block(0x00000bad, concat(u32(32473, le), ascii('fuzz')), le);
}

// ---- link layers ------------------------------------------------------------------------

export const LINK = { null: 0, ethernet: 1, raw: 101, sll: 113, ipv4: 228, sll2: 276 } as const;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;

export const CLIENT_MAC = Uint8Array.of(0x00, 0x0e, 0x84, 0xc0, 0x60, 0xa6);
export const SERVER_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x01);

/** An IPv4 packet (or, for Ethernet, ARP when `arp`) in the framing of `linkType`. */
export function frameFor(
  linkType: number,
  packet: Uint8Array,
  o: { src?: Uint8Array; vlanId?: number; arp?: boolean } = {},
): Uint8Array {
  const src = o.src ?? CLIENT_MAC;
  const etherType = o.arp === true ? ETHERTYPE_ARP : ETHERTYPE_IPV4;
  switch (linkType) {
    case LINK.ethernet:
      return ethernetFrame(
        { dst: SERVER_MAC, src, etherType, ...(o.vlanId === undefined ? {} : { vlanId: o.vlanId }) },
        packet,
      );
    case LINK.sll:
      return concat(u16(0), u16(1), u16(6), src, [0, 0], u16(etherType), packet);
    case LINK.sll2:
      return concat(u16(etherType), u16(0), u32(2), u16(1), [0, 6], src, [0, 0], packet);
    case LINK.null:
      return concat(u32(2, true), packet);
    default:
      return packet;
  }
}

export function arpFrame(): Uint8Array {
  return arpRequest(CLIENT_MAC, ip('192.0.2.20'), ip('192.0.2.1'));
}

// ---- IPv4 / UDP -------------------------------------------------------------------------

export interface Ipv4Header {
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  readonly protocol: number;
  readonly id: number;
  /** Fragment offset in bytes (a multiple of 8). */
  readonly offset?: number;
  readonly more?: boolean;
}

export function ipv4(h: Ipv4Header, payload: Uint8Array): Uint8Array {
  const header = Uint8Array.from([
    0x45,
    0,
    ...u16(20 + payload.length),
    ...u16(h.id & 0xffff),
    ...u16(((h.more === true ? 0x2000 : 0) | ((h.offset ?? 0) / 8)) & 0xffff),
    64,
    h.protocol,
    0,
    0,
    ...h.src,
    ...h.dst,
  ]);
  header.set(u16(internetChecksum(header)), 10);
  return concat(header, payload);
}

export function udp(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  payload: Uint8Array,
  id: number,
): Uint8Array {
  return ipv4({ src: ip(src), dst: ip(dst), protocol: 17, id }, udpDatagram(ip(src), ip(dst), sport, dport, payload));
}

/** The UDP datagram cut into IPv4 fragments of `sizes` payload bytes (multiples of 8 but the last). */
export function fragments(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  payload: Uint8Array,
  id: number,
  size: number,
): Uint8Array[] {
  const datagram = udpDatagram(ip(src), ip(dst), sport, dport, payload);
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < datagram.length; offset += size) {
    const piece = datagram.subarray(offset, Math.min(datagram.length, offset + size));
    out.push(
      ipv4({ src: ip(src), dst: ip(dst), protocol: 17, id, offset, more: offset + size < datagram.length }, piece),
    );
  }
  return out;
}

/** ICMP destination unreachable (RFC 792) quoting the first bytes of `quoted`. */
export function icmpUnreachable(src: string, dst: string, code: number, quoted: Uint8Array, id: number): Uint8Array {
  const body = concat([3, code, 0, 0, 0, 0, 0, 0], quoted.subarray(0, 28 + 16));
  body.set(u16(internetChecksum(body)), 2);
  return ipv4({ src: ip(src), dst: ip(dst), protocol: 1, id }, body);
}

// ---- DHCP / TFTP ------------------------------------------------------------------------

/** DHCP option: code, length, value. */
export function dhcpOption(code: number, value: Bytes): number[] {
  return [code, value.length, ...value];
}

export interface DhcpFields {
  readonly op: 1 | 2;
  readonly xid: number;
  readonly yiaddr?: string;
  readonly siaddr?: string;
  readonly giaddr?: string;
  readonly sname?: Bytes;
  readonly file?: Bytes;
}

export function dhcp(f: DhcpFields, options: Bytes): Uint8Array {
  const fixed = new Uint8Array(236);
  fixed.set([f.op, 1, 6, 0, ...u32(f.xid)]);
  if (f.yiaddr !== undefined) fixed.set(ip(f.yiaddr), 16);
  if (f.siaddr !== undefined) fixed.set(ip(f.siaddr), 20);
  if (f.giaddr !== undefined) fixed.set(ip(f.giaddr), 24);
  fixed.set(CLIENT_MAC, 28);
  if (f.sname !== undefined) fixed.set(f.sname, 44);
  if (f.file !== undefined) fixed.set(f.file, 108);
  return concat(fixed, [99, 130, 83, 99], options, [255]);
}

function nul(s: string): Uint8Array {
  return concat(ascii(s), [0]);
}

export function tftpRequest(opcode: 1 | 2, file: string, options: readonly [string, string][] = []): Uint8Array {
  return concat(u16(opcode), nul(file), nul('octet'), ...options.flatMap(([n, v]) => [nul(n), nul(v)]));
}

export function tftpOack(options: readonly [string, string][]): Uint8Array {
  return concat(u16(6), ...options.flatMap(([n, v]) => [nul(n), nul(v)]));
}

export function tftpData(block: number, data: Uint8Array): Uint8Array {
  return concat(u16(3), u16(block), data);
}

export function tftpAck(block: number): Uint8Array {
  return Uint8Array.from([...u16(4), ...u16(block)]);
}

export function tftpError(code: number, message: string): Uint8Array {
  return concat(u16(5), u16(code), nul(message));
}
