import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frameTimestamp, type CapturedFrame } from '../../parsers/capture/frame.js';
import type { CaptureProblem } from '../../parsers/capture/problem.js';
import { CaptureReader, type CaptureReaderOptions } from '../../parsers/capture/reader.js';
import { concat, type Bytes } from '../bytes.js';
import { nth } from '../helpers.js';

// ---- tiny builders for capture bytes -------------------------------------------------

function u16(v: number, le: boolean): number[] {
  const b = [(v >>> 8) & 0xff, v & 0xff];
  return le ? b.reverse() : b;
}

function u32(v: number, le: boolean): number[] {
  const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return le ? b.reverse() : b;
}

function pad4(b: Bytes): Uint8Array {
  return concat(b, new Array<number>((4 - (b.length % 4)) % 4).fill(0));
}

function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** `n` bytes 0, 1, 2, ... so that each frame's data is recognisable. */
function payload(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i + seed) & 0xff);
}

interface PcapHeaderOptions {
  le?: boolean;
  nanos?: boolean;
  snaplen?: number;
  link?: number;
  version?: [number, number];
}

function pcapHeader(o: PcapHeaderOptions = {}): Uint8Array {
  const le = o.le ?? true;
  const [major, minor] = o.version ?? [2, 4];
  return concat(
    u32(o.nanos === true ? 0xa1b23c4d : 0xa1b2c3d4, le),
    u16(major, le),
    u16(minor, le),
    u32(0, le),
    u32(0, le),
    u32(o.snaplen ?? 65535, le),
    u32(o.link ?? 1, le),
  );
}

interface PcapRecordOptions {
  le?: boolean;
  sec?: number;
  frac?: number;
  caplen?: number;
  origlen?: number;
}

function pcapRecord(data: Uint8Array, o: PcapRecordOptions = {}): Uint8Array {
  const le = o.le ?? true;
  return concat(
    u32(o.sec ?? 1_600_000_000, le),
    u32(o.frac ?? 0, le),
    u32(o.caplen ?? data.length, le),
    u32(o.origlen ?? data.length, le),
    data,
  );
}

function block(type: number, body: Bytes, le: boolean): Uint8Array {
  const padded = pad4(body);
  const length = 12 + padded.length;
  return concat(u32(type, le), u32(length, le), padded, u32(length, le));
}

type Option = [code: number, value: Bytes];

function options(list: readonly Option[], le: boolean): Uint8Array {
  if (list.length === 0) return new Uint8Array(0);
  return concat(
    ...list.map(([code, value]) => concat(u16(code, le), u16(value.length, le), pad4(value))),
    [0, 0, 0, 0],
  );
}

function shb(le: boolean, version: [number, number] = [1, 0]): Uint8Array {
  return block(
    0x0a0d0d0a,
    concat(u32(0x1a2b3c4d, le), u16(version[0], le), u16(version[1], le), u32(0xffffffff, le), u32(0xffffffff, le)),
    le,
  );
}

function idb(le: boolean, link: number, snaplen: number, opts: readonly Option[] = []): Uint8Array {
  return block(1, concat(u16(link, le), u16(0, le), u32(snaplen, le), options(opts, le)), le);
}

interface EpbOptions {
  origlen?: number;
  caplen?: number;
  opts?: readonly Option[];
}

function epb(
  le: boolean,
  iface: number,
  tsHigh: number,
  tsLow: number,
  data: Uint8Array,
  o: EpbOptions = {},
): Uint8Array {
  return block(
    6,
    concat(
      u32(iface, le),
      u32(tsHigh, le),
      u32(tsLow, le),
      u32(o.caplen ?? data.length, le),
      u32(o.origlen ?? data.length, le),
      pad4(data),
      options(o.opts ?? [], le),
    ),
    le,
  );
}

function spb(le: boolean, origlen: number, data: Uint8Array): Uint8Array {
  return block(3, concat(u32(origlen, le), pad4(data)), le);
}

