/**
 * Lining up clocks: the offset most matching events agree with, the phone's own time of day
 * (no date) lined up with the capture, and --console-offset / --log-offset winning over it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { voteOffset } from '../../src/engine/clocks.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { repoRoot } from '../helpers.js';

const dir = path.join(repoRoot, 'captures', 'loads-part-missing');
const capture = path.join(dir, 'capture.pcap');

/**
 * The bundle's console as a phone's own debug output:
 * `[HH:MM:SS:uuuuuu] text`, its clock `shift` seconds off, no host time.
 */
function phoneClockConsole(shift: number): string {
  const lines = readFileSync(path.join(dir, 'console-sep000e84c060a6.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [stamp, ...rest] = line.split(' ');
      const text = rest.join(' ');
      if (text.startsWith('#')) return text;
      const t = new Date(Date.parse(stamp!) + shift * 1000);
      const two = (n: number): string => String(n).padStart(2, '0');
      return `[${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}:${String(t.getUTCMilliseconds() * 1000).padStart(6, '0')}] ${text}`;
    });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'phonedoc-clocks-')), 'console-sep000e84c060a6.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('engine: clocks', () => {
  it('takes the offset most pairs agree with, not an odd pair', () => {
    const reference = [
      { key: 'tftp * a', time: 100 },
      { key: 'tftp * b', time: 101 },
      { key: 'tftp * c', time: 102 },
      { key: 'tftp * a', time: 500 },
    ];
    const source = reference.slice(0, 3).map((m) => ({ ...m, time: m.time - 3600.25 }));
    assert.deepEqual(voteOffset(reference, source), { offsetSeconds: 3600.25, matches: 3, spreadSeconds: 0 });
    assert.equal(voteOffset(reference, [{ key: 'tftp * z', time: 1 }]), undefined);
  });

  it('a log in whole seconds is not put a fraction of a second off', () => {
    const reference = [
      { key: 'tftp 1.2.3.4 a', time: 10.6 },
      { key: 'tftp 1.2.3.4 b', time: 11.2 },
    ];
    assert.equal(
      voteOffset(reference, [
        { key: 'tftp * a', time: 10 },
        { key: 'tftp * b', time: 11 },
      ])!.offsetSeconds,
      0,
    );
  });

  it("lines up a console holding only the phone's time of day, an hour off, and says so", async () => {
    const console = phoneClockConsole(3600);
    const { analysis } = await analyzeFiles(
      { captures: [capture], consoles: [console], serverLogs: [] },
      { version: 'test' },
      () => {},
    );
    const clock = analysis.clocks.find((c) => c.source === 'console')!;
    assert.equal(clock.method, 'matched-events');
    assert.ok(Math.abs(clock.offsetSeconds + 3600) < 0.1, `offset ${clock.offsetSeconds}`);
    assert.ok(clock.matches >= 2);
    const phone = analysis.phones[0]!;
    assert.ok(phone.findings.some((f) => f.id === 'CLOCKS_UNALIGNED'));
    // The console's DHCP BOUND lands right after the capture's ACK.
    const ack = phone.timeline.find((e) => e.text.startsWith('DHCP ACK'))!;
    const bound = phone.timeline.find((e) => e.lane === 'console' && e.text.endsWith('DHCP BOUND'))!;
    assert.ok(Math.abs(bound.time! - ack.time!) < 0.1, `${bound.time} vs ${ack.time}`);
  });

  it('--console-offset and --log-offset override the matching', async () => {
    const console = phoneClockConsole(3600);
    const { analysis } = await analyzeFiles(
      { captures: [capture], consoles: [console], serverLogs: [path.join(dir, 'tftpd.log')] },
      { version: 'test', consoleOffsetSeconds: -3599, logOffsetSeconds: 5 },
      () => {},
    );
    assert.deepEqual(analysis.clocks.map((c) => [c.source, c.method, c.offsetSeconds]).sort(), [
      ['console', 'override', -3599],
      ['server-log', 'override', 5],
    ]);
  });

  it('a server log without a capture is the reference clock', async () => {
    const { analysis } = await analyzeFiles(
      { captures: [], consoles: [], serverLogs: [path.join(dir, 'tftpd.log')] },
      { version: 'test' },
      () => {},
    );
    assert.deepEqual(
      analysis.clocks.map((c) => [c.method, c.offsetSeconds]),
      [['none', 0]],
    );
  });
});
