/**
 * Every capture of the shared corpus read with CaptureReader and compared with tshark,
 * frame by frame: frame numbers, interface id, epoch time to the nanosecond, original
 * and captured length, link type and comments.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { frameTimestamp, type CapturedFrame } from '../../parsers/capture/frame.js';
import type { CaptureProblem } from '../../parsers/capture/problem.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { requireTool, sharedDir } from '../helpers.js';

/** First protocol tshark names in `frame.protocols` → the LINKTYPE_* values it stands for. */
const LINK_TYPES_BY_PROTOCOL: Record<string, readonly number[]> = {
  eth: [1],
  null: [0],
  loop: [108],
  sll: [113],
  sll2: [276],
  raw: [12, 14, 101, 228, 229],
  tr: [6],
  radiotap: [127],
};

/**
 * Files where the reader and tshark 4.0 disagree on purpose. `differences` is exactly
 * what the comparison below finds; `why` says why the reader is right (or no worse).
 */
const EXPLAINED: Record<string, { differences: readonly string[]; why: string }> = {
  'ROBUSTNESS__ndpi__fuzz-2021-10-13.pcap': {
    differences: ['frame 1 time: tshark 980658802.1882137472, reader 980658803.882137472'],
    why:
      'the nanosecond field of the record header holds 1882137472, more than a second: tshark prints it as ' +
      'a 10-digit fraction, the reader carries the whole second into the seconds. Both then stop: the file is ' +
      'cut short in the record header of frame 2 (tshark: ' +
      '"cut short in the middle of a packet", the reader: an error problem).',
  },
  'gopacket__pcapgo_le_test901.pcapng': {
    differences: ['frame 2: only the reader has it'],
    why:
      'the second of three sections has SHB version 2.0: tshark stops there ("unknown SHB version 2.0"); the ' +
      'reader warns, skips that section and reads the third one, as gopacket (where the file comes from) expects.',
  },
};

interface TsharkRow {
  interfaceId: string;
  epoch: string;
  length: number;
  capturedLength: number;
  firstProtocol: string;
  comment: string;
}

interface TsharkResult {
  rows: Map<number, TsharkRow>;
  failed: boolean;
}

const FIELDS = [
  'frame.number',
  'frame.interface_id',
  'frame.time_epoch',
  'frame.len',
  'frame.cap_len',
  'frame.protocols',
  'frame.comment',
];

function runTshark(file: string): Promise<TsharkResult> {
  const args = [
    '-n',
    '-r',
    file,
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-E',
    'quote=n',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ];
  return new Promise((resolve) => {
    execFile('tshark', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      const rows = new Map<number, TsharkRow>();
      for (const line of stdout.split('\n')) {
        if (line === '') continue;
        const [number, interfaceId, epoch, length, capturedLength, protocols, comment] = line.split('\t');
        rows.set(Number(number), {
          interfaceId: interfaceId ?? '',
          epoch: epoch ?? '',
          length: Number(length),
          capturedLength: Number(capturedLength),
          firstProtocol: (protocols ?? '').split(':')[0] ?? '',
          comment: comment ?? '',
        });
      }
      resolve({ rows, failed: error !== null });
    });
  });
}

/** Runs `work` on every item with at most `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function readCapture(file: string): { frames: CapturedFrame[]; problems: CaptureProblem[] } {
  const frames: CapturedFrame[] = [];
  const problems: CaptureProblem[] = [];
  const reader = new CaptureReader({ frame: (f) => frames.push(f), problem: (p) => problems.push(p) });
  const bytes = readFileSync(file);
  // An odd chunk size, so that real records straddle chunks.
  for (let i = 0; i < bytes.length; i += 4093) reader.feed(bytes.subarray(i, i + 4093));
  reader.end();
  return { frames, problems };
}

/** `-T fields` prints a newline, carriage return or tab in a value as \n \r \t (a backslash as is). */
function tsharkEscape(value: string): string {
  return value.replace(/[\n\r\t]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);
}

