import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { evidenceAnchor } from '../../src/engine/analysis.js';
import type { Analysis, TimelineEntry } from '../../src/engine/analysis.js';
import { catalogEntry } from '../../src/findings/catalog.js';
import type { FindingId } from '../../src/findings/catalog.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { bundledSampleInputs, sourcesOf } from '../../src/tui/inputs.js';
import { isCited, rowParts } from '../../src/tui/rows-pane.js';
import { initialState } from '../../src/tui/state.js';
import { consoleRows, networkRows } from '../../src/tui/view-model.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { openHeadlessTui } from './tui-harness.js';
import type { HeadlessTui } from './tui-harness.js';

let analysis: Analysis;
const SAMPLE_BANNER = 'bundled sample captures/loads-part-missing';

before(async () => {
  ({ analysis } = await analyzeFiles(bundledSampleInputs(), { version: PHONEDOC_VERSION }, () => undefined));
});

async function open(columns: number, rows: number, liveConsole = false): Promise<HeadlessTui> {
  return openHeadlessTui(
    initialState(analysis, sourcesOf(bundledSampleInputs(), 'read'), SAMPLE_BANNER, liveConsole),
    columns,
    rows,
  );
}

/** The marks before the rows showing this text ('»' cited, ' ' not), one per row on screen. */
function marksOf(tui: HeadlessTui, text: string): string[] {
  const start = text.slice(0, 45);
  return tui.lines().flatMap((line) => {
    const at = line.indexOf(start);
    const head = at < 0 ? null : /([ »])\d\d:\d\d:\d\d\.\d{3} (?:log |dhcp |tftp )?$/.exec(line.slice(0, at));
    return head ? [head[1]!] : [];
  });
}

const title = (id: FindingId): string => catalogEntry(id).title;

describe('tui layout', () => {
  for (const [columns, rows] of [
    [80, 24],
    [160, 48],
  ] as const) {
    it(`shows every pane, the phone and its root cause at ${columns}×${rows}`, async (t) => {
      const tui = await open(columns, rows);
      t.after(() => tui.close());
      const text = tui.text();
      assert.match(text, /Console \(\d+\)/);
      assert.match(text, /Network \(\d+\)/);
      assert.match(text, /Findings: 2 errors/);
      assert.ok(text.includes(SAMPLE_BANNER), 'the header says the bundled sample is shown');
      assert.ok(text.includes('00:0e:84:c0:60:a6'), 'the phone panel shows the MAC the capture gives');
      assert.ok(text.includes('SCCP 8.1(2) → SIP 8.12'), 'running image → target image');
      assert.ok(text.includes(title('LOADS_PART_MISSING').slice(0, 40)), 'the root cause is listed');
      assert.ok(text.includes('q quit'), 'the keys are reminded');
      for (const line of tui.lines()) assert.ok(line.length <= columns, `a line is wider than the terminal: ${line}`);
    });
  }

  it('keeps the newest console line and network row in view, like tail -f, until the engineer moves up', async (t) => {
    const tui = await open(80, 24);
    t.after(() => tui.close());
    const state = tui.screen.current;
    const lead = (e: TimelineEntry): string => rowParts(e).lead.slice(0, 30);
    assert.ok(tui.text().includes(lead(consoleRows(state).at(-1)!)));
    assert.ok(tui.text().includes(lead(networkRows(state).at(-1)!)));
    const first = lead(networkRows(state)[0]!);
    await tui.press('tab', 'tab', 'g');
    assert.ok(tui.text().includes(first), 'g goes to the first row');
  });

  it('puts the console and network panes side by side on a wide terminal and stacks them at 80 columns', async (t) => {
    const tui = await open(80, 24);
    t.after(() => tui.close());
    const side = (lines: string[]): boolean => lines.some((l) => l.includes('Console (') && l.includes('Network ('));
    assert.equal(side(tui.lines()), false);
    await tui.resize(160, 48);
    assert.equal(side(tui.lines()), true, 'after the resize the panes sit side by side');
    assert.equal(tui.lines().length, 48);
    const rowsShown = (lines: string[]): number => lines.filter((l) => / 08:03:\d\d\.\d{3} /.test(l)).length;
    const wide = rowsShown(tui.lines());
    await tui.resize(80, 24);
    assert.ok(rowsShown(tui.lines()) < wide, 'the larger terminal shows more rows');
    for (const line of tui.lines()) assert.ok(line.length <= 80);
  });
});

