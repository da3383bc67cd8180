/**
 * The bench screen shows its evidence in full and does not mislead while it arrives: on every
 * bundle in captures/, at 80×24 and 200×60, the file and outcome of every failing request are
 * on screen without scrolling sideways; replayed as they happened, no row or progress chain
 * says a transfer completed that did not, and no finding vanishes from one screen to the next.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { nextServerAddress, tftpServerAddresses, tftpServerNameAsSent } from '../../parsers/dhcp/fields.js';
import type { Analysis, TimelineEntry } from '../../src/engine/analysis.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { makeSessionDir } from '../../src/commands/tui.js';
import { bundledSampleInputs, sourcesOf } from '../../src/tui/inputs.js';
import { rowParts } from '../../src/tui/rows-pane.js';
import { savedSessionInputs } from '../../src/tui/saved-session.js';
import { TuiSession } from '../../src/tui/session.js';
import type { SourceStatus } from '../../src/tui/state.js';
import { initialState } from '../../src/tui/state.js';
import { networkRows, phoneKey } from '../../src/tui/view-model.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { repoRoot, until } from '../helpers.js';
import { openHeadlessTui } from './tui-harness.js';
import type { HeadlessTui } from './tui-harness.js';

const BUNDLES = readdirSync(path.join(repoRoot, 'captures'))
  .filter((d) => statSync(path.join(repoRoot, 'captures', d)).isDirectory())
  .sort();

const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The network pane's rows as on screen, each row's wrapped lines joined. */
function shownNetworkRows(tui: HeadlessTui): string[] {
  const lines = tui.lines();
  const top = lines.findIndex((l) => l.includes('Network ('));
  assert.ok(top >= 0, 'the network pane is on screen');
  const left = lines[top]!.lastIndexOf('┌', lines[top]!.indexOf('Network ('));
  const right = lines[top]!.indexOf('┐', left);
  const rows: string[] = [];
  for (let i = top + 1; i < lines.length && lines[i]![left] !== '└'; i++) {
    const inner = lines[i]!.slice(left + 1, right);
    if (/^[ »]\d\d:\d\d:\d\d\.\d{3} /.test(inner) || rows.length === 0) rows.push(inner);
    else rows[rows.length - 1] += ` ${inner}`;
  }
  return rows.map(words);
}

const failing = (e: TimelineEntry): boolean =>
  e.request !== undefined && e.request.answer !== 'found' && e.request.answer !== 'unknown';

describe('tui evidence in full', () => {
  for (const bundle of BUNDLES) {
    it(`${bundle}: the file and outcome of every failing request are on screen at 80×24 and 200×60`, async (t) => {
      const inputs = bundledSampleInputs(bundle);
      const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
      for (const [index, phone] of analysis.phones.entries()) {
        const base = { ...initialState(analysis, sourcesOf(inputs, 'read')), phone: phoneKey(phone, index) };
        const rows = networkRows(base);
        for (const [i, row] of rows.entries()) {
          if (!failing(row)) continue;
          for (const [columns, lines] of [
            [80, 24],
            [200, 60],
          ] as const) {
            // The cursor on the row, the pane not focused: the row is drawn as any other, not expanded.
            const tui = await openHeadlessTui({ ...base, cursor: { ...base.cursor, network: i } }, columns, lines);
            t.after(() => tui.close());
            const shown = shownNetworkRows(tui);
            const { lead } = rowParts(row);
            assert.ok(lead.startsWith(`✗ ${row.request!.file}: ${row.request!.outcome}`));
            assert.ok(
              shown.some((r) => r.includes(words(lead))),
              `${columns}×${lines}: "${lead}" is on screen whole; the pane shows:\n${shown.join('\n')}`,
            );
            for (const line of tui.lines()) assert.ok(line.length <= columns);
            tui.close();
          }
        }
      }
    });
  }
});

interface Replayed {
  readonly screens: string[][];
  readonly last: Analysis;
}

