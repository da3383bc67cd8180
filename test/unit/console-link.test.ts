import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createBaudCheck } from '../../src/console/baud-check.js';
import { openFailureSentence } from '../../src/console/serial-link.js';
import { DEFAULT_SERIAL_SETTINGS, describeSettings, readSerialSettings } from '../../src/console/serial-settings.js';
import { createTelnetReader, telnetEscape } from '../../src/console/telnet-protocol.js';
import { readTelnetAddress, telnetEndpoint } from '../../src/console/telnet-link.js';
import { InputError } from '../../src/exit-codes.js';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { cliPath } from '../helpers.js';

const IAC = 255;
const s = DEFAULT_SERIAL_SETTINGS;

describe('serial settings', () => {
  it('default to 9600 8N1 without flow control, and say so', () => {
    assert.equal(describeSettings(readSerialSettings({})), '9600 8N1, no flow control');
    assert.equal(
      describeSettings(
        readSerialSettings({ baud: '115200', dataBits: '7', parity: 'even', stopBits: '2', flow: 'rtscts' }),
      ),
      '115200 7E2, RTS/CTS flow control',
    );
  });

  it('refuse words they do not know, naming the option and what it takes', () => {
    assert.throws(
      () => readSerialSettings({ baud: 'fast' }),
      (e: unknown) => e instanceof InputError && /--baud "fast".*9600/.test(e.message),
    );
    assert.throws(
      () => readSerialSettings({ flow: 'hardware' }),
      /--flow "hardware" is not accepted: give one of none, rtscts, xonxoff/,
    );
  });
});

describe('serial opening errors: one sentence with the fix', () => {
  // The messages are those of @serialport/bindings-cpp serialport_unix.cpp on Linux.
  const cases: [string, RegExp][] = [
    [
      'Error: No such file or directory, cannot open /dev/ttyUSB0',
      /does not exist: plug in the USB-serial adapter, or run "phonedoc ports"/,
    ],
    [
      'Error: Permission denied, cannot open /dev/ttyUSB0',
      /Permission denied on \/dev\/ttyUSB0: add yourself to the dialout group \(sudo usermod -aG dialout \$USER\)/,
    ],
    [
      'Error Resource temporarily unavailable Cannot lock port',
      /in use by another program .*close that program and try again/,
    ],
    ['Error: Invalid argument || while setting custom baud rate of 250001', /refused 9600 baud: use a standard rate/],
  ];
  for (const [message, sentence] of cases) {
    it(message, () => {
      const text = openFailureSentence('/dev/ttyUSB0', s, message, () => undefined);
      assert.match(text, sentence);
      assert.equal(text.split(/[.:] [A-Z]/).length, 1, 'one sentence');
    });
  }
  it('names the group that owns the device when it is not dialout', () => {
    assert.match(
      openFailureSentence('/dev/ttyUSB0', s, 'Error: Permission denied, cannot open /dev/ttyUSB0', () => 'uucp'),
      /the uucp group/,
    );
  });
});

describe('wrong baud rate hint', () => {
  it('says nothing for text, and suggests the other common rates for noise', () => {
    assert.equal(createBaudCheck(9600).feed(Buffer.from('DHCP INIT\r\n'.repeat(40))), undefined);
    const noise = Buffer.alloc(300, 0);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 97 + 131) % 256;
    const hint = createBaudCheck(9600).feed(noise);
    assert.match(
      hint ?? '',
      /not printable text .* the baud rate may be wrong\. It is 9600 now; try --baud 115200, 57600/,
    );
  });
});

