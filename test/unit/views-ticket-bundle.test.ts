import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CapturedFrame } from '../../parsers/capture/frame.js';
import { formatTimestamp, frameTimestamp } from '../../parsers/capture/frame.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import type { Analysis } from '../../src/engine/analysis.js';
import { InputError } from '../../src/exit-codes.js';
import { assertValidReport } from '../../src/findings/report-schema.js';
import { writeTicketBundle } from '../../src/views/ticket-bundle.js';
import { readConsoleLog, receivedWithLineEnd } from '../../parsers/console/log-lines.js';
import { openRecorder } from '../../src/console/recorder.js';
import { first, nth, requireTool } from '../helpers.js';
import { tsharkFields } from '../tshark.js';
import {
  CONSOLE_LINES,
  fixtureAnalysis,
  fixtureConsole,
  fixtureFrames,
  fixturePcap,
  frameIso,
} from './views-fixture.js';

let scratch: string;
let capture: string;
let consoleLog: string;
before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'phonedoc-bundle-'));
  capture = path.join(scratch, 'capture.pcap');
  consoleLog = path.join(scratch, 'console-sep000e84c060a6.log');
  await writeFile(capture, fixturePcap('SIPDefault.cnf'));
  await writeFile(consoleLog, fixtureConsole());
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function readFrames(bytes: Uint8Array): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  const problems: string[] = [];
  const reader = new CaptureReader({
    frame: (f) => frames.push({ ...f, data: f.data.slice() }),
    problem: (p) => problems.push(p.message),
  });
  reader.feed(bytes);
  reader.end();
  assert.deepEqual(problems, []);
  return frames;
}

