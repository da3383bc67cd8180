/**
 * `phonedoc decode --format jsonl` against `tshark -Y "tftp || dhcp"`, end to end (the built
 * CLI), on every capture of the shared corpus and of the repository, frame by frame: which
 * frames are TFTP or DHCP, and the fields a diagnosis rests on. Every difference fails the
 * test unless EXPLAINED says why it is there; an explanation that no longer matches a
 * difference fails too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliPath, requireTool } from '../helpers.js';
import {
  agreementCaptures,
  mapLimit,
  run,
  tftpStringBytes,
  TSHARK_REQUEST_CHECK,
  tsharkFields,
  tsharkString,
  tsharkValueNames,
  type CaptureFile,
  type TsharkRow,
} from '../tshark.js';

/** RFC 1350 section 5 (1-5) and RFC 2347 (6): opcode numbers. */
const TFTP_OPCODES: Readonly<Record<number, string>> = {
  1: 'RRQ',
  2: 'WRQ',
  3: 'DATA',
  4: 'ACK',
  5: 'ERROR',
  6: 'OACK',
};

const TSHARK_FIELDS = [
  'frame.protocols',
  'tftp.opcode',
  'tftp.source_file',
  'tftp.destination_file',
  'tftp.type',
  'tftp.block',
  'tftp.error.code',
  'tftp.error.message',
  'tftp.option.name',
  'tftp.option.value',
  'dhcp.option.dhcp',
  'dhcp.id',
  'dhcp.hw.mac_addr',
  'dhcp.hw.addr',
  'dhcp.ip.your',
  'dhcp.ip.server',
  'dhcp.option.vendor_class_id',
  'dhcp.option.tftp_server_name',
  'dhcp.option.bootfile_name',
  'dhcp.option.tftp_server_address',
] as const;

/** What is compared of one frame, in tshark's printed form; a field absent on a side is ''. */
type Compared = Map<string, string>;

interface Explained {
  readonly file: string;
  readonly frames: readonly number[];
  /** Compared fields (see `tsharkView`), `proto`, or `presence` for a frame only one side decodes. */
  readonly fields: readonly string[];
  readonly why: string;
}

const DHCP_HEADER = ['messageType', 'xid', 'chaddr', 'yiaddr', 'siaddr'];
/** pcapng-test-generator's test012: the second and fourth packets were captured 315 of 342 bytes. */
const SNAP_CUT_OPTIONS =
  "the snap length cut the DHCP options: tshark's first pass over the options (for its Info column) hits " +
  'the end of the captured bytes and throws before any DHCP field is added ("DHCP/BOOTP truncated", an empty tree); ' +
  'phonedoc keeps the fixed header and the options captured, marks the packet truncated and warns';
const UNSUPPORTED_LINK =
  'phonedoc reads Ethernet, Linux SLL/SLL2, raw IP and NULL/LOOP link layers (the ones a phone lab ' +
  'writes); this frame is on a link type it does not decode, which tshark dissects';

