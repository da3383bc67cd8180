import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readConsoleLog, splitLogLines } from '../../parsers/console/log-lines.js';
import { utcSeconds } from '../helpers.js';

// phone-facts 1.5 (7941 console, as pasted from HyperTerminal: no host timestamps).
const BARE = [
  'NOT 04:51:27.181249 DHCP: DHCP enabled...',
  'NOT 04:51:28.180140 DHCP: Sending Discover...',
  'NOT 04:51:28.927988 DHCP: Sending Request...',
];

describe('console log line reader', () => {
  it('reads a bare paste: every line kept, numbered from 1, no host time', () => {
    const log = readConsoleLog(`${BARE.join('\r\n')}\r\n`);
    assert.deepEqual(
      log.lines,
      BARE.map((text, i) => ({ line: i + 1, text })),
    );
    assert.deepEqual(log.header, []);
    assert.equal(log.simulated, false);
  });

  it("reads the recorder's form: ISO UTC time with ms, a space, then the phone's text untouched", () => {
    const log = readConsoleLog(
      '2026-11-26T06:22:23.123Z [17:00:53:148185] sipTransportSendMessage: ' +
        'Closed a one-time UDP send channel handle = 3\n' +
        '2026-11-26T06:22:23.124Z \n' +
        '2026-11-26T06:22:24.000Z   SIP Phone>\n',
    );
    assert.deepEqual(log.lines, [
      {
        line: 1,
        text: '[17:00:53:148185] sipTransportSendMessage: Closed a one-time UDP send channel handle = 3',
        hostTime: utcSeconds('2026-11-26T06:22:23.123Z'),
      },
      { line: 2, text: '', hostTime: utcSeconds('2026-11-26T06:22:23.124Z') },
      { line: 3, text: '  SIP Phone>', hostTime: utcSeconds('2026-11-26T06:22:24.000Z') },
    ]);
  });

  it('numbers lines the same with CR-only, CRLF, LF and mixed line ends', () => {
    const lf = readConsoleLog(BARE.join('\n')).lines;
    assert.deepEqual(readConsoleLog(BARE.join('\r')).lines, lf);
    assert.deepEqual(readConsoleLog(`${BARE.join('\r')}\r`).lines, lf);
    assert.deepEqual(readConsoleLog(`${BARE[0]}\r${BARE[1]}\r\n${BARE[2]}\n`).lines, lf);
    // An empty line between two CRs is a line of its own (the SIP header/body separator is one).
    assert.deepEqual(
      readConsoleLog('a\r\rb').lines.map((l) => l.text),
      ['a', '', 'b'],
    );
    assert.deepEqual(splitLogLines(''), []);
  });

  it('skips the phonedoc header and keeps it as metadata, with its line number', () => {
    const log = readConsoleLog(
      '2026-11-26T06:22:20.000Z # phonedoc console log port=/dev/ttyUSB0 baud=9600 label="bench 2" simulated\n' +
        '2026-11-26T06:22:23.123Z Password :\n',
    );
    assert.equal(log.simulated, true);
    assert.deepEqual(log.header, [
      {
        line: 1,
        text: '# phonedoc console log port=/dev/ttyUSB0 baud=9600 label="bench 2" simulated',
        fields: { port: '/dev/ttyUSB0', baud: '9600', label: 'bench 2' },
      },
    ]);
    assert.deepEqual(log.lines, [{ line: 2, text: 'Password :', hostTime: utcSeconds('2026-11-26T06:22:23.123Z') }]);
  });

  it('marks simulated text only when a header says so', () => {
    assert.equal(readConsoleLog('# phonedoc console log simulated=yes\nx').simulated, true);
    assert.equal(readConsoleLog('# phonedoc console log simulated=no\nx').simulated, false);
    assert.equal(readConsoleLog('# phonedoc console log port=COM3\nx').simulated, false);
    // A comment that is not ours is console text.
    assert.deepEqual(readConsoleLog('# simulated\n').lines, [{ line: 1, text: '# simulated' }]);
  });

  it('keeps a line whose leading stamp is not a real date as text, not as a host time', () => {
    const log = readConsoleLog('2026-02-30T10:00:00.000Z Unprovisioned\n2026-11-26T06:22:23Z no ms\n');
    assert.deepEqual(log.lines, [
      { line: 1, text: '2026-02-30T10:00:00.000Z Unprovisioned' },
      { line: 2, text: 'no ms', hostTime: utcSeconds('2026-11-26T06:22:23.000Z') },
    ]);
  });

  it('drops a byte-order mark at the start', () => {
    assert.deepEqual(readConsoleLog('\uFEFFSIP Phone>').lines, [{ line: 1, text: 'SIP Phone>' }]);
  });
});
