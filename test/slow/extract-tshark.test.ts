/**
 * `phonedoc transfers CAPTURE --extract DIR` against `tshark --export-objects tftp,DIR`, end
 * to end: the same files with the same bytes, on every capture of the shared corpus and of
 * the repository. And a capture built here with hostile file names, whose files must all
 * land inside DIR.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { safeFileName, withDuplicateSuffix } from '../../src/extract/safe-file-names.js';
import { cliPath, nth, requireTool } from '../helpers.js';
import {
  agreementCaptures,
  mapLimit,
  run,
  tftpStringBytes,
  TSHARK_REQUEST_CHECK,
  tsharkAscii,
  tsharkExportObjects,
  type CaptureFile,
} from '../tshark.js';
import { ack, data } from '../unit/tftp-packets.js';
import { classicPcap } from '../bytes.js';

interface Explained {
  readonly file: string;
  /** The request's file name as phonedoc printed it, or tshark's file name for a file only tshark wrote. */
  readonly name: string;
  readonly difference: 'only phonedoc' | 'only tshark' | 'bytes';
  readonly why: string;
}

const EXPLAINED: readonly Explained[] = [
  {
    file: 'test/fixtures/captures/two-interfaces.pcapng',
    name: 'RINGLIST(1).DAT',
    difference: 'only tshark',
    why:
      'every packet of the one transfer is in the capture twice ' +
      "(the server veth and the client's -i any): tshark hands the " +
      'file to its export tap at each sight of the last DATA block and writes it twice; ' +
      'phonedoc counts the second DATA as a ' +
      'retransmission of the same transfer and writes the file once',
  },
];

interface Difference {
  readonly file: string;
  readonly name: string;
  readonly difference: Explained['difference'];
  readonly text: string;
}

interface FileResult {
  readonly transfers: number;
  readonly matched: number;
  readonly bytes: number;
  readonly differences: readonly Difference[];
}

interface Written {
  readonly original: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The `extracted "NAME" -> PATH (N bytes)` lines `phonedoc transfers --extract` prints on stderr;
 * `again`: the transfer's name and bytes were written before, PATH is that file.
 */
function extractedLines(stderr: string): { original: string; path: string; bytes: number; again: boolean }[] {
  return [
    ...stderr.matchAll(
      /^extracted ("(?:[^"\\]|\\.)*") -> (.+) \((\d+) bytes(, the same as an earlier transfer: not written again)?\)$/gm,
    ),
  ].map((m) => ({
    original: JSON.parse(nth(m, 1)) as string,
    path: nth(m, 2),
    bytes: Number(m[3]),
    again: m[4] !== undefined,
  }));
}

/**
 * Runs `phonedoc transfers --extract DIR` and checks what it wrote: exactly the files its
 * stderr lists (a transfer whose name and bytes were written before names that file), plain
 * files in DIR, each named by `safeFileName` of its request (with a `~N` suffix for a name
 * already taken).
 */
async function phonedocExtract(capture: string, dir: string): Promise<{ written: Written[]; transfers: number }> {
  const result = await run(process.execPath, [cliPath, 'transfers', capture, '--extract', dir, '--format', 'jsonl']);
  assert.ok(
    result.exitCode === 0 || result.exitCode === 2,
    `${capture}: phonedoc transfers exit code ${result.exitCode}: ${result.stderr}`,
  );
  assert.doesNotMatch(result.stderr, /\n\s+at /, `${capture}: phonedoc printed a stack trace`);
  const records = result.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { type: string });
  const transfers = records.filter((r) => r.type === 'tftp-transfer').length;
  const lines = extractedLines(result.stderr);
  const listed = readdirSync(dir).sort();
  assert.deepEqual(
    lines
      .filter((l) => !l.again)
      .map((l) => path.relative(dir, l.path))
      .sort(),
    listed,
    `${capture}: the files in DIR are the ones reported`,
  );
  const written = lines.map((line) => {
    const name = path.basename(line.path);
    assert.ok(lstatSync(line.path).isFile(), `${line.path} is a plain file`);
    const copies = Array.from({ length: lines.length }, (_, i) =>
      withDuplicateSuffix(safeFileName(line.original), i + 1),
    );
    assert.ok(copies.includes(name), `${name} is the safe name of ${JSON.stringify(line.original)}`);
    const bytes = readFileSync(line.path);
    assert.equal(bytes.length, line.bytes, `${name}: size reported`);
    return { original: line.original, name, size: bytes.length, sha256: sha256(bytes) };
  });
  return { written, transfers };
}

