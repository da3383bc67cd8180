import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { parseServerLog } from '../../parsers/server-log/parse.js';
import { defined, first, nth, sharedDir, utcSeconds } from '../helpers.js';

const CONTEXT = { referenceTime: utcSeconds('2026-11-26T06:00:00Z'), utcOffsetMinutes: 0 };

function pick(e: ServerLogEvent | undefined, keys: readonly string[]): Record<string, unknown> {
  const record = defined(e, 'a parsed event') as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}

describe('atftpd (phone-facts 6.3)', () => {
  it('reads the start line and a served file (pastebin a7WhRd9R)', () => {
    const may = { referenceTime: utcSeconds('2026-05-07T00:00:00Z'), utcOffsetMinutes: 0 };
    const [start, serving] = parseServerLog(
      'May 6 15:14:25 thoth atftpd[4061]: Advanced Trivial FTP server started (0.7)\n' +
        'May 6 15:15:37 thoth atftpd[4062]: Serving CTLSEP001AA192AB6D.tlv to 192.168.1.200:1024\n',
      may,
    );
    assert.deepEqual(pick(start, ['kind', 'program', 'version']), {
      kind: 'server-start',
      program: 'atftpd',
      version: '0.7',
    });
    assert.deepEqual(pick(serving, ['kind', 'op', 'file', 'client', 'port', 'pid', 'time']), {
      kind: 'request',
      op: 'RRQ',
      file: 'CTLSEP001AA192AB6D.tlv',
      client: '192.168.1.200',
      port: 1024,
      pid: 4062,
      time: utcSeconds('2026-05-06T15:15:37.000Z'),
    });
  });

  it('joins "File <path> not found" to the request for that file, not to the latest request of the same pid', () => {
    // atftpd serves all transfers from one process: two phones at once share the pid.
    const [, , notFound] = parseServerLog(
      'May 6 15:15:37 thoth atftpd[4062]: Serving CTLSEP001AA192AB6D.tlv to 192.168.1.200:1024\n' +
        'May 6 15:15:37 thoth atftpd[4062]: Serving SEP001AA192AB6E.cnf.xml to 192.168.1.201:1024\n' +
        'May 6 15:15:37 thoth atftpd[4062]: File /srv/tftp/CTLSEP001AA192AB6D.tlv not found\n',
      CONTEXT,
    );
    assert.deepEqual(pick(notFound, ['kind', 'file', 'path', 'client', 'link']), {
      kind: 'not-found',
      file: 'CTLSEP001AA192AB6D.tlv',
      path: '/srv/tftp/CTLSEP001AA192AB6D.tlv',
      client: '192.168.1.200',
      link: { line: 1, by: 'file-order' },
    });
  });
});

