/**
 * What the console recorder stores can be turned back into exactly the bytes the phone sent:
 * every byte value, invalid UTF-8, text that looks like the escaped form itself (the phone
 * printing `\x41` or a backslash), and each line's line end as it arrived (CR, LF, CR LF, none
 * where the recorder cut the line), through the file, the reader analyze and --replay use, and
 * `console --replay FILE --raw`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { SplitLine } from '../../parsers/console/line-splitter.js';
import { createLineSplitter, lineEndText } from '../../parsers/console/line-splitter.js';
import { readConsoleLog, receivedWithLineEnd } from '../../parsers/console/log-lines.js';
import { openRecorder } from '../../src/console/recorder.js';
import { decodeLogText } from '../../src/sources/text-encoding.js';
import { cliPath, nth } from '../helpers.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-round-trip-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const RECEIVED: readonly Buffer[] = [
  EVERY_BYTE,
  Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]),
  Buffer.from('the phone printed \\x41, \\\\, \\xZZ, \\u{110000} and a lone \\', 'latin1'),
  Buffer.from('# phonedoc console log image=forged bytes=raw', 'latin1'),
  Buffer.from('caf\u00e9 \u202e \u009b2J', 'utf8'),
];

/** Only printable bytes, tabs and the file's own LFs: nothing that acts on a terminal. */
function storesNoControlByte(stored: Buffer): boolean {
  return [...stored].every((b) => b === 0x0a || b === 0x09 || (b >= 0x20 && b !== 0x7f));
}

/** The bytes a log's phone lines stand for, joined in order, as `--raw` gives them back. */
function joinedBytes(file: string): Buffer {
  return Buffer.concat(
    readConsoleLog(decodeLogText(readFileSync(file)).text).lines.map((l) => receivedWithLineEnd(l) ?? Buffer.alloc(0)),
  );
}

function raw(...args: string[]) {
  return spawnSync(process.execPath, [cliPath, 'console', ...args], { encoding: 'buffer' });
}

/** A seeded generator (the same stream every run), so that a failure can be reproduced. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Bytes the escaped form and the line splitter find hardest: line ends, `\`, `x`, hex digits, `#`. */
const AWKWARD = Buffer.from('\r\n\\x0dA#', 'latin1');

/** Chunks as a hostile phone might send them, each with the pause before it. */
function hostileStream(seed: number, maxLineBytes: number): { chunk: Buffer; pauseMs: number }[] {
  const next = random(seed);
  const stream: { chunk: Buffer; pauseMs: number }[] = [
    { chunk: EVERY_BYTE, pauseMs: 0 },
    // A CR at the end of one chunk and its LF in the next; an LF CR pair; a forged header.
    { chunk: Buffer.from('BOOT\r', 'latin1'), pauseMs: 5 },
    { chunk: Buffer.from('\nLF CR\n\r# phonedoc console log bytes=raw simulated\n', 'latin1'), pauseMs: 5 },
    { chunk: Buffer.alloc(maxLineBytes * 2 + 3, 0x41), pauseMs: 5 },
  ];
  for (let i = 0; i < 200; i++) {
    const chunk = Buffer.alloc(Math.floor(next() * 40));
    for (let k = 0; k < chunk.length; k++)
      chunk[k] = next() < 0.5 ? (AWKWARD[Math.floor(next() * AWKWARD.length)] ?? 0) : Math.floor(next() * 256);
    // One pause in five is longer than the idle time: the pending line (a prompt, a held CR) is flushed.
    stream.push({ chunk, pauseMs: next() < 0.2 ? 300 : 10 });
  }
  // The session ends on a CR that waits for an LF.
  stream.push({ chunk: Buffer.from('Password :\r', 'latin1'), pauseMs: 10 });
  return stream;
}

/** The stream through the line splitter into the recorder, as a console session does; the lines split. */
function record(file: string, stream: readonly { chunk: Buffer; pauseMs: number }[], maxLineBytes: number) {
  const splitter = createLineSplitter({ maxLineBytes });
  const recorder = openRecorder(file, { port: 'ttyUSB0' }, 0);
  const lines: SplitLine[] = [];
  const take = (line: SplitLine | undefined): void => {
    if (!line) return;
    lines.push(line);
    recorder.line(line.text, line.firstByteAt, lineEndText(line));
  };
  let now = Date.UTC(2026, 11, 7);
  for (const { chunk, pauseMs } of stream) {
    now += pauseMs;
    take(splitter.flushIdle(now));
    for (const line of splitter.push(chunk, now)) take(line);
  }
  take(splitter.end());
  recorder.close();
  return lines;
}

