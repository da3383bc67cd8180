/**
 * Captures of shapes the site benchmark does not make, as an attacker or a broken network
 * would: DHCP starvation floods (with and without a phone's option 60), one phone booting
 * over and over, one request repeated, a transfer per source port, an ARP flood, phones whose
 * clocks jump, a capture whose timestamps go backwards. Each is written in time order of its
 * records (not of its timestamps) as a classic pcap, without holding the capture in memory.
 */
import { createWriteStream } from 'node:fs';
import { LINKTYPE_ETHERNET, PcapWriter } from './classic-pcap.js';
import { arpRequest, ipv4Address, macHex } from './packet-builder.js';
import { createPrng } from './prng.js';
import type { Prng } from './prng.js';
import { dhcpAnswer, dhcpAsk, phoneIp, phoneMac, SERVER_IP, SERVER_MAC } from './site-capture.js';
import { tftpAck, tftpData, tftpError, tftpReadRequest, udpFrame } from './synthetic-phone-boot.js';

const START_MICROS = 1_700_000_000 * 1e6;

/** A frame and its time, relative to the capture's start. */
type Frame = readonly [offsetMicros: number, data: Buffer];

export interface HostileShape {
  readonly name: string;
  readonly what: string;
  /** Frames in record order. */
  frames(): Iterable<Frame>;
}

function randomMac(prng: Prng): Uint8Array {
  const n = prng.uint32();
  return Uint8Array.of(0x02, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, prng.uint32() & 0xff);
}

function* dhcpFlood(count: number, phoneVendor: boolean): Iterable<Frame> {
  const prng = createPrng(count);
  for (let i = 0; i < count; i++) yield [i * 100, dhcpAsk(randomMac(prng), prng.uint32(), 1, undefined, phoneVendor)];
}

/** One phone's boot: DHCP, a CTL request answered File not found, its config transfer. */
function* boot(index: number, xid: number, start: number, port: number): Iterable<Frame> {
  const mac = phoneMac(index);
  const ip = phoneIp(index);
  const name = macHex(mac);
  const config = Buffer.from('<device><deviceProtocol>SCCP</deviceProtocol></device>\n');
  yield [start, dhcpAsk(mac, xid, 1)];
  yield [start + 2_000, dhcpAnswer(mac, ip, xid, 2)];
  yield [start + 100_000, dhcpAsk(mac, xid, 3, ip)];
  yield [start + 102_000, dhcpAnswer(mac, ip, xid, 5)];
  yield [start + 200_000, udpFrame(mac, SERVER_MAC, ip, SERVER_IP, port, 69, tftpReadRequest(`CTLSEP${name}.tlv`))];
  yield [start + 200_800, udpFrame(SERVER_MAC, mac, SERVER_IP, ip, 40000, port, tftpError(1, 'File not found'))];
  yield [
    start + 220_000,
    udpFrame(mac, SERVER_MAC, ip, SERVER_IP, port + 1, 69, tftpReadRequest(`SEP${name}.cnf.xml`)),
  ];
  yield [start + 220_800, udpFrame(SERVER_MAC, mac, SERVER_IP, ip, 40001, port + 1, tftpData(1, config))];
  yield [start + 221_100, udpFrame(mac, SERVER_MAC, ip, SERVER_IP, port + 1, 40001, tftpAck(1))];
}

function* reboots(count: number): Iterable<Frame> {
  const prng = createPrng(count);
  for (let i = 0; i < count; i++) yield* boot(0, prng.uint32(), i * 30_000_000, 40000 + (i % 10000) * 2);
}

function* sameRequest(count: number): Iterable<Frame> {
  const mac = phoneMac(0);
  const ip = ipv4Address('10.1.0.0');
  for (let i = 0; i < count; i++) {
    const port = 49152 + (i % 16000);
    yield [i * 1_000, udpFrame(mac, SERVER_MAC, ip, SERVER_IP, port, 69, tftpReadRequest('SEP000E84000000.cnf.xml'))];
    yield [i * 1_000 + 300, udpFrame(SERVER_MAC, mac, SERVER_IP, ip, 40000, port, tftpError(1, 'File not found'))];
  }
}

