import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapturedFrame } from '../../parsers/capture/frame.js';
import { ipv4ToString, macToString } from '../../parsers/net/address.js';
import { NetworkDecoder, type NetworkDecoderOptions } from '../../parsers/net/decoder.js';
import type { ArpPacket, IcmpUnreachable, NetPacket, UdpDatagram } from '../../parsers/net/packet.js';
import { concat as bytes } from '../bytes.js';
import { defined } from '../helpers.js';

// Hand-built frames. Addresses from the documentation ranges (RFC 5737, RFC 7042).
const PHONE_MAC = [0x00, 0x03, 0x6b, 0x12, 0x34, 0x56];
const SERVER_MAC = [0x00, 0x00, 0x5e, 0x00, 0x53, 0x01];
const PHONE_IP = [192, 0, 2, 10];
const SERVER_IP = [192, 0, 2, 1];

const u16 = (n: number): number[] => [n >> 8, n & 255];
const ip = (a: readonly number[]): number => Buffer.from(a).readUInt32BE(0);

function udp(srcPort: number, dstPort: number, payload: Uint8Array, length = payload.length + 8): Uint8Array {
  return bytes(u16(srcPort), u16(dstPort), u16(length), [0, 0], payload);
}

interface Ipv4Fields {
  protocol?: number;
  src?: readonly number[];
  dst?: readonly number[];
  id?: number;
  moreFragments?: boolean;
  /** In bytes (a multiple of 8). */
  fragmentOffset?: number;
  totalLength?: number;
  options?: readonly number[];
}

function ipv4(payload: Uint8Array, f: Ipv4Fields = {}): Uint8Array {
  const options = f.options ?? [];
  const headerLength = 20 + options.length;
  const flags = (f.moreFragments ? 0x2000 : 0) | ((f.fragmentOffset ?? 0) / 8);
  return bytes(
    [0x40 | (headerLength / 4), 0],
    u16(f.totalLength ?? headerLength + payload.length),
    u16(f.id ?? 1),
    u16(flags),
    [64, f.protocol ?? 17, 0, 0],
    f.src ?? PHONE_IP,
    f.dst ?? SERVER_IP,
    options,
    payload,
  );
}

function ethernet(etherType: number, payload: Uint8Array, tags: readonly [number, number][] = []): Uint8Array {
  return bytes(
    SERVER_MAC,
    PHONE_MAC,
    ...tags.map(([tpid, vid]) => [...u16(tpid), ...u16(vid)]),
    u16(etherType),
    payload,
  );
}

let frameNumber = 0;
function frame(data: Uint8Array, linkType = 1, extra: Partial<CapturedFrame> = {}): CapturedFrame {
  return {
    frame: ++frameNumber,
    interfaceId: 0,
    linkType,
    fcsBytes: 0,
    tsHigh: 1700000000,
    tsLow: 0,
    clock: { unitsPerSecond: 1e6, digits: 6, offsetSeconds: 0, split: true },
    capturedLength: data.length,
    originalLength: data.length,
    data,
    ...extra,
  };
}

const RRQ = bytes([0, 1], Buffer.from('SEP00036B123456.cnf.xml\0octet\0'));
const rrqFrame = (): Uint8Array => ethernet(0x0800, ipv4(udp(50000, 69, RRQ)));

function decodeOne(
  data: Uint8Array,
  linkType = 1,
  options: NetworkDecoderOptions = {},
  extra: Partial<CapturedFrame> = {},
): { packet: NetPacket | undefined; decoder: NetworkDecoder } {
  const decoder = new NetworkDecoder(options);
  return { packet: decoder.decode(frame(data, linkType, extra)), decoder };
}

function asUdp(packet: NetPacket | undefined): UdpDatagram {
  assert.equal(packet?.kind, 'udp');
  return packet as UdpDatagram;
}

function assertRrq(packet: NetPacket | undefined): UdpDatagram {
  const d = asUdp(packet);
  assert.equal(ipv4ToString(d.srcIp), '192.0.2.10');
  assert.equal(ipv4ToString(d.dstIp), '192.0.2.1');
  assert.equal(d.srcPort, 50000);
  assert.equal(d.dstPort, 69);
  assert.deepEqual([...d.payload], [...RRQ]);
  assert.equal(d.truncated, false);
  return d;
}

