/**
 * Which UDP datagrams are TFTP, found the way tshark finds them (packet-tftp.c):
 *
 * - a request (RRQ/WRQ) to UDP port 69 opens a conversation between the client's ip:port
 *   and the server's ip, with the server port left open;
 * - RFC 1350 section 4: the server answers from a new port (its transfer identifier), so
 *   the first datagram from the server ip to the client ip:port binds the server port;
 * - later datagrams between the two endpoints, either way, belong to the conversation.
 *
 * Beyond tshark: a request repeated from the same client port while its conversation is
 * open is a retry of the same conversation; a different request from that port replaces
 * it. A server that forks once per received request (tftpd-hpa under inetd) answers a
 * retried request from a second port: those datagrams are matched too and flagged
 * `otherServerPort` (tshark leaves them undissected). Every datagram to or from port 69
 * is TFTP, as for tshark, even when it fits no conversation.
 *
 * `match` runs for every UDP datagram of a capture, so the no-match path is two array
 * reads: a Map lookup happens only when a port is in use by a conversation's client.
 */
import { ipv4ToString } from '../net/address.js';

export const TFTP_SERVER_PORT = 69;

/** Why a conversation left the table. */
export type TftpConversationEnd = 'idle' | 'replaced' | 'evicted';

export interface TftpConversation {
  /** 1, 2, ... in the order requests were seen. */
  readonly id: number;
  readonly clientIp: number;
  readonly clientPort: number;
  readonly serverIp: number;
  /** The port the server answered from (its transfer identifier); 0 until it answers. */
  readonly serverPort: number;
  /** Dotted-quad forms of `clientIp` / `serverIp`. */
  readonly client: string;
  readonly server: string;
  /** Set by `close` once the transfer has ended: the same request again opens a new conversation. */
  readonly closed: boolean;
}

export interface TftpMatch {
  /** Undefined for a datagram to or from port 69 that fits no conversation. */
  readonly conversation: TftpConversation | undefined;
  readonly from: 'client' | 'server' | undefined;
  /** 'new' for a request that opened the conversation, 'retry' for the same request repeated. */
  readonly request: 'new' | 'retry' | undefined;
  /** Between the client and a server port other than the one that answered first. */
  readonly otherServerPort: boolean;
}

export interface TftpConversationTableOptions {
  /** A conversation with no datagram for this long (capture time) is dropped. Default 30 s. */
  readonly idleSeconds?: number;
  /** Above this many conversations the oldest is dropped. Default 4096. */
  readonly maxConversations?: number;
  /** Called when a conversation leaves the table (idle, replaced by a new request, or evicted by the cap). */
  readonly onEnd?: (conversation: TftpConversation, reason: TftpConversationEnd) => void;
}

export const DEFAULT_TFTP_IDLE_SECONDS = 30;
const DEFAULT_MAX_CONVERSATIONS = 4096;
/** Server ports remembered per conversation beyond the first. */
const MAX_OTHER_SERVER_PORTS = 8;

class Conversation implements TftpConversation {
  serverPort = 0;
  closed = false;
  readonly otherServerPorts: number[] = [];
  readonly client: string;
  readonly server: string;

  constructor(
    readonly id: number,
    readonly clientIp: number,
    readonly clientPort: number,
    readonly serverIp: number,
    /** A copy of the request payload, to tell a retry from a new request. */
    readonly request: Uint8Array,
    public lastSeen: number,
  ) {
    this.client = ipv4ToString(clientIp);
    this.server = ipv4ToString(serverIp);
  }

  /** Whether `port` is a port this server answered from; `otherServerPort` when it is not the first one. */
  serverUses(port: number): boolean {
    return port !== 0 && (port === this.serverPort || this.otherServerPorts.includes(port));
  }
}

export class TftpConversationTable {
  private readonly byClient = new Map<number, Conversation>();
  /** Conversations per client port number: the cheap first test for every datagram. */
  private readonly clientPortUse = new Uint32Array(65536);
  private readonly idleSeconds: number;
  private readonly maxConversations: number;
  private readonly onEnd: ((conversation: TftpConversation, reason: TftpConversationEnd) => void) | undefined;
  private nextId = 1;
  private nextSweep = -Infinity;

  constructor(options: TftpConversationTableOptions = {}) {
    this.idleSeconds = options.idleSeconds ?? DEFAULT_TFTP_IDLE_SECONDS;
    this.maxConversations = Math.max(1, options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS);
    this.onEnd = options.onEnd;
  }

  get size(): number {
    return this.byClient.size;
  }

