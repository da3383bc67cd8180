import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classicPcap } from '../bytes.js';
import { cliPath, fixture } from '../helpers.js';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function phonedoc(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('node', [cliPath, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-decode-'));
const lostBlock = fixture('captures', 'tftp-lost-data-block.pcap');

test('decode prints one JSON line per TFTP packet, in frame order, with the contract fields', async () => {
  const { code, stdout, stderr } = await phonedoc('decode', lostBlock, '--format', 'jsonl');
  assert.equal(code, 0, stderr);
  const records = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.ok(records.length > 10);
  const frames = records.map((r) => r.frame as number);
  assert.deepEqual(
    frames,
    [...frames].sort((a, b) => a - b),
  );
  const request = records[0]!;
  for (const key of ['frame', 'time', 'src', 'dst', 'sport', 'dport', 'proto', 'opcode', 'file', 'mode'])
    assert.ok(key in request, key);
  assert.equal(request.opcode, 'RRQ');
  assert.match(request.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  const dataBlocks = records.filter((r) => r.opcode === 'DATA').map((r) => r.block as number);
  assert.ok(dataBlocks.length > new Set(dataBlocks).size, 'the retransmitted DATA block appears twice');
});

test('a capture cut in the middle of a record: the packets before it are printed, the error names file and offset, exit 2', async () => {
  const whole = readFileSync(lostBlock);
  const cut = path.join(scratch, 'cut.pcap');
  writeFileSync(cut, whole.subarray(0, whole.length - 10));
  const full = await phonedoc('decode', lostBlock, '--format', 'jsonl');
  const partial = await phonedoc('decode', cut, '--format', 'jsonl');
  assert.equal(partial.code, 2);
  const damage = new RegExp(`${cut}: error at byte offset \\d+ \\(frame (\\d+)\\): .*expected`).exec(partial.stderr);
  assert.ok(damage, partial.stderr);
  const cutFrame = Number(damage[1]);
  const before = full.stdout
    .trim()
    .split('\n')
    .filter((line) => (JSON.parse(line) as { frame: number }).frame < cutFrame);
  assert.deepEqual(partial.stdout.trim().split('\n'), before);
  assert.doesNotMatch(partial.stderr, /\n\s+at /, 'no stack trace');
});

test('a file that is not a capture, and a missing file, exit 2 with one clear sentence', async () => {
  const text = path.join(scratch, 'notes.txt');
  writeFileSync(text, 'RRQ from 192.0.2.10 filename SIPDefault.cnf\n');
  const notCapture = await phonedoc('decode', text);
  assert.equal(notCapture.code, 2);
  assert.match(notCapture.stderr, /not a pcap or pcapng capture/);
  const missing = await phonedoc('decode', path.join(scratch, 'nope.pcap'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.pcap: no such file or directory/);
});

test('frames of a link type phonedoc does not read are reported, not silently dropped', async () => {
  const tokenRing = path.join(scratch, 'token-ring.pcap');
  writeFileSync(tokenRing, classicPcap(6, [new Uint8Array(40)]));
  const { code, stdout, stderr } = await phonedoc('decode', tokenRing);
  assert.equal(code, 0);
  assert.equal(stdout, '');
  assert.match(stderr, /1 of link type 6/);
});

test('decode reads standard input', async () => {
  const { stdout } = await promisify(execFile)('sh', ['-c', `node ${cliPath} decode - --format jsonl < ${lostBlock}`]);
  const direct = await phonedoc('decode', lostBlock, '--format', 'jsonl');
  assert.equal(stdout, direct.stdout);
});