describe('tui keys', () => {
  it('selecting a finding highlights the console lines and network rows it cites, in both panes', async (t) => {
    const tui = await open(160, 48);
    t.after(() => tui.close());
    const phone = analysis.phones[0]!;
    for (const id of ['LOADS_PART_MISSING', 'PROTOCOL_APPLICATION_INVALID']) {
      // The findings pane has the focus first; move the cursor onto the finding.
      const index = phone.findings.findIndex((f) => f.id === id);
      await tui.press('escape', ...Array<string>(5).fill('up'), ...Array<string>(index).fill('down'));
      if (index === 0) await tui.press('down', 'up');
      const finding = phone.findings[index]!;
      const cited = new Set(finding.evidence.map(evidenceAnchor));
      const citedEntries = phone.timeline.filter((e) => cited.has(e.anchor));
      assert.ok(citedEntries.length > 0, `${id} cites timeline entries`);
      // Every row is on screen at 160×48; rows with the same text (two NAKs) are counted.
      const rows = [...consoleRows(tui.screen.current), ...networkRows(tui.screen.current)];
      for (const text of new Set(rows.map((e) => rowParts(e).lead))) {
        const entries = rows.filter((e) => rowParts(e).lead.slice(0, 45) === text.slice(0, 45));
        const marks = marksOf(tui, text);
        assert.equal(marks.length, entries.length, `every row "${text}" is shown`);
        assert.equal(
          marks.filter((m) => m === '»').length,
          entries.filter((e) => isCited(e, cited)).length,
          `rows "${text}" marked as ${id} cites them`,
        );
      }
      const lanes = new Set(citedEntries.map((e) => (e.lane === 'console' ? 'console' : 'network')));
      if (id === 'PROTOCOL_APPLICATION_INVALID') assert.ok(lanes.has('console'), 'the console line is highlighted');
      if (id === 'LOADS_PART_MISSING') assert.ok(lanes.has('network'), 'the network rows are highlighted');
    }
    // The marked rows are drawn on a yellow background (palette 3).
    const row = tui.lines().findIndex((l) => /│»\d\d:/.test(l));
    const column = tui.lines()[row]!.indexOf('»');
    assert.equal(tui.background(row, column), 3);
  });

  it('Enter opens the explanation, the evidence and the fix; Esc closes it', async (t) => {
    const tui = await open(80, 24);
    t.after(() => tui.close());
    await tui.press('enter');
    const text = tui.text();
    assert.ok(text.includes('LOADS_PART_MISSING'));
    assert.ok(text.includes('Evidence'));
    await tui.press(...Array<string>(40).fill('down'));
    assert.ok(tui.text().includes('Fix'), 'scrolling reaches the fix');
    assert.ok(tui.text().includes('1. Unpack the whole'), 'the first fix step is shown');
    await tui.press('escape');
    assert.ok(!tui.text().includes('Evidence'), 'the details are closed');
    assert.ok(tui.text().includes('Findings: 2 errors'));
  });

  it('Enter on a network row shows where it comes from and which findings cite it', async (t) => {
    const tui = await open(160, 48);
    t.after(() => tui.close());
    const rows = networkRows(tui.screen.current);
    const target = rows.findIndex((e) => e.frame !== undefined && e.findingIds.includes('LOADS_PART_MISSING'));
    await tui.press('tab', 'tab', 'g', ...Array<string>(target).fill('down'), 'enter');
    const text = tui.text();
    assert.ok(text.includes(`capture.pcap frame ${rows[target]!.frame}`), 'the frame of the row is named');
    assert.ok(text.includes('Cited by'));
    assert.ok(text.includes(title('LOADS_PART_MISSING').slice(0, 40)));
  });

  it('/ filters the console and network rows; an empty filter shows them all again', async (t) => {
    const tui = await open(160, 48);
    t.after(() => tui.close());
    const all = networkRows(tui.screen.current);
    const withSb2 = all.filter((e) => e.text.toLowerCase().includes('sb2'));
    await tui.press('/', 's', 'b', '2', 'enter');
    assert.match(tui.text(), new RegExp(`Network \\(${withSb2.length}, filter "sb2"\\)`));
    await tui.press('/', 'backspace', 'backspace', 'backspace', 'enter');
    assert.match(tui.text(), new RegExp(`Network \\(${all.length}\\)`));
  });

  it('t shows the merged timeline, ? the keys, p pauses, e exports, s and b go to the console, q quits', async (t) => {
    const tui = await open(80, 24, true);
    t.after(() => tui.close());
    await tui.press('t');
    assert.ok(tui.text().includes('Merged timeline'));
    assert.match(tui.text(), /console +DHCP INIT/);
    await tui.press('escape', '?');
    assert.ok(tui.text().includes('export the ticket bundle'));
    await tui.press('escape', 'p');
    assert.ok(tui.text().includes('PAUSED'));
    const before = tui.text();
    tui.screen.setAnalysis({ ...analysis, phones: [] });
    await tui.settle();
    assert.equal(tui.text(), before, 'a paused screen keeps what it shows');
    await tui.press('p');
    assert.ok(!tui.text().includes('00:0e:84:c0:60:a6'), 'resuming shows the newest analysis');
    await tui.press('e');
    assert.ok(tui.text().includes('ticket bundle: written'));
    await tui.press('s', 'r', 'e', 's', 'e', 't', 'enter', 'b', 'q');
    assert.deepEqual(tui.calls, ['export 0', 'send reset', 'break', 'quit']);
  });

  it('names s and b in the footer only with a live console; without one they say so and nothing is sent', async (t) => {
    const replay = await open(80, 24);
    t.after(() => replay.close());
    const footer = (tui: HeadlessTui): string => tui.lines().at(-1)!;
    assert.doesNotMatch(footer(replay), /s send|b break/);
    assert.match(footer(replay), /q quit/);
    await replay.press('s');
    assert.match(footer(replay), /no live console/);
    await replay.press('b');
    assert.deepEqual(replay.calls, []);
    const live = await open(80, 24, true);
    t.after(() => live.close());
    assert.match(footer(live), /s send .*b break/);
    for (const line of [...replay.lines(), ...live.lines()]) assert.ok(line.length <= 80);
  });

  it('m lists every message with its time while the footer shows the newest in short; M notes a marker shown in the console pane', async (t) => {
    const tui = await open(80, 24, true);
    t.after(() => tui.close());
    const fix =
      'You may not capture on eth0: ' +
      'run "sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)" or add yourself ' +
      'to the wireshark group (sudo usermod -aG wireshark $USER), ' +
      'then log in again; the console keeps working meanwhile.';
    tui.screen.notify(fix);
    tui.screen.notify('ticket bundle: 5 files in /tmp/x');
    await tui.settle();
    assert.match(tui.lines().at(-1)!, /ticket bundle: 5 files in \/tmp\/x · m for more/);
    await tui.press('m');
    // The overlay's inside: from column 3 to 3 before the right edge (its border is at 2 and 77).
    const shown = tui
      .lines()
      .map((l) => l.slice(3, 77).trim())
      .join(' ');
    assert.ok(shown.replace(/\s+/g, ' ').includes(fix), 'the whole fix is shown, wrapped at word boundaries');
    assert.match(tui.text(), /\d\d:\d\d:\d\d You may not capture/);
    await tui.press('escape');
    assert.match(tui.lines().at(-1)!, /q quit/, 'after a key the footer names the keys again');
    tui.screen.addNote({ kind: 'sent', time: Date.now() / 1000, text: 'reset' });
    await tui.press('M', 'p', 'r', 'e', 's', 's', 'e', 'd', ' ', 'r', 'e', 's', 'e', 't', 'enter');
    assert.deepEqual(tui.calls, ['mark pressed reset']);
    assert.match(tui.text(), /→ sent: reset/, 'a line sent to the phone is in the console pane');
  });

  it("draws unfocused borders in the terminal's own colour and the focused one cyan; NO_COLOR leaves no colour at all", async (t) => {
    const tui = await open(80, 24);
    t.after(() => tui.close());
    const corner = (title: string): [number, number] => {
      const row = tui.lines().findIndex((l) => l.includes(title));
      return [row, tui.lines()[row]!.indexOf('┌')];
    };
    assert.equal(
      tui.foreground(...corner('Console (')),
      -1,
      'an unfocused border is neither black nor gray: it is the default colour, visible on any background',
    );
    assert.equal(tui.foreground(...corner('Findings')), 6, 'the focused border is cyan');
    const plainTui = await openHeadlessTui(initialState(analysis, [], SAMPLE_BANNER), 80, 24, 5, false);
    t.after(() => plainTui.close());
    for (let row = 0; row < 24; row++) {
      for (let column = 0; column < 80; column++) {
        assert.equal(plainTui.foreground(row, column), -1, `row ${row} column ${column} has a colour`);
        assert.equal(plainTui.background(row, column), -1, `row ${row} column ${column} has a background colour`);
      }
    }
    assert.ok(
      plainTui.text().includes('LOADS') || plainTui.text().includes('.loads file was served'),
      'the text is all there',
    );
  });

  it('a click focuses a pane and selects the row under it; the wheel moves the cursor', async (t) => {
    const tui = await open(160, 48);
    t.after(() => tui.close());
    // SGR mouse reports (xterm 1006): button 0 down and up, 1-based column and row; 64/65 the wheel.
    const click = (row: number, column: number): string[] => [
      `\x1b[<0;${column + 1};${row + 1}M`,
      `\x1b[<0;${column + 1};${row + 1}m`,
    ];
    const rows = networkRows(tui.screen.current);
    const target = rows.findIndex((e) => e.request?.file === 'SEP000E84C060A6.cnf.xml');
    const line = tui.lines().findIndex((l) => l.includes('✓ SEP000E84C060A6.cnf.xml'));
    const column = tui.lines()[line]!.indexOf('✓ SEP000E84C060A6.cnf.xml');
    await tui.press(...click(line, column));
    assert.equal(tui.screen.current.focus, 'network', 'the click focused the network pane');
    assert.equal(tui.screen.current.cursor.network, target, 'and put the cursor on the row clicked');
    await tui.press(`\x1b[<64;${column + 1};${line + 1}M`);
    assert.equal(tui.screen.current.cursor.network, Math.max(0, target - 3), 'the wheel up moved the cursor up');
    const findingsLine = tui.lines().findIndex((l) => l.includes('[2]'));
    await tui.press(...click(findingsLine, tui.lines()[findingsLine]!.indexOf('[2]')));
    assert.equal(tui.screen.current.focus, 'findings');
    assert.equal(tui.screen.current.selectedFinding, 1, 'a click on a finding selects it');
  });

  it('redraws at most once per refresh interval however fast analyses arrive', async (t) => {
    const tui = await open(80, 24);
    t.after(() => tui.close());
    let renders = 0;
    const render = tui.screen.render.bind(tui.screen);
    tui.screen.render = () => {
      renders++;
      render();
    };
    for (let i = 0; i < 1000; i++) tui.screen.setAnalysis(analysis);
    await tui.settle();
    assert.ok(renders >= 1 && renders <= 2, `${renders} redraws for 1000 analyses`);
  });
});

after(() => undefined);
