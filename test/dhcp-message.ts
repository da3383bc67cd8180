/** DHCP messages built by hand for tests, as bytes (RFC 2131 section 2 layout) read back by the decoder. */
import { decodeDhcp, type DhcpMessage } from '../parsers/dhcp/decode.js';

/** The header fields a test sets; option 53 by name, absent for plain BOOTP. */
export interface DhcpHeader {
  readonly op: number;
  readonly xid: number;
  readonly chaddr: string;
  readonly ciaddr: string;
  readonly yiaddr: string;
  readonly siaddr: string;
  readonly giaddr: string;
  readonly sname: string;
  readonly file: string;
  readonly messageType: string | undefined;
}

/** The options a test sets, by what they mean. */
export interface DhcpOptionValues {
  readonly serverId?: string;
  readonly requestedIp?: string;
  readonly vendorClass?: string;
  readonly tftpServerName?: string;
  readonly tftpServers?: readonly string[];
  readonly bootfileName?: string;
  readonly message?: string;
}

/** A 7960's DISCOVER: the header other messages are made from. */
export const PHONE_DISCOVER: DhcpHeader = {
  op: 1,
  xid: 0x3903f326,
  chaddr: '00:0E:84:C0:60:A6',
  ciaddr: '0.0.0.0',
  yiaddr: '0.0.0.0',
  siaddr: '0.0.0.0',
  giaddr: '0.0.0.0',
  sname: '',
  file: '',
  messageType: 'DISCOVER',
};

const MESSAGE_TYPES = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];

const address = (text: string): number[] => text.split('.').map(Number);
const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];
const option = (code: number, data: readonly number[]): number[] => [code, data.length, ...data];

function fixed(text: string, size: number): number[] {
  return [...ascii(text), ...new Array<number>(size - text.length).fill(0)];
}

/** The message's bytes, read back by the decoder as a capture's would be. */
export function dhcpMessage(h: DhcpHeader, o: DhcpOptionValues = {}): DhcpMessage {
  const mac = h.chaddr.split(':').map((b) => Number.parseInt(b, 16));
  const type = h.messageType === undefined ? -1 : MESSAGE_TYPES.indexOf(h.messageType);
  const bytes = [
    ...[h.op, 1, mac.length, 0],
    ...[24, 16, 8, 0].map((shift) => (h.xid >>> shift) & 255),
    ...[0, 0, 0, 0],
    ...[h.ciaddr, h.yiaddr, h.siaddr, h.giaddr].flatMap(address),
    ...mac,
    ...new Array<number>(16 - mac.length).fill(0),
    ...fixed(h.sname, 64),
    ...fixed(h.file, 128),
    ...[99, 130, 83, 99],
    ...(type < 0 ? [] : option(53, [type])),
    ...(o.serverId === undefined ? [] : option(54, address(o.serverId))),
    ...(o.requestedIp === undefined ? [] : option(50, address(o.requestedIp))),
    ...(o.vendorClass === undefined ? [] : option(60, ascii(o.vendorClass))),
    ...(o.tftpServerName === undefined ? [] : option(66, ascii(o.tftpServerName))),
    ...(o.tftpServers === undefined ? [] : option(150, o.tftpServers.flatMap(address))),
    ...(o.bootfileName === undefined ? [] : option(67, ascii(o.bootfileName))),
    ...(o.message === undefined ? [] : option(56, ascii(o.message))),
    255,
  ];
  return decodeDhcp(Uint8Array.from(bytes));
}
