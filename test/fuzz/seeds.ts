/**
 * What the fuzzer mutates: the public corpus in ../shared/pcaps (when present), the
 * repository's own captures (found at run time), and small hand-built captures that put
 * every container feature and every DHCP/TFTP path the decoder has into a few hundred bytes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, sharedDir } from '../helpers.js';
import {
  arpFrame,
  ascii,
  concat,
  customBlock,
  dhcp,
  dhcpOption,
  enhancedPacket,
  fragments,
  frameFor,
  icmpUnreachable,
  interfaceDescription,
  interfaceStatistics,
  ip,
  LINK,
  nameResolution,
  pcapFile,
  sectionHeader,
  simplePacket,
  tftpAck,
  tftpData,
  tftpError,
  tftpOack,
  tftpRequest,
  tsresolUnits,
  udp,
  type TimedPacket,
} from './build.js';

export interface Seed {
  /** A corpus file's path relative to the repository's parent, or `hand-built/<name>`. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

const CAPTURE_NAME = /\.(pcap|pcapng|cap)$/i;

/** Every capture file under `dir` (recursively), sorted by path. */
function capturesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort()) {
    const full = path.join(dir, entry);
    const stat = statSync(full);
    if (stat.isDirectory()) files.push(...capturesUnder(full));
    else if (CAPTURE_NAME.test(entry) && stat.size > 0) files.push(full);
  }
  return files;
}

/**
 * The seeds in a fixed order (sorted by name), so that a master seed and a case number
 * name the same case on every machine that has the same files.
 */