describe('ticket bundle', () => {
  const bundle = async (name: string, analysis: Analysis = fixtureAnalysis()) => {
    const dir = path.join(scratch, name);
    const result = await writeTicketBundle(dir, analysis, { captures: [capture], console: consoleLog });
    return { dir, result };
  };

  it('writes the reports, the console log and one pcapng per phone into DIR, and nothing else', async () => {
    const { dir, result } = await bundle('full');
    assert.deepEqual(result.problems, []);
    assert.deepEqual((await readdir(dir)).sort(), [
      'SEP000E84C060A6.pcapng',
      'console.log',
      'report.html',
      'report.json',
      'report.md',
    ]);
    assert.deepEqual(
      result.files.map((f) => path.dirname(f)),
      Array(5).fill(dir),
    );
    const report: unknown = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    assertValidReport(report);
    assert.deepEqual(report, JSON.parse(JSON.stringify(fixtureAnalysis().report)));
    assert.match(await readFile(path.join(dir, 'report.md'), 'utf8'), /^# phonedoc analyze: 3 errors/);
    assert.match(await readFile(path.join(dir, 'report.html'), 'utf8'), /^<!DOCTYPE html>/);
  });

  it("keeps only the phone's frames, with their times and bytes, and comments the frames findings cite", async () => {
    const { dir } = await bundle('frames');
    const source = readFrames(await readFile(capture));
    const written = readFrames(await readFile(path.join(dir, 'SEP000E84C060A6.pcapng')));
    const phoneFrames = fixtureFrames('SIPDefault.cnf')
      .filter((f) => f.phone)
      .map((f) => f.frame);
    assert.equal(written.length, phoneFrames.length);
    written.forEach((w, i) => {
      const s = nth(source, nth(phoneFrames, i) - 1);
      assert.equal(formatTimestamp(frameTimestamp(w)), formatTimestamp(frameTimestamp(s)));
      assert.deepEqual(w.data, s.data);
      assert.equal(w.linkType, s.linkType);
    });
    const commentsOf = (frame: number) => nth(written, phoneFrames.indexOf(frame)).comments ?? [];
    assert.deepEqual(commentsOf(8), [
      'phonedoc: LOADS_PART_MISSING: The .loads file was served but a part it needs is missing',
    ]);
    assert.deepEqual(commentsOf(1), ['phonedoc: CLOCKS_UNALIGNED: Console and capture clocks differ']);
    assert.deepEqual(
      commentsOf(10).map((c) => nth(c.split(':'), 1).trim()),
      ['IMAGE_NOT_FOUND'],
    );
    assert.deepEqual(commentsOf(7), []);
  });

  it('Wireshark shows the comments on the cited frames', async (t) => {
    if (!requireTool(t, 'tshark', 'tshark')) return;
    const { dir } = await bundle('tshark');
    const rows = await tsharkFields(path.join(dir, 'SEP000E84C060A6.pcapng'), 'frame.comment', [
      'frame.comment',
      'frame.time_epoch',
      'tftp.source_file',
      'tftp.error.message',
    ]);
    assert.equal(rows.exitCode, 0, rows.stderr);
    // Written frames 1, 5, 8, 10 are source frames 1, 5, 8, 10 (the phone's frames are 1-10).
    assert.deepEqual(
      rows.rows.map((r) => r.frame),
      [1, 5, 8, 10],
    );
    const sb2 = nth(rows.rows, 2);
    assert.equal(
      sb2.text('frame.comment'),
      'phonedoc: LOADS_PART_MISSING: The .loads file was served but a part it needs is missing',
    );
    assert.equal(sb2.text('tftp.error.message'), 'File not found');
    const frames = fixtureFrames('SIPDefault.cnf');
    assert.equal(
      new Date(Number(sb2.text('frame.time_epoch')) * 1000).toISOString(),
      new Date(frameIso(nth(frames, 7)).replace(/(\.\d{3})\d+Z$/, '$1Z')).toISOString(),
    );
  });

  it("stamps every console line with a time on the capture's clock, line for line", async () => {
    const { dir } = await bundle('console');
    const lines = (await readFile(path.join(dir, 'console.log'), 'latin1')).split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, CONSOLE_LINES.length);
    const stamp = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,9}Z) (.*)$/;
    for (const line of lines) assert.match(line, stamp);
    const [times, texts] = [lines.map((l) => stamp.exec(l)![1]), lines.map((l) => stamp.exec(l)![2])];
    // The session's first header says the lines are in the escaped form.
    assert.deepEqual(
      texts,
      CONSOLE_LINES.map((l, i) => `${l.replace(/^\S+Z /, '')}${i === 0 ? ' bytes=escaped' : ''}`),
    );
    // Line 2 is in the timeline (aligned), line 3 too; line 4 has no time and takes line 3's;
    // line 5 is in the timeline; the header (line 1) takes the first time known.
    assert.deepEqual(times, [
      '2026-11-26T07:42:11.050Z',
      '2026-11-26T07:42:11.050Z',
      '2026-11-26T07:42:11.100Z',
      '2026-11-26T07:42:11.100Z',
      '2026-11-26T07:42:12.700Z',
      '2026-11-26T07:42:12.700Z',
      '2026-11-26T07:42:12.700Z',
    ]);
  });

  it('shifts recorder times by the console offset when the timeline does not hold the line', async () => {
    const analysis = fixtureAnalysis();
    const phone = first(analysis.phones, 'a phone');
    const { dir } = await bundle('offset', {
      ...analysis,
      phones: [{ ...phone, timeline: phone.timeline.filter((e) => e.source !== 'console') }],
    });
    const lines = (await readFile(path.join(dir, 'console.log'), 'latin1')).split('\n');
    // 07:42:08.550 on the console + 2.5 s
    assert.match(nth(lines, 1), /^2026-11-26T07:42:11\.050Z DHCP BOUND/);
    assert.match(nth(lines, 5), /^2026-11-26T07:42:11\.100Z File not found/);
  });

  it('refuses a non-empty DIR before writing anything, a planted symlink included, and leaves its target untouched', async () => {
    const dir = path.join(scratch, 'existing');
    await mkdir(dir);
    const outside = path.join(scratch, 'outside.txt');
    await writeFile(outside, 'outside');
    await symlink(outside, path.join(dir, 'report.md'));
    const before = await readdir(scratch);
    await assert.rejects(
      writeTicketBundle(dir, fixtureAnalysis(), { captures: [capture] }),
      (e: unknown) =>
        e instanceof InputError &&
        e.message === `${dir} is not empty: give --out a new or empty folder (nothing was written).`,
    );
    assert.equal(await readFile(outside, 'utf8'), 'outside');
    assert.deepEqual(await readdir(dir), ['report.md']);
    assert.deepEqual(await readdir(scratch), before, 'no temporary folder is left beside DIR');
  });

  it('fills an empty DIR; a failure leaves neither DIR nor a temporary folder', async () => {
    const empty = path.join(scratch, 'empty');
    await mkdir(empty);
    await writeTicketBundle(empty, fixtureAnalysis(), { captures: [capture] });
    assert.ok((await readdir(empty)).includes('report.json'));
    const failing = path.join(scratch, 'failing');
    const before = await readdir(scratch);
    // A console log that is a folder fails after the reports are rendered.
    await assert.rejects(
      writeTicketBundle(failing, fixtureAnalysis(), { captures: [capture], console: scratch }),
      InputError,
    );
    assert.deepEqual(await readdir(scratch), before, 'neither DIR nor a temporary folder is left');
  });

  it('keeps a file name made from untrusted data inside DIR', async () => {
    const analysis = fixtureAnalysis();
    const phone = first(analysis.phones, 'a phone');
    const evil = { ...phone, phone: { ...phone.phone, mac: '../../../tmp/evil' } };
    const { dir } = await bundle('evil-mac', { ...analysis, phones: [evil, { ...evil, frames: [11] }] });
    const names = await readdir(dir);
    const pcaps = names.filter((n) => n.endsWith('.pcapng'));
    assert.equal(pcaps.length, 2);
    for (const n of pcaps) assert.match(n, /^SEP[\w.~-]+\.pcapng$/);
    assert.deepEqual(await readdir(scratch).then((n) => n.filter((x) => x.includes('evil') && x !== 'evil-mac')), []);
  });

  it("picks the capture the phone's timeline cites when several were read, and says which frames were not found", async () => {
    const other = path.join(scratch, 'other.pcap');
    await writeFile(other, fixturePcap('x'));
    const analysis = fixtureAnalysis();
    const phone = first(analysis.phones, 'a phone');
    const dir = path.join(scratch, 'two-captures');
    const result = await writeTicketBundle(
      dir,
      { ...analysis, phones: [{ ...phone, frames: [...phone.frames, 99] }] },
      { captures: [other, capture] },
    );
    const written = readFrames(await readFile(path.join(dir, 'SEP000E84C060A6.pcapng')));
    assert.equal(written.length, phone.frames.length);
    assert.deepEqual(result.problems, [
      `${capture}: 1 of the 11 frames of SEP000E84C060A6 were not found; SEP000E84C060A6.pcapng holds 10`,
    ]);
  });

  it('copies the frames of a capture read in several chunks', async () => {
    // 20 000 copies of the fixture's frames: about 2 MB, read in 1 MiB chunks.
    const frames = fixtureFrames('SIPDefault.cnf');
    const pcap = fixturePcap('SIPDefault.cnf');
    const records = pcap.subarray(24);
    const copies = 20000;
    const big = Buffer.concat([pcap.subarray(0, 24), ...Array(copies).fill(records)]);
    const bigCapture = path.join(scratch, 'big.pcap');
    await writeFile(bigCapture, big);
    const analysis = fixtureAnalysis();
    const phone = first(analysis.phones, 'a phone');
    const keep = Array.from({ length: copies }, (_, i) => i * frames.length + 8);
    const dir = path.join(scratch, 'big');
    const result = await writeTicketBundle(
      dir,
      { ...analysis, phones: [{ ...phone, frames: keep }] },
      { captures: [bigCapture] },
    );
    assert.deepEqual(result.problems, []);
    assert.equal(readFrames(await readFile(path.join(dir, 'SEP000E84C060A6.pcapng'))).length, copies);
  });

  it('says why a capture read from standard input gets no pcapng', async () => {
    const dir = path.join(scratch, 'stdin');
    const result = await writeTicketBundle(dir, fixtureAnalysis(), { captures: ['-'] });
    assert.deepEqual(result.problems, [
      'the capture came from standard input, which cannot be read twice: no pcapng of SEP000E84C060A6',
    ]);
    assert.deepEqual((await readdir(dir)).sort(), ['report.html', 'report.json', 'report.md']);
  });

  it('says so, and keeps the lines as they were, when no console line has a time', async () => {
    const bare = path.join(scratch, 'bare.log');
    await writeFile(bare, 'DHCP BOUND\nProtocol Application Invalid\n');
    const dir = path.join(scratch, 'bare');
    const result = await writeTicketBundle(dir, fixtureAnalysis({ consoleFile: 'another.log' }), {
      captures: [capture],
      console: bare,
    });
    assert.deepEqual(result.problems, [
      `${bare}: no line has a time (no recorder stamps, no aligned event): console.log is written without times`,
    ]);
    assert.equal(await readFile(path.join(dir, 'console.log'), 'utf8'), 'DHCP BOUND\nProtocol Application Invalid\n');
  });

  it("keeps a recorded console's line ends: the bundle's console.log gives back the bytes the phone sent", async () => {
    const recorded = path.join(scratch, 'line-ends.log');
    const received = ['DHCP BOUND', '\r\n', 'Password :', '', '\xff#\\x0d', '\r', '', '\n'];
    const recorder = openRecorder(recorded, { mac: '000E84C060A6' }, Date.UTC(2026, 10, 26, 7, 42));
    for (let i = 0; i < received.length; i += 2)
      recorder.line(received[i] ?? '', Date.UTC(2026, 10, 26, 7, 42, i), received[i + 1]);
    recorder.close();
    const dir = path.join(scratch, 'line-ends');
    await writeTicketBundle(dir, fixtureAnalysis({ consoleFile: 'another.log' }), {
      captures: [capture],
      console: recorded,
    });
    const log = readConsoleLog(await readFile(path.join(dir, 'console.log'), 'utf8'));
    assert.deepEqual(
      log.lines.map((l) => l.text),
      ['DHCP BOUND', 'Password :', '\u00ff#\\x0d', ''],
    );
    assert.equal(
      Buffer.concat(log.lines.map((l) => receivedWithLineEnd(l) ?? Buffer.alloc(0))).toString('latin1'),
      received.join(''),
    );
  });

  it('stops before writing anything when the console log cannot be read', async () => {
    const dir = path.join(scratch, 'no-console');
    await assert.rejects(
      writeTicketBundle(dir, fixtureAnalysis(), { captures: [capture], console: path.join(scratch, 'missing.log') }),
      (e: unknown) => e instanceof InputError && e.message.includes('missing.log'),
    );
    await assert.rejects(readdir(dir), { code: 'ENOENT' });
  });
});
