/**
 * `phonedoc console` in a real terminal (tmux), on a socat pty pair standing in for the
 * adapter: the status row, a prompt from the phone, a typed command arriving at the far
 * end, the escape menu, and quitting through it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { SerialPort } from 'serialport';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { cliPath, requireTool, until } from '../helpers.js';
import { tmuxServer } from '../tmux.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('phonedoc console in tmux', () => {
  it('shows the settings and the phone, sends a typed command to the far end, and quits through the escape menu', async (t: TestContext) => {
    if (!requireTool(t, 'socat', 'socat') || !requireTool(t, 'tmux', 'tmux')) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-tmux-'));
    const consolePath = path.join(dir, 'console');
    const phonePath = path.join(dir, 'phone');
    const logFile = path.join(dir, 'session.log');
    const { tmux, killServer } = tmuxServer('test');
    const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', 'console');
    let socat: ChildProcess | undefined;
    let phone: SerialPort | undefined;
    try {
      socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${consolePath}`, `pty,raw,echo=0,link=${phonePath}`], {
        stdio: 'ignore',
      });
      await until('socat links', () => existsSync(consolePath) && existsSync(phonePath));
      const far = new SerialPort({ path: phonePath, baudRate: 9600 });
      phone = far;
      let heard = '';
      far.on('data', (d: Buffer) => (heard += d.toString('latin1')));
      far.on('error', () => undefined);

      const command =
        `${process.execPath} ${cliPath} console --port ${consolePath} --log ${logFile}; ` +
        `echo "exit code $?"; sleep 60`;
      tmux('new-session', '-d', '-s', 'console', '-x', '120', '-y', '30', command);
      const statusRow = (): string =>
        screen()
          .split('\n')
          .filter((l) => l.trim())
          .at(-1) ?? '';
      await until('the status row', () =>
        /9600 8N1, no flow control · phone not identified yet · Ctrl-] menu/.test(statusRow()),
      );
      assert.match(screen(), /at 9600 8N1, no flow control \(the 7940\/7960 console settings are not documented/);

      far.write('DHCP BOUND\r\nUser-Agent: Cisco-CP7960G/8.0\r\nSIP Phone> ');
      await until('the prompt on screen', () => /SIP Phone> *$/m.test(screen()));
      await until('the phone in the status row', () => /CP-7960 SIP 8\.0 · DHCP BOUND/.test(screen()));

      // A person types after the prompt has sat there a while: the prompt is a line of its own by then.
      await sleep(400);
      tmux('send-keys', '-t', 'console', 'show register', 'Enter');
      await until('the command at the far end', () => heard === 'show register\r');
      far.write('show register\r\nLINE 1: registered\r\n');
      await until('the echo after the prompt on one row', () => /SIP Phone> show register/.test(screen()));

      tmux('send-keys', '-t', 'console', 'C-]');
      await until('the menu', () => /menu, press a key:\n.*q +quit\n.*b +send a break to the phone/.test(screen()));
      tmux('send-keys', '-t', 'console', 'q');
      await until('the session to end', () => /exit code 0/.test(screen()));
      assert.match(screen(), /lines logged in .*session\.log/);
      assert.equal(heard, 'show register\r', 'the escape key and the menu key never reach the phone');

      const log = readConsoleLog(readFileSync(logFile, 'utf8'));
      assert.deepEqual(
        log.lines.map((l) => l.text),
        ['DHCP BOUND', 'User-Agent: Cisco-CP7960G/8.0', 'SIP Phone> ', 'show register', 'LINE 1: registered'],
      );
    } finally {
      killServer();
      await new Promise<void>((resolve) => (phone?.isOpen ? phone.close(() => resolve()) : resolve()));
      socat?.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
