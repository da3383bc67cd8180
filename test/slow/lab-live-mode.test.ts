/**
 * `npm run lab -- SCENARIO --live` as a demonstration needs it: the lab comes up, prints the
 * command that starts the TUI against it, the phone's console lines arrive on the printed
 * pseudo-terminal boot after boot (the phone retries), the printed command works (the TUI shows
 * the scenario's root cause), and Ctrl-C takes the lab down. Needs root.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { catalogEntry } from '../../src/findings/catalog.js';
import { repoRoot, requireTool, until } from '../helpers.js';
import { tmuxServer } from '../tmux.js';

test("the live lab prints the TUI's command, feeds the phone's console to its pty boot after boot, and stops on Ctrl-C", {
  timeout: 120_000,
}, async (t) => {
  if (process.getuid?.() !== 0) {
    if (process.env.CI === 'true') throw new Error('the live lab needs root under CI');
    t.skip('needs root (network namespaces)');
    return;
  }
  for (const [tool, pkg] of [
    ['dnsmasq', 'dnsmasq-base'],
    ['in.tftpd', 'tftpd-hpa'],
    ['socat', 'socat'],
    ['tmux', 'tmux'],
    ['tcpdump', 'tcpdump'],
  ] as const) {
    if (!requireTool(t, tool, pkg)) return;
  }
  const lab = spawn(
    process.execPath,
    [path.join(repoRoot, 'dist', 'test', 'lab', 'run-scenario.js'), 'loads-part-missing', '--live'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let printed = '';
  lab.stdout.on('data', (d: Buffer) => {
    printed += d.toString();
  });
  lab.stderr.on('data', (d: Buffer) => {
    printed += d.toString();
  });
  const labEnded = new Promise<number | null>((resolve) => lab.on('close', (code) => resolve(code)));
  const { tmux, killServer } = tmuxServer('lab-live');
  let reader: ReturnType<typeof spawn> | undefined;
  try {
    await until('the command to start the TUI', () => /\n {2}ip netns exec .* tui .*\n/.test(printed), 60_000);
    const command = /\n {2}(ip netns exec .* tui .*)\n/.exec(printed)![1]!;
    const port = /--port (\S+)/.exec(command)![1]!;
    assert.match(port, /^\/dev\/pts\/\d+$/, 'the console is a pseudo-terminal');
    assert.match(command, /--iface br0\b/);
    const logs = [...command.matchAll(/--server-log (\S+)/g)].map((m) => m[1]!);
    assert.equal(logs.length, 2, "the TFTP server's and the DHCP server's logs");
    const root = /--tftp-root (\S+)/.exec(command)![1]!;
    assert.ok(statSync(root).isDirectory());
    assert.ok(existsSync(path.join(root, 'P0S3-8-12-00.loads')), "the scenario's TFTP root");
    const namespace = /ip netns exec (\S+)/.exec(command)![1]!;

    let consoleText = '';
    reader = spawn('cat', [port], { stdio: ['ignore', 'pipe', 'ignore'] });
    reader.stdout!.on('data', (d: Buffer) => {
      consoleText += d.toString('latin1');
    });
    // The phone fails (its .sb2 is missing) and boots again: two boots' console lines on the pty.
    await until(
      'two boots on the console',
      () => (consoleText.match(/Protocol Application Invalid/g) ?? []).length >= 2,
      60_000,
    );
    assert.match(consoleText, /DHCP BOUND/);
    reader.kill();
    reader = undefined;
    for (const log of logs) assert.ok(statSync(log).size > 0, `${log} is written as the servers log`);

    // The printed command starts the TUI against the lab (its session files kept out of root's home).
    const sessionDir = mkdtempSync(path.join(tmpdir(), 'phonedoc-lab-live-session-'));
    t.after(() => rmSync(sessionDir, { recursive: true, force: true }));
    tmux('new-session', '-d', '-s', 'tui', '-x', '160', '-y', '48', `${command} --session-dir ${sessionDir}; sleep 60`);
    const title = catalogEntry('LOADS_PART_MISSING').title;
    await until(
      'the root cause on the TUI',
      () => tmux('capture-pane', '-p', '-J', '-t', 'tui').includes(title),
      60_000,
    );
    // A marker with a note, then an export: the note is in the console log, the
    // ticket's report and, as a frame comment, its capture.
    const consoleLog = (): string =>
      readdirSync(sessionDir)
        .filter((f) => /^console-.*\.log$/.test(f))
        .map((f) => readFileSync(path.join(sessionDir, f), 'latin1'))
        .join('');
    // The phone's next boot on the TUI's own console log ties that log to the phone.
    await until("a boot on the TUI's console", () => /Protocol Application Invalid/.test(consoleLog()), 30_000);
    tmux('send-keys', '-t', 'tui', 'M');
    tmux('send-keys', '-t', 'tui', '-l', 'pressed reset');
    tmux('send-keys', '-t', 'tui', 'Enter');
    await until(
      'the marker in the console log',
      () => /# phonedoc console marker .*pressed reset/.test(consoleLog()),
      10_000,
    );
    // A frame after the marker to carry its comment: the phone's next boot.
    await until('a boot after the marker', () => /pressed reset[\s\S]*DHCP BOUND/.test(consoleLog()), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    tmux('send-keys', '-t', 'tui', 'e');
    const ticket = (): string | undefined => readdirSync(sessionDir).find((f) => f.startsWith('phonedoc-ticket-'));
    await until(
      'the exported ticket',
      () => ticket() !== undefined && existsSync(path.join(sessionDir, ticket()!, 'report.md')),
      30_000,
    );
    const bundle = path.join(sessionDir, ticket()!);
    assert.match(readFileSync(path.join(bundle, 'report.md'), 'utf8'), /marker: pressed reset/);
    const pcapngs = readdirSync(bundle).filter((f) => f.endsWith('.pcapng'));
    assert.ok(
      pcapngs.some((f) => readFileSync(path.join(bundle, f)).includes('pressed reset')),
      "the marker is a frame comment in the ticket's capture",
    );
    tmux('send-keys', '-t', 'tui', 'q');

    lab.kill('SIGINT');
    assert.notEqual(await labEnded, null);
    assert.ok(
      !execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes(namespace),
      "Ctrl-C removes the lab's namespaces",
    );
  } finally {
    reader?.kill();
    if (lab.exitCode === null && lab.signalCode === null) lab.kill('SIGINT');
    await labEnded;
    killServer();
  }
});
