import { frameTimestamp, timestampSeconds, type CapturedFrame } from '../capture/frame.js';
import { byteAt } from '../capture/bytes.js';
import { readMac, readU16, readU32 } from './address.js';
import { ICMP_DESTINATION_UNREACHABLE, unreachableCodeName } from './icmp.js';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  LINK_OK,
  LINK_UNKNOWN_TYPE,
  LinkLayer,
  readLinkLayer,
} from './link.js';
import type { ArpPacket, IcmpUnreachable, NetCounters, NetPacket, QuotedDatagram, UdpDatagram } from './packet.js';
import { DEFAULT_REASSEMBLY_LIMITS, Ipv4Reassembler, type ReassemblyLimits } from './reassembly.js';

const IP_PROTOCOL_ICMP = 1;
const IP_PROTOCOL_UDP = 17;
const IPV4_MIN_HEADER = 20;
/** The total length is 16 bits: no fragment can reach past 65535 - 20 payload bytes. */
const IPV4_MAX_PAYLOAD = 65535 - IPV4_MIN_HEADER;
const IPV4_MORE_FRAGMENTS = 0x2000;
const IPV4_FRAGMENT_OFFSET = 0x1fff;
const UDP_HEADER = 8;
/**
 * UDP's length field is 16 bits (RFC 768): no datagram is longer, whatever a broken length
 * field or an IPv4 total length of 0 (the rest of a frame of up to 16 MiB) would give.
 */
const UDP_MAX_LENGTH = 65535;
const ICMP_HEADER = 8;
const ARP_HTYPE_ETHERNET = 1;
const NOTHING: readonly number[] = Object.freeze([]);

/**
 * Decides from addresses and ports alone whether a UDP datagram (or the UDP datagram an ICMP
 * error quotes) is wanted. It is called before anything is built for the datagram, so that
 * the bulk of a capture is skipped without allocation.
 */
export type UdpFilter = (srcIp: number, dstIp: number, srcPort: number, dstPort: number) => boolean;

export interface NetworkDecoderOptions {
  /** Default: every UDP datagram is delivered. */
  readonly acceptUdp?: UdpFilter;
  readonly reassembly?: ReassemblyLimits;
}

interface LinkTypeCount {
  readonly linkType: number;
  frames: number;
}

/**
 * Decodes captured frames down to UDP datagrams, ICMP destination-unreachable messages and
 * ARP, reassembling IPv4 fragments. Feed frames in capture order; everything else (IPv6, TCP,
 * other ICMP, unknown link types) is counted and skipped.
 */
export class NetworkDecoder {
  private readonly acceptUdp: UdpFilter | undefined;
  private readonly reassembler: Ipv4Reassembler;
  private readonly link = new LinkLayer();
  private readonly linkTypeCounts = new Map<number, LinkTypeCount>();
  private lastLinkTypeCount: LinkTypeCount = { linkType: -1, frames: 0 };
  private frames = 0;
  private unknownLinkType = 0;
  private ipv4 = 0;
  private ipv6Skipped = 0;
  private nonIp = 0;
  private arp = 0;
  private udp = 0;
  private icmpUnreachable = 0;
  private fragments = 0;
  private reassembled = 0;
  private snapCut = 0;
  private malformed = 0;

  constructor(options: NetworkDecoderOptions = {}) {
    this.acceptUdp = options.acceptUdp;
    this.reassembler = new Ipv4Reassembler(options.reassembly ?? DEFAULT_REASSEMBLY_LIMITS);
  }

  get counters(): NetCounters {
    const framesByLinkType = new Map<number, number>();
    for (const [linkType, count] of this.linkTypeCounts) framesByLinkType.set(linkType, count.frames);
    return {
      frames: this.frames,
      framesByLinkType,
      unknownLinkType: this.unknownLinkType,
      ipv4: this.ipv4,
      ipv6Skipped: this.ipv6Skipped,
      nonIp: this.nonIp,
      arp: this.arp,
      udp: this.udp,
      icmpUnreachable: this.icmpUnreachable,
      fragments: this.fragments,
      reassembled: this.reassembled,
      fragmentSetsDropped: this.reassembler.dropped,
      fragmentSetsPending: this.reassembler.pending,
      snapCut: this.snapCut,
      malformed: this.malformed,
    };
  }

  /** The packet this frame carries or completes, or undefined when there is none or it was filtered out. */
  decode(frame: CapturedFrame): NetPacket | undefined {
    this.frames++;
    this.countLinkType(frame.linkType);
    const data = frame.data;
    // The FCS is only present when the snap length kept the end of the frame.
    const fcsKept = Math.max(0, frame.fcsBytes - (frame.originalLength - frame.capturedLength));
    const end = Math.max(0, data.length - fcsKept);
    const link = this.link;
    const status = readLinkLayer(frame.linkType, data, end, link);
    if (status !== LINK_OK) {
      if (status === LINK_UNKNOWN_TYPE) this.unknownLinkType++;
      else this.malformed++;
      return undefined;
    }
    switch (link.etherType) {
      case ETHERTYPE_IPV4:
        return this.decodeIpv4(frame, data, link.offset, end);
      case ETHERTYPE_IPV6:
        this.ipv6Skipped++;
        return undefined;
      case ETHERTYPE_ARP:
        return this.decodeArp(frame, data, link.offset, end);
      default:
        this.nonIp++;
        return undefined;
    }
  }

