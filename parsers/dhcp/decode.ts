/**
 * DHCP/BOOTP messages (RFC 951, RFC 2131, RFC 2132, RFC 3396). Never throws: what cannot be
 * read is left out and said in `warnings`, with byte offsets into the DHCP payload.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 * +---------------+---------------+---------------+---------------+
 * |                            xid (4)                            |
 * +-------------------------------+-------------------------------+
 * |           secs (2)            |           flags (2)           |
 * +-------------------------------+-------------------------------+
 * |                          ciaddr  (4)                          |
 * |                          yiaddr  (4)                          |
 * |                          siaddr  (4)                          |
 * |                          giaddr  (4)                          |
 * |                          chaddr  (16)                         |
 * |                          sname   (64)                         |
 * |                          file    (128)                        |
 * |                          options (variable)                   |
 * +---------------------------------------------------------------+
 */

import { bytesText, readU16 } from '../capture/bytes.js';
import { ipv4ToString, readU32 } from '../net/address.js';
import {
  DHCP_OPTION_END,
  DHCP_OPTION_MESSAGE_TYPE,
  DHCP_OPTION_OVERLOAD,
  DHCP_OPTION_PAD,
  OVERLOAD_FILE,
  OVERLOAD_SNAME,
  dhcpMessageTypeName,
  dhcpOptionKeyword,
  dhcpOptionSpec,
  formatOptionValue,
  hardwareAddressToString,
  readOptionValue,
  toHex,
  type DhcpOptionValue,
  type JsonValue,
} from './options.js';

/** RFC 2131 section 4.1: servers listen on 67, clients on 68. */
export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
/** PXE 2.1 specification: proxyDHCP / boot server requests (what tshark also dissects as DHCP). */
export const PXE_PROXY_DHCP_PORT = 4011;

export function isDhcpPort(port: number): boolean {
  return port === DHCP_SERVER_PORT || port === DHCP_CLIENT_PORT || port === PXE_PROXY_DHCP_PORT;
}

const SNAME_AT = 44;
const FILE_AT = 108;
const COOKIE_AT = 236;
const OPTIONS_AT = 240;
const CHADDR_AT = 28;
const CHADDR_BYTES = 16;
const MAGIC_COOKIE = 0x63825363;
const BROADCAST_FLAG = 0x8000;

/** Where an option was found: the options field, or a fixed field that option 52 gave to options. */
export type DhcpOptionField = 'options' | 'file' | 'sname';

export interface DhcpOption {
  readonly code: number;
  readonly name: string;
  /** Offset of the option's code byte in the DHCP payload (of its first instance when several were concatenated). */
  readonly offset: number;
  readonly field: DhcpOptionField;
  /** The option's bytes, all instances concatenated in order (RFC 3396). A copy. */
  readonly data: Uint8Array;
  /** How many instances were concatenated (usually 1). */
  readonly instances: number;
  /** The decoded value; the hex of `data` when the bytes do not fit the option's format (see `warnings`). */
  readonly value: DhcpOptionValue;
}

/** Fixed-header fields are undefined when the payload ends before them (see `warnings`). */
export interface DhcpMessage {
  /** 1 BOOTREQUEST, 2 BOOTREPLY. */
  readonly op?: number;
  readonly htype?: number;
  readonly hlen?: number;
  readonly hops?: number;
  readonly xid?: number;
  readonly secs?: number;
  readonly flags?: number;
  readonly broadcast?: boolean;
  readonly ciaddr?: string;
  readonly yiaddr?: string;
  /** "Next server" address: for a phone, the TFTP server when options 66/150 are absent. */
  readonly siaddr?: string;
  readonly giaddr?: string;
  /** The first `hlen` bytes of chaddr as `aa:bb:cc:dd:ee:ff`. */
  readonly chaddr?: string;
  /** Up to the first NUL; undefined when option 52 gave the field to options. */
  readonly sname?: string;
  readonly file?: string;
  /** The 4 bytes after `file`: 0x63825363 for DHCP. */
  readonly magicCookie?: number;
  /** Options in wire order (options field, then `file`, then `sname`), without pad and end. */
  readonly options: readonly DhcpOption[];
  /** Option 53; undefined for BOOTP. */
  readonly messageType?: number;
  readonly warnings: readonly string[];
}

