/**
 * `phonedoc tui` as a user runs it, in a real terminal (tmux): with no argument it replays the
 * bundled sample and shows its finding; q quits with exit code 0 and the terminal is as it was
 * (normal screen back with what it held, cursor shown).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { catalogEntry } from '../../src/findings/catalog.js';
import { bundledSampleInputs } from '../../src/tui/inputs.js';
import { rowParts } from '../../src/tui/rows-pane.js';
import { initialState } from '../../src/tui/state.js';
import { currentPhone, networkRows } from '../../src/tui/view-model.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { cliPath, repoRoot, requireTool, until } from '../helpers.js';
import { tmuxServer } from '../tmux.js';

describe('phonedoc tui in tmux', () => {
  it('shows the bundled sample and its finding with no argument; q quits and restores the terminal', async (t: TestContext) => {
    if (!requireTool(t, 'tmux', 'tmux')) return;
    const { tmux, killServer } = tmuxServer('tui-test');
    const screen = (): string => tmux('capture-pane', '-p', '-t', 'tui');
    try {
      const command = `echo BEFORE-TUI; ${process.execPath} ${cliPath} tui; echo "exit code $?"; sleep 60`;
      tmux('new-session', '-d', '-s', 'tui', '-x', '100', '-y', '30', command);
      const root = catalogEntry('LOADS_PART_MISSING').title;
      // The sample is replayed with its timing: the console line comes a moment after the root's lint.
      await until(
        'the sample and its finding',
        () => screen().includes(root) && screen().includes('Protocol Application Invalid'),
      );
      const shown = screen();
      assert.match(shown, /replaying the bundled sample captures\/loads-part-missing/);
      assert.match(shown, /00:0e:84:c0:60:a6/);
      assert.match(shown, /P0S3-8-12-00\.sb2/, 'the transfer that failed');
      assert.equal(
        tmux('display', '-p', '-t', 'tui', '#{alternate_on}').trim(),
        '1',
        'the TUI draws on the alternate screen',
      );

      tmux('send-keys', '-t', 'tui', 'Enter');
      await until('the details of the finding', () => /Fix|Evidence/.test(screen()));
      tmux('send-keys', '-t', 'tui', 'q');
      await until('the TUI to end', () => /exit code 0/.test(screen()));
      const after = screen();
      assert.match(after, /BEFORE-TUI\nexit code 0/, "the shell's screen is back as it was");
      assert.doesNotMatch(after, /Findings:/);
      assert.equal(tmux('display', '-p', '-t', 'tui', '#{alternate_on}').trim(), '0', 'back on the normal screen');
      assert.equal(tmux('display', '-p', '-t', 'tui', '#{cursor_flag}').trim(), '1', 'the cursor is shown again');
      assert.equal(
        tmux('display', '-p', '-t', 'tui', '#{mouse_any_flag}').trim(),
        '0',
        'the mouse is no longer reported',
      );
    } finally {
      killServer();
    }
  });
});

const BUNDLES = readdirSync(path.join(repoRoot, 'captures'))
  .filter((d) => statSync(path.join(repoRoot, 'captures', d)).isDirectory())
  .sort();

describe('phonedoc tui in tmux, every bundle', () => {
  for (const [columns, rows] of [
    [80, 24],
    [200, 60],
  ] as const) {
    it(`at ${columns}×${rows}: moving through the network rows shows the file and outcome of every failing request whole`, async (t: TestContext) => {
      if (!requireTool(t, 'tmux', 'tmux')) return;
      const { tmux, killServer } = tmuxServer('tui-bundles');
      const screen = (): string => tmux('capture-pane', '-p', '-t', 'tui');
      try {
        // A session that outlives each bundle's, so the server does not exit between them.
        tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
        for (const bundle of BUNDLES) {
          const inputs = bundledSampleInputs(bundle);
          const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
          const state = initialState(analysis, []);
          const phone = currentPhone(state);
          if (!phone) continue;
          const shown = networkRows(state);
          if (!shown.some((e) => e.request && e.request.answer !== 'found' && e.request.answer !== 'unknown')) continue;
          const args = [
            ...inputs.captures.flatMap((f) => ['--capture', f]),
            ...inputs.consoles.flatMap((f) => ['--console-file', f]),
            ...inputs.serverLogs.flatMap((f) => ['--server-log', f]),
            ...(inputs.tftpRoot ? ['--tftp-root', inputs.tftpRoot] : []),
          ];
          tmux(
            'new-session',
            '-d',
            '-s',
            'tui',
            '-x',
            String(columns),
            '-y',
            String(rows),
            `${process.execPath} ${cliPath} tui ${args.join(' ')}; sleep 60`,
          );
          await until(`${bundle}: its network rows`, () => screen().includes(`Network (${shown.length})`), 20_000);
          // From the findings (the focus at start), Tab twice is the network pane; g its first row.
          tmux('send-keys', '-t', 'tui', 'Tab', 'Tab', 'g');
          for (const [i, row] of shown.entries()) {
            if (i > 0) tmux('send-keys', '-t', 'tui', 'j');
            if (!row.request || row.request.answer === 'found' || row.request.answer === 'unknown') continue;
            const lead = rowParts(row).lead.replace(/\s+/g, ' ');
            // The row under the cursor is drawn in full, wrapped inside the pane.
            const joined = (): string => {
              const lines = screen().split('\n');
              const top = lines.findIndex((l) => l.includes('Network ('));
              const left = lines[top]!.lastIndexOf('┌', lines[top]!.indexOf('Network ('));
              const right = lines[top]!.indexOf('┐', left);
              return lines
                .slice(top + 1)
                .map((l) => l.slice(left + 1, right))
                .join(' ')
                .replace(/\s+/g, ' ');
            };
            await until(`${bundle} ${columns}×${rows}: "${lead}" on screen`, () => joined().includes(lead), 5000);
            for (const line of screen().split('\n')) assert.ok(line.length <= columns);
          }
          tmux('send-keys', '-t', 'tui', 'q');
          tmux('kill-session', '-t', 'tui');
        }
      } finally {
        killServer();
      }
    });
  }
});

describe('phonedoc tui and colour', () => {
  /** SGR parameters that set a foreground or background colour (30–37, 40–47, 90–97, 100–107, 38;…, 48;…). */
  const COLOUR_SGR = /\x1b\[(?:[\d;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[\d;]*)?m/;

  for (const [label, args, env] of [
    ['--color never', ['--color', 'never', 'tui'], ''],
    ['tui --color never', ['tui', '--color', 'never'], ''],
    ['NO_COLOR', ['tui'], 'NO_COLOR=1 '],
  ] as const) {
    it(`${label}: the screen has no colour at all; by default it has`, async (t: TestContext) => {
      if (!requireTool(t, 'tmux', 'tmux')) return;
      const { tmux, killServer } = tmuxServer('tui-colour');
      const screen = (session: string): string => tmux('capture-pane', '-p', '-e', '-t', session);
      const title = catalogEntry('LOADS_PART_MISSING').title;
      try {
        tmux(
          'new-session',
          '-d',
          '-s',
          'plain',
          '-x',
          '120',
          '-y',
          '40',
          `env -u NO_COLOR ${env}${process.execPath} ${cliPath} ${args.join(' ')}; sleep 60`,
        );
        tmux(
          'new-session',
          '-d',
          '-s',
          'coloured',
          '-x',
          '120',
          '-y',
          '40',
          `env -u NO_COLOR ${process.execPath} ${cliPath} tui; sleep 60`,
        );
        await until(
          'both screens to show the finding',
          () => screen('plain').includes(title) && screen('coloured').includes(title),
          30_000,
        );
        assert.match(screen('coloured'), COLOUR_SGR, 'by default the screen is coloured');
        assert.doesNotMatch(screen('plain'), COLOUR_SGR, `${label}: no colour`);
        assert.match(screen('plain'), /\x1b\[[\d;]*1[;m]|\x1b\[[\d;]*7[;m]/, 'bold and inverse stay');
      } finally {
        killServer();
      }
    });
  }
});
