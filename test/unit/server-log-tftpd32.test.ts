import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { parseServerLog } from '../../parsers/server-log/parse.js';
import { defined, first, nth, utcSeconds } from '../helpers.js';

const CONTEXT = { referenceTime: utcSeconds('2026-11-26T06:00:00Z'), utcOffsetMinutes: 120 };

function pick(e: ServerLogEvent | undefined, keys: readonly string[]): Record<string, unknown> {
  const record = defined(e, 'a parsed event') as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, record[k]]));
}

describe('tftpd32/tftpd64 logs (phone-facts 6.2)', () => {
  it('reads a served file: connection, request joined to it, local port, transfer report (pastebin MHLZ84hh)', () => {
    const events = parseServerLog(
      [
        'Connection received from 192.168.1.2 on port 50567 [05/07 15:42:33.496]',
        'Read request for file <term75.default.loads>. Mode octet [05/07 15:42:33.496]',
        'Using local port 59287 [05/07 15:42:33.496]',
        '<term75.default.loads>: sent 2 blks, 666 bytes in 0 s. 0 blk resent [05/07 15:42:33.499]',
      ].join('\r\n'),
      CONTEXT,
    );
    assert.ok(events.every((e) => e.program === 'tftpd32'));
    assert.deepEqual(pick(nth(events, 0), ['kind', 'client', 'port']), {
      kind: 'connection',
      client: '192.168.1.2',
      port: 50567,
    });
    assert.deepEqual(pick(nth(events, 1), ['kind', 'op', 'file', 'mode', 'client', 'port', 'link']), {
      kind: 'request',
      op: 'RRQ',
      file: 'term75.default.loads',
      mode: 'octet',
      client: '192.168.1.2',
      port: 50567,
      link: { line: 1, by: 'connection-order' },
    });
    assert.deepEqual(pick(nth(events, 2), ['kind', 'port']), { kind: 'local-port', port: 59287 });
    assert.deepEqual(
      pick(nth(events, 3), [
        'kind',
        'file',
        'client',
        'direction',
        'blocks',
        'bytes',
        'seconds',
        'blocksResent',
        'link',
      ]),
      {
        kind: 'finished',
        file: 'term75.default.loads',
        client: '192.168.1.2',
        direction: 'sent',
        blocks: 2,
        bytes: 666,
        seconds: 0,
        blocksResent: 0,
        link: { line: 2, by: 'file-order' },
      },
    );
  });

  it('reads the stamp day first: [05/07 ...] is 5 July, local time of the context', () => {
    const e = first(parseServerLog('Using local port 59287 [05/07 15:42:33.496]', CONTEXT), 'the stamped event');
    assert.equal(e.time, utcSeconds('2026-07-05T13:42:33.496Z'));
    assert.deepEqual(e.timeAssumes, ['year', 'utc-offset']);
    assert.equal(e.message, 'Using local port 59287');
  });

  it('keeps the localised Windows error text verbatim and reads "not found" from its number (pastebin XEnTdXE9)', () => {
    const events = parseServerLog(
      'Read request for file <CTLSEPA8B1D4FAFAF1.tlv>. Mode octet [12/11 15:01:58.768]\n' +
        'File <CTLSEPA8B1D4FAFAF1.tlv> : ' +
        'error 2 in system call CreateFile Не удается найти указанный файл. [12/11 15:01:58.768]\n',
      CONTEXT,
    );
    assert.deepEqual(pick(nth(events, 1), ['kind', 'file', 'osError', 'text', 'link', 'time']), {
      kind: 'not-found',
      file: 'CTLSEPA8B1D4FAFAF1.tlv',
      osError: 2,
      text: 'Не удается найти указанный файл.',
      link: { line: 1, by: 'file-order' },
      time: utcSeconds('2026-11-12T13:01:58.768Z'),
    });
  });

  it('reads another system error as an error, joined across the slash tftpd32 turns into a backslash', () => {
    const events = parseServerLog(
      'Connection received from 192.0.2.7 on port 1025 [26/11 06:00:00.000]\n' +
        'Read request for file <cfg/SIPDefault.cnf>. Mode octet [26/11 06:00:00.001]\n' +
        'File <cfg\\SIPDefault.cnf> : error 5 in system call CreateFile Access is denied. [26/11 06:00:00.002]\n',
      CONTEXT,
    );
    assert.deepEqual(pick(nth(events, 2), ['kind', 'file', 'osError', 'systemCall', 'text', 'client', 'link']), {
      kind: 'error',
      file: 'cfg\\SIPDefault.cnf',
      osError: 5,
      systemCall: 'CreateFile',
      text: 'Access is denied.',
      client: '192.0.2.7',
      link: { line: 2, by: 'file-order' },
    });
  });

  it("reads the EBADOP answer to a stray datagram and gives it the connection's client (PJO2/tftpd64 #23)", () => {
    const events = parseServerLog(
      'Connection received from 10.0.2.2 on port 57634 [28/08 02:18:40.879]\n' +
        'Unexpected request 8812 from peer [28/08 02:18:40.879]\n' +
        'Returning EBADOP to Peer [28/08 02:18:40.879]\n',
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, ['kind', 'client', 'code', 'text', 'link'])),
      [
        { kind: 'connection', client: '10.0.2.2', code: undefined, text: undefined, link: undefined },
        {
          kind: 'error',
          client: '10.0.2.2',
          code: undefined,
          text: 'Unexpected request 8812 from peer',
          link: { line: 1, by: 'connection-order' },
        },
        {
          kind: 'error',
          client: '10.0.2.2',
          code: 4,
          text: 'Returning EBADOP to Peer',
          link: { line: 1, by: 'connection-order' },
        },
      ],
    );
    assert.equal(nth(events, 0).time, utcSeconds('2026-08-28T00:18:40.879Z'));
  });

  it('reads its DHCP lines, MAC in lower case', () => {
    const events = parseServerLog(
      [
        'Rcvd DHCP Discover Msg for IP 0.0.0.0, Mac 40:F4:EC:EE:EC:42 [05/07 15:42:27.148]',
        'IP address 192.168.1.2 flushed from ARP table [05/07 15:42:27.148]',
        'DHCP: proposed address 192.168.1.2 [05/07 15:42:27.148]',
        'Rcvd DHCP Rqst Msg for IP 0.0.0.0, Mac 40:F4:EC:EE:EC:42 [05/07 15:42:28.148]',
        'Previously allocated address 192.168.1.2 acked [05/07 15:42:28.148]',
        'Message received on an unbound interface (IP 172.16.222.11) [05/07 15:42:29.000]',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, ['kind', 'action', 'messageType', 'ip', 'mac'])),
      [
        { kind: 'dhcp', action: 'received', messageType: 'discover', ip: '0.0.0.0', mac: '40:f4:ec:ee:ec:42' },
        { kind: 'dhcp', action: 'arp-flushed', messageType: undefined, ip: '192.168.1.2', mac: undefined },
        { kind: 'dhcp', action: 'proposed', messageType: undefined, ip: '192.168.1.2', mac: undefined },
        { kind: 'dhcp', action: 'received', messageType: 'request', ip: '0.0.0.0', mac: '40:f4:ec:ee:ec:42' },
        { kind: 'dhcp', action: 'acked', messageType: undefined, ip: '192.168.1.2', mac: undefined },
        { kind: 'dhcp', action: 'unbound-interface', messageType: undefined, ip: '172.16.222.11', mac: undefined },
      ],
    );
  });

  it('reads transfers that failed midway as errors with their file', () => {
    const events = parseServerLog(
      'Read request for file <P0S3-8-12-00.sb2>. Mode octet [26/11 06:00:00.000]\n' +
        'MAX RETRIES while waiting for Ack block 17. file <P0S3-8-12-00.sb2> [26/11 06:00:30.000]\n' +
        'Peer returns ERROR <Disk full> -> aborting transfer [26/11 06:00:31.000]\n',
      CONTEXT,
    );
    assert.deepEqual(pick(nth(events, 1), ['kind', 'file', 'link']), {
      kind: 'error',
      file: 'P0S3-8-12-00.sb2',
      link: { line: 1, by: 'file-order' },
    });
    assert.deepEqual(pick(nth(events, 2), ['kind', 'text', 'fromPeer']), {
      kind: 'error',
      text: 'Disk full',
      fromPeer: true,
    });
  });

  it('keeps a tftpd32 line it does not know as raw, labelled tftpd32', () => {
    const [e] = parseServerLog('OACK: <tsize=666,> [05/07 15:42:33.496]', CONTEXT);
    assert.deepEqual(pick(e, ['kind', 'program', 'message']), {
      kind: 'raw',
      program: 'tftpd32',
      message: 'OACK: <tsize=666,>',
    });
  });
});
