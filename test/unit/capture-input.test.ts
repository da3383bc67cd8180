import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CapturedFrame } from '../../parsers/capture/frame.js';
import type { CaptureProblem } from '../../parsers/capture/problem.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { InputError } from '../../src/exit-codes.js';
import { readCaptureInto } from '../../src/sources/capture-input.js';

const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-capture-input-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Classic little-endian microsecond pcap header (Ethernet, snap length 65535). */
function pcapHeader(): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(1, 20);
  return b;
}

/** Record `n`: second n, `60 + n % 40` bytes each equal to n & 0xff. */
function pcapRecord(n: number): Buffer {
  const length = 60 + (n % 40);
  const b = Buffer.alloc(16 + length, n & 0xff);
  b.writeUInt32LE(n, 0);
  b.writeUInt32LE(0, 4);
  b.writeUInt32LE(length, 8);
  b.writeUInt32LE(length, 12);
  return b;
}

function pcapFile(records: number): Buffer {
  return Buffer.concat([pcapHeader(), ...Array.from({ length: records }, (_, i) => pcapRecord(i + 1))]);
}

function collect(): { reader: CaptureReader; frames: CapturedFrame[]; problems: CaptureProblem[] } {
  const frames: CapturedFrame[] = [];
  const problems: CaptureProblem[] = [];
  const reader = new CaptureReader({ frame: (f) => frames.push(f), problem: (p) => problems.push(p) });
  return { reader, frames, problems };
}

/** Each frame's number, time and first byte: enough to tell frames and their order apart. */
function summary(frames: readonly CapturedFrame[]): [number, number, number][] {
  return frames.map((f) => [f.frame, f.tsHigh, f.data[0]!]);
}

function expectedSummary(records: number): [number, number, number][] {
  return Array.from({ length: records }, (_, i) => [i + 1, i + 1, (i + 1) & 0xff]);
}

test('reads a file in chunks, records straddling them, and ends the reader', async () => {
  const file = path.join(dir, 'plain.pcap');
  writeFileSync(file, pcapFile(500));
  const { reader, frames, problems } = collect();
  await readCaptureInto(file, reader, { chunkBytes: 1000 });
  assert.deepEqual(problems, []);
  assert.deepEqual(summary(frames), expectedSummary(500));
  // Every frame keeps its own bytes although the chunks came from reads of one file.
  assert.ok(frames.every((f) => f.data.every((b) => b === (f.frame & 0xff))));
});

test('a file cut short gets its truncation reported (the reader was ended)', async () => {
  const file = path.join(dir, 'cut.pcap');
  writeFileSync(file, pcapFile(3).subarray(0, -10));
  const { reader, frames, problems } = collect();
  await readCaptureInto(file, reader);
  assert.equal(frames.length, 2);
  assert.match(problems[0]?.message ?? '', /^file ends in the middle of frame 3/);
});

test('a missing path or a directory is an InputError naming the path', async () => {
  const missing = path.join(dir, 'no-such.pcap');
  await assert.rejects(
    readCaptureInto(missing, collect().reader),
    (e: unknown) =>
      e instanceof InputError && e.message === `cannot read capture ${missing}: no such file or directory`,
  );
  await assert.rejects(
    readCaptureInto(dir, collect().reader),
    (e: unknown) => e instanceof InputError && e.message.includes(dir) && e.message.includes('directory'),
  );
});

test("'-' reads standard input until it ends", async () => {
  const stdin = new PassThrough();
  const { reader, frames, problems } = collect();
  const done = readCaptureInto('-', reader, { stdin });
  const bytes = pcapFile(50);
  for (let i = 0; i < bytes.length; i += 333) {
    stdin.write(bytes.subarray(i, i + 333));
    await sleep(1);
  }
  stdin.end();
  await done;
  assert.deepEqual(problems, []);
  assert.deepEqual(summary(frames), expectedSummary(50));
});

test('standard input that is a terminal is refused instead of waiting forever', async () => {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  await assert.rejects(
    readCaptureInto('-', collect().reader, { stdin }),
    (e: unknown) => e instanceof InputError && /terminal/.test(e.message),
  );
});

test('follow: a growing file is read as it is written, from an incomplete header on, until aborted', async () => {
  const file = path.join(dir, 'live.pcap');
  const header = pcapHeader();
  writeFileSync(file, header.subarray(0, 10));
  const { reader, frames, problems } = collect();
  const abort = new AbortController();
  const done = readCaptureInto(file, reader, { follow: true, signal: abort.signal });
  await sleep(150);
  appendFileSync(file, header.subarray(10));
  const records = 40;
  for (let n = 1; n <= records; n += 10) {
    // Ten records per write, the last one split across two writes.
    const batch = Buffer.concat(Array.from({ length: 10 }, (_, i) => pcapRecord(n + i)));
    appendFileSync(file, batch.subarray(0, batch.length - 7));
    await sleep(120);
    appendFileSync(file, batch.subarray(batch.length - 7));
    await sleep(30);
  }
  // What is written right before the abort still arrives.
  appendFileSync(file, pcapRecord(records + 1));
  abort.abort();
  await done;
  assert.deepEqual(problems, []);
  assert.deepEqual(summary(frames), expectedSummary(records + 1));
});

test('afterChunk is awaited before more input is read, from a file and from standard input', async () => {
  const bytes = pcapFile(200);
  const file = path.join(dir, 'paced.pcap');
  writeFileSync(file, bytes);
  const stdin = new PassThrough();
  for (const [source, options] of [
    [file, { chunkBytes: 2000 }],
    ['-', { stdin }],
  ] as const) {
    const { reader, frames } = collect();
    let calls = 0;
    const afterChunk = async (): Promise<void> => {
      calls++;
      const before = frames.length;
      await sleep(3);
      // A slow consumer: nothing more was read while it was busy.
      assert.equal(frames.length, before, `${source}: frames arrived during afterChunk`);
    };
    const done = readCaptureInto(source, reader, { ...options, afterChunk });
    if (source === '-') {
      for (let i = 0; i < bytes.length; i += 2000) stdin.write(bytes.subarray(i, i + 2000));
      stdin.end();
    }
    await done;
    assert.deepEqual(summary(frames), expectedSummary(200), source);
    assert.ok(calls >= 5, `${source}: afterChunk called ${calls} times`);
  }
});