function nrb(le: boolean, records: readonly [type: number, address: Bytes, names: string[]][]): Uint8Array {
  const body = records.map(([type, address, names]) => {
    const value = concat(address, ...names.map((n) => concat(ascii(n), [0])));
    return concat(u16(type, le), u16(value.length, le), pad4(value));
  });
  return block(4, concat(...body, [0, 0, 0, 0]), le);
}

/** A count of clock units split into the EPB's high and low 32 bits. */
function split64(count: bigint): [number, number] {
  return [Number(count >> 32n), Number(count & 0xffffffffn)];
}

// ---- reading -------------------------------------------------------------------------

interface Result {
  frames: CapturedFrame[];
  problems: CaptureProblem[];
  reader: CaptureReader;
}

function read(bytes: Uint8Array, chunk = bytes.length || 1, options?: CaptureReaderOptions): Result {
  const frames: CapturedFrame[] = [];
  const problems: CaptureProblem[] = [];
  const reader = new CaptureReader({ frame: (f) => frames.push(f), problem: (p) => problems.push(p) }, options);
  for (let i = 0; i < bytes.length; i += chunk) reader.feed(bytes.subarray(i, i + chunk));
  reader.end();
  return { frames, problems, reader };
}

/** What a user of a frame sees, as plain data. */
function view(f: CapturedFrame): Record<string, unknown> {
  const ts = frameTimestamp(f);
  return {
    frame: f.frame,
    interfaceId: f.interfaceId,
    linkType: f.linkType,
    fcsBytes: f.fcsBytes,
    time: `${ts.seconds}.${String(ts.nanos).padStart(9, '0')}`,
    digits: ts.digits,
    capturedLength: f.capturedLength,
    originalLength: f.originalLength,
    data: [...f.data],
    comments: f.comments,
    untimed: f.untimed,
  };
}

function errors(problems: readonly CaptureProblem[]): CaptureProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

// ---- classic pcap ------------------------------------------------------------------

describe('classic pcap', () => {
  for (const le of [true, false]) {
    for (const nanos of [false, true]) {
      test(`${nanos ? 'nanosecond' : 'microsecond'} magic, ${le ? 'little' : 'big'}-endian`, () => {
        const file = concat(
          pcapHeader({ le, nanos, link: 113 }),
          pcapRecord(payload(60), { le, sec: 1_600_000_000, frac: 123456 }),
          pcapRecord(payload(42, 7), { le, sec: 1_600_000_001, frac: 999, origlen: 1500 }),
        );
        const { frames, problems, reader } = read(file);
        assert.deepEqual(problems, []);
        assert.equal(reader.format, 'pcap');
        assert.equal(reader.framesDelivered, 2);
        const unit = nanos ? 1 : 1000;
        assert.deepEqual(frames.map(view), [
          {
            frame: 1,
            interfaceId: 0,
            linkType: 113,
            fcsBytes: 0,
            time: `1600000000.${String(123456 * unit).padStart(9, '0')}`,
            digits: nanos ? 9 : 6,
            capturedLength: 60,
            originalLength: 60,
            data: [...payload(60)],
            comments: undefined,
            untimed: false,
          },
          {
            frame: 2,
            interfaceId: 0,
            linkType: 113,
            fcsBytes: 0,
            time: `1600000001.${String(999 * unit).padStart(9, '0')}`,
            digits: nanos ? 9 : 6,
            capturedLength: 42,
            originalLength: 1500,
            data: [...payload(42, 7)],
            comments: undefined,
            untimed: false,
          },
        ]);
        assert.deepEqual(
          reader.interfaces.map((i) => [i.linkType, i.snapLength, i.clock.unitsPerSecond]),
          [[113, 65535, nanos ? 1e9 : 1e6]],
        );
      });
    }
  }

  test('FCS bits of the link-type field give fcsBytes; without the F bit they mean nothing', () => {
    // libpcap LT_FCS_DATALINK_EXT: FCS length in 16-bit words in bits 28..31, present when bit 26 is set.
    const withFcs = read(concat(pcapHeader({ link: (2 << 28) | 0x04000000 | 1 }), pcapRecord(payload(64))));
    assert.deepEqual([withFcs.frames[0]?.linkType, withFcs.frames[0]?.fcsBytes], [1, 4]);
    assert.equal(withFcs.reader.interfaces[0]?.fcsBytes, 4);
    const noFlag = read(concat(pcapHeader({ link: (2 << 28) | 1 }), pcapRecord(payload(64))));
    assert.deepEqual([noFlag.frames[0]?.linkType, noFlag.frames[0]?.fcsBytes], [1, 0]);
  });

  test('files older than version 2.3 have captured and original length the other way round (as libpcap and Wireshark read them)', () => {
    const data = payload(40);
    const { frames } = read(concat(pcapHeader({ version: [2, 2] }), pcapRecord(data, { caplen: 1514, origlen: 40 })));
    assert.deepEqual(
      frames.map((f) => [f.capturedLength, f.originalLength]),
      [[40, 1514]],
    );
  });

  test('a fraction field of a second or more is carried into the seconds', () => {
    const { frames } = read(concat(pcapHeader(), pcapRecord(payload(10), { sec: 100, frac: 2_500_000 })));
    assert.equal(view(nth(frames, 0)).time, '102.500000000');
  });
});