function* transfersFromPorts(count: number): Iterable<Frame> {
  const mac = phoneMac(0);
  const ip = ipv4Address('10.1.0.0');
  const data = Buffer.from('x'.repeat(100));
  for (let i = 0; i < count; i++) {
    const client = 1024 + (i % 64000);
    const server = 1024 + Math.floor(i / 64000);
    const t = i * 1_000;
    yield [t, udpFrame(mac, SERVER_MAC, ip, SERVER_IP, client, 69, tftpReadRequest(`file${i}.txt`))];
    yield [t + 200, udpFrame(SERVER_MAC, mac, SERVER_IP, ip, server, client, tftpData(1, data))];
    yield [t + 400, udpFrame(mac, SERVER_MAC, ip, SERVER_IP, client, server, tftpAck(1))];
  }
}

function* arpFlood(count: number): Iterable<Frame> {
  const prng = createPrng(count);
  for (let i = 0; i < count; i++) {
    const target = Uint8Array.of(10, 9, (i >> 8) & 0xff, i & 0xff);
    yield [i * 10, arpRequest(randomMac(prng), Uint8Array.of(10, 8, (i >> 8) & 0xff, i & 0xff), target)];
  }
}

/** Phones booting 100 ms apart, each boot's timestamps shifted by `shift(phone)` (clock jumps, time going back). */
function* shiftedSite(phones: number, shift: (index: number) => number): Iterable<Frame> {
  const prng = createPrng(phones);
  for (let i = 0; i < phones; i++) {
    const port = 49152 + (i % 8000) * 2;
    for (const [t, data] of boot(i, prng.uint32(), i * 100_000, port)) yield [t + shift(i), data];
  }
}

export function hostileShapes(scale = 1): HostileShape[] {
  const n = (count: number): number => Math.max(1, Math.round(count * scale));
  const HOUR = 3_600_000_000;
  return [
    {
      name: 'dhcp-flood-phones',
      what: `${n(100_000)} DISCOVERs from random MACs, option 60 "Cisco IP Phone"`,
      frames: () => dhcpFlood(n(100_000), true),
    },
    {
      name: 'dhcp-flood',
      what: `${n(100_000)} DISCOVERs from random MACs, no option 60`,
      frames: () => dhcpFlood(n(100_000), false),
    },
    { name: 'reboots', what: `one phone booting ${n(10_000)} times`, frames: () => reboots(n(10_000)) },
    {
      name: 'same-request',
      what: `one phone asking for one file ${n(100_000)} times`,
      frames: () => sameRequest(n(100_000)),
    },
    {
      name: 'transfers',
      what: `${n(100_000)} TFTP transfers from distinct ports`,
      frames: () => transfersFromPorts(n(100_000)),
    },
    { name: 'arp-flood', what: `${n(1_000_000)} ARP requests`, frames: () => arpFlood(n(1_000_000)) },
    {
      name: 'clock-jumps',
      what: `${n(10_000)} phones, every other boot an hour back or a day ahead`,
      frames: () => shiftedSite(n(10_000), (i) => (i % 2 === 0 ? 0 : i % 4 === 1 ? -HOUR : 24 * HOUR)),
    },
    {
      name: 'time-backwards',
      what: `${n(10_000)} phones, the capture's timestamps going backwards`,
      frames: () => shiftedSite(n(10_000), (i) => -2 * i * 100_000),
    },
  ];
}

export async function writeShape(file: string, shape: HostileShape): Promise<{ packets: number; bytes: number }> {
  const writer = new PcapWriter(createWriteStream(file), LINKTYPE_ETHERNET);
  for (const [offset, data] of shape.frames()) await writer.write({ timeMicros: START_MICROS + offset, data });
  await writer.end();
  return { packets: writer.packets, bytes: writer.bytesWritten };
}
