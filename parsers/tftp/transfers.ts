/**
 * One row per TFTP transfer, as RFC 1350 defines a transfer: the request to port 69 plus
 * the exchange between the client port and the server's new port (see conversations.ts).
 *
 * Fed with the datagrams `TftpConversationTable.match` accepts and their decoded packets.
 * A transfer is emitted through `onTransfer` when it ends: its final ACK, an ERROR, a new
 * request from the same client port, no datagram for `idleSeconds` of capture time, or
 * `finish()` at the end of the capture.
 */
import { createHash, type Hash } from 'node:crypto';
import { timestampSeconds, type Timestamp } from '../capture/frame.js';
import {
  DEFAULT_TFTP_IDLE_SECONDS,
  TFTP_SERVER_PORT,
  TftpConversationTable,
  type TftpConversation,
  type TftpConversationEnd,
  type TftpMatch,
} from './conversations.js';
import type { TftpOptions, TftpPacket, TftpRequest } from './decode.js';
import { tftpErrorName } from './errors.js';

/** Where and when a datagram was captured. */
export interface TftpDatagramContext {
  readonly frame: number;
  readonly time: Timestamp;
  /**
   * Set when the snap length cut the datagram: its payload length on the wire (UDP length
   * minus 8). A cut DATA block is not mistaken for the short last block, and the file is
   * not rebuilt from it.
   */
  readonly wireLength?: number;
}

/** An ICMP destination-unreachable message and the UDP datagram it quotes (addresses as 32-bit numbers). */
export interface TftpIcmpUnreachable {
  readonly frame: number;
  readonly time: Timestamp;
  /** ICMP code: 3 is "port unreachable" (RFC 792). */
  readonly code: number;
  readonly quotedSrcIp: number;
  readonly quotedSport: number;
  readonly quotedDstIp: number;
  readonly quotedDport: number;
}

/**
 * - `complete`: the last DATA (shorter than the block size) was seen;
 * - `error`: an ERROR packet ended it (see `error.by`);
 * - `aborted`: stopped mid-transfer and the capture went on for `idleSeconds` or more;
 * - `no-answer`: the server never answered the request(s);
 * - `unreachable`: never answered, and an ICMP destination-unreachable quoted the request;
 * - `running`: still going when the capture ended.
 */
export type TftpTransferOutcome = 'complete' | 'error' | 'aborted' | 'no-answer' | 'unreachable' | 'running';

export interface TftpTransferError {
  readonly code: number;
  /** RFC name of the code, when it has one. */
  readonly name: string | undefined;
  readonly message: string;
  readonly by: 'client' | 'server';
  readonly frame: number;
  readonly time: Timestamp;
  /**
   * Error 0 or 8 from the client right after the OACK (or DATA 1) of a read request that
   * asked for `tsize`: the client only wanted the size (Wireshark's "likely tsize probe").
   */
  readonly likelyTsizeProbe: boolean;
}

/** Frame numbers that show what happened, for evidence. */
export interface TftpTransferFrames {
  /** The request and each retry (the first 32). */
  readonly requests: readonly number[];
  readonly oack?: number;
  readonly firstData?: number;
  readonly lastData?: number;
  /** The ACK of the last block. */
  readonly finalAck?: number;
  readonly error?: number;
  readonly unreachable?: number;
}

