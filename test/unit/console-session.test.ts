import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { readConsoleLog, receivedWithLineEnd } from '../../parsers/console/log-lines.js';
import { parseConsoleLog } from '../../parsers/console/parse.js';
import { openRecorder } from '../../src/console/recorder.js';
import { createScreen } from '../../src/console/screen.js';
import { ConsoleSession } from '../../src/console/session.js';
import { runConsoleTerminal } from '../../src/console/terminal.js';
import type { ConsoleEndpoint, LinkHandlers } from '../../src/console/transport.js';
import { OpenFailure } from '../../src/console/transport.js';
import { nth, until } from '../helpers.js';

/** An endpoint in memory: the test plays the phone (and pulls the plug) through it. */
function fakeEndpoint(): {
  endpoint: ConsoleEndpoint;
  phone: {
    say(text: string): void;
    unplug(): void;
    plugIn(): void;
    received: string[];
    breaks: number;
    connects: number;
  };
} {
  let handlers: LinkHandlers | undefined;
  let plugged = true;
  const phone = {
    received: [] as string[],
    breaks: 0,
    connects: 0,
    say: (text: string) => handlers?.data(Buffer.from(text, 'latin1')),
    unplug: () => {
      plugged = false;
      const h = handlers;
      handlers = undefined;
      h?.lost('the adapter was unplugged');
    },
    plugIn: () => {
      plugged = true;
    },
  };
  const endpoint: ConsoleEndpoint = {
    label: '/dev/serial/by-id/usb-test-if00-port0',
    logFields: { port: '/dev/serial/by-id/usb-test-if00-port0' },
    logName: 'usb-test',
    settings: '9600 8N1, no flow control',
    defaultEnter: 'cr',
    connect: async (h) => {
      if (!plugged) throw new OpenFailure('/dev/serial/by-id/usb-test-if00-port0 does not exist');
      handlers = h;
      phone.connects++;
      return {
        write: (bytes) => phone.received.push(Buffer.from(bytes).toString('latin1')),
        sendBreak: async () => {
          phone.breaks++;
        },
        close: async () => {
          handlers = undefined;
        },
      };
    },
  };
  return { endpoint, phone };
}

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-session-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function start(extra: { password?: string; send?: string[] } = {}, tty = false) {
  const { endpoint, phone } = fakeEndpoint();
  const keys = new PassThrough();
  let shown = '';
  const screen = createScreen({ out: { write: (t: string) => (shown += t) }, tty, rows: 24, columns: 200 });
  const file = path.join(dir, 'console.log');
  const session = runConsoleTerminal(
    new ConsoleSession({
      endpoint,
      openRecorder: (at) => openRecorder(file, endpoint.logFields, at),
      reconnectIntervalMs: 10,
      idleMs: 50,
      ...extra,
    }),
    screen,
    keys,
  );
  return { phone, keys, session, file, shown: () => shown };
}

