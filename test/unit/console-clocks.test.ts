/**
 * Clocks lined up across time zones, a day wrong, drift and hand-noted screens, and the merged
 * timeline in causal order. The consoles are made from the default sample's own console
 * (captures/loads-part-missing, a real dnsmasq + tftpd-hpa run): its lines re-written with the
 * phone's clock in another zone, with a date, a day off, or as the screen states an engineer
 * would note from the phone with a wristwatch.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Analysis } from '../../src/engine/analysis.js';
import { consoleOwnTimes, toReference, voteOffset } from '../../src/engine/clocks.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { createConsoleParser } from '../../parsers/console/parse.js';
import { renderAnalysisText } from '../../src/views/analysis-text.js';
import { repoRoot, utcIso } from '../helpers.js';

const dir = path.join(repoRoot, 'captures', 'loads-part-missing');
const capture = path.join(dir, 'capture.pcap');
const serverLog = path.join(dir, 'tftpd.log');

/** The sample console's lines: the recorder's time (ms since epoch) and the text. */
function sampleLines(): { at: number; text: string }[] {
  return readFileSync(path.join(dir, 'console-sep000e84c060a6.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => ({ at: Date.parse(line.slice(0, line.indexOf(' '))), text: line.slice(line.indexOf(' ') + 1) }))
    .filter((l) => !l.text.startsWith('#'));
}

const two = (n: number): string => String(n).padStart(2, '0');
const timeOfDay = (ms: number, fraction: boolean): string => {
  const t = new Date(ms);
  return `${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}${fraction ? `.${String(t.getUTCMilliseconds()).padStart(3, '0')}` : ''}`;
};

function writeConsole(lines: readonly string[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'phonedoc-console-clocks-')), 'console-sep000e84c060a6.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function analyse(console: string, withLog = false): Promise<{ analysis: Analysis; text: string }> {
  const { analysis } = await analyzeFiles(
    { captures: [capture], consoles: [console], serverLogs: withLog ? [serverLog] : [] },
    { version: 'test' },
    () => {},
  );
  return { analysis, text: renderAnalysisText(analysis) };
}

function consoleClock(analysis: Analysis) {
  return analysis.clocks.find((c) => c.source === 'console')!;
}

/** The timeline's lines as the text view prints them (time, lane, text). */
function timelineRows(text: string): string[] {
  const start = text.indexOf('Timeline');
  return text
    .slice(start, text.indexOf('Findings', start))
    .split('\n')
    .filter((l) => /^\s+[>\s]\s(?:\d\d:|\?)/.test(l));
}

function assertAlignedTimeline(analysis: Analysis, text: string): void {
  const rows = timelineRows(text);
  assert.ok(
    rows.some((r) => r.includes(' console ')),
    'the console lines are in the timeline',
  );
  assert.ok(
    rows.every((r) => !/^\s+[>\s]\s\?/.test(r)),
    `no line without a time:\n${rows.join('\n')}`,
  );
  for (const e of analysis.phones[0]!.timeline) assert.ok(e.time !== undefined, `${e.text} has a time`);
  const unaligned = analysis.phones[0]!.findings.find((f) => f.id === 'CLOCKS_UNALIGNED');
  assert.ok(unaligned, 'CLOCKS_UNALIGNED is reported');
}

describe('clocks: a console in another time zone', () => {
  it('the phone\'s time of day 5 h behind UTC: +5 h within a second, the zone named, no "?"', async () => {
    const console = writeConsole(sampleLines().map((l) => `${timeOfDay(l.at - 5 * 3600_000, true)} ${l.text}`));
    const { analysis, text } = await analyse(console);
    const clock = consoleClock(analysis);
    assert.equal(clock.method, 'matched-events');
    assert.ok(Math.abs(clock.offsetSeconds - 5 * 3600) < 1, `offset ${clock.offsetSeconds}`);
    assert.ok(clock.matches >= 3, `${clock.matches} matches`);
    assert.match(clock.detail, /UTC−05:00/);
    assertAlignedTimeline(analysis, text);
    const finding = analysis.phones[0]!.findings.find((f) => f.id === 'CLOCKS_UNALIGNED')!;
    assert.match(finding.explanation, new RegExp(`${clock.matches} events`));
    assert.match(finding.explanation, /UTC−05:00/);
    // The console's DHCP BOUND lands at the capture's ACK, its REQUESTING before the REQUEST.
    const timeline = analysis.phones[0]!.timeline;
    const at = (pred: (t: string, lane: string) => boolean): number =>
      timeline.find((e) => pred(e.text, e.lane))!.time! * 1000;
    assert.ok(
      Math.abs(at((t, lane) => lane === 'console' && t.endsWith('DHCP BOUND')) - at((t) => t.startsWith('DHCP ACK'))) <
        50,
    );
  });

  it('whole seconds only (HH:MM:SS), 5 h behind: still within a second', async () => {
    const console = writeConsole(sampleLines().map((l) => `${timeOfDay(l.at - 5 * 3600_000, false)} ${l.text}`));
    const { analysis, text } = await analyse(console);
    const clock = consoleClock(analysis);
    assert.ok(Math.abs(clock.offsetSeconds - 5 * 3600) < 1, `offset ${clock.offsetSeconds}`);
    assertAlignedTimeline(analysis, text);
  });

  it('ISO 8601 dates without a zone, the phone at UTC+05:45: −5 h 45 min', async () => {
    const console = writeConsole(
      sampleLines().map(
        (l) => `${new Date(l.at + 345 * 60_000).toISOString().replace('T', ' ').replace('Z', '')} ${l.text}`,
      ),
    );
    const { analysis } = await analyse(console);
    const clock = consoleClock(analysis);
    assert.ok(Math.abs(clock.offsetSeconds + 345 * 60) < 1, `offset ${clock.offsetSeconds}`);
    assert.match(clock.detail, /UTC\+05:45/);
  });

  it('ISO 8601 with its zone written: already right, no offset', async () => {
    const console = writeConsole(
      sampleLines().map((l) => `${new Date(l.at - 300 * 60_000).toISOString().replace('Z', '-05:00')} ${l.text}`),
    );
    const { analysis } = await analyse(console);
    assert.ok(Math.abs(consoleClock(analysis).offsetSeconds) < 0.1);
    assert.ok(!analysis.phones[0]!.findings.some((f) => f.id === 'CLOCKS_UNALIGNED'));
  });

  it('a recording PC whose clock is set a day wrong (and 95 s off): found, and said', async () => {
    const shift = -86_400_000 - 95_000;
    const console = writeConsole(sampleLines().map((l) => `${new Date(l.at + shift).toISOString()} ${l.text}`));
    const { analysis, text } = await analyse(console);
    const clock = consoleClock(analysis);
    assert.ok(Math.abs(clock.offsetSeconds - 86_495) < 1, `offset ${clock.offsetSeconds}`);
    assertAlignedTimeline(analysis, text);
  });

  it('seconds since boot: lined up, the moment of boot said', async () => {
    const lines = sampleLines();
    const boot = lines[0]!.at - 12_345;
    const console = writeConsole(
      lines.map((l) => `[${((l.at - boot) / 1000).toFixed(6).padStart(12, ' ')}] ${l.text}`),
    );
    const { analysis, text } = await analyse(console);
    const clock = consoleClock(analysis);
    assert.equal(clock.method, 'matched-events');
    assert.ok(Math.abs(clock.offsetSeconds - boot / 1000) < 1, `offset ${clock.offsetSeconds}`);
    assert.match(clock.detail, new RegExp(`since the phone started, at ${new Date(boot).toISOString().slice(0, 19)}`));
    assertAlignedTimeline(analysis, text);
  });

  it('a time of day alone goes on the day nearest the reference (the phone still on the day before)', () => {
    const parser = createConsoleParser();
    const events = ['23:59:58 DHCP INIT', '00:00:03 DHCP BOUND'].map((text, i) => parser.parse({ line: i + 1, text }));
    const anchor = Date.UTC(2026, 10, 27, 4, 0, 0) / 1000; // 04:00 UTC: the phone is 4 h behind
    assert.deepEqual(consoleOwnTimes(events, anchor), [
      Date.UTC(2026, 10, 26, 23, 59, 58) / 1000,
      Date.UTC(2026, 10, 27, 0, 0, 3) / 1000,
    ]);
  });
});

describe('timeline: a console in whole seconds', () => {
  it('syslog lines 2 h ahead, whole seconds: each DHCP step at its packet, none at .000 ahead of it', async () => {
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const console = writeConsole(
      sampleLines().map((l) => {
        const t = new Date(l.at + 2 * 3600_000);
        return (
          `${month[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2, ' ')} ` +
          `${timeOfDay(t.getTime(), false)} 192.0.2.106 phone: ${l.text}`
        );
      }),
    );
    const { analysis, text } = await analyse(console, true);
    const clock = consoleClock(analysis);
    assert.ok(Math.abs(clock.offsetSeconds + 7200) < 1, `offset ${clock.offsetSeconds}`);
    assert.match(clock.detail, /UTC\+02:00/);
    assertAlignedTimeline(analysis, text);
    const timeline = analysis.phones[0]!.timeline;
    const time = (pred: (e: (typeof timeline)[number]) => boolean): string => utcIso(timeline.find(pred)!.time!);
    assert.equal(
      time((e) => e.lane === 'console' && e.text.endsWith('DHCP REQUESTING')),
      time((e) => e.text.startsWith('DHCP REQUEST ')),
    );
    assert.equal(
      time((e) => e.lane === 'console' && e.text.endsWith('DHCP BOUND')),
      time((e) => e.text.startsWith('DHCP ACK')),
    );
    const invalid = timeline.findIndex((e) => e.text.endsWith('Protocol Application Invalid'));
    const config = timeline.findIndex((e) => e.lane === 'network' && e.text.includes('"SEP000E84C060A6.cnf.xml'));
    assert.ok(invalid > config, 'the error the phone shows comes after the config file it was sent');
  });
});

describe('clocks: drift over a long session', () => {
  it('a clock gaining 3 s an hour over 6 hours is lined up at both ends', () => {
    const reference = Array.from({ length: 25 }, (_, i) => ({ key: `tftp * f${i}`, time: 1_000_000 + i * 900 }));
    const source = reference.map((m) => ({ key: m.key, time: m.time - 60 + ((m.time - 1_000_000) / 3600) * 3 }));
    const vote = voteOffset(reference, source)!;
    assert.ok(vote.drift, 'drift found');
    assert.equal(vote.matches, 25);
    for (const [i, m] of source.entries()) {
      const placed = toReference(
        { offsetSeconds: vote.offsetSeconds, ...(vote.drift ? { drift: vote.drift } : {}) },
        m.time,
      );
      assert.ok(Math.abs(placed - reference[i]!.time) < 0.5, `mark ${i}: ${placed} vs ${reference[i]!.time}`);
    }
  });

  it('a long session with many marks of one kind is seen end to end', () => {
    const reference = Array.from({ length: 400 }, (_, i) => ({ key: 'dhcp-ack', time: 1_000_000 + i * 90 }));
    const source = reference.map((m) => ({ key: m.key, time: m.time - 7.5 + ((m.time - 1_000_000) / 3600) * 0.1 }));
    const vote = voteOffset(reference, source)!;
    assert.ok(vote.drift, 'drift over 10 hours found');
    const last = source[source.length - 1]!;
    const placed = toReference(
      { offsetSeconds: vote.offsetSeconds, ...(vote.drift ? { drift: vote.drift } : {}) },
      last.time,
    );
    assert.ok(Math.abs(placed - reference[reference.length - 1]!.time) < 0.5, `last mark at ${placed}`);
  });

  it('a steady clock written in whole seconds shows no drift from its truncation', () => {
    const reference = Array.from({ length: 12 }, (_, i) => ({
      key: `tftp * f${i}`,
      time: 5000 + i * 700 + ((i * 0.37) % 1),
    }));
    const vote = voteOffset(
      reference,
      reference.map((m) => ({ ...m, time: Math.floor(m.time - 30) })),
    )!;
    assert.equal(vote.drift, undefined);
    assert.ok(Math.abs(vote.offsetSeconds - 30) < 1, `offset ${vote.offsetSeconds}`);
  });

  it('a steady clock has no drift', () => {
    const reference = Array.from({ length: 10 }, (_, i) => ({ key: `tftp * f${i}`, time: 1000 + i * 600 }));
    const vote = voteOffset(
      reference,
      reference.map((m) => ({ ...m, time: m.time + 30.2 })),
    )!;
    assert.equal(vote.drift, undefined);
    assert.equal(vote.offsetSeconds, -30.2);
  });
});

describe('clocks: a screen noted by hand', () => {
  it('watch times 40 s ahead: approximately −40 s (within 10 s), says it is approximate, no "?"', async () => {
    const lines = sampleLines();
    const noted = (text: string): number => lines.find((l) => l.text === text)!.at + 40_000;
    const console = writeConsole([
      `${timeOfDay(noted('DHCP INIT'), false)} Configuring IP`,
      `${timeOfDay(noted('SEP000E84C060A6.cnf.xml'), false)} Upgrading software`,
      `${timeOfDay(noted('Protocol Application Invalid'), false)} Protocol Application Invalid`,
    ]);
    const { analysis, text } = await analyse(console, true);
    const clock = consoleClock(analysis);
    assert.equal(clock.method, 'screen-states');
    assert.ok(Math.abs(clock.offsetSeconds + 40) <= 10, `offset ${clock.offsetSeconds}`);
    assert.ok(
      clock.uncertaintySeconds !== undefined && clock.uncertaintySeconds <= 10,
      `± ${clock.uncertaintySeconds}`,
    );
    assert.match(clock.detail, /approximately/);
    assert.match(clock.detail, /3 screen states/);
    assertAlignedTimeline(analysis, text);
  });

  it('TFTP Timeout goes with the request left unanswered (the server-unreachable bundle, watch 40 s ahead)', async () => {
    const bundle = path.join(repoRoot, 'captures', 'tftp-server-unreachable');
    const shown = readFileSync(path.join(bundle, 'console-sep000e84c060a6.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => ({ at: Date.parse(line.slice(0, line.indexOf(' '))), text: line.slice(line.indexOf(' ') + 1) }));
    const timeout = shown.find((l) => l.text === 'TFTP Timeout')!;
    const console = writeConsole([`${timeOfDay(timeout.at + 40_000, false)} TFTP Timeout`]);
    const { analysis } = await analyzeFiles(
      { captures: [path.join(bundle, 'capture.pcap')], consoles: [console], serverLogs: [] },
      { version: 'test' },
      () => {},
    );
    const clock = consoleClock(analysis);
    assert.equal(clock.method, 'screen-states');
    assert.equal(clock.matches, 1);
    assert.ok(Math.abs(clock.offsetSeconds + 40) <= 10, `offset ${clock.offsetSeconds}`);
  });

  it('a watch read to the minute still lines up, with a wider uncertainty', async () => {
    const at = sampleLines().find((l) => l.text === 'Protocol Application Invalid')!.at + 40_000;
    const console = writeConsole([`${timeOfDay(at, false).slice(0, 5)} Protocol Application Invalid`]);
    const { analysis } = await analyse(console);
    const clock = consoleClock(analysis);
    assert.equal(clock.method, 'screen-states');
    assert.ok(Math.abs(clock.offsetSeconds + 40) <= 60, `offset ${clock.offsetSeconds}`);
    assert.ok(clock.uncertaintySeconds! >= 30, `± ${clock.uncertaintySeconds}`);
  });
});

describe('timeline: causal order across precisions', () => {
  it("the default sample with its dnsmasq log: each logged DHCP message beside its packet, at its packet's time", async () => {
    const { analysis } = await analyzeFiles(
      {
        captures: [capture],
        consoles: [],
        serverLogs: [path.join(dir, 'dnsmasq.log')],
        tftpRoot: path.join(dir, 'tftp-root'),
      },
      { version: 'test' },
      () => {},
    );
    const timeline = analysis.phones[0]!.timeline;
    const logged = timeline.filter((e) => e.lane === 'server' && /DHCP(DISCOVER|OFFER|REQUEST|ACK)\(/.test(e.text));
    assert.equal(logged.length, 4, 'DISCOVER, OFFER, REQUEST and ACK are logged');
    for (const e of logged) {
      const type = /DHCP([A-Z]+)\(/.exec(e.text)![1]!;
      const packet = timeline[timeline.indexOf(e) - 1]!;
      assert.ok(
        packet.lane === 'network' && packet.text.startsWith(`DHCP ${type} `),
        `${e.text} follows its packet, not ${packet.text}`,
      );
      assert.equal(e.time, packet.time, `${e.text} at its packet's time`);
    }
  });

  it("the default sample reads DHCP first, then each request with the server's line beside its packet, one time per event", async () => {
    const { analysis } = await analyzeFiles(
      {
        captures: [capture],
        consoles: [path.join(dir, 'console-sep000e84c060a6.log')],
        serverLogs: [serverLog],
        tftpRoot: path.join(dir, 'tftp-root'),
      },
      { version: 'test' },
      () => {},
    );
    const timeline = analysis.phones[0]!.timeline;
    const firstServer = timeline.findIndex((e) => e.lane === 'server');
    const discover = timeline.findIndex((e) => e.text.startsWith('DHCP DISCOVER'));
    const ack = timeline.findIndex((e) => e.text.startsWith('DHCP ACK'));
    assert.ok(discover >= 0 && discover < ack && ack < firstServer, "DHCP comes before the server's lines");
    const times = timeline.map((e) => e.time!);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'in time order',
    );
    for (const [i, e] of timeline.entries()) {
      const rrq = /^RRQ from \S+ filename (\S+)/.exec(e.text);
      if (!rrq) continue;
      const packet = timeline[i - 1]!;
      assert.equal(packet.lane, 'network', `${e.text} follows its packet`);
      assert.ok(packet.text.includes(`"${rrq[1]}`), `${e.text} after ${packet.text}`);
      assert.equal(e.time, packet.time, "at its packet's time");
    }
    const nak = timeline.filter((e) => e.text.startsWith('sending NAK'));
    assert.equal(nak.length, 2);
    for (const n of nak) assert.ok(!utcIso(n.time!).endsWith('.000Z'), `${n.text} at ${utcIso(n.time!)}`);
    // Evidence shows the time its timeline entry shows.
    const byAnchor = new Map(timeline.map((e) => [e.anchor, e.time === undefined ? undefined : utcIso(e.time)]));
    for (const f of analysis.phones[0]!.findings) {
      for (const e of f.evidence) {
        if (e.source === 'capture' || e.time === undefined || e.line === undefined) continue;
        const shown = byAnchor.get(`${e.source}:${e.file}:${e.line}`);
        if (shown) assert.equal(e.time, shown, `${f.id} ${e.file}:${e.line}`);
      }
    }
  });
});
