/**
 * The unrelated traffic of a voice-VLAN capture that the phone boots are buried in:
 * mostly RTP between many phones and gateways, some TCP (SIP, SCCP keepalives, the
 * phones' HTTP service pages), ARP, IPv6 neighbour discovery and mDNS, and a few
 * 802.1Q-tagged RTP frames. Addresses are in 10.0.0.0/8 and 2001:db8::/32, apart from
 * the phone boots' own networks, so no background frame looks like DHCP or TFTP.
 */
import {
  arpRequest,
  ethernetFrame,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  icmpv6Message,
  IP_PROTOCOL_ICMPV6,
  IP_PROTOCOL_TCP,
  IP_PROTOCOL_UDP,
  ipv4Packet,
  ipv6Packet,
  TCP_ACK,
  TCP_PSH,
  tcpSegment,
  udpDatagram,
  zeroed,
} from './packet-builder.js';
import type { Prng } from './prng.js';

export const BACKGROUND_KINDS = [
  'rtp',
  'rtp-vlan',
  'sip-tcp',
  'sccp-tcp',
  'http-tcp',
  'arp',
  'ipv6-ns',
  'ipv6-mdns',
] as const;
export type BackgroundKind = (typeof BACKGROUND_KINDS)[number];

/** Share of each kind among background frames. */
const KIND_WEIGHTS: Readonly<Record<BackgroundKind, number>> = {
  rtp: 0.855,
  'rtp-vlan': 0.01,
  'sip-tcp': 0.03,
  'sccp-tcp': 0.02,
  'http-tcp': 0.035,
  arp: 0.025,
  'ipv6-ns': 0.015,
  'ipv6-mdns': 0.01,
};

/** G.711 at 20 ms per packet. */
const RTP_PAYLOAD_BYTES = 160;
const VOICE_VLAN_ID = 100;
const DSCP_EF = 46;
const DSCP_CS3 = 24;
const PHONE_COUNT = 600;
const RTP_STREAM_COUNT = 400;
const TCP_CONNECTION_COUNT = 60;

interface Host {
  readonly mac: Uint8Array;
  readonly ipv4: Uint8Array;
  readonly linkLocal: Uint8Array;
}

interface RtpStream {
  readonly from: Host;
  readonly to: Host;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly ssrc: number;
  readonly payloadType: number;
  seq: number;
  timestamp: number;
}

type TcpService = 'sip' | 'sccp' | 'http';

interface TcpConnection {
  readonly service: TcpService;
  readonly client: Host;
  readonly server: Host;
  readonly clientPort: number;
  readonly serverPort: number;
  clientSeq: number;
  serverSeq: number;
  /** The client spoke last; the server answers next. */
  awaitingReply: boolean;
}

export class VoiceVlanTraffic {
  readonly counts: Record<BackgroundKind, number> = Object.fromEntries(BACKGROUND_KINDS.map((k) => [k, 0])) as Record<
    BackgroundKind,
    number
  >;
  private readonly phones: Host[];
  private readonly callManager: Host;
  private readonly webServer: Host;
  private readonly router: Host;
  private readonly streams: RtpStream[];
  private readonly connections: Record<TcpService, TcpConnection[]> = { sip: [], sccp: [], http: [] };
  private readonly payloadPool: Buffer;
  private readonly cumulative: { kind: BackgroundKind; upTo: number }[];
  private ipId = 1;

