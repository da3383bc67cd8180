import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { createLineSplitter } from '../../parsers/console/line-splitter.js';
import { createKeyMenu, mapEnter, menuText } from '../../src/console/key-menu.js';
import { defaultConsoleDir, defaultLogFile, openRecorder } from '../../src/console/recorder.js';
import { replayConsoleLog } from '../../src/console/replay.js';
import { createScreen, hexRows } from '../../src/console/screen.js';
import { consoleScreenText } from '../../src/views/escape.js';
import { cliPath, first, nth, repoRoot } from '../helpers.js';

const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*[A-Za-z]|\x1b[78]/g, '');

describe('escape key menu', () => {
  it('passes keys through, opens the menu on Ctrl-], and runs the key pressed next', () => {
    const menu = createKeyMenu();
    assert.deepEqual(menu.feed(Buffer.from('ls\r')), [{ kind: 'send', bytes: Uint8Array.from(Buffer.from('ls\r')) }]);
    assert.deepEqual(menu.feed(Uint8Array.of(0x61, 0x1d, 0x51, 0x62)), [
      { kind: 'send', bytes: Uint8Array.of(0x61) },
      { kind: 'menu' },
      { kind: 'command', command: 'quit' },
      { kind: 'send', bytes: Uint8Array.of(0x62) },
    ]);
    assert.deepEqual(menu.feed(Uint8Array.of(0x1d)), [{ kind: 'menu' }]);
    assert.deepEqual(menu.feed(Uint8Array.of(0x7a)), [{ kind: 'menu-closed' }]);
  });

  it('labels the line-end mapping by direction and maps Enter as chosen', () => {
    const text = menuText({ enter: 'cr', timestamps: true, hex: false, echo: false }).join('\n');
    assert.match(text, /n +Enter key sends to the phone: CR \(next: LF\)/);
    assert.match(text, /t +timestamps on screen: on\n +x +hex view: off/);
    assert.match(text, /from the phone: CR, LF and CR LF each end a line/);
    assert.deepEqual([...mapEnter(Buffer.from('a\r'), 'crlf')], [0x61, 0x0d, 0x0a]);
  });
});