describe('link layers', () => {
  it('Ethernet: MACs, no VLAN', () => {
    const d = assertRrq(decodeOne(rrqFrame()).packet);
    assert.equal(macToString(d.srcMac!), '00:03:6b:12:34:56');
    assert.equal(macToString(d.dstMac!), '00:00:5e:00:53:01');
    assert.deepEqual(d.vlanIds, []);
    assert.deepEqual(d.fragmentFrames, []);
  });

  it('Ethernet with an 802.1Q voice VLAN tag', () => {
    const d = assertRrq(decodeOne(ethernet(0x0800, ipv4(udp(50000, 69, RRQ)), [[0x8100, 0x2000 | 110]])).packet);
    assert.deepEqual(d.vlanIds, [110], 'the priority bits are not part of the VLAN id');
  });

  it('QinQ (802.1ad outer, 802.1Q inner) and the legacy 0x9100 tag, outer id first', () => {
    assert.deepEqual(
      assertRrq(
        decodeOne(
          ethernet(0x0800, ipv4(udp(50000, 69, RRQ)), [
            [0x88a8, 300],
            [0x8100, 110],
          ]),
        ).packet,
      ).vlanIds,
      [300, 110],
    );
    assert.deepEqual(
      assertRrq(
        decodeOne(
          ethernet(0x0800, ipv4(udp(50000, 69, RRQ)), [
            [0x9100, 7],
            [0x8100, 8],
            [0x8100, 9],
          ]),
        ).packet,
      ).vlanIds,
      [7, 8, 9],
    );
  });

  it('Linux cooked SLL (113): source MAC from the 16-byte header', () => {
    const sll = bytes(u16(0), u16(1), u16(6), PHONE_MAC, [0, 0], u16(0x0800), ipv4(udp(50000, 69, RRQ)));
    const d = assertRrq(decodeOne(sll, 113).packet);
    assert.equal(macToString(d.srcMac!), '00:03:6b:12:34:56');
    assert.equal(d.dstMac, undefined);
  });

  it('Linux cooked SLL with a VLAN tag left in the payload', () => {
    const sll = bytes(
      u16(0),
      u16(1),
      u16(6),
      PHONE_MAC,
      [0, 0],
      u16(0x8100),
      u16(42),
      u16(0x0800),
      ipv4(udp(50000, 69, RRQ)),
    );
    assert.deepEqual(assertRrq(decodeOne(sll, 113).packet).vlanIds, [42]);
  });

  it('Linux cooked SLL2 (276): 20-byte header', () => {
    const sll2 = bytes(u16(0x0800), [0, 0], [0, 0, 0, 3], u16(1), [4, 6], PHONE_MAC, [0, 0], ipv4(udp(50000, 69, RRQ)));
    const d = assertRrq(decodeOne(sll2, 276).packet);
    assert.equal(macToString(d.srcMac!), '00:03:6b:12:34:56');
  });

  it('cooked header of a non-Ethernet device has no MAC', () => {
    const sll2 = bytes(
      u16(0x0800),
      [0, 0],
      [0, 0, 0, 3],
      u16(772 /* loopback */),
      [0, 6],
      PHONE_MAC,
      [0, 0],
      ipv4(udp(50000, 69, RRQ)),
    );
    assert.equal(assertRrq(decodeOne(sll2, 276).packet).srcMac, undefined);
  });

  it('raw IP link types 101, 228, 12 and 14', () => {
    for (const linkType of [101, 228, 12, 14]) {
      const d = assertRrq(decodeOne(ipv4(udp(50000, 69, RRQ)), linkType).packet);
      assert.equal(d.srcMac, undefined);
    }
  });

  it('NULL (host byte order, either) and LOOP (network byte order)', () => {
    const packet = ipv4(udp(50000, 69, RRQ));
    assertRrq(decodeOne(bytes([2, 0, 0, 0], packet), 0).packet);
    assertRrq(decodeOne(bytes([0, 0, 0, 2], packet), 0).packet);
    assertRrq(decodeOne(bytes([0, 0, 0, 2], packet), 108).packet);
  });

  it('IPv6 is counted and skipped on every link type', () => {
    const v6 = bytes([0x60, 0, 0, 0], new Uint8Array(36));
    const decoder = new NetworkDecoder();
    const frames: [Uint8Array, number][] = [
      [ethernet(0x86dd, v6), 1],
      [ethernet(0x86dd, v6, [[0x8100, 5]]), 1],
      [bytes(u16(0), u16(1), u16(6), PHONE_MAC, [0, 0], u16(0x86dd), v6), 113],
      [bytes(u16(0x86dd), new Uint8Array(18), v6), 276],
      [v6, 101],
      [v6, 229],
      ...[10, 24, 28, 30].map((family): [Uint8Array, number] => [bytes([family, 0, 0, 0], v6), 0]),
    ];
    for (const [data, linkType] of frames) assert.equal(decoder.decode(frame(data, linkType)), undefined);
    assert.equal(decoder.counters.ipv6Skipped, frames.length);
    assert.equal(decoder.counters.ipv4, 0);
    assert.equal(decoder.counters.malformed, 0);
  });

  it('unknown link types and non-IP ethertypes are counted and skipped', () => {
    const decoder = new NetworkDecoder();
    assert.equal(decoder.decode(frame(rrqFrame(), 127)), undefined);
    assert.equal(decoder.decode(frame(ethernet(0x88cc /* LLDP */, new Uint8Array(40)))), undefined);
    assertRrq(decoder.decode(frame(rrqFrame())));
    const c = decoder.counters;
    assert.equal(c.frames, 3);
    assert.equal(c.unknownLinkType, 1);
    assert.equal(c.nonIp, 1);
    assert.deepEqual(
      [...c.framesByLinkType],
      [
        [127, 1],
        [1, 2],
      ],
    );
  });

  it('strips the FCS, unless the snap length already cut it off', () => {
    // IPv4 total length 0 (TCP segmentation offload): the datagram runs to the end of the frame.
    const datagram = ipv4(udp(50000, 69, RRQ), { totalLength: 0 });
    const withFcs = bytes(ethernet(0x0800, datagram), [0xde, 0xad, 0xbe, 0xef]);
    const d = asUdp(decodeOne(withFcs, 1, {}, { fcsBytes: 4 }).packet);
    assert.deepEqual([...d.payload], [...RRQ]);
    const cut = withFcs.subarray(0, withFcs.length - 4);
    const e = asUdp(decodeOne(cut, 1, {}, { fcsBytes: 4, originalLength: withFcs.length }).packet);
    assert.deepEqual([...e.payload], [...RRQ]);
  });

  it('a frame shorter than its link-layer header is malformed, not a crash', () => {
    const { packet, decoder } = decodeOne(rrqFrame().subarray(0, 10));
    assert.equal(packet, undefined);
    assert.equal(decoder.counters.malformed, 1);
  });
});