  constructor(private readonly prng: Prng) {
    this.phones = Array.from({ length: PHONE_COUNT }, (_, i) =>
      makeHost(Uint8Array.of(0x00, 0x1b, 0x54, 0x20, i >> 8, i & 0xff), Uint8Array.of(10, 20, i >> 8, (i & 0xff) + 1)),
    );
    this.router = makeHost(Uint8Array.of(0x00, 0x1b, 0x54, 0x30, 0, 1), Uint8Array.of(10, 20, 255, 254));
    this.callManager = makeHost(Uint8Array.of(0x00, 0x1b, 0x54, 0x30, 0, 10), Uint8Array.of(10, 30, 0, 10));
    this.webServer = makeHost(Uint8Array.of(0x00, 0x1b, 0x54, 0x30, 0, 20), Uint8Array.of(10, 30, 0, 20));
    const gateways = Array.from({ length: 8 }, (_, i) =>
      makeHost(Uint8Array.of(0x00, 0x1b, 0x54, 0x31, 0, i), Uint8Array.of(10, 31, 0, i + 1)),
    );
    const evenPort = (): number => 16384 + 2 * prng.below(8192);
    this.streams = Array.from({ length: RTP_STREAM_COUNT }, () => {
      const from = prng.pick(this.phones);
      const to = prng.float() < 0.5 ? prng.pick(this.phones) : prng.pick(gateways);
      return {
        from,
        to,
        srcPort: evenPort(),
        dstPort: evenPort(),
        ssrc: prng.uint32(),
        payloadType: prng.float() < 0.7 ? 0 : 8,
        seq: prng.below(65536),
        timestamp: prng.uint32(),
      };
    });
    const services: readonly TcpService[] = ['sip', 'sccp', 'http'];
    for (let i = 0; i < TCP_CONNECTION_COUNT; i++) {
      const service = services[i % services.length] as TcpService;
      this.connections[service].push({
        service,
        client: prng.pick(this.phones),
        server: service === 'http' ? this.webServer : this.callManager,
        clientPort: 32768 + prng.below(28232),
        serverPort: SERVICE_PORTS[service],
        clientSeq: prng.uint32(),
        serverSeq: prng.uint32(),
        awaitingReply: false,
      });
    }
    this.payloadPool = Buffer.alloc(65536);
    for (let i = 0; i < this.payloadPool.length; i += 4) this.payloadPool.writeUInt32LE(prng.uint32(), i);
    let upTo = 0;
    this.cumulative = BACKGROUND_KINDS.map((kind) => {
      upTo += KIND_WEIGHTS[kind];
      return { kind, upTo };
    });
  }

  /** The next background frame (Ethernet). */
  next(): Buffer {
    const draw = this.prng.float() * (this.cumulative.at(-1)?.upTo ?? 1);
    const kind = this.cumulative.find((entry) => draw < entry.upTo)?.kind ?? 'rtp';
    this.counts[kind] += 1;
    switch (kind) {
      case 'rtp':
        return this.rtp(undefined);
      case 'rtp-vlan':
        return this.rtp(VOICE_VLAN_ID);
      case 'sip-tcp':
        return this.tcp('sip');
      case 'sccp-tcp':
        return this.tcp('sccp');
      case 'http-tcp':
        return this.tcp('http');
      case 'arp':
        return this.arp();
      case 'ipv6-ns':
        return this.neighbourSolicitation();
      case 'ipv6-mdns':
        return this.mdnsQuery();
    }
  }

  private rtp(vlanId: number | undefined): Buffer {
    const stream = this.prng.pick(this.streams);
    stream.seq = (stream.seq + 1) & 0xffff;
    stream.timestamp = (stream.timestamp + RTP_PAYLOAD_BYTES) >>> 0;
    // RFC 3550 §5.1 fixed header: V=2, no padding/extension/CSRC.
    const rtp = zeroed(12 + RTP_PAYLOAD_BYTES);
    rtp[0] = 0x80;
    rtp[1] = stream.payloadType;
    rtp.writeUInt16BE(stream.seq, 2);
    rtp.writeUInt32BE(stream.timestamp, 4);
    rtp.writeUInt32BE(stream.ssrc, 8);
    const offset = this.prng.below(this.payloadPool.length - RTP_PAYLOAD_BYTES);
    this.payloadPool.copy(rtp, 12, offset, offset + RTP_PAYLOAD_BYTES);
    const { from, to } = stream;
    const udp = udpDatagram(from.ipv4, to.ipv4, stream.srcPort, stream.dstPort, rtp);
    const ip = ipv4Packet(
      { src: from.ipv4, dst: to.ipv4, protocol: IP_PROTOCOL_UDP, id: this.ipId++, dscp: DSCP_EF },
      udp,
    );
    const link = vlanId === undefined ? {} : { vlanId, priority: 5 };
    return ethernetFrame({ dst: to.mac, src: from.mac, etherType: ETHERTYPE_IPV4, ...link }, ip);
  }

