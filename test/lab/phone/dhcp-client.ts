/**
 * The simulated phone's DHCP client (RFC 2131), over a plain UDP socket: bound to 0.0.0.0:68
 * with SO_BROADCAST on an interface that has no address yet, it sends from 0.0.0.0 to
 * 255.255.255.255:67 like a booting phone. The broadcast flag asks servers to broadcast their
 * answers, since the kernel would drop a unicast to an address the interface does not have.
 * The replies are read with the product's own decoder (parsers/dhcp). A client that remembers
 * an address starts in INIT-REBOOT and, on a NAK, starts over from INIT (RFC 2131 3.2).
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import {
  decodeDhcp,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  dhcpOptionStrings,
  dhcpOptionText,
  type DhcpMessage,
} from '../../../parsers/dhcp/decode.js';
import {
  DHCP_OPTION_CISCO_TFTP_SERVERS,
  DHCP_OPTION_MESSAGE_TYPE,
  DHCP_OPTION_REQUESTED_IP,
  DHCP_OPTION_SERVER_ID,
  DHCP_OPTION_TFTP_SERVER_NAME,
  DHCP_OPTION_VENDOR_CLASS,
} from '../../../parsers/dhcp/options.js';

const OPTION_PARAMETER_LIST = 55;
const OPTION_CLIENT_ID = 61;
const DISCOVER = 1;
const OFFER = 2;
const REQUEST = 3;
const ACK = 5;
const NAK = 6;
const MAGIC_COOKIE = 0x63825363;
const BROADCAST_FLAG = 0x8000;

/** Subnet mask, router, DNS, domain name, 66 (SIP admin guide, facts 7.2) and Cisco's 150. */
const PARAMETER_LIST = [1, 3, 6, 15, DHCP_OPTION_TFTP_SERVER_NAME, DHCP_OPTION_CISCO_TFTP_SERVERS];

/** Option 60 of a 7940/7960, trailing NUL included (phone-facts 7.1, WAZO). */
export function vendorClassOf(model: '7940' | '7960'): Buffer {
  return Buffer.from(`Cisco Systems, Inc. IP Phone CP-${model}G\0`, 'latin1');
}

/** Where the answer a phone accepted says its TFTP server is. */
export interface TftpHints {
  option66?: string;
  option150?: readonly string[];
  /** The "next server" field when it is not 0.0.0.0. */
  siaddr?: string;
}

export interface DhcpLease {
  address: string;
  netmask: string;
  serverId: string;
  tftp: TftpHints;
  /** Every OFFER seen during the DISCOVER phase (from one or several servers). */
  offers: number;
  offerServers: readonly string[];
}

export type DhcpOutcome =
  | { readonly kind: 'bound'; readonly lease: DhcpLease }
  | { readonly kind: 'no-offer'; readonly discovers: number }
  | { readonly kind: 'nak'; readonly serverId: string; readonly message?: string };

export interface DhcpClientOptions {
  /** `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  vendorClass: Buffer;
  /**
   * Seconds to wait after each DISCOVER/REQUEST before sending it again. RFC 2131 4.1 suggests
   * 4, 8, 16, 32 s; the 7940/7960's own schedule is not documented.
   */
  retrySeconds?: readonly number[];
  /** After the first OFFER, wait this long for more (several servers). */
  offerWindowMs?: number;
  /** The address of a former lease: asked for first, in INIT-REBOOT. */
  previousAddress?: string;
  /** Told of each step, for the console. */
  onStep?: (step: 'discover' | 'offer' | 'request' | 'ack' | 'nak', detail: string) => void;
}

function macBytes(mac: string): Buffer {
  return Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));
}

function ipBytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function option(code: number, data: Buffer | number[]): Buffer {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return Buffer.concat([Buffer.from([code, bytes.length]), bytes]);
}

/** A BOOTREQUEST with the given options (RFC 2131 section 2, fixed fields then the options). */
export function encodeRequest(xid: number, secs: number, mac: string, options: readonly Buffer[]): Buffer {
  const fixed = Buffer.alloc(240);
  fixed[0] = 1; // op BOOTREQUEST
  fixed[1] = 1; // htype Ethernet
  fixed[2] = 6; // hlen
  fixed.writeUInt32BE(xid, 4);
  fixed.writeUInt16BE(secs, 8);
  fixed.writeUInt16BE(BROADCAST_FLAG, 10);
  macBytes(mac).copy(fixed, 28);
  fixed.writeUInt32BE(MAGIC_COOKIE, 236);
  return Buffer.concat([fixed, ...options, Buffer.from([255])]);
}

function hintsOf(ack: DhcpMessage): TftpHints {
  const hints: TftpHints = {};
  const o66 = dhcpOptionText(ack, DHCP_OPTION_TFTP_SERVER_NAME);
  if (o66 !== undefined) hints.option66 = o66.replace(/\0+$/, '');
  const o150 = dhcpOptionStrings(ack, DHCP_OPTION_CISCO_TFTP_SERVERS);
  if (o150 !== undefined) hints.option150 = o150;
  if (ack.siaddr !== undefined && ack.siaddr !== '0.0.0.0') hints.siaddr = ack.siaddr;
  return hints;
}

/** Prefix length to dotted netmask is not needed: option 1 comes as an address. */
function netmaskOf(ack: DhcpMessage): string {
  return dhcpOptionText(ack, 1) ?? '255.255.255.0';
}

