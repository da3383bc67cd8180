import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TftpConversationTable,
  type TftpConversation,
  type TftpConversationEnd,
} from '../../parsers/tftp/conversations.js';
import { ack, data, ip, raw, rrq, wrq } from './tftp-packets.js';

const PHONE = ip(10);
const PHONE2 = ip(11);
const SERVER = ip(1);
const OTHER = ip(99);
const block = raw(1, 2, 3);

describe('TFTP conversations: which UDP datagrams are TFTP', () => {
  it('binds the port the server answers from, then takes both directions', () => {
    const table = new TftpConversationTable();
    const request = table.match(PHONE, 50000, SERVER, 69, rrq('SIPDefault.cnf'), 1);
    assert.equal(request?.request, 'new');
    assert.equal(request?.from, 'client');
    const conversation = request?.conversation;
    assert.ok(conversation);
    assert.equal(conversation.client, '192.0.2.10');
    assert.equal(conversation.server, '192.0.2.1');
    assert.equal(conversation.serverPort, 0);

    const answer = table.match(SERVER, 40001, PHONE, 50000, data(1, block), 1.01);
    assert.equal(answer?.conversation, conversation);
    assert.equal(answer?.from, 'server');
    assert.equal(answer?.otherServerPort, false);
    assert.equal(conversation.serverPort, 40001);

    const reply = table.match(PHONE, 50000, SERVER, 40001, ack(1), 1.02);
    assert.equal(reply?.conversation, conversation);
    assert.equal(reply?.from, 'client');
    assert.equal(reply?.request, undefined);
  });

  it('does not take the client sending to a server port that never answered, nor another host', () => {
    const table = new TftpConversationTable();
    table.match(PHONE, 50000, SERVER, 69, rrq('a'), 1);
    table.match(SERVER, 40001, PHONE, 50000, data(1, block), 1);
    assert.equal(table.match(PHONE, 50000, SERVER, 40002, ack(1), 1), undefined);
    assert.equal(table.match(PHONE, 50000, OTHER, 40001, ack(1), 1), undefined);
    assert.equal(table.match(OTHER, 40001, PHONE, 50000, data(1, block), 1), undefined);
  });

  it('leaves unrelated UDP flows alone, even on the same hosts and port numbers', () => {
    const table = new TftpConversationTable();
    table.match(PHONE, 50000, SERVER, 69, rrq('a'), 1);
    table.match(SERVER, 40001, PHONE, 50000, data(1, block), 1);
    const dnsLike = raw(0x12, 0x34, 1, 0);
    assert.equal(table.match(PHONE, 5060, SERVER, 5060, dnsLike, 1), undefined, 'SIP between the same hosts');
    assert.equal(table.match(PHONE, 50001, SERVER, 53, dnsLike, 1), undefined);
    assert.equal(table.match(SERVER, 40001, PHONE, 50001, data(1, block), 1), undefined, 'another client port');
    assert.equal(table.match(PHONE2, 50000, SERVER, 40001, ack(1), 1), undefined, 'same port on another client');
    assert.equal(
      table.match(OTHER, 1234, OTHER + 1, 4321, data(1, block), 1),
      undefined,
      'DATA-shaped bytes elsewhere',
    );
  });

  it('maps a repeated request from the same client port to the same conversation', () => {
    const table = new TftpConversationTable();
    const first = table.match(PHONE, 50000, SERVER, 69, rrq('CTLSEP000E84C060A6.tlv'), 1);
    const again = table.match(PHONE, 50000, SERVER, 69, rrq('CTLSEP000E84C060A6.tlv'), 2);
    assert.equal(again?.request, 'retry');
    assert.equal(again?.conversation, first?.conversation);
    assert.equal(table.size, 1);
  });

  it('replaces a conversation when a different request comes from the same client port', () => {
    const ended: [number, TftpConversationEnd][] = [];
    const table = new TftpConversationTable({ onEnd: (c, why) => ended.push([c.id, why]) });
    const first = table.match(PHONE, 50000, SERVER, 69, rrq('a.cnf'), 1);
    const second = table.match(PHONE, 50000, SERVER, 69, wrq('a.cnf'), 2);
    assert.equal(second?.request, 'new');
    assert.notEqual(second?.conversation, first?.conversation);
    assert.deepEqual(ended, [[first?.conversation?.id, 'replaced']]);
  });

  it('treats the same request after `close` as a new transfer', () => {
    const table = new TftpConversationTable();
    const first = table.match(PHONE, 50000, SERVER, 69, rrq('a.cnf'), 1);
    table.close(first!.conversation!);
    const second = table.match(PHONE, 50000, SERVER, 69, rrq('a.cnf'), 2);
    assert.equal(second?.request, 'new');
    assert.notEqual(second?.conversation, first?.conversation);
  });

  it('keeps two clients apart, also two transfers of one phone at once', () => {
    const table = new TftpConversationTable();
    const a = table.match(PHONE, 50000, SERVER, 69, rrq('RINGLIST.DAT'), 1)!.conversation;
    const b = table.match(PHONE, 50001, SERVER, 69, rrq('dialplan.xml'), 1)!.conversation;
    const c = table.match(PHONE2, 50000, SERVER, 69, rrq('RINGLIST.DAT'), 1)!.conversation;
    assert.equal(new Set([a, b, c]).size, 3);
    assert.equal(table.match(SERVER, 40001, PHONE, 50000, data(1, block), 1)?.conversation, a);
    assert.equal(table.match(SERVER, 40002, PHONE, 50001, data(1, block), 1)?.conversation, b);
    assert.equal(table.match(SERVER, 40003, PHONE2, 50000, data(1, block), 1)?.conversation, c);
    assert.equal(table.match(PHONE, 50000, SERVER, 40002, ack(1), 1), undefined, "a's client port to b's server port");
    assert.equal(table.match(PHONE2, 50000, SERVER, 40003, ack(1), 1)?.conversation, c);
  });

  it('takes a second server port answering a retried request, flagged', () => {
    const table = new TftpConversationTable();
    const conversation = table.match(PHONE, 50000, SERVER, 69, rrq('a'), 1)!.conversation;
    table.match(PHONE, 50000, SERVER, 69, rrq('a'), 2);
    table.match(SERVER, 40001, PHONE, 50000, data(1, block), 2.1);
    const second = table.match(SERVER, 40002, PHONE, 50000, data(1, block), 2.2);
    assert.equal(second?.conversation, conversation);
    assert.equal(second?.otherServerPort, true);
    assert.equal(table.match(PHONE, 50000, SERVER, 40002, raw(0, 5, 0, 5, 0), 2.3)?.otherServerPort, true);
    assert.equal(table.match(PHONE, 50000, SERVER, 40001, ack(1), 2.3)?.otherServerPort, false);
  });

  it('counts every datagram to or from port 69 as TFTP, as tshark does, without a conversation when none fits', () => {
    const table = new TftpConversationTable();
    const stray = table.match(PHONE, 50000, SERVER, 69, raw(0xbe, 0xef), 1);
    assert.ok(stray);
    assert.equal(stray.conversation, undefined);
    assert.equal(table.size, 0);
    assert.equal(table.match(SERVER, 69, PHONE, 50000, data(1, block), 1)?.conversation, undefined);
  });

  it('binds port 69 when the server answers from it', () => {
    const table = new TftpConversationTable();
    const conversation = table.match(PHONE, 50000, SERVER, 69, rrq('a'), 1)!.conversation!;
    assert.equal(table.match(SERVER, 69, PHONE, 50000, data(1, block), 1)?.conversation, conversation);
    assert.equal(conversation.serverPort, 69);
    assert.equal(table.match(PHONE, 50000, SERVER, 69, ack(1), 1)?.conversation, conversation);
  });

  it('forgets a conversation idle for idleSeconds of capture time', () => {
    const ended: TftpConversationEnd[] = [];
    const table = new TftpConversationTable({ idleSeconds: 10, onEnd: (_c, why) => ended.push(why) });
    table.match(PHONE, 50000, SERVER, 69, rrq('a'), 100);
    table.match(SERVER, 40001, PHONE, 50000, data(1, block), 105);
    assert.equal(table.match(OTHER, 1, OTHER, 2, raw(), 114), undefined);
    assert.equal(table.size, 1, 'still within 10 s of the last datagram');
    table.match(OTHER, 1, OTHER, 2, raw(), 116);
    assert.equal(table.size, 0);
    assert.deepEqual(ended, ['idle']);
    assert.equal(table.match(SERVER, 40001, PHONE, 50000, data(2, block), 117), undefined);
  });

  it('drops the oldest conversation above the size cap', () => {
    const ended: TftpConversation[] = [];
    const table = new TftpConversationTable({ maxConversations: 2, onEnd: (c) => ended.push(c) });
    const first = table.match(PHONE, 50000, SERVER, 69, rrq('a'), 1)!.conversation;
    table.match(PHONE, 50001, SERVER, 69, rrq('b'), 2);
    table.match(PHONE, 50002, SERVER, 69, rrq('c'), 3);
    assert.equal(table.size, 2);
    assert.deepEqual(ended, [first]);
    assert.equal(table.match(SERVER, 40001, PHONE, 50000, data(1, block), 3), undefined);
  });
});