/**
 * The names tshark 4.0 may give the object of a request: g_path_get_basename of the name (as
 * tshark read it: ASCII, U+FFFD for other bytes), with `<>:"/\|?*` and bytes 0x01-0x1f as
 * `%xx` (eo_massage_str); when that name exists in DIR, "(N)" goes before the last dot
 * (eo_rename). `copies` bounds N.
 */
function tsharkObjectNames(original: string, copies: number): string[] {
  const trimmed = tsharkAscii(tftpStringBytes(original)).replace(/\/+$/, '');
  const base = trimmed === '' ? (original.startsWith('/') ? '/' : '.') : trimmed.slice(trimmed.lastIndexOf('/') + 1);
  const massaged = base.replace(/[<>:"/\\|?*\x01-\x1f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const dot = massaged.lastIndexOf('.');
  const names = [massaged];
  for (let n = 1; n <= copies; n++)
    names.push(dot < 0 ? `${massaged}(${n})` : `${massaged.slice(0, dot)}(${n})${massaged.slice(dot)}`);
  return names;
}

async function compareFile(capture: CaptureFile, scratch: string): Promise<FileResult> {
  const ours = path.join(scratch, 'phonedoc');
  const theirs = path.join(scratch, 'tshark');
  mkdirSync(theirs, { recursive: true });
  const { written, transfers } = await phonedocExtract(capture.path, ours);
  await tsharkExportObjects(capture.path, 'tftp', theirs);
  const tshark = readdirSync(theirs)
    .sort()
    .map((name) => ({ name, sha256: sha256(readFileSync(path.join(theirs, name))) }));
  const differences: Difference[] = [];
  let matched = 0;
  let bytes = 0;
  // Pair each file phonedoc wrote with a tshark object of the same request name: same bytes first, then any.
  const unpaired = [...tshark];
  // Candidate names in tshark's order (the plain name, then "(1)",
  // "(2)"...), so that copies pair up the same way each run.
  const take = (w: Written, sameBytes: boolean): (typeof tshark)[number] | undefined => {
    for (const name of tsharkObjectNames(w.original, tshark.length)) {
      const at = unpaired.findIndex((t) => t.name === name && (!sameBytes || t.sha256 === w.sha256));
      if (at >= 0) return unpaired.splice(at, 1)[0];
    }
    return undefined;
  };
  const left: Written[] = [];
  written.forEach((w) => {
    if (take(w, true) === undefined) left.push(w);
    else {
      matched++;
      bytes += w.size;
    }
  });
  for (const w of left) {
    const other = take(w, false);
    differences.push({
      file: capture.label,
      name: w.original,
      difference: other === undefined ? 'only phonedoc' : 'bytes',
      text:
        other === undefined
          ? `only phonedoc extracts ${JSON.stringify(w.original)} (as ${w.name})`
          : `${JSON.stringify(w.original)}: phonedoc ${w.name} sha256 ${w.sha256}, ` +
            `tshark ${other.name} sha256 ${other.sha256}`,
    });
  }
  for (const t of unpaired) {
    differences.push({
      file: capture.label,
      name: t.name,
      difference: 'only tshark',
      text: `only tshark exports ${JSON.stringify(t.name)}`,
    });
  }
  return { transfers, matched, bytes, differences };
}

function judge(
  results: readonly FileResult[],
  explained: readonly Explained[],
): { unexplained: string[]; stale: string[]; seen: number } {
  const seen = new Set<Explained>();
  const unexplained: string[] = [];
  for (const d of results.flatMap((r) => r.differences)) {
    const e = explained.find((x) => x.file === d.file && x.name === d.name && x.difference === d.difference);
    if (e === undefined) unexplained.push(`${d.file}: ${d.text}`);
    else seen.add(e);
  }
  const stale = explained
    .filter((e) => !seen.has(e))
    .map((e) => `${e.file} ${JSON.stringify(e.name)} ${e.difference}: ${e.why}`);
  return { unexplained, stale, seen: seen.size };
}

test('phonedoc transfers --extract writes the files tshark exports, byte for byte', {
  timeout: 15 * 60_000,
}, async (t) => {
  if (!requireTool(t, 'tshark', 'tshark')) return;
  const captures = agreementCaptures();
  assert.ok(captures.length > 0, 'no capture found');
  const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-extract-tshark-'));
  try {
    const results = await mapLimit(captures, 2, (capture) =>
      compareFile(capture, path.join(scratch, String(captures.indexOf(capture)))),
    );
    const { unexplained, stale, seen } = judge(results, EXPLAINED);
    const withTftp = results.filter((r) => r.transfers > 0 || r.matched > 0 || r.differences.length > 0).length;
    const sum = (f: (r: FileResult) => number): number => results.reduce((n, r) => n + f(r), 0);
    t.diagnostic(
      `${captures.length} captures, ${withTftp} with TFTP transfers (${sum((r) => r.transfers)} transfers); ` +
        `${sum((r) => r.matched)} files identical (${sum((r) => r.bytes)} bytes), ` +
        `${seen} explained differences, ${unexplained.length} unexplained`,
    );
    for (const e of EXPLAINED) t.diagnostic(`explained: ${e.file} ${JSON.stringify(e.name)} ${e.difference}`);
    assert.deepEqual(unexplained, [], 'differences with tshark that EXPLAINED does not list');
    assert.deepEqual(stale, [], 'explained differences that no longer occur');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

interface Datagram {
  readonly src: readonly number[];
  readonly dst: readonly number[];
  readonly sport: number;
  readonly dport: number;
  readonly payload: Uint8Array;
}

/** RFC 791 header checksum: the ones' complement of the ones' complement sum of the 16-bit words. */
function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * A classic pcap (little-endian, microseconds) with link type 228 (LINKTYPE_IPV4): each
 * datagram as an IPv4 header (RFC 791) and a UDP header (RFC 768, checksum 0 = none), one
 * millisecond apart.
 */
function pcapOf(datagrams: readonly Datagram[]): Buffer {
  const LINKTYPE_IPV4 = 228;
  return classicPcap(
    LINKTYPE_IPV4,
    datagrams.map((d, i) => {
      const udp = Buffer.alloc(8);
      udp.writeUInt16BE(d.sport, 0);
      udp.writeUInt16BE(d.dport, 2);
      udp.writeUInt16BE(8 + d.payload.length, 4);
      const ip = Buffer.alloc(20);
      ip[0] = 0x45;
      ip.writeUInt16BE(20 + 8 + d.payload.length, 2);
      ip.writeUInt16BE(i + 1, 4);
      ip[8] = 64;
      ip[9] = 17;
      Buffer.from(d.src).copy(ip, 12);
      Buffer.from(d.dst).copy(ip, 16);
      ip.writeUInt16BE(ipv4Checksum(ip), 10);
      return Buffer.concat([ip, udp, d.payload]);
    }),
  );
}

const CLIENT = [192, 0, 2, 10];
const SERVER = [192, 0, 2, 1];

/** RFC 1350 RRQ with the file name as raw bytes: opcode 1, name, NUL, "octet", NUL. */
function readRequest(name: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from([0, 1]), name, Buffer.from('\0octet\0', 'latin1')]);
}

/** One complete read per name: RRQ to port 69, one short DATA block from the server's port, its ACK. */
function hostileCapture(names: readonly Uint8Array[], contents: readonly Uint8Array[]): Buffer {
  return pcapOf(
    names.flatMap((name, i) => {
      const client = 40000 + i;
      const server = 50000 + i;
      return [
        { src: CLIENT, dst: SERVER, sport: client, dport: 69, payload: readRequest(name) },
        { src: SERVER, dst: CLIENT, sport: server, dport: client, payload: data(1, nth(contents, i)) },
        { src: CLIENT, dst: SERVER, sport: client, dport: server, payload: ack(1) },
      ];
    }),
  );
}

/**
 * File names a capture may carry to climb out of DIR or trip a terminal
 * or a file system. `outside` is an absolute path.
 */
function hostileNames(outside: string): Buffer[] {
  return [
    Buffer.from('../../etc/passwd'),
    Buffer.from('/etc/shadow'),
    Buffer.from(outside),
    Buffer.from('C:\\x'),
    Buffer.from('..\\..\\..\\windows\\win.ini'),
    Buffer.from('ctl\x01\x1b[2J\x7f\tname.cnf', 'latin1'),
    // The name ends at the NUL: the rest is read as the mode.
    Buffer.from('nul\0../../after-nul', 'latin1'),
    Buffer.from([0xff, 0xfe, 0x2e, 0x63, 0x6e, 0x66]),
    Buffer.from('..'),
    Buffer.from(''),
    Buffer.from('CON'),
    Buffer.from(`${'x'.repeat(230)}.cnf`),
    Buffer.from('dup.cnf'),
    Buffer.from('dup.cnf'),
  ];
}

/** A different content for each transfer, so that each file written can be traced to its request. */
const hostileContents = (names: readonly Buffer[]): Buffer[] =>
  names.map((name, i) => Buffer.from(`file ${i} named ${name.toString('hex')}\n`));

test('hostile file names from a capture all land inside the --extract directory', async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'phonedoc-hostile-names-'));
  try {
    const dir = path.join(parent, 'out', 'dir');
    const outside = path.join(parent, 'escaped-absolute');
    const names = hostileNames(outside);
    const contents = hostileContents(names);
    const capture = path.join(parent, 'hostile-names.pcap');
    writeFileSync(capture, hostileCapture(names, contents));
    // A symlink already in DIR under the name the first file gets must not be followed.
    const victim = path.join(parent, 'victim');
    writeFileSync(victim, 'untouched');
    mkdirSync(dir, { recursive: true });
    const trap = path.join(dir, safeFileName('../../etc/passwd'));
    symlinkSync(victim, trap);

    const result = await run(process.execPath, [cliPath, 'transfers', capture, '--extract', dir]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(
      readdirSync(parent).sort(),
      ['hostile-names.pcap', 'out', 'victim'],
      "nothing written beside DIR's parents",
    );
    assert.deepEqual(readdirSync(path.join(parent, 'out')), ['dir']);
    assert.equal(readFileSync(victim, 'utf8'), 'untouched', 'the symlink was not followed');
    assert.equal(readlinkSync(trap), victim, 'the symlink is still there');

    const files = readdirSync(dir).filter((name) => path.join(dir, name) !== trap);
    for (const name of files) {
      assert.ok(lstatSync(path.join(dir, name)).isFile(), `${JSON.stringify(name)} is a plain file`);
      assert.match(name, /^[\x21-\x7e]{1,255}$/, 'printable ASCII, no space or control character');
      assert.doesNotMatch(
        name,
        /[/\\:]|^\.|^-/,
        `${JSON.stringify(name)}: no separator, drive colon, leading dot or dash`,
      );
    }
    const written = files.map((name) => readFileSync(path.join(dir, name)).toString()).sort();
    assert.deepEqual(written, contents.map((c) => c.toString()).sort(), 'every file once, with its bytes, inside DIR');
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

const HOSTILE_EXPLAINED: readonly Explained[] = [
  {
    file: 'hostile-names.pcap',
    name: 'ctl\x01\x1b[2J\x7f\tname.cnf',
    difference: 'only phonedoc',
    why: `control bytes: ${TSHARK_REQUEST_CHECK}`,
  },
  {
    file: 'hostile-names.pcap',
    name: 'nul',
    difference: 'only phonedoc',
    why: `three NULs, mode "../../after-nul" (the name ends at the first NUL): ${TSHARK_REQUEST_CHECK}`,
  },
  {
    file: 'hostile-names.pcap',
    name: '\xff\xfe.cnf',
    difference: 'only phonedoc',
    why: `bytes above 0x7f: ${TSHARK_REQUEST_CHECK}`,
  },
];

test('tshark exports the same bytes from the hostile-name capture', async (t) => {
  if (!requireTool(t, 'tshark', 'tshark')) return;
  const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-hostile-tshark-'));
  try {
    const names = hostileNames(path.join(scratch, 'escaped-absolute'));
    const capture = path.join(scratch, 'hostile-names.pcap');
    writeFileSync(capture, hostileCapture(names, hostileContents(names)));
    const result = await compareFile({ label: 'hostile-names.pcap', path: capture }, path.join(scratch, 'out'));
    const { unexplained, stale, seen } = judge([result], HOSTILE_EXPLAINED);
    t.diagnostic(`${result.transfers} transfers, ${result.matched} files identical, ${seen} explained differences`);
    assert.equal(result.matched, names.length - HOSTILE_EXPLAINED.length);
    assert.deepEqual(unexplained, [], 'differences with tshark that HOSTILE_EXPLAINED does not list');
    assert.deepEqual(stale, [], 'explained differences that no longer occur');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