function epochOf(frame: CapturedFrame): string {
  const ts = frameTimestamp(frame);
  return `${ts.seconds}.${String(ts.nanos).padStart(9, '0')}`;
}

/** Every way the reader's frames differ from tshark's rows, in words. */
function differences(frames: readonly CapturedFrame[], tshark: Map<number, TsharkRow>, pcapng: boolean): string[] {
  const found: string[] = [];
  const seen = new Set<number>();
  for (const frame of frames) {
    seen.add(frame.frame);
    const row = tshark.get(frame.frame);
    if (row === undefined) {
      found.push(`frame ${frame.frame}: only the reader has it`);
      continue;
    }
    const where = `frame ${frame.frame}`;
    const interfaceId = pcapng ? String(frame.interfaceId) : '';
    if (row.interfaceId !== interfaceId)
      found.push(`${where} interface: tshark ${row.interfaceId}, reader ${interfaceId}`);
    const epoch = frame.untimed === true ? '' : epochOf(frame);
    if (row.epoch !== epoch) found.push(`${where} time: tshark ${row.epoch}, reader ${epoch}`);
    if (row.length !== frame.originalLength)
      found.push(`${where} length: tshark ${row.length}, reader ${frame.originalLength}`);
    if (row.capturedLength !== frame.capturedLength) {
      found.push(`${where} captured length: tshark ${row.capturedLength}, reader ${frame.capturedLength}`);
    }
    const linkTypes = LINK_TYPES_BY_PROTOCOL[row.firstProtocol];
    if (linkTypes === undefined)
      found.push(`${where}: no link type known for tshark's first protocol ${row.firstProtocol}`);
    else if (!linkTypes.includes(frame.linkType))
      found.push(`${where} link type: tshark ${row.firstProtocol}, reader ${frame.linkType}`);
    const comment = tsharkEscape((frame.comments ?? []).join(','));
    if (row.comment !== comment)
      found.push(`${where} comment: tshark ${JSON.stringify(row.comment)}, reader ${JSON.stringify(comment)}`);
  }
  for (const [number, row] of tshark) {
    // pcapng records without an interface are custom blocks: frame numbers, but no packet.
    const packet = !pcapng || row.interfaceId !== '';
    if (packet && !seen.has(number)) found.push(`frame ${number}: only tshark has it`);
    if (!packet && seen.has(number)) found.push(`frame ${number}: tshark has a non-packet record, the reader a frame`);
  }
  return found;
}

test('every capture of the shared corpus reads as tshark reads it', async (t) => {
  const shared = sharedDir();
  if (shared === undefined) {
    t.skip('../shared is absent');
    return;
  }
  if (!requireTool(t, 'tshark', 'tshark')) return;
  const dir = path.join(shared, 'pcaps');
  const files = readdirSync(dir)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort();
  assert.ok(files.length > 0, `no captures in ${dir}`);
  const references = await pool(files, 4, (f) => runTshark(path.join(dir, f)));

  let framesCompared = 0;
  for (const [i, file] of files.entries()) {
    await t.test(file, () => {
      const reference = references[i]!;
      const { frames, problems } = readCapture(path.join(dir, file));
      const pcapng = readFileSync(path.join(dir, file)).readUInt32BE(0) === 0x0a0d0d0a;
      framesCompared += frames.length;
      assert.deepEqual(differences(frames, reference.rows, pcapng), EXPLAINED[file]?.differences ?? []);
      // Where tshark gives up, the reader must say why it did not or where it stopped.
      if (reference.failed)
        assert.ok(problems.length > 0, 'tshark failed on this file but the reader reported no problem');
      if (!file.startsWith('ROBUSTNESS__') && !reference.failed) {
        assert.deepEqual(
          problems.filter((p) => p.severity === 'error'),
          [],
        );
      }
    });
  }
  t.diagnostic(
    `${files.length} files, ${framesCompared} frames compared with tshark, ` +
      `${Object.keys(EXPLAINED).length} files with explained differences`,
  );
});
