/**
 * DHCP exchanges (RFC 2131 section 3): the messages of one client (hardware address) with
 * one transaction id, from DISCOVER to ACK or NAK, and what each server told the client
 * about TFTP. An exchange is emitted when it is settled (ACK or NAK, then `settleSeconds`
 * of capture time without more of it), when the client starts over with a DISCOVER after
 * that answer, when it has been idle for `idleSeconds`, or at `finish()`.
 *
 * The tracker keeps each message as the decoder produced it; `fields.ts` reads from it.
 */
import { timestampSeconds, type Timestamp } from '../capture/frame.js';
import { HeadAndTail } from '../capture/head-and-tail.js';
import type { HeadAndTailLimits } from '../capture/head-and-tail.js';
import type { DhcpMessage } from './decode.js';
import { serverIdentifier, vendorClassIdentifier } from './fields.js';
import { dhcpMessageTypeName } from './options.js';

/** DHCP message types (option 53, RFC 2132 section 9.6) the tracker follows. */
export type DhcpMessageTypeName = 'DISCOVER' | 'OFFER' | 'REQUEST' | 'DECLINE' | 'ACK' | 'NAK' | 'RELEASE' | 'INFORM';

/** One decoded DHCP/BOOTP message and the datagram that carried it. */
export interface DhcpDatagram {
  readonly frame: number;
  readonly time: Timestamp;
  readonly srcIp: string;
  readonly message: DhcpMessage;
}

export interface DhcpServerReply {
  readonly type: 'OFFER' | 'ACK' | 'NAK' | 'BOOTREPLY';
  readonly frame: number;
  readonly time: Timestamp;
  /** Option 54 when present, else the source IP of the reply. */
  readonly server: string;
  readonly sourceIp: string;
  readonly message: DhcpMessage;
}

export interface DhcpClientMessage {
  readonly type: 'DISCOVER' | 'REQUEST' | 'DECLINE' | 'RELEASE' | 'INFORM' | 'BOOTREQUEST';
  readonly frame: number;
  readonly time: Timestamp;
  readonly message: DhcpMessage;
}

/**
 * - `acked`: the last answer is an ACK (for a BOOTP client: a BOOTREPLY);
 * - `nak`: the last answer is a NAK;
 * - `declined`: the client declined the acknowledged address (DECLINE);
 * - `released`: the client gave its address back (RELEASE);
 * - `no-offer`: DISCOVER(s) and no OFFER (BOOTP: no reply);
 * - `offered-not-requested`: OFFER(s) and no REQUEST with this transaction id;
 * - `requested-no-answer`: a REQUEST (or INFORM) that got neither ACK nor NAK.
 */
export type DhcpExchangeOutcome =
  | 'acked'
  | 'nak'
  | 'declined'
  | 'released'
  | 'no-offer'
  | 'offered-not-requested'
  | 'requested-no-answer';

export interface DhcpExchange {
  /** Client hardware address, `aa:bb:cc:dd:ee:ff`. */
  readonly client: string;
  readonly xid: number;
  /** Option 60 of the client's first message that has it. */
  readonly vendorClass: string | undefined;
  readonly clientMessages: readonly DhcpClientMessage[];
  /** Every OFFER, from every server, in capture order. */
  readonly offers: readonly DhcpServerReply[];
  /** ACKs, NAKs and BOOTP replies, in capture order. */
  readonly answers: readonly DhcpServerReply[];
  readonly firstTime: Timestamp;
  readonly lastTime: Timestamp;
  /** The frames of the messages kept, in capture order. */
  readonly frames: readonly number[];
  readonly outcome: DhcpExchangeOutcome;
  /**
   * Messages counted and not kept: a client that retries for as long as it runs would otherwise
   * grow its exchange without end, so each of the three lists keeps its first 32 and last 16.
   */
  readonly omittedMessages?: number;
}

export interface DhcpExchangeTrackerOptions {
  readonly onExchange: (exchange: DhcpExchange) => void;
  /** Capture seconds after an ACK/NAK during which a late message still joins the exchange. Default 10. */
  readonly settleSeconds?: number;
  /** Capture seconds without a message after which an unsettled exchange is emitted. Default 60. */
  readonly idleSeconds?: number;
  /** Exchanges followed at once; above it the oldest is emitted. Default 4096. */
  readonly maxExchanges?: number;
}

const FOLLOWED_TYPES: readonly DhcpMessageTypeName[] = [
  'DISCOVER',
  'OFFER',
  'REQUEST',
  'DECLINE',
  'ACK',
  'NAK',
  'RELEASE',
  'INFORM',
];
const BOOTP_REQUEST = 1;
const MESSAGES_KEPT: HeadAndTailLimits = { head: 32, tail: 16 };

type TrackedType = DhcpMessageTypeName | 'BOOTREQUEST' | 'BOOTREPLY';

/** What the message is to an exchange: a followed DHCP type, BOOTP by its op, or undefined (e.g. a leasequery). */
function trackedType(message: DhcpMessage): TrackedType | undefined {
  const name = message.messageType === undefined ? undefined : dhcpMessageTypeName(message.messageType);
  if (name === undefined) return message.op === BOOTP_REQUEST ? 'BOOTREQUEST' : 'BOOTREPLY';
  return FOLLOWED_TYPES.find((type) => type === name);
}