  /**
   * The TFTP conversation of one UDP datagram, or undefined when it is not TFTP.
   * Addresses are IPv4 as unsigned 32-bit numbers; `timeSeconds` is capture time.
   */
  match(
    srcIp: number,
    sport: number,
    dstIp: number,
    dport: number,
    payload: Uint8Array,
    timeSeconds: number,
  ): TftpMatch | undefined {
    if (timeSeconds >= this.nextSweep) this.sweep(timeSeconds);
    if (
      dport === TFTP_SERVER_PORT &&
      payload.length >= 2 &&
      payload[0] === 0 &&
      (payload[1] === 1 || payload[1] === 2)
    ) {
      return this.request(srcIp, sport, dstIp, payload, timeSeconds);
    }
    const use = this.clientPortUse;
    if (use[sport] !== 0) {
      const conversation = this.byClient.get(endpointKey(srcIp, sport));
      if (
        conversation !== undefined &&
        conversation.serverIp === dstIp &&
        (conversation.serverUses(dport) || dport === TFTP_SERVER_PORT)
      ) {
        conversation.lastSeen = timeSeconds;
        return matched(
          conversation,
          'client',
          undefined,
          dport !== conversation.serverPort && dport !== TFTP_SERVER_PORT,
        );
      }
    }
    if (use[dport] !== 0) {
      const conversation = this.byClient.get(endpointKey(dstIp, dport));
      if (conversation !== undefined && conversation.serverIp === srcIp) {
        conversation.lastSeen = timeSeconds;
        if (conversation.serverPort === 0) conversation.serverPort = sport;
        else if (!conversation.serverUses(sport) && conversation.otherServerPorts.length < MAX_OTHER_SERVER_PORTS) {
          conversation.otherServerPorts.push(sport);
        }
        return matched(conversation, 'server', undefined, sport !== conversation.serverPort);
      }
    }
    if (sport === TFTP_SERVER_PORT || dport === TFTP_SERVER_PORT) return PORT_69_ONLY;
    return undefined;
  }

  /**
   * Whether a datagram between these ports could be TFTP: port 69 on either side, or a
   * port some open conversation uses on its client side. A cheap test made before a
   * datagram is decoded at all.
   */
  mayMatch(sport: number, dport: number): boolean {
    return (
      sport === TFTP_SERVER_PORT ||
      dport === TFTP_SERVER_PORT ||
      this.clientPortUse[sport] !== 0 ||
      this.clientPortUse[dport] !== 0
    );
  }

  /** The conversation opened by a request from this client ip:port, if it is still in the table. */
  find(clientIp: number, clientPort: number): TftpConversation | undefined {
    return this.byClient.get(endpointKey(clientIp, clientPort));
  }

  /** Marks the conversation's transfer as ended: its next identical request is a new transfer. */
  close(conversation: TftpConversation): void {
    const own = this.byClient.get(endpointKey(conversation.clientIp, conversation.clientPort));
    if (own === conversation) own.closed = true;
  }

  /** Drops conversations idle since before `timeSeconds - idleSeconds`. */
  sweep(timeSeconds: number): void {
    this.nextSweep = timeSeconds + Math.max(this.idleSeconds / 8, 0.001);
    const oldest = timeSeconds - this.idleSeconds;
    for (const conversation of this.byClient.values()) {
      if (conversation.lastSeen < oldest) this.remove(conversation, 'idle');
    }
  }

  /** Ends every conversation (capture end); `onEnd` is not called. */
  clear(): void {
    this.byClient.clear();
    this.clientPortUse.fill(0);
  }

  private request(
    clientIp: number,
    clientPort: number,
    serverIp: number,
    payload: Uint8Array,
    time: number,
  ): TftpMatch {
    const key = endpointKey(clientIp, clientPort);
    const old = this.byClient.get(key);
    if (old !== undefined) {
      if (!old.closed && old.serverIp === serverIp && sameBytes(old.request, payload)) {
        old.lastSeen = time;
        return matched(old, 'client', 'retry', false);
      }
      this.remove(old, 'replaced');
    }
    if (this.byClient.size >= this.maxConversations) {
      // At most one sweep per sweep interval: a full table of live conversations (a flood) would
      // otherwise be walked whole at every new request.
      if (time >= this.nextSweep) this.sweep(time);
      const first = this.byClient.values().next();
      if (!first.done && this.byClient.size >= this.maxConversations) this.remove(first.value, 'evicted');
    }
    const conversation = new Conversation(this.nextId++, clientIp, clientPort, serverIp, payload.slice(), time);
    this.byClient.set(key, conversation);
    this.clientPortUse[clientPort]! += 1;
    return matched(conversation, 'client', 'new', false);
  }

  private remove(conversation: Conversation, reason: TftpConversationEnd): void {
    this.byClient.delete(endpointKey(conversation.clientIp, conversation.clientPort));
    this.clientPortUse[conversation.clientPort]! -= 1;
    this.onEnd?.(conversation, reason);
  }
}

const PORT_69_ONLY: TftpMatch = Object.freeze({
  conversation: undefined,
  from: undefined,
  request: undefined,
  otherServerPort: false,
});

function matched(
  conversation: TftpConversation,
  from: 'client' | 'server',
  request: 'new' | 'retry' | undefined,
  otherServerPort: boolean,
): TftpMatch {
  return { conversation, from, request, otherServerPort };
}

/** ip:port as one number (2^48 range, exact in a double). */
function endpointKey(ip: number, port: number): number {
  return ip * 65536 + port;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