// ---- pcapng --------------------------------------------------------------------------

describe('pcapng', () => {
  test('two sections of different byte order, each with its own interfaces', () => {
    const a = payload(50);
    const b = payload(30, 3);
    const file = concat(
      shb(true),
      idb(true, 1, 65535),
      epb(true, 0, ...split64(1_600_000_000_000_001n), a),
      shb(false),
      idb(false, 0, 262144),
      idb(false, 101, 0),
      epb(false, 1, ...split64(1_600_000_002_000_000n), b),
    );
    const { frames, problems, reader } = read(file);
    assert.deepEqual(problems, []);
    assert.equal(reader.format, 'pcapng');
    assert.deepEqual(
      frames.map((f) => [f.frame, f.interfaceId, f.linkType, view(f).time, [...f.data]]),
      [
        [1, 0, 1, '1600000000.000001000', [...a]],
        [2, 1, 101, '1600000002.000000000', [...b]],
      ],
    );
    // The second section replaced the interfaces of the first.
    assert.deepEqual(
      reader.interfaces.map((i) => i.linkType),
      [0, 101],
    );
  });

  test('interfaces with different link types, if_tsresol 10^-9 and 2^-8, if_tsoffset, if_name and if_fcslen', () => {
    const le = true;
    const file = concat(
      shb(le),
      idb(le, 1, 65535, [
        [2, ascii('eth0')],
        [9, [9]],
        [13, [4]],
      ]),
      idb(le, 113, 65535, [[9, [0x88]]]),
      idb(le, 0, 65535, [[14, [...u32(1000, le), ...u32(0, le)]]]),
      // 1600000000.123456789 s in nanoseconds (above 2^53: needs the exact 64-bit path)
      epb(le, 0, ...split64(1_600_000_000_123_456_789n), payload(20)),
      // 1600000000 s + 64/256 s
      epb(le, 1, ...split64(1_600_000_000n * 256n + 64n), payload(20)),
      // 5.000001 s in microseconds, plus the interface's offset of 1000 s
      epb(le, 2, ...split64(5_000_001n), payload(20)),
    );
    const { frames, problems, reader } = read(file);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      frames.map((f) => [f.interfaceId, f.linkType, f.fcsBytes, view(f).time]),
      [
        [0, 1, 4, '1600000000.123456789'],
        [1, 113, 0, '1600000000.250000000'],
        [2, 0, 0, '1005.000001000'],
      ],
    );
    assert.deepEqual(
      reader.interfaces.map((i) => [i.name, i.clock.digits]),
      [
        ['eth0', 9],
        [undefined, 3],
        [undefined, 6],
      ],
    );
  });

  test('a simple packet block has interface 0, no time, and the snap length cuts it', () => {
    const { frames, problems } = read(
      concat(shb(true), idb(true, 1, 64), spb(true, 342, payload(64)), spb(true, 60, payload(60))),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      frames.map((f) => [f.frame, f.interfaceId, f.untimed, view(f).time, f.capturedLength, f.originalLength]),
      [
        [1, 0, true, '0.000000000', 64, 342],
        [2, 0, true, '0.000000000', 60, 60],
      ],
    );
  });

  test('name resolution records are kept on the reader', () => {
    const v6 = [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1];
    const { reader, problems } = read(
      concat(
        shb(false),
        idb(false, 1, 0),
        nrb(false, [
          [1, [192, 0, 2, 1], ['tftp.example', 'boot']],
          [2, v6, ['v6.example']],
        ]),
      ),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      reader.nameRecords.map((r) => [r.type, [...r.address], r.names]),
      [
        ['ipv4', [192, 0, 2, 1], ['tftp.example', 'boot']],
        ['ipv6', v6, ['v6.example']],
      ],
    );
  });

  test('frame comments, among other options', () => {
    const le = false;
    const { frames } = read(
      concat(
        shb(le),
        idb(le, 1, 0),
        epb(le, 0, 0, 1, payload(33), {
          opts: [
            [2, u32(1, le)],
            [1, ascii('first')],
            [1, ascii('second: é')],
          ],
        }),
        epb(le, 0, 0, 2, payload(33)),
      ),
    );
    assert.deepEqual(
      frames.map((f) => f.comments),
      [['first', 'second: é'], undefined],
    );
  });

  test('unknown blocks and statistics are skipped; custom blocks take a frame number as in Wireshark; the obsolete packet block is read', () => {
    const le = true;
    const obsolete = block(
      2,
      concat(u16(0, le), u16(0, le), u32(0, le), u32(7, le), u32(25, le), u32(25, le), pad4(payload(25))),
      le,
    );
    const file = concat(
      shb(le),
      idb(le, 1, 0),
      block(0x12345, payload(21), le), // unknown
      block(5, concat(u32(0, le), u32(0, le), u32(0, le)), le), // interface statistics
      epb(le, 0, 0, 1, payload(10)),
      block(0x00000bad, concat(u32(32473, le), ascii('custom')), le),
      obsolete,
    );
    const { frames, problems } = read(file);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      frames.map((f) => [f.frame, f.capturedLength, view(f).time]),
      [
        [1, 10, '0.000001000'],
        [3, 25, '0.000007000'],
      ],
    );
  });

  test('a section of an unknown major version is skipped with a warning; the next section is read', () => {
    const skipped = concat(shb(true, [2, 0]), idb(true, 1, 0), epb(true, 0, 0, 2, payload(10)));
    const file = concat(
      shb(true),
      idb(true, 1, 0),
      epb(true, 0, 0, 1, payload(10)),
      skipped,
      shb(true),
      idb(true, 1, 0),
      epb(true, 0, 0, 3, payload(10)),
    );
    const { frames, problems } = read(file);
    assert.deepEqual(
      frames.map((f) => [f.frame, f.tsLow]),
      [
        [1, 1],
        [2, 3],
      ],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.severity, 'warning');
    assert.equal(
      problems[0]?.offset,
      shb(true).length + idb(true, 1, 0).length + epb(true, 0, 0, 1, payload(10)).length,
    );
    assert.match(nth(problems, 0).message, /version 2\.0 is unknown/);
  });

  test('an option running past its block is a warning; the frame is still delivered', () => {
    const le = true;
    const good = epb(le, 0, 0, 1, payload(8), { opts: [[1, ascii('ok')]] });
    // Make the comment's length say 200 bytes.
    const broken = Uint8Array.from(good);
    broken.set(u16(200, le), 8 + 20 + 8 + 2);
    const { frames, problems } = read(concat(shb(le), idb(le, 1, 0), broken));
    assert.equal(frames.length, 1);
    assert.deepEqual(
      problems.map((p) => p.severity),
      ['warning'],
    );
    assert.match(nth(problems, 0).message, /option 1 .* is 200 bytes long/);
  });
});