export interface TftpTransfer {
  /** 1, 2, ... in the order requests were seen. */
  readonly id: number;
  readonly client: string;
  readonly clientPort: number;
  readonly server: string;
  /** The port the server answered from; undefined when it never answered. */
  readonly serverPort: number | undefined;
  readonly file: string;
  readonly mode: string;
  readonly direction: 'read' | 'write';
  readonly optionsRequested: TftpOptions;
  /** From the server's OACK; undefined when there was none (the server ignored the options or had none to accept). */
  readonly optionsGranted: TftpOptions | undefined;
  /** Block size in force: the granted `blksize`, else 512 (RFC 1350). */
  readonly blockSize: number;
  readonly firstTime: Timestamp;
  readonly lastTime: Timestamp;
  readonly packets: number;
  /** Distinct DATA blocks seen. */
  readonly blocks: number;
  /** Bytes in the distinct DATA blocks. */
  readonly bytes: number;
  /** DATA blocks seen again (retransmissions). */
  readonly duplicateData: number;
  readonly duplicateAcks: number;
  /** Blocks never seen below the highest block seen (1-based, after undoing the 16-bit wrap). */
  readonly missingBlocks: number;
  /** The first 16 gaps as [first, last] block numbers. */
  readonly missingRanges: readonly (readonly [number, number])[];
  /** Requests repeated from the same client port before an answer ended the need. */
  readonly requestRetries: number;
  /** Datagrams between the client and a second server port (a server answering a retried request again). */
  readonly otherServerPortPackets: number;
  readonly outcome: TftpTransferOutcome;
  readonly error: TftpTransferError | undefined;
  /** ICMP code of the destination-unreachable message that quoted the request. */
  readonly unreachableCode: number | undefined;
  readonly frames: TftpTransferFrames;
  /** The rebuilt file, for complete transfers with every block seen and within the size caps. */
  readonly content: Uint8Array | undefined;
  /** SHA-256 (hex) and size of the rebuilt file, for complete transfers with every block seen, even above the caps. */
  readonly sha256: string | undefined;
  readonly size: number | undefined;
  /** Why `content` is missing on a complete transfer. */
  readonly contentOmitted: 'missing blocks' | 'snap length cut' | 'transfer size cap' | 'total size cap' | undefined;
  /** Other oddities seen, in plain words. */
  readonly notes: readonly string[];
}

export interface TftpTransferTrackerOptions {
  readonly onTransfer: (transfer: TftpTransfer) => void;
  /** Capture seconds without a datagram after which a transfer is over. Default 30. */
  readonly idleSeconds?: number;
  readonly maxConversations?: number;
  /** Largest rebuilt file kept in memory; above it only SHA-256 and size. Default 4 MiB. */
  readonly maxContentBytes?: number;
  /** Bytes of rebuilt files kept over the whole capture. Default 64 MiB. */
  readonly maxTotalContentBytes?: number;
}

/** RFC 1350: "Each data packet contains one block of data" of 512 bytes unless RFC 2348 blksize says otherwise. */
const DEFAULT_BLOCK_SIZE = 512;
const DEFAULT_MAX_CONTENT_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_TOTAL_CONTENT_BYTES = 64 * 1024 * 1024;
/** Block numbers followed per transfer (2^24 blocks of 512 bytes = 8 GiB). */
const MAX_TRACKED_BLOCKS = 1 << 24;
const MAX_REQUEST_FRAMES = 32;
const MAX_MISSING_RANGES = 16;
const MAX_NOTES = 16;
const FIRST_STAGING_BYTES = 8 * 1024;
const MAX_STAGING_BYTES = 64 * 1024;

export class TftpTransferTracker {
  /** Use `conversations.match` to find the TFTP datagrams, then pass them to `add`. */
  readonly conversations: TftpConversationTable;
  private readonly active = new Map<TftpConversation, TransferState>();
  private readonly onTransfer: (transfer: TftpTransfer) => void;
  private readonly idleSeconds: number;
  private readonly budget: ContentBudget;
  private latest: Timestamp | undefined;

  constructor(options: TftpTransferTrackerOptions) {
    this.onTransfer = options.onTransfer;
    this.idleSeconds = options.idleSeconds ?? DEFAULT_TFTP_IDLE_SECONDS;
    this.budget = {
      perTransfer: options.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES,
      remaining: options.maxTotalContentBytes ?? DEFAULT_MAX_TOTAL_CONTENT_BYTES,
    };
    this.conversations = new TftpConversationTable({
      idleSeconds: this.idleSeconds,
      ...(options.maxConversations === undefined ? {} : { maxConversations: options.maxConversations }),
      onEnd: (conversation, reason) => this.conversationEnded(conversation, reason),
    });
  }