describe('telnet', () => {
  it('reads HOST, HOST:PORT and [v6]:PORT', () => {
    assert.deepEqual(readTelnetAddress('192.0.2.10'), { host: '192.0.2.10', port: 23 });
    assert.deepEqual(readTelnetAddress('192.0.2.10:2323'), { host: '192.0.2.10', port: 2323 });
    assert.deepEqual(readTelnetAddress('[2001:db8::1]:23'), { host: '2001:db8::1', port: 23 });
    assert.throws(() => readTelnetAddress('192.0.2.10:99999'), InputError);
  });

  it('takes negotiation out of the data: refuses DO, accepts WILL ECHO and WILL SGA, answers each once', () => {
    const reader = createTelnetReader();
    // IAC DO TERMINAL-TYPE(24), IAC WILL ECHO(1), IAC WILL SGA(3), IAC WILL LINEMODE(34), text with IAC IAC
    const got = reader.receive(
      Uint8Array.from([IAC, 253, 24, IAC, 251, 1, IAC, 251, 3, IAC, 251, 34, 0x41, IAC, IAC, 0x42]),
    );
    assert.deepEqual([...got.data], [0x41, IAC, 0x42]);
    assert.deepEqual([...got.reply], [IAC, 252, 24, IAC, 253, 1, IAC, 253, 3, IAC, 254, 34]);
    assert.deepEqual([...reader.receive(Uint8Array.from([IAC, 253, 24])).reply], []);
  });

  it('skips subnegotiation, even when split across chunks', () => {
    const reader = createTelnetReader();
    const a = reader.receive(Uint8Array.from([0x50, IAC, 250, 24, 1]));
    const b = reader.receive(Uint8Array.from([IAC, 240, 0x51]));
    assert.deepEqual([...a.data, ...b.data], [0x50, 0x51]);
  });

  it('doubles IAC and sends a bare CR as CR NUL (RFC 854)', () => {
    assert.deepEqual([...telnetEscape(Uint8Array.from([0x61, IAC, 0x0d]))], [0x61, IAC, IAC, 0x0d, 0]);
    assert.deepEqual([...telnetEscape(Uint8Array.from([0x0d, 0x0a]))], [0x0d, 0x0a]);
  });

  it('connects to a CLI on loopback and passes its "Password :" through, negotiation removed', async () => {
    const server = createServer((socket) =>
      socket.end(Buffer.from([IAC, 251, 1, ...Buffer.from('\r\n\r\nPassword :')])),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    let text = '';
    let lost = '';
    const link = await telnetEndpoint({ host: '127.0.0.1', port }).connect({
      data: (d) => (text += Buffer.from(d).toString('latin1')),
      lost: (why) => (lost = why),
    });
    await new Promise((r) => setTimeout(r, 200));
    await link.close();
    server.close();
    assert.equal(text, '\r\n\r\nPassword :');
    assert.equal(lost, 'the phone closed the telnet connection');
  });

  it('a refused connection says to enable telnet_level', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await assert.rejects(
      telnetEndpoint({ host: '127.0.0.1', port }).connect({ data: () => undefined, lost: () => undefined }),
      /refused the telnet connection: set telnet_level: 1/,
    );
  });
});

describe("phonedoc console --telnet (a loopback server plays the SIP firmware's CLI)", () => {
  it('logs in with the password from the environment, sends --send at the prompt, and logs the lines like serial', async () => {
    const heard: string[] = [];
    const server = createServer((socket) => {
      let input = '';
      socket.write(Buffer.from([IAC, 251, 1, IAC, 251, 3, ...Buffer.from('\r\n\r\nPassword :')]));
      socket.on('data', (d: Buffer) => {
        input += d.toString('latin1').replace(/\xff[\xfb-\xfe]./gs, '');
        if (input === 'cisco\r\n') socket.write('\r\nSIP Phone> ');
        if (input === 'cisco\r\nshow register\r\n') socket.write('show register\r\nLINE 1: registered\r\nSIP Phone> ');
        heard.push(input);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-telnet-'));
    const log = path.join(dir, 'telnet.log');
    const child = spawn(
      process.execPath,
      [
        cliPath,
        'console',
        '--telnet',
        `127.0.0.1:${port}`,
        '--password-env',
        'PHONE_PW',
        '--send',
        'show register',
        '--log',
        log,
      ],
      {
        env: { ...process.env, PHONE_PW: 'cisco' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const end = Date.now() + 8000;
      while (!out.includes('LINE 1: registered') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
      assert.equal(heard.at(-1), 'cisco\r\nshow register\r\n');
      const lines = readConsoleLog(readFileSync(log, 'utf8')).lines.map((l) => l.text);
      assert.deepEqual(lines, [
        '',
        '',
        'Password :',
        '',
        'SIP Phone> ',
        'show register',
        'LINE 1: registered',
        'SIP Phone> ',
      ]);
      assert.ok(
        !out.includes('cisco') && !readFileSync(log, 'utf8').includes('cisco'),
        'the password is neither shown nor logged',
      );
    } finally {
      child.kill('SIGKILL');
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a password variable that is not set (exit 2), before connecting', async () => {
    const env = { ...process.env };
    delete env.PHONE_PW_UNSET;
    const child = spawn(
      process.execPath,
      [cliPath, 'console', '--telnet', '192.0.2.1', '--password-env', 'PHONE_PW_UNSET'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(err, /^phonedoc: --password-env PHONE_PW_UNSET: the environment variable PHONE_PW_UNSET is not set/);
  });
});
