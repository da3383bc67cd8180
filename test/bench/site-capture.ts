/**
 * A whole site booting at once, as after a migration: every phone does DHCP
 * (DISCOVER/OFFER/REQUEST/ACK), asks for its CTL file (not found) and fetches its
 * SEP<MAC>.cnf.xml, the boots overlapping in time. Distinct MAC and address per phone.
 */
import { createWriteStream } from 'node:fs';
import { LINKTYPE_ETHERNET, PcapWriter } from './classic-pcap.js';
import { ipv4Address, macHex } from './packet-builder.js';
import type { TimedFrame } from './phone-boot.js';
import { createPrng } from './prng.js';
import { bootp, tftpAck, tftpData, tftpError, tftpReadRequest, udpFrame } from './synthetic-phone-boot.js';

const SERVER_MAC = Uint8Array.of(0x02, 0x00, 0xc0, 0x00, 0x02, 0x01);
const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
const SERVER_IP = ipv4Address('10.0.0.1');
const ZERO = Uint8Array.of(0, 0, 0, 0);
const BROADCAST = Uint8Array.of(255, 255, 255, 255);
/** A new phone starts booting every this many microseconds; each boot lasts about 1.1 s, so about 110 overlap. */
const STAGGER_MICROS = 10_000;
const START_SECONDS = 1_700_000_000;

export function phoneMac(index: number): Uint8Array {
  return Uint8Array.of(0x00, 0x0e, 0x84, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff);
}

function phoneFrames(index: number, xid: number): TimedFrame[] {
  const mac = phoneMac(index);
  const ip = Uint8Array.of(10, 1 + (index >> 16), (index >> 8) & 0xff, index & 0xff);
  const frames: TimedFrame[] = [];
  let clock = index * STAGGER_MICROS;
  const at = (delay: number, data: Buffer): void => {
    clock += delay;
    frames.push({ offsetMicros: clock, data });
  };
  const ask = (type: number): Buffer =>
    udpFrame(
      mac,
      BROADCAST_MAC,
      ZERO,
      BROADCAST,
      68,
      67,
      bootp(1, xid, mac, ZERO, ZERO, [
        [53, Buffer.of(type)],
        [61, Buffer.concat([Buffer.of(1), mac])],
        ...(type === 3
          ? ([
              [50, ip],
              [54, SERVER_IP],
            ] as const)
          : []),
        [60, Buffer.from('Cisco Systems, Inc. IP Phone CP-7960G\x00', 'latin1')],
        [55, Buffer.of(1, 3, 6, 15, 66, 150)],
      ]),
    );
  const answer = (type: number): Buffer =>
    udpFrame(
      SERVER_MAC,
      BROADCAST_MAC,
      SERVER_IP,
      BROADCAST,
      67,
      68,
      bootp(2, xid, mac, ip, SERVER_IP, [
        [53, Buffer.of(type)],
        [54, SERVER_IP],
        [51, Buffer.of(0, 1, 0x51, 0x80)],
        [1, Buffer.of(255, 255, 0, 0)],
        [3, SERVER_IP],
        [150, SERVER_IP],
      ]),
    );
  at(0, ask(1));
  at(2_000, answer(2));
  at(500_000, ask(3));
  at(2_000, answer(5));
  const name = macHex(mac);
  const port = 49152 + (index % 16000);
  const serverPort = 32768 + (index % 16000);
  at(300_000, udpFrame(mac, SERVER_MAC, ip, SERVER_IP, port, 69, tftpReadRequest(`CTLSEP${name}.tlv`)));
  at(800, udpFrame(SERVER_MAC, mac, SERVER_IP, ip, serverPort, port, tftpError(1, 'File not found')));
  const config = Buffer.from(
    `<device><deviceProtocol>SIP</deviceProtocol><loadInformation ` +
      `model="IP Phone 7960">P0S3-8-12-00</loadInformation></device>\n`,
  );
  at(20_000, udpFrame(mac, SERVER_MAC, ip, SERVER_IP, port + 1, 69, tftpReadRequest(`SEP${name}.cnf.xml`)));
  at(800, udpFrame(SERVER_MAC, mac, SERVER_IP, ip, serverPort + 1, port + 1, tftpData(1, config)));
  at(300, udpFrame(mac, SERVER_MAC, ip, SERVER_IP, port + 1, serverPort + 1, tftpAck(1)));
  return frames;
}

/** Writes the site capture of `phones` phones to `file` (classic pcap), in time order. */
export async function writeSiteCapture(file: string, phones: number): Promise<{ packets: number; bytes: number }> {
  const writer = new PcapWriter(createWriteStream(file), LINKTYPE_ETHERNET);
  const prng = createPrng(phones);
  // Boots are merged in windows: a boot lasts well under 2 s, so frames older than the
  // newest boot's start minus 2 s can no longer be overtaken.
  const pending: TimedFrame[] = [];
  const flushBefore = async (limit: number): Promise<void> => {
    pending.sort((a, b) => a.offsetMicros - b.offsetMicros);
    let n = 0;
    while (n < pending.length && pending[n]!.offsetMicros < limit) {
      await writer.write({ timeMicros: START_SECONDS * 1e6 + pending[n]!.offsetMicros, data: pending[n]!.data });
      n += 1;
    }
    pending.splice(0, n);
  };
  for (let i = 0; i < phones; i++) {
    pending.push(...phoneFrames(i, prng.uint32()));
    if (i % 500 === 499) await flushBefore(i * STAGGER_MICROS - 2_000_000);
  }
  await flushBefore(Number.POSITIVE_INFINITY);
  await writer.end();
  return { packets: writer.packets, bytes: writer.bytesWritten };
}
