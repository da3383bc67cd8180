import type { CapturedFrame } from '../capture/frame.js';

/**
 * What the network decoder delivers. Addresses are numbers (`ipv4ToString`, `macToString`
 * in `address.ts` make strings).
 */
export type NetPacket = UdpDatagram | IcmpUnreachable | ArpPacket;

export interface LinkFields {
  /** Frame number; for a reassembled datagram the frame that completed it (as Wireshark does). */
  readonly frame: number;
  /**
   * The frame this packet was delivered with: its time (`frameTimestamp`) and interface id.
   * Its `data` may be a view into a buffer the reader reuses: do not read it later.
   */
  readonly captured: CapturedFrame;
  /** 802.1Q/802.1ad VLAN ids, outer first; empty when untagged. */
  readonly vlanIds: readonly number[];
  /**
   * 48-bit MAC address values; undefined when the link layer has none (raw IP, loopback, cooked
   * capture of a non-Ethernet device).
   */
  readonly srcMac: number | undefined;
  readonly dstMac: number | undefined;
}

interface IpFields extends LinkFields {
  readonly srcIp: number;
  readonly dstIp: number;
  /** Frame numbers of the IPv4 fragments, in offset order; empty when the datagram was not fragmented. */
  readonly fragmentFrames: readonly number[];
}

export interface UdpDatagram extends IpFields {
  readonly kind: 'udp';
  readonly srcPort: number;
  readonly dstPort: number;
  /** The UDP length field (header included). */
  readonly udpLength: number;
  /**
   * The payload, limited to the UDP length and to the captured bytes. May be a view into the
   * frame data: copy it to keep it beyond the call that delivered it.
   */
  readonly payload: Uint8Array;
  /** The snap length (or a short frame) cut the payload: `payload` is shorter than the UDP length says. */
  readonly truncated: boolean;
}

/** The IPv4 header, and the UDP header when there is one, that an ICMP error quotes. */
export interface QuotedDatagram {
  readonly srcIp: number;
  readonly dstIp: number;
  /** IP protocol number (17 UDP). */
  readonly protocol: number;
  /** Present when the quoted datagram is UDP, not a later fragment, and its header was quoted. */
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly udpLength?: number;
  /** The quoted UDP payload bytes, as many as the ICMP message carries (a view: copy to keep). */
  readonly udpPayload?: Uint8Array;
}

/** ICMP destination unreachable (type 3). */
export interface IcmpUnreachable extends IpFields {
  readonly kind: 'icmp-unreachable';
  readonly code: number;
  /** RFC 792 / RFC 1812 name of the code, e.g. `port unreachable`. */
  readonly codeName: string;
  /** Undefined when the message is too short to quote an IPv4 header. */
  readonly quoted: QuotedDatagram | undefined;
}

/** ARP for IPv4 over Ethernet (RFC 826). */
export interface ArpPacket extends LinkFields {
  readonly kind: 'arp';
  /** 1 request, 2 reply. */
  readonly op: number;
  readonly senderMac: number;
  readonly senderIp: number;
  readonly targetMac: number;
  readonly targetIp: number;
}

export interface NetCounters {
  readonly frames: number;
  readonly framesByLinkType: ReadonlyMap<number, number>;
  /** Frames of a link type this decoder does not read (skipped). */
  readonly unknownLinkType: number;
  readonly ipv4: number;
  readonly ipv6Skipped: number;
  /** Frames that are neither IPv4, IPv6 nor ARP. */
  readonly nonIp: number;
  readonly arp: number;
  /** UDP datagrams, delivered or not (fragmented ones counted once, when reassembled). */
  readonly udp: number;
  readonly icmpUnreachable: number;
  /** IPv4 fragments seen. */
  readonly fragments: number;
  readonly reassembled: number;
  /** Incomplete fragment sets given up: older than the timeout, or evicted under the memory cap. */
  readonly fragmentSetsDropped: number;
  /** Fragment sets still waiting for fragments. */
  readonly fragmentSetsPending: number;
  /** IPv4 datagrams the snap length cut short. */
  readonly snapCut: number;
  /** Frames or headers that contradict themselves (lengths, versions); decoded as far as they allow. */
  readonly malformed: number;
}