const EXPLAINED: readonly Explained[] = [
  { file: 'pcapng-test-generator__le_test012.pcapng', frames: [2, 4], fields: DHCP_HEADER, why: SNAP_CUT_OPTIONS },
  { file: 'pcapng-test-generator__be_test012.pcapng', frames: [2, 4], fields: DHCP_HEADER, why: SNAP_CUT_OPTIONS },
  // The lab's capture taken with tcpdump -s 120: the phone's DISCOVER and
  // REQUEST (342 bytes) are cut inside the options.
  {
    file: 'captures/capture-snaplen-cut/capture.pcap',
    frames: [1, 3],
    fields: ['xid', 'chaddr', 'yiaddr', 'siaddr'],
    why: SNAP_CUT_OPTIONS,
  },
  {
    file: 'captures/capture-snaplen-cut/capture.pcapng',
    frames: [1, 3],
    fields: ['xid', 'chaddr', 'yiaddr', 'siaddr'],
    why: SNAP_CUT_OPTIONS,
  },
  {
    file: 'ROBUSTNESS__tcpdump__bootp_asan.pcap',
    frames: [1],
    fields: ['xid', 'yiaddr', 'siaddr'],
    why:
      'fuzzed: 48 bytes of a datagram whose IPv4 and UDP lengths claim about 60 kB; ' +
      'tshark hits the end of the captured ' +
      'bytes before adding any DHCP field, ' +
      'phonedoc shows the header fields captured (xid, ciaddr, yiaddr, siaddr, giaddr) ' +
      'with a warning that the payload ends inside the fixed header',
  },
  {
    file: 'ROBUSTNESS__ndpi__dhcp-fuzz.pcapng',
    frames: [1],
    fields: ['option 60'],
    why:
      'fuzzed: option 60 claims 49 bytes where 37 remain; ' +
      'tshark stops with a malformed-packet exception and shows no value, ' +
      'phonedoc keeps the bytes present with a warning',
  },
  {
    file: 'ROBUSTNESS__tcpdump__tftp-heapoverflow.pcap',
    frames: [1],
    fields: ['file'],
    why:
      'fuzzed: an RRQ cut by the snap length after the opcode and "00", ' +
      'with no NUL; tshark throws on the unterminated ' +
      'string and adds no file name, phonedoc takes the bytes present ' +
      'as the name with warnings and marks the packet truncated',
  },
  {
    file: 'gopacket__pcapgo_le_test901.pcapng',
    frames: [2],
    fields: ['presence'],
    why:
      'the second of three sections has SHB version 2.0: ' +
      'tshark stops there ("unknown SHB version 2.0"); phonedoc warns, ' +
      'skips that section and reads the DHCP REQUEST of the third one (README of the corpus)',
  },
  {
    file: 'captures/os79xx-trailing-space/capture.pcap',
    frames: [11],
    fields: ['presence'],
    why:
      `the ERROR answering the RRQ of "P0S30203 \\r.bin" (frame 10, ` +
      `a carriage return in the name): ${TSHARK_REQUEST_CHECK}`,
  },
  {
    file: 'captures/os79xx-letter-o-forum/capture.pcap',
    frames: [11],
    fields: ['presence'],
    why:
      `the ERROR answering the RRQ of "POS3-08-12-00.bin   \\r.bin" (frame 10, ` +
      `a carriage return in the name): ${TSHARK_REQUEST_CHECK}`,
  },
  {
    file: 'wireshark__dftestfiles-tftp.pcap',
    frames: [1],
    fields: ['presence'],
    why: `Token Ring (LINKTYPE_IEEE802_5, 6): ${UNSUPPORTED_LINK}`,
  },
  {
    file: 'tcpdump__ieee802.11_htc.pcap',
    frames: [1],
    fields: ['presence'],
    why: `802.11 with radiotap (LINKTYPE_IEEE802_11_RADIOTAP, 127): ${UNSUPPORTED_LINK}`,
  },
];

/** One line of `phonedoc decode --format jsonl` (the contract in docs/cli.md). */
interface PhonedocRecord {
  readonly frame: number;
  readonly proto: 'tftp' | 'dhcp';
  readonly opcode?: string;
  readonly file?: string;
  readonly mode?: string;
  readonly block?: number;
  readonly errorCode?: number;
  readonly errorMessage?: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly xid?: string;
  readonly chaddr?: string;
  readonly yiaddr?: string;
  readonly siaddr?: string;
  readonly messageType?: string | number;
  readonly icmp?: unknown;
  readonly fragments?: readonly number[];
}

/**
 * The wire bytes of a DHCP text option as phonedoc decodes it (UTF-8, each invalid sequence
 * replaced by U+FFFD). A U+FFFD is taken for one byte above 0x7f: tshark prints one U+FFFD
 * per such byte, and the count of bytes a replacement stood for is not in the JSON.
 */
function dhcpWireBytes(s: string): Uint8Array {
  return Uint8Array.from([...s].flatMap((c) => (c === '\ufffd' ? [0x80] : [...new TextEncoder().encode(c)])));
}

function optionEntries(names: readonly string[], values: readonly string[]): string {
  // The JSONL keeps the first value of a repeated option name; so does this view of tshark's list.
  const first = new Map<string, string>();
  names.forEach((name, i) => {
    first.has(name) || first.set(name, values[i] ?? '<no value>');
  });
  return first.size === 0 ? '' : JSON.stringify([...first]);
}

