/**
 * From captured frames to what phonedoc cares about: decoded DHCP and TFTP packets, TFTP
 * transfers, DHCP exchanges and ARP sightings. One pass, pure (the caller feeds frames; see
 * `src/sources/capture-input.ts` for the I/O), used by `decode`, `transfers` and the engine.
 *
 * Which datagrams are decoded: DHCP by port (67/68/4011), TFTP by the conversation table
 * (port 69 plus the server's new port, as tshark does). Everything else is rejected from
 * addresses and ports before any object is built.
 */
import { frameTimestamp, timestampSeconds, type CapturedFrame, type Timestamp } from './frame.js';
import type { CaptureSink } from './reader.js';
import type { CaptureProblem } from './problem.js';
import { decodeDhcp, isDhcpPort, type DhcpMessage } from '../dhcp/decode.js';
import { DhcpExchangeTracker, type DhcpExchange } from '../dhcp/exchanges.js';
import { ipv4ToString, macToString } from '../net/address.js';
import { NetworkDecoder } from '../net/decoder.js';
import type { IcmpUnreachable, NetCounters, UdpDatagram } from '../net/packet.js';
import { TFTP_SERVER_PORT } from '../tftp/conversations.js';
import { decodeTftp, type TftpPacket } from '../tftp/decode.js';
import { TftpTransferTracker, type TftpTransfer } from '../tftp/transfers.js';

/** Where a decoded packet was seen. For a packet quoted by an ICMP error, the quoted datagram's addresses. */
export interface PacketPlace {
  readonly frame: number;
  readonly time: Timestamp;
  readonly interfaceId: number;
  readonly vlanIds: readonly number[];
  /** `aa:bb:cc:dd:ee:ff` of the Ethernet source, when the link layer has one. */
  readonly srcMac: string | undefined;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  /** The snap length (or an ICMP quote) cut the UDP payload. */
  readonly truncated: boolean;
  /** Frame numbers of the IPv4 fragments the datagram was rebuilt from; empty when not fragmented. */
  readonly fragmentFrames: readonly number[];
  /** Set when the datagram is the one quoted by an ICMP destination-unreachable message. */
  readonly icmp: IcmpQuote | undefined;
}

export interface IcmpQuote {
  /** Sender of the ICMP message (the host that refused the datagram). */
  readonly from: string;
  readonly to: string;
  readonly code: number;
  readonly codeName: string;
}

export type DecodedPacket =
  | (PacketPlace & { readonly proto: 'dhcp'; readonly dhcp: DhcpMessage })
  | (PacketPlace & { readonly proto: 'tftp'; readonly tftp: TftpPacket });

/** An ARP packet: who says it has which address (for IP <-> MAC mapping). */
export interface ArpSighting {
  readonly frame: number;
  readonly time: Timestamp;
  readonly mac: string;
  readonly ip: string;
}

export interface CaptureDecoderHandlers {
  readonly packet?: (packet: DecodedPacket) => void;
  readonly transfer?: (transfer: TftpTransfer) => void;
  readonly exchange?: (exchange: DhcpExchange) => void;
  readonly arp?: (arp: ArpSighting) => void;
  readonly problem: (problem: CaptureProblem) => void;
}

export interface CaptureDecoderOptions {
  /** Largest rebuilt TFTP file kept in memory (above it: SHA-256 and size only). 0 keeps none. */
  readonly maxTransferContentBytes?: number;
}

export interface CaptureSummary {
  readonly frames: number;
  /** Frames whose captured length is below the original length. */
  readonly snapCutFrames: number;
  readonly firstTime: Timestamp | undefined;
  readonly lastTime: Timestamp | undefined;
  readonly net: NetCounters;
}

export class CaptureDecoder implements CaptureSink {
  private readonly handlers: CaptureDecoderHandlers;
  private readonly transfers: TftpTransferTracker;
  private readonly exchanges: DhcpExchangeTracker;
  private readonly net: NetworkDecoder;
  private frames = 0;
  private snapCutFrames = 0;
  private firstFrame: CapturedFrame | undefined;
  private lastTime: Timestamp | undefined;

  constructor(handlers: CaptureDecoderHandlers, options: CaptureDecoderOptions = {}) {
    this.handlers = handlers;
    this.transfers = new TftpTransferTracker({
      onTransfer: (transfer) => this.handlers.transfer?.(transfer),
      ...(options.maxTransferContentBytes === undefined ? {} : { maxContentBytes: options.maxTransferContentBytes }),
    });
    this.exchanges = new DhcpExchangeTracker({ onExchange: (exchange) => this.handlers.exchange?.(exchange) });
    const conversations = this.transfers.conversations;
    this.net = new NetworkDecoder({
      acceptUdp: (_srcIp, _dstIp, sport, dport) =>
        isDhcpPort(sport) || isDhcpPort(dport) || conversations.mayMatch(sport, dport),
    });
  }

  frame(frame: CapturedFrame): void {
    this.frames++;
    if (frame.capturedLength < frame.originalLength) this.snapCutFrames++;
    if (this.firstFrame === undefined) this.firstFrame = frame;
    const packet = this.net.decode(frame);
    if (packet === undefined) return;
    const time = frameTimestamp(packet.captured);
    this.lastTime = time;
    switch (packet.kind) {
      case 'udp':
        this.udp(packet, time);
        break;
      case 'icmp-unreachable':
        this.icmp(packet, time);
        break;
      case 'arp':
        this.handlers.arp?.({
          frame: packet.frame,
          time,
          mac: macToString(packet.senderMac),
          ip: ipv4ToString(packet.senderIp),
        });
        break;
    }
  }

