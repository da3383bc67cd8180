import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { parseServerLog, parseServerLogLine } from '../../parsers/server-log/parse.js';
import { defined, nth, utcSeconds } from '../helpers.js';

// The post is dated 24 Dec 2020; its log lines carry no year.
const LKML_CONTEXT = { referenceTime: utcSeconds('2020-12-24T12:00:00Z'), utcOffsetMinutes: 0 };
const CONTEXT_2026 = { referenceTime: utcSeconds('2026-11-26T06:00:00Z'), utcOffsetMinutes: 0 };

// phone-facts 2.1: LKML-TEO, tftpd-hpa under xinetd, a 7960 booting SIP 8.12.
const LKML_TEO = `Dec 20 03:25:25 freepbx xinetd[939]: START: tftp pid=8213 from=192.168.1.130
Dec 20 03:25:25 freepbx in.tftpd[8214]: RRQ from 192.168.1.130 filename CTLSEP000E84C060A6.tlv
Dec 20 03:25:25 freepbx in.tftpd[8214]: Client 192.168.1.130 File not found CTLSEP000E84C060A6.tlv
Dec 20 03:25:25 freepbx in.tftpd[8215]: RRQ from 192.168.1.130 filename SEP000E84C060A6.cnf.xml
Dec 20 03:25:25 freepbx in.tftpd[8215]: Client 192.168.1.130 finished SEP000E84C060A6.cnf.xml
Dec 20 03:25:25 freepbx in.tftpd[8216]: RRQ from 192.168.1.130 filename P0S3-8-12-00.loads
Dec 20 03:25:25 freepbx in.tftpd[8216]: Client 192.168.1.130 finished P0S3-8-12-00.loads
Dec 20 03:25:49 freepbx in.tftpd[8217]: RRQ from 192.168.1.130 filename SIPDefault.cnf
Dec 20 03:25:49 freepbx in.tftpd[8217]: Client 192.168.1.130 finished SIPDefault.cnf
Dec 20 03:25:49 freepbx in.tftpd[8218]: RRQ from 192.168.1.130 filename ./SIP000E84C060A6.cnf
Dec 20 03:25:49 freepbx in.tftpd[8218]: Client 192.168.1.130 finished ./SIP000E84C060A6.cnf
Dec 20 03:25:51 freepbx in.tftpd[8219]: RRQ from 192.168.1.130 filename RINGLIST.DAT
Dec 20 03:25:51 freepbx in.tftpd[8220]: RRQ from 192.168.1.130 filename dialplan.xml
Dec 20 03:25:51 freepbx in.tftpd[8219]: Client 192.168.1.130 finished RINGLIST.DAT
Dec 20 03:25:51 freepbx in.tftpd[8220]: Client 192.168.1.130 finished dialplan.xml
`;

function pick<K extends string>(e: ServerLogEvent | undefined, keys: readonly K[]): Record<K, unknown> {
  const record = defined(e, 'a parsed event') as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, record[k]])) as Record<K, unknown>;
}

describe('tftpd-hpa: the LKML-TEO boot of a 7960 on SIP 8.12 (phone-facts 2.1)', () => {
  const events = parseServerLog(LKML_TEO, LKML_CONTEXT);

  it('gives one event per line, none raw, with line numbers and programs', () => {
    assert.equal(events.length, 15);
    assert.deepEqual(
      events.map((e) => e.line),
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      events.filter((e) => e.kind === 'raw'),
      [],
    );
    assert.deepEqual(
      events.map((e) => e.program),
      ['xinetd', ...Array(14).fill('tftpd-hpa')],
    );
    assert.ok(events.every((e) => e.host === 'freepbx'));
  });

  it('lists the requests in the order the phone made them, with their PIDs', () => {
    const requests = events.filter((e) => e.kind === 'request');
    assert.deepEqual(
      requests.map((e) => pick(e, ['op', 'client', 'file', 'pid'])),
      [
        ['CTLSEP000E84C060A6.tlv', 8214],
        ['SEP000E84C060A6.cnf.xml', 8215],
        ['P0S3-8-12-00.loads', 8216],
        ['SIPDefault.cnf', 8217],
        ['./SIP000E84C060A6.cnf', 8218],
        ['RINGLIST.DAT', 8219],
        ['dialplan.xml', 8220],
      ].map(([file, pid]) => ({ op: 'RRQ', client: '192.168.1.130', file, pid })),
    );
  });

  it('joins every outcome to the request of the same PID, the interleaved pair included', () => {
    const outcomes = events.filter((e) => e.kind === 'finished' || e.kind === 'not-found');
    assert.deepEqual(
      outcomes.map((e) => [e.kind, pick(e, ['file']).file, e.pid, e.link]),
      [
        ['not-found', 'CTLSEP000E84C060A6.tlv', 8214, { line: 2, by: 'pid' }],
        ['finished', 'SEP000E84C060A6.cnf.xml', 8215, { line: 4, by: 'pid' }],
        ['finished', 'P0S3-8-12-00.loads', 8216, { line: 6, by: 'pid' }],
        ['finished', 'SIPDefault.cnf', 8217, { line: 8, by: 'pid' }],
        ['finished', './SIP000E84C060A6.cnf', 8218, { line: 10, by: 'pid' }],
        ['finished', 'RINGLIST.DAT', 8219, { line: 12, by: 'pid' }],
        ['finished', 'dialplan.xml', 8220, { line: 13, by: 'pid' }],
      ],
    );
  });

  it('reads the xinetd START line as a connection with the pid it started', () => {
    assert.deepEqual(pick(nth(events, 0), ['kind', 'client', 'service', 'childPid', 'pid']), {
      kind: 'connection',
      client: '192.168.1.130',
      service: 'tftp',
      childPid: 8213,
      pid: 939,
    });
  });

  it('takes the year from the reference time and the zone from the context, and says so', () => {
    assert.equal(nth(events, 0).time, utcSeconds('2020-12-20T03:25:25.000Z'));
    assert.equal(nth(events, 14).time, utcSeconds('2020-12-20T03:25:51.000Z'));
    assert.deepEqual(nth(events, 0).timeAssumes, ['year', 'utc-offset']);
    const cet = parseServerLog(LKML_TEO, { ...LKML_CONTEXT, utcOffsetMinutes: 60 });
    assert.equal(nth(cet, 0).time, utcSeconds('2020-12-20T02:25:25.000Z'));
  });
});

