/**
 * Consoles in shapes nobody has written down: every common timestamp at the start of a line,
 * lines read generically by their words (a known file name with a request or outcome word,
 * DHCP steps, the TFTP server), screen states noted by hand, and a fuzz pass (random bytes,
 * long lines, invalid UTF-8) that must never throw.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ConsoleEvent } from '../../parsers/console/events.js';
import { createConsoleParser, parseConsoleLog } from '../../parsers/console/parse.js';
import { decodeText } from '../../src/sources/text-encoding.js';

function one(text: string): ConsoleEvent {
  return createConsoleParser().parse({ line: 1, text });
}

const micros = (h: number, m: number, s: number, us = 0): number => ((h * 60 + m) * 60 + s) * 1_000_000 + us;

describe('console: timestamps at the start of a line', () => {
  const cases: {
    line: string;
    format: ConsoleEvent['format'];
    microsOfDay?: number;
    resolution: number;
    message: string;
  }[] = [
    {
      line: '[14:02:11:123456] DHCP BOUND',
      format: '7940-sip-debug',
      microsOfDay: micros(14, 2, 11, 123456),
      resolution: 1e-6,
      message: 'DHCP BOUND',
    },
    {
      line: '14:02:11.123456 DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(14, 2, 11, 123456),
      resolution: 1e-6,
      message: 'DHCP BOUND',
    },
    {
      line: '14:02:11,250 DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(14, 2, 11, 250000),
      resolution: 1e-3,
      message: 'DHCP BOUND',
    },
    {
      line: '[14:02:11.5] DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(14, 2, 11, 500000),
      resolution: 0.1,
      message: 'DHCP BOUND',
    },
    {
      line: '14:02:11 DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(14, 2, 11),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    {
      line: '[14:02:11] DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(14, 2, 11),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    {
      line: '14:02:11 - DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(14, 2, 11),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    {
      line: '2:02:11 PM DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(14, 2, 11),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    {
      line: '12:05:00 am DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(0, 5, 0),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    {
      line: '14:03 DHCP BOUND',
      format: 'time-of-day',
      microsOfDay: micros(14, 3, 0),
      resolution: 60,
      message: 'DHCP BOUND',
    },
    {
      line: '2026-12-03T14:02:11.123+01:00 DHCP BOUND',
      format: 'iso-8601',
      microsOfDay: micros(14, 2, 11, 123000),
      resolution: 1e-3,
      message: 'DHCP BOUND',
    },
    {
      line: '2026-12-03 14:02:11 DHCP BOUND',
      format: 'iso-8601',
      microsOfDay: micros(14, 2, 11),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    {
      line: '[2026-12-03 14:02:11.123] DHCP BOUND',
      format: 'iso-8601',
      microsOfDay: micros(14, 2, 11, 123000),
      resolution: 1e-3,
      message: 'DHCP BOUND',
    },
    {
      line: '[Dec  3 14:02:11] DHCP BOUND',
      format: 'syslog',
      microsOfDay: micros(14, 2, 11),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    {
      line: 'Dec  3 14:02:11 DHCP BOUND',
      format: 'syslog',
      microsOfDay: micros(14, 2, 11),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    // RFC 3164 with host and tag, as a syslog server writes a phone's forwarded line.
    {
      line: 'Dec 13 14:02:11 192.0.2.106 phone[12]: DHCP BOUND',
      format: 'syslog',
      microsOfDay: micros(14, 2, 11),
      resolution: 1,
      message: 'DHCP BOUND',
    },
    { line: '[   12.345678] DHCP BOUND', format: 'since-boot', resolution: 1e-6, message: 'DHCP BOUND' },
    { line: 'DHCP BOUND', format: 'plain', resolution: 0, message: 'DHCP BOUND' },
  ];
  for (const c of cases) {
    it(`reads ${JSON.stringify(c.line)}`, () => {
      const e = one(c.line);
      assert.equal(e.format, c.format);
      assert.equal(e.message, c.message);
      assert.equal(e.kind, 'dhcp', 'the message after the time is still recognised');
      if (c.format === 'plain') return assert.equal(e.phoneTime, undefined);
      assert.equal(e.phoneTime?.microsOfDay, c.microsOfDay);
      assert.equal(e.phoneTime?.resolutionSeconds, c.resolution);
    });
  }

  it('keeps the date and the zone an ISO 8601 or syslog time carries', () => {
    assert.deepEqual(one('2026-12-03T14:02:11.123-05:00 x').phoneTime?.date, { year: 2026, month: 12, day: 3 });
    assert.equal(one('2026-12-03T14:02:11.123-05:00 x').phoneTime?.utcOffsetMinutes, -300);
    assert.equal(one('2026-12-03T14:02:11Z x').phoneTime?.utcOffsetMinutes, 0);
    assert.equal(one('2026-12-03 14:02:11 x').phoneTime?.utcOffsetMinutes, undefined);
    assert.deepEqual(one('Dec  3 14:02:11 x').phoneTime?.date, { month: 12, day: 3 });
    assert.equal(one('[ 5.5] x').phoneTime?.sinceBootSeconds, 5.5);
    assert.equal(one('[2026-12-03 14:02:11.123] x').phoneTime?.text, '2026-12-03 14:02:11.123');
    assert.equal(one('Dec  3 14:02:11 host tag: x').phoneTime?.text, 'Dec  3 14:02:11');
  });

  it('takes no impossible time for one', () => {
    for (const line of [
      '25:02:11 x',
      '14:61:00 x',
      '2026-02-30T14:02:11Z x',
      '13:02:11 PM x',
      'Dex  3 14:02:11 x',
      '1402 x',
      '10.1.1.1:5060 x',
    ]) {
      const e = one(line);
      assert.equal(e.phoneTime, undefined, line);
      assert.equal(e.format, 'plain', line);
    }
  });
});

describe('console: generic extraction', () => {
  it('a known file name with a request word is a request, marked generic', () => {
    for (const [line, file] of [
      ['tftp: requesting SIPDefault.cnf from 192.0.2.1', 'SIPDefault.cnf'],
      ['Downloading "P0S3-8-12-00.sb2"', 'P0S3-8-12-00.sb2'],
      ['GET OS79XX.TXT', 'OS79XX.TXT'],
      ['fetch SIP000E84C060A6.cnf', 'SIP000E84C060A6.cnf'],
      ['loading P003-8-12-00.sbn ...', 'P003-8-12-00.sbn'],
    ] as const) {
      const e = one(line);
      assert.ok(e.kind === 'tftp-request' && e.file === file && e.generic === true, `${line}: ${JSON.stringify(e)}`);
    }
  });

  it('a known file name with an outcome word is an outcome', () => {
    for (const [line, outcome] of [
      ['SIPDefault.cnf: File not found', 'not-found'],
      ['tftp get OS79XX.TXT failed', 'failed'],
      ['P0S3-8-12-00.sb2 access denied', 'denied'],
      ['timeout reading SEP000E84C060A6.cnf.xml', 'timeout'],
      ['error on RINGLIST.DAT', 'error'],
      ['received P0S3-8-12-00.loads (600 bytes)', 'done'],
      ['download of P003-8-12-00.sbn complete', 'done'],
    ] as const) {
      const e = one(line);
      assert.ok(
        e.kind === 'tftp-outcome' && e.outcome === outcome && e.generic === true,
        `${line}: ${JSON.stringify(e)}`,
      );
    }
  });

  it('a file name with no request or outcome word, or an unknown name, is no request', () => {
    assert.equal(one('the quick brown fox.cnf jumps').kind, 'raw');
    assert.equal(one('requesting foo.txt').kind, 'raw');
    assert.equal(one('P0S3-8-12-00.sb2 is the image').kind, 'raw');
  });

  it('DHCP words and the TFTP server address', () => {
    const steps = [
      'DHCPDISCOVER sent',
      'dhcp: got offer from 192.0.2.1',
      'DHCP request sent',
      'DHCPACK received',
      'DHCP NAK: wrong network',
      'dhcp lease obtained',
      'DHCP: bound to 192.0.2.106',
    ];
    assert.deepEqual(
      steps.map((l) => {
        const e = one(l);
        return e.kind === 'dhcp' && e.generic ? e.state : e.kind;
      }),
      ['DHCP DISCOVER', 'DHCP OFFER', 'DHCP REQUEST', 'DHCP ACK', 'DHCP NAK', 'DHCP LEASE', 'DHCP BOUND'],
    );
    const server = one('Using TFTP server 192.0.2.1');
    assert.ok(server.kind === 'tftp-server' && server.address === '192.0.2.1' && server.generic);
  });

  it('the known recognisers keep priority', () => {
    const e = one('NOT 03:43:03.333301 TFTP: [28]:Requesting cisco_dialplan.xml from 192.168.1.125');
    assert.equal(e.recogniser, 'tftp-requesting');
    assert.equal(e.generic, undefined);
    const bound = one('DHCP BOUND');
    assert.equal(bound.recogniser, 'dhcp-state-word');
  });
});

describe('console: a screen noted by hand', () => {
  it('reads a watch time and the screen text, one per line', () => {
    const log = parseConsoleLog(
      '14:02:11 Configuring IP\n14:02:40 Upgrading software\n14:03 Protocol ' +
        'Application Invalid\n14:05:02  TFTP Timeout\n14:01:59 Configuring VLAN\n',
    );
    assert.deepEqual(
      log.events.map((e) => e.screen),
      ['configuring-ip', 'upgrading', 'application-invalid', 'tftp-timeout', 'configuring-vlan'],
    );
    assert.deepEqual(
      log.events.map((e) => e.phoneTime?.text),
      ['14:02:11', '14:02:40', '14:03', '14:05:02', '14:01:59'],
    );
    assert.equal(log.events[0]!.kind, 'status');
    assert.equal(log.events[2]!.kind, 'error', 'a known error text stays the error it is');
  });
});

describe('console: fuzz', () => {
  it('random bytes, long lines and invalid UTF-8 never throw, and every line gives one event', () => {
    const parser = createConsoleParser();
    const pieces = [
      '14:02:11 ',
      '[ 1.5] ',
      'Dec  3 ',
      '2026-12-03T',
      'DHCP',
      'SIPDefault.cnf',
      ' not found ',
      'requesting ',
      '\u0000',
      '\uFFFD',
      '[',
      ']',
      ':',
      '.',
      '99:99:99',
    ];
    let line = 0;
    for (let round = 0; round < 3000; round++) {
      const bytes = randomBytes(round % 97);
      const text =
        round % 3 === 0
          ? decodeText(bytes)
          : Array.from({ length: round % 13 }, (_, i) => pieces[(round * 7 + i * 3) % pieces.length]).join('') +
            decodeText(bytes);
      const event = parser.parse({ line: ++line, text });
      assert.equal(event.line, line);
    }
    const long = `14:02:11 ${'SIPDefault.cnf requesting '.repeat(4000)}`;
    assert.equal(parser.parse({ line: ++line, text: long }).kind, 'tftp-request');
    const invalid = decodeText(Buffer.from([0x31, 0x34, 0x3a, 0x30, 0x32, 0x20, 0xff, 0xfe, 0xc3, 0x28]));
    assert.equal(parser.parse({ line: ++line, text: invalid }).format, 'time-of-day');
    assert.doesNotThrow(() => parseConsoleLog(decodeText(randomBytes(200_000))));
  });
});
