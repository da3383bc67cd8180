import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CapturedFrame, CaptureInterface } from '../../parsers/capture/frame.js';
import { PcapngWriter, tsresolOf } from '../../parsers/capture/pcapng-writer.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { fixture, nth, requireTool } from '../helpers.js';
import { run, tsharkFields } from '../tshark.js';

interface ReadCapture {
  readonly frames: CapturedFrame[];
  /** The snap length of each frame's interface. */
  readonly snapLengths: number[];
  readonly interfaces: readonly CaptureInterface[];
  readonly problems: string[];
}

function readCapture(bytes: Uint8Array): ReadCapture {
  const frames: CapturedFrame[] = [];
  const snapLengths: number[] = [];
  const problems: string[] = [];
  const reader: CaptureReader = new CaptureReader({
    frame: (f) => {
      frames.push({ ...f, data: f.data.slice() });
      snapLengths.push(reader.interfaces[f.interfaceId]?.snapLength ?? 0);
    },
    problem: (p) => problems.push(p.message),
  });
  reader.feed(bytes);
  reader.end();
  return { frames, snapLengths, interfaces: reader.interfaces, problems };
}

/** Writes the frames numbered `keep` of each source into one pcapng, with `comments` by source frame. */
function writeSelection(
  sources: readonly {
    capture: ReadCapture;
    keep: readonly number[];
    comments?: ReadonlyMap<number, readonly string[]>;
  }[],
): Buffer {
  const writer = new PcapngWriter('phonedoc test');
  const blocks: Uint8Array[] = [];
  for (const { capture, keep, comments } of sources) {
    capture.frames.forEach((f, i) => {
      if (!keep.includes(f.frame)) return;
      blocks.push(
        ...writer.frame(f, nth(capture.snapLengths, i), [...(f.comments ?? []), ...(comments?.get(f.frame) ?? [])]),
      );
    });
  }
  blocks.push(...writer.finish());
  return Buffer.concat(blocks);
}

const TIME_FIELDS = [
  'frame.time_epoch',
  'frame.len',
  'frame.cap_len',
  'frame.comment',
  'frame.encap_type',
  'frame.interface_id',
  'tftp.source_file',
];

let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'phonedoc-pcapng-writer-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('pcapng writer, read back by our reader', () => {
  it('keeps link type, timestamps, lengths, bytes and comments; blocks are 32-bit aligned', async () => {
    const source = readCapture(await readFile(fixture('captures', 'tftp-frame-comment.pcapng')));
    const bytes = writeSelection([
      { capture: source, keep: [3, 4], comments: new Map([[3, ['phonedoc: X: ünïcode comment']]]) },
    ]);
    assert.equal(bytes.length % 4, 0);
    const back = readCapture(bytes);
    assert.deepEqual(back.problems, []);
    assert.equal(back.frames.length, 2);
    for (const [i, f] of back.frames.entries()) {
      const original = source.frames.find((s) => s.frame === [3, 4][i])!;
      assert.equal(f.linkType, original.linkType);
      assert.equal(f.tsHigh, original.tsHigh);
      assert.equal(f.tsLow, original.tsLow);
      assert.equal(f.clock.unitsPerSecond, original.clock.unitsPerSecond);
      assert.equal(f.originalLength, original.originalLength);
      assert.deepEqual(f.data, original.data);
    }
    assert.deepEqual(nth(back.frames, 0).comments, ['phonedoc: X: ünïcode comment']);
    // The comment dumpcap/editcap wrote on the ERROR frame is kept.
    assert.deepEqual(nth(back.frames, 1).comments, nth(source.frames, 3).comments);
  });

  it('names the clock resolution as pcapng does: 10^-6, 10^-9, 2^-n', () => {
    const clock = (unitsPerSecond: number) => ({ unitsPerSecond, digits: 0, offsetSeconds: 0, split: false });
    assert.equal(tsresolOf(clock(1e6)), 6);
    assert.equal(tsresolOf(clock(1e9)), 9);
    assert.equal(tsresolOf(clock(2 ** 20)), 0x80 | 20);
    assert.throws(() => tsresolOf(clock(3000)), /no pcapng if_tsresol/);
  });

  it('writes a valid empty file when no frame is kept', () => {
    const bytes = writeSelection([]);
    const back = readCapture(bytes);
    assert.deepEqual(back.problems, []);
    assert.equal(back.frames.length, 0);
  });
});