/** One instance of an option: its data is `payload[start, end)`. */
interface Instance {
  readonly code: number;
  readonly offset: number;
  readonly field: DhcpOptionField;
  readonly start: number;
  readonly end: number;
}

export function decodeDhcp(payload: Uint8Array): DhcpMessage {
  const warnings: string[] = [];
  const n = payload.length;
  const has = (at: number, bytes: number): boolean => at + bytes <= n;
  const address = (at: number): string | undefined => (has(at, 4) ? addressText(readU32(payload, at)) : undefined);

  if (n < COOKIE_AT) warnings.push(`the DHCP payload ends at offset ${n}, inside the ${COOKIE_AT}-byte fixed header`);
  const hlen = has(2, 1) ? payload[2] : undefined;
  const flags = has(10, 2) ? readU16(payload, 10, false) : undefined;
  const chaddr = readChaddr(payload, hlen, warnings);
  const magicCookie = has(COOKIE_AT, 4) ? readU32(payload, COOKIE_AT) : undefined;
  const { instances, overload } = readOptionInstances(payload, magicCookie, warnings);
  const packed = packOptions(payload, instances, warnings);
  const typeAt = packedEntry(packed, DHCP_OPTION_MESSAGE_TYPE);
  const header: DhcpHeaderFields = {
    op: has(0, 1) ? payload[0] : undefined,
    htype: has(1, 1) ? payload[1] : undefined,
    hlen,
    hops: has(3, 1) ? payload[3] : undefined,
    xid: has(4, 4) ? readU32(payload, 4) : undefined,
    secs: has(8, 2) ? readU16(payload, 8, false) : undefined,
    flags,
    broadcast: flags === undefined ? undefined : (flags & BROADCAST_FLAG) !== 0,
    ciaddr: address(12),
    yiaddr: address(16),
    siaddr: address(20),
    giaddr: address(24),
    chaddr,
    magicCookie,
    sname: overload & OVERLOAD_SNAME ? undefined : readFixedString(payload, SNAME_AT, FILE_AT),
    file: overload & OVERLOAD_FILE ? undefined : readFixedString(payload, FILE_AT, COOKIE_AT),
    messageType:
      typeAt !== undefined && packedU16(packed, typeAt + 6) === 1
        ? packed.charCodeAt(typeAt + OPTION_ENTRY_BYTES)
        : undefined,
  };
  return new DecodedDhcpMessage(header, packed, warnings.length > 0 ? warnings : NO_WARNINGS);
}

/** The option instances of the options field and of the fixed fields option 52 gives to options (a DHCP cookie only). */
function readOptionInstances(
  payload: Uint8Array,
  magicCookie: number | undefined,
  warnings: string[],
): { instances: Instance[]; overload: number } {
  const n = payload.length;
  let overload = 0;
  const instances: Instance[] = [];
  if (magicCookie === MAGIC_COOKIE) {
    readOptionsField(payload, OPTIONS_AT, n, 'options', instances, warnings);
    overload = readOverload(payload, instances, warnings);
    if (overload & OVERLOAD_FILE) readOptionsField(payload, FILE_AT, COOKIE_AT, 'file', instances, warnings);
    if (overload & OVERLOAD_SNAME) readOptionsField(payload, SNAME_AT, FILE_AT, 'sname', instances, warnings);
    for (const misplaced of instances.filter((i) => i.code === DHCP_OPTION_OVERLOAD && i.field !== 'options')) {
      warnings.push(
        `option 52 (overload) at offset ${misplaced.offset} in the ${misplaced.field} field is not allowed there; ignored`,
      );
      instances.splice(instances.indexOf(misplaced), 1);
    }
  } else if (magicCookie !== undefined) {
    if (payload.subarray(COOKIE_AT).some((b) => b !== 0)) {
      warnings.push(
        `bad magic cookie 0x${hex32(magicCookie)} at offset ${COOKIE_AT} (expected 0x${hex32(MAGIC_COOKIE)}): options not decoded`,
      );
    }
  } else if (n > COOKIE_AT) {
    warnings.push(`the DHCP payload ends at offset ${n}, inside the magic cookie at offset ${COOKIE_AT}`);
  }
  return { instances, overload };
}

