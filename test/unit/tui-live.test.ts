/**
 * What the bench TUI shows while things are still happening: a transfer under way with its
 * progress, a finding about a phone that is still retrying, server-log lines replayed in
 * time with the capture, and a long session that keeps only its newest events in memory.
 * Driven through the session (saved files replayed with their timing, as `--replay` does).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CaptureDecoder } from '../../parsers/capture/decoder.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { frameTimestamp, timestampSeconds } from '../../parsers/capture/frame.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import type { Analysis, TimelineEntry } from '../../src/engine/analysis.js';
import { DiagnosisEngine } from '../../src/engine/engine.js';
import { analyzeFiles, readInputEvents } from '../../src/engine/input-events.js';
import { bundledSampleInputs } from '../../src/tui/inputs.js';
import { TuiSession } from '../../src/tui/session.js';
import type { SessionSetup } from '../../src/tui/session.js';
import { initialState } from '../../src/tui/state.js';
import type { SourceStatus } from '../../src/tui/state.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { fixture, repoRoot, until, utcIso } from '../helpers.js';
import { openHeadlessTui } from './tui-harness.js';

interface Watched {
  readonly session: TuiSession;
  readonly analyses: { at: number; analysis: Analysis }[];
  sources: readonly SourceStatus[];
}

function watch(
  setup: Omit<SessionSetup, 'engine' | 'onAnalysis' | 'onSources' | 'onNotice' | 'sessionDir'>,
  onAnalysis?: (a: Analysis) => void,
): Watched {
  const w: Watched = {
    analyses: [],
    sources: [],
    session: new TuiSession({
      ...setup,
      sessionDir: tmpdir(),
      engine: { version: PHONEDOC_VERSION },
      onAnalysis: (analysis) => {
        w.analyses.push({ at: Date.now(), analysis });
        onAnalysis?.(analysis);
      },
      onSources: (sources) => {
        w.sources = sources;
      },
      onNotice: () => undefined,
    }),
  };
  return w;
}

const replayed = (w: Watched, name: string): boolean => w.sources.find((s) => s.name === name)?.state === 'read';
const networkRows = (a: Analysis): TimelineEntry[] =>
  a.phones.flatMap((p) => p.timeline.filter((e) => e.lane === 'network'));

/**
 * A classic pcap (any byte order of the magic we write) with its frame
 * times spread `factor` times further from the first.
 */
function stretchedPcap(bytes: Buffer, factor: number): Buffer {
  const out = Buffer.from(bytes);
  assert.equal(out.readUInt32LE(0), 0xa1b2c3d4, 'a little-endian microsecond pcap');
  let at = 24;
  let first: number | undefined;
  while (at + 16 <= out.length) {
    const t = out.readUInt32LE(at) + out.readUInt32LE(at + 4) / 1e6;
    first ??= t;
    const stretched = first + (t - first) * factor;
    out.writeUInt32LE(Math.floor(stretched), at);
    out.writeUInt32LE(Math.round((stretched - Math.floor(stretched)) * 1e6) % 1_000_000, at + 4);
    at += 16 + out.readUInt32LE(at + 8);
  }
  return out;
}

