import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutFor, WIDE_COLUMNS } from '../../src/tui/layout.js';
import type { Rect } from '../../src/tui/layout.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { bundledSampleInputs, sourcesOf } from '../../src/tui/inputs.js';
import { initialState } from '../../src/tui/state.js';
import type { PhoneAnalysis } from '../../src/engine/analysis.js';
import { worstSeverity } from '../../src/views/analysis-parts.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { openHeadlessTui } from './tui-harness.js';
import { utcIso } from '../helpers.js';

const overlaps = (a: Rect, b: Rect): boolean =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

describe('tui layout', () => {
  it('keeps every pane on the screen, without overlap, from 80×24 to 250×80, with one phone or several', () => {
    for (let columns = 80; columns <= 250; columns += 7) {
      for (let rows = 24; rows <= 80; rows += 5) {
        for (const phones of [1, 3]) {
          const layout = layoutFor(columns, rows, phones);
          const panes = [
            layout.header,
            layout.phone,
            layout.console,
            layout.network,
            layout.findings,
            layout.footer,
            ...(layout.phones ? [layout.phones] : []),
          ];
          assert.equal(layout.phones !== undefined, phones > 1);
          for (const p of panes) {
            assert.ok(
              p.left >= 0 && p.top >= 0 && p.left + p.width <= columns && p.top + p.height <= rows,
              `${columns}×${rows}: ${JSON.stringify(p)} is off screen`,
            );
            assert.ok(p.width > 0 && p.height > 0);
          }
          for (const [i, a] of panes.entries())
            for (const b of panes.slice(i + 1)) assert.ok(!overlaps(a, b), `${columns}×${rows}: panes overlap`);
          const bordered = [layout.console, layout.network, layout.findings];
          for (const p of bordered) assert.ok(p.height >= 5, `${columns}×${rows}: a pane shows at least 3 rows`);
          const area = (r: Rect): number => r.width * r.height;
          assert.equal(
            panes.reduce((sum, p) => sum + area(p), 0),
            columns * rows,
            `${columns}×${rows}: the panes fill the screen`,
          );
          assert.equal(layout.console.top === layout.network.top, columns >= WIDE_COLUMNS);
        }
      }
    }
  });

  it('lists several phones worst first with their counts and verdicts, opens on the worst, and switches the panes to the phone chosen', async (t) => {
    const inputs = bundledSampleInputs('site-three-phones-one-fails');
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const phones = analysis.phones;
    assert.ok(phones.length >= 2, 'the site scenario has several phones');
    const rank = (p: PhoneAnalysis): number => ['error', 'warning', 'info', undefined].indexOf(worstSeverity(p));
    const order = [...phones].sort((a, b) => rank(a) - rank(b));
    assert.ok(rank(order[0]!) < rank(order.at(-1)!), 'the phones differ in how bad they are');
    const tui = await openHeadlessTui(initialState(analysis, sourcesOf(inputs, 'read')), 100, 30);
    t.after(() => tui.close());
    assert.ok(tui.text().includes('Phones'));
    // The list starts under the header and the phone pane (4 lines).
    const listed = order.map((p) =>
      tui.lines().findIndex((l, i) => i > 3 && new RegExp(`[»│ ][✗!✓] ${p.phone.mac!}`).test(l)),
    );
    for (const [i, row] of listed.entries()) assert.ok(row > 3, `${order[i]!.phone.mac} is listed`);
    assert.deepEqual(
      [...listed].sort((a, b) => a - b),
      listed,
      'worst first',
    );
    for (const [i, p] of order.entries()) {
      const n = (s: string): number => p.findings.filter((f) => f.severity === s).length;
      assert.ok(
        tui.lines()[listed[i]! + 1]!.includes(`${n('error')}E ${n('warning')}W ${n('info')}I`),
        `the counts of ${p.phone.mac} are under it`,
      );
    }
    const phoneLine = (): string => tui.lines()[2]!;
    assert.ok(
      phoneLine().includes(`[1/${phones.length}] ${order[0]!.phone.mac}`),
      'the session opens on the worst phone',
    );
    assert.ok(
      tui.text().includes(`Findings of ${order[0]!.phone.mac}`),
      'the findings title names the phone whose findings it counts',
    );
    // The phone list comes before the findings (which have the focus first) in Tab order.
    await tui.press('shift-tab', 'down');
    assert.ok(phoneLine().includes(`[2/${phones.length}] ${order[1]!.phone.mac}`), phoneLine());
    assert.ok(tui.text().includes(order[1]!.verdict.slice(0, 30)));
  });
});

describe('tui pane widths', () => {
  it('side by side, the console pane is as wide as its lines need (up to half) and the network pane takes the rest', () => {
    const narrow = layoutFor(200, 60, 1, 40);
    assert.equal(narrow.console.width, 40);
    assert.equal(narrow.network.width, 160);
    assert.equal(layoutFor(200, 60, 1, 150).console.width, 100, 'never more than half');
    assert.ok(layoutFor(200, 60, 1, 5).console.width >= 30, 'room for lines still to come');
    assert.equal(layoutFor(80, 24, 1, 40).console.width, 80, 'stacked at 80 columns: full width');
  });

  it('a server-log line stamped to the whole second is never placed ahead of the packets of that second it follows', async () => {
    const { analysis } = await analyzeFiles(
      bundledSampleInputs('sip-812-boot'),
      { version: PHONEDOC_VERSION },
      () => undefined,
    );
    const timeline = analysis.phones[0]!.timeline;
    const logRows = timeline.filter((e) => e.lane === 'server');
    assert.ok(logRows.length > 0, 'the sample has server-log lines');
    for (const row of logRows) {
      const at = timeline.indexOf(row);
      const earlierPacketsAfter = timeline.slice(at).filter((e) => e.lane === 'network' && e.time! < row.time!);
      assert.deepEqual(earlierPacketsAfter, [], `no earlier packet comes after the log line "${row.text}"`);
      if (utcIso(row.time!).endsWith('.000Z')) {
        const sameSecond = timeline
          .slice(at)
          .filter((e) => e.lane === 'network' && Math.floor(e.time!) === Math.floor(row.time!));
        assert.deepEqual(
          sameSecond,
          [],
          `a line left at the start of its second comes after that second's packets: "${row.text}"`,
        );
      }
    }
  });
});
