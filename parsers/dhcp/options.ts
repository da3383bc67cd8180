/**
 * DHCP/BOOTP options: the one table of option numbers, names and value formats that the
 * decoder, the text view and the JSON output share. Names follow RFC 2132 and the IANA
 * "BOOTP Vendor Extensions and DHCP Options" registry; 150 is RFC 5859 (Cisco TFTP servers).
 */

import { bytesText, readU16 } from '../capture/bytes.js';
import { ipv4ToString, readU32 } from '../net/address.js';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Option 61 (RFC 2132 9.14): a hardware type, then the identifier. */
export type ClientIdValue = {
  readonly type: number;
  /** `aa:bb:cc:dd:ee:ff` when the type is Ethernet (1) with 6 bytes, hex otherwise. */
  readonly id: string;
};

/** One sub-option of option 82 (RFC 3046); the values are opaque bytes, shown as hex. */
export type RelayAgentSubOption = { readonly code: number; readonly name: string; readonly hex: string };

/** One enterprise entry of option 124 or 125 (RFC 3925). */
export type VendorIdentifyingEntry = { readonly enterprise: number; readonly hex: string };

/** Option 81 (RFC 4702). */
export type ClientFqdnValue = { readonly flags: number; readonly name: string };

/**
 * A decoded option value; every variant is plain JSON. When the bytes do not fit the option's
 * format, the value is the hex of the bytes (and the decoder adds a warning).
 */
export type DhcpOptionValue =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | ClientIdValue
  | readonly RelayAgentSubOption[]
  | readonly VendorIdentifyingEntry[]
  | ClientFqdnValue;

/** How an option's bytes are read. */
export type DhcpValueFormat =
  | 'ipv4' // one address
  | 'ipv4-list' // one or more addresses
  | 'u8'
  | 'u16'
  | 'u32'
  | 'i32'
  | 'u8-list'
  | 'u16-list'
  | 'text' // bytes as UTF-8, or one character per byte when not UTF-8 (bytesText); NUL bytes kept
  | 'hex'
  | 'message-type'
  | 'client-id'
  | 'relay-agent'
  | 'vendor-identifying'
  | 'client-fqdn'
  | 'domain-list'
  | 'classless-routes';

export interface DhcpOptionSpec {
  readonly code: number;
  readonly name: string;
  readonly format: DhcpValueFormat;
}

export const DHCP_OPTION_PAD = 0;
export const DHCP_OPTION_MESSAGE_TYPE = 53;
export const DHCP_OPTION_OVERLOAD = 52;
export const DHCP_OPTION_CLIENT_ID = 61;
export const DHCP_OPTION_END = 255;
export const DHCP_OPTION_REQUESTED_IP = 50;
export const DHCP_OPTION_SERVER_ID = 54;
export const DHCP_OPTION_MESSAGE = 56;
export const DHCP_OPTION_VENDOR_CLASS = 60;
/** RFC 2132: TFTP server name (what SIP images of the 7940/7960 look for). */
export const DHCP_OPTION_TFTP_SERVER_NAME = 66;
export const DHCP_OPTION_BOOTFILE = 67;
/** Cisco: TFTP server address list (what CallManager/SCCP phones use). */
export const DHCP_OPTION_CISCO_TFTP_SERVERS = 150;