  /** One TFTP datagram: the match `conversations.match` returned for it and its decoded packet. */
  add(match: TftpMatch, packet: TftpPacket, context: TftpDatagramContext): void {
    this.noteTime(context.time);
    const conversation = match.conversation;
    if (conversation === undefined || match.from === undefined) return;
    if (match.request === 'new') {
      if (packet.opcode !== 'RRQ' && packet.opcode !== 'WRQ') return;
      this.active.set(conversation, new TransferState(conversation, packet, context, this.budget));
      return;
    }
    const state = this.active.get(conversation);
    if (state === undefined) return;
    const ended = state.add(match, packet, context);
    if (ended) this.end(state, 'ended');
  }

  /** An ICMP destination-unreachable: marks the request it quotes (client to server port 69). */
  icmpUnreachable(event: TftpIcmpUnreachable): void {
    this.noteTime(event.time);
    if (event.quotedDport !== TFTP_SERVER_PORT) return;
    const conversation = this.conversations.find(event.quotedSrcIp, event.quotedSport);
    if (conversation === undefined || conversation.serverIp !== event.quotedDstIp) return;
    this.active.get(conversation)?.markUnreachable(event);
  }

  /**
   * Ends every open transfer at the end of the capture (default: the latest time seen).
   * One that saw a datagram less than `idleSeconds` before is `running`.
   */
  finish(captureEnd?: Timestamp): void {
    const end = captureEnd ?? this.latest;
    const endSeconds = end === undefined ? -Infinity : timestampSeconds(end);
    for (const state of [...this.active.values()]) {
      this.end(state, endSeconds - state.lastSeconds < this.idleSeconds ? 'capture end' : 'idle');
    }
    this.conversations.clear();
  }

  /** Transfers not ended yet, as they stand (outcome `running`), oldest request first. */
  running(): TftpTransfer[] {
    return [...this.active.values()].map((state) => state.snapshot());
  }

  /**
   * Moves capture time on without a datagram (a live capture's clock): transfers and
   * conversations idle for `idleSeconds` end as they would when the next datagram came.
   */
  advance(time: Timestamp): void {
    this.noteTime(time);
    this.conversations.sweep(timestampSeconds(time));
  }

  private conversationEnded(conversation: TftpConversation, reason: TftpConversationEnd): void {
    const state = this.active.get(conversation);
    if (state === undefined) return;
    if (reason === 'evicted') state.note('dropped early: too many TFTP conversations at once');
    this.end(state, reason === 'replaced' ? 'replaced' : 'idle');
  }

  private end(state: TransferState, why: EndReason): void {
    this.active.delete(state.conversation);
    this.conversations.close(state.conversation);
    this.onTransfer(state.finish(why));
  }

  private noteTime(time: Timestamp): void {
    if (this.latest === undefined || timestampSeconds(time) > timestampSeconds(this.latest)) this.latest = time;
  }
}

/** `ended`: final ACK or ERROR; `capture end`: still going at the end of the capture. */
type EndReason = 'ended' | 'idle' | 'replaced' | 'capture end';

interface ContentBudget {
  readonly perTransfer: number;
  remaining: number;
}

class TransferState {
  readonly direction: 'read' | 'write';
  lastSeconds: number;
  private readonly requestFrames: number[];
  private retries = 0;
  private readonly firstTime: Timestamp;
  private lastTime: Timestamp;
  private packets = 1;
  private serverAnswered = false;
  private granted: TftpOptions | undefined;
  private oackFrame: number | undefined;
  private blockSize = DEFAULT_BLOCK_SIZE;
  private readonly blocks = new BlockNumbers();
  private readonly dataSeen = new BitSet();
  private readonly acksSeen = new BitSet();
  private distinctBlocks = 0;
  private bytes = 0;
  private duplicateData = 0;
  private duplicateAcks = 0;
  /** 0-based index of the block shorter than the block size. */
  private lastIndex: number | undefined;
  private snapCut = false;
  private firstDataFrame: number | undefined;
  private lastDataFrame: number | undefined;
  private finalAckFrame: number | undefined;
  private error: TftpTransferError | undefined;
  private unreachable: TftpIcmpUnreachable | undefined;
  private otherServerPortPackets = 0;
  private previousOpcode: TftpPacket['opcode'];
  private readonly content: ContentBuilder;
  private readonly notes: string[] = [];