/** Runs DISCOVER → OFFER → REQUEST → ACK, with retransmissions, taking the first offer. */
export async function dhcpBind(options: DhcpClientOptions): Promise<DhcpOutcome> {
  const retry = options.retrySeconds ?? [4, 8, 16];
  let xid = randomInt(1, 0x7fffffff);
  const socket: Socket = createSocket({ type: 'udp4', reuseAddr: true });
  const inbox: DhcpMessage[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (msg) => {
    const m = decodeDhcp(msg);
    if (m.op !== 2 || m.xid !== xid || m.chaddr?.toLowerCase() !== options.mac.toLowerCase()) return;
    inbox.push(m);
    wake?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(DHCP_CLIENT_PORT, '0.0.0.0', () => {
      socket.setBroadcast(true);
      resolve();
    });
  });
  const started = Date.now();
  const send = (opts: Buffer[]): Promise<void> =>
    new Promise((resolve, reject) => {
      const secs = Math.min(0xffff, Math.floor((Date.now() - started) / 1000));
      socket.send(encodeRequest(xid, secs, options.mac, opts), DHCP_SERVER_PORT, '255.255.255.255', (err) =>
        err ? reject(err) : resolve(),
      );
    });
  /** Waits until `pick` finds a message in the inbox, or `ms` pass. */
  const await_ = async (ms: number, pick: () => DhcpMessage | undefined): Promise<DhcpMessage | undefined> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = pick();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  };
  const common = [
    option(DHCP_OPTION_VENDOR_CLASS, options.vendorClass),
    option(OPTION_CLIENT_ID, [1, ...macBytes(options.mac)]),
    option(OPTION_PARAMETER_LIST, PARAMETER_LIST),
  ];
  const isType =
    (t: number) =>
    (m: DhcpMessage): boolean =>
      m.messageType === t;
  const serverOf = (m: DhcpMessage): string => dhcpOptionText(m, DHCP_OPTION_SERVER_ID) ?? m.siaddr ?? '?';
  const bound = (address: string, answer: DhcpMessage, offers: readonly DhcpMessage[]): DhcpOutcome => ({
    kind: 'bound',
    lease: {
      address,
      netmask: netmaskOf(answer),
      serverId: serverOf(answer),
      tftp: hintsOf(answer),
      offers: offers.length,
      offerServers: [...new Set(offers.map(serverOf))],
    },
  });
  try {
    if (options.previousAddress) {
      // RFC 2131 4.4.2 INIT-REBOOT: a REQUEST with 'requested IP address' and no 'server identifier'.
      for (const wait of retry) {
        options.onStep?.('request', `REQUEST ${options.previousAddress} (INIT-REBOOT)`);
        await send([
          option(DHCP_OPTION_MESSAGE_TYPE, [REQUEST]),
          option(DHCP_OPTION_REQUESTED_IP, ipBytes(options.previousAddress)),
          ...common,
        ]);
        const answer = await await_(wait * 1000, () => inbox.find((m) => isType(ACK)(m) || isType(NAK)(m)));
        if (answer?.messageType === ACK) {
          options.onStep?.('ack', `ACK ${options.previousAddress}`);
          return bound(options.previousAddress, answer, []);
        }
        if (answer) {
          // RFC 2131 3.2 step 3: after a NAK the client restarts in INIT, a new transaction.
          options.onStep?.('nak', `NAK from ${serverOf(answer)}`);
          break;
        }
      }
      inbox.length = 0;
      xid = randomInt(1, 0x7fffffff);
    }
    let offer: DhcpMessage | undefined;
    let discovers = 0;
    for (const wait of retry) {
      discovers++;
      options.onStep?.('discover', `DISCOVER ${discovers}`);
      await send([option(DHCP_OPTION_MESSAGE_TYPE, [DISCOVER]), ...common]);
      offer = await await_(wait * 1000, () => inbox.find(isType(OFFER)));
      if (offer) break;
    }
    if (!offer) return { kind: 'no-offer', discovers };
    await await_(options.offerWindowMs ?? 500, () => undefined);
    const offers = inbox.filter(isType(OFFER));
    const serverId = serverOf(offer);
    const address = offer.yiaddr ?? '0.0.0.0';
    options.onStep?.('offer', `${offers.length} offer(s); taking ${address} from ${serverId}`);
    inbox.length = 0;
    for (const wait of retry) {
      options.onStep?.('request', `REQUEST ${address}`);
      await send([
        option(DHCP_OPTION_MESSAGE_TYPE, [REQUEST]),
        option(DHCP_OPTION_REQUESTED_IP, ipBytes(address)),
        option(DHCP_OPTION_SERVER_ID, ipBytes(serverId)),
        ...common,
      ]);
      const answer = await await_(wait * 1000, () =>
        inbox.find((m) => (isType(ACK)(m) || isType(NAK)(m)) && serverOf(m) === serverId),
      );
      if (answer?.messageType === NAK) {
        const message = dhcpOptionText(answer, 56);
        options.onStep?.('nak', `NAK from ${serverId}`);
        return message === undefined ? { kind: 'nak', serverId } : { kind: 'nak', serverId, message };
      }
      if (answer) {
        options.onStep?.('ack', `ACK ${address}`);
        return bound(address, answer, offers);
      }
    }
    return { kind: 'no-offer', discovers };
  } finally {
    socket.close();
  }
}
