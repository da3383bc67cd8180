/**
 * `phonedoc tui` as a user runs it, in a real terminal (tmux): with no argument it replays the
 * bundled sample and shows its finding; q quits with exit code 0 and the terminal is as it was
 * (normal screen back with what it held, cursor shown).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { catalogEntry } from '../../src/findings/catalog.js';
import { cliPath, requireTool, until } from '../helpers.js';


describe('phonedoc tui in tmux', () => {
  it('shows the bundled sample and its finding with no argument; q quits and restores the terminal', async (t: TestContext) => {
    if (!requireTool(t, 'tmux', 'tmux')) return;
    const server = `phonedoc-tui-test-${process.pid}`;
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
    const screen = (): string => tmux('capture-pane', '-p', '-t', 'tui');
    try {
      const command = `echo BEFORE-TUI; ${process.execPath} ${cliPath} tui; echo "exit code $?"; sleep 60`;
      tmux('new-session', '-d', '-s', 'tui', '-x', '100', '-y', '30', command);
      const root = catalogEntry('LOADS_PART_MISSING').title;
      // The sample is replayed with its timing: the console line comes a moment after the root's lint.
      await until('the sample and its finding', () => screen().includes(root) && screen().includes('Protocol Application Invalid'));
      const shown = screen();
      assert.match(shown, /replaying the bundled sample captures\/loads-part-missing/);
      assert.match(shown, /00:0e:84:c0:60:a6/);
      assert.match(shown, /P0S3-8-12-00\.sb2/, 'the transfer that failed');
      assert.equal(tmux('display', '-p', '-t', 'tui', '#{alternate_on}').trim(), '1', 'the TUI draws on the alternate screen');

      tmux('send-keys', '-t', 'tui', 'Enter');
      await until('the details of the finding', () => /Fix|Evidence/.test(screen()));
      tmux('send-keys', '-t', 'tui', 'q');
      await until('the TUI to end', () => /exit code 0/.test(screen()));
      const after = screen();
      assert.match(after, /BEFORE-TUI\nexit code 0/, 'the shell\'s screen is back as it was');
      assert.doesNotMatch(after, /Findings:/);
      assert.equal(tmux('display', '-p', '-t', 'tui', '#{alternate_on}').trim(), '0', 'back on the normal screen');
      assert.equal(tmux('display', '-p', '-t', 'tui', '#{cursor_flag}').trim(), '1', 'the cursor is shown again');
    } finally {
      try {
        tmux('kill-server');
      } catch {
        // Already gone.
      }
    }
  });
});
