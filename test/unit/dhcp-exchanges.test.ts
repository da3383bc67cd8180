import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Timestamp } from '../../parsers/capture/frame.js';
import { DhcpExchangeTracker, type DhcpExchange, type DhcpServerReply } from '../../parsers/dhcp/exchanges.js';
import {
  bootFileField,
  bootfileName,
  nextServerAddress,
  requestedAddress,
  serverHostName,
  serverIdentifier,
  serverMessage,
  tftpServerAddresses,
  tftpServerNameAsSent,
  yourAddress,
} from '../../parsers/dhcp/fields.js';
import { dhcpMessage, PHONE_DISCOVER, type DhcpHeader, type DhcpOptionValues } from '../dhcp-message.js';

const VENDOR_CLASS = 'Cisco Systems, Inc. IP Phone CP-7960G';

function at(seconds: number): Timestamp {
  return { seconds, nanos: 0, digits: 6 };
}

/** What a reply says about the TFTP server and the file to load, each fact when present. */
function tftpHints(reply: DhcpServerReply | undefined): Record<string, string | readonly string[] | undefined> {
  if (reply === undefined) return {};
  const { message } = reply;
  const hints = {
    option66: tftpServerNameAsSent(message),
    option150: tftpServerAddresses(message),
    siaddr: nextServerAddress(message),
    sname: serverHostName(message),
    option67: bootfileName(message),
    file: bootFileField(message),
  };
  return Object.fromEntries(Object.entries(hints).filter(([, value]) => value !== undefined));
}

class Network {
  readonly exchanges: DhcpExchange[] = [];
  readonly tracker = new DhcpExchangeTracker({ onExchange: (e) => this.exchanges.push(e) });
  frame = 0;

  send(seconds: number, srcIp: string, message: Partial<DhcpHeader>, options: DhcpOptionValues = {}): number {
    this.frame += 1;
    this.tracker.add({
      frame: this.frame,
      time: at(seconds),
      srcIp,
      message: dhcpMessage({ ...PHONE_DISCOVER, ...message }, options),
    });
    return this.frame;
  }
}

