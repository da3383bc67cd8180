/**
 * A Cisco 7960 booting into SIP firmware, built frame by frame, for when no fixture capture
 * from the project's real tftpd-hpa/dnsmasq lab exists: DHCP DISCOVER/OFFER/REQUEST/ACK
 * with options 60/66/150, then TFTP (RFC 1350) read requests in the order tftpd-hpa logged
 * for a 7960 on SIP 8.12 (phone-facts §2.1), each answered from a new server port.
 */
import {
  BROADCAST_IPV4,
  BROADCAST_MAC,
  ethernetFrame,
  ETHERTYPE_IPV4,
  IP_PROTOCOL_UDP,
  ipv4Address,
  ipv4Packet,
  ipv4Text,
  macHex,
  udpDatagram,
  ZERO_IPV4,
} from './packet-builder.js';
import type { PhoneBoot, TimedFrame } from './phone-boot.js';
import type { Prng } from './prng.js';

const SERVER_MAC = Uint8Array.of(0x02, 0x00, 0xc0, 0x00, 0x02, 0x01);
const SERVER_IP = ipv4Address('192.0.2.1');
const DHCP_SERVER_PORT = 67;
const DHCP_CLIENT_PORT = 68;
const TFTP_PORT = 69;
const TFTP_BLOCK = 512;
const FIRMWARE = 'P0S3-8-12-00';
const VENDOR_CLASS_7960 = 'Cisco Systems, Inc. IP Phone CP-7960G\x00';
const IMAGE_BYTES = 300 * 1024;

/** RFC 2132 option numbers, plus Cisco's 150 (TFTP server list). */
const OPTION = {
  subnetMask: 1,
  router: 3,
  requestedAddress: 50,
  leaseTime: 51,
  messageType: 53,
  serverId: 54,
  parameterList: 55,
  vendorClass: 60,
  clientId: 61,
  tftpServerName: 66,
  ciscoTftpServers: 150,
  end: 255,
} as const;
const DHCP = { discover: 1, offer: 2, request: 3, ack: 5 } as const;

/** The boot of phone number `index` (distinct MAC and address per index). */
export function syntheticPhoneBoot(index: number, prng: Prng): PhoneBoot {
  const mac = Uint8Array.of(0x00, 0x0e, 0x84, 0xc0, 0x60, (0xa6 + index) & 0xff);
  const phoneIp = Uint8Array.of(192, 0, 2, 100 + (index % 100));
  const frames: TimedFrame[] = [];
  let clock = 0;
  const at = (delayMicros: number, data: Buffer): void => {
    clock += delayMicros;
    frames.push({ offsetMicros: clock, data });
  };

  // DHCP: the phone broadcasts from 0.0.0.0, the server broadcasts its answers.
  const xid = prng.uint32();
  const request = (type: number): Buffer =>
    udpFrame(
      mac,
      BROADCAST_MAC,
      ZERO_IPV4,
      BROADCAST_IPV4,
      DHCP_CLIENT_PORT,
      DHCP_SERVER_PORT,
      bootp(1, xid, mac, ZERO_IPV4, ZERO_IPV4, [
        [OPTION.messageType, Buffer.of(type)],
        [OPTION.clientId, Buffer.concat([Buffer.of(1), mac])],
        ...(type === DHCP.request
          ? ([
              [OPTION.requestedAddress, phoneIp],
              [OPTION.serverId, SERVER_IP],
            ] as const)
          : []),
        [OPTION.vendorClass, Buffer.from(VENDOR_CLASS_7960, 'latin1')],
        [
          OPTION.parameterList,
          Buffer.of(OPTION.subnetMask, OPTION.router, 6, 15, OPTION.tftpServerName, OPTION.ciscoTftpServers),
        ],
      ]),
    );
  const reply = (type: number): Buffer =>
    udpFrame(
      SERVER_MAC,
      BROADCAST_MAC,
      SERVER_IP,
      BROADCAST_IPV4,
      DHCP_SERVER_PORT,
      DHCP_CLIENT_PORT,
      bootp(2, xid, mac, phoneIp, SERVER_IP, [
        [OPTION.messageType, Buffer.of(type)],
        [OPTION.serverId, SERVER_IP],
        [OPTION.leaseTime, Buffer.of(0, 1, 0x51, 0x80)],
        [OPTION.subnetMask, Buffer.of(255, 255, 255, 0)],
        [OPTION.router, SERVER_IP],
        [OPTION.tftpServerName, Buffer.from(ipv4Text(SERVER_IP), 'ascii')],
        [OPTION.ciscoTftpServers, SERVER_IP],
      ]),
    );
  at(0, request(DHCP.discover));
  at(4_000, reply(DHCP.offer));
  at(1_000_000, request(DHCP.request));
  at(3_000, reply(DHCP.ack));

  const macName = macHex(mac);
  const transfers: { name: string; content: Buffer | undefined; pauseBefore: number }[] = [
    { name: `CTLSEP${macName}.tlv`, content: undefined, pauseBefore: 1_500_000 },
    {
      name: `SEP${macName}.cnf.xml`,
      content: Buffer.from(
        `<device><deviceProtocol>SIP</deviceProtocol><loadInformation ` +
          `model="IP Phone 7960">${FIRMWARE}</loadInformation></device>\n`,
      ),
      pauseBefore: 20_000,
    },
    { name: `${FIRMWARE}.sb2`, content: pseudoRandomBytes(prng, IMAGE_BYTES), pauseBefore: 30_000 },
    { name: 'SIPDefault.cnf', content: Buffer.from(sipDefault()), pauseBefore: 24_000_000 },
    { name: `SIP${macName}.cnf`, content: Buffer.from(sipPhoneConfig(index)), pauseBefore: 15_000 },
  ];
  let phonePort = 49152 + ((index * 97) % 1000);
  let serverPort = 40000 + ((index * 131) % 1000);
  const phoneToServer = (srcPort: number, dstPort: number, payload: Buffer): Buffer =>
    udpFrame(mac, SERVER_MAC, phoneIp, SERVER_IP, srcPort, dstPort, payload);
  const serverToPhone = (srcPort: number, dstPort: number, payload: Buffer): Buffer =>
    udpFrame(SERVER_MAC, mac, SERVER_IP, phoneIp, srcPort, dstPort, payload);
  for (const transfer of transfers) {
    phonePort += 1;
    serverPort += 1;
    at(transfer.pauseBefore, phoneToServer(phonePort, TFTP_PORT, tftpReadRequest(transfer.name)));
    if (transfer.content === undefined) {
      at(900, serverToPhone(serverPort, phonePort, tftpError(1, 'File not found')));
      continue;
    }
    // The last block is shorter than 512 bytes, empty when the size is a multiple of 512.
    const blocks = Math.floor(transfer.content.length / TFTP_BLOCK) + 1;
    for (let block = 1; block <= blocks; block++) {
      const data = transfer.content.subarray((block - 1) * TFTP_BLOCK, block * TFTP_BLOCK);
      at(block === 1 ? 900 : 300, serverToPhone(serverPort, phonePort, tftpData(block & 0xffff, data)));
      at(250 + prng.below(200), phoneToServer(phonePort, serverPort, tftpAck(block & 0xffff)));
    }
  }
  return { label: `synthetic 7960 boot ${macName}`, frames };
}