describe('tui while things are happening', () => {
  it('shows a transfer under way with its progress, then its outcome', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tui-live-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // A real tftpd-hpa transfer of a 98,304-byte .sb2 (tsize granted) in 9 ms, slowed down so it takes seconds.
    const source = fixture('captures', 'tftp-options.pcap');
    const expected = (
      await analyzeFiles(
        { captures: [source], consoles: [], serverLogs: [] },
        { version: PHONEDOC_VERSION },
        () => undefined,
      )
    ).analysis;
    const file = path.join(dir, 'slow.pcap');
    writeFileSync(file, stretchedPcap(readFileSync(source), 1500));
    const tui = await openHeadlessTui(initialState(expected, []), 160, 48, 20);
    t.after(() => tui.close());
    const screens: string[] = [];
    // Speed 2: the transfer is under way for about 7 s, several refreshes even when the suite's
    // files run side by side on a busy machine (a refresh waits longer when an analysis is slow).
    const w = watch({ inputs: { captures: [file], consoles: [], serverLogs: [] }, replay: { speed: 2 } }, (a) => {
      tui.screen.setAnalysis(a);
      void tui.settle().then(() => screens.push(tui.text()));
    });
    t.after(() => w.session.stop());
    w.session.start();
    await until('the replay to end', () => replayed(w, file), 60_000);
    const sb2Done = (): boolean =>
      networkRows(w.analyses.at(-1)?.analysis ?? expected).some((e) => /P0S3-8-12-00\.sb2.*complete/.test(e.text)) &&
      w.analyses.length > 0;
    await until(
      'the last analysis',
      () => sb2Done() && networkRows(w.analyses.at(-1)!.analysis).every((e) => !e.progress),
    );

    const sb2 = (a: Analysis): TimelineEntry | undefined =>
      networkRows(a).find((e) => e.text.includes('P0S3-8-12-00.sb2'));
    const under = w.analyses.map(({ analysis }) => sb2(analysis)?.progress).filter((p) => p !== undefined);
    assert.ok(under.length >= 2, `the transfer was seen under way in ${under.length} refreshes`);
    const size = expected.phones
      .flatMap((p) => p.timeline)
      .find((e) => e.text.includes('P0S3-8-12-00.sb2'))!
      .text.match(/complete, (\d+) bytes/)![1];
    for (const p of under) {
      assert.equal(p.size, Number(size), 'the size the server granted (tsize)');
      assert.ok(p.bytes < p.size!, 'under way: not all of it yet');
    }
    assert.deepEqual(
      under.map((p) => p.bytes),
      [...under.map((p) => p.bytes)].sort((a, b) => a - b),
      'the bytes only grow',
    );
    assert.ok(
      screens.some((s) => /P0S3-8-12-00\.sb2/.test(s) && /\[█*░+\]\s+\d+%/.test(s)),
      'a progress bar on screen',
    );
    const last = sb2(w.analyses.at(-1)!.analysis)!;
    assert.match(last.text, new RegExp(`complete, ${size} bytes`));
    assert.deepEqual(
      w.analyses
        .at(-1)!
        .analysis.report.findings.map((f) => f.id)
        .sort(),
      expected.report.findings.map((f) => f.id).sort(),
    );
  });

  it('reports a TFTP server that does not answer while the phone is still asking again', async (t) => {
    // The lab phone asks three times a second apart; the server's host answers each with ICMP port unreachable.
    const file = path.join(repoRoot, 'captures', 'tftp-server-unreachable', 'capture.pcap');
    const w = watch({ inputs: { captures: [file], consoles: [], serverLogs: [] }, replay: { speed: 0.5 } });
    t.after(() => w.session.stop());
    let seenBeforeEnd = false;
    w.session.start();
    await until(
      'the finding',
      () => {
        const found = w.analyses.some(({ analysis }) =>
          analysis.report.findings.some((f) => f.id === 'TFTP_SERVER_UNREACHABLE'),
        );
        if (found && !replayed(w, file)) seenBeforeEnd = true;
        return found;
      },
      30_000,
    );
    assert.ok(seenBeforeEnd, "the finding was there before the capture's last request was played");
  });

  it('--replay plays the server log in time with the capture', async (t) => {
    // A boot whose server log spans two seconds (syslog times are whole seconds).
    const inputs = bundledSampleInputs('sip-812-boot');
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const allServer = analysis.phones[0]!.timeline.filter((e) => e.lane === 'server').length;
    assert.ok(allServer > 2);
    const w = watch({ inputs, replay: { speed: 0.5 } });
    t.after(() => w.session.stop());
    w.session.start();
    await until('the replay to end', () => inputs.serverLogs.every((f) => replayed(w, f)), 30_000);
    const serverRows = (a: Analysis): number => a.phones[0]?.timeline.filter((e) => e.lane === 'server').length ?? 0;
    // Log lines stamped to the whole second play at the end of their second: the
    // last analysis comes a moment after the sources end.
    await until(
      'the last analysis',
      () =>
        w.analyses.at(-1)!.analysis.report.findings.length === analysis.report.findings.length &&
        serverRows(w.analyses.at(-1)!.analysis) === allServer,
    );
    assert.ok(
      w.analyses.some(({ analysis: a }) => serverRows(a) > 0 && serverRows(a) < allServer),
      'server-log lines arrive over time, not at once',
    );
    assert.equal(serverRows(w.analyses.at(-1)!.analysis), allServer);
    // The log's lines carry no year: the capture's gives it, so they line up with it.
    const times = w.analyses
      .at(-1)!
      .analysis.phones[0]!.timeline.filter((e) => e.lane === 'server')
      .map((e) => utcIso(e.time!).slice(0, 4));
    assert.deepEqual(
      new Set(times),
      new Set([utcIso(analysis.phones[0]!.timeline.find((e) => e.lane === 'network')!.time!).slice(0, 4)]),
    );
  });
});