const UNSET_ADDRESS = '0.0.0.0';

/** An address header field as text; the unset address, most of a message's, as the one string every message shares. */
function addressText(address: number): string {
  return address === 0 ? UNSET_ADDRESS : ipv4ToString(address);
}

function readChaddr(payload: Uint8Array, hlen: number | undefined, warnings: string[]): string | undefined {
  if (hlen === undefined) return undefined;
  if (hlen > CHADDR_BYTES)
    warnings.push(`hlen ${hlen} at offset 2 is larger than the ${CHADDR_BYTES}-byte chaddr field`);
  const length = Math.min(hlen, CHADDR_BYTES);
  if (CHADDR_AT + length > payload.length) return undefined;
  return hardwareAddressToString(payload.subarray(CHADDR_AT, CHADDR_AT + length));
}

/** A NUL-terminated string field; undefined when the payload ends inside it. */
function readFixedString(payload: Uint8Array, start: number, end: number): string | undefined {
  if (end > payload.length) return undefined;
  const field = payload.subarray(start, end);
  const nul = field.indexOf(0);
  return bytesText(nul < 0 ? field : field.subarray(0, nul));
}

/** Reads the options in `payload[start, end)`, adding each instance (pad and end excluded). */
function readOptionsField(
  payload: Uint8Array,
  start: number,
  end: number,
  field: DhcpOptionField,
  instances: Instance[],
  warnings: string[],
): void {
  let at = start;
  while (at < end) {
    const code = payload[at];
    if (code === undefined) break;
    if (code === DHCP_OPTION_PAD) {
      at++;
      continue;
    }
    if (code === DHCP_OPTION_END) return;
    const length = at + 1 < end ? payload[at + 1] : undefined;
    if (length === undefined) {
      warnings.push(`option ${code} at offset ${at}: the ${field} field ends before its length byte`);
      return;
    }
    const dataEnd = at + 2 + length;
    if (dataEnd > end) {
      warnings.push(
        `option ${code} at offset ${at}: length ${length} runs past the end of the ${field} field at offset ${end}; kept the ${end - at - 2} bytes present`,
      );
      instances.push({ code, offset: at, field, start: at + 2, end });
      return;
    }
    instances.push({ code, offset: at, field, start: at + 2, end: dataEnd });
    at = dataEnd;
  }
  warnings.push(`no end option (255) in the ${field} field (it ends at offset ${end})`);
}

/** Option 52, which only counts in the options field (RFC 2131 section 4.1). */
function readOverload(payload: Uint8Array, instances: readonly Instance[], warnings: string[]): number {
  const option = instances.find((i) => i.code === DHCP_OPTION_OVERLOAD);
  if (option === undefined) return 0;
  const value = option.end - option.start === 1 ? payload[option.start] : undefined;
  if (value === undefined || value < 1 || value > 3) {
    warnings.push(
      `option 52 (overload) at offset ${option.offset}: value ${toHex(payload.subarray(option.start, option.end))} is not 1, 2 or 3; ignored`,
    );
    return 0;
  }
  return value;
}

/**
 * RFC 3396: instances of the same option are one option, their data concatenated in order.
 * The options go into one buffer, each as an 8-byte entry (code, field, instances, offset of
 * its first instance, length) followed by its data; `DhcpOption`s are made from it when asked
 * for, so that a kept message holds one small copy of its options instead of an object each.
 */
function packOptions(payload: Uint8Array, instances: readonly Instance[], warnings: string[]): PackedOptions {
  const byCode = new Map<number, Instance[]>();
  for (const instance of instances) {
    const group = byCode.get(instance.code);
    if (group === undefined) byCode.set(instance.code, [instance]);
    else group.push(instance);
  }
  let size = 0;
  for (const group of byCode.values()) size += OPTION_ENTRY_BYTES + dataLength(group);
  const packed = new Uint8Array(size);
  let at = 0;
  for (const [code, group] of byCode) {
    const [first] = group;
    if (first === undefined) continue;
    const length = dataLength(group);
    packed[at] = code;
    packed[at + 1] = OPTION_FIELDS.indexOf(first.field);
    writeU16(packed, at + 2, group.length);
    writeU16(packed, at + 4, first.offset);
    writeU16(packed, at + 6, length);
    let dataAt = at + OPTION_ENTRY_BYTES;
    for (const i of group) for (let b = i.start; b < i.end; b++) packed[dataAt++] = payload[b] ?? 0;
    const spec = dhcpOptionSpec(code);
    if (readOptionValue(spec.format, packed.subarray(at + OPTION_ENTRY_BYTES, dataAt)) === undefined) {
      warnings.push(
        `option ${code} (${spec.name}) at offset ${first.offset}: ${length} bytes do not fit its format (${spec.format}); shown as hex`,
      );
    }
    at = dataAt;
  }
  return byteString(packed);
}

