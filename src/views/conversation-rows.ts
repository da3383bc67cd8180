import { formatTimestamp, type Timestamp } from '../../parsers/capture/frame.js';
import { terminalText } from './escape.js';
import type { DhcpExchange, DhcpServerReply } from '../../parsers/dhcp/exchanges.js';
import {
  bootFileField,
  bootfileName,
  nextServerAddress,
  relayAgentAddress,
  requestedAddress,
  serverHostName,
  serverIdentifier,
  serverMessage,
  tftpServerAddresses,
  tftpServerNameAsSent,
  yourAddress,
} from '../../parsers/dhcp/fields.js';
import {
  DHCP_OPTION_BOOTFILE,
  DHCP_OPTION_CISCO_TFTP_SERVERS,
  DHCP_OPTION_TFTP_SERVER_NAME,
  dhcpOptionKeyword,
  type JsonValue,
} from '../../parsers/dhcp/options.js';
import type { TftpOptions } from '../../parsers/tftp/decode.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';

/** `phonedoc transfers` rows: one per TFTP transfer and one per DHCP exchange, text or JSONL. */

function optionsObject(options: TftpOptions | undefined): Record<string, string> | null {
  if (options === undefined) return null;
  return Object.fromEntries(options.list.map((o) => [o.name, o.value]));
}

function optionsText(options: TftpOptions | undefined): string {
  return options === undefined || options.list.length === 0
    ? ''
    : options.list.map((o) => `${o.name}=${o.value}`).join(',');
}

export function transferRecord(t: TftpTransfer): Record<string, JsonValue> {
  return {
    type: 'tftp-transfer',
    id: t.id,
    client: t.client,
    clientPort: t.clientPort,
    server: t.server,
    serverPort: t.serverPort ?? null,
    file: t.file,
    mode: t.mode,
    direction: t.direction,
    optionsRequested: optionsObject(t.optionsRequested),
    optionsGranted: optionsObject(t.optionsGranted),
    blockSize: t.blockSize,
    firstTime: formatTimestamp(t.firstTime),
    lastTime: formatTimestamp(t.lastTime),
    packets: t.packets,
    blocks: t.blocks,
    bytes: t.bytes,
    duplicateData: t.duplicateData,
    duplicateAcks: t.duplicateAcks,
    missingBlocks: t.missingBlocks,
    requestRetries: t.requestRetries,
    outcome: t.outcome,
    error:
      t.error === undefined
        ? null
        : {
            code: t.error.code,
            name: t.error.name ?? null,
            message: t.error.message,
            by: t.error.by,
            frame: t.error.frame,
          },
    frames: { ...t.frames, requests: [...t.frames.requests] },
    sha256: t.sha256 ?? null,
    size: t.size ?? null,
    notes: [...t.notes],
  };
}

export function transferText(t: TftpTransfer): string {
  const op = t.direction === 'read' ? 'RRQ' : 'WRQ';
  const options = optionsText(t.optionsRequested);
  const granted = t.optionsGranted === undefined ? '' : ` granted ${optionsText(t.optionsGranted) || '-'}`;
  const outcome =
    t.outcome === 'error' && t.error !== undefined
      ? `error ${t.error.code}${t.error.name ? ` (${t.error.name})` : ''} "${t.error.message}" from ${t.error.by}`
      : t.outcome;
  const extras: string[] = [];
  if (t.requestRetries > 0) extras.push(`${t.requestRetries} request retries`);
  if (t.duplicateData > 0) extras.push(`${t.duplicateData} duplicate DATA`);
  if (t.duplicateAcks > 0) extras.push(`${t.duplicateAcks} duplicate ACK`);
  if (t.missingBlocks > 0) extras.push(`${t.missingBlocks} missing blocks`);
  extras.push(...t.notes);
  return terminalText(
    [
      `TFTP #${t.id} ${formatTimestamp(t.firstTime)} ${t.client}:${t.clientPort} -> ${t.server}:${t.serverPort ?? '-'}`,
      `${op} ${JSON.stringify(t.file)} ${t.mode}${options ? ` ${options}` : ''}${granted}`,
      `${t.blocks} blocks ${t.bytes} bytes`,
      outcome,
      `frames ${frameSpan(t)}`,
    ].join('  ') + (extras.length > 0 ? `  [${extras.join('; ')}]` : ''),
  );
}