export class DhcpExchangeTracker {
  private readonly open = new Map<string, ExchangeState>();
  private readonly onExchange: (exchange: DhcpExchange) => void;
  private readonly settleSeconds: number;
  private readonly idleSeconds: number;
  private readonly maxExchanges: number;

  constructor(options: DhcpExchangeTrackerOptions) {
    this.onExchange = options.onExchange;
    this.settleSeconds = options.settleSeconds ?? 10;
    this.idleSeconds = options.idleSeconds ?? 60;
    this.maxExchanges = Math.max(1, options.maxExchanges ?? 4096);
  }

  add(datagram: DhcpDatagram): void {
    const { op, xid, chaddr } = datagram.message;
    if (op === undefined || xid === undefined || chaddr === undefined) return;
    const seconds = timestampSeconds(datagram.time);
    this.emitDue(seconds);
    const type = trackedType(datagram.message);
    if (type === undefined) return;
    const client = chaddr.toLowerCase();
    const key = `${client}/${xid}`;
    let state = this.open.get(key);
    // A DISCOVER after the answer is the client starting over (RFC 2131 section 4.4, INIT): a new exchange.
    if (state?.settled && type === 'DISCOVER') {
      this.emit(state);
      state = undefined;
    }
    if (state === undefined) {
      const oldest = this.open.size >= this.maxExchanges ? this.open.values().next().value : undefined;
      if (oldest !== undefined) this.emit(oldest);
      state = new ExchangeState(client, xid, datagram.time);
      this.open.set(key, state);
    }
    state.add(type, datagram, seconds);
  }

  /** Exchanges not emitted yet, as they stand (a live view; they are emitted later as usual). */
  pending(): DhcpExchange[] {
    return [...this.open.values()].map((state) => state.finish());
  }

  /** Moves capture time on without a message (a live capture's clock): settled and idle exchanges are emitted. */
  advance(seconds: number): void {
    this.emitDue(seconds);
  }

  /** Emits every open exchange (end of the capture). */
  finish(): void {
    for (const state of [...this.open.values()]) this.emit(state);
  }

  private emitDue(seconds: number): void {
    // Deleting the entry being visited is safe in a Map's iteration: no copy of the open set per datagram.
    for (const state of this.open.values()) {
      const wait = state.settled ? this.settleSeconds : this.idleSeconds;
      if (seconds - state.lastSeconds > wait) this.emit(state);
    }
  }

  private emit(state: ExchangeState): void {
    this.open.delete(`${state.client}/${state.xid}`);
    this.onExchange(state.finish());
  }
}

class ExchangeState {
  vendorClass: string | undefined;
  readonly clientMessages = new HeadAndTail<DhcpClientMessage>(MESSAGES_KEPT);
  readonly offers = new HeadAndTail<DhcpServerReply>(MESSAGES_KEPT);
  readonly answers = new HeadAndTail<DhcpServerReply>(MESSAGES_KEPT);
  lastTime: Timestamp;
  lastSeconds = -Infinity;
  /** The type of the last message that decides the outcome. */
  private last: string | undefined;

  constructor(
    readonly client: string,
    readonly xid: number,
    readonly firstTime: Timestamp,
  ) {
    this.lastTime = firstTime;
  }

  get settled(): boolean {
    return (
      this.last === 'ACK' ||
      this.last === 'NAK' ||
      this.last === 'BOOTREPLY' ||
      this.last === 'DECLINE' ||
      this.last === 'RELEASE'
    );
  }

  add(type: TrackedType, datagram: DhcpDatagram, seconds: number): void {
    const { message, frame, time } = datagram;
    this.lastTime = time;
    this.lastSeconds = Math.max(this.lastSeconds, seconds);
    switch (type) {
      case 'OFFER':
      case 'ACK':
      case 'NAK':
      case 'BOOTREPLY': {
        const server = serverIdentifier(message) ?? datagram.srcIp;
        const reply: DhcpServerReply = { type, frame, time, server, sourceIp: datagram.srcIp, message };
        if (type === 'OFFER') this.offers.add(reply);
        else this.answers.add(reply);
        if (type !== 'OFFER') this.last = type;
        break;
      }
      default:
        this.vendorClass ??= vendorClassIdentifier(message);
        this.clientMessages.add({ type, frame, time, message });
        if (type !== 'DISCOVER') this.last = type;
    }
  }

  finish(): DhcpExchange {
    const omitted = this.clientMessages.omitted + this.offers.omitted + this.answers.omitted;
    const clientMessages = this.clientMessages.kept();
    const offers = this.offers.kept();
    const answers = this.answers.kept();
    return {
      client: this.client,
      xid: this.xid,
      vendorClass: this.vendorClass,
      clientMessages,
      offers,
      answers,
      firstTime: this.firstTime,
      lastTime: this.lastTime,
      frames: [...clientMessages, ...offers, ...answers].map((m) => m.frame).sort((a, b) => a - b),
      outcome: this.outcome(),
      ...(omitted > 0 ? { omittedMessages: omitted } : {}),
    };
  }

  private outcome(): DhcpExchangeOutcome {
    switch (this.last) {
      case 'ACK':
      case 'BOOTREPLY':
        return 'acked';
      case 'NAK':
        return 'nak';
      case 'DECLINE':
        return 'declined';
      case 'RELEASE':
        return 'released';
      case 'REQUEST':
      case 'INFORM':
        return 'requested-no-answer';
      default:
        return this.offers.count > 0 ? 'offered-not-requested' : 'no-offer';
    }
  }
}