/** Replays a bundle through a session into a headless screen, reading the screen every 40 ms. */
async function replayScreens(bundle: string, speed: number): Promise<Replayed> {
  const inputs = bundledSampleInputs(bundle);
  let sources: readonly SourceStatus[] = [];
  let last: Analysis | undefined;
  let tui: HeadlessTui | undefined;
  const session = new TuiSession({
    inputs,
    replay: { speed },
    sessionDir: tmpdir(),
    engine: { version: PHONEDOC_VERSION },
    onAnalysis: (a) => {
      last = a;
      tui?.screen.setAnalysis(a);
    },
    onSources: (s) => {
      sources = s;
    },
    onNotice: () => undefined,
  });
  tui = await openHeadlessTui(initialState(session.analysis(), []), 200, 60);
  const screens: string[][] = [];
  const sampler = setInterval(() => screens.push(tui!.lines()), 40);
  try {
    session.start();
    await until(
      'the replay to end',
      () => sources.filter((s) => s.kind !== 'tftp-root').every((s) => s.state === 'read'),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    screens.push(tui.lines());
  } finally {
    clearInterval(sampler);
    await session.stop();
    tui.close();
  }
  return { screens, last: last! };
}

describe('tui live verdicts', () => {
  for (const bundle of ['tftp-transfer-stalls', 'loads-part-missing']) {
    it(`${bundle} replayed: ✓ only for transfers that complete, and no finding vanishes between two screens`, async () => {
      const { analysis } = await analyzeFiles(
        bundledSampleInputs(bundle),
        { version: PHONEDOC_VERSION },
        () => undefined,
      );
      const complete = new Set(
        analysis.phones.flatMap((p) =>
          p.timeline.filter((e) => e.request?.answer === 'found').map((e) => e.request!.file),
        ),
      );
      const notComplete = analysis.phones.flatMap((p) =>
        p.timeline.filter((e) => e.request && e.request.answer !== 'found').map((e) => e.request!.file),
      );
      assert.ok(notComplete.length > 0, 'the bundle has a transfer that does not complete');
      const { screens, last } = await replayScreens(bundle, 2);
      assert.ok(screens.length > 20, 'the screen was read while the replay ran');
      const titles = (screen: string[]): Set<string> =>
        new Set(screen.flatMap((l) => [...l.matchAll(/\[\d+\] +(?:ERROR|WARNING|INFO) +(.{20})/g)].map((m) => m[1]!)));
      for (const [k, screen] of screens.entries()) {
        for (const file of notComplete) {
          if (complete.has(file)) continue;
          assert.ok(
            !screen.some((l) => l.includes(`✓ ${file}:`) || l.includes(`${file}✓`)),
            `screen ${k} marks ${file} complete:\n${screen.join('\n')}`,
          );
        }
        if (k > 0)
          for (const title of titles(screens[k - 1]!))
            assert.ok(titles(screen).has(title), `"${title}" was on screen ${k - 1} and is gone from screen ${k}`);
      }
      const ids = (a: Analysis): string[] => a.report.findings.map((f) => f.id).sort();
      assert.deepEqual(ids(last), ids(analysis), 'the replay ends with the findings analyze gives');
    });
  }

  it('tui --session on a saved session folder ends with the findings analyze gives on its files', async () => {
    const dir = path.join(repoRoot, 'captures', 'site-three-phones-one-fails');
    const inputs = savedSessionInputs(dir);
    assert.ok(
      inputs.captures.length && inputs.consoles.length && inputs.serverLogs.length && inputs.tftpRoot,
      'capture, console logs, server logs and root are found',
    );
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    let last: Analysis | undefined;
    let sources: readonly SourceStatus[] = [];
    const session = new TuiSession({
      inputs,
      replay: { speed: 0 },
      sessionDir: tmpdir(),
      engine: { version: PHONEDOC_VERSION },
      onAnalysis: (a) => {
        last = a;
      },
      onSources: (s) => {
        sources = s;
      },
      onNotice: () => undefined,
    });
    session.start();
    try {
      await until(
        'the replay to end',
        () =>
          sources.filter((s) => s.kind !== 'tftp-root').every((s) => s.state === 'read') &&
          last !== undefined &&
          JSON.stringify(last.report.findings.map((f) => f.id).sort()) ===
            JSON.stringify(analysis.report.findings.map((f) => f.id).sort()),
        20_000,
      );
    } finally {
      await session.stop();
    }
  });
});

describe('tui session folder', () => {
  it('a session folder that cannot be made falls back to a temporary one and says where', (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tui-session-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const notices: string[] = [];
    const made = makeSessionDir(path.join(file, 'sessions', 'x'), (text) => notices.push(text));
    t.after(() => rmSync(made, { recursive: true, force: true }));
    assert.ok(made.startsWith(tmpdir()) && statSync(made).isDirectory(), 'a temporary folder is made');
    assert.equal(notices.length, 1);
    assert.match(
      notices[0]!,
      /^cannot create the session folder .+: .+\/not-a-folder is a file, not a folder; this session's files go to \/.+ instead\.$/,
    );
    assert.ok(notices[0]!.includes(made));
  });
});

describe('tui servers view', () => {
  it('v shows each DHCP server with what its replies say (66, 150, siaddr) and each TFTP server with its requests', async (t) => {
    const inputs = bundledSampleInputs('dhcp-two-servers-disagree');
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const tui = await openHeadlessTui(initialState(analysis, []), 120, 60);
    t.after(() => tui.close());
    await tui.press('v');
    const text = tui.text();
    const replies = analysis.phones[0]!.timeline.flatMap((e) => (e.dhcpReply ? [e.dhcpReply] : []));
    const servers = new Set(replies.map((r) => r.server));
    assert.ok(servers.size >= 2, 'two DHCP servers answered');
    for (const server of servers) assert.match(text, new RegExp(`${server.replace(/\./g, '\\.')}: \\d+ repl`));
    for (const { message } of replies) {
      // A trailing NUL (some servers send one) is not shown.
      const option66 = tftpServerNameAsSent(message);
      const option150 = tftpServerAddresses(message);
      const siaddr = nextServerAddress(message);
      if (option66) assert.match(text, new RegExp(`option 66 +${option66.replace(/\0+$/, '').replace(/\./g, '\\.')}`));
      if (option150?.length)
        assert.match(text, new RegExp(`option 150 +${option150.join(', ').replace(/\./g, '\\.')}`));
      if (siaddr) assert.match(text, new RegExp(`siaddr +${siaddr.replace(/\./g, '\\.')}`));
    }
    const requests = analysis.phones[0]!.timeline.filter((e) => e.request);
    assert.match(
      text,
      new RegExp(`${requests[0]!.request!.server.replace(/\./g, '\\.')}: ${requests.length} requests`),
    );
    for (const e of requests)
      assert.ok(text.includes(rowParts(e).lead), `the request ${e.request!.file} and its outcome are listed`);
  });
});

describe('tui replay controls', () => {
  it('a paused replay plays nothing, a step plays one event, and resuming plays the rest', async () => {
    const inputs = bundledSampleInputs('sip-812-boot');
    let last: Analysis | undefined;
    let sources: readonly SourceStatus[] = [];
    const session = new TuiSession({
      inputs,
      replay: { speed: 0.5 },
      sessionDir: tmpdir(),
      engine: { version: PHONEDOC_VERSION },
      onAnalysis: (a) => {
        last = a;
      },
      onSources: (s) => {
        sources = s;
      },
      onNotice: () => undefined,
    });
    const events = (): number => last?.phones[0]?.timeline.length ?? 0;
    session.start();
    try {
      await until('the first events', () => events() > 0 && session.replayPosition() !== undefined, 20_000);
      session.setReplayPaused(true);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const held = events();
      const clock = session.replayPosition()!.now;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(events(), held, 'nothing is played while paused');
      assert.equal(session.replayPosition()!.now, clock, 'the replay clock stands still');
      assert.ok(session.replayPosition()!.paused);
      // A step plays the next event (a console line, a log line, a frame): the clock moves to it, the rest waits.
      let steps = 0;
      while (events() === held && steps < 60) {
        const before = session.replayPosition()!.now;
        session.stepReplay();
        steps++;
        // The next event may stand at the clock's time (a log line placed at its packet): the clock then stays.
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.ok(session.replayPosition()!.now >= before, 'a step never takes the clock back');
      }
      assert.ok(events() > held, `${steps} steps played what the timeline shows`);
      assert.ok(session.replayPosition()!.paused, 'still paused after the steps');
      const full = (await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined)).analysis.phones[0]!
        .timeline.length;
      assert.ok(events() < full, `not everything is played by the steps: ${events()} of ${full}`);
      session.setReplayPaused(false);
      await until(
        'the replay to end',
        () => sources.filter((s) => s.kind !== 'tftp-root').every((s) => s.state === 'read'),
        30_000,
      );
    } finally {
      await session.stop();
    }
  });
});
