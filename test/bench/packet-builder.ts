/**
 * Builds well-formed Ethernet frames (optionally 802.1Q-tagged) carrying ARP, IPv4 or
 * IPv6 with UDP, TCP or ICMPv6, checksums included, so that tshark, tcpdump and phonedoc
 * all see valid traffic.
 */

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;

export const IP_PROTOCOL_TCP = 6;
export const IP_PROTOCOL_UDP = 17;
export const IP_PROTOCOL_ICMPV6 = 58;

/** Ethernet frames shorter than this (without FCS) are padded on the wire. */
const ETHERNET_MIN_LENGTH = 60;

export const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
export const ZERO_IPV4 = Uint8Array.of(0, 0, 0, 0);
export const BROADCAST_IPV4 = Uint8Array.of(255, 255, 255, 255);

/**
 * A zero-filled buffer carved from Node's shared allocation pool. The generator makes
 * millions of small buffers: one pool allocation per few dozen of them, instead of one
 * each, keeps the garbage collector ahead and the memory flat.
 */
export function zeroed(length: number): Buffer {
  return Buffer.allocUnsafe(length).fill(0);
}

export function ipv4Address(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

export function ipv4Text(address: Uint8Array): string {
  return Array.from(address).join('.');
}

/** Upper-case hex without separators, as Cisco phones spell their MAC in file names. */
export function macHex(mac: Uint8Array): string {
  return Buffer.from(mac).toString('hex').toUpperCase();
}

export interface EthernetOptions {
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly etherType: number;
  /** 802.1Q VLAN id; the frame is untagged when absent. */
  readonly vlanId?: number;
  /** 802.1Q priority code point (5 is what phones use for voice). */
  readonly priority?: number;
}

export function ethernetFrame(options: EthernetOptions, payload: Uint8Array): Buffer {
  const tagLength = options.vlanId === undefined ? 0 : 4;
  const headerLength = 14 + tagLength;
  const frame = zeroed(Math.max(ETHERNET_MIN_LENGTH, headerLength + payload.length));
  frame.set(options.dst, 0);
  frame.set(options.src, 6);
  if (options.vlanId !== undefined) {
    frame.writeUInt16BE(ETHERTYPE_VLAN, 12);
    frame.writeUInt16BE(((options.priority ?? 0) << 13) | options.vlanId, 14);
  }
  frame.writeUInt16BE(options.etherType, 12 + tagLength);
  frame.set(payload, headerLength);
  return frame;
}

/** RFC 826 request: "who has targetIp, tell senderIp". */
export function arpRequest(senderMac: Uint8Array, senderIp: Uint8Array, targetIp: Uint8Array): Buffer {
  const arp = zeroed(28);
  arp.writeUInt16BE(1, 0); // hardware type Ethernet
  arp.writeUInt16BE(ETHERTYPE_IPV4, 2);
  arp[4] = 6;
  arp[5] = 4;
  arp.writeUInt16BE(1, 6); // request
  arp.set(senderMac, 8);
  arp.set(senderIp, 14);
  arp.set(targetIp, 24);
  return ethernetFrame({ dst: BROADCAST_MAC, src: senderMac, etherType: ETHERTYPE_ARP }, arp);
}

/** RFC 1071 Internet checksum over the concatenation of `parts`. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const part of parts) {
    let i = 0;
    if (odd !== undefined && part.length > 0) {
      sum += (odd << 8) | (part[0] as number);
      odd = undefined;
      i = 1;
    }
    for (; i + 1 < part.length; i += 2) sum += ((part[i] as number) << 8) | (part[i + 1] as number);
    if (i < part.length) odd = part[i] as number;
    if (sum > 0x7fffffff) sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface Ipv4Options {
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  readonly protocol: number;
  readonly id: number;
  readonly ttl?: number;
  /** DSCP (46 = EF, what phones mark RTP with). */
  readonly dscp?: number;
}

