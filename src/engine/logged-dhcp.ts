/**
 * DHCP exchanges as DHCP servers log them (dnsmasq, ISC dhcpd, Kea, tftpd32): each message a
 * server received from or sent to a client, grouped per client into exchanges, as the capture
 * groups its datagrams (parsers/dhcp/exchanges.ts): by transaction id when the server logs it
 * (the same xid in the logs of two servers is one exchange), else in order, a DISCOVER after
 * an answer starting a new one. Each message names the server that logged it: its address when
 * the log says (option 54 sent, `next server`), else the log's host or file and process.
 */
import type { DhcpMessageType, ServerLogEvent } from '../../parsers/server-log/events.js';
import { isoMillis } from '../../parsers/time/iso.js';
import type { Evidence } from '../findings/finding.js';
import { visibleName } from './observations.js';

export interface LoggedDhcpMessage {
  readonly messageType: DhcpMessageType;
  readonly action: 'received' | 'sent';
  /** The server that logged it. */
  readonly server: string;
  /** Seconds on the log's own clock, when the line has a time. */
  readonly sourceTime?: number;
  readonly ip?: string;
  readonly reason?: string;
  readonly evidence: Evidence;
}

export interface LoggedDhcpExchange<M extends LoggedDhcpMessage = LoggedDhcpMessage> {
  /** `aa:bb:cc:dd:ee:ff`. */
  readonly mac: string;
  readonly xid?: number;
  readonly messages: M[];
  /** Option 60 as logged (dnsmasq --log-dhcp `vendor class:`). */
  vendorClass?: { readonly text: string; readonly evidence: Evidence };
  hostname?: string;
}

/** DHCP option 54, server identifier (RFC 2132 section 9.7). */
const SERVER_IDENTIFIER = 54;
const ANSWERS: ReadonlySet<DhcpMessageType> = new Set(['ack', 'nak']);

function evidenceOf(file: string, e: ServerLogEvent): Evidence {
  return {
    source: 'server-log',
    file,
    line: e.line,
    ...(e.time !== undefined ? { time: isoMillis(e.time) } : {}),
    text: visibleName(e.raw.trim()),
  };
}

export function loggedDhcpExchanges(
  logs: readonly (readonly [string, readonly ServerLogEvent[]])[],
): LoggedDhcpExchange[] {
  const exchanges: LoggedDhcpExchange[] = [];
  const open = new Map<string, LoggedDhcpExchange>();
  /** Per server process and xid: the server's own address and the client's vendor class, from --log-dhcp detail lines. */
  const details = new Map<
    string,
    { server?: string; nextServer?: string; vendorClass?: { text: string; evidence: Evidence } }
  >();
  const pending: { exchange: LoggedDhcpExchange; index: number; process: string; xid?: number }[] = [];

  for (const [file, events] of logs) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    for (const e of events) {
      const process = `${file}\u0000${e.host ?? ''}\u0000${e.pid ?? ''}`;
      if (e.kind === 'dhcp-detail' && e.xid !== undefined) {
        const key = `${process}\u0000${e.xid}`;
        const d = details.get(key) ?? {};
        if (e.detail === 'option' && e.option === SERVER_IDENTIFIER) d.server = e.value;
        if (e.detail === 'next-server') d.nextServer = e.value;
        if (e.detail === 'vendor-class') d.vendorClass = { text: e.value, evidence: evidenceOf(file, e) };
        details.set(key, d);
        continue;
      }
      if (
        e.kind !== 'dhcp' ||
        e.mac === undefined ||
        e.messageType === undefined ||
        (e.action !== 'received' && e.action !== 'sent')
      )
        continue;
      const key = e.xid !== undefined ? `${e.mac} ${e.xid}` : `${process}\u0000${e.mac}`;
      let exchange = open.get(key);
      const answered = exchange?.messages.some(
        (m) => ANSWERS.has(m.messageType) && (e.xid === undefined || m.server === fallbackName(name, e)),
      );
      const startsOver = e.messageType === 'discover' || (e.xid === undefined && e.messageType === 'request');
      if (!exchange || (startsOver && answered)) {
        exchange = { mac: e.mac, ...(e.xid !== undefined ? { xid: e.xid } : {}), messages: [] };
        exchanges.push(exchange);
        open.set(key, exchange);
      }
      if (e.hostname && !exchange.hostname) exchange.hostname = e.hostname;
      const time = e.time;
      exchange.messages.push({
        messageType: e.messageType,
        action: e.action,
        server: fallbackName(name, e),
        ...(time !== undefined ? { sourceTime: time } : {}),
        ...(e.ip !== undefined ? { ip: e.ip } : {}),
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
        evidence: evidenceOf(file, e),
      });
      pending.push({
        exchange,
        index: exchange.messages.length - 1,
        process,
        ...(e.xid !== undefined ? { xid: e.xid } : {}),
      });
    }
  }
  // Detail lines may follow the message they belong to (dnsmasq logs the options after the OFFER).
  for (const { exchange, index, process, xid } of pending) {
    if (xid === undefined) continue;
    const d = details.get(`${process}\u0000${xid}`);
    if (!d) continue;
    const server = d.server ?? d.nextServer;
    if (server) exchange.messages[index] = { ...exchange.messages[index]!, server };
    if (d.vendorClass && !exchange.vendorClass) exchange.vendorClass = d.vendorClass;
  }
  return exchanges;
}

/** A server named by where it logged: `dnsmasq.log`, `gw`, with its process id (two servers may share one file). */
function fallbackName(file: string, e: ServerLogEvent): string {
  return `${e.host ?? file}${e.pid !== undefined ? ` [${e.pid}]` : ''}`;
}
