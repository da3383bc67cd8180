/**
 * Seeking in a replay: `}` and `{` go to the start of the phone's next and previous boot (its
 * DHCP exchange), `[` back by 10 s; going back starts the engine afresh and plays the files
 * again up to the time sought, so the screen shows what was known then and nothing after it.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import type { Analysis } from '../../src/engine/analysis.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { bundledSampleInputs } from '../../src/tui/inputs.js';
import { TuiSession } from '../../src/tui/session.js';
import type { SourceStatus } from '../../src/tui/state.js';
import { initialState } from '../../src/tui/state.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { until } from '../helpers.js';
import { openHeadlessTui } from './tui-harness.js';

describe('tui replay seeking', () => {
  it("} and { move a paused replay between the phone's boots; back, the screen shows only what was known then; the end is as analyze says", async () => {
    const inputs = bundledSampleInputs('sccp-to-sip-812');
    const { analysis: whole } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const phone = whole.phones[0]!;
    const boots = [...(phone.bootStarts ?? [])];
    assert.ok(boots.length >= 2, 'the bundle holds two boots');
    let last: Analysis | undefined;
    let sources: readonly SourceStatus[] = [];
    const session = new TuiSession({
      inputs,
      replay: { speed: 1 },
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
      await until('the replay to start', () => session.replayPosition() !== undefined, 20_000);
      session.setReplayPaused(true);
      // Played (by anchor, at the times the whole files give) exactly up to
      // `at`: all before, nothing after. Packets and
      // console lines only: a log stamped to the whole second is played at its
      // second's end, later than the model places it.
      const timeOf = new Map(
        whole.phones.flatMap((p) =>
          p.timeline.filter((e) => e.source !== 'server-log').map((e) => [e.anchor, e.time ?? NaN] as const),
        ),
      );
      const playedUpTo = (at: number): boolean => {
        const shown = new Set(last?.phones.flatMap((p) => p.timeline.map((e) => e.anchor)) ?? []);
        return [...timeOf].every(
          ([anchor, time]) =>
            !Number.isFinite(time) ||
            (time < at - 0.005 ? shown.has(anchor) : time > at + 0.005 ? !shown.has(anchor) : true),
        );
      };
      // [ goes back to the start (the clock may have moved past it before the pause); }
      // twice: to the first boot's DHCP, then to the second boot.
      assert.equal(session.seekReplay(-10).back, true);
      assert.equal(session.replayPosition()!.now, session.replayPosition()!.start);
      for (const [i, expected] of boots.slice(0, 2).entries()) {
        const onward = session.seekBoot(1, phone.phone.mac);
        assert.equal(onward.back, false);
        assert.match(onward.message ?? '', new RegExp(`^boot ${i + 1} of ${boots.length}`));
        assert.ok(Math.abs(session.replayPosition()!.now - expected) < 0.01, "the clock stands at the boot's start");
        assert.ok(session.replayPosition()!.paused, 'still paused');
      }
      await until('the first boot played, nothing of the second', () => playedUpTo(boots[1]!), 20_000);

      // { just after a boot's start goes to the boot before: the second boot's rows, already on screen, go.
      const back = session.seekBoot(-1, phone.phone.mac);
      assert.equal(back.back, true, 'a seek back plays the replay again');
      assert.ok(Math.abs(session.replayPosition()!.now - boots[0]!) < 0.01);
      await until('the replay played again up to the first boot', () => playedUpTo(boots[0]!), 20_000);
      assert.ok(session.replayPosition()!.paused, 'a seek keeps the pause');

      assert.equal(session.seekBoot(-1, phone.phone.mac).message, 'no earlier boot in this replay');

      session.setReplayPaused(false);
      await until(
        'the replay to end',
        () =>
          sources.filter((s) => s.kind !== 'tftp-root').every((s) => s.state === 'read') &&
          last !== undefined &&
          last.phones[0]!.findings.map((f) => f.id).join() === phone.findings.map((f) => f.id).join(),
        30_000,
      );
      assert.equal(session.seekBoot(1, phone.phone.mac).message, 'no later boot in this replay');
      // After the end, going back plays again.
      assert.equal(session.seekReplay(-10).back, true);
      await until('the sources to replay again', () => sources.some((s) => s.state === 'replaying'), 10_000);
      await until(
        'the replay to end again',
        () => sources.filter((s) => s.kind !== 'tftp-root').every((s) => s.state === 'read'),
        30_000,
      );
      assert.deepEqual(
        last!.phones[0]!.findings.map((f) => f.id),
        phone.findings.map((f) => f.id),
        'played again, the same findings',
      );
    } finally {
      await session.stop();
    }
  });

  it('the keys [ ] { } reach the replay, the footer names them, and findings a seek back leaves behind are not shown as withdrawn', async (t) => {
    const inputs = bundledSampleInputs('sccp-to-sip-812');
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const mac = analysis.phones[0]!.phone.mac!;
    const calls: string[] = [];
    const replay = {
      position: () => ({ now: 10, start: 0, end: 20, paused: true }),
      setPaused: () => undefined,
      step: () => undefined,
      seek: (by: number) => {
        calls.push(`seek ${by}`);
        return by < 0 ? { back: true, message: 'went back' } : { back: false };
      },
      seekBoot: (direction: 1 | -1, phone?: string) => {
        calls.push(`boot ${direction} ${phone}`);
        return { back: direction < 0 };
      },
    };
    const tui = await openHeadlessTui(initialState(analysis, []), 160, 40, 5, true, replay);
    t.after(() => tui.close());
    assert.match(tui.lines().at(-1)!, /\[ \] ±10s .*\{ \} boot/, 'the footer names the seek keys');
    await tui.press('[', ']', '}', '{');
    assert.deepEqual(calls, ['seek -10', 'seek 10', `boot 1 ${mac}`, `boot -1 ${mac}`]);
    const title = analysis.phones[0]!.findings[0]!.title;
    assert.ok(tui.text().includes(title));
    // The replay went back ({): its next analysis, earlier, has no findings yet; none is "withdrawn".
    const empty: Analysis = {
      ...analysis,
      report: { ...analysis.report, findings: [] },
      phones: analysis.phones.map((p) => ({ ...p, findings: [], placed: [], timeline: [] })),
    };
    tui.screen.setAnalysis(empty);
    await tui.settle();
    assert.ok(!tui.text().includes('withdrawn'), tui.text());
    assert.ok(!tui.text().includes(title), tui.text());
    assert.match(tui.text(), /Findings: 0 errors, 0 warnings, 0 info/);

    const live = await openHeadlessTui(initialState(analysis, []), 160, 40);
    t.after(() => live.close());
    assert.doesNotMatch(live.lines().at(-1)!, /±10s|boot/, 'not a replay: the footer leaves the seek keys out');
  });
});