function tsharkView(row: TsharkRow, messageTypes: ReadonlyMap<number, string>): Compared {
  const view: Compared = new Map();
  const protocols = row.text('frame.protocols').split(':');
  if (protocols.includes('tftp')) {
    view.set('proto', 'tftp');
    const number = row.values('tftp.opcode')[0];
    const opcode = number === undefined ? '' : (TFTP_OPCODES[Number(number)] ?? 'UNKNOWN');
    view.set('opcode', opcode);
    // tftp.source_file/destination_file on other opcodes are generated (copied from the request).
    if (opcode === 'RRQ') view.set('file', row.text('tftp.source_file'));
    if (opcode === 'WRQ') view.set('file', row.text('tftp.destination_file'));
    view.set('mode', row.text('tftp.type'));
    view.set('block', row.text('tftp.block'));
    view.set('errorCode', row.text('tftp.error.code'));
    view.set('errorMessage', row.text('tftp.error.message'));
    view.set('options', optionEntries(row.values('tftp.option.name'), row.values('tftp.option.value')));
  } else {
    view.set('proto', protocols.includes('dhcp') ? 'dhcp' : row.text('frame.protocols'));
    const type = row.text('dhcp.option.dhcp');
    view.set('messageType', type === '' ? '' : (normalisedTypeName(messageTypes.get(Number(type))) ?? type));
    view.set('xid', row.text('dhcp.id'));
    // dhcp.hw.mac_addr is chaddr of an Ethernet client (and option 61's
    // address): any other chaddr is dhcp.hw.addr, in hex.
    const otherHardware = row.text('dhcp.hw.addr');
    view.set(
      'chaddr',
      otherHardware !== '' ? (otherHardware.match(/../g) ?? []).join(':') : (row.values('dhcp.hw.mac_addr')[0] ?? ''),
    );
    view.set('yiaddr', row.text('dhcp.ip.your'));
    view.set('siaddr', row.text('dhcp.ip.server'));
    view.set('option 60', row.text('dhcp.option.vendor_class_id'));
    view.set('option 66', row.text('dhcp.option.tftp_server_name'));
    view.set('option 67', row.text('dhcp.option.bootfile_name'));
    view.set('option 150', row.values('dhcp.option.tftp_server_address').join(','));
  }
  return view;
}

/** tshark's "Lease Unassigned" -> the JSONL's `LEASEUNASSIGNED`. */
function normalisedTypeName(name: string | undefined): string | undefined {
  return name?.toUpperCase().replace(/[^A-Z]/g, '');
}

function phonedocView(r: PhonedocRecord): Compared {
  const view: Compared = new Map();
  const text = (value: string | number | undefined, bytes: (s: string) => Uint8Array = tftpStringBytes): string =>
    value === undefined ? '' : typeof value === 'number' ? String(value) : tsharkString(bytes(value));
  view.set('proto', r.proto);
  if (r.proto === 'tftp') {
    view.set('opcode', r.opcode ?? '');
    if (r.opcode === 'RRQ' || r.opcode === 'WRQ') view.set('file', text(r.file));
    view.set('mode', text(r.mode));
    view.set('block', text(r.block));
    view.set('errorCode', text(r.errorCode));
    view.set('errorMessage', text(r.errorMessage));
    const options = Object.entries(r.options ?? {}).map(([name, value]) => [text(name), text(String(value))]);
    view.set('options', options.length === 0 ? '' : JSON.stringify(options));
  } else {
    const options = r.options ?? {};
    const dhcpText = (code: number): string => {
      const value = options[String(code)];
      return typeof value === 'string' ? text(value, dhcpWireBytes) : value === undefined ? '' : JSON.stringify(value);
    };
    view.set('messageType', String(r.messageType ?? ''));
    view.set('xid', r.xid ?? '');
    view.set('chaddr', r.chaddr ?? '');
    view.set('yiaddr', r.yiaddr ?? '');
    view.set('siaddr', r.siaddr ?? '');
    view.set('option 60', dhcpText(60));
    view.set('option 66', dhcpText(66));
    view.set('option 67', dhcpText(67));
    const servers = options['150'];
    view.set(
      'option 150',
      Array.isArray(servers) ? servers.join(',') : servers === undefined ? '' : JSON.stringify(servers),
    );
  }
  return view;
}

interface Difference {
  readonly file: string;
  readonly frame: number;
  readonly field: string;
  readonly text: string;
}

interface FileResult {
  readonly frames: number;
  /** Frames compared whose datagram phonedoc read from an ICMP error's quote, or rebuilt from IPv4 fragments. */
  readonly icmpQuoted: number;
  readonly reassembled: number;
  readonly differences: readonly Difference[];
}