describe('engine, live', () => {
  it('a request resent without answer is a finding before the transfer ends; one just sent is not', async () => {
    const file = path.join(repoRoot, 'captures', 'tftp-server-unreachable', 'capture.pcap');
    const bytes = readFileSync(file);
    const stopAfter = async (frames: number): Promise<{ transfers: TftpTransfer[]; engine: DiagnosisEngine }> => {
      const engine = new DiagnosisEngine({ version: PHONEDOC_VERSION, inputs: [] });
      const decoder = new CaptureDecoder({
        exchange: (exchange) => engine.add({ source: 'capture', file, kind: 'dhcp', exchange }),
        problem: () => undefined,
      });
      let n = 0;
      const reader = new CaptureReader({
        frame: (f) => {
          if (++n <= frames) decoder.frame(f);
        },
        problem: () => undefined,
      });
      reader.feed(bytes);
      const pending = decoder.pending();
      engine.add({ source: 'capture', file, kind: 'pending', at: Infinity, ...pending });
      return { transfers: pending.transfers, engine };
    };
    // Frame 7: the first request, nothing back yet.
    const first = await stopAfter(7);
    assert.equal(first.transfers.length, 1);
    assert.equal(first.transfers[0]!.outcome, 'running');
    assert.ok(!first.engine.analysis().report.findings.some((f) => f.id === 'TFTP_SERVER_UNREACHABLE'));
    assert.ok(
      networkRows(first.engine.analysis()).some((e) => /CTLSEP000E84C060A6\.tlv/.test(e.text)),
      'the request is a row already',
    );
    // Frame 10: two requests, each refused with ICMP port unreachable, the phone still at it.
    const later = await stopAfter(10);
    assert.equal(later.transfers[0]!.requestRetries, 1);
    assert.ok(later.engine.analysis().report.findings.some((f) => f.id === 'TFTP_SERVER_UNREACHABLE'));
  });

  it('a DISCOVER still unanswered after 3 s is a finding before the exchange ends; one just sent is not', () => {
    const file = path.join(repoRoot, 'captures', 'dhcp-no-offer', 'capture.pcap');
    const decoder = new CaptureDecoder({ problem: () => undefined });
    let last = 0;
    new CaptureReader({
      frame: (f) => {
        last = timestampSeconds(frameTimestamp(f));
        decoder.frame(f);
      },
      problem: () => undefined,
    }).feed(readFileSync(file));
    const { exchanges, transfers } = decoder.pending();
    assert.equal(exchanges.length, 1, "the phone's DISCOVERs are one exchange, still open");
    const after = (seconds: number): string[] => {
      const engine = new DiagnosisEngine({ version: PHONEDOC_VERSION, inputs: [] });
      engine.add({ source: 'capture', file, kind: 'pending', at: last + seconds, transfers, exchanges });
      return engine.analysis().report.findings.map((f) => f.id);
    };
    assert.ok(!after(0.5).includes('DHCP_NO_OFFER'), 'an OFFER may still come');
    assert.ok(after(3.5).includes('DHCP_NO_OFFER'));
  });

  it('a long session keeps the newest events only, says how many it let go, and stays correct on them', async (t) => {
    // The sample's console and server log as a long session writes them: the same boot over and over.
    const sample = bundledSampleInputs();
    const dir = mkdtempSync(path.join(tmpdir(), 'tui-window-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const [header, ...body] = readFileSync(sample.consoles[0]!, 'utf8').trimEnd().split('\n');
    const consoleFile = path.join(dir, 'console.log');
    writeFileSync(consoleFile, `${[header, ...Array.from({ length: 40 }, () => body).flat()].join('\n')}\n`);
    const logFile = path.join(dir, 'tftpd.log');
    writeFileSync(logFile, readFileSync(sample.serverLogs[0]!, 'utf8').repeat(30));
    const window = { consoleLines: 40, serverLines: 30, transfers: 1000, exchanges: 1000, packets: 1000, arps: 1000 };
    const engine = new DiagnosisEngine({ version: PHONEDOC_VERSION, inputs: [], window });
    const events: Parameters<DiagnosisEngine['add']>[0][] = [];
    await readInputEvents(
      { captures: sample.captures, consoles: [consoleFile], serverLogs: [logFile] },
      (e) => events.push(e),
      () => undefined,
    );
    for (const e of events) engine.add(e);
    const consoleLines = events.filter((e) => e.kind === 'console').length;
    const serverLines = events.filter((e) => e.kind === 'server').length;
    assert.ok(consoleLines > 100 && serverLines > 100);
    const a = engine.analysis();
    const kept = (lane: string): number => a.phones.flatMap((p) => p.timeline).filter((e) => e.lane === lane).length;
    assert.equal(kept('console'), window.consoleLines);
    assert.equal(a.forgotten?.consoleLines, consoleLines - window.consoleLines);
    assert.equal(a.forgotten?.serverLines, serverLines - window.serverLines);
    // The capture, inside the window, still gives the root cause.
    assert.ok(a.report.findings.some((f) => f.id === 'LOADS_PART_MISSING'));
    const tui = await openHeadlessTui(initialState(a, []), 160, 48);
    try {
      assert.match(tui.text(), /older ones in the files: \d+ console lines/);
    } finally {
      tui.close();
    }
  });
});