export function loadSeeds(): Seed[] {
  const dirs = [path.join(repoRoot, 'test', 'fixtures', 'captures'), path.join(repoRoot, 'captures')];
  const shared = sharedDir();
  if (shared !== undefined) dirs.push(path.join(shared, 'pcaps'));
  const parent = path.dirname(repoRoot);
  const files = dirs.flatMap(capturesUnder);
  const seeds: Seed[] = files.map((f) => ({ name: path.relative(parent, f), bytes: new Uint8Array(readFileSync(f)) }));
  seeds.push(...handBuiltSeeds());
  return seeds.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---- hand-built captures ------------------------------------------------------------------

const PHONE = '192.0.2.20';
const SERVER = '192.0.2.1';
const OTHER_SERVER = '192.0.2.2';
const T0 = 1_700_000_000;

const VENDOR_CLASS = ascii('Cisco Systems, Inc. IP Phone CP-7960G\0');

/** A phone boot in small: DHCP with the options the decoder reads, TFTP in its shapes, ARP, ICMP, fragments. */
function phoneBoot(linkType: number): TimedPacket[] {
  const frames: Uint8Array[] = [];
  const add = (packet: Uint8Array, o: { vlanId?: number } = {}): void => {
    frames.push(frameFor(linkType, packet, o));
  };
  const xid = 0x1234abcd;
  add(
    udp(
      '0.0.0.0',
      68,
      '255.255.255.255',
      67,
      dhcp({ op: 1, xid }, [
        ...dhcpOption(53, [1]),
        ...dhcpOption(60, VENDOR_CLASS),
        ...dhcpOption(55, [1, 3, 6, 15, 66, 150]),
        ...dhcpOption(61, [1, 0x00, 0x0e, 0x84, 0xc0, 0x60, 0xa6]),
        ...dhcpOption(12, ascii('SEP000E84C060A6')),
        ...dhcpOption(81, [0x04, 0, 0, 3, ...ascii('sep'), 7, ...ascii('example'), 0]),
      ]),
      1,
    ),
    { vlanId: 100 },
  );
  // OFFER: option 52 hands `file` and `sname` to options; 119 uses a compression pointer.
  add(
    udp(
      SERVER,
      67,
      PHONE,
      68,
      dhcp(
        {
          op: 2,
          xid,
          yiaddr: PHONE,
          siaddr: SERVER,
          giaddr: '192.0.2.254',
          file: [...dhcpOption(67, ascii('SEP000E84C060A6.cnf.xml')), 255],
          sname: [...dhcpOption(15, ascii('example.net')), 255],
        },
        [
          ...dhcpOption(53, [2]),
          ...dhcpOption(54, ip(SERVER)),
          ...dhcpOption(52, [3]),
          ...dhcpOption(1, [255, 255, 255, 0]),
          ...dhcpOption(66, ascii(SERVER)),
          ...dhcpOption(150, [...ip(SERVER), ...ip(OTHER_SERVER)]),
          ...dhcpOption(119, [3, ...ascii('lab'), 7, ...ascii('example'), 0, 5, ...ascii('phone'), 0xc0, 4]),
          ...dhcpOption(121, [24, 192, 0, 2, ...ip(SERVER)]),
          ...dhcpOption(82, [1, 4, ...ascii('port'), 2, 3, ...ascii('sw1')]),
          ...dhcpOption(125, [0, 0, 0, 9, 3, 1, 2, 3]),
        ],
      ),
      2,
    ),
    { vlanId: 100 },
  );
  add(
    udp(
      '0.0.0.0',
      68,
      '255.255.255.255',
      67,
      dhcp({ op: 1, xid }, [
        ...dhcpOption(53, [3]),
        ...dhcpOption(50, ip(PHONE)),
        ...dhcpOption(54, ip(SERVER)),
        ...dhcpOption(60, VENDOR_CLASS),
      ]),
      3,
    ),
  );
  // ACK: option 150 in two instances, concatenated (RFC 3396).
  add(
    udp(
      SERVER,
      67,
      PHONE,
      68,
      dhcp({ op: 2, xid, yiaddr: PHONE, siaddr: SERVER }, [
        ...dhcpOption(53, [5]),
        ...dhcpOption(54, ip(SERVER)),
        ...dhcpOption(150, ip(SERVER)),
        ...dhcpOption(43, [1, 2, 3]),
        ...dhcpOption(150, ip(OTHER_SERVER)),
        ...dhcpOption(51, [0, 0, 0x0e, 0x10]),
      ]),
      4,
    ),
  );
  frames.push(
    linkType === LINK.ethernet ? arpFrame() : frameFor(linkType, udp(PHONE, 5, SERVER, 5, ascii('not tftp'), 5)),
  );
  // A read with every option, an OACK, three full blocks of 8 bytes and a short one.
  add(
    udp(
      PHONE,
      50000,
      SERVER,
      69,
      tftpRequest(1, 'SEP000E84C060A6.cnf.xml', [
        ['blksize', '8'],
        ['tsize', '0'],
        ['timeout', '3'],
        ['windowsize', '1'],
      ]),
      6,
    ),
  );
  add(
    udp(
      SERVER,
      40000,
      PHONE,
      50000,
      tftpOack([
        ['blksize', '8'],
        ['tsize', '28'],
      ]),
      7,
    ),
  );
  add(udp(PHONE, 50000, SERVER, 40000, tftpAck(0), 8));
  for (let block = 1; block <= 4; block++) {
    add(
      udp(SERVER, 40000, PHONE, 50000, tftpData(block, ascii('<device>'.slice(0, block === 4 ? 4 : 8))), 8 + block * 2),
    );
    add(udp(PHONE, 50000, SERVER, 40000, tftpAck(block), 9 + block * 2));
  }
  // A file not found, and a request no one answers but an ICMP port unreachable.
  add(udp(PHONE, 50001, SERVER, 69, tftpRequest(1, 'CTLSEP000E84C060A6.tlv'), 20));
  add(udp(SERVER, 40001, PHONE, 50001, tftpError(1, 'File not found'), 21));
  const unanswered = udp(PHONE, 50002, OTHER_SERVER, 69, tftpRequest(1, 'RINGLIST.DAT'), 22);
  add(unanswered);
  add(icmpUnreachable(OTHER_SERVER, PHONE, 3, unanswered, 23));
  // A write, and a DATA block of 40 bytes in three IPv4 fragments, the last one first.
  add(udp(PHONE, 50003, SERVER, 69, tftpRequest(2, 'log.txt', [['blksize', '40']]), 24));
  add(udp(SERVER, 40003, PHONE, 50003, tftpAck(0), 25));
  const pieces = fragments(PHONE, 50003, SERVER, 40003, tftpData(1, ascii('0123456789'.repeat(3))), 26, 16);
  for (const piece of [pieces[2]!, pieces[0]!, pieces[1]!]) add(piece);
  add(udp(SERVER, 40003, PHONE, 50003, tftpAck(1), 27));
  return frames.map((data, i) => ({ time: T0 + i * 0.25, data }));
}

/**
 * About `bytes` of phone boots one after the other (DHCP and TFTP in every frame: the
 * costliest content per byte), to time this machine's decoding speed against.
 */
export function calibrationCapture(bytes: number): Uint8Array {
  const boot = phoneBoot(LINK.ethernet);
  const bootBytes = boot.reduce((n, p) => n + 16 + p.data.length, 0);
  const packets: TimedPacket[] = [];
  for (let i = 0; i * bootBytes < bytes; i++) for (const p of boot) packets.push({ ...p, time: p.time + i * 60 });
  return pcapFile({ linkType: LINK.ethernet }, packets);
}

function handBuiltSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const add = (name: string, bytes: Uint8Array): void => {
    seeds.push({ name: `hand-built/${name}`, bytes });
  };
  add('ethernet-vlan-le-usec.pcap', pcapFile({ linkType: LINK.ethernet }, phoneBoot(LINK.ethernet)));
  add('raw-ip-be-nsec.pcap', pcapFile({ linkType: LINK.raw, le: false, nanos: true }, phoneBoot(LINK.raw)));
  add(
    'linux-sll-snaplen-96.pcap',
    pcapFile(
      { linkType: LINK.sll, snapLength: 96 },
      phoneBoot(LINK.sll).map((p) => ({ ...p, data: p.data.subarray(0, 96), originalLength: p.data.length })),
    ),
  );
  add('bsd-null.pcap', pcapFile({ linkType: LINK.null }, phoneBoot(LINK.null)));
  const withFcs = phoneBoot(LINK.ethernet).map((p) => ({ ...p, data: concat(p.data, [0xde, 0xad, 0xbe, 0xef]) }));
  add('ethernet-fcs.pcap', pcapFile({ linkType: LINK.ethernet, fcsWords: 2 }, withFcs));
  add('two-sections.pcapng', twoSections());
  return seeds;
}

