/**
 * `phonedoc console` on real pseudo-terminals: socat makes a pty pair that stands in for the
 * USB-serial adapter and its cable (library-notes: serialport takes a socat pty for a real
 * serial device); the test plays the phone on the far end, writing a boot recorded by the
 * lab's simulated phone (captures/loads-part-missing) plus console lines quoted in
 * phone-facts 1.1/1.2, with their timing. The CLI runs as a user runs it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { SerialPort } from 'serialport';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { parseConsoleLog } from '../../parsers/console/parse.js';
import { cliPath, nth, repoRoot, requireTool, until } from '../helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A socat pty pair: `console` for phonedoc, `phone` for the test. Same names every time it starts. */
class PtyPair {
  private socat: ChildProcess | undefined;
  constructor(
    readonly console: string,
    readonly phone: string,
  ) {}

  async start(): Promise<void> {
    this.socat = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.console}`, `pty,raw,echo=0,link=${this.phone}`],
      { stdio: 'ignore' },
    );
    await until('socat links', () => existsSync(this.console) && existsSync(this.phone));
  }

  /** The adapter is unplugged: the pair goes away and its names with it. */
  async stop(): Promise<void> {
    const socat = this.socat;
    if (!socat || socat.exitCode !== null) return;
    const exited = new Promise((r) => socat.once('exit', r));
    socat.kill('SIGTERM');
    await exited;
    this.socat = undefined;
  }
}

/** The phone's end of the cable. */
async function openPhone(
  file: string,
): Promise<{ port: SerialPort; heard: () => string; say(text: string): Promise<void>; close(): Promise<void> }> {
  const port = new SerialPort({ path: file, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  let heard = '';
  port.on('data', (d: Buffer) => (heard += d.toString('latin1')));
  port.on('error', () => undefined);
  return {
    port,
    heard: () => heard,
    say: (text) =>
      new Promise((resolve, reject) =>
        port.write(Buffer.from(text, 'latin1'), (err) => (err ? reject(err) : port.drain(() => resolve()))),
      ),
    close: () => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

interface Cli {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Cli {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** The boot: the simulated phone's console lines with their recorded gaps, then lines quoted in phone-facts. */
function bootScript(): { text: string; gapMs: number }[] {
  const recorded = readConsoleLog(
    readFileSync(path.join(repoRoot, 'captures', 'loads-part-missing', 'console-sep000e84c060a6.log'), 'utf8'),
  ).lines;
  const script = recorded.map((l, i) => ({
    text: l.text,
    // Recorded gaps, capped: the order and the pauses matter here, not the seconds.
    gapMs: i === 0 ? 0 : Math.min(300, ((l.hostTime ?? NaN) - (nth(recorded, i - 1).hostTime ?? NaN)) * 1000),
  }));
  return [
    ...script,
    { text: "Enabling bug logging on this terminal - use 'tty mon 0' to disable", gapMs: 50 },
    {
      text:
        '[17:00:53:148195] sipTransportSendMessage:Sent SIP message to <5.79.5.158>:<5060>, ' +
        'handle=<3>, length=<567>, message=',
      gapMs: 0,
    },
    { text: 'REGISTER sip:3cx.voiceflare.co.uk SIP/2.0', gapMs: 0 },
    { text: 'User-Agent: Cisco-CP7960G/8.0', gapMs: 0 },
    { text: '', gapMs: 20 },
  ];
}

function consoleLog(dir: string): string {
  const [file] = readdirSync(dir).filter((f) => f.endsWith('.log'));
  assert.ok(file, `a log file in ${dir}`);
  return readFileSync(path.join(dir, file), 'utf8');
}

/** What an event says, without where and when it was seen. */
function meaning(e: object): object {
  const { line: _line, hostTime: _hostTime, continuationOf: _c, ...rest } = e as Record<string, unknown>;
  return rest;
}

describe('phonedoc console on a socat pty pair', () => {
  let work = '';
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'phonedoc-console-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('records a boot: every line once, in order, with monotonic first-byte times; a prompt without newline shows; the lines become the expected events', async (t: TestContext) => {
    if (!requireTool(t, 'socat', 'socat')) return;
    const dir = mkdtempSync(path.join(work, 'boot-'));
    const pair = new PtyPair(path.join(dir, 'console'), path.join(dir, 'phone'));
    await pair.start();
    const phone = await openPhone(pair.phone);
    const logs = path.join(dir, 'logs');
    const cli = runCli(['console', '--port', pair.console], { PHONEDOC_CONSOLE_DIR: logs });
    try {
      await until('the session to start', () => cli.out().includes('connected to'));
      assert.match(cli.out(), /at 9600 8N1, no flow control \(the 7940\/7960 console settings are not documented/);
      const script = bootScript();
      const sentAt: number[] = [];
      for (const { text, gapMs } of script) {
        await sleep(gapMs);
        sentAt.push(Date.now());
        await phone.say(`${text}\r\n`);
      }
      sentAt.push(Date.now());
      await phone.say('Password :');
      await until('the prompt without a newline on screen', () => cli.out().includes('Password :'), 3000);

      phone.port.flush();
      cli.child.stdin?.write('cisco\r');
      await until('typed keys at the phone', () => phone.heard() === 'cisco\r');

      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit, 0, cli.err());
      const text = consoleLog(logs);
      const log = readConsoleLog(text);
      const sent = [...script.map((s) => s.text), 'Password :'];
      assert.deepEqual(
        log.lines.map((l) => l.text),
        sent,
        'every line once, in order',
      );
      const times = log.lines.map((l) => Math.round((l.hostTime ?? NaN) * 1000));
      times.forEach((time, i) => {
        assert.ok(i === 0 || time >= nth(times, i - 1), `line ${i + 1}: time does not go back`);
        // Stamped when its first byte arrived: not before the phone sent it, and well before the next line.
        assert.ok(
          time >= nth(sentAt, i) && time <= nth(sentAt, i) + 1000,
          `line ${i + 1} stamped ${time - nth(sentAt, i)} ms after it was sent`,
        );
      });

      // The same events as the console parser makes of the phone's text read as a file.
      const expected = parseConsoleLog(`${sent.join('\r\n')}`).events;
      const got = parseConsoleLog(text).events;
      assert.deepEqual(got.map(meaning), expected.map(meaning));
      // ... and the ones phone-facts says these lines are.
      const kinds = got
        .filter((e) => e.kind !== 'raw')
        .map((e) => [
          e.kind,
          'state' in e
            ? e.state
            : 'code' in e
              ? e.code
              : 'file' in e
                ? e.file
                : 'version' in e
                  ? `${e.model} ${e.version}`
                  : e.raw,
        ]);
      assert.deepEqual(kinds, [
        ['dhcp', 'DHCP INIT'],
        ['dhcp', 'DHCP REQUESTING'],
        ['dhcp', 'DHCP BOUND'],
        ['status', 'SEP000E84C060A6.cnf.xml'],
        ['error', 'PROTOCOL_APPLICATION_INVALID'],
        ['status', "Enabling bug logging on this terminal - use 'tty mon 0' to disable"],
        ['version', '7960 8.0'],
        ['prompt', 'Password :'],
      ]);
    } finally {
      cli.child.kill('SIGKILL');
      await phone.close();
      await pair.stop();
    }
  });

  it('reconnects on its own when the adapter is unplugged and comes back under the same name; the log has every line once with the gap marked', async (t: TestContext) => {
    if (!requireTool(t, 'socat', 'socat')) return;
    const dir = mkdtempSync(path.join(work, 'unplug-'));
    const pair = new PtyPair(path.join(dir, 'console'), path.join(dir, 'phone'));
    await pair.start();
    const logFile = path.join(dir, 'session.log');
    const cli = runCli(['console', '--port', pair.console, '--log', logFile]);
    const before = Array.from({ length: 200 }, (_, i) => `before unplug line ${i + 1}`);
    const afterLines = Array.from({ length: 200 }, (_, i) => `after replug line ${i + 1}`);
    let phone = await openPhone(pair.phone);
    try {
      await until('the session to start', () => cli.out().includes('connected to'));
      for (const text of before) await phone.say(`${text}\r\n`);
      await until(
        'the lines before the unplug in the log',
        () => readConsoleLog(readFileSync(logFile, 'utf8')).lines.length === before.length,
      );
      await phone.close();
      await pair.stop();
      await until('the session to notice', () =>
        cli.out().includes(`disconnected, waiting for ${pair.console} (the adapter was unplugged)`),
      );
      await sleep(700);
      await pair.start();
      phone = await openPhone(pair.phone);
      await until('the session to reconnect', () => cli.out().includes(`reconnected to ${pair.console}`));
      for (const text of afterLines) await phone.say(`${text}\r\n`);
      await until(
        'the lines after the replug in the log',
        () => readConsoleLog(readFileSync(logFile, 'utf8')).lines.length === before.length + afterLines.length,
      );
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit, 0, cli.err());

      const log = readConsoleLog(readFileSync(logFile, 'utf8'));
      assert.deepEqual(
        log.lines.map((l) => l.text),
        [...before, ...afterLines],
        'every line once, in order',
      );
      const marks = log.header.map((h) => h.text.split(' ')[3]);
      assert.deepEqual(marks, ['log', 'disconnected', 'reconnected', 'closed']);
      const [gapStart, gapEnd] = [nth(log.header, 1).line, nth(log.header, 2).line];
      assert.ok(
        gapStart === before.length + 2 && gapEnd === gapStart + 1,
        'the gap sits between the last line before and the first after',
      );
      assert.match(nth(log.header, 2).text, /gap-ms=\d+/);
    } finally {
      cli.child.kill('SIGKILL');
      await phone.close();
      await pair.stop();
    }
  });

  it('the log gives back exactly the bytes sent down the cable (console --replay --raw): every byte value, every line end, a CR and its LF in two writes, a line over the cap, a prompt flushed idle', async (t: TestContext) => {
    if (!requireTool(t, 'socat', 'socat')) return;
    const dir = mkdtempSync(path.join(work, 'bytes-'));
    const pair = new PtyPair(path.join(dir, 'console'), path.join(dir, 'phone'));
    await pair.start();
    const logFile = path.join(dir, 'session.log');
    const cli = runCli(['console', '--port', pair.console, '--log', logFile]);
    const phone = await openPhone(pair.phone);
    const writes: { text: string; gapMs: number }[] = [
      { text: Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1'), gapMs: 0 },
      { text: 'LF\nCR\rCRLF\r\nLF CR\n\r\\x41 \\\\ \\x0d\r\n# phonedoc console log bytes=raw\r', gapMs: 50 },
      // The LF of a CR LF in the next write, soon and then after the idle time.
      { text: '\nDHCP BOUND\r', gapMs: 50 },
      { text: '\nTFTP Timeout\r', gapMs: 50 },
      { text: '\n', gapMs: 400 },
      { text: `${'A'.repeat(5000)}\r\n`, gapMs: 50 },
      { text: 'Password :', gapMs: 50 },
    ];
    try {
      await until('the session to start', () => cli.out().includes('connected to'));
      for (const { text, gapMs } of writes) {
        await sleep(gapMs);
        await phone.say(text);
      }
      await until('the prompt flushed', () => cli.out().includes('Password :'), 3000);
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit, 0, cli.err());
      const raw = spawnSync(process.execPath, [cliPath, 'console', '--replay', logFile, '--raw'], {
        encoding: 'buffer',
      });
      assert.equal(raw.status, 0, raw.stderr.toString());
      assert.equal(raw.stderr.length, 0, 'every line end is in the log');
      assert.deepEqual(raw.stdout, Buffer.from(writes.map((w) => w.text).join(''), 'latin1'));
    } finally {
      cli.child.kill('SIGKILL');
      await phone.close();
      await pair.stop();
    }
  });

  it('suggests other baud rates when what arrives is mostly not printable, and still logs it', async (t: TestContext) => {
    if (!requireTool(t, 'socat', 'socat')) return;
    const dir = mkdtempSync(path.join(work, 'baud-'));
    const pair = new PtyPair(path.join(dir, 'console'), path.join(dir, 'phone'));
    await pair.start();
    const phone = await openPhone(pair.phone);
    const logFile = path.join(dir, 'noise.log');
    const cli = runCli(['console', '--port', pair.console, '--log', logFile]);
    try {
      await until('the session to start', () => cli.out().includes('connected to'));
      // What 9600-baud text looks like read at another rate: bytes with the high bit set, few line ends.
      const noise = Array.from({ length: 400 }, (_, i) => String.fromCharCode(0x80 + ((i * 37) % 0x7f))).join('');
      await phone.say(`${noise}\r\n`);
      await until('the hint', () =>
        /the baud rate may be wrong\. It is 9600 now; try --baud 115200, 57600, 38400, 19200, 4800, 2400\./.test(
          cli.out(),
        ),
      );
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exit, 0);
      assert.deepEqual(
        readConsoleLog(readFileSync(logFile, 'utf8')).lines.map((l) => l.text),
        [noise],
        'the noise is logged as received',
      );
    } finally {
      cli.child.kill('SIGKILL');
      await phone.close();
      await pair.stop();
    }
  });

  it('cannot open: a path that does not exist, a port in use, no permission: one sentence with the fix, exit 2', async (t: TestContext) => {
    if (!requireTool(t, 'socat', 'socat')) return;
    const missing = runCli(['console', '--port', path.join(work, 'no-such-adapter')]);
    assert.equal(await missing.exit, 2);
    assert.match(
      missing.err(),
      /^phonedoc: \S+no-such-adapter does not exist: plug in the USB-serial adapter, or run "phonedoc ports"/,
    );

    const dir = mkdtempSync(path.join(work, 'busy-'));
    const pair = new PtyPair(path.join(dir, 'console'), path.join(dir, 'phone'));
    await pair.start();
    const holder = await openPhone(pair.console);
    try {
      const busy = runCli(['console', '--port', pair.console]);
      assert.equal(await busy.exit, 2);
      assert.match(
        busy.err(),
        /is in use by another program \(tio, picocom, minicom, screen or ModemManager\): close that program and try again\.\n$/,
      );
      assert.equal(
        readdirSync(dir).filter((f) => f.endsWith('.log')).length,
        0,
        'no log for a session that never opened',
      );
    } finally {
      await holder.close();
    }

    // As an unprivileged user (root opens any device): the pty belongs to root, group tty, mode 0620.
    // Its /dev/pts path, since the test's temporary folder is closed to other users.
    if (process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v setpriv']).status === 0) {
      const denied = spawnSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          cliPath,
          'console',
          '--port',
          realpathSync(pair.console),
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, PHONEDOC_CONSOLE_DIR: path.join(tmpdir(), 'phonedoc-nobody') },
        },
      );
      assert.equal(denied.status, 2, denied.stderr);
      const group = spawnSync('stat', ['-c', '%G', realpathSync(pair.console)], { encoding: 'utf8' }).stdout.trim();
      assert.match(
        denied.stderr,
        group === 'root'
          ? /Permission denied on \/dev\/pts\/\d+: only root may open it; run phonedoc with sudo, or give the device to the dialout group/
          : new RegExp(
              `Permission denied on /dev/pts/\\d+: add yourself to the ${group} group ` +
                `\\(sudo usermod -aG ${group} \\$USER\\), then log out and in again\\.`,
            ),
      );
    }
    await pair.stop();
  });
});