function dataLength(group: readonly Instance[]): number {
  return group.reduce((sum, i) => sum + i.end - i.start, 0);
}

const OPTION_ENTRY_BYTES = 8;
const OPTION_FIELDS: readonly DhcpOptionField[] = ['options', 'file', 'sname'];
const NO_WARNINGS: readonly string[] = Object.freeze([]);

function writeU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 8;
  bytes[at + 1] = value & 0xff;
}

/**
 * The packed options as a string of one character per byte: a kept message holds them in one
 * string (a few bytes of header) rather than a typed array and its buffer (about 200).
 */
type PackedOptions = string;

const STRING_CHUNK = 8192;

function byteString(bytes: Uint8Array): PackedOptions {
  let text = '';
  for (let at = 0; at < bytes.length; at += STRING_CHUNK)
    text += String.fromCharCode.apply(null, Array.from(bytes.subarray(at, at + STRING_CHUNK)));
  return text;
}

function packedU16(packed: PackedOptions, at: number): number {
  return (packed.charCodeAt(at) << 8) | packed.charCodeAt(at + 1);
}

/** The option whose entry starts at `at` of a packed buffer, and where the next entry starts. */
function unpackOption(packed: PackedOptions, at: number): { option: DhcpOption; next: number } {
  const code = packed.charCodeAt(at);
  const dataAt = at + OPTION_ENTRY_BYTES;
  const next = dataAt + packedU16(packed, at + 6);
  const data = new Uint8Array(next - dataAt);
  for (let b = 0; b < data.length; b++) data[b] = packed.charCodeAt(dataAt + b);
  const spec = dhcpOptionSpec(code);
  const option: DhcpOption = {
    code,
    name: spec.name,
    offset: packedU16(packed, at + 4),
    field: OPTION_FIELDS[packed.charCodeAt(at + 1)] ?? 'options',
    data,
    instances: packedU16(packed, at + 2),
    value: readOptionValue(spec.format, data) ?? toHex(data),
  };
  return { option, next };
}

function unpackOptions(packed: PackedOptions): DhcpOption[] {
  const options: DhcpOption[] = [];
  for (let at = 0; at < packed.length; ) {
    const { option, next } = unpackOption(packed, at);
    options.push(option);
    at = next;
  }
  return options;
}

/** Where the entry of option `code` starts in a packed buffer. */
function packedEntry(packed: PackedOptions, code: number): number | undefined {
  for (let at = 0; at < packed.length; at += OPTION_ENTRY_BYTES + packedU16(packed, at + 6)) {
    if (packed.charCodeAt(at) === code) return at;
  }
  return undefined;
}

/** Option `code` of a packed buffer, without making the others. */
function packedOption(packed: PackedOptions, code: number): DhcpOption | undefined {
  const at = packedEntry(packed, code);
  return at === undefined ? undefined : unpackOption(packed, at).option;
}

type DhcpHeaderFields = Omit<DhcpMessage, 'options' | 'warnings'>;

/**
 * What `decodeDhcp` returns: the header fields as read, the options packed (`packOptions`).
 * Each field is declared and copied by name so that every message has the same shape: a site
 * capture keeps tens of thousands of them.
 */
class DecodedDhcpMessage implements DhcpMessage {
  readonly op?: number;
  readonly htype?: number;
  readonly hlen?: number;
  readonly hops?: number;
  readonly xid?: number;
  readonly secs?: number;
  readonly flags?: number;
  readonly broadcast?: boolean;
  readonly ciaddr?: string;
  readonly yiaddr?: string;
  readonly siaddr?: string;
  readonly giaddr?: string;
  readonly chaddr?: string;
  readonly sname?: string;
  readonly file?: string;
  readonly magicCookie?: number;
  readonly messageType?: number;

