import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Timestamp } from '../../parsers/capture/frame.js';
import { decodeTftp } from '../../parsers/tftp/decode.js';
import {
  TftpTransferTracker,
  type TftpTransfer,
  type TftpTransferTrackerOptions,
} from '../../parsers/tftp/transfers.js';
import { ack, data, error, fileContent, ip, oack, raw, rrq, wrq } from './tftp-packets.js';

const PHONE = ip(10);
const SERVER = ip(1);
type Endpoint = readonly [number, number];

function at(seconds: number): Timestamp {
  const whole = Math.floor(seconds);
  return { seconds: whole, nanos: Math.round((seconds - whole) * 1e9), digits: 6 };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A capture replayed datagram by datagram through the conversation table and the tracker. */
class Capture {
  readonly transfers: TftpTransfer[] = [];
  readonly tracker: TftpTransferTracker;
  frame = 0;
  time = 1_700_000_000;

  constructor(options: Partial<TftpTransferTrackerOptions> = {}) {
    this.tracker = new TftpTransferTracker({ ...options, onTransfer: (t) => this.transfers.push(t) });
  }

  send(from: Endpoint, to: Endpoint, payload: Uint8Array, after = 0.01, snapLength?: number): number {
    this.frame += 1;
    this.time += after;
    const captured = snapLength === undefined ? payload : payload.subarray(0, snapLength);
    const match = this.tracker.conversations.match(from[0], from[1], to[0], to[1], captured, this.time);
    const context = {
      frame: this.frame,
      time: at(this.time),
      ...(snapLength === undefined ? {} : { wireLength: payload.length }),
    };
    if (match) this.tracker.add(match, decodeTftp(captured), context);
    return this.frame;
  }

  /** Some unrelated datagram `after` seconds later (keeps capture time moving). */
  other(after: number): void {
    this.send([ip(50), 5060], [ip(51), 5060], raw(1, 2, 3, 4), after);
  }

  finish(after = 0): TftpTransfer[] {
    this.tracker.finish(at(this.time + after));
    return this.transfers;
  }

  /** Serves `content` to `client` in blocks of `blockSize`, the client ACKing each. */
  serve(client: Endpoint, server: Endpoint, content: Uint8Array, blockSize = 512, firstBlock = 1): void {
    const count = Math.floor(content.length / blockSize) + 1;
    for (let i = 0; i < count; i++) {
      const block = (firstBlock + i) & 0xffff;
      this.send(server, client, data(block, content.subarray(i * blockSize, (i + 1) * blockSize)));
      this.send(client, server, ack(block));
    }
  }
}

const client: Endpoint = [PHONE, 50000];
const port69: Endpoint = [SERVER, 69];
const server: Endpoint = [SERVER, 40001];

describe('TFTP transfers', () => {
  it('a complete read: one row with blocks, bytes, times, frames and the rebuilt file', () => {
    const capture = new Capture();
    const content = fileContent(1124);
    const request = capture.send(client, port69, rrq('SEP000E84C060A6.cnf.xml'));
    capture.serve(client, server, content);
    assert.equal(capture.transfers.length, 1, 'emitted on the final ACK, before the capture ends');
    const [t] = capture.finish();
    assert.ok(t);
    assert.equal(t.outcome, 'complete');
    assert.equal(t.file, 'SEP000E84C060A6.cnf.xml');
    assert.equal(t.direction, 'read');
    assert.equal(t.client, '192.0.2.10');
    assert.equal(t.clientPort, 50000);
    assert.equal(t.server, '192.0.2.1');
    assert.equal(t.serverPort, 40001);
    assert.equal(t.blocks, 3);
    assert.equal(t.bytes, 1124);
    assert.equal(t.blockSize, 512);
    assert.equal(t.packets, 7);
    assert.equal(t.duplicateData, 0);
    assert.equal(t.missingBlocks, 0);
    assert.equal(t.requestRetries, 0);
    assert.deepEqual(t.frames, { requests: [request], firstData: 2, lastData: 6, finalAck: 7 });
    assert.deepEqual(t.content, content);
    assert.equal(t.size, 1124);
    assert.equal(t.sha256, sha256(content));
    assert.ok(t.lastTime.seconds * 1e9 + t.lastTime.nanos > t.firstTime.seconds * 1e9 + t.firstTime.nanos);
  });

  it('a complete write: DATA from the client, ACKs from the server', () => {
    const capture = new Capture();
    const content = fileContent(600, 3);
    capture.send(client, port69, wrq('upload.log'));
    capture.send(server, client, ack(0));
    capture.send(client, server, data(1, content.subarray(0, 512)));
    capture.send(server, client, ack(1));
    capture.send(client, server, data(2, content.subarray(512)));
    capture.send(server, client, ack(2));
    const [t] = capture.finish();
    assert.equal(t?.direction, 'write');
    assert.equal(t?.outcome, 'complete');
    assert.deepEqual(t?.content, content);
  });

  it('an empty file: one DATA block of 0 bytes', () => {
    const capture = new Capture();
    capture.send(client, port69, rrq('dialplan.xml'));
    capture.serve(client, server, new Uint8Array(0));
    const [t] = capture.finish();
    assert.equal(t?.outcome, 'complete');
    assert.equal(t?.size, 0);
    assert.equal(t?.sha256, sha256(new Uint8Array(0)));
  });

  it('File not found: outcome error, with the code, the RFC name, the text and the side that sent it', () => {
    const capture = new Capture();
    capture.send(client, port69, rrq('CTLSEP000E84C060A6.tlv'));
    const errorFrame = capture.send(server, client, error(1, 'File not found'));
    const [t] = capture.transfers;
    assert.equal(t?.outcome, 'error');
    assert.deepEqual(
      { ...t?.error, time: undefined },
      {
        code: 1,
        name: 'File not found',
        message: 'File not found',
        by: 'server',
        frame: errorFrame,
        time: undefined,
        likelyTsizeProbe: false,
      },
    );
    assert.equal(t?.blocks, 0);
    assert.equal(t?.content, undefined);
    assert.equal(t?.frames.error, errorFrame);
  });

  it('an error mid-transfer keeps what was transferred', () => {
    const capture = new Capture();
    capture.send(client, port69, rrq('P0S3-8-12-00.sb2'));
    capture.send(server, client, data(1, fileContent(512)));
    capture.send(client, server, ack(1));
    capture.send(server, client, data(2, fileContent(512)));
    capture.send(client, server, error(3, 'Disk full or allocation exceeded'));
    const [t] = capture.finish();
    assert.equal(t?.outcome, 'error');
    assert.equal(t?.error?.by, 'client');
    assert.equal(t?.error?.code, 3);
    assert.equal(t?.blocks, 2);
    assert.equal(t?.bytes, 1024);
    assert.equal(t?.content, undefined, 'no file from an unfinished transfer');
  });

  it('a lost DATA retransmitted: duplicate DATA counted, file intact', () => {
    const capture = new Capture();
    const content = fileContent(700);
    capture.send(client, port69, rrq('SIPDefault.cnf'));
    capture.send(server, client, data(1, content.subarray(0, 512)));
    capture.send(server, client, data(1, content.subarray(0, 512)), 1);
    capture.send(client, server, ack(1));
    capture.send(client, server, ack(1));
    capture.send(server, client, data(2, content.subarray(512)));
    capture.send(client, server, ack(2));
    const [t] = capture.finish();
    assert.equal(t?.outcome, 'complete');
    assert.equal(t?.duplicateData, 1);
    assert.equal(t?.duplicateAcks, 1);
    assert.equal(t?.blocks, 2);
    assert.equal(t?.bytes, 700);
    assert.deepEqual(t?.content, content);
  });

  it('a block missing from the capture: counted and named; no file rebuilt', () => {
    const capture = new Capture();
    const content = fileContent(1300);
    capture.send(client, port69, rrq('RINGLIST.DAT'));
    capture.send(server, client, data(1, content.subarray(0, 512)));
    capture.send(client, server, ack(1));
    capture.send(client, server, ack(2));
    capture.send(server, client, data(3, content.subarray(1024)));
    capture.send(client, server, ack(3));
    const [t] = capture.finish();
    assert.equal(t?.outcome, 'complete');
    assert.equal(t?.missingBlocks, 1);
    assert.deepEqual(t?.missingRanges, [[2, 2]]);
    assert.equal(t?.content, undefined);
    assert.equal(t?.sha256, undefined);
    assert.equal(t?.contentOmitted, 'missing blocks');
  });

  it('requests never answered: no-answer, with the retries and their frames', () => {
    const capture = new Capture();
    const frames = [
      capture.send(client, port69, rrq('OS79XX.TXT')),
      capture.send(client, port69, rrq('OS79XX.TXT'), 2),
      capture.send(client, port69, rrq('OS79XX.TXT'), 4),
    ];
    const [t] = capture.finish(60);
    assert.equal(t?.outcome, 'no-answer');
    assert.equal(t?.requestRetries, 2);
    assert.deepEqual(t?.frames.requests, frames);
    assert.equal(t?.serverPort, undefined);
  });

  it('an ICMP port unreachable quoting the request: unreachable, with its frame', () => {
    const capture = new Capture();
    capture.send(client, port69, rrq('OS79XX.TXT'));
    capture.tracker.icmpUnreachable({
      frame: 2,
      time: at(capture.time + 0.001),
      code: 3,
      quotedSrcIp: PHONE,
      quotedSport: 50000,
      quotedDstIp: SERVER,
      quotedDport: 69,
    });
    capture.other(40);
    const [t] = capture.transfers;
    assert.equal(t?.outcome, 'unreachable');
    assert.equal(t?.unreachableCode, 3);
    assert.equal(t?.frames.unreachable, 2);
  });

  it('an ICMP message quoting some other datagram changes nothing', () => {
    const capture = new Capture();
    capture.send(client, port69, rrq('OS79XX.TXT'));
    const base = {
      frame: 2,
      time: at(capture.time),
      code: 3,
      quotedSrcIp: PHONE,
      quotedSport: 50000,
      quotedDstIp: SERVER,
    };
    capture.tracker.icmpUnreachable({ ...base, quotedDport: 53 });
    capture.tracker.icmpUnreachable({ ...base, quotedDport: 69, quotedDstIp: ip(77) });
    const [t] = capture.finish(60);
    assert.equal(t?.outcome, 'no-answer');
  });

  it('stopped mid-transfer: aborted once the capture went on long enough, running when it ended right after', () => {
    const stalled = (capture: Capture): void => {
      capture.send(client, port69, rrq('P0S3-8-12-00.sb2'));
      capture.send(server, client, data(1, fileContent(512)));
      capture.send(client, server, ack(1));
    };
    const long = new Capture();
    stalled(long);
    assert.equal(long.finish(31)[0]?.outcome, 'aborted');
    const short = new Capture();
    stalled(short);
    assert.equal(short.finish(2)[0]?.outcome, 'running');
    const idle = new Capture({ idleSeconds: 5 });
    stalled(idle);
    idle.other(6);
    assert.equal(idle.transfers[0]?.outcome, 'aborted', 'emitted by the idle timeout, before the capture ends');
  });

  it('OACK with blksize: options asked and granted, the granted block size decides the last block', () => {
    const capture = new Capture();
    const content = fileContent(1500);
    capture.send(
      client,
      port69,
      rrq('P0S3-8-12-00.loads', 'octet', [
        ['blksize', '1024'],
        ['tsize', '0'],
      ]),
    );
    const oackFrame = capture.send(
      server,
      client,
      oack([
        ['blksize', '1024'],
        ['tsize', '1500'],
      ]),
    );
    capture.send(client, server, ack(0));
    capture.serve(client, server, content, 1024);
    const [t] = capture.finish();
    assert.equal(t?.outcome, 'complete');
    assert.equal(t?.blockSize, 1024);
    assert.equal(t?.blocks, 2);
    assert.equal(t?.optionsRequested.blksize, 1024);
    assert.equal(t?.optionsRequested.tsize, 0);
    assert.equal(t?.optionsGranted?.blksize, 1024);
    assert.equal(t?.optionsGranted?.tsize, 1500);
    assert.equal(t?.frames.oack, oackFrame);
    assert.deepEqual(t?.content, content);
  });

  it('blksize asked but no OACK: the server ignored it, 512-byte blocks (RFC 2347)', () => {
    const capture = new Capture();
    const content = fileContent(612);
    capture.send(client, port69, rrq('a', 'octet', [['blksize', '1024']]));
    capture.send(server, client, data(1, content.subarray(0, 512)));
    capture.send(client, server, ack(1));
    assert.equal(capture.transfers.length, 0, 'a full 512-byte block is not the end');
    capture.send(server, client, data(2, content.subarray(512)));
    capture.send(client, server, ack(2));
    const [t] = capture.transfers;
    assert.equal(t?.outcome, 'complete');
    assert.equal(t?.blockSize, 512);
    assert.equal(t?.optionsGranted, undefined);
    assert.deepEqual(t?.content, content);
  });

  it('a tsize probe: the client ends with error 8 after the OACK', () => {
    const capture = new Capture();
    capture.send(
      client,
      port69,
      rrq('ipxe.efi', 'octet', [
        ['tsize', '0'],
        ['blksize', '1468'],
      ]),
    );
    capture.send(
      server,
      client,
      oack([
        ['tsize', '1007616'],
        ['blksize', '1468'],
      ]),
    );
    capture.send(client, server, error(8, 'User aborted the transfer'));
    const [t] = capture.transfers;
    assert.equal(t?.outcome, 'error');
    assert.equal(t?.error?.by, 'client');
    assert.equal(t?.error?.likelyTsizeProbe, true);
  });

  it('a new request from the same client port ends the unanswered one', () => {
    const capture = new Capture();
    capture.send(client, port69, rrq('CTLSEP000E84C060A6.tlv'));
    capture.send(client, port69, rrq('SEP000E84C060A6.cnf.xml'));
    assert.deepEqual(
      capture.transfers.map((t) => [t.file, t.outcome]),
      [['CTLSEP000E84C060A6.tlv', 'no-answer']],
    );
  });

  it('the same file again from the same port after it completed is a second transfer', () => {
    const capture = new Capture();
    capture.send(client, port69, rrq('a.cnf'));
    capture.serve(client, server, fileContent(10));
    capture.send(client, port69, rrq('a.cnf'));
    capture.serve(client, [SERVER, 40002], fileContent(10));
    const rows = capture.finish();
    assert.deepEqual(
      rows.map((t) => [t.outcome, t.requestRetries, t.serverPort]),
      [
        ['complete', 0, 40001],
        ['complete', 0, 40002],
      ],
    );
  });

  it('a retried request answered twice (a forking server): one transfer, the second port counted apart', () => {
    const capture = new Capture();
    const content = fileContent(100);
    capture.send(client, port69, rrq('SIP000E84C060A6.cnf'));
    capture.send(client, port69, rrq('SIP000E84C060A6.cnf'), 1);
    capture.send(server, client, data(1, content));
    capture.send([SERVER, 40002], client, data(1, content));
    capture.send(client, [SERVER, 40002], error(5, 'Unknown transfer ID'));
    capture.send(client, server, ack(1));
    const [t] = capture.finish();
    assert.equal(t?.outcome, 'complete');
    assert.equal(t?.requestRetries, 1);
    assert.equal(t?.otherServerPortPackets, 2);
    assert.equal(t?.serverPort, 40001);
    assert.deepEqual(t?.content, content);
  });

  for (const [wrapsTo, label] of [
    [0, 'to 0'],
    [1, 'to 1'],
  ] as const) {
    it(`block numbers past 65535 (sender wraps ${label}): no gap, no duplicate, the file intact`, () => {
      const capture = new Capture({ maxContentBytes: 1 << 20 });
      const blockSize = 8;
      const content = fileContent(65540 * blockSize + 3);
      capture.send(client, port69, rrq('big.bin', 'octet', [['blksize', String(blockSize)]]));
      capture.send(server, client, oack([['blksize', String(blockSize)]]));
      capture.send(client, server, ack(0));
      const count = Math.floor(content.length / blockSize) + 1;
      for (let i = 0; i < count; i++) {
        const full = i + 1;
        const block = full <= 65535 ? full : wrapsTo === 0 ? full & 0xffff : ((full - 1) % 65535) + 1;
        capture.send(server, client, data(block, content.subarray(i * blockSize, (i + 1) * blockSize)), 0.0001);
        capture.send(client, server, ack(block), 0.0001);
      }
      const [t] = capture.finish();
      assert.equal(t?.outcome, 'complete');
      assert.equal(t?.blocks, count);
      assert.equal(t?.missingBlocks, 0);
      assert.equal(t?.duplicateData, 0);
      assert.equal(t?.duplicateAcks, 0);
      assert.equal(t?.size, content.length);
      assert.equal(t?.sha256, sha256(content));
      assert.deepEqual(t?.content, content);
    });
  }

  it('above the per-transfer cap: SHA-256 and size only', () => {
    const capture = new Capture({ maxContentBytes: 1000 });
    const content = fileContent(1124);
    capture.send(client, port69, rrq('P0S3-8-12-00.sb2'));
    capture.serve(client, server, content);
    const [t] = capture.finish();
    assert.equal(t?.outcome, 'complete');
    assert.equal(t?.content, undefined);
    assert.equal(t?.contentOmitted, 'transfer size cap');
    assert.equal(t?.size, 1124);
    assert.equal(t?.sha256, sha256(content));
  });

  it('above the whole-capture cap: later files keep SHA-256 and size only', () => {
    const capture = new Capture({ maxTotalContentBytes: 1500 });
    const first = fileContent(1124, 1);
    const second = fileContent(1124, 2);
    capture.send(client, port69, rrq('first'));
    capture.serve(client, server, first);
    capture.send([PHONE, 50001], port69, rrq('second'));
    capture.serve([PHONE, 50001], [SERVER, 40002], second);
    const [a, b] = capture.finish();
    assert.deepEqual(a?.content, first);
    assert.equal(b?.content, undefined);
    assert.equal(b?.contentOmitted, 'total size cap');
    assert.equal(b?.sha256, sha256(second));
  });

  it('an unfinished transfer gives its memory back to the whole-capture budget', () => {
    const capture = new Capture({ maxTotalContentBytes: 1200 });
    capture.send(client, port69, rrq('stalls'));
    capture.send(server, client, data(1, fileContent(512)));
    capture.send(client, server, ack(1));
    capture.send(server, client, data(2, fileContent(512)));
    capture.send(client, server, error(0, 'gave up'));
    const content = fileContent(1100);
    capture.send([PHONE, 50001], port69, rrq('fits'));
    capture.serve([PHONE, 50001], [SERVER, 40002], content);
    const rows = capture.finish();
    assert.deepEqual(rows[1]?.content, content);
  });

  it('copies DATA payloads: reusing the capture buffer does not change the file', () => {
    const capture = new Capture();
    capture.send(client, port69, rrq('a'));
    const packet = data(1, fileContent(10));
    const expected = packet.slice(4);
    const match = capture.tracker.conversations.match(SERVER, 40001, PHONE, 50000, packet, capture.time);
    capture.tracker.add(match!, decodeTftp(packet), { frame: 2, time: at(capture.time) });
    packet.fill(0xee);
    capture.send(client, server, ack(1));
    assert.deepEqual(capture.transfers[0]?.content, expected);
  });
});

describe('a capture whose snap length cut the DATA blocks', () => {
  it('keeps the true block sizes, finds the real last block, and does not rebuild a wrong file', () => {
    const capture = new Capture();
    const client: Endpoint = [PHONE, 40000];
    const server: Endpoint = [SERVER, 50000];
    const content = fileContent(1300);
    capture.send(client, [SERVER, 69], rrq('SIPDefault.cnf'));
    for (let block = 1; block <= 3; block++) {
      capture.send(server, client, data(block, content.subarray((block - 1) * 512, block * 512)), 0.01, 80);
      capture.send(client, server, ack(block));
    }
    const [transfer] = capture.finish();
    assert.ok(transfer);
    assert.equal(transfer.outcome, 'complete');
    assert.equal(transfer.blocks, 3);
    assert.equal(transfer.bytes, 1300);
    assert.equal(transfer.content, undefined);
    assert.equal(transfer.sha256, undefined);
    assert.equal(transfer.contentOmitted, 'snap length cut');
  });
});