  problem(problem: CaptureProblem): void {
    this.handlers.problem(problem);
  }

  /** What is still open (TFTP transfers under way, DHCP exchanges not settled), as it stands now. */
  pending(): { transfers: TftpTransfer[]; exchanges: DhcpExchange[] } {
    return { transfers: this.transfers.running(), exchanges: this.exchanges.pending() };
  }

  /**
   * Capture time has reached `time` with no frame (a live capture's clock, or a replay's):
   * transfers and exchanges idle long enough end now instead of when the next frame comes.
   */
  advance(time: Timestamp): void {
    this.transfers.advance(time);
    this.exchanges.advance(timestampSeconds(time));
  }

  /** End of the capture: emits the transfers and exchanges still open. */
  finish(): CaptureSummary {
    this.transfers.finish();
    this.exchanges.finish();
    return {
      frames: this.frames,
      snapCutFrames: this.snapCutFrames,
      firstTime: this.firstFrame === undefined ? undefined : frameTimestamp(this.firstFrame),
      lastTime: this.lastTime,
      net: this.net.counters,
    };
  }

  private udp(datagram: UdpDatagram, time: Timestamp): void {
    const { srcIp, dstIp, srcPort, dstPort, payload } = datagram;
    if (isDhcpPort(srcPort) || isDhcpPort(dstPort)) {
      const dhcp = decodeDhcp(payload);
      const place = this.udpPlace(datagram, time);
      this.exchanges.add({ frame: place.frame, time, srcIp: place.src, message: dhcp });
      this.handlers.packet?.({ ...place, proto: 'dhcp', dhcp });
      return;
    }
    const match = this.transfers.conversations.match(srcIp, srcPort, dstIp, dstPort, payload, timestampSeconds(time));
    if (match === undefined) return;
    const tftp = decodeTftp(payload);
    this.transfers.add(match, tftp, {
      frame: datagram.frame,
      time,
      ...(datagram.truncated ? { wireLength: datagram.udpLength - 8 } : {}),
    });
    if (this.handlers.packet) {
      const place = this.udpPlace(datagram, time);
      this.handlers.packet({ ...place, proto: 'tftp', tftp });
    }
  }

  /** The datagram an ICMP error quotes is shown as what it was (DHCP or TFTP), marked with the ICMP message. */
  private icmp(message: IcmpUnreachable, time: Timestamp): void {
    const quoted = message.quoted;
    if (quoted?.srcPort === undefined || quoted.dstPort === undefined || quoted.udpPayload === undefined) return;
    this.transfers.icmpUnreachable({
      frame: message.frame,
      time,
      code: message.code,
      quotedSrcIp: quoted.srcIp,
      quotedSport: quoted.srcPort,
      quotedDstIp: quoted.dstIp,
      quotedDport: quoted.dstPort,
    });
    if (!this.handlers.packet) return;
    const icmp: IcmpQuote = {
      from: ipv4ToString(message.srcIp),
      to: ipv4ToString(message.dstIp),
      code: message.code,
      codeName: message.codeName,
    };
    const truncated = quoted.udpLength === undefined || quoted.udpPayload.length < quoted.udpLength - 8;
    const place = this.place(
      message,
      time,
      ipv4ToString(quoted.srcIp),
      ipv4ToString(quoted.dstIp),
      quoted.srcPort,
      quoted.dstPort,
      truncated,
      icmp,
    );
    if (isDhcpPort(quoted.srcPort) || isDhcpPort(quoted.dstPort)) {
      this.handlers.packet({ ...place, proto: 'dhcp', dhcp: decodeDhcp(quoted.udpPayload) });
    } else if (this.isTftpQuote(quoted.srcIp, quoted.srcPort, quoted.dstIp, quoted.dstPort)) {
      this.handlers.packet({ ...place, proto: 'tftp', tftp: decodeTftp(quoted.udpPayload) });
    }
  }

  private isTftpQuote(srcIp: number, sport: number, dstIp: number, dport: number): boolean {
    const table = this.transfers.conversations;
    if (!table.mayMatch(sport, dport)) return false;
    if (sport === TFTP_SERVER_PORT || dport === TFTP_SERVER_PORT) return true;
    return table.find(srcIp, sport)?.serverIp === dstIp || table.find(dstIp, dport)?.serverIp === srcIp;
  }

  /** Where a datagram of its own (not one an ICMP error quotes) was seen. */
  private udpPlace(datagram: UdpDatagram, time: Timestamp): PacketPlace {
    const { srcIp, dstIp, srcPort, dstPort } = datagram;
    return this.place(
      datagram,
      time,
      ipv4ToString(srcIp),
      ipv4ToString(dstIp),
      srcPort,
      dstPort,
      datagram.truncated,
      undefined,
    );
  }

  private place(
    packet: UdpDatagram | IcmpUnreachable,
    time: Timestamp,
    src: string,
    dst: string,
    sport: number,
    dport: number,
    truncated: boolean,
    icmp: IcmpQuote | undefined,
  ): PacketPlace {
    return {
      frame: packet.frame,
      time,
      interfaceId: packet.captured.interfaceId,
      vlanIds: packet.vlanIds,
      srcMac: packet.srcMac === undefined ? undefined : macToString(packet.srcMac),
      src,
      dst,
      sport,
      dport,
      truncated,
      fragmentFrames: packet.fragmentFrames,
      icmp,
    };
  }
}