async function compareFile(capture: CaptureFile, messageTypes: ReadonlyMap<number, string>): Promise<FileResult> {
  const ours = await run(process.execPath, [cliPath, 'decode', capture.path, '--format', 'jsonl']);
  assert.ok(
    ours.exitCode === 0 || ours.exitCode === 2,
    `${capture.label}: phonedoc decode exit code ${ours.exitCode}: ${ours.stderr}`,
  );
  assert.doesNotMatch(ours.stderr, /\n\s+at /, `${capture.label}: phonedoc printed a stack trace`);
  const phonedoc = new Map<number, Compared>();
  const records = new Map<number, PhonedocRecord>();
  for (const line of ours.stdout.split('\n')) {
    if (line === '') continue;
    const record = JSON.parse(line) as PhonedocRecord;
    assert.ok(!records.has(record.frame), `${capture.label}: two records for frame ${record.frame}`);
    records.set(record.frame, record);
    phonedoc.set(record.frame, phonedocView(record));
  }
  const theirs = await tsharkFields(capture.path, 'tftp || dhcp', TSHARK_FIELDS);
  const tshark = new Map(theirs.rows.map((row) => [row.frame, tsharkView(row, messageTypes)]));
  const differences: Difference[] = [];
  let frames = 0;
  let icmpQuoted = 0;
  let reassembled = 0;
  for (const frame of [...new Set([...tshark.keys(), ...phonedoc.keys()])].sort((a, b) => a - b)) {
    const a = tshark.get(frame);
    const b = phonedoc.get(frame);
    const difference = (field: string, text: string): void => {
      differences.push({ file: capture.label, frame, field, text });
    };
    if (a === undefined || b === undefined) {
      const what =
        a === undefined
          ? `only phonedoc decodes it (${b?.get('proto')} ${b?.get('opcode') ?? b?.get('messageType')})`
          : `only tshark decodes it (${a.get('proto')})`;
      difference('presence', what);
      continue;
    }
    frames++;
    if (records.get(frame)?.icmp !== undefined) icmpQuoted++;
    if (records.get(frame)?.fragments !== undefined) reassembled++;
    if (a.get('proto') !== b.get('proto')) {
      difference('proto', `tshark ${a.get('proto')}, phonedoc ${b.get('proto')}`);
      continue;
    }
    for (const field of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(field) ?? '';
      const y = b.get(field) ?? '';
      if (x !== y) difference(field, `${field}: tshark ${JSON.stringify(x)}, phonedoc ${JSON.stringify(y)}`);
    }
  }
  return { frames, icmpQuoted, reassembled, differences };
}

function explanationOf(d: Difference): Explained | undefined {
  return EXPLAINED.find((e) => e.file === d.file && e.frames.includes(d.frame) && e.fields.includes(d.field));
}

test('phonedoc decode agrees with tshark on every TFTP and DHCP frame', { timeout: 15 * 60_000 }, async (t) => {
  if (!requireTool(t, 'tshark', 'tshark')) return;
  const captures = agreementCaptures();
  assert.ok(captures.length > 0, 'no capture found');
  const messageTypes = await tsharkValueNames('dhcp.option.dhcp');
  assert.ok(messageTypes.size >= 8, 'tshark -G values names the DHCP message types');
  const results = await mapLimit(captures, 2, (capture) => compareFile(capture, messageTypes));

  const unexplained: string[] = [];
  const seen = new Set<string>();
  for (const d of results.flatMap((r) => r.differences)) {
    const e = explanationOf(d);
    if (e === undefined) unexplained.push(`${d.file} frame ${d.frame}: ${d.text}`);
    else seen.add(`${d.file} ${d.frame} ${d.field}`);
  }
  // Every (frame, field) an explanation lists must still differ, in the captures there are here
  // (../shared/pcaps is read only when it exists).
  const compared = new Set(captures.map((c) => c.label));
  const stale = EXPLAINED.filter((e) => compared.has(e.file)).flatMap((e) =>
    e.frames.flatMap((frame) =>
      e.fields
        .filter((field) => !seen.has(`${e.file} ${frame} ${field}`))
        .map((field) => `${e.file} frame ${frame} ${field}: ${e.why}`),
    ),
  );
  const sum = (f: (r: FileResult) => number): number => results.reduce((n, r) => n + f(r), 0);
  t.diagnostic(
    `${captures.length} captures (${results.filter((r) => r.frames > 0).length} with TFTP or DHCP frames), ` +
      `${sum((r) => r.frames)} frames compared (${sum((r) => r.icmpQuoted)} quoted in ICMP errors, ` +
      `${sum((r) => r.reassembled)} reassembled ` +
      `from IPv4 fragments), ${seen.size} explained differences in ` +
      `${EXPLAINED.length} explanations, ${unexplained.length} unexplained`,
  );
  for (const e of EXPLAINED) t.diagnostic(`explained: ${e.file} frame ${e.frames.join(',')} ${e.fields.join(',')}`);
  assert.deepEqual(unexplained, [], 'differences with tshark that EXPLAINED does not list');
  assert.deepEqual(stale, [], 'explained differences that no longer occur');
});