describe('tftpd-hpa NAKs and errors (phone-facts 6.1)', () => {
  // sysop.ca, CentOS 6: the NAK comes from another PID than the RRQ in this excerpt.
  const SYSOP = `Apr 13 10:25:10 pbx in.tftpd[2732]: RRQ from 10.10.10.10 filename term11.default.loads
Apr 13 10:25:10 pbx in.tftpd[2733]: sending NAK (1, File not found) to 10.10.10.10
Apr 13 10:25:11 pbx in.tftpd[2734]: tftpd: read(ack): Connection refused`;

  it('joins a NAK without a file name to the RRQ by client and order when the PIDs differ, and says so', () => {
    const [rrq, nak, refused] = parseServerLog(SYSOP, CONTEXT_2026);
    assert.equal(rrq?.kind, 'request');
    assert.deepEqual(pick(nak, ['kind', 'code', 'text', 'client', 'file', 'pid', 'link']), {
      kind: 'not-found',
      code: 1,
      text: 'File not found',
      client: '10.10.10.10',
      file: 'term11.default.loads',
      pid: 2733,
      link: { line: 1, by: 'client-order' },
    });
    assert.deepEqual(pick(refused, ['kind', 'text', 'pid', 'link']), {
      kind: 'error',
      text: 'tftpd: read(ack): Connection refused',
      pid: 2734,
      link: undefined,
    });
  });

  it('joins a NAK by PID when the PID matches', () => {
    const [, nak] = parseServerLog(
      'Apr 13 10:25:10 pbx in.tftpd[2732]: RRQ from 10.10.10.10 filename SIPDefault.cnf\n' +
        'Apr 13 10:25:10 pbx in.tftpd[2732]: sending NAK (2, Access denied) to 10.10.10.10\n',
      CONTEXT_2026,
    );
    assert.deepEqual(pick(nak, ['kind', 'code', 'text', 'file', 'link']), {
      kind: 'error',
      code: 2,
      text: 'Access denied',
      file: 'SIPDefault.cnf',
      link: { line: 1, by: 'pid' },
    });
  });

  it('reads the remapped form and joins the finished line to it (sccp_manager #79)', () => {
    const [rrq, finished] = parseServerLog(
      'Mar 28 11:38:42 freepbx in.tftpd[2080]: RRQ from 10.98.1.5 filename ' +
        'term61.default.loads remapped to firmware/7941/term61.default.loads\n' +
        'Mar 28 11:38:42 freepbx in.tftpd[2080]: Client 10.98.1.5 finished term61.default.loads\n',
      CONTEXT_2026,
    );
    assert.deepEqual(pick(rrq, ['kind', 'op', 'file', 'remappedTo']), {
      kind: 'request',
      op: 'RRQ',
      file: 'term61.default.loads',
      remappedTo: 'firmware/7941/term61.default.loads',
    });
    assert.deepEqual(finished?.link, { line: 1, by: 'pid' });
  });

  it('reads a NAK with an errno text (code 0) as an error, and a WRQ', () => {
    const [wrq, nak] = parseServerLog(
      'Nov 26 06:22:23 lab in.tftpd[7]: WRQ from 192.0.2.9 filename upload.txt\n' +
        'Nov 26 06:22:23 lab in.tftpd[7]: sending NAK (0, Permission denied) to 192.0.2.9\n',
      CONTEXT_2026,
    );
    assert.deepEqual(pick(wrq, ['kind', 'op']), { kind: 'request', op: 'WRQ' });
    assert.deepEqual(pick(nak, ['kind', 'code', 'text', 'file']), {
      kind: 'error',
      code: 0,
      text: 'Permission denied',
      file: 'upload.txt',
    });
  });
});