describe('IPv4 and UDP', () => {
  it('skips IPv4 options (IHL > 5)', () => {
    assertRrq(decodeOne(ethernet(0x0800, ipv4(udp(50000, 69, RRQ), { options: [0x94, 4, 0, 0] }))).packet);
  });

  it('ignores Ethernet padding after the IPv4 total length', () => {
    assertRrq(decodeOne(bytes(rrqFrame(), new Uint8Array(20))).packet);
  });

  it('payload limited to the UDP length', () => {
    const d = asUdp(decodeOne(ethernet(0x0800, ipv4(udp(50000, 69, bytes(RRQ, [1, 2, 3]), RRQ.length + 8)))).packet);
    assert.deepEqual([...d.payload], [...RRQ]);
  });

  it('a snap-length cut datagram is delivered truncated and counted', () => {
    const full = rrqFrame();
    const { packet, decoder } = decodeOne(full.subarray(0, full.length - 10), 1, {}, { originalLength: full.length });
    const d = asUdp(packet);
    assert.equal(d.truncated, true);
    assert.equal(d.udpLength, RRQ.length + 8);
    assert.deepEqual([...d.payload], [...RRQ.subarray(0, RRQ.length - 10)]);
    assert.equal(decoder.counters.snapCut, 1);
    assert.equal(decoder.counters.malformed, 0);
  });

  it('a UDP length beyond the IPv4 payload is malformed; the payload stops at the IPv4 end', () => {
    const { packet, decoder } = decodeOne(ethernet(0x0800, ipv4(udp(50000, 69, RRQ, 1000))));
    assert.deepEqual([...asUdp(packet).payload], [...RRQ]);
    assert.equal(decoder.counters.malformed, 1);
  });

  it('bad header lengths are malformed', () => {
    const decoder = new NetworkDecoder();
    const good = ipv4(udp(50000, 69, RRQ));
    const badIhl = good.slice();
    badIhl[0] = 0x44;
    const shortTotal = good.slice();
    shortTotal[2] = 0;
    shortTotal[3] = 12;
    const badVersion = good.slice();
    badVersion[0] = 0x55;
    for (const data of [badIhl, shortTotal, badVersion, good.subarray(0, 12)])
      assert.equal(decoder.decode(frame(ethernet(0x0800, data))), undefined);
    assert.equal(decoder.counters.malformed, 4);
  });

  it('the UDP filter sees addresses and ports before anything is built', () => {
    const seen: number[][] = [];
    const decoder = new NetworkDecoder({
      acceptUdp: (s, d, sp, dp) => {
        seen.push([s, d, sp, dp]);
        return dp === 69;
      },
    });
    assert.equal(decoder.decode(frame(ethernet(0x0800, ipv4(udp(16384, 16386, new Uint8Array(160)))))), undefined);
    assertRrq(decoder.decode(frame(rrqFrame())));
    assert.deepEqual(seen, [
      [ip(PHONE_IP), ip(SERVER_IP), 16384, 16386],
      [ip(PHONE_IP), ip(SERVER_IP), 50000, 69],
    ]);
    assert.equal(decoder.counters.udp, 2);
  });
});