describe('DHCP exchanges', () => {
  it('two servers offer: every offer with its server and its TFTP hints, then REQUEST and ACK', () => {
    const net = new Network();
    net.send(100, '0.0.0.0', { messageType: 'DISCOVER' }, { vendorClass: VENDOR_CLASS });
    net.send(
      100.1,
      '198.51.100.1',
      { op: 2, messageType: 'OFFER', yiaddr: '198.51.100.50', siaddr: '198.51.100.1' },
      {
        serverId: '198.51.100.1',
        tftpServers: ['198.51.100.5', '198.51.100.6'],
      },
    );
    net.send(
      100.2,
      '198.51.100.2',
      { op: 2, messageType: 'OFFER', yiaddr: '198.51.100.60', sname: 'tftp.example', file: 'SEPdefault.cnf' },
      {
        tftpServerName: '198.51.100.9',
        bootfileName: 'P0S3-8-12-00.loads',
      },
    );
    net.send(
      100.3,
      '0.0.0.0',
      { messageType: 'REQUEST' },
      { serverId: '198.51.100.1', requestedIp: '198.51.100.50', vendorClass: VENDOR_CLASS },
    );
    const ackFrame = net.send(
      100.4,
      '198.51.100.1',
      { op: 2, messageType: 'ACK', yiaddr: '198.51.100.50' },
      {
        serverId: '198.51.100.1',
        tftpServers: ['198.51.100.5'],
      },
    );
    net.tracker.finish();

    assert.equal(net.exchanges.length, 1);
    const [e] = net.exchanges;
    assert.ok(e);
    assert.equal(e.client, '00:0e:84:c0:60:a6');
    assert.equal(e.xid, 0x3903f326);
    assert.equal(e.vendorClass, VENDOR_CLASS);
    assert.equal(e.outcome, 'acked');
    assert.deepEqual(e.frames, [1, 2, 3, 4, 5]);
    assert.deepEqual(e.firstTime, at(100));
    assert.deepEqual(e.lastTime, at(100.4));
    assert.deepEqual(
      e.clientMessages.map((m) => m.type),
      ['DISCOVER', 'REQUEST'],
    );
    const request = e.clientMessages[1];
    assert.ok(request);
    assert.equal(serverIdentifier(request.message), '198.51.100.1');
    assert.equal(requestedAddress(request.message), '198.51.100.50');
    assert.deepEqual(
      e.offers.map((o) => [o.server, yourAddress(o.message), tftpHints(o)]),
      [
        ['198.51.100.1', '198.51.100.50', { option150: ['198.51.100.5', '198.51.100.6'], siaddr: '198.51.100.1' }],
        [
          '198.51.100.2',
          '198.51.100.60',
          { option66: '198.51.100.9', sname: 'tftp.example', option67: 'P0S3-8-12-00.loads', file: 'SEPdefault.cnf' },
        ],
      ],
      'the second server sent no option 54: its source address names it',
    );
    assert.deepEqual(
      e.answers.map((a) => [a.type, a.server, a.frame, tftpHints(a)]),
      [['ACK', '198.51.100.1', ackFrame, { option150: ['198.51.100.5'] }]],
    );
  });

  it('keeps exchanges of different clients and transaction ids apart', () => {
    const net = new Network();
    net.send(1, '0.0.0.0', { xid: 1 });
    net.send(1, '0.0.0.0', { xid: 2 });
    net.send(1, '0.0.0.0', { xid: 1, chaddr: '00:0e:84:c0:60:a7' });
    net.tracker.finish();
    assert.equal(net.exchanges.length, 3);
    assert.ok(net.exchanges.every((e) => e.outcome === 'no-offer' && e.clientMessages.length === 1));
  });

  it('outcomes: no-offer, offered-not-requested, nak, requested-no-answer', () => {
    const net = new Network();
    net.send(1, '0.0.0.0', { xid: 1 });
    net.send(2, '0.0.0.0', { xid: 1 });
    net.send(1, '0.0.0.0', { xid: 2 });
    net.send(1.1, '198.51.100.1', { xid: 2, op: 2, messageType: 'OFFER', yiaddr: '198.51.100.50' });
    net.send(1, '198.51.100.77', { xid: 3, messageType: 'REQUEST', ciaddr: '198.51.100.77' });
    net.send(
      1.1,
      '198.51.100.1',
      { xid: 3, op: 2, messageType: 'NAK' },
      { serverId: '198.51.100.1', message: 'wrong network' },
    );
    net.send(1, '0.0.0.0', { xid: 4, messageType: 'REQUEST' });
    net.tracker.finish();
    const byXid = new Map(net.exchanges.map((e) => [e.xid, e]));
    assert.equal(byXid.get(1)?.outcome, 'no-offer');
    assert.equal(byXid.get(1)?.clientMessages.length, 2, 'a repeated DISCOVER joins its exchange');
    assert.equal(byXid.get(2)?.outcome, 'offered-not-requested');
    assert.equal(byXid.get(3)?.outcome, 'nak');
    const nak = byXid.get(3)?.answers[0];
    assert.ok(nak);
    assert.equal(serverMessage(nak.message), 'wrong network');
    assert.equal(byXid.get(4)?.outcome, 'requested-no-answer');
  });

  it('plain BOOTP (no option 53): request and reply', () => {
    const net = new Network();
    net.send(1, '0.0.0.0', { messageType: undefined });
    net.send(1.1, '198.51.100.1', {
      op: 2,
      messageType: undefined,
      yiaddr: '198.51.100.50',
      file: 'pxelinux.0',
      siaddr: '198.51.100.5',
    });
    net.tracker.finish();
    const [e] = net.exchanges;
    assert.equal(e?.outcome, 'acked');
    assert.deepEqual(tftpHints(e?.answers[0]), { siaddr: '198.51.100.5', file: 'pxelinux.0' });
  });

  it('emits a settled exchange once capture time moves on, an unsettled one after the idle time', () => {
    const net = new Network();
    net.send(1, '0.0.0.0', { xid: 1, messageType: 'REQUEST' });
    net.send(1.1, '198.51.100.1', { xid: 1, op: 2, messageType: 'ACK' });
    net.send(1.2, '0.0.0.0', { xid: 2, messageType: 'DISCOVER' });
    net.send(12, '0.0.0.0', { xid: 3, messageType: 'DISCOVER' });
    assert.deepEqual(
      net.exchanges.map((e) => e.xid),
      [1],
      'the ACKed exchange after 10 s',
    );
    net.send(70, '0.0.0.0', { xid: 4, messageType: 'DISCOVER' });
    assert.deepEqual(
      net.exchanges.map((e) => e.xid),
      [1, 2],
      'xid 3 has been quiet for 58 s only',
    );
    net.send(73, '0.0.0.0', { xid: 4, messageType: 'DISCOVER' });
    assert.deepEqual(
      net.exchanges.map((e) => e.xid),
      [1, 2, 3],
    );
  });

  it('a DISCOVER after the ACK is the client starting over: a new exchange, even with the same xid', () => {
    // A phone rebooting every few seconds with the same transaction id (as a replayed capture does).
    const net = new Network();
    for (const start of [1, 4, 7]) {
      net.send(start, '0.0.0.0', { messageType: 'DISCOVER' });
      net.send(start + 0.1, '198.51.100.1', { op: 2, messageType: 'OFFER', yiaddr: '198.51.100.50' });
      net.send(start + 0.2, '0.0.0.0', { messageType: 'REQUEST' }, { requestedIp: '198.51.100.50' });
      net.send(start + 0.3, '198.51.100.1', { op: 2, messageType: 'ACK', yiaddr: '198.51.100.50' });
    }
    net.send(7.5, '198.51.100.1', { op: 2, messageType: 'ACK', yiaddr: '198.51.100.50' });
    net.tracker.finish();
    assert.deepEqual(
      net.exchanges.map((e) => [e.clientMessages.map((m) => m.type).join(' '), e.answers.length, e.outcome]),
      [
        ['DISCOVER REQUEST', 1, 'acked'],
        ['DISCOVER REQUEST', 1, 'acked'],
        ['DISCOVER REQUEST', 2, 'acked'],
      ],
      'a late repeated ACK still joins the last one',
    );
  });

  it('a client retrying without end keeps its first and last messages and counts the rest', () => {
    const net = new Network();
    const retries = 1000;
    for (let i = 0; i < retries; i++) net.send(1 + i * 4, '0.0.0.0', { messageType: 'DISCOVER' });
    const pending = net.tracker.pending();
    assert.equal(pending.length, 1, 'never quiet for the idle time: still open');
    assert.equal(pending[0]!.outcome, 'no-offer');
    assert.equal(pending[0]!.clientMessages.length, 48);
    assert.equal(pending[0]!.omittedMessages, retries - 48);
    // At last a server answers: the answer and the REQUEST are kept, the first DISCOVERs too.
    const offer = net.send(4001, '198.51.100.1', { op: 2, messageType: 'OFFER', yiaddr: '198.51.100.50' });
    const request = net.send(4001.1, '0.0.0.0', { messageType: 'REQUEST' }, { requestedIp: '198.51.100.50' });
    const ack = net.send(4001.2, '198.51.100.1', { op: 2, messageType: 'ACK', yiaddr: '198.51.100.50' });
    net.tracker.finish();
    const [e] = net.exchanges;
    assert.equal(e?.outcome, 'acked');
    assert.equal(e?.clientMessages[0]?.frame, 1);
    assert.equal(e?.clientMessages.at(-1)?.frame, request);
    assert.deepEqual([e?.offers[0]?.frame, e?.answers[0]?.frame], [offer, ack]);
    assert.equal(e?.omittedMessages, retries + 1 - 48);
    // The frames a ticket bundle exports are those of the messages kept, the answer's among them.
    assert.equal(e?.frames.length, 48 + 2);
    assert.ok(e?.frames.includes(ack) && e.frames.includes(request) && e.frames[0] === 1);
  });
});