  private countLinkType(linkType: number): void {
    let count = this.lastLinkTypeCount;
    if (count.linkType !== linkType) {
      count = this.linkTypeCounts.get(linkType) ?? { linkType, frames: 0 };
      this.linkTypeCounts.set(linkType, count);
      this.lastLinkTypeCount = count;
    }
    count.frames++;
  }

  private decodeIpv4(frame: CapturedFrame, data: Uint8Array, at: number, end: number): NetPacket | undefined {
    if (end - at < IPV4_MIN_HEADER) {
      this.malformed++;
      return undefined;
    }
    const versionAndLength = byteAt(data, at);
    if (versionAndLength >> 4 !== 4) {
      this.malformed++;
      return undefined;
    }
    this.ipv4++;
    const headerLength = (versionAndLength & 15) * 4;
    let totalLength = readU16(data, at + 2);
    // A total length of 0 is what TCP segmentation offload leaves in captures of outgoing packets.
    if (totalLength === 0) totalLength = end - at;
    if (headerLength < IPV4_MIN_HEADER || totalLength < headerLength || at + headerLength > end) {
      this.malformed++;
      return undefined;
    }
    const declaredEnd = at + totalLength;
    let capturedEnd = declaredEnd;
    if (declaredEnd > end) {
      capturedEnd = end;
      if (frame.originalLength > frame.capturedLength) this.snapCut++;
      else this.malformed++;
    }
    const protocol = byteAt(data, at + 9);
    const srcIp = readU32(data, at + 12);
    const dstIp = readU32(data, at + 16);
    const fragmentField = readU16(data, at + 6);
    const payloadAt = at + headerLength;
    if ((fragmentField & (IPV4_MORE_FRAGMENTS | IPV4_FRAGMENT_OFFSET)) === 0) {
      return this.decodeTransport(frame, data, payloadAt, capturedEnd, declaredEnd, srcIp, dstIp, protocol, NOTHING);
    }
    this.fragments++;
    const fragmentOffset = (fragmentField & IPV4_FRAGMENT_OFFSET) * 8;
    if (capturedEnd < declaredEnd) {
      // A fragment cut by the snap length cannot be reassembled; the first one still shows
      // its headers, as Wireshark shows it. Where the datagram ends only its UDP length says.
      if (fragmentOffset !== 0) return undefined;
      return this.decodeTransport(
        frame,
        data,
        payloadAt,
        capturedEnd,
        Number.MAX_SAFE_INTEGER,
        srcIp,
        dstIp,
        protocol,
        [frame.frame],
      );
    }
    if (fragmentOffset + declaredEnd - payloadAt > IPV4_MAX_PAYLOAD) {
      this.malformed++;
      return undefined;
    }
    const identification = readU16(data, at + 4);
    const whole = this.reassembler.add(
      `${srcIp}:${dstIp}:${protocol}:${identification}`,
      fragmentOffset,
      (fragmentField & IPV4_MORE_FRAGMENTS) !== 0,
      data.subarray(payloadAt, declaredEnd),
      frame.frame,
      timestampSeconds(frameTimestamp(frame)),
    );
    if (whole === undefined) return undefined;
    this.reassembled++;
    const length = whole.payload.length;
    return this.decodeTransport(frame, whole.payload, 0, length, length, srcIp, dstIp, protocol, whole.frames);
  }

  /**
   * The IPv4 payload at `data[at, capturedEnd)`; `declaredEnd` is where it ends according to
   * the IPv4 total length (beyond `capturedEnd` when the snap length cut it).
   */
  private decodeTransport(
    frame: CapturedFrame,
    data: Uint8Array,
    at: number,
    capturedEnd: number,
    declaredEnd: number,
    srcIp: number,
    dstIp: number,
    protocol: number,
    fragmentFrames: readonly number[],
  ): NetPacket | undefined {
    if (protocol === IP_PROTOCOL_UDP) {
      if (capturedEnd - at < UDP_HEADER) {
        if (declaredEnd - at < UDP_HEADER) this.malformed++;
        return undefined;
      }
      this.udp++;
      const srcPort = readU16(data, at);
      const dstPort = readU16(data, at + 2);
      if (this.acceptUdp !== undefined && !this.acceptUdp(srcIp, dstIp, srcPort, dstPort)) return undefined;
      const udpLength = readU16(data, at + 4);
      let udpEnd = at + udpLength;
      if (udpLength < UDP_HEADER || udpEnd > declaredEnd) {
        this.malformed++;
        udpEnd = Math.min(declaredEnd, at + UDP_MAX_LENGTH);
      }
      const payloadEnd = Math.min(udpEnd, capturedEnd);
      // Literal objects without spreads: this path runs for every datagram the filter keeps.
      const link = this.link;
      const packet: UdpDatagram = {
        kind: 'udp',
        frame: frame.frame,
        captured: frame,
        vlanIds: link.vlanList(),
        srcMac: link.srcMac(frame.data),
        dstMac: link.dstMac(frame.data),
        srcIp,
        dstIp,
        fragmentFrames,
        srcPort,
        dstPort,
        udpLength,
        payload: view(data, at + UDP_HEADER, payloadEnd),
        truncated: payloadEnd < udpEnd,
      };
      return packet;
    }
    if (protocol === IP_PROTOCOL_ICMP)
      return this.decodeIcmp(frame, data, at, capturedEnd, srcIp, dstIp, fragmentFrames);
    return undefined;
  }