  constructor(
    readonly conversation: TftpConversation,
    private readonly request: TftpRequest,
    context: TftpDatagramContext,
    budget: ContentBudget,
  ) {
    this.direction = request.opcode === 'RRQ' ? 'read' : 'write';
    this.requestFrames = [context.frame];
    this.firstTime = context.time;
    this.lastTime = context.time;
    this.lastSeconds = timestampSeconds(context.time);
    this.previousOpcode = request.opcode;
    this.content = new ContentBuilder(budget);
  }

  /** Takes one datagram of the conversation; true when it ends the transfer. */
  add(match: TftpMatch, packet: TftpPacket, context: TftpDatagramContext): boolean {
    this.packets += 1;
    this.lastTime = context.time;
    this.lastSeconds = Math.max(this.lastSeconds, timestampSeconds(context.time));
    const from = match.from!;
    if (from === 'server') this.serverAnswered = true;
    if (match.otherServerPort) {
      this.otherServerPortPackets += 1;
      return false;
    }
    if (match.request === 'retry') {
      this.retries += 1;
      if (this.requestFrames.length < MAX_REQUEST_FRAMES) this.requestFrames.push(context.frame);
      return false;
    }
    const ended = this.take(from, packet, context);
    this.previousOpcode = packet.opcode;
    return ended;
  }

  markUnreachable(event: TftpIcmpUnreachable): void {
    this.unreachable ??= event;
  }

  note(text: string): void {
    if (this.notes.length < MAX_NOTES && !this.notes.includes(text)) this.notes.push(text);
  }

  private take(from: 'client' | 'server', packet: TftpPacket, context: TftpDatagramContext): boolean {
    const { frame, time } = context;
    const sender = this.direction === 'read' ? 'server' : 'client';
    switch (packet.opcode) {
      case 'RRQ':
      case 'WRQ':
        this.note(`${packet.opcode} in the middle of the transfer, frame ${frame}`);
        return false;
      case 'OACK':
        if (from !== 'server') this.note('OACK sent by the client');
        else if (this.granted === undefined) {
          this.granted = packet.options;
          this.oackFrame = frame;
          if (packet.options.blksize !== undefined) this.blockSize = packet.options.blksize;
        }
        return false;
      case 'DATA':
        if (from !== sender) {
          this.note(`DATA sent by the ${from} of a ${this.direction} transfer`);
          return false;
        }
        this.takeData(packet.block, packet.data, frame, context.wireLength);
        return false;
      case 'ACK':
        if (from === sender) {
          this.note(`ACK sent by the ${from} of a ${this.direction} transfer`);
          return false;
        }
        return this.takeAck(packet.block, frame);
      case 'ERROR':
        this.error = {
          code: packet.errorCode,
          name: tftpErrorName(packet.errorCode),
          message: packet.errorMessage,
          by: from,
          frame,
          time,
          likelyTsizeProbe: this.looksLikeTsizeProbe(from, packet.errorCode),
        };
        return true;
      case 'UNKNOWN':
      case 'MALFORMED':
        this.note(`undecodable TFTP packet in frame ${frame}`);
        return false;
    }
  }

  private takeData(block: number, data: Uint8Array, frame: number, wireLength: number | undefined): void {
    const index = this.blocks.dataIndex(block);
    if (index >= MAX_TRACKED_BLOCKS) {
      this.note(`block numbers beyond ${MAX_TRACKED_BLOCKS} not followed`);
      return;
    }
    this.firstDataFrame ??= frame;
    this.lastDataFrame = frame;
    if (this.dataSeen.has(index)) {
      this.duplicateData += 1;
      return;
    }
    this.dataSeen.add(index);
    this.distinctBlocks += 1;
    // Opcode and block number take the first 4 bytes of the payload (RFC 1350).
    const length = wireLength === undefined ? data.length : Math.max(0, wireLength - 4);
    if (wireLength !== undefined) {
      this.snapCut = true;
      this.note('DATA cut by the snap length: the file cannot be rebuilt from this capture');
    }
    this.bytes += length;
    if (length > this.blockSize) {
      this.note(`DATA block of ${length} bytes, larger than the block size ${this.blockSize}`);
      this.blockSize = length;
    }
    if (length < this.blockSize) {
      if (this.lastIndex === undefined) this.lastIndex = index;
      else if (index !== this.lastIndex) this.note('more than one DATA block shorter than the block size');
    } else if (this.lastIndex !== undefined && index > this.lastIndex) {
      this.note('DATA after the last block');
    }
    this.content.add(index, data);
  }

