/**
 * Every capture of the shared corpus read with CaptureReader, NetworkDecoder and decodeDhcp,
 * compared with tshark frame by frame on the DHCP fields the diagnosis uses. tshark
 * reassembles IPv4 by default, as the network decoder does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { CaptureReader } from '../../parsers/capture/reader.js';
import {
  decodeDhcp,
  dhcpOptionStrings,
  dhcpOptionText,
  isDhcpPort,
  type DhcpMessage,
} from '../../parsers/dhcp/decode.js';
import { NetworkDecoder } from '../../parsers/net/decoder.js';
import { requireTool, sharedDir } from '../helpers.js';

const FIELDS = [
  'frame.number',
  'dhcp.type',
  'dhcp.id',
  'dhcp.hw.mac_addr',
  'dhcp.ip.your',
  'dhcp.ip.server',
  'dhcp.option.dhcp',
  'dhcp.option.vendor_class_id',
  'dhcp.option.tftp_server_name',
  'dhcp.option.bootfile_name',
  'dhcp.option.tftp_server_address',
] as const;

/**
 * Differences between tshark and phonedoc that are understood, as `file#frame` (or `file#*`
 * for every frame of the file) with the reason. A listed difference that no longer occurs
 * fails the test too, so the list stays true.
 */
const SNAP_CUT_OPTIONS =
  "the snap length cut the DHCP options: tshark's first pass over the options (for its Info column) " +
  'raises its truncation exception before any field is added; ' +
  'phonedoc keeps the header and the options present, with a warning';
const EXPLAINED: ReadonlyMap<string, string> = new Map([
  ['tcpdump__ieee802.11_htc.pcap#*', 'link type 127 (802.11 radiotap) is not decoded by phonedoc'],
  ['pcapng-test-generator__le_test012.pcapng#2', SNAP_CUT_OPTIONS],
  ['pcapng-test-generator__le_test012.pcapng#4', SNAP_CUT_OPTIONS],
  ['pcapng-test-generator__be_test012.pcapng#2', SNAP_CUT_OPTIONS],
  ['pcapng-test-generator__be_test012.pcapng#4', SNAP_CUT_OPTIONS],
  [
    'ROBUSTNESS__tcpdump__bootp_asan.pcap#1',
    `${SNAP_CUT_OPTIONS} (without a cookie tshark looks for options after the 64-byte vendor field, ` +
      'beyond the 48 bytes captured of a datagram whose IPv4 and UDP lengths claim about 59 kB)',
  ],
  [
    'ROBUSTNESS__ndpi__dhcp-fuzz.pcapng#1',
    "fuzzed: option 60's length runs past the end of the packet; tshark stops with a malformed-packet " +
      'exception and shows no value, phonedoc keeps the bytes present, with a warning',
  ],
  [
    'gopacket__pcapgo_le_test901.pcapng#2',
    'the capture reader skips the section with the unknown SHB version 2.0 and reads the next one; ' +
      'tshark stops reading at that section (README of the corpus)',
  ],
]);

/** A string field as `tshark -T fields` prints it: cut at the first NUL, C escapes for control characters. */
function tsharkText(value: string | undefined): string {
  if (value === undefined) return '';
  const nul = value.indexOf('\0');
  const cut = nul < 0 ? value : value.slice(0, nul);
  const escapes: Record<string, string> = {
    '\\': '\\\\',
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
  };
  return cut.replace(/[\\\x07\b\f\n\r\t\v]/g, (c) => escapes[c] ?? c);
}

/** tshark's dhcp.hw.mac_addr: chaddr of an Ethernet client, then option 61 when it holds an Ethernet address. */
function macAddresses(m: DhcpMessage): string {
  const macs: string[] = [];
  if (m.htype === 1 && m.hlen === 6 && m.chaddr !== undefined) macs.push(m.chaddr);
  const clientId = m.options.find((o) => o.code === 61)?.value;
  if (typeof clientId === 'object' && 'type' in clientId && clientId.type === 1 && clientId.id.includes(':'))
    macs.push(clientId.id);
  return macs.join(',');
}

function phonedocRow(frame: number, m: DhcpMessage): string[] {
  return [
    String(frame),
    m.op === undefined ? '' : String(m.op),
    m.xid === undefined ? '' : `0x${m.xid.toString(16).padStart(8, '0')}`,
    macAddresses(m),
    m.yiaddr ?? '',
    m.siaddr ?? '',
    m.messageType === undefined ? '' : String(m.messageType),
    tsharkText(dhcpOptionText(m, 60)),
    tsharkText(dhcpOptionText(m, 66)),
    tsharkText(dhcpOptionText(m, 67)),
    (dhcpOptionStrings(m, 150) ?? []).join(','),
  ];
}