  /** The ICMP message at `data[at, capturedEnd)` when it is a destination unreachable, with the datagram it quotes. */
  private decodeIcmp(
    frame: CapturedFrame,
    data: Uint8Array,
    at: number,
    capturedEnd: number,
    srcIp: number,
    dstIp: number,
    fragmentFrames: readonly number[],
  ): IcmpUnreachable | undefined {
    if (capturedEnd - at < ICMP_HEADER || byteAt(data, at) !== ICMP_DESTINATION_UNREACHABLE) return undefined;
    const quoted = readQuoted(data, at + ICMP_HEADER, capturedEnd);
    if (
      quoted?.srcPort !== undefined &&
      quoted.dstPort !== undefined &&
      this.acceptUdp !== undefined &&
      !this.acceptUdp(quoted.srcIp, quoted.dstIp, quoted.srcPort, quoted.dstPort)
    ) {
      return undefined;
    }
    this.icmpUnreachable++;
    const code = byteAt(data, at + 1);
    return {
      kind: 'icmp-unreachable',
      frame: frame.frame,
      captured: frame,
      vlanIds: this.link.vlanList(),
      srcMac: this.link.srcMac(frame.data),
      dstMac: this.link.dstMac(frame.data),
      srcIp,
      dstIp,
      fragmentFrames,
      code,
      codeName: unreachableCodeName(code),
      quoted,
    };
  }

  private decodeArp(frame: CapturedFrame, data: Uint8Array, at: number, end: number): ArpPacket | undefined {
    this.arp++;
    // htype(2) ptype(2) hlen(1) plen(1) op(2) sha(6) spa(4) tha(6) tpa(4)
    if (end - at < 28) {
      this.malformed++;
      return undefined;
    }
    const htype = readU16(data, at);
    const ptype = readU16(data, at + 2);
    if (
      htype !== ARP_HTYPE_ETHERNET ||
      ptype !== ETHERTYPE_IPV4 ||
      byteAt(data, at + 4) !== 6 ||
      byteAt(data, at + 5) !== 4
    )
      return undefined;
    return {
      kind: 'arp',
      frame: frame.frame,
      captured: frame,
      vlanIds: this.link.vlanList(),
      srcMac: this.link.srcMac(frame.data),
      dstMac: this.link.dstMac(frame.data),
      op: readU16(data, at + 6),
      senderMac: readMac(data, at + 8),
      senderIp: readU32(data, at + 14),
      targetMac: readMac(data, at + 18),
      targetIp: readU32(data, at + 24),
    };
  }
}

/**
 * `bytes[start, end)` as a plain Uint8Array view. `subarray` on a Node Buffer (what readers
 * fed from `fs` hand over) goes through the species constructor, several times slower.
 */
function view(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}

/** The IPv4 header (and UDP header) that an ICMP error quotes at `data[at, end)`. */
function readQuoted(data: Uint8Array, at: number, end: number): QuotedDatagram | undefined {
  if (end - at < IPV4_MIN_HEADER || byteAt(data, at) >> 4 !== 4) return undefined;
  const headerLength = (byteAt(data, at) & 15) * 4;
  const protocol = byteAt(data, at + 9);
  const srcIp = readU32(data, at + 12);
  const dstIp = readU32(data, at + 16);
  const udpAt = at + headerLength;
  const firstFragment = (readU16(data, at + 6) & IPV4_FRAGMENT_OFFSET) === 0;
  if (protocol !== IP_PROTOCOL_UDP || !firstFragment || headerLength < IPV4_MIN_HEADER || end - udpAt < UDP_HEADER) {
    return { srcIp, dstIp, protocol };
  }
  const udpLength = readU16(data, udpAt + 4);
  const payloadEnd = Math.min(end, udpAt + (udpLength >= UDP_HEADER ? udpLength : UDP_MAX_LENGTH));
  return {
    srcIp,
    dstIp,
    protocol,
    srcPort: readU16(data, udpAt),
    dstPort: readU16(data, udpAt + 2),
    udpLength,
    udpPayload: view(data, udpAt + UDP_HEADER, payloadEnd),
  };
}