  private tcp(service: TcpService): Buffer {
    const connection = this.prng.pick(this.connections[service]);
    const fromClient = !connection.awaitingReply;
    const payload = fromClient ? clientMessage(connection, this.prng) : serverMessage(connection, this.prng);
    const [src, dst] = fromClient ? [connection.client, connection.server] : [connection.server, connection.client];
    const segment = tcpSegment(
      src.ipv4,
      dst.ipv4,
      {
        srcPort: fromClient ? connection.clientPort : connection.serverPort,
        dstPort: fromClient ? connection.serverPort : connection.clientPort,
        seq: fromClient ? connection.clientSeq : connection.serverSeq,
        ack: fromClient ? connection.serverSeq : connection.clientSeq,
        flags: TCP_ACK | TCP_PSH,
      },
      payload,
    );
    if (fromClient) connection.clientSeq = (connection.clientSeq + payload.length) >>> 0;
    else connection.serverSeq = (connection.serverSeq + payload.length) >>> 0;
    connection.awaitingReply = fromClient;
    const ip = ipv4Packet(
      { src: src.ipv4, dst: dst.ipv4, protocol: IP_PROTOCOL_TCP, id: this.ipId++, dscp: DSCP_CS3 },
      segment,
    );
    return ethernetFrame({ dst: dst.mac, src: src.mac, etherType: ETHERTYPE_IPV4 }, ip);
  }

  private arp(): Buffer {
    const asker = this.prng.pick(this.phones);
    const target = this.prng.float() < 0.6 ? this.router : this.prng.pick(this.phones);
    return arpRequest(asker.mac, asker.ipv4, target.ipv4);
  }

  /** RFC 4861 §4.3 neighbour solicitation to the target's solicited-node multicast address. */
  private neighbourSolicitation(): Buffer {
    const asker = this.prng.pick(this.phones);
    const target = this.prng.pick(this.phones).linkLocal;
    const dst = Buffer.from('ff0200000000000000000001ff000000', 'hex');
    dst.set(target.subarray(13), 13);
    const body = zeroed(4 + 16 + 8);
    body.set(target, 4);
    body[20] = 1; // source link-layer address option
    body[21] = 1;
    body.set(asker.mac, 22);
    const icmp = icmpv6Message(asker.linkLocal, dst, 135, 0, body);
    return ethernetFrame(
      { dst: multicastMac(dst), src: asker.mac, etherType: ETHERTYPE_IPV6 },
      ipv6Packet(asker.linkLocal, dst, IP_PROTOCOL_ICMPV6, icmp, 255),
    );
  }

  /** RFC 6762 one-question PTR query to ff02::fb port 5353. */
  private mdnsQuery(): Buffer {
    const asker = this.prng.pick(this.phones);
    const dst = Buffer.from('ff0200000000000000000000000000fb', 'hex');
    const name = this.prng.pick(['_sip._udp', '_http._tcp', '_ipp._tcp', '_workstation._tcp']);
    const labels = [...name.split('.'), 'local'].map((label) =>
      Buffer.concat([Buffer.of(label.length), Buffer.from(label, 'ascii')]),
    );
    const question = Buffer.concat([...labels, Buffer.of(0, 0, 12, 0, 1)]);
    const header = zeroed(12);
    header.writeUInt16BE(1, 4); // QDCOUNT
    const udp = udpDatagram(asker.linkLocal, dst, 5353, 5353, Buffer.concat([header, question]));
    return ethernetFrame(
      { dst: multicastMac(dst), src: asker.mac, etherType: ETHERTYPE_IPV6 },
      ipv6Packet(asker.linkLocal, dst, IP_PROTOCOL_UDP, udp, 255),
    );
  }
}

