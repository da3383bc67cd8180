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

/** The site's one DHCP and TFTP server. */
export const SERVER_MAC = Uint8Array.of(0x02, 0x00, 0xc0, 0x00, 0x02, 0x01);
export const SERVER_IP = ipv4Address('10.0.0.1');
const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
const ZERO = Uint8Array.of(0, 0, 0, 0);
const BROADCAST = Uint8Array.of(255, 255, 255, 255);
const PHONE_VENDOR = Buffer.from('Cisco Systems, Inc. IP Phone CP-7960G\x00', 'latin1');
/** A new phone starts booting every this many microseconds; each boot lasts about 1.1 s, so about 110 overlap. */
const STAGGER_MICROS = 10_000;
const START_SECONDS = 1_700_000_000;

export function phoneMac(index: number): Uint8Array {
  return Uint8Array.of(0x00, 0x0e, 0x84, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff);
}

export function phoneIp(index: number): Uint8Array {
  return Uint8Array.of(10, 1 + (index >> 16), (index >> 8) & 0xff, index & 0xff);
}

/**
 * A DHCPDISCOVER (1) or, asking for `ip`, a DHCPREQUEST (3) broadcast by `mac`; with the 7960's
 * option 60 unless `phoneVendor` is false (any other host).
 */
export function dhcpAsk(mac: Uint8Array, xid: number, type: 1 | 3, ip: Uint8Array = ZERO, phoneVendor = true): Buffer {
  return udpFrame(
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
      ...(phoneVendor ? ([[60, PHONE_VENDOR]] as const) : []),
      [55, Buffer.of(1, 3, 6, 15, 66, 150)],
    ]),
  );
}

/** The server's DHCPOFFER (2) or DHCPACK (5) of `ip` to `mac`, with option 150. */
export function dhcpAnswer(mac: Uint8Array, ip: Uint8Array, xid: number, type: 2 | 5): Buffer {
  return udpFrame(
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
}

function phoneFrames(index: number, xid: number): TimedFrame[] {
  const mac = phoneMac(index);
  const ip = phoneIp(index);
  const frames: TimedFrame[] = [];
  let clock = index * STAGGER_MICROS;
  const at = (delay: number, data: Buffer): void => {
    clock += delay;
    frames.push({ offsetMicros: clock, data });
  };
  at(0, dhcpAsk(mac, xid, 1));
  at(2_000, dhcpAnswer(mac, ip, xid, 2));
  at(500_000, dhcpAsk(mac, xid, 3, ip));
  at(2_000, dhcpAnswer(mac, ip, xid, 5));
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