describe('screen', () => {
  it('on a terminal: shows bytes as they come, a prompt stays open for the echo, lines coloured by kind, a status row', () => {
    let out = '';
    const screen = createScreen({
      out: { write: (t: string) => (out += t) },
      tty: true,
      rows: 10,
      columns: 80,
      timestamps: false,
    });
    const splitter = createLineSplitter();
    assert.match(out, /\x1b\[1;9r/, 'scroll region above the status row');
    splitter.push(Buffer.from('TFTP Time'), 0);
    screen.pending(splitter.pendingText(), 0);
    assert.ok(out.endsWith('TFTP Time'));
    const line = first(splitter.push(Buffer.from('out\r\n'), 10), 'the completed line');
    screen.line(line, 'error');
    assert.ok(out.includes('\x1b[1;31mTFTP Timeout\x1b[0m\r\n'), 'an error is redrawn in red');
    screen.line({ text: 'SIP Phone> ', raw: Buffer.from('SIP Phone> '), firstByteAt: 0, ending: 'idle' }, 'prompt');
    screen.line(
      { text: 'show register', raw: Buffer.from('show register\r\n'), firstByteAt: 0, ending: 'crlf' },
      'raw',
    );
    assert.ok(plain(out).includes('SIP Phone> show register\r\n'), 'the echo continues the prompt row');
    screen.status('CP-7960 SIP 8.12 · DHCP BOUND');
    assert.ok(out.includes('\x1b[10;1H'), 'status on the bottom row');
    screen.close();
    assert.ok(out.includes('\x1b[r'), 'scroll region reset at the end');
  });

  it('on a pipe: one plain line per console line with its local time', () => {
    let out = '';
    const screen = createScreen({ out: { write: (t: string) => (out += t) }, tty: false });
    screen.line(
      {
        text: 'Password :',
        raw: Buffer.from('Password :'),
        firstByteAt: new Date(2026, 10, 26, 7, 1, 2, 345).getTime(),
        ending: 'idle',
      },
      'prompt',
    );
    assert.equal(out, '07:01:02.345 Password :\n');
  });

  it('hex view and printable text never let control bytes reach the terminal', () => {
    assert.deepEqual(hexRows(Buffer.from('Hello\r\n')), [`0000  48 65 6c 6c 6f 0d 0a${' '.repeat(27)}  |Hello..|`]);
    assert.equal(consoleScreenText('a\x1b[2Jb\x9bc\x07'), 'a^[[2Jb\\x9bc^G');
  });
});

describe('recorder', () => {
  it('defaults to $PHONEDOC_CONSOLE_DIR, else XDG state, else ~/.local/state; one file per port and start time', () => {
    assert.equal(defaultConsoleDir({ PHONEDOC_CONSOLE_DIR: '/srv/logs' }, '/home/u'), '/srv/logs');
    assert.equal(defaultConsoleDir({ XDG_STATE_HOME: '/x' }, '/home/u'), '/x/phonedoc/console');
    assert.equal(defaultConsoleDir({}, '/home/u'), '/home/u/.local/state/phonedoc/console');
    assert.equal(
      defaultLogFile('/d', 'usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', Date.UTC(2026, 10, 26, 6, 22, 23, 123)),
      '/d/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0-20261126T062223Z.log',
    );
  });

  it('appends ISO UTC lines readable by readConsoleLog, line numbers those of the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-rec-'));
    const file = path.join(dir, 'a', 'console.log');
    try {
      const first = openRecorder(
        file,
        { port: '/dev/ttyUSB0', settings: '9600 8N1, no flow control' },
        Date.UTC(2026, 10, 26, 6, 22, 23, 0),
      );
      assert.equal(first.line('DHCP INIT', Date.UTC(2026, 10, 26, 6, 22, 23, 123)), 2);
      first.close();
      writeFileSync(file, `${readFileSync(file, 'utf8')}a paste without a line end`);
      const again = openRecorder(file, {}, 0);
      assert.equal(again.line('DHCP BOUND', 0), 5);
      again.close();
      const log = readConsoleLog(readFileSync(file, 'utf8'));
      assert.deepEqual(
        log.lines.map((l) => [l.line, l.text, l.hostTime]),
        [
          [2, 'DHCP INIT', Date.UTC(2026, 10, 26, 6, 22, 23, 123) / 1000],
          [3, 'a paste without a line end', undefined],
          [5, 'DHCP BOUND', 0],
        ],
      );
      assert.deepEqual(nth(log.header, 0).fields, {
        port: '/dev/ttyUSB0',
        settings: '9600 8N1, no flow control',
        bytes: 'escaped',
        'line-ends': 'kept',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("console log keeps the phone's bytes", () => {
  // Invalid UTF-8 (ff fe, a lone c3), a backslash, ESC, NUL, a C1 CSI and U+202E in UTF-8, valid UTF-8 text.
  const received = Buffer.from([
    0xff,
    0xfe,
    0xc3,
    0x28,
    0x5c,
    0x78,
    0x34,
    0x31,
    0x1b,
    0x5b,
    0x32,
    0x4a,
    0x00,
    0xc2,
    0x9b,
    0xe2,
    0x80,
    0xae,
    0x09,
    ...Buffer.from('Grüße é'),
  ]);

  it('writes bytes that are not valid UTF-8, and controls, as \\xNN and a backslash as \\\\: reading the log gives back every byte', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-rec-'));
    const file = path.join(dir, 'console.log');
    try {
      const recorder = openRecorder(file, { image: 'P0S3\x1b]52;c;AAAA\x07-8-12' }, 0);
      recorder.line(received.toString('latin1'), 0);
      recorder.close();
      const bytes = readFileSync(file);
      assert.ok(
        ![...bytes].some((b) => (b < 0x20 && b !== 0x0a && b !== 0x09) || b === 0x7f),
        'no raw control byte in the file',
      );
      const written = bytes.toString('utf8').split('\n')[1]!;
      assert.equal(
        written,
        '1970-01-01T00:00:00.000Z \\xff\\xfe\\xc3(\\\\x41\\x1b[2J\\x00\\xc2\\x9b\\xe2\\x80\\xae\tGrüße é',
      );
      const log = readConsoleLog(bytes.toString('utf8'));
      assert.deepEqual(Buffer.from(log.lines[0]!.received!), received);
      assert.equal(log.header[0]!.fields.image, 'P0S3\x1b]52;c;AAAA\x07-8-12');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a log without the escaped-form header as it is', () => {
    const log = readConsoleLog('2026-11-26T06:22:23.000Z # phonedoc console log port=x\nC:\\x41\n');
    assert.equal(log.lines[0]!.text, 'C:\\x41');
    assert.equal(log.lines[0]!.received, undefined);
  });
});

describe('replay', () => {
  it('waits the recorded gaps divided by the speed; a bare log plays without pauses', async () => {
    const log = [
      '2026-11-26T06:22:23.000Z # phonedoc console log port=/dev/ttyUSB0',
      '2026-11-26T06:22:23.000Z DHCP INIT',
      '2026-11-26T06:22:25.000Z DHCP BOUND',
      '2026-11-26T06:22:29.000Z TFTP Timeout',
    ].join('\n');
    const waits: number[] = [];
    let shown = '';
    const screen = createScreen({ out: { write: (t: string) => (shown += t) }, tty: false, timestamps: false });
    const result = await replayConsoleLog(log, { screen, speed: 2, sleep: async (ms) => void waits.push(ms) });
    assert.equal(result.lines, 3);
    assert.deepEqual(
      waits.map((w) => Math.round(w / 100) * 100),
      [1000, 3000],
    );
    assert.equal(shown, '[phonedoc] console log port=/dev/ttyUSB0\nDHCP INIT\nDHCP BOUND\nTFTP Timeout\n');
    const bare: number[] = [];
    await replayConsoleLog('DHCP INIT\r\nDHCP BOUND\r\n', { screen, sleep: async (ms) => void bare.push(ms) });
    assert.deepEqual(bare, []);
  });
});

describe('phonedoc console --replay', () => {
  it('plays a recorded lab log, says it is simulated, and ends with the line count', () => {
    const file = path.join(repoRoot, 'captures', 'loads-part-missing', 'console-sep000e84c060a6.log');
    const run = spawnSync(process.execPath, [cliPath, 'console', '--replay', file, '--speed', '0'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.trim().split('\n');
    assert.equal(rows[0], '[phonedoc] this log comes from the lab simulator, not from a phone');
    assert.deepEqual(
      rows.slice(2, -1).map((r) => r.replace(/^\d\d:\d\d:\d\d\.\d{3} /, '')),
      ['DHCP INIT', 'DHCP REQUESTING', 'DHCP BOUND', 'SEP000E84C060A6.cnf.xml', 'Protocol Application Invalid'],
    );
    assert.equal(rows.at(-1), `replayed 5 lines of ${file}`);
  });

  it('a log that is not there: exit 2 naming the file', () => {
    const run = spawnSync(process.execPath, [cliPath, 'console', '--replay', '/nonexistent/console.log'], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'phonedoc: cannot read console log /nonexistent/console.log: no such file\n');
  });
});