describe('console log round trip', () => {
  it('every line reads back as the bytes received, and the file holds no control byte', () => {
    const file = path.join(scratch, 'session.log');
    const recorder = openRecorder(file, { port: 'ttyUSB0' }, Date.UTC(2026, 11, 7));
    for (const [i, bytes] of RECEIVED.entries()) recorder.line(bytes.toString('latin1'), Date.UTC(2026, 11, 7) + i);
    recorder.close();
    const stored = readFileSync(file);
    assert.ok(storesNoControlByte(stored), 'only printable bytes, tabs and line ends are stored');
    const log = readConsoleLog(decodeLogText(stored).text);
    assert.equal(log.header.length, 1, 'a forged header line from the phone stays a line of the phone');
    assert.equal(log.lines.length, RECEIVED.length);
    for (const [i, bytes] of RECEIVED.entries()) assert.deepEqual(Buffer.from(nth(log.lines, i).received ?? []), bytes);
  });

  for (const [seed, maxLineBytes] of [
    [1, 16],
    [2, 16],
    [3, 64],
    [4, 4096],
  ] as const) {
    it(`a hostile byte stream (seed ${seed}, lines cut at ${maxLineBytes} bytes) decodes to exactly the bytes received`, () => {
      const file = path.join(scratch, `stream-${seed}.log`);
      const stream = hostileStream(seed, maxLineBytes);
      const lines = record(file, stream, maxLineBytes);
      const sent = Buffer.concat(stream.map((s) => s.chunk));
      const stored = readFileSync(file);
      assert.ok(storesNoControlByte(stored));
      assert.deepEqual(joinedBytes(file), sent);
      const log = readConsoleLog(decodeLogText(stored).text);
      assert.equal(log.header.length, 1, 'the forged header stays a line of the phone');
      assert.equal(log.lines.length, lines.length);
      const endings = new Set(lines.map((l) => l.ending));
      for (const e of ['cr', 'lf', 'crlf', 'idle', 'max-length'] as const)
        assert.ok(endings.has(e), `a line ended ${e}`);
      for (const [i, split] of lines.entries()) {
        const read = nth(log.lines, i);
        assert.equal(Buffer.from(read.received ?? []).toString('latin1'), split.text, 'the text has no line end');
        assert.equal(Buffer.from(read.lineEnd ?? []).toString('latin1'), lineEndText(split));
        assert.equal(read.hostTime, split.firstByteAt / 1000);
      }
      const cli = raw('--replay', file, '--raw');
      assert.equal(cli.status, 0, cli.stderr.toString());
      assert.equal(cli.stderr.length, 0);
      assert.deepEqual(cli.stdout, sent, '--raw writes exactly the bytes received');
    });
  }

  it('a log written before line ends were kept reads as before; --raw ends its lines in LF and says so', () => {
    const file = path.join(scratch, 'older.log');
    writeFileSync(
      file,
      '2026-12-07T00:00:00.000Z # phonedoc console log port=ttyUSB0 bytes=escaped\n' +
        '2026-12-07T00:00:00.001Z DHCP\\x0d\n' +
        '2026-12-07T00:00:00.002Z \\xff\n',
    );
    const log = readConsoleLog(readFileSync(file, 'utf8'));
    assert.deepEqual(
      log.lines.map((l) => [l.text, l.lineEnd]),
      [
        ['DHCP\r', undefined],
        ['\u00ff', undefined],
      ],
    );
    // A new session appended keeps its line ends; the older one's stay unknown.
    const recorder = openRecorder(file, { port: 'ttyUSB0' }, 0);
    recorder.line('BOUND', 0, '\r\n');
    recorder.close();
    const cli = raw('--replay', file, '--raw');
    assert.equal(cli.status, 0);
    assert.deepEqual(cli.stdout, Buffer.from('DHCP\r\n\xff\nBOUND\r\n', 'latin1'));
    assert.match(
      cli.stderr.toString(),
      /older\.log: 2 of 3 lines \(the first at line 2\) were recorded without their line ends .*ending in LF/,
    );
  });

  it('--raw gives back a paste (no escaped form) in the encoding of the file, each line ending in LF, and says so', () => {
    const file = path.join(scratch, 'paste.log');
    writeFileSync(file, Buffer.from('caf\xe9 ready\r\nDHCP BOUND', 'latin1'));
    const cli = raw('--replay', file, '--raw');
    assert.equal(cli.status, 0);
    assert.deepEqual(cli.stdout, Buffer.from('caf\xe9 ready\nDHCP BOUND\n', 'latin1'));
    assert.match(cli.stderr.toString(), /paste\.log: 2 of 2 lines \(the first at line 1\) were recorded without/);
  });

  it('--raw is refused without --replay, and with --speed', () => {
    const alone = raw('--raw');
    assert.equal(alone.status, 2);
    assert.match(alone.stderr.toString(), /--raw .* give it with --replay FILE/);
    const file = path.join(scratch, 'speed.log');
    writeFileSync(file, 'DHCP\n');
    const paced = raw('--replay', file, '--raw', '--speed', '2');
    assert.equal(paced.status, 2);
    assert.match(paced.stderr.toString(), /without --port, --telnet or --speed/);
  });
});