  private takeAck(block: number, frame: number): boolean {
    // ACK n acknowledges DATA n; ACK 0 acknowledges a WRQ or an OACK (RFC 1350, RFC 2347).
    const index = this.blocks.ackIndex(block) + 1;
    if (index < MAX_TRACKED_BLOCKS) {
      if (this.acksSeen.has(index)) this.duplicateAcks += 1;
      else this.acksSeen.add(index);
    }
    if (this.lastIndex !== undefined && index === this.lastIndex + 1) {
      this.finalAckFrame = frame;
      return true;
    }
    return false;
  }

  private looksLikeTsizeProbe(from: 'client' | 'server', code: number): boolean {
    if (from !== 'client' || this.direction !== 'read' || this.request.options.tsize === undefined) return false;
    if (code !== 0 && code !== 8) return false;
    return this.previousOpcode === 'OACK' || (this.previousOpcode === 'DATA' && this.distinctBlocks === 1);
  }

  finish(why: EndReason): TftpTransfer {
    const missing = this.dataSeen.gaps(MAX_MISSING_RANGES);
    const complete = this.error === undefined && this.lastIndex !== undefined;
    const rebuilt =
      complete && missing.count === 0 && !this.snapCut ? this.content.finish(this.lastIndex! + 1) : undefined;
    if (!rebuilt) this.content.discard();
    return this.record(
      this.outcome(why),
      missing,
      rebuilt,
      complete
        ? missing.count > 0
          ? 'missing blocks'
          : this.snapCut
            ? 'snap length cut'
            : rebuilt?.omitted
        : undefined,
    );
  }

  /** The transfer so far, without ending it: outcome `running`, no content yet. */
  snapshot(): TftpTransfer {
    return this.record('running', this.dataSeen.gaps(MAX_MISSING_RANGES), undefined, undefined);
  }

  private record(
    outcome: TftpTransferOutcome,
    missing: { count: number; ranges: readonly (readonly [number, number])[] },
    rebuilt: { content: Uint8Array | undefined; sha256: string; size: number } | undefined,
    contentOmitted: TftpTransfer['contentOmitted'],
  ): TftpTransfer {
    return {
      id: this.conversation.id,
      client: this.conversation.client,
      clientPort: this.conversation.clientPort,
      server: this.conversation.server,
      serverPort: this.conversation.serverPort === 0 ? undefined : this.conversation.serverPort,
      file: this.request.file,
      mode: this.request.mode,
      direction: this.direction,
      optionsRequested: this.request.options,
      optionsGranted: this.granted,
      blockSize: this.blockSize,
      firstTime: this.firstTime,
      lastTime: this.lastTime,
      packets: this.packets,
      blocks: this.distinctBlocks,
      bytes: this.bytes,
      duplicateData: this.duplicateData,
      duplicateAcks: this.duplicateAcks,
      missingBlocks: missing.count,
      missingRanges: missing.ranges,
      requestRetries: this.retries,
      otherServerPortPackets: this.otherServerPortPackets,
      outcome,
      error: this.error,
      unreachableCode: this.unreachable?.code,
      frames: {
        requests: [...this.requestFrames],
        ...optional('oack', this.oackFrame),
        ...optional('firstData', this.firstDataFrame),
        ...optional('lastData', this.lastDataFrame),
        ...optional('finalAck', this.finalAckFrame),
        ...optional('error', this.error?.frame),
        ...optional('unreachable', this.unreachable?.frame),
      },
      content: rebuilt?.content,
      sha256: rebuilt?.sha256,
      size: rebuilt?.size,
      contentOmitted,
      notes: [...this.notes],
    };
  }