describe('console session (in memory: a fake link stands in for the port)', () => {
  it('logs every line once, in order, across an unplug, with the gap marked and the prompt flushed', async () => {
    const s = start({}, true);
    await until('connect', () => s.phone.connects === 1);
    s.phone.say('DHCP INIT\r\nDHCP BOU');
    s.phone.say('ND\r\nSEP000E84C060A6.cnf.');
    s.phone.unplug();
    await tick(40);
    assert.match(
      s.shown(),
      /\x1b\[24;1H\x1b\[2K.* DISCONNECTED, waiting for \/dev\/serial\/by-id\/usb-test-if00-port0 · /,
      'the status row says so',
    );
    s.phone.plugIn();
    await until('reconnect', () => s.phone.connects === 2);
    s.phone.say('TFTP Timeout\r\nPassword :');
    await until('prompt shown', () => s.shown().includes('Password :'));
    s.keys.write(Buffer.from([0x1d, 0x71])); // Ctrl-] q
    const result = await s.session;
    assert.equal(result.reconnects, 1);
    const log = readConsoleLog(readFileSync(s.file, 'utf8'));
    assert.deepEqual(
      log.lines.map((l) => l.text),
      ['DHCP INIT', 'DHCP BOUND', 'SEP000E84C060A6.cnf.', 'TFTP Timeout', 'Password :'],
    );
    assert.equal(
      Buffer.concat(log.lines.map((l) => receivedWithLineEnd(l) ?? Buffer.alloc(0))).toString('latin1'),
      'DHCP INIT\r\nDHCP BOUND\r\nSEP000E84C060A6.cnf.TFTP Timeout\r\nPassword :',
      'the log gives back the bytes received: line ends as sent, none where the unplug and the quiet prompt cut',
    );
    assert.deepEqual(
      log.header.map((h) => h.text.split(' ')[3]),
      ['log', 'disconnected', 'reconnected', 'closed'],
    );
    // The gap sits between the line cut by the unplug and the first line after it.
    const gap = log.header.find((h) => h.text.includes('disconnected'));
    assert.ok(gap && gap.line > nth(log.lines, 2).line && gap.line < nth(log.lines, 3).line);
    const times = log.lines.map((l) => l.hostTime ?? NaN);
    assert.deepEqual(
      [...times].sort((a, b) => a - b),
      times,
    );
    assert.match(
      s.shown(),
      /disconnected, waiting for \/dev\/serial\/by-id\/usb-test-if00-port0 \(the adapter was unplugged\)/,
    );
  });

  it('sends typed keys as typed, Enter as CR on serial; the menu quits, breaks and remaps Enter', async () => {
    const s = start();
    await until('connect', () => s.phone.connects === 1);
    s.keys.write('show register\r');
    await until('keys', () => s.phone.received.join('') === 'show register\r');
    s.keys.write(Buffer.from([0x1d, 0x62])); // Ctrl-] b
    await until('break', () => s.phone.breaks === 1);
    s.keys.write(Buffer.from([0x1d, 0x6e])); // Ctrl-] n: Enter now sends LF
    s.keys.write('reset\r');
    await until('mapped Enter', () => s.phone.received.join('').endsWith('reset\n'));
    s.keys.write(Buffer.from([0x1d, 0x1d])); // Ctrl-] Ctrl-]: the key itself goes to the phone
    await until('escape key sent', () => s.phone.received.join('').endsWith('\x1d'));
    s.keys.write(Buffer.from([0x1d, 0x71]));
    await s.session;
    assert.match(s.shown(), /menu, press a key:\n.*q +quit\n/);
  });

  it('answers "Password :" with the password from the environment, once (a refused one is not repeated), then sends --send commands at the prompt', async () => {
    const s = start({ password: 'cisco', send: ['show register'] });
    await until('connect', () => s.phone.connects === 1);
    s.phone.say('\r\n\r\nPassword :');
    await until('password sent', () => s.phone.received.join('') === 'cisco\r');
    s.phone.say('\r\nPassword :');
    await until('the refusal said', () => s.shown().includes('asks for the password again'));
    assert.equal(s.phone.received.join(''), 'cisco\r', 'a refused password is not sent again');
    s.phone.say('\r\nSIP Phone> ');
    await until('command sent', () => s.phone.received.join('') === 'cisco\rshow register\r');
    s.keys.write(Buffer.from([0x1d, 0x71]));
    await s.session;
    const events = parseConsoleLog(readFileSync(s.file, 'utf8')).events;
    assert.deepEqual(
      events.filter((e) => e.kind === 'prompt').map((e) => e.raw.trim()),
      ['Password :', 'Password :', 'SIP Phone>'],
    );
    assert.ok(!readFileSync(s.file, 'utf8').includes('cisco'), 'the password is never logged');
  });

  it('still shows a prompt when this process was held up past the idle time', async () => {
    const s = start();
    await until('connect', () => s.phone.connects === 1);
    s.phone.say('SIP Phone> ');
    const stalled = Date.now() + 300;
    while (Date.now() < stalled) {
      // Busy: the idle timer fires late.
    }
    await until('the prompt flushed', () => s.shown().includes('SIP Phone> '), 2000);
    s.keys.write(Buffer.from([0x1d, 0x71]));
    await s.session;
  });

  it('hands each line to every subscriber, the link lost and back as status, and sends lines and breaks for them', async () => {
    const { endpoint, phone } = fakeEndpoint();
    const file = path.join(dir, 'subscribed.log');
    const session = new ConsoleSession({
      endpoint,
      openRecorder: (at) => openRecorder(file, endpoint.logFields, at),
      reconnectIntervalMs: 10,
    });
    const drawn: string[] = [];
    const events: string[] = [];
    const statuses: string[] = [];
    session.on('line', (line, kind) => drawn.push(`${kind}: ${line.text}`));
    session.on('event', (event) => events.push(event.kind));
    session.on('status', (s) => statuses.push(s.connected ? `up ${s.phone.dhcp ?? '-'}` : `down: ${s.lostBecause}`));
    assert.equal(await session.start(), file);
    phone.say('DHCP BOUND\r\n');
    phone.unplug();
    phone.plugIn();
    await until('reconnect', () => phone.connects === 2);
    const sent = session.send('show register', Date.UTC(2026, 10, 26, 7, 0, 0));
    await session.sendBreak();
    session.stop();
    const result = await session.untilStopped();
    assert.deepEqual(drawn, ['dhcp: DHCP BOUND']);
    assert.deepEqual(events, ['dhcp']);
    assert.deepEqual(statuses, ['up -', 'up DHCP BOUND', 'down: the adapter was unplugged', 'up DHCP BOUND']);
    assert.deepEqual(phone.received, ['show register', '\r']);
    assert.equal(phone.breaks, 1);
    assert.deepEqual(result, { logFile: file, lines: 1, reconnects: 1 });
    const logged = readConsoleLog(readFileSync(file, 'utf8')).header.find((h) => h.line === sent?.line);
    assert.equal(logged?.fields.text, 'show register', 'the sent line is in the log where send() said');
  });

  it('stops with a clear error when the log cannot be written any more (disk full)', async () => {
    const { endpoint, phone } = fakeEndpoint();
    const screen = createScreen({ out: { write: () => true }, tty: false });
    let written = 0;
    const session = runConsoleTerminal(
      new ConsoleSession({
        endpoint,
        openRecorder: () => ({
          file: '/var/log/full.log',
          line: () => {
            if (++written > 2)
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            return written;
          },
          mark: () => 0,
          close: () => undefined,
        }),
      }),
      screen,
    );
    await until('connect', () => phone.connects === 1);
    phone.say('DHCP INIT\r\nDHCP BOUND\r\nTFTP Timeout\r\n');
    await assert.rejects(
      session,
      /^InputError: The console log \/var\/log\/full\.log cannot be written \(ENOSPC: no space left on device, write\): the session stopped/,
    );
  });

  it('a port that cannot be opened at the start is an error (no waiting) and leaves no log', async () => {
    const { endpoint, phone } = fakeEndpoint();
    phone.unplug();
    const screen = createScreen({ out: { write: () => true }, tty: false });
    await assert.rejects(
      runConsoleTerminal(
        new ConsoleSession({ endpoint, openRecorder: (at) => openRecorder(path.join(dir, 'never.log'), {}, at) }),
        screen,
      ),
      (err: unknown) => err instanceof OpenFailure && /does not exist/.test(err.message),
    );
    assert.throws(() => readFileSync(path.join(dir, 'never.log')));
  });
});