describe('IPv4 fragment reassembly', () => {
  const big = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 255);
  const whole = udp(68, 67, big); // 3008 bytes of IPv4 payload
  const fragment = (offset: number, length: number, more: boolean, id = 77, data: Uint8Array = whole): Uint8Array =>
    ethernet(0x0800, ipv4(data.subarray(offset, offset + length), { id, fragmentOffset: offset, moreFragments: more }));
  const pieces = (id = 77): [Uint8Array, Uint8Array, Uint8Array] => [
    fragment(0, 1480, true, id),
    fragment(1480, 1480, true, id),
    fragment(2960, 48, false, id),
  ];

  function run(
    decoder: NetworkDecoder,
    datas: Uint8Array[],
    times?: number[],
  ): { packets: (NetPacket | undefined)[]; numbers: number[] } {
    const numbers: number[] = [];
    const packets = datas.map((data, i) => {
      const f = frame(data, 1, times ? { tsHigh: times[i] } : {});
      numbers.push(f.frame);
      return decoder.decode(f);
    });
    return { packets, numbers };
  }

  it('reassembles fragments received out of order; delivered with the last one to arrive', () => {
    const decoder = new NetworkDecoder();
    const [a, b, c] = pieces();
    const { packets, numbers } = run(decoder, [c, a, b]);
    assert.equal(packets[0], undefined);
    assert.equal(packets[1], undefined);
    const d = asUdp(packets[2]);
    assert.equal(d.frame, numbers[2]);
    assert.deepEqual(d.fragmentFrames, [numbers[1], numbers[2], numbers[0]], 'in offset order');
    assert.equal(d.srcPort, 68);
    assert.equal(d.udpLength, 3008);
    assert.deepEqual(d.payload, big);
    assert.equal(d.truncated, false);
    const counters = decoder.counters;
    assert.equal(counters.fragments, 3);
    assert.equal(counters.reassembled, 1);
    assert.equal(counters.udp, 1);
    assert.equal(counters.fragmentSetsPending, 0);
  });

  it('reassembled UDP goes through the same filter as unfragmented UDP', () => {
    const decoder = new NetworkDecoder({ acceptUdp: (_s, _d, _sp, dp) => dp === 69 });
    const { packets } = run(decoder, pieces());
    assert.deepEqual(packets, [undefined, undefined, undefined]);
    assert.equal(decoder.counters.reassembled, 1);
    assert.equal(decoder.counters.udp, 1);
  });

  it('ignores a duplicate fragment', () => {
    const decoder = new NetworkDecoder();
    const [a, b, c] = pieces();
    const { packets, numbers } = run(decoder, [a, a, b, c]);
    const d = asUdp(packets[3]);
    assert.deepEqual(d.fragmentFrames, [numbers[0], numbers[2], numbers[3]]);
    assert.deepEqual(d.payload, big);
  });

  it('overlapping fragments: the bytes that arrived first win', () => {
    const decoder = new NetworkDecoder();
    const other = whole.slice();
    other.fill(0xee, 1000, 2000);
    // 0..1480 first, then 1000..2000 with different bytes (overlap), then 1480..3008.
    const { packets } = run(decoder, [
      fragment(0, 1480, true),
      fragment(1000, 1000, true, 77, other),
      fragment(1480, 1528, false),
    ]);
    const d = asUdp(packets[2]);
    const expected = whole.slice(8);
    expected.set(other.subarray(1480, 2000), 1472); // bytes 1480..2000 came first from the overlapping fragment
    assert.deepEqual(d.payload, expected);
    assert.equal(d.fragmentFrames.length, 3);
  });

  it('keys on source, destination, protocol and id: interleaved datagrams do not mix', () => {
    const decoder = new NetworkDecoder();
    const p = pieces(1);
    const q = pieces(2);
    const { packets } = run(decoder, [p[0], q[0], q[1], p[1], p[2], q[2]]);
    assert.deepEqual(asUdp(packets[4]).payload, big);
    assert.deepEqual(asUdp(packets[5]).payload, big);
  });

  it('evicts the oldest set when too many are pending', () => {
    const decoder = new NetworkDecoder({ reassembly: { maxPending: 2, maxBytes: 1 << 20, timeoutSeconds: 30 } });
    const [p, q, r] = [pieces(1), pieces(2), pieces(3)];
    const { packets } = run(decoder, [p[0], q[0], r[0], p[1], p[2], r[1], r[2]]);
    assert.equal(packets[4], undefined, 'set 1 was evicted when set 3 started');
    assert.deepEqual(asUdp(packets[6]).payload, big);
    const c = decoder.counters;
    assert.equal(c.reassembled, 1);
    // Set 1 evicted by set 3; set 1 restarted by its second fragment evicts set 2, and stays incomplete.
    assert.equal(c.fragmentSetsDropped, 2);
    assert.equal(c.fragmentSetsPending, 1);
  });

  it('evicts the oldest sets when the held bytes pass the cap', () => {
    const decoder = new NetworkDecoder({ reassembly: { maxPending: 100, maxBytes: 4000, timeoutSeconds: 30 } });
    const [p, q] = [pieces(1), pieces(2)];
    const { packets } = run(decoder, [p[0], p[1], q[0], q[1], q[2]]);
    assert.deepEqual(asUdp(packets[4]).payload, big);
    assert.equal(decoder.counters.fragmentSetsDropped, 1);
    assert.equal(decoder.counters.fragmentSetsPending, 0);
  });

  it('a fragment reaching past the largest IPv4 datagram is malformed', () => {
    const decoder = new NetworkDecoder();
    assert.equal(
      decoder.decode(
        frame(ethernet(0x0800, ipv4(new Uint8Array(16), { fragmentOffset: 65520, moreFragments: false }))),
      ),
      undefined,
    );
    assert.equal(decoder.counters.malformed, 1);
    assert.equal(decoder.counters.fragmentSetsPending, 0);
  });

  it('gives up a set older than the timeout (capture time)', () => {
    const decoder = new NetworkDecoder();
    const [a, b, c] = pieces();
    const { packets } = run(decoder, [a, b, c], [1000, 1010, 1031]);
    assert.equal(packets[2], undefined);
    assert.equal(decoder.counters.fragmentSetsDropped, 1);
    assert.equal(decoder.counters.fragmentSetsPending, 1, 'the late fragment starts a set of its own');
  });

  it('a first fragment cut by the snap length still shows its UDP header, truncated', () => {
    const decoder = new NetworkDecoder();
    const first = pieces()[0];
    const d = asUdp(decoder.decode(frame(first.subarray(0, 100), 1, { originalLength: first.length })));
    assert.equal(d.truncated, true);
    assert.equal(d.dstPort, 67);
    assert.equal(d.udpLength, 3008);
    assert.equal(d.payload.length, 100 - 14 - 20 - 8);
    assert.deepEqual(d.fragmentFrames, [d.frame]);
    assert.equal(decoder.counters.fragmentSetsPending, 0);
    assert.equal(decoder.counters.malformed, 0);
  });
});