function phonedocRows(file: string): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  const decoder = new NetworkDecoder({
    acceptUdp: (_s, _d, srcPort, dstPort) => isDhcpPort(srcPort) || isDhcpPort(dstPort),
  });
  const reader = new CaptureReader({
    frame: (frame) => {
      const packet = decoder.decode(frame);
      if (packet?.kind === 'udp') rows.set(packet.frame, phonedocRow(packet.frame, decodeDhcp(packet.payload)));
    },
    problem: () => {},
  });
  reader.feed(readFileSync(file));
  reader.end();
  return rows;
}

async function tsharkRows(file: string): Promise<Map<number, string[]>> {
  const args = [
    '-n',
    '-r',
    file,
    '-Y',
    'dhcp',
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-E',
    'quote=n',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=,',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ];
  // tshark exits non-zero on the files cut short; what it printed before is still its reading.
  const stdout = await promisify(execFile)('tshark', args, { maxBuffer: 64 << 20 }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '',
  );
  const rows = new Map<number, string[]>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const cells = line.split('\t');
    rows.set(Number(cells[0]), cells);
  }
  return rows;
}

it('DHCP fields agree with tshark on every capture of the shared corpus', async (t) => {
  const shared = sharedDir();
  if (shared === undefined) return t.skip('../shared is not there');
  if (!requireTool(t, 'tshark', 'tshark')) return;
  const dir = path.join(shared, 'pcaps');
  const files = readdirSync(dir)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort();
  // MANIFEST.tsv counts the frames matching tshark's `dhcp` filter: tshark runs only where there are some.
  const [header, ...lines] = readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const dhcpColumn = header?.indexOf('dhcp_packets') ?? -1;
  const withoutDhcp = new Set(lines.filter((l) => l[dhcpColumn] === '0').map((l) => l[0]));
  assert.ok(
    dhcpColumn > 0 && withoutDhcp.size > 0 && withoutDhcp.size < files.length,
    'MANIFEST.tsv has a dhcp_packets column',
  );
  const noRows: Promise<Map<number, string[]>> = Promise.resolve(new Map());
  const differences: string[] = [];
  const explainedSeen = new Set<string>();
  let compared = 0;
  let filesWithDhcp = 0;
  // Two tshark processes at a time: the machine has two cores.
  const references = new Map<string, Promise<Map<number, string[]>>>();
  const reference = (i: number): void => {
    const file = files[i];
    if (file !== undefined) references.set(file, withoutDhcp.has(file) ? noRows : tsharkRows(path.join(dir, file)));
  };
  reference(0);
  reference(1);
  for (const [i, file] of files.entries()) {
    const ours = phonedocRows(path.join(dir, file));
    const theirs = await references.get(file)!;
    reference(i + 2);
    if (theirs.size > 0) filesWithDhcp++;
    for (const frame of new Set([...theirs.keys(), ...ours.keys()])) {
      const a = theirs.get(frame);
      const b = ours.get(frame);
      if (a !== undefined && b !== undefined) compared++;
      const fields = FIELDS.filter(
        (_, k) => (a?.[k] ?? '') !== (b?.[k] ?? '') && (a !== undefined || k > 0) && (b !== undefined || k > 0),
      );
      if (a !== undefined && b !== undefined && fields.length === 0) continue;
      const what =
        a === undefined
          ? 'only phonedoc sees DHCP'
          : b === undefined
            ? 'only tshark sees DHCP'
            : fields
                .map(
                  (f) =>
                    `${f}: tshark ${JSON.stringify(a[FIELDS.indexOf(f)])} ` +
                    `phonedoc ${JSON.stringify(b[FIELDS.indexOf(f)])}`,
                )
                .join('; ');
      const key = EXPLAINED.has(`${file}#${frame}`) ? `${file}#${frame}` : `${file}#*`;
      if (EXPLAINED.has(key)) explainedSeen.add(key);
      else differences.push(`${file} frame ${frame}: ${what}`);
    }
  }
  t.diagnostic(
    `${files.length} files, ${filesWithDhcp} with DHCP for tshark, ` +
      `${compared} DHCP frames compared, ${explainedSeen.size} explained differences`,
  );
  assert.deepEqual(differences, [], 'unexplained differences with tshark');
  assert.deepEqual(
    [...EXPLAINED.keys()].filter((k) => !explainedSeen.has(k)),
    [],
    'explained differences that no longer occur',
  );
});