describe('atftpd --verbose=7 and tftpd-hpa -vvv notes', () => {
  it('reads the lines around a transfer as understood, and a client that stopped answering as a failure of its request', () => {
    // atftp tftpd.c / tftpd_file.c: "End of transfer", "%s option -> %s",
    // "Server thread exiting", "client (%s) not responding".
    const events = parseServerLog(
      [
        'Dec  7 06:01:00 vm atftpd[11453]: Serving SEP001122334455.cnf.xml to 192.168.77.200:50073',
        'Dec  7 06:01:00 vm atftpd[11453]: tsize option -> 3000',
        'Dec  7 06:01:00 vm atftpd[11453]: End of transfer',
        'Dec  7 06:01:00 vm atftpd[11453]: Server thread exiting',
        'Dec  7 06:01:01 vm atftpd[11453]: Serving P0S3-8-12-00.sb2 to 192.168.77.200:50074',
        'Dec  7 06:01:20 vm atftpd[11453]: client (192.168.77.200) not responding',
        'Dec  7 06:01:21 vm in.tftpd[11871]: remap: input: SEP001122334455.cnf.xml',
        'Dec  7 06:01:21 vm in.tftpd[11871]: remap: done',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['request', 'info', 'info', 'info', 'request', 'error', 'info', 'info'],
    );
    assert.deepEqual(pick(nth(events, 5), ['file', 'client']), { file: 'P0S3-8-12-00.sb2', client: '192.168.77.200' });
  });
});

describe('Cisco IOS debug tftp (phone-facts 6.4)', () => {
  const IOS = `TFTP: Looking for CTLSEP000ED7485DE3.tlv
TFTP: Server request for port 50919, socket_id 0x71523394 for process 334
TFTP: read request from host 10.2.10.11(50919) via GigabitEthernet0/0.302
TFTP: Looking for CTLSEP000B5FC22C23.tlv
TFTP: Sending error 1 No such file`;

  it('reads the CME guide block; a request takes the host of the read-request line before it', () => {
    const events = parseServerLog(IOS, CONTEXT);
    assert.ok(events.every((e) => e.program === 'cisco-ios' && e.time === undefined));
    assert.deepEqual(pick(nth(events, 0), ['kind', 'file', 'client', 'link']), {
      kind: 'request',
      file: 'CTLSEP000ED7485DE3.tlv',
      client: undefined,
      link: undefined,
    });
    assert.deepEqual(pick(nth(events, 1), ['kind', 'port']), { kind: 'connection', port: 50919 });
    assert.deepEqual(pick(nth(events, 2), ['kind', 'client', 'port', 'via']), {
      kind: 'connection',
      client: '10.2.10.11',
      port: 50919,
      via: 'GigabitEthernet0/0.302',
    });
    assert.deepEqual(pick(nth(events, 3), ['kind', 'op', 'file', 'client', 'port', 'link']), {
      kind: 'request',
      op: 'RRQ',
      file: 'CTLSEP000B5FC22C23.tlv',
      client: '10.2.10.11',
      port: 50919,
      link: { line: 3, by: 'connection-order' },
    });
    assert.deepEqual(pick(nth(events, 4), ['kind', 'code', 'text', 'file', 'client', 'link']), {
      kind: 'not-found',
      code: 1,
      text: 'No such file',
      file: 'CTLSEP000B5FC22C23.tlv',
      client: '10.2.10.11',
      link: { line: 4, by: 'request-order' },
    });
  });

  it('reads IOS time stamps, with and without a sequence number and zone, also inside syslog', () => {
    const events = parseServerLog(
      [
        '*Mar  1 00:01:02.345: TFTP: Looking for SEP000E84C060A6.cnf.xml',
        '000123: Nov 26 07:00:00.123 UTC: TFTP: Looking for SIPDefault.cnf',
        'Nov 26 06:30:00 192.0.2.1 123: Nov 26 06:29:59.900 CET: TFTP: Looking for RINGLIST.DAT',
        '000124: TFTP: Looking for dialplan.xml',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => [e.kind, e.program, pick(e, ['file']).file, e.time, e.timeAssumes]),
      [
        // An unset IOS clock (`*`) still gets the year nearest the reference: 1 March 2027 is nearer 26 November 2026.
        [
          'request',
          'cisco-ios',
          'SEP000E84C060A6.cnf.xml',
          utcSeconds('2027-03-01T00:01:02.345Z'),
          ['year', 'utc-offset'],
        ],
        ['request', 'cisco-ios', 'SIPDefault.cnf', utcSeconds('2026-11-26T07:00:00.123Z'), ['year']],
        ['request', 'cisco-ios', 'RINGLIST.DAT', utcSeconds('2026-11-26T06:30:00.000Z'), ['year', 'utc-offset']],
        ['request', 'cisco-ios', 'dialplan.xml', undefined, undefined],
      ],
    );
  });
});

describe('the server-log lines quoted in ../shared/phone-facts.md', () => {
  it('are all recognised (sections 2.1, 6.1 to 6.4)', (t) => {
    const shared = sharedDir();
    if (!shared) return t.skip('../shared is not present');
    const facts = readFileSync(path.join(shared, 'phone-facts.md'), 'utf8');
    const blockLines = (heading: string): string[] => {
      const start = facts.indexOf(heading);
      const end = facts.indexOf('\n### ', start + 1);
      return [...facts.slice(start, end).matchAll(/```\n([\s\S]*?)```/g)].flatMap((m) =>
        nth(m, 1)
          .split('\n')
          .filter((l) => l !== ''),
      );
    };
    // 6.3 quotes its two lines inline, separated by " / ".
    const atftpd = [...facts.matchAll(/`((?:May|Jun) \d+ [^`]*atftpd\[\d+\]: [^`]*)`/g)].map((m) => nth(m, 1));
    const lines = [
      ...blockLines('### 2.1 '),
      ...blockLines('### 6.1 '),
      ...blockLines('### 6.2 '),
      ...blockLines('### 6.4 '),
      ...atftpd,
    ];
    assert.ok(lines.length >= 15 + 5 + 9 + 5 + 2, `found ${lines.length} quoted lines`);
    for (const line of lines) {
      const e = first(parseServerLog(line, CONTEXT), `the event of ${line}`);
      assert.notEqual(e.kind, 'raw', line);
    }
  });
});