const TABLE: readonly (readonly [number, string, DhcpValueFormat])[] = [
  [1, 'Subnet Mask', 'ipv4'],
  [2, 'Time Offset', 'i32'],
  [3, 'Router', 'ipv4-list'],
  [4, 'Time Server', 'ipv4-list'],
  [5, 'Name Server', 'ipv4-list'],
  [6, 'Domain Name Server', 'ipv4-list'],
  [7, 'Log Server', 'ipv4-list'],
  [8, 'Cookie Server', 'ipv4-list'],
  [9, 'LPR Server', 'ipv4-list'],
  [10, 'Impress Server', 'ipv4-list'],
  [11, 'Resource Location Server', 'ipv4-list'],
  [12, 'Host Name', 'text'],
  [13, 'Boot File Size', 'u16'],
  [14, 'Merit Dump File', 'text'],
  [15, 'Domain Name', 'text'],
  [16, 'Swap Server', 'ipv4'],
  [17, 'Root Path', 'text'],
  [18, 'Extensions Path', 'text'],
  [19, 'IP Forwarding', 'u8'],
  [20, 'Non-Local Source Routing', 'u8'],
  [21, 'Policy Filter', 'ipv4-list'],
  [22, 'Maximum Datagram Reassembly Size', 'u16'],
  [23, 'Default IP Time-to-Live', 'u8'],
  [24, 'Path MTU Aging Timeout', 'u32'],
  [25, 'Path MTU Plateau Table', 'u16-list'],
  [26, 'Interface MTU', 'u16'],
  [27, 'All Subnets Are Local', 'u8'],
  [28, 'Broadcast Address', 'ipv4'],
  [29, 'Perform Mask Discovery', 'u8'],
  [30, 'Mask Supplier', 'u8'],
  [31, 'Perform Router Discovery', 'u8'],
  [32, 'Router Solicitation Address', 'ipv4'],
  [33, 'Static Route', 'ipv4-list'],
  [34, 'Trailer Encapsulation', 'u8'],
  [35, 'ARP Cache Timeout', 'u32'],
  [36, 'Ethernet Encapsulation', 'u8'],
  [37, 'TCP Default TTL', 'u8'],
  [38, 'TCP Keepalive Interval', 'u32'],
  [39, 'TCP Keepalive Garbage', 'u8'],
  [40, 'Network Information Service Domain', 'text'],
  [41, 'Network Information Servers', 'ipv4-list'],
  [42, 'Network Time Protocol Servers', 'ipv4-list'],
  [43, 'Vendor-Specific Information', 'hex'],
  [44, 'NetBIOS over TCP/IP Name Server', 'ipv4-list'],
  [45, 'NetBIOS over TCP/IP Datagram Distribution Server', 'ipv4-list'],
  [46, 'NetBIOS over TCP/IP Node Type', 'u8'],
  [47, 'NetBIOS over TCP/IP Scope', 'text'],
  [48, 'X Window System Font Server', 'ipv4-list'],
  [49, 'X Window System Display Manager', 'ipv4-list'],
  [50, 'Requested IP Address', 'ipv4'],
  [51, 'IP Address Lease Time', 'u32'],
  [52, 'Option Overload', 'u8'],
  [53, 'DHCP Message Type', 'message-type'],
  [54, 'Server Identifier', 'ipv4'],
  [55, 'Parameter Request List', 'u8-list'],
  [56, 'Message', 'text'],
  [57, 'Maximum DHCP Message Size', 'u16'],
  [58, 'Renewal (T1) Time Value', 'u32'],
  [59, 'Rebinding (T2) Time Value', 'u32'],
  [60, 'Vendor Class Identifier', 'text'],
  [61, 'Client Identifier', 'client-id'],
  [62, 'NetWare/IP Domain Name', 'text'],
  [63, 'NetWare/IP Information', 'hex'],
  [64, 'NIS+ Domain', 'text'],
  [65, 'NIS+ Servers', 'ipv4-list'],
  [66, 'TFTP Server Name', 'text'],
  [67, 'Bootfile Name', 'text'],
  [68, 'Mobile IP Home Agent', 'ipv4-list'],
  [69, 'SMTP Server', 'ipv4-list'],
  [70, 'POP3 Server', 'ipv4-list'],
  [71, 'NNTP Server', 'ipv4-list'],
  [72, 'Default WWW Server', 'ipv4-list'],
  [73, 'Default Finger Server', 'ipv4-list'],
  [74, 'Default IRC Server', 'ipv4-list'],
  [75, 'StreetTalk Server', 'ipv4-list'],
  [76, 'StreetTalk Directory Assistance Server', 'ipv4-list'],
  [77, 'User Class', 'hex'],
  [78, 'SLP Directory Agent', 'hex'],
  [79, 'SLP Service Scope', 'hex'],
  [80, 'Rapid Commit', 'hex'],
  [81, 'Client FQDN', 'client-fqdn'],
  [82, 'Relay Agent Information', 'relay-agent'],
  [83, 'iSNS', 'hex'],
  [85, 'NDS Servers', 'ipv4-list'],
  [86, 'NDS Tree Name', 'text'],
  [87, 'NDS Context', 'text'],
  [88, 'BCMCS Controller Domain Name List', 'domain-list'],
  [89, 'BCMCS Controller IPv4 Address', 'ipv4-list'],
  [90, 'Authentication', 'hex'],
  [91, 'Client Last Transaction Time', 'u32'],
  [92, 'Associated IP', 'ipv4-list'],
  [93, 'Client System Architecture', 'u16-list'],
  [94, 'Client Network Device Interface', 'hex'],
  [95, 'LDAP', 'hex'],
  [97, 'Client Machine Identifier', 'hex'],
  [98, 'User Authentication', 'text'],
  [99, 'GeoConf Civic', 'hex'],
  [100, 'PCode', 'text'],
  [101, 'TCode', 'text'],
  [108, 'IPv6-Only Preferred', 'u32'],
  [112, 'NetInfo Address', 'ipv4-list'],
  [113, 'NetInfo Tag', 'text'],
  [114, 'Captive Portal', 'text'],
  [116, 'Auto-Configure', 'u8'],
  [117, 'Name Service Search', 'u16-list'],
  [118, 'Subnet Selection', 'ipv4'],
  [119, 'Domain Search', 'domain-list'],
  [120, 'SIP Servers', 'hex'],
  [121, 'Classless Static Route', 'classless-routes'],
  [122, 'CableLabs Client Configuration', 'hex'],
  [123, 'GeoConf', 'hex'],
  [124, 'V-I Vendor Class', 'vendor-identifying'],
  [125, 'V-I Vendor-Specific Information', 'vendor-identifying'],
  [136, 'PANA Agent', 'ipv4-list'],
  [137, 'LoST Server', 'domain-list'],
  [138, 'CAPWAP Access Controller', 'ipv4-list'],
  [139, 'IPv4 Address MoS', 'hex'],
  [140, 'IPv4 FQDN MoS', 'hex'],
  [141, 'SIP UA Configuration Service Domains', 'domain-list'],
  [142, 'IPv4 Address ANDSF', 'ipv4-list'],
  [143, 'SZTP Redirect', 'hex'],
  [144, 'GeoLoc', 'hex'],
  [145, 'FORCERENEW Nonce Capable', 'u8-list'],
  [146, 'RDNSS Selection', 'hex'],
  [150, 'TFTP Server Address', 'ipv4-list'],
  [151, 'Status Code', 'hex'],
  [152, 'Base Time', 'u32'],
  [153, 'Start Time of State', 'u32'],
  [154, 'Query Start Time', 'u32'],
  [155, 'Query End Time', 'u32'],
  [156, 'DHCP State', 'u8'],
  [157, 'Data Source', 'u8'],
  [158, 'PCP Server', 'hex'],
  [159, 'Port Parameters', 'hex'],
  [161, 'MUD URL', 'text'],
  [162, 'Encrypted DNS Server', 'hex'],
  [175, 'Etherboot', 'hex'],
  [208, 'PXELINUX Magic', 'hex'],
  [209, 'Configuration File', 'text'],
  [210, 'Path Prefix', 'text'],
  [211, 'Reboot Time', 'u32'],
  [212, '6RD', 'hex'],
  [213, 'Access Network Domain Name', 'domain-list'],
  [220, 'Subnet Allocation', 'hex'],
  [221, 'Virtual Subnet Selection', 'hex'],
  [252, 'Web Proxy Auto-Discovery', 'text'],
];