/**
 * pcapng with what the reader handles: a little-endian section with an Ethernet interface in
 * nanoseconds and a raw-IP one in 2^-20 s with an offset, packets with comments, an SPB, an
 * NRB, a custom block and an ISB; then a big-endian section with SLL2 and an FCS length.
 */
function twoSections(): Uint8Array {
  const parts: Uint8Array[] = [];
  const le = true;
  parts.push(
    sectionHeader(le),
    interfaceDescription({ linkType: LINK.ethernet, name: 'eth0', tsresol: 9, snapLength: 262144 }, le),
    interfaceDescription({ linkType: LINK.raw, tsresol: 0x94, tsoffset: 3600 }, le),
    nameResolution(le, [[SERVER, 'tftpserver']]),
  );
  const ethernet = phoneBoot(LINK.ethernet);
  const raw = phoneBoot(LINK.raw);
  ethernet.forEach((p, i) => {
    parts.push(enhancedPacket(0, p.time, tsresolUnits(9), p.data, le, i % 7 === 3 ? ['frame comment'] : []));
    if (i % 5 === 0) parts.push(enhancedPacket(1, raw[i]!.time, tsresolUnits(0x94), raw[i]!.data, le));
  });
  parts.push(simplePacket(ethernet[0]!.data, le), customBlock(le), interfaceStatistics(0, le));
  const be = false;
  parts.push(sectionHeader(be), interfaceDescription({ linkType: LINK.sll2, fcsLength: 0 }, be));
  for (const p of phoneBoot(LINK.sll2).slice(5, 14))
    parts.push(enhancedPacket(0, p.time, tsresolUnits(undefined), p.data, be));
  return concat(...parts);
}