  private outcome(why: EndReason): TftpTransferOutcome {
    if (this.error !== undefined) return 'error';
    if (this.lastIndex !== undefined) return 'complete';
    if (why === 'capture end') return 'running';
    if (!this.serverAnswered) return this.unreachable === undefined ? 'no-answer' : 'unreachable';
    return 'aborted';
  }
}

/**
 * Turns 16-bit block numbers into positions in the file. Past 65535 most senders wrap to
 * 0, some to 1 (RFC 1350 does not say); the first wrap decides which. Each number is read
 * as the candidate nearest to the block expected next, as Wireshark does.
 */
class BlockNumbers {
  /** Highest full (unwrapped) DATA block number seen; 0 before any. */
  private highest = 0;
  private period: 65536 | 65535 | undefined;

  /** 0-based index in the file of DATA block `block`. */
  dataIndex(block: number): number {
    let full = this.nearest(block, this.highest + 1);
    if (this.period === undefined && full > 65535) {
      // The first block after 65535: 0 means the sender wraps to 0, 1 (with 0 never sent) to 1.
      this.period = block === 1 && this.highest === 65535 ? 65535 : 65536;
      full = this.nearest(block, this.highest + 1);
    }
    if (full > this.highest) this.highest = full;
    return full - 1;
  }

  /** 0-based index of the DATA block an ACK acknowledges; -1 for ACK 0. */
  ackIndex(block: number): number {
    return this.nearest(block, this.highest) - 1;
  }

  private nearest(block: number, expected: number): number {
    const period = this.period ?? 65536;
    const epoch = Math.floor(expected / period);
    let best = block;
    for (let e = epoch - 1; e <= epoch + 1; e++) {
      const candidate = e * period + block;
      if (candidate >= 0 && Math.abs(candidate - expected) < Math.abs(best - expected)) best = candidate;
    }
    return best;
  }
}

const PAGE_SHIFT = 10;
const PAGE_BITS = 1 << PAGE_SHIFT;
const PAGE_WORDS = PAGE_BITS / 32;
const PAGE_WORD_MASK = PAGE_WORDS - 1;

/**
 * A set of non-negative integers in pages of 1024 bits, each made on first use: block
 * numbers that jump by up to 32768 at every DATA (a broken or hostile sender) cost a page
 * per datagram at most, not a bit for every block skipped (2 MiB per transfer, thousands
 * of transfers at once).
 */
class BitSet {
  private readonly pages = new Map<number, Uint32Array>();
  private top = -1;

  has(index: number): boolean {
    if (index < 0 || index > this.top) return false;
    const page = this.pages.get(index >>> PAGE_SHIFT);
    return page !== undefined && (page[(index >>> 5) & PAGE_WORD_MASK]! & (1 << (index & 31))) !== 0;
  }

  add(index: number): void {
    if (index < 0) return;
    const key = index >>> PAGE_SHIFT;
    let page = this.pages.get(key);
    if (page === undefined) {
      page = new Uint32Array(PAGE_WORDS);
      this.pages.set(key, page);
    }
    page[(index >>> 5) & PAGE_WORD_MASK]! |= 1 << (index & 31);
    if (index > this.top) this.top = index;
  }

  /** Members missing below the highest member, as 1-based block ranges. */
  gaps(maxRanges: number): { count: number; ranges: [number, number][] } {
    let count = 0;
    const ranges: [number, number][] = [];
    /** Start of the run of missing members being walked, -1 outside one. */
    let start = -1;
    /** First index not walked yet. */
    let next = 0;
    const visit = (i: number, present: boolean): void => {
      if (!present && start < 0) start = i;
      if (present && start >= 0) {
        count += i - start;
        if (ranges.length < maxRanges) ranges.push([start + 1, i]);
        start = -1;
      }
    };
    for (const [key, page] of [...this.pages].sort(([a], [b]) => a - b)) {
      const first = key * PAGE_BITS;
      // A page never made holds missing members only: the run goes on without looking at bits.
      if (first > next) visit(next, false);
      const last = Math.min(this.top, first + PAGE_BITS - 1);
      // Word by word: a word all clear or all set is one step.
      for (let i = first; i <= last; ) {
        const word = page[(i >>> 5) & PAGE_WORD_MASK]!;
        const wordEnd = Math.min(last + 1, i + 32);
        if (word === 0 || word === 0xffffffff) {
          visit(i, word !== 0);
          i = wordEnd;
        } else {
          for (; i < wordEnd; i++) visit(i, (word & (1 << (i & 31))) !== 0);
        }
      }
      next = last + 1;
    }
    return { count, ranges };
  }
}

