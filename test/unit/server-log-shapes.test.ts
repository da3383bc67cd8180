/**
 * Server-log lines in the shapes they arrive in: the syslog frames of rsyslog, syslog-ng,
 * BusyBox and OpenWrt, journalctl, rsyslog's control-character escapes, and lines as a mail
 * program, a terminal or a paste leave them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { parseServerLog, parseServerLogLine } from '../../parsers/server-log/parse.js';
import { utcSeconds } from '../helpers.js';

const CONTEXT = { referenceTime: utcSeconds('2026-12-07T06:00:00Z'), utcOffsetMinutes: 0 };
const RRQ = 'RRQ from 192.0.2.106 filename SEP000E84C060A6.cnf.xml';

function pick(e: ServerLogEvent, keys: readonly string[]): Record<string, unknown> {
  const record = e as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

describe('syslog frames', () => {
  const cases: readonly (readonly [string, string, Record<string, unknown>])[] = [
    // BusyBox syslogd.c timestamp_and_log: sprintf("%s %.64s %s %s\n", timestamp, hostname, fac.prio, msg).
    [
      'BusyBox syslogd / logread, facility.priority after the host',
      `Dec  3 14:02:11 gw daemon.info in.tftpd[811]: ${RRQ}`,
      { host: 'gw', tag: 'in.tftpd', pid: 811, time: utcSeconds('2026-12-03T14:02:11.000Z') },
    ],
    [
      'BusyBox with a facility it has no name for',
      `Dec  3 14:02:11 gw <184>.info in.tftpd[811]: ${RRQ}`,
      { host: 'gw', tag: 'in.tftpd', pid: 811 },
    ],
    ['BusyBox -S (no host, no facility)', `Dec  3 14:02:11 in.tftpd[811]: ${RRQ}`, { tag: 'in.tftpd', pid: 811 }],
    // OpenWrt logd's logread: the full ctime with year, facility.priority, no host.
    [
      'OpenWrt logread',
      `Sat Dec  7 06:00:09 2024 daemon.info in.tftpd[811]: ${RRQ}`,
      { tag: 'in.tftpd', pid: 811, time: utcSeconds('2024-12-07T06:00:09.000Z') },
    ],
    // rsyslog RSYSLOG_FileFormat: %TIMESTAMP:::date-rfc3339% %HOSTNAME% %syslogtag%%msg%.
    [
      'rsyslog high-precision RFC 3339',
      `2026-12-07T05:58:44.366508+01:00 vm in.tftpd[811]: ${RRQ}`,
      { host: 'vm', tag: 'in.tftpd', time: utcSeconds('2026-12-07T04:58:44.366Z') },
    ],
    // RSYSLOG_SyslogProtocol23Format keeps the legacy message's leading space: two spaces before it.
    [
      'RFC 5424 as rsyslog forwards it',
      `<30>1 2026-12-07T05:58:44.366508+00:00 vm in.tftpd 811 - -  ${RRQ}`,
      { host: 'vm', tag: 'in.tftpd', pid: 811, time: utcSeconds('2026-12-07T05:58:44.366Z') },
    ],
    // syslog-ng's default file template: ${DATE} ${HOST} ${MSGHDR}${MSG}.
    ['syslog-ng', `Dec  7 05:58:44 tftp-host in.tftpd[811]: ${RRQ}`, { host: 'tftp-host', tag: 'in.tftpd' }],
    // systemd logs-show.c: short uses "%b %d %H:%M:%S" (day zero-padded), short-precise adds ".%06u".
    [
      'journalctl -o short-precise',
      `Dec 07 05:58:44.366508 vm in.tftpd[811]: ${RRQ}`,
      { host: 'vm', time: utcSeconds('2026-12-07T05:58:44.366Z') },
    ],
    [
      'journalctl -o short-iso',
      `2026-12-07T05:58:44+0000 vm in.tftpd[811]: ${RRQ}`,
      { host: 'vm', time: utcSeconds('2026-12-07T05:58:44.000Z') },
    ],
  ];
  for (const [name, line, expected] of cases) {
    it(`reads ${name}`, () => {
      const e = parseServerLogLine(line, 1, CONTEXT);
      assert.equal(e.kind, 'request', line);
      assert.equal(pick(e, ['file']).file, 'SEP000E84C060A6.cnf.xml');
      assert.deepEqual(pick(e, Object.keys(expected)), expected);
    });
  }

  it('reads journalctl -o json, a MESSAGE given as bytes (binary) with its CR kept', () => {
    // systemd.journal-fields(7): __REALTIME_TIMESTAMP in microseconds; journalctl -o json
    // writes non-UTF-8 or control-character values as arrays of bytes.
    const bytes = [...Buffer.from('RRQ from 192.0.2.106 filename P0S30203 \r.bin', 'latin1')];
    const line = JSON.stringify({
      __REALTIME_TIMESTAMP: '1796623124366508',
      _HOSTNAME: 'vm',
      SYSLOG_IDENTIFIER: 'in.tftpd',
      SYSLOG_PID: '811',
      MESSAGE: bytes,
    });
    const e = parseServerLogLine(line, 1, CONTEXT);
    assert.deepEqual(pick(e, ['kind', 'file', 'host', 'tag', 'pid', 'time']), {
      kind: 'request',
      file: 'P0S30203 \r.bin',
      host: 'vm',
      tag: 'in.tftpd',
      pid: 811,
      time: 1796623124366 / 1000,
    });
  });

  it("decodes rsyslog's #ooo escapes (parser.escapeControlCharactersOnReceive, on by default): #015 is the CR the phone sent", () => {
    const e = parseServerLogLine(
      'Nov 26 08:16:58 tftpserver in.tftpd[2223]: RRQ from 192.0.2.106 filename P0S30203 #015.bin',
      1,
      CONTEXT,
    );
    assert.equal(pick(e, ['file']).file, 'P0S30203 \r.bin');
    const tab = parseServerLogLine(
      'Nov 26 08:16:58 tftpserver in.tftpd[2223]: RRQ from 192.0.2.106 filename a#011b #1234',
      1,
      CONTEXT,
    );
    assert.equal(pick(tab, ['file']).file, 'a\tb #1234', 'only the escapes of control characters are decoded');
  });
});

describe('lines as they arrive', () => {
  it('joins a line a mail program broke at a space, and one a terminal broke mid-word', () => {
    const events = parseServerLog(
      [
        'Nov 26 08:03:37 tftpserver in.tftpd[25763]: RRQ from 192.0.2.106 filename',
        'SEP000E84C060A6.cnf.xml',
        'Nov 26 08:03:37 tftpserver in.tftpd[25764]: RRQ from 192.0.2.106 filename P0S3-8-1',
        '2-00.loads',
        'Nov 26 08:03:38 tftpserver in.tftpd[25764]: sending NAK (1, File not found) to 192.0.2.106',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, ['line', 'kind', 'file', 'joined'])),
      [
        { line: 1, kind: 'request', file: 'SEP000E84C060A6.cnf.xml', joined: 1 },
        { line: 3, kind: 'request', file: 'P0S3-8-12-00.loads', joined: 1 },
        { line: 5, kind: 'not-found', file: 'P0S3-8-12-00.loads' },
      ],
    );
  });

  it('joins a dnsmasq line broken inside its message, and leaves a line that has its own time alone', () => {
    const events = parseServerLog(
      [
        'Nov 26 08:03:37 dnsmasq-dhcp[25735]: 1611704297 DHCPOFFER(s0) 192.0.2.106',
        '00:0e:84:c0:60:a6',
        'Nov 26 08:03:37 dnsmasq-dhcp[25735]: 1611704297 DHCPREQUEST(s0) 192.0.2.106 00:0e:84:c0:60:a6',
        'Nov 26 08:03:37 sshd[1]: a line of another program',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, ['line', 'kind', 'messageType', 'mac', 'joined'])),
      [
        { line: 1, kind: 'dhcp', messageType: 'offer', mac: '00:0e:84:c0:60:a6', joined: 1 },
        { line: 3, kind: 'dhcp', messageType: 'request', mac: '00:0e:84:c0:60:a6' },
        { line: 4, kind: 'raw' },
      ],
    );
  });

  it('reads the lines of a mail reply that quotes the log (`> `), broken lines included', () => {
    const events = parseServerLog(
      [
        '> > Nov 26 08:03:37 tftpserver in.tftpd[25763]: RRQ from 192.0.2.106 filename',
        '> > SEP000E84C060A6.cnf.xml',
        '> Nov 26 08:03:37 tftpserver in.tftpd[25763]: sending NAK (1, File not found) to 192.0.2.106',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, ['line', 'kind', 'file', 'joined'])),
      [
        { line: 1, kind: 'request', file: 'SEP000E84C060A6.cnf.xml', joined: 1 },
        { line: 3, kind: 'not-found', file: 'SEP000E84C060A6.cnf.xml' },
      ],
    );
  });

  it('does not join a line that needs nothing', () => {
    const events = parseServerLog(
      `Nov 26 08:03:37 tftpserver in.tftpd[1]: ${RRQ}\nsome words a person typed\n`,
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['request', 'raw'],
    );
  });

  it('reads lines after a sequence number or a pasted shell prompt', () => {
    const lines = [
      `12: Nov 26 08:03:37 tftpserver in.tftpd[1]: ${RRQ}`,
      `   12\tNov 26 08:03:37 tftpserver in.tftpd[1]: ${RRQ}`,
      `root@OpenWrt:~# Sat Dec  7 06:00:09 2024 daemon.info in.tftpd[811]: ${RRQ}`,
      `$ Nov 26 08:03:37 tftpserver in.tftpd[1]: ${RRQ}`,
      `/var/log/syslog:1234:Nov 26 08:03:37 tftpserver in.tftpd[1]: ${RRQ}`,
      `tftpd.log:Nov 26 08:03:37 tftpserver in.tftpd[1]: ${RRQ}`,
    ];
    for (const line of lines) assert.equal(parseServerLogLine(line, 1, CONTEXT).kind, 'request', line);
  });
});