export const DHCP_OPTIONS: ReadonlyMap<number, DhcpOptionSpec> = new Map(
  TABLE.map(([code, name, format]) => [code, { code, name, format }]),
);

/** The table entry for `code`; an option not in it is shown by number, as hex. */
/** The option's name as a keyword for text output (`tftp-server-name`), from the table; undefined for codes not in it. */
export function dhcpOptionKeyword(code: number): string | undefined {
  const spec = DHCP_OPTIONS.get(code);
  return spec?.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function dhcpOptionSpec(code: number): DhcpOptionSpec {
  return DHCP_OPTIONS.get(code) ?? { code, name: `Option ${code}`, format: 'hex' };
}

/** Option 53 values: RFC 2132 (1-8), RFC 3203 (9), RFC 4388 (10-13), RFC 6926 (14-15), RFC 7724 (16-18). */
const MESSAGE_TYPE_NAMES: readonly string[] = [
  '',
  'DISCOVER',
  'OFFER',
  'REQUEST',
  'DECLINE',
  'ACK',
  'NAK',
  'RELEASE',
  'INFORM',
  'FORCERENEW',
  'LEASEQUERY',
  'LEASEUNASSIGNED',
  'LEASEUNKNOWN',
  'LEASEACTIVE',
  'BULKLEASEQUERY',
  'LEASEQUERYDONE',
  'ACTIVELEASEQUERY',
  'LEASEQUERYSTATUS',
  'TLS',
];

/** `DISCOVER`, `ACK`, ...; undefined for a number no RFC defines. */
export function dhcpMessageTypeName(type: number): string | undefined {
  return MESSAGE_TYPE_NAMES[type] || undefined;
}

/** Option 52 values (RFC 2132 9.3): which fixed fields carry further options. */
export const OVERLOAD_FILE = 1;
export const OVERLOAD_SNAME = 2;

const RELAY_AGENT_SUBOPTION_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'Agent Circuit ID'], // RFC 3046
  [2, 'Agent Remote ID'], // RFC 3046
  [4, 'DOCSIS Device Class'], // RFC 3256
  [5, 'Link Selection'], // RFC 3527
  [6, 'Subscriber ID'], // RFC 3993
  [7, 'RADIUS Attributes'], // RFC 4014
  [8, 'Authentication'], // RFC 4030
  [9, 'Vendor-Specific Information'], // RFC 4243
  [10, 'Relay Agent Flags'], // RFC 5010
  [11, 'Server Identifier Override'], // RFC 5107
  [151, 'Virtual Subnet Selection'], // RFC 6607
  [152, 'Virtual Subnet Selection Control'], // RFC 6607
]);

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** `aa:bb:cc:...` of the bytes. */
export function hardwareAddressToString(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * The value of an option whose (RFC 3396 concatenated) bytes are `data`, or undefined when
 * the bytes do not fit the format (wrong length, a sub-option running past the end).
 */
export function readOptionValue(format: DhcpValueFormat, data: Uint8Array): DhcpOptionValue | undefined {
  const n = data.length;
  switch (format) {
    case 'ipv4':
      return n === 4 ? ipv4ToString(readU32(data, 0)) : undefined;
    case 'ipv4-list':
      return n > 0 && n % 4 === 0
        ? Array.from({ length: n / 4 }, (_, i) => ipv4ToString(readU32(data, i * 4)))
        : undefined;
    case 'u8':
      return n === 1 ? data[0] : undefined;
    case 'u16':
      return n === 2 ? readU16(data, 0, false) : undefined;
    case 'u32':
      return n === 4 ? readU32(data, 0) : undefined;
    case 'i32':
      return n === 4 ? readU32(data, 0) | 0 : undefined;
    case 'u8-list':
      return Array.from(data);
    case 'u16-list':
      return n % 2 === 0 ? Array.from({ length: n / 2 }, (_, i) => readU16(data, 2 * i, false)) : undefined;
    case 'text':
      return bytesText(data);
    case 'hex':
      return toHex(data);
    case 'message-type':
      return n === 1 && data[0] !== undefined ? (dhcpMessageTypeName(data[0]) ?? data[0]) : undefined;
    case 'client-id':
      return readClientId(data);
    case 'relay-agent':
      return readRelayAgent(data);
    case 'vendor-identifying':
      return readVendorIdentifying(data);
    case 'client-fqdn':
      return readClientFqdn(data);
    case 'domain-list':
      return readDomainList(data);
    case 'classless-routes':
      return readClasslessRoutes(data);
  }
}

function readClientId(data: Uint8Array): ClientIdValue | undefined {
  const type = data[0];
  if (type === undefined) return undefined;
  const id = data.subarray(1);
  return { type, id: type === 1 && id.length === 6 ? hardwareAddressToString(id) : toHex(id) };
}

function readRelayAgent(data: Uint8Array): RelayAgentSubOption[] | undefined {
  const subOptions: RelayAgentSubOption[] = [];
  for (let at = 0; at < data.length; ) {
    const code = data[at];
    const length = data[at + 1];
    if (code === undefined || length === undefined || at + 2 + length > data.length) return undefined;
    subOptions.push({
      code,
      name: RELAY_AGENT_SUBOPTION_NAMES.get(code) ?? `Sub-option ${code}`,
      hex: toHex(data.subarray(at + 2, at + 2 + length)),
    });
    at += 2 + length;
  }
  return subOptions;
}

/** RFC 3925: repeated enterprise number(4), data length(1), data. */
function readVendorIdentifying(data: Uint8Array): VendorIdentifyingEntry[] | undefined {
  const entries: VendorIdentifyingEntry[] = [];
  for (let at = 0; at < data.length; ) {
    const length = data[at + 4];
    if (length === undefined || at + 5 + length > data.length) return undefined;
    entries.push({ enterprise: readU32(data, at), hex: toHex(data.subarray(at + 5, at + 5 + length)) });
    at += 5 + length;
  }
  return entries;
}

/** RFC 4702: flags(1), RCODE1(1), RCODE2(1), name; flag E (0x04) means DNS wire format, else ASCII. */
function readClientFqdn(data: Uint8Array): ClientFqdnValue | undefined {
  const flags = data[0];
  if (data.length < 3 || flags === undefined) return undefined;
  const nameBytes = data.subarray(3);
  if ((flags & 0x04) === 0) return { flags, name: bytesText(nameBytes) };
  const names = readDomainList(nameBytes);
  return names === undefined || names.length > 1 ? undefined : { flags, name: names[0] ?? '' };
}

/**
 * RFC 1035 section 3.1: "the total length of a domain name (i.e., label octets and label
 * length octets) is restricted to 255 octets or less". Enforced, it also bounds the work a
 * name costs: without it, thousands of compression pointers to one long chain of labels
 * make a 64 KiB option into gigabytes of names.
 */
const MAX_NAME_OCTETS = 255;

/** RFC 1035 section 3.1 names, compression pointers relative to the option data (RFC 3397). */
function readDomainList(data: Uint8Array): string[] | undefined {
  const names: string[] = [];
  for (let at = 0; at < data.length; ) {
    const labels: string[] = [];
    let cursor = at;
    let next = -1;
    let jumps = 0;
    /** The name's octets so far, the final zero-length label included. */
    let octets = 1;
    for (;;) {
      const length = data[cursor];
      if (length === undefined) return undefined;
      if (length === 0) {
        cursor++;
        break;
      }
      if ((length & 0xc0) === 0xc0) {
        // A name of at most 255 octets needs no more pointers than that: more is a loop.
        const low = data[cursor + 1];
        if (low === undefined || ++jumps > MAX_NAME_OCTETS) return undefined;
        if (next < 0) next = cursor + 2;
        cursor = ((length & 0x3f) << 8) | low;
        continue;
      }
      octets += 1 + length;
      if (length > 63 || cursor + 1 + length > data.length || octets > MAX_NAME_OCTETS) return undefined;
      labels.push(bytesText(data.subarray(cursor + 1, cursor + 1 + length)));
      cursor += 1 + length;
    }
    names.push(labels.join('.'));
    at = next >= 0 ? next : cursor;
  }
  return names;
}

/** RFC 3442: prefix width(1), the significant octets of the destination, router(4). */
function readClasslessRoutes(data: Uint8Array): string[] | undefined {
  const routes: string[] = [];
  for (let at = 0; at < data.length; ) {
    const width = data[at];
    const octets = Math.ceil((width ?? 0) / 8);
    if (width === undefined || width > 32 || at + 1 + octets + 4 > data.length) return undefined;
    // The octets not written are zero (RFC 3442 section 2).
    const destination = [...data.subarray(at + 1, at + 1 + octets), 0, 0, 0, 0].slice(0, 4);
    routes.push(`${destination.join('.')}/${width} via ${ipv4ToString(readU32(data, at + 1 + octets))}`);
    at += 1 + octets + 4;
  }
  return routes;
}

/**
 * A host or domain name from DHCP as text shows it: bare when it is letters, digits, `-`, `_`
 * and dots, else quoted with JSON escapes (a `,` or `; 66 …` in it cannot pass for the next
 * name or option).
 */
export function nameText(name: string): string {
  return /^[\w.-]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * An option value as the text view shows it: text options quoted with JSON escapes (a NUL
 * shows as `\u0000`), domain names as `nameText` shows them (a label may hold any byte).
 */
export function formatOptionValue(format: DhcpValueFormat, value: DhcpOptionValue): string {
  if (typeof value === 'string') return format === 'text' ? JSON.stringify(value) : value;
  if (typeof value === 'number') return String(value);
  if (format === 'domain-list' && isList(value)) return value.map((name) => nameText(String(name))).join(',');
  if (isList(value)) return value.map((item: ListItem) => formatListItem(item)).join(',');
  return 'type' in value ? `${value.type}:${value.id}` : JSON.stringify(value.name);
}

type ListItem = string | number | RelayAgentSubOption | VendorIdentifyingEntry;
type ListValue =
  | readonly string[]
  | readonly number[]
  | readonly RelayAgentSubOption[]
  | readonly VendorIdentifyingEntry[];

function isList(value: DhcpOptionValue): value is ListValue {
  return Array.isArray(value);
}

function formatListItem(item: ListItem): string {
  if (typeof item !== 'object') return String(item);
  return 'enterprise' in item ? `${item.enterprise}:${item.hex}` : `${item.code}:${item.hex}`;
}