/**
 * The file rebuilt from DATA blocks in block order. Blocks are copied into a staging
 * buffer (up to 64 KiB) that is hashed when full and kept while within the per-transfer
 * and whole-capture caps: one hash call and one allocation per 64 KiB, not per block.
 */
class ContentBuilder {
  private readonly hash: Hash = createHash('sha256');
  private next = 0;
  private size = 0;
  /** Hashed staging buffers, while the file is kept. */
  private chunks: Uint8Array[] | undefined = [];
  /** Bytes taken from the budget. */
  private kept = 0;
  private staging = new Uint8Array(FIRST_STAGING_BYTES);
  private staged = 0;
  private omitted: 'transfer size cap' | 'total size cap' | undefined;
  /** Blocks that arrived ahead of a gap, until it fills. */
  private readonly ahead = new Map<number, Uint8Array>();
  private aheadBytes = 0;
  private broken = false;

  constructor(private readonly budget: ContentBudget) {}

  add(index: number, data: Uint8Array): void {
    if (this.broken || index < this.next) return;
    if (index > this.next) {
      this.aheadBytes += data.length;
      if (this.aheadBytes > this.budget.perTransfer) this.discard();
      else this.ahead.set(index, data.slice());
      return;
    }
    this.append(data);
    for (let block = this.ahead.get(this.next); block !== undefined; block = this.ahead.get(this.next)) {
      this.ahead.delete(this.next);
      this.aheadBytes -= block.length;
      this.append(block);
    }
  }

  /** The file when every block up to `blockCount` went through in order. */
  finish(
    blockCount: number,
  ): { content: Uint8Array | undefined; sha256: string; size: number; omitted: ContentBuilder['omitted'] } | undefined {
    if (this.broken || this.next !== blockCount) return undefined;
    this.flush();
    const sha256 = this.hash.digest('hex');
    let content: Uint8Array | undefined;
    if (this.chunks !== undefined) {
      content = new Uint8Array(this.size);
      let offset = 0;
      for (const chunk of this.chunks) {
        content.set(chunk, offset);
        offset += chunk.length;
      }
      this.chunks = undefined;
    }
    return { content, sha256, size: this.size, omitted: this.omitted };
  }

  /** Gives the memory of an unfinished file back to the budget. */
  discard(): void {
    this.dropChunks();
    this.ahead.clear();
    this.broken = true;
  }

  private append(data: Uint8Array): void {
    this.next += 1;
    this.size += data.length;
    if (this.chunks !== undefined) {
      if (this.kept + data.length > this.budget.perTransfer) {
        this.omitted = 'transfer size cap';
        this.dropChunks();
      } else if (data.length > this.budget.remaining) {
        this.omitted = 'total size cap';
        this.dropChunks();
      } else {
        this.kept += data.length;
        this.budget.remaining -= data.length;
      }
    }
    for (let offset = 0; offset < data.length; ) {
      const count = Math.min(data.length - offset, this.staging.length - this.staged);
      this.staging.set(data.subarray(offset, offset + count), this.staged);
      this.staged += count;
      offset += count;
      if (this.staged === this.staging.length) this.flush();
    }
  }

  /** Hashes the staged bytes; keeps them as a chunk while the file is kept, else reuses the buffer. */
  private flush(): void {
    if (this.staged === 0) return;
    const bytes = this.staging.subarray(0, this.staged);
    this.hash.update(bytes);
    if (this.chunks !== undefined) {
      this.chunks.push(bytes);
      this.staging = new Uint8Array(Math.min(this.staging.length * 2, MAX_STAGING_BYTES));
    }
    this.staged = 0;
  }

  private dropChunks(): void {
    if (this.chunks === undefined) return;
    this.chunks = undefined;
    this.budget.remaining += this.kept;
    this.kept = 0;
  }
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}
