/**
 * The checked-in lab captures (test/fixtures/captures, made by generate.ts) hold what their
 * README row and manifest say, as tshark/capinfos see them, and agree with the server logs
 * kept beside them and with the files that were served. Reads the checked-in files only.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fixture, requireTool } from '../helpers.js';
import type { CaptureManifest } from '../fixtures/captures/manifest.js';

const DIR = fixture('captures');
const MAX_BYTES = 200 * 1024;
const manifests: CaptureManifest[] = readdirSync(DIR)
  .filter((n) => n.endsWith('.json'))
  .sort()
  .map((n) => JSON.parse(readFileSync(path.join(DIR, n), 'utf8')) as CaptureManifest);

const TFTP = { RRQ: '1', DATA: '3', ERROR: '5', OACK: '6' };
const DHCP = { DISCOVER: '1', OFFER: '2', REQUEST: '3', ACK: '5' };
/** Frames of the first interface only (a pcapng may show the same packet on two interfaces). */
const FIRST_IF = '!(frame.interface_id > 0)';

/** tshark field rows; multi-value fields are joined with '|'. */
function tshark(file: string, filter: string, fields: readonly string[], prefs: readonly string[] = []): string[][] {
  const out = execFileSync(
    'tshark',
    [
      '-n',
      '-r',
      path.join(DIR, file),
      ...prefs.flatMap((p) => ['-o', p]),
      '-Y',
      filter,
      '-T',
      'fields',
      '-E',
      'separator=/t',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=|',
      ...fields.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
  );
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

function capinfos(args: readonly string[], file: string): string {
  return execFileSync('capinfos', [...args, path.join(DIR, file)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** tftp-root.sha256: served file name -> SHA-256. */
function rootListing(): Map<string, string> {
  const lines = readFileSync(path.join(DIR, 'tftp-root.sha256'), 'utf8').split('\n').filter(Boolean);
  return new Map(
    lines.map((l) => {
      const [hash = '', name = ''] = l.split(/ {2}/);
      return [name, hash];
    }),
  );
}

/** README rows: capture file -> frame count in its last column. */
function readmeFrames(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of readFileSync(path.join(DIR, 'README.md'), 'utf8').split('\n')) {
    const m = /^\| `([^`]+)`.*\| (\d+) \|$/.exec(line);
    if (m?.[1] && m[2]) rows.set(m[1], Number(m[2]));
  }
  return rows;
}

interface TftpdLog {
  rrq: { ip: string; file: string }[];
  nak: { code: string; message: string; ip: string }[];
  /** "Mmm dd hh:mm:ss" of each RRQ line. */
  rrqTimes: string[];
}

function readTftpdLog(name: string): TftpdLog {
  const log: TftpdLog = { rrq: [], nak: [], rrqTimes: [] };
  for (const line of readFileSync(path.join(DIR, name), 'utf8').split('\n').filter(Boolean)) {
    const m = /^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) \S+ in\.tftpd\[\d+\]: (.*)$/.exec(line);
    assert.ok(m, `${name}: not a tftpd-hpa syslog line: ${line}`);
    const text = m[2] ?? '';
    const rrq = /^RRQ from (\S+) filename (.+)$/.exec(text);
    const nak = /^sending NAK \((\d+), ([^)]*)\) to (\S+)$/.exec(text);
    if (rrq) {
      log.rrq.push({ ip: rrq[1] ?? '', file: rrq[2] ?? '' });
      log.rrqTimes.push(m[1] ?? '');
    } else if (nak) log.nak.push({ code: nak[1] ?? '', message: nak[2] ?? '', ip: nak[3] ?? '' });
  }
  return log;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** An epoch time as a syslog timestamp in UTC ("Nov  6 07:26:53"). */
function syslogTime(epoch: number): string {
  const d = new Date(epoch * 1000);
  const hms = d.toISOString().slice(11, 19);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms}`;
}

const basename = (f: string): string => f.split('/').pop() ?? f;

/** Files tshark rebuilds (--export-objects tftp): name without tshark's "(n)" suffix -> SHA-256 of each copy. */
function exportedObjects(file: string): Map<string, string[]> {
  const out = mkdtempSync(path.join(tmpdir(), 'phonedoc-fixture-export-'));
  try {
    execFileSync('tshark', ['-n', '-r', path.join(DIR, file), '-Q', '--export-objects', `tftp,${out}`], {
      stdio: 'ignore',
    });
    const objects = new Map<string, string[]>();
    for (const name of readdirSync(out)) {
      const plain = name.replace(/\(\d+\)(?=\.[^.]*$|$)/, '');
      objects.set(plain, [...(objects.get(plain) ?? []), sha256(readFileSync(path.join(out, name)))]);
    }
    return objects;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function checkTftp(m: CaptureManifest): void {
  assert.ok(m.tftpdLog, `${m.capture}: a TFTP capture keeps the server log`);
  const log = readTftpdLog(m.tftpdLog);
  const rrqs = tshark(m.capture, `tftp.opcode == ${TFTP.RRQ} && ${FIRST_IF}`, [
    'ip.src',
    'tftp.source_file',
    'frame.time_epoch',
  ]);
  assert.deepEqual(
    rrqs.map(([ip, file]) => ({ ip, file })),
    log.rrq,
    'each RRQ in the log is in the capture, in order',
  );
  for (const [i, row] of rrqs.entries()) {
    const t = Number(row[2]);
    assert.ok(
      [t - 1, t, t + 1].map(syslogTime).includes(log.rrqTimes[i] ?? ''),
      `log time of RRQ ${i} matches the frame (UTC)`,
    );
  }
  // tshark copies the requested name into an ERROR frame as tftp.destination_file (a generated field).
  const errors = tshark(m.capture, `tftp.opcode == ${TFTP.ERROR} && ${FIRST_IF}`, [
    'tftp.error.code',
    'tftp.error.message',
    'ip.dst',
    'tftp.destination_file',
  ]);
  assert.deepEqual(
    errors.map(([code, message, ip]) => ({ code, message, ip })),
    log.nak,
    'each NAK in the log is an ERROR frame',
  );
  assert.deepEqual(
    rrqs.map(([, file]) => file).sort(),
    m.requests.map((r) => r.file).sort(),
    'manifest lists the RRQs',
  );

  const listing = rootListing();
  const exported = exportedObjects(m.capture);
  for (const r of m.requests) {
    if (r.outcome === 'not-found') {
      assert.ok(
        errors.some(([code, , , file]) => code === '1' && file === r.file),
        `${r.file}: ERROR code 1 answers it`,
      );
    } else {
      assert.ok(r.served && r.sha256, `${r.file}: a complete request names its served file`);
      assert.equal(listing.get(r.served), r.sha256, `${r.served}: manifest and tftp-root.sha256 agree`);
      assert.ok(exported.get(basename(r.file))?.includes(r.sha256), `${r.file}: tshark rebuilds the served bytes`);
    }
  }
  for (const [name, hashes] of exported) {
    for (const h of hashes) assert.equal(h, listing.get(name), `rebuilt ${name} equals the served file`);
  }
}

function checkDhcpLog(m: CaptureManifest): void {
  assert.ok(m.dnsmasqLog);
  const lines = readFileSync(path.join(DIR, m.dnsmasqLog), 'utf8').split('\n');
  const logged = lines.flatMap((l) => {
    const x = /DHCP(OFFER|ACK)\(\S+\) (\S+) (\S+)/.exec(l);
    return x ? [`${x[1] === 'OFFER' ? DHCP.OFFER : DHCP.ACK} ${x[2]} ${x[3]}`] : [];
  });
  const frames = tshark(m.capture, `dhcp.option.dhcp == ${DHCP.OFFER} || dhcp.option.dhcp == ${DHCP.ACK}`, [
    'dhcp.option.dhcp',
    'dhcp.ip.your',
    'dhcp.hw.mac_addr',
  ]);
  assert.deepEqual(
    frames.map((f) => f.join(' ')),
    logged,
    'dnsmasq logged each OFFER/ACK of the capture',
  );
  const vendor = lines.flatMap((l) => /vendor class: (.*)$/.exec(l)?.[1] ?? []);
  assert.ok(
    vendor.length > 0 && vendor.every((v) => v === 'Cisco Systems, Inc. IP Phone CP-7960G'),
    'dnsmasq saw the 7960 vendor class',
  );
}

/** Option 60 of the client's DISCOVER/REQUEST, raw bytes (tshark's dhcp.option.value). */
function vendorClasses(file: string): Buffer[] {
  const rows = tshark(file, `dhcp.option.dhcp == ${DHCP.DISCOVER} || dhcp.option.dhcp == ${DHCP.REQUEST}`, [
    'dhcp.option.value',
  ]);
  return rows.map(([values = '']) => {
    const hex = values.split('|').find((v) => Buffer.from(v, 'hex').toString('latin1').startsWith('Cisco Systems'));
    assert.ok(hex, `${file}: the client sends option 60`);
    return Buffer.from(hex, 'hex');
  });
}

function checkPhoneDhcp(file: string): { yiaddr: string; chaddr: string } {
  const types = tshark(file, 'dhcp', ['dhcp.option.dhcp']).map(([t]) => t);
  assert.deepEqual(types, [DHCP.DISCOVER, DHCP.OFFER, DHCP.REQUEST, DHCP.ACK]);
  for (const v of vendorClasses(file)) {
    // phone-facts.md 7.1: the 7960 sends this string with a trailing NUL byte.
    assert.equal(v.toString('latin1'), 'Cisco Systems, Inc. IP Phone CP-7960G\0');
  }
  const replies = tshark(file, `dhcp.option.dhcp == ${DHCP.OFFER} || dhcp.option.dhcp == ${DHCP.ACK}`, [
    'dhcp.option.tftp_server_name',
    'dhcp.option.tftp_server_address',
    'dhcp.ip.your',
    'dhcp.hw.mac_addr',
  ]);
  for (const [opt66, opt150] of replies) {
    assert.match(opt66 ?? '', /^"?192\.0\.2\.1"?$/, 'option 66 names the TFTP server');
    assert.deepEqual(opt150?.split(/[|,]/), ['192.0.2.1', '192.0.2.2'], 'option 150 lists two addresses');
  }
  const [, , yiaddr = '', chaddr = ''] = replies.at(-1) ?? [];
  return { yiaddr, chaddr };
}

function tftpOptions(file: string): Map<string, string>[] {
  return tshark(file, `tftp.opcode == ${TFTP.OACK} && ${FIRST_IF}`, ['tftp.option.name', 'tftp.option.value']).map(
    ([names = '', values = '']) => {
      const v = values.split('|');
      return new Map(names.split('|').map((n, i) => [n, v[i] ?? '']));
    },
  );
}

/** What each capture's README row promises, checked against tshark's view of it. */
const SPECIFIC: Record<string, (m: CaptureManifest) => void> = {
  'tftp-options.pcap'(m) {
    const oacks = tftpOptions(m.capture);
    const complete = m.requests.filter((r) => r.outcome === 'complete');
    assert.deepEqual(oacks.map((o) => o.get('blksize')).sort(), ['1024', '1428']);
    for (const o of oacks) {
      // RFC 2349: in an OACK to a read request, tsize is the size of the file.
      const sizes = complete.map((r) => statSync(path.join(DIR, m.tftpRoot ?? '', r.served ?? '')).size);
      assert.ok(sizes.includes(Number(o.get('tsize'))), `OACK tsize ${o.get('tsize')} is the size of a served file`);
    }
    const bare = tshark(m.capture, `tftp.opcode == ${TFTP.RRQ} && !tftp.option.name`, ['tftp.source_file']);
    assert.equal(bare.length, 1, 'one RRQ without options');
    // Per transfer (the server's UDP stream): every DATA block but the last is blksize long,
    // the negotiated one after an OACK, else RFC 1350's 512.
    const blksizeOf = new Map(
      tshark(m.capture, `tftp.opcode == ${TFTP.OACK}`, ['udp.stream', 'tftp.option.name', 'tftp.option.value']).map(
        ([stream, names = '', values = '']) => [stream, Number(values.split('|')[names.split('|').indexOf('blksize')])],
      ),
    );
    const blocks = new Map<string, number[]>();
    for (const [stream = '', len] of tshark(m.capture, `tftp.opcode == ${TFTP.DATA}`, ['udp.stream', 'data.len'])) {
      blocks.set(stream, [...(blocks.get(stream) ?? []), Number(len)]);
    }
    assert.equal(blocks.size, 3, 'three transfers');
    for (const [stream, lens] of blocks) {
      const blksize = blksizeOf.get(stream) ?? 512;
      assert.ok(
        lens.slice(0, -1).every((n) => n === blksize) && (lens.at(-1) ?? 0) < blksize,
        `stream ${stream}: blocks of ${blksize}`,
      );
    }
    assert.equal(
      [...blocks.keys()].filter((k) => !blksizeOf.has(k)).length,
      1,
      'one transfer with the default block size',
    );
  },
  'tftp-file-not-found.pcap'(m) {
    const missing = m.requests.find((r) => r.outcome === 'not-found');
    const found = m.requests.find((r) => r.outcome === 'complete');
    assert.ok(missing && found);
    assert.notEqual(missing.file, found.file);
    assert.equal(missing.file.toLowerCase(), found.file.toLowerCase(), 'the names differ only in letter case');
    assert.ok(rootListing().has(found.file) && !rootListing().has(missing.file));
    const errors = tshark(m.capture, `tftp.opcode == ${TFTP.ERROR}`, [
      'tftp.error.code',
      'tftp.error.message',
      'tftp.destination_file',
    ]);
    assert.deepEqual(errors, [['1', 'File not found', missing.file]]);
  },
  'tftp-lost-data-block.pcap'(m) {
    const data = tshark(m.capture, `tftp.opcode == ${TFTP.DATA}`, [
      'udp.stream',
      'tftp.block',
      'frame.time_epoch',
      'data.data',
    ]);
    const seen = new Map<string, string[][]>();
    for (const row of data) seen.set(`${row[0]}/${row[1]}`, [...(seen.get(`${row[0]}/${row[1]}`) ?? []), row]);
    const twice = [...seen.values()].filter((rows) => rows.length > 1);
    assert.equal(twice.length, 1, 'exactly one DATA block is sent twice');
    const [first, again] = twice[0] ?? [];
    assert.ok(first && again);
    assert.equal(first[3], again[3], 'the retransmission carries the same bytes');
    const timeout = Number(tftpOptions(m.capture)[0]?.get('timeout'));
    const gap = Number(again[2]) - Number(first[2]);
    assert.ok(
      gap >= timeout * 0.9 && gap < timeout * 2,
      `resent after the negotiated ${timeout} s timeout (gap ${gap.toFixed(3)} s)`,
    );
    const acks = tshark(m.capture, `tftp.opcode == 4 && tftp.block == ${first[1]}`, ['frame.time_epoch']);
    assert.equal(acks.length, 1, 'the lost copy was never acknowledged; the resent one was');
    assert.ok(Number(acks[0]?.[0]) > Number(again[2]));
  },
  'dhcp-voice-vlan.pcap'(m) {
    const vids = tshark(m.capture, 'frame', ['vlan.id']).map(([v]) => v);
    assert.ok(
      vids.length >= 4 && vids.every((v) => v === '100'),
      `every frame carries 802.1Q VLAN 100 (${vids.join(',')})`,
    );
    const { yiaddr, chaddr } = checkPhoneDhcp(m.capture);
    assert.equal(yiaddr, '192.0.2.20');
    assert.equal(chaddr, '00:0e:84:c0:60:a6');
  },
  'tftp-ip-fragments.pcap'(m) {
    const blksize = Number(tftpOptions(m.capture)[0]?.get('blksize'));
    assert.equal(blksize, 4000);
    const fragments = tshark(
      m.capture,
      'ip.flags.mf == 1 || ip.frag_offset > 0',
      ['frame.len'],
      ['ip.defragment:FALSE'],
    );
    assert.ok(fragments.length >= 6, `DATA datagrams travel as IP fragments (${fragments.length})`);
    assert.ok(
      fragments.every(([len]) => Number(len) <= 1514),
      'no frame exceeds a 1500-byte MTU',
    );
    const reassembled = tshark(m.capture, `tftp.opcode == ${TFTP.DATA}`, ['data.len']).map(([n]) => Number(n));
    assert.ok(reassembled.filter((n) => n === blksize).length >= 2, 'reassembled DATA blocks hold 4000 bytes');
  },
  'tftp-nanosecond.pcap'(m) {
    const magic = readFileSync(path.join(DIR, m.capture)).subarray(0, 4);
    assert.ok(
      magic.equals(Buffer.from('4d3cb2a1', 'hex')) || magic.equals(Buffer.from('a1b23c4d', 'hex')),
      `magic ${magic.toString('hex')}`,
    );
    assert.match(capinfos([], m.capture), /File timestamp precision:\s+nanoseconds \(9\)/);
  },
  'two-interfaces.pcapng'(m) {
    const info = capinfos(['-I'], m.capture);
    assert.match(info, /Number of interfaces in file: 2\b/);
    assert.match(info, /Encapsulation = Ethernet \(\d+ - ether\)/);
    assert.match(info, /Encapsulation = Linux cooked-mode capture v2 \(\d+ - linux-sll2\)/);
    const perInterface = tshark(m.capture, 'tftp', ['frame.interface_id', 'sll.pkttype', 'eth.src']);
    const ids = new Set(perInterface.map(([id]) => id));
    assert.deepEqual([...ids].sort(), ['0', '1'], 'TFTP frames on both interfaces');
    assert.equal(
      perInterface.filter(([id]) => id === '0').length,
      perInterface.filter(([id]) => id === '1').length,
      'each packet seen on both',
    );
  },
  'tftp-frame-comment.pcapng'(m) {
    assert.match(capinfos([], m.capture), /File type:\s+Wireshark\/\.\.\. - pcapng/);
    assert.match(capinfos([], m.capture), /Time precision = nanoseconds \(9\)/);
    const commented = tshark(m.capture, 'frame.comment', ['tftp.opcode', 'tftp.error.code', 'frame.comment']);
    assert.equal(commented.length, 1);
    assert.equal(commented[0]?.[0], TFTP.ERROR, 'the comment sits on the ERROR frame');
    assert.match(commented[0]?.[2] ?? '', /CTL/);
  },
  'tftp-linux-sll2.pcap'(m) {
    const header = readFileSync(path.join(DIR, m.capture)).subarray(0, 24);
    assert.ok(header.readUInt32LE(0) === 0xa1b2c3d4, 'little-endian microsecond pcap');
    assert.equal(header.readUInt32LE(20), 276, 'LINKTYPE_LINUX_SLL2');
    const ifindex = tshark(m.capture, 'tftp', ['sll.ifindex', 'sll.pkttype']);
    assert.ok(ifindex.length > 0 && ifindex.every(([i]) => i !== ''), 'SLL2 headers name the interface');
    assert.deepEqual([...new Set(ifindex.map(([, p]) => p))].sort(), ['0', '4'], 'frames to us (0) and sent by us (4)');
  },
  'phone-boot-7960-sip.pcap'(m) {
    const { yiaddr, chaddr } = checkPhoneDhcp(m.capture);
    const mac = chaddr.replaceAll(':', '').toUpperCase();
    const rrqs = tshark(m.capture, `tftp.opcode == ${TFTP.RRQ}`, ['ip.src', 'eth.src', 'tftp.source_file']);
    assert.ok(
      rrqs.every(([ip, eth]) => ip === yiaddr && eth === chaddr),
      'the phone asks from the address and MAC DHCP gave it',
    );
    const files = rrqs.map(([, , f]) => f ?? '');
    // The order of phone-facts.md 2.1 (SIP 8.12): the last two run in parallel.
    assert.equal(files[0], `CTLSEP${mac}.tlv`);
    assert.equal(files[1], `SEP${mac}.cnf.xml`);
    const sep = readFileSync(path.join(DIR, m.tftpRoot ?? '', `SEP${mac}.cnf.xml`), 'utf8');
    const load = /<loadInformation[^>]*>([^<]+)</.exec(sep)?.[1];
    assert.equal(files[2], `${load}.loads`, 'then the load named in the SEP file');
    assert.equal(files[3], 'SIPDefault.cnf');
    assert.equal(files[4], `./SIP${mac}.cnf`, 'tftp_cfg_dir "./" is prefixed to the per-phone file');
    assert.deepEqual(files.slice(5).sort(), ['RINGLIST.DAT', 'dialplan.xml']);
    const errors = tshark(m.capture, `tftp.opcode == ${TFTP.ERROR}`, ['tftp.error.code', 'tftp.destination_file']);
    assert.deepEqual(errors, [['1', `CTLSEP${mac}.tlv`]], 'only the CTL file is missing');
    const ack = Number(tshark(m.capture, `dhcp.option.dhcp == ${DHCP.ACK}`, ['frame.number'])[0]?.[0]);
    const firstRrq = Number(tshark(m.capture, `tftp.opcode == ${TFTP.RRQ}`, ['frame.number'])[0]?.[0]);
    assert.ok(ack < firstRrq, 'DHCP comes before TFTP');
  },
};

test('fixture captures: every manifest has a README row and a specific check', () => {
  assert.ok(manifests.length >= 10, `found ${manifests.length} manifests`);
  const rows = readmeFrames();
  assert.deepEqual([...rows.keys()].sort(), manifests.map((m) => m.capture).sort());
  for (const m of manifests) assert.ok(SPECIFIC[m.capture], `${m.capture} has no specific check`);
});

test('fixture captures: tftp-root matches its SHA-256 listing', () => {
  const listing = rootListing();
  const files = readdirSync(path.join(DIR, 'tftp-root')).sort();
  assert.deepEqual(files, [...listing.keys()].sort());
  for (const f of files) assert.equal(sha256(readFileSync(path.join(DIR, 'tftp-root', f))), listing.get(f), f);
});

for (const m of manifests) {
  test(`fixture capture ${m.capture}`, (t) => {
    if (!requireTool(t, 'tshark', 'tshark')) return;
    const bytes = statSync(path.join(DIR, m.capture)).size;
    assert.equal(bytes, m.bytes, 'manifest describes this file');
    assert.ok(bytes < MAX_BYTES, `${bytes} bytes`);
    const [, format, encapsulation, frames] = capinfos(['-M', '-T', '-t', '-E', '-c', '-r'], m.capture)
      .trim()
      .split('\t');
    assert.deepEqual(
      { format, encapsulation, frames: Number(frames) },
      { format: m.format, encapsulation: m.encapsulation, frames: m.frames },
    );
    assert.equal(readmeFrames().get(m.capture), m.frames, 'README frame count');
    const badChecksums = tshark(
      m.capture,
      'udp.checksum.status == 0 || ip.checksum.status == 0',
      ['frame.number'],
      ['udp.check_checksum:TRUE', 'ip.check_checksum:TRUE'],
    );
    assert.deepEqual(badChecksums, [], 'IP and UDP checksums are right (no offload artefacts)');
    if (m.requests.length > 0) checkTftp(m);
    if (m.dnsmasqLog) checkDhcpLog(m);
    SPECIFIC[m.capture]?.(m);
  });
}