// ---- damage --------------------------------------------------------------------------

describe('damaged input', () => {
  /**
   * Checks the reader delivered `good` frames, reported exactly one error
   * at `offset` matching `message`, and stopped.
   */
  function assertStopped(result: Result, good: number, offset: number, message: RegExp | string): void {
    assert.equal(result.frames.length, good, 'frames before the damage');
    const errs = errors(result.problems);
    assert.equal(errs.length, 1, JSON.stringify(result.problems));
    assert.equal(nth(errs, 0).offset, offset);
    if (typeof message === 'string') assert.equal(nth(errs, 0).message, message);
    else assert.match(nth(errs, 0).message, message);
    assert.equal(result.reader.stopped, true);
  }

  test('not a capture at all', () => {
    const r = read(ascii('GET / HTTP/1.1\r\n'));
    assertStopped(
      r,
      0,
      0,
      'not a pcap or pcapng capture: first 4 bytes are 0x47455420, ' +
        'expected a1b2c3d4/a1b23c4d (either byte order) or 0a0d0d0a',
    );
    assert.equal(r.reader.format, undefined);
  });

  test('empty and too-short input', () => {
    assertStopped(read(new Uint8Array(0)), 0, 0, /empty/);
    assertStopped(read(Uint8Array.of(0xd4, 0xc3)), 0, 0, /only 2 bytes/);
    assertStopped(
      read(pcapHeader().subarray(0, 20)),
      0,
      0,
      'file ends inside the pcap file header: expected 24 bytes, found 20',
    );
  });

  test('pcap: an impossible captured length stops the reader after the good frames', () => {
    const good = concat(pcapHeader(), pcapRecord(payload(60)), pcapRecord(payload(60)));
    const r = read(concat(good, pcapRecord(payload(60), { caplen: 0xffffffff }), pcapRecord(payload(60))));
    assertStopped(
      r,
      2,
      good.length,
      `record at offset ${good.length}: captured length 4294967295 is ` +
        `larger than the snap length 65535 (and the 262144-byte maximum)`,
    );
    assert.equal(errors(r.problems)[0]!.frame, 3);
  });

  test('pcap: a captured length over maxRecordBytes', () => {
    const good = concat(pcapHeader(), pcapRecord(payload(60)));
    const r = read(concat(good, pcapRecord(payload(2000))), undefined, { maxRecordBytes: 1000 });
    assertStopped(r, 1, good.length, /captured length 2000 is larger than the 1000-byte limit/);
  });

  test('pcap: the last record cut short', () => {
    const good = concat(pcapHeader(), pcapRecord(payload(60)), pcapRecord(payload(60)));
    const cut = pcapRecord(payload(60)).subarray(0, 16 + 12);
    assertStopped(
      read(concat(good, cut)),
      2,
      good.length,
      `file ends in the middle of frame 3 at offset ${good.length}: expected 60 bytes of packet data, found 12`,
    );
    assertStopped(
      read(concat(good, cut.subarray(0, 5))),
      2,
      good.length,
      `file ends in the middle of the record header of frame 3 at offset ${good.length}: expected 16 bytes, found 5`,
    );
  });

  test('pcap: captured length above the original length or the snap length is a warning, and reading goes on', () => {
    const r = read(
      concat(
        pcapHeader({ snaplen: 64 }),
        pcapRecord(payload(60), { origlen: 50 }),
        pcapRecord(payload(80)),
        pcapRecord(payload(10)),
      ),
    );
    assert.equal(r.frames.length, 3);
    assert.deepEqual(
      r.problems.map((p) => [p.severity, p.frame]),
      [
        ['warning', 1],
        ['warning', 2],
      ],
    );
    assert.match(nth(r.problems, 0).message, /captured length 60 is larger than the original length 50/);
    assert.match(nth(r.problems, 1).message, /captured length 80 is larger than the snap length 64/);
  });

  test('a fault repeated on every frame is reported ten times, then counted', () => {
    const records = Array.from({ length: 25 }, () => pcapRecord(payload(20), { origlen: 10 }));
    const r = read(concat(pcapHeader(), ...records));
    assert.equal(r.frames.length, 25);
    assert.equal(r.problems.length, 11);
    assert.equal(nth(r.problems, 10).offset, 24 + 10 * nth(records, 0).length);
    assert.match(
      nth(r.problems, 10).message,
      /^15 more frames whose captured length is larger than the original length .*\(25 in all\)/,
    );
  });

  const le = true;
  const head = concat(shb(le), idb(le, 1, 65535), epb(le, 0, 0, 1, payload(60)));

  /** A block whose leading and trailing total length are `length`, with `body` between. */
  function rawBlock(type: number, length: number, body: Bytes, trailing = length): Uint8Array {
    return concat(u32(type, le), u32(length, le), body, u32(trailing, le));
  }

  const pcapngCases: [string, Uint8Array, RegExp][] = [
    [
      'a total length under 12',
      rawBlock(0x99, 8, []),
      /^block of type 0x00000099 at offset \d+: total length 8 is smaller than the 12-byte minimum$/,
    ],
    [
      'an EPB shorter than its fixed part',
      rawBlock(6, 16, [0, 0, 0, 0]),
      /^enhanced packet block at offset \d+: total length 16 is smaller than the 32-byte minimum$/,
    ],
    [
      'a total length that is not a multiple of 4',
      rawBlock(0x99, 30, new Array<number>(18).fill(0)),
      /total length 30 is not a multiple of 4/,
    ],
    [
      'a huge total length',
      rawBlock(6, 0x7ffffff0, new Array<number>(40).fill(0)),
      /total length 2147483632 is larger than the 16777216-byte limit/,
    ],
    [
      'a trailing length that differs',
      rawBlock(6, 48, new Array<number>(36).fill(0), 44),
      /trailing total length 44 does not match the leading total length 48/,
    ],
    [
      'an EPB captured length larger than its block',
      epb(le, 0, 0, 1, payload(60), { caplen: 100 }),
      /captured length 100 does not fit in the block of 92 bytes \(room for 60\)/,
    ],
    ['an EPB of an interface not defined', epb(le, 3, 0, 1, payload(60)), /interface 3 is not defined/],
    [
      'a bad byte-order magic',
      concat(u32(0x0a0d0d0a, le), u32(28, le), [1, 2, 3, 4], new Array<number>(12).fill(0), u32(28, le)),
      /byte-order magic is 0x01020304/,
    ],
  ];
  for (const [name, bad, message] of pcapngCases) {
    test(`pcapng: ${name}`, () => {
      assertStopped(read(concat(head, bad, epb(le, 0, 0, 2, payload(60)))), 1, head.length, message);
    });
  }

  test('pcapng: a simple packet block before any interface', () => {
    assertStopped(
      read(concat(shb(le), spb(le, 60, payload(60)))),
      0,
      shb(le).length,
      /no interface description block precedes it/,
    );
  });

  test('pcapng: a huge block length is refused as soon as its header is in, without waiting for the data', () => {
    const frames: CapturedFrame[] = [];
    const problems: CaptureProblem[] = [];
    const reader = new CaptureReader({ frame: (f) => frames.push(f), problem: (p) => problems.push(p) });
    reader.feed(concat(head, u32(6, le), u32(0x7ffffff0, le), [0, 0, 0, 0]));
    assert.equal(reader.stopped, true);
    assert.equal(frames.length, 1);
    reader.feed(payload(1000)); // ignored once stopped
    reader.end();
    assert.equal(problems.length, 1);
  });

  test('pcapng: the last block cut short names the frame', () => {
    const cut = epb(le, 0, 0, 2, payload(60)).subarray(0, 50);
    assertStopped(
      read(concat(head, cut)),
      1,
      head.length,
      `file ends in the middle of frame 2 (enhanced packet block) ` +
        `at offset ${head.length}: expected 92 bytes, found 50`,
    );
  });
});