const SERVICE_PORTS: Readonly<Record<TcpService, number>> = { sip: 5060, sccp: 2000, http: 80 };

function makeHost(mac: Uint8Array, ipv4: Uint8Array): Host {
  // RFC 4291 appendix A: modified EUI-64 interface identifier from the MAC.
  const linkLocal = new Uint8Array(16);
  linkLocal[0] = 0xfe;
  linkLocal[1] = 0x80;
  linkLocal.set(
    [
      (mac[0] as number) ^ 0x02,
      mac[1] as number,
      mac[2] as number,
      0xff,
      0xfe,
      mac[3] as number,
      mac[4] as number,
      mac[5] as number,
    ],
    8,
  );
  return { mac, ipv4, linkLocal };
}

/** RFC 2464 §7: 33:33 followed by the last four bytes of the IPv6 multicast address. */
function multicastMac(address: Uint8Array): Uint8Array {
  return Uint8Array.of(0x33, 0x33, ...address.subarray(12));
}

function text(message: string): Buffer {
  return Buffer.from(message, 'latin1');
}

function ip(host: Host): string {
  return Array.from(host.ipv4).join('.');
}

function clientMessage(c: TcpConnection, prng: Prng): Buffer {
  switch (c.service) {
    case 'sip': {
      const tag = prng.uint32().toString(16);
      return text(
        `REGISTER sip:${ip(c.server)} SIP/2.0\r\nVia: ` +
          `SIP/2.0/TCP ${ip(c.client)}:${c.clientPort};branch=z9hG4bK${tag}\r\n` +
          `From: <sip:${2000 + (c.client.ipv4[3] as number)}@${ip(c.server)}>;tag=${tag}\r\nTo: ` +
          `<sip:${2000 + (c.client.ipv4[3] as number)}@${ip(c.server)}>\r\n` +
          `Call-ID: ${prng.uint32().toString(16)}@${ip(c.client)}\r\nCSeq: ${1 + prng.below(1000)} REGISTER\r\n` +
          `Contact: <sip:${2000 + (c.client.ipv4[3] as number)}@${ip(c.client)}:${c.clientPort};transport=tcp>;+u.sip!model.ccm.cisco.com="7"\r\n` +
          `User-Agent: Cisco-CP7960G/8.0\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n`,
      );
    }
    case 'sccp':
      return sccpMessage(SCCP_KEEPALIVE);
    case 'http':
      return text(
        `GET /CGI/Java/Serviceability?adapter=device.statistics.device HTTP/1.1\r\nHost: ` +
          `${ip(c.server)}\r\nUser-Agent: Allegro-Software-WebClient/4.20\r\nAccept: */*\r\n\r\n`,
      );
  }
}

function serverMessage(c: TcpConnection, prng: Prng): Buffer {
  switch (c.service) {
    case 'sip':
      return text(
        `SIP/2.0 200 OK\r\nVia: ` +
          `SIP/2.0/TCP ${ip(c.client)}:${c.clientPort};branch=z9hG4bK${prng.uint32().toString(16)}\r\n` +
          `CSeq: ${1 + prng.below(1000)} REGISTER\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n`,
      );
    case 'sccp':
      return sccpMessage(SCCP_KEEPALIVE_ACK);
    case 'http': {
      const rows = Array.from(
        { length: 8 + prng.below(16) },
        (_, i) => `<Row><Name>counter${i}</Name><Value>${prng.uint32()}</Value></Row>`,
      ).join('\n');
      const body = `<?xml version="1.0"?>\n<DeviceStatistics>\n${rows}\n</DeviceStatistics>\n`;
      return text(
        `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
  }
}

const SCCP_KEEPALIVE = 0x0000;
const SCCP_KEEPALIVE_ACK = 0x0100;

/** Skinny framing: little-endian length (of what follows the reserved word), reserved, message id. */
function sccpMessage(messageId: number): Buffer {
  const message = zeroed(12);
  message.writeUInt32LE(4, 0);
  message.writeUInt32LE(messageId, 8);
  return message;
}