export function udpFrame(
  srcMac: Uint8Array,
  dstMac: Uint8Array,
  src: Uint8Array,
  dst: Uint8Array,
  srcPort: number,
  dstPort: number,
  payload: Buffer,
): Buffer {
  const ip = ipv4Packet(
    { src, dst, protocol: IP_PROTOCOL_UDP, id: 0, ttl: 64 },
    udpDatagram(src, dst, srcPort, dstPort, payload),
  );
  return ethernetFrame({ dst: dstMac, src: srcMac, etherType: ETHERTYPE_IPV4 }, ip);
}

/** RFC 2131 §2 message layout, the magic cookie, then options (RFC 2132 §2). */
export function bootp(
  op: 1 | 2,
  xid: number,
  mac: Uint8Array,
  yiaddr: Uint8Array,
  siaddr: Uint8Array,
  options: readonly (readonly [number, Uint8Array])[],
): Buffer {
  const fixed = Buffer.alloc(236);
  fixed[0] = op;
  fixed[1] = 1; // Ethernet
  fixed[2] = 6;
  fixed.writeUInt32BE(xid, 4);
  fixed.set(yiaddr, 16);
  fixed.set(siaddr, 20);
  fixed.set(mac, 28);
  const encoded = options.map(([code, value]) => Buffer.concat([Buffer.of(code, value.length), value]));
  return Buffer.concat([fixed, Buffer.of(99, 130, 83, 99), ...encoded, Buffer.of(OPTION.end)]);
}

export function tftpReadRequest(name: string): Buffer {
  return Buffer.concat([Buffer.of(0, 1), Buffer.from(`${name}\0octet\0`, 'ascii')]);
}

export function tftpData(block: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.of(0, 3, block >> 8, block & 0xff), data]);
}

export function tftpAck(block: number): Buffer {
  return Buffer.of(0, 4, block >> 8, block & 0xff);
}

export function tftpError(code: number, message: string): Buffer {
  return Buffer.concat([Buffer.of(0, 5, code >> 8, code & 0xff), Buffer.from(`${message}\0`, 'ascii')]);
}

function pseudoRandomBytes(prng: Prng, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i + 4 <= length; i += 4) bytes.writeUInt32LE(prng.uint32(), i);
  return bytes;
}

/** Parameter lines in the syntax of Cisco's sample SIPDefault.cnf (phone-facts §5). */
function sipDefault(): string {
  return `${[
    `image_version: ${FIRMWARE}`,
    'proxy1_address: 192.0.2.1',
    'proxy_register: 1',
    'tftp_cfg_dir: "./"',
    'telnet_level: 1',
    'dial_template: dialplan',
    'sntp_mode: unicast',
    'sntp_server: 192.0.2.1',
    'time_zone: UTC',
    'dtmf_outofband: avt',
    'nat_enable: 0',
    'messages_uri: *97',
    ...Array.from({ length: 40 }, (_, i) => `# line ${i + 1} of the site-wide defaults`),
  ].join('\n')}\n`;
}

function sipPhoneConfig(index: number): string {
  const line = 2000 + index;
  return `${[
    `line1_name: ${line}`,
    `line1_authname: ${line}`,
    `line1_shortname: ${line}`,
    'line1_password: "secret"',
    `line1_displayname: "Bench ${line}"`,
    `phone_label: "bench-${index}"`,
    'phone_prompt: "SIP Phone"',
    'phone_password: "cisco"',
  ].join('\n')}\n`;
}