describe('ICMP and ARP', () => {
  it('port unreachable quoting a TFTP request', () => {
    const quoted = ipv4(udp(50000, 69, RRQ));
    const icmp = bytes([3, 3, 0, 0, 0, 0, 0, 0], quoted);
    const data = ethernet(0x0800, ipv4(icmp, { protocol: 1, src: SERVER_IP, dst: PHONE_IP }));
    const { packet, decoder } = decodeOne(data, 1, { acceptUdp: (_s, _d, sp, dp) => sp === 69 || dp === 69 });
    assert.equal(packet?.kind, 'icmp-unreachable');
    const u = packet as IcmpUnreachable;
    assert.equal(u.code, 3);
    assert.equal(u.codeName, 'port unreachable');
    assert.equal(ipv4ToString(u.srcIp), '192.0.2.1');
    assert.equal(ipv4ToString(u.quoted!.srcIp), '192.0.2.10');
    assert.equal(ipv4ToString(u.quoted!.dstIp), '192.0.2.1');
    assert.equal(u.quoted!.protocol, 17);
    assert.equal(u.quoted!.srcPort, 50000);
    assert.equal(u.quoted!.dstPort, 69);
    assert.deepEqual([...u.quoted!.udpPayload!], [...RRQ]);
    assert.equal(decoder.counters.icmpUnreachable, 1);
  });

  it('the UDP filter also applies to the datagram an ICMP error quotes', () => {
    const icmp = bytes([3, 3, 0, 0, 0, 0, 0, 0], ipv4(udp(5004, 5006, new Uint8Array(8))));
    const data = ethernet(0x0800, ipv4(icmp, { protocol: 1 }));
    assert.equal(decodeOne(data, 1, { acceptUdp: (_s, _d, _sp, dp) => dp === 69 }).packet, undefined);
  });

  it('host unreachable quoting only 8 bytes of a non-UDP datagram', () => {
    const icmp = bytes([3, 1, 0, 0, 0, 0, 0, 0], ipv4(new Uint8Array(8), { protocol: 6 }).subarray(0, 28));
    const u = decodeOne(ethernet(0x0800, ipv4(icmp, { protocol: 1 }))).packet as IcmpUnreachable;
    assert.equal(u.codeName, 'host unreachable');
    assert.deepEqual(u.quoted, { srcIp: ip(PHONE_IP), dstIp: ip(SERVER_IP), protocol: 6 });
  });

  it('other ICMP messages are skipped', () => {
    assert.equal(decodeOne(ethernet(0x0800, ipv4(bytes([8, 0, 0, 0, 0, 1, 0, 1]), { protocol: 1 }))).packet, undefined);
  });

  it('ARP request and reply', () => {
    const arp = (op: number, targetMac: readonly number[]): Uint8Array =>
      ethernet(0x0806, bytes(u16(1), u16(0x0800), [6, 4], u16(op), PHONE_MAC, PHONE_IP, targetMac, SERVER_IP));
    const decoder = new NetworkDecoder();
    const request = decoder.decode(frame(arp(1, [0, 0, 0, 0, 0, 0]))) as ArpPacket;
    assert.equal(request.kind, 'arp');
    assert.equal(request.op, 1);
    assert.equal(macToString(request.senderMac), '00:03:6b:12:34:56');
    assert.equal(ipv4ToString(request.senderIp), '192.0.2.10');
    assert.equal(ipv4ToString(request.targetIp), '192.0.2.1');
    const reply = decoder.decode(frame(arp(2, SERVER_MAC))) as ArpPacket;
    assert.equal(reply.op, 2);
    assert.equal(macToString(reply.targetMac), '00:00:5e:00:53:01');
    assert.equal(decoder.counters.arp, 2);
  });
});

describe('robustness', () => {
  it('random bytes on every link type never throw', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    };
    const decoder = new NetworkDecoder({ reassembly: { maxPending: 8, maxBytes: 65536, timeoutSeconds: 30 } });
    const templates = [
      rrqFrame(),
      ethernet(0x0800, ipv4(bytes([3, 3, 0, 0, 0, 0, 0, 0], ipv4(udp(1, 69, RRQ))), { protocol: 1 })),
    ];
    for (let i = 0; i < 20000; i++) {
      const linkType = [0, 1, 12, 14, 101, 108, 113, 228, 276][i % 9];
      let data: Uint8Array;
      if (i % 2 === 0) {
        data = Uint8Array.from({ length: random() % 120 }, () => random() & 255);
      } else {
        // Mutate a valid frame: the decoder gets further before meeting garbage.
        data = defined(templates[i % templates.length], 'a template frame').slice(0, (random() % 100) + 1);
        for (let k = 0; k < 3; k++) data[random() % data.length] = random() & 255;
      }
      decoder.decode(frame(data, linkType, { fcsBytes: i % 5 === 0 ? 4 : 0 }));
    }
    assert.equal(decoder.counters.frames, 20000);
  });
});