export function ipv4Packet(options: Ipv4Options, payload: Uint8Array): Buffer {
  const packet = zeroed(20 + payload.length);
  packet[0] = 0x45;
  packet[1] = (options.dscp ?? 0) << 2;
  packet.writeUInt16BE(packet.length, 2);
  packet.writeUInt16BE(options.id & 0xffff, 4);
  packet.writeUInt16BE(0x4000, 6); // don't fragment
  packet[8] = options.ttl ?? 64;
  packet[9] = options.protocol;
  packet.set(options.src, 12);
  packet.set(options.dst, 16);
  packet.writeUInt16BE(internetChecksum(packet.subarray(0, 20)), 10);
  packet.set(payload, 20);
  return packet;
}

export function ipv6Packet(
  src: Uint8Array,
  dst: Uint8Array,
  nextHeader: number,
  payload: Uint8Array,
  hopLimit = 64,
): Buffer {
  const packet = zeroed(40 + payload.length);
  packet.writeUInt32BE(0x60000000, 0);
  packet.writeUInt16BE(payload.length, 4);
  packet[6] = nextHeader;
  packet[7] = hopLimit;
  packet.set(src, 8);
  packet.set(dst, 24);
  packet.set(payload, 40);
  return packet;
}

/** The pseudo-header that UDP, TCP and ICMPv6 checksums cover (RFC 768, RFC 793, RFC 8200 §8.1). */
function pseudoHeader(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): Buffer {
  if (src.length === 4) {
    const header = zeroed(12);
    header.set(src, 0);
    header.set(dst, 4);
    header[9] = protocol;
    header.writeUInt16BE(length, 10);
    return header;
  }
  const header = zeroed(40);
  header.set(src, 0);
  header.set(dst, 16);
  header.writeUInt32BE(length, 32);
  header[39] = protocol;
  return header;
}

export function udpDatagram(
  src: Uint8Array,
  dst: Uint8Array,
  srcPort: number,
  dstPort: number,
  payload: Uint8Array,
): Buffer {
  const datagram = zeroed(8 + payload.length);
  datagram.writeUInt16BE(srcPort, 0);
  datagram.writeUInt16BE(dstPort, 2);
  datagram.writeUInt16BE(datagram.length, 4);
  datagram.set(payload, 8);
  // RFC 768: a computed checksum of zero is sent as all ones.
  const checksum = internetChecksum(pseudoHeader(src, dst, IP_PROTOCOL_UDP, datagram.length), datagram);
  datagram.writeUInt16BE(checksum === 0 ? 0xffff : checksum, 6);
  return datagram;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpOptions {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window?: number;
}

export function tcpSegment(src: Uint8Array, dst: Uint8Array, options: TcpOptions, payload: Uint8Array): Buffer {
  const segment = zeroed(20 + payload.length);
  segment.writeUInt16BE(options.srcPort, 0);
  segment.writeUInt16BE(options.dstPort, 2);
  segment.writeUInt32BE(options.seq >>> 0, 4);
  segment.writeUInt32BE(options.ack >>> 0, 8);
  segment[12] = 5 << 4;
  segment[13] = options.flags;
  segment.writeUInt16BE(options.window ?? 64240, 14);
  segment.set(payload, 20);
  segment.writeUInt16BE(internetChecksum(pseudoHeader(src, dst, IP_PROTOCOL_TCP, segment.length), segment), 16);
  return segment;
}

/** ICMPv6 message with its checksum (RFC 4443 §2.3). */
export function icmpv6Message(src: Uint8Array, dst: Uint8Array, type: number, code: number, body: Uint8Array): Buffer {
  const message = zeroed(4 + body.length);
  message[0] = type;
  message[1] = code;
  message.set(body, 4);
  message.writeUInt16BE(internetChecksum(pseudoHeader(src, dst, IP_PROTOCOL_ICMPV6, message.length), message), 2);
  return message;
}