describe('pcapng writer, read by tshark', () => {
  it('µs pcap, ns pcapng and SLL2 frames: tshark shows the same times, lengths, file names, and our comments', async (t) => {
    if (!requireTool(t, 'tshark', 'tshark')) return;
    const sources = [
      { name: 'phone-boot-7960-sip.pcap', keep: [1, 4, 7, 8, 10, 13] },
      { name: 'tftp-frame-comment.pcapng', keep: [3, 4, 5] },
      { name: 'tftp-linux-sll2.pcap', keep: [3, 4] },
    ];
    const read = await Promise.all(
      sources.map(async (s) => ({ ...s, capture: readCapture(await readFile(fixture('captures', s.name))) })),
    );
    const comment = (name: string, frame: number): string => `phonedoc: TEST_ID: ${name} frame ${frame}`;
    const out = path.join(scratch, 'mixed.pcapng');
    await writeFile(
      out,
      writeSelection(
        read.map((r) => ({
          capture: r.capture,
          keep: r.keep,
          comments: new Map(r.keep.map((n) => [n, [comment(r.name, n)]])),
        })),
      ),
    );

    const written = await tsharkFields(out, 'frame', TIME_FIELDS);
    assert.equal(written.exitCode, 0, written.stderr);
    assert.equal(
      written.rows.length,
      sources.reduce((n, s) => n + s.keep.length, 0),
    );
    let row = 0;
    const interfaceIds = new Set<string>();
    for (const s of read) {
      const original = await tsharkFields(
        fixture('captures', s.name),
        s.keep.map((n) => `frame.number == ${n}`).join(' || '),
        TIME_FIELDS,
      );
      assert.equal(original.rows.length, s.keep.length);
      for (const o of original.rows) {
        const w = nth(written.rows, row++);
        for (const field of [
          'frame.time_epoch',
          'frame.len',
          'frame.cap_len',
          'frame.encap_type',
          'tftp.source_file',
        ]) {
          assert.equal(w.text(field), o.text(field), `${s.name} frame ${o.frame}: ${field}`);
        }
        assert.deepEqual(w.values('frame.comment'), [...o.values('frame.comment'), comment(s.name, o.frame)]);
        interfaceIds.add(w.text('frame.interface_id'));
      }
    }
    // One IDB per kind of source interface: µs Ethernet, ns Ethernet, µs SLL2.
    assert.deepEqual([...interfaceIds].sort(), ['0', '1', '2']);
  });

  it('nanosecond pcap keeps its nine digits', async (t) => {
    if (!requireTool(t, 'tshark', 'tshark') || !requireTool(t, 'editcap', 'tshark')) return;
    const nanoPcap = path.join(scratch, 'nano.pcap');
    const converted = await run('editcap', [
      '-F',
      'nsecpcap',
      fixture('captures', 'tftp-file-not-found.pcap'),
      nanoPcap,
    ]);
    assert.equal(converted.exitCode, 0, converted.stderr);
    // editcap keeps the microsecond times: give one frame a nanosecond part of its own.
    const bytes = await readFile(nanoPcap);
    const firstRecord = 24;
    bytes.writeUInt32LE(bytes.readUInt32LE(firstRecord + 4) + 123, firstRecord + 4);
    await writeFile(nanoPcap, bytes);
    const source = readCapture(bytes);
    assert.equal(nth(source.frames, 0).clock.unitsPerSecond, 1e9);
    const out = path.join(scratch, 'nano.pcapng');
    await writeFile(out, writeSelection([{ capture: source, keep: [1, 3, 4] }]));
    const written = await tsharkFields(out, 'frame', TIME_FIELDS);
    const original = await tsharkFields(
      nanoPcap,
      'frame.number == 1 || frame.number == 3 || frame.number == 4',
      TIME_FIELDS,
    );
    assert.deepEqual(
      written.rows.map((r) => r.text('frame.time_epoch')),
      original.rows.map((r) => r.text('frame.time_epoch')),
    );
    assert.match(nth(written.rows, 0).text('frame.time_epoch'), /\.\d{6}123$/);
  });
});