// ---- chunking and fuzzing ----------------------------------------------------------

/** A deterministic pseudo-random generator (xorshift32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const richPcapng = concat(
  shb(true),
  idb(true, 1, 128, [
    [2, ascii('eth0')],
    [9, [9]],
  ]),
  idb(true, 0, 0),
  epb(true, 0, ...split64(1_600_000_000_123_456_789n), payload(100), { opts: [[1, ascii('note')]] }),
  nrb(true, [[1, [192, 0, 2, 7], ['phone']]]),
  spb(true, 300, payload(128)),
  block(0x00000bad, payload(13), true),
  epb(true, 1, 0, 99, payload(61)),
  shb(false),
  idb(false, 113, 0, [[9, [0x88]]]),
  epb(false, 0, 0, 256, payload(77)),
  epb(false, 0, 0, 1, payload(20), { caplen: 30, origlen: 30 }).subarray(0, 40), // damaged last block
);
const richPcap = concat(
  pcapHeader({ nanos: true, le: false }),
  ...Array.from({ length: 40 }, (_, i) => pcapRecord(payload(60 + i, i), { le: false, sec: i, frac: i * 1000 })),
  pcapRecord(payload(60), { le: false }).subarray(0, 30),
);

describe('chunking', () => {
  for (const [name, file] of [
    ['pcapng', richPcapng],
    ['pcap', richPcap],
  ] as const) {
    test(`${name}: chunks of 1, 7 and 4096 bytes give what one chunk gives`, () => {
      const whole = read(file);
      assert.ok(whole.frames.length >= 4);
      assert.equal(errors(whole.problems).length, 1);
      const expected = { frames: whole.frames.map(view), problems: whole.problems };
      for (const size of [1, 7, 4096]) {
        const r = read(file, size);
        assert.deepEqual({ frames: r.frames.map(view), problems: r.problems }, expected, `chunks of ${size}`);
      }
    });
  }

  test('random chunk sizes give the same frames', () => {
    const next = random(42);
    const whole = read(richPcap).frames.map(view);
    const frames: CapturedFrame[] = [];
    const reader = new CaptureReader({ frame: (f) => frames.push(f), problem: () => undefined });
    for (let i = 0; i < richPcap.length; ) {
      const size = 1 + Math.floor(next() * 200);
      reader.feed(richPcap.subarray(i, i + size));
      i += size;
    }
    reader.end();
    assert.deepEqual(frames.map(view), whole);
  });
});

describe('fuzzing', () => {
  test('random bytes, alone or behind a valid magic, never throw and always end in an error', () => {
    const next = random(7);
    const prefixes = [new Uint8Array(0), pcapHeader(), pcapHeader({ le: false, nanos: true }), shb(true), shb(false)];
    for (let n = 0; n < 1500; n++) {
      const size = Math.floor(next() ** 2 * 3000);
      const noise = Uint8Array.from({ length: size }, () => Math.floor(next() * 256));
      const bytes = concat(nth(prefixes, n % prefixes.length), noise);
      const r = read(bytes, 1 + Math.floor(next() * 512));
      for (const p of r.problems) assert.ok(p.offset >= 0 && p.offset <= bytes.length, JSON.stringify(p));
      if (n % prefixes.length === 0) assert.equal(errors(r.problems).length, 1, `noise of ${size} bytes`);
    }
  });

  test('valid captures with random bytes changed never throw', () => {
    const next = random(99);
    for (const original of [richPcapng, richPcap]) {
      for (let n = 0; n < 500; n++) {
        const bytes = Uint8Array.from(original);
        for (let k = 1 + Math.floor(next() * 4); k > 0; k--)
          bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
        const r = read(bytes, 1 + Math.floor(next() * 100));
        for (const f of r.frames) assert.equal(f.data.length, f.capturedLength);
      }
    }
  });
});