function frameSpan(t: TftpTransfer): string {
  const { requests, oack, firstData, lastData, finalAck, error, unreachable } = t.frames;
  const frames = [...requests, oack, firstData, lastData, finalAck, error, unreachable].filter(
    (f): f is number => f !== undefined,
  );
  if (frames.length === 0) return '-';
  const first = Math.min(...frames);
  const last = Math.max(...frames);
  return first === last ? String(first) : `${first}-${last}`;
}

function replyRecord(r: DhcpServerReply): Record<string, JsonValue> {
  const { message } = r;
  const tftpServers = tftpServerAddresses(message);
  return {
    type: r.type,
    frame: r.frame,
    time: formatTimestamp(r.time),
    server: r.server,
    sourceIp: r.sourceIp,
    yiaddr: yourAddress(message) ?? null,
    relay: relayAgentAddress(message) ?? null,
    tftp: {
      option66: tftpServerNameAsSent(message) ?? null,
      option150: tftpServers === undefined ? null : [...tftpServers],
      siaddr: nextServerAddress(message) ?? null,
      sname: serverHostName(message) ?? null,
      option67: bootfileName(message) ?? null,
      file: bootFileField(message) ?? null,
    },
    message: serverMessage(message) ?? null,
  };
}

export function exchangeRecord(e: DhcpExchange): Record<string, JsonValue> {
  return {
    type: 'dhcp-exchange',
    client: e.client,
    xid: `0x${e.xid.toString(16).padStart(8, '0')}`,
    vendorClass: e.vendorClass ?? null,
    firstTime: formatTimestamp(e.firstTime),
    lastTime: formatTimestamp(e.lastTime),
    clientMessages: e.clientMessages.map((m) => ({
      type: m.type,
      frame: m.frame,
      time: formatTimestamp(m.time),
      requestedIp: requestedAddress(m.message) ?? null,
      serverId: serverIdentifier(m.message) ?? null,
    })),
    offers: e.offers.map(replyRecord),
    answers: e.answers.map(replyRecord),
    frames: [...e.frames],
    outcome: e.outcome,
    omittedMessages: e.omittedMessages ?? 0,
  };
}

function replyText(r: DhcpServerReply): string {
  const { message } = r;
  const hints: string[] = [];
  const option = (code: number, value: string): string => `${code} ${dhcpOptionKeyword(code) ?? ''}=${value}`;
  const name = tftpServerNameAsSent(message);
  const tftpServers = tftpServerAddresses(message);
  const nextServer = nextServerAddress(message);
  const bootfile = bootfileName(message);
  const address = yourAddress(message);
  if (name !== undefined) hints.push(option(DHCP_OPTION_TFTP_SERVER_NAME, JSON.stringify(name)));
  if (tftpServers !== undefined) hints.push(option(DHCP_OPTION_CISCO_TFTP_SERVERS, tftpServers.join(',')));
  if (nextServer !== undefined) hints.push(`siaddr=${nextServer}`);
  if (bootfile !== undefined) hints.push(option(DHCP_OPTION_BOOTFILE, JSON.stringify(bootfile)));
  return `${r.type} from ${r.server}${address === undefined ? '' : ` ${address}`}${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`;
}

export function exchangeText(e: DhcpExchange): string {
  const steps = [
    ...e.clientMessages.map((m) => ({ time: m.time, frame: m.frame, text: m.type })),
    ...e.offers.map((r) => ({ time: r.time, frame: r.frame, text: replyText(r) })),
    ...e.answers.map((r) => ({ time: r.time, frame: r.frame, text: replyText(r) })),
  ].sort((a, b) => a.frame - b.frame);
  const vendor = e.vendorClass === undefined ? '' : `  vendor ${JSON.stringify(e.vendorClass)}`;
  const omitted = e.omittedMessages ? ` (and ${e.omittedMessages} more messages, not kept)` : '';
  return terminalText(
    `DHCP ${formatTimestamp(e.firstTime)} ${e.client} xid 0x${e.xid.toString(16).padStart(8, '0')}${vendor}  ` +
      `${steps.map((s) => s.text).join(' > ')}${omitted}  ${e.outcome}`,
  );
}

/** Rows in capture order of their first packet. */
export function byFirstTime<T extends { readonly firstTime: Timestamp }>(a: T, b: T): number {
  return a.firstTime.seconds - b.firstTime.seconds || a.firstTime.nanos - b.firstTime.nanos;
}