describe('syslog frames around tftpd-hpa lines', () => {
  const message = 'RRQ from 192.0.2.5 filename SIPDefault.cnf';
  const cases: [string, string, string | undefined, readonly string[] | undefined][] = [
    ['classic', `Nov 26 06:22:23 lab in.tftpd[1]: ${message}`, '2026-11-26T06:22:23.000Z', ['year', 'utc-offset']],
    [
      'classic with PRI',
      `<29>Nov 26 06:22:23 lab in.tftpd[1]: ${message}`,
      '2026-11-26T06:22:23.000Z',
      ['year', 'utc-offset'],
    ],
    [
      'journalctl short-precise',
      `Nov 26 06:22:23.123456 lab in.tftpd[1]: ${message}`,
      '2026-11-26T06:22:23.123Z',
      ['year', 'utc-offset'],
    ],
    [
      'ISO (rsyslog)',
      `2026-11-26T06:22:23.123456+00:00 lab in.tftpd[1]: ${message}`,
      '2026-11-26T06:22:23.123Z',
      undefined,
    ],
    [
      'journalctl short-iso',
      `2026-11-26T07:22:23+0100 lab in.tftpd[1]: ${message}`,
      '2026-11-26T06:22:23.000Z',
      undefined,
    ],
    [
      'journalctl short-full',
      `Thu 2026-11-26 06:22:23 UTC lab in.tftpd[1]: ${message}`,
      '2026-11-26T06:22:23.000Z',
      undefined,
    ],
    ['journalctl short-unix', `1795674143.123456 lab in.tftpd[1]: ${message}`, '2026-11-26T06:22:23.123Z', undefined],
    ['journalctl short-monotonic', `[ 5123.123456] lab in.tftpd[1]: ${message}`, undefined, undefined],
    [
      'RFC 5424',
      `<29>1 2026-11-26T07:22:23.123456+01:00 lab in.tftpd 1 - - ${message}`,
      '2026-11-26T06:22:23.123Z',
      undefined,
    ],
    ['no host', `Nov 26 06:22:23 in.tftpd[1]: ${message}`, '2026-11-26T06:22:23.000Z', ['year', 'utc-offset']],
  ];
  for (const [name, line, time, assumes] of cases) {
    it(`reads ${name}`, () => {
      const e = parseServerLogLine(line, 7, CONTEXT_2026);
      assert.deepEqual(pick(e, ['kind', 'program', 'tag', 'pid', 'message', 'time', 'timeAssumes', 'line', 'raw']), {
        kind: 'request',
        program: 'tftpd-hpa',
        tag: 'in.tftpd',
        pid: 1,
        message,
        time: time === undefined ? undefined : utcSeconds(time),
        timeAssumes: assumes,
        line: 7,
        raw: line,
      });
    });
  }

  it("keeps lines of other programs in a mixed log as raw, never lost; journalctl's boot mark is read as a note", () => {
    const events = parseServerLog(
      'Nov 26 06:22:22 lab sshd[99]: Accepted publickey for root\nNov 26 06:22:23 lab in.tftpd[1]: ' +
        'RRQ from 192.0.2.5 filename a\n\n-- Boot 1234 --\n',
      CONTEXT_2026,
    );
    assert.deepEqual(
      events.map((e) => [e.kind, e.program, e.raw]),
      [
        ['raw', 'other', 'Nov 26 06:22:22 lab sshd[99]: Accepted publickey for root'],
        ['request', 'tftpd-hpa', 'Nov 26 06:22:23 lab in.tftpd[1]: RRQ from 192.0.2.5 filename a'],
        ['raw', 'other', ''],
        ['info', 'other', '-- Boot 1234 --'],
      ],
    );
  });

  it('writes an IPv4-mapped client address as plain IPv4', () => {
    const e = parseServerLogLine(
      'Nov 26 06:22:23 lab in.tftpd[1]: RRQ from ::ffff:192.0.2.5 filename a',
      1,
      CONTEXT_2026,
    );
    assert.equal(pick(e, ['client']).client, '192.0.2.5');
  });
});