  constructor(
    header: DhcpHeaderFields,
    private readonly packed: PackedOptions,
    readonly warnings: readonly string[],
  ) {
    this.op = header.op;
    this.htype = header.htype;
    this.hlen = header.hlen;
    this.hops = header.hops;
    this.xid = header.xid;
    this.secs = header.secs;
    this.flags = header.flags;
    this.broadcast = header.broadcast;
    this.ciaddr = header.ciaddr;
    this.yiaddr = header.yiaddr;
    this.siaddr = header.siaddr;
    this.giaddr = header.giaddr;
    this.chaddr = header.chaddr;
    this.sname = header.sname;
    this.file = header.file;
    this.magicCookie = header.magicCookie;
    this.messageType = header.messageType;
  }

  get options(): readonly DhcpOption[] {
    return unpackOptions(this.packed);
  }

  /** Option `code`, made alone. */
  option(code: number): DhcpOption | undefined {
    return packedOption(this.packed, code);
  }
}

/** Option `code` of a message. */
function findOption(message: DhcpMessage, code: number): DhcpOption | undefined {
  return message instanceof DecodedDhcpMessage ? message.option(code) : message.options.find((o) => o.code === code);
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** Option `code` when its value is one string (text, an address, or hex when its bytes did not fit the format). */
export function dhcpOptionText(message: DhcpMessage, code: number): string | undefined {
  const value = findOption(message, code)?.value;
  return typeof value === 'string' ? value : undefined;
}

/** Option `code` when its value is a list of strings (addresses, domain names). */
export function dhcpOptionStrings(message: DhcpMessage, code: number): readonly string[] | undefined {
  const value = findOption(message, code)?.value;
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? (value as readonly string[])
    : undefined;
}

/** The options as JSON, keyed by option number: `{"53": "DISCOVER", "150": ["192.0.2.10"]}`. */
export function dhcpOptionsToJson(message: DhcpMessage): Record<string, JsonValue> {
  const json: Record<string, JsonValue> = {};
  for (const option of message.options) json[String(option.code)] = option.value;
  return json;
}

/** One line for `phonedoc decode --format text`, e.g. `DHCP OFFER xid 0x0000155c chaddr ... yiaddr ... | 54=... 150=...`. */
export function dhcpSummary(message: DhcpMessage): string {
  const parts: string[] = [];
  if (message.messageType !== undefined) {
    parts.push(`DHCP ${dhcpMessageTypeName(message.messageType) ?? `type ${message.messageType}`}`);
  } else {
    parts.push(`BOOTP ${message.op === 1 ? 'request' : message.op === 2 ? 'reply' : `op ${message.op ?? '?'}`}`);
  }
  if (message.xid !== undefined) parts.push(`xid 0x${hex32(message.xid)}`);
  if (message.chaddr !== undefined) parts.push(`chaddr ${message.chaddr}`);
  if (message.broadcast) parts.push('broadcast');
  for (const key of ['ciaddr', 'yiaddr', 'siaddr', 'giaddr'] as const) {
    const value = message[key];
    if (value !== undefined && value !== '0.0.0.0') parts.push(`${key} ${value}`);
  }
  if (message.sname) parts.push(`sname ${JSON.stringify(message.sname)}`);
  if (message.file) parts.push(`file ${JSON.stringify(message.file)}`);
  const options = message.options
    .filter((o) => o.code !== DHCP_OPTION_MESSAGE_TYPE)
    .map((o) => {
      const keyword = dhcpOptionKeyword(o.code);
      return `${o.code}${keyword ? ` ${keyword}` : ''}=${formatOptionValue(dhcpOptionSpec(o.code).format, o.value)}`;
    });
  let line = parts.join(' ');
  if (options.length > 0) line += ` | ${options.join('; ')}`;
  if (message.warnings.length > 0)
    line += ` | ${message.warnings.length === 1 ? 'warning' : 'warnings'}: ${message.warnings.join('; ')}`;
  return line;
}
