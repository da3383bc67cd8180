/**
 * The table of TFTP-server log messages: program, pattern (matched against the message,
 * without time, host and tag), the event it makes, and where the string comes from
 * (section of ../shared/phone-facts.md, or the program's source).
 */
import { TFTP_ERRORS } from '../tftp/errors.js';
import type { DhcpMessageType, ServerLogPayload, ServerProgram } from './events.js';

export type Groups = Readonly<Record<string, string | undefined>>;

export interface ServerLogRecogniser {
  readonly id: string;
  readonly program: Exclude<ServerProgram, 'other'>;
  readonly pattern: RegExp;
  readonly make: (groups: Groups, message: string) => ServerLogPayload;
  readonly source: string;
}

/** Windows system errors ERROR_FILE_NOT_FOUND (2) and ERROR_PATH_NOT_FOUND (3) (Microsoft "System Error Codes"). */
const WINDOWS_NOT_FOUND: ReadonlySet<number> = new Set([2, 3]);

const TFTPD32_DHCP_TYPES: Readonly<Record<string, DhcpMessageType>> = {
  BootP: 'bootp',
  'DHCP Discover': 'discover',
  'DHCP Offer': 'offer',
  'DHCP Rqst': 'request',
  'DHCP decline': 'decline',
  'DHCP Ack': 'ack',
  'DHCP Nak': 'nak',
  'DHCP release': 'release',
  'DHCP inform': 'inform',
  'Invalid Pkt': 'invalid',
};

/** The named group, which the pattern guarantees took part in the match. */
export function req(g: Groups, name: string): string {
  const value = g[name];
  if (value === undefined) throw new Error(`recogniser pattern lacks group ${name}`);
  return value;
}

export function num(g: Groups, name: string): number {
  return Number(req(g, name));
}

/** A client address; the IPv4-mapped IPv6 form (`::ffff:192.0.2.1`) is written as plain IPv4. */
export function clientAddress(address: string): string {
  return address.replace(/^\[?::ffff:(\d+\.\d+\.\d+\.\d+)\]?$/i, '$1');
}

const HPA = 'tftp-hpa tftpd/tftpd.c (phone-facts 6.1)';
const HPA_PATCH = 'phone-facts 6.1: RHEL-family tftp-server patch (LKML-TEO, sccp_manager #79)';
const TFTPD32 = 'PJO2/tftpd64 src/_services/tftpd_thread.c (phone-facts 6.2)';
const TFTPD32_DHCP = 'PJO2/tftpd64 src/_services/bootpd.c (phone-facts 6.2)';
const ATFTPD = 'atftp tftpd.c / tftpd_file.c (phone-facts 6.3)';
const IOS = 'Cisco CME guide, debug tftp events (phone-facts 6.4)';

export const SERVER_LOG_RECOGNISERS: readonly ServerLogRecogniser[] = [
  // tftpd-hpa (in.tftpd)
  {
    id: 'hpa-request',
    program: 'tftpd-hpa',
    pattern: /^(?<op>RRQ|WRQ) from (?<client>\S+) filename (?<file>.*?)(?: remapped to (?<remappedTo>.*))?$/,
    make: (g) => ({
      kind: 'request',
      op: req(g, 'op') === 'RRQ' ? 'RRQ' : 'WRQ',
      client: clientAddress(req(g, 'client')),
      file: req(g, 'file'),
      ...(g.remappedTo !== undefined ? { remappedTo: g.remappedTo } : {}),
    }),
    source: HPA,
  },
  {
    id: 'hpa-nak',
    program: 'tftpd-hpa',
    pattern: /^sending NAK \((?<code>\d+), (?<text>.*)\) to (?<client>\S+)$/,
    make: (g) => {
      const code = num(g, 'code');
      const base = { client: clientAddress(req(g, 'client')), code, text: req(g, 'text') };
      return code === TFTP_ERRORS.fileNotFound.code ? { kind: 'not-found', ...base } : { kind: 'error', ...base };
    },
    source: HPA,
  },
  {
    id: 'hpa-client-finished',
    program: 'tftpd-hpa',
    pattern: /^Client (?<client>\S+) finished (?<file>.*)$/,
    make: (g) => ({ kind: 'finished', client: clientAddress(req(g, 'client')), file: req(g, 'file') }),
    source: HPA_PATCH,
  },
  {
    id: 'hpa-client-not-found',
    program: 'tftpd-hpa',
    pattern: /^Client (?<client>\S+) File not found (?<file>.*)$/,
    make: (g) => ({
      kind: 'not-found',
      client: clientAddress(req(g, 'client')),
      file: req(g, 'file'),
      code: TFTP_ERRORS.fileNotFound.code,
    }),
    source: HPA_PATCH,
  },
  {
    id: 'hpa-system-error',
    program: 'tftpd-hpa',
    pattern: /^tftpd: .+$/,
    make: (_g, message) => ({ kind: 'error', text: message }),
    source: `${HPA}: "tftpd: read(ack): %m" and the like; sysop.ca log`,
  },
  {
    id: 'hpa-connection-refused',
    program: 'tftpd-hpa',
    pattern: /^connection refused from (?<client>\S+)$/,
    make: (g) => ({ kind: 'connection', client: clientAddress(req(g, 'client')), refused: true }),
    source: `${HPA}: TCP wrappers`,
  },
  {
    id: 'hpa-connect-from',
    program: 'tftpd-hpa',
    pattern: /^connect from (?<client>\S+)$/,
    make: (g) => ({ kind: 'connection', client: clientAddress(req(g, 'client')) }),
    source: `${HPA}: TCP wrappers`,
  },
  {
    // -vvv with a remap file, and a client that refuses options: read, nothing about the outcome.
    id: 'hpa-note',
    program: 'tftpd-hpa',
    pattern: /^(?:remap: .*|tftp: client does not accept options)$/,
    make: () => ({ kind: 'info' }),
    source: `${HPA}; tftpd/remap.c`,
  },
  // xinetd starting in.tftpd
  {
    id: 'xinetd-start',
    program: 'xinetd',
    pattern: /^START: (?<service>\S+) pid=(?<pid>\d+) from=(?<client>\S+)$/,
    make: (g) => ({
      kind: 'connection',
      client: clientAddress(req(g, 'client')),
      service: req(g, 'service'),
      childPid: num(g, 'pid'),
    }),
    source: 'phone-facts 6.1: xinetd line in LKML-TEO',
  },
  // atftpd
  {
    id: 'atftpd-serving',
    program: 'atftpd',
    pattern: /^Serving (?<file>.+) to (?<client>\S+):(?<port>\d+)$/,
    make: (g) => ({
      kind: 'request',
      op: 'RRQ',
      client: clientAddress(req(g, 'client')),
      port: num(g, 'port'),
      file: req(g, 'file'),
    }),
    source: ATFTPD,
  },
  {
    id: 'atftpd-fetching',
    program: 'atftpd',
    pattern: /^Fetching from (?<client>\S+) to (?<file>.+)$/,
    make: (g) => ({ kind: 'request', op: 'WRQ', client: clientAddress(req(g, 'client')), file: req(g, 'file') }),
    source: ATFTPD,
  },
  {
    id: 'atftpd-not-found',
    program: 'atftpd',
    pattern: /^File (?<path>.+) not found$/,
    make: (g) => ({ kind: 'not-found', file: req(g, 'path'), code: TFTP_ERRORS.fileNotFound.code }),
    source: `${ATFTPD}: logger(LOG_INFO, "File %s not found", filename)`,
  },
  {
    id: 'atftpd-started',
    program: 'atftpd',
    pattern: /^Advanced Trivial FTP server started \((?<version>[^)]*)\)$/,
    make: (g) => ({ kind: 'server-start', version: req(g, 'version') }),
    source: 'phone-facts 6.3: pastebin a7WhRd9R',
  },
  {
    id: 'atftpd-not-responding',
    program: 'atftpd',
    pattern: /^client \((?<client>[^)]+)\) not responding$/,
    make: (g, message) => ({ kind: 'error', client: clientAddress(req(g, 'client')), text: message }),
    source: `${ATFTPD}: "client (%s) not responding"`,
  },
  {
    id: 'atftpd-client-abort',
    program: 'atftpd',
    pattern: /^Aborting transfer$/,
    make: (_g, message) => ({ kind: 'error', text: message, fromPeer: true }),
    source: `${ATFTPD}: logged when the client sends an ERROR`,
  },
  {
    id: 'atftpd-forbidden',
    program: 'atftpd',
    pattern: /^File name with \/\.\.\/ are forbidden$/,
    make: (_g, message) => ({ kind: 'error', code: TFTP_ERRORS.accessViolation.code, text: message }),
    source: ATFTPD,
  },
  {
    // --verbose=7: the end of each transfer, options granted, thread exit; read, nothing to conclude alone.
    id: 'atftpd-note',
    program: 'atftpd',
    pattern:
      /^(?:End of transfer|Server thread exiting|\w+ option -> \S+|timeout: retrying\.\.\.|Unable to open .* for logging, reverting to syslog)$/,
    make: () => ({ kind: 'info' }),
    source: ATFTPD,
  },
  // tftpd32 / tftpd64
  {
    id: 'tftpd32-connection',
    program: 'tftpd32',
    pattern: /^Connection received from (?<client>\S+) on port (?<port>\d+)$/,
    make: (g) => ({ kind: 'connection', client: clientAddress(req(g, 'client')), port: num(g, 'port') }),
    source: TFTPD32,
  },
  {
    id: 'tftpd32-request',
    program: 'tftpd32',
    pattern: /^(?<op>Read|Write) request for file <(?<file>.*)>\. Mode (?<mode>\S+)$/,
    make: (g) => ({
      kind: 'request',
      op: req(g, 'op') === 'Read' ? 'RRQ' : 'WRQ',
      file: req(g, 'file'),
      mode: req(g, 'mode'),
    }),
    source: TFTPD32,
  },
  {
    id: 'tftpd32-local-port',
    program: 'tftpd32',
    pattern: /^Using local port (?<port>\d+)$/,
    make: (g) => ({ kind: 'local-port', port: num(g, 'port') }),
    source: TFTPD32,
  },
  {
    id: 'tftpd32-finished',
    program: 'tftpd32',
    pattern:
      /^<(?<file>.*)>: (?<direction>sent|rcvd) (?<blocks>\d+) blks?, (?<bytes>\d+) bytes in (?<seconds>\d+) s\. (?<resent>\d+) blks? resent$/,
    make: (g) => ({
      kind: 'finished',
      file: req(g, 'file'),
      direction: req(g, 'direction') === 'sent' ? 'sent' : 'rcvd',
      blocks: num(g, 'blocks'),
      bytes: num(g, 'bytes'),
      seconds: num(g, 'seconds'),
      blocksResent: num(g, 'resent'),
    }),
    source: TFTPD32,
  },
  {
    // `File <F> : error 2 in system call CreateFile <Windows text in the system's language>`
    id: 'tftpd32-system-error',
    program: 'tftpd32',
    pattern: /^File <(?<file>.*)> : error (?<osError>\d+) in system call (?<call>\S+) ?(?<text>.*)$/,
    make: (g) => {
      const osError = num(g, 'osError');
      const call = req(g, 'call');
      const text = req(g, 'text');
      if (call === 'CreateFile' && WINDOWS_NOT_FOUND.has(osError)) {
        return { kind: 'not-found', file: req(g, 'file'), osError, text };
      }
      return { kind: 'error', file: req(g, 'file'), osError, systemCall: call, text };
    },
    source: `${TFTPD32}: TftpSysError; pastebin XEnTdXE9`,
  },
  {
    id: 'tftpd32-unexpected-request',
    program: 'tftpd32',
    pattern: /^Unexpected request (?<opcode>\d+) from peer$/,
    make: (_g, message) => ({ kind: 'error', text: message }),
    source: `${TFTPD32}; PJO2/tftpd64 issue #23`,
  },
  {
    id: 'tftpd32-ebadop',
    program: 'tftpd32',
    pattern:
      /^(?:Returning EBADOP to Peer|File name too long, return EBADOP to peer|mode is too long, return EBADOP to peer)$/,
    make: (_g, message) => ({ kind: 'error', code: TFTP_ERRORS.illegalOperation.code, text: message }),
    source: `${TFTPD32}; PJO2/tftpd64 issue #23`,
  },
  {
    id: 'tftpd32-eaccess',
    program: 'tftpd32',
    pattern: /^Error EACCESS on file (?<file>.*)\. Ext error (?<text>.*)$/,
    make: (g) => ({
      kind: 'error',
      file: req(g, 'file'),
      code: TFTP_ERRORS.accessViolation.code,
      text: req(g, 'text'),
    }),
    source: TFTPD32,
  },
  {
    id: 'tftpd32-peer-error',
    program: 'tftpd32',
    pattern: /^Peer returns ERROR <(?<text>.*)> -> aborting transfer$/,
    make: (g) => ({ kind: 'error', text: req(g, 'text'), fromPeer: true }),
    source: TFTPD32,
  },
  {
    id: 'tftpd32-transfer-abandoned',
    program: 'tftpd32',
    pattern: /^(?:TIMEOUT|MAX RETRIES) (?:while )?waiting for (?:Ack|Data) block #?\d+(?:[.,] file <(?<file>.*)>)?$/,
    make: (g, message) => ({ kind: 'error', text: message, ...(g.file !== undefined ? { file: g.file } : {}) }),
    source: TFTPD32,
  },
  {
    id: 'tftpd32-dhcp-received',
    program: 'tftpd32',
    pattern: new RegExp(
      `^Rcvd (?<type>${Object.keys(TFTPD32_DHCP_TYPES).join('|')}) Msg for IP (?<ip>\\S+), Mac (?<mac>[0-9A-Fa-f:]+)$`,
    ),
    make: (g) => ({
      kind: 'dhcp',
      action: 'received',
      messageType: TFTPD32_DHCP_TYPES[req(g, 'type')],
      ip: req(g, 'ip'),
      mac: req(g, 'mac').toLowerCase(),
    }),
    source: TFTPD32_DHCP,
  },
  {
    id: 'tftpd32-dhcp-proposed',
    program: 'tftpd32',
    pattern: /^DHCP: proposed address (?<ip>\S+)$/,
    make: (g) => ({ kind: 'dhcp', action: 'proposed', ip: req(g, 'ip') }),
    source: TFTPD32_DHCP,
  },
  {
    id: 'tftpd32-dhcp-acked',
    program: 'tftpd32',
    pattern: /^Previously allocated address (?<ip>\S+) acked$/,
    make: (g) => ({ kind: 'dhcp', action: 'acked', ip: req(g, 'ip') }),
    source: TFTPD32_DHCP,
  },
  {
    id: 'tftpd32-arp-flushed',
    program: 'tftpd32',
    pattern: /^IP address (?<ip>\S+) flushed from ARP table$/,
    make: (g) => ({ kind: 'dhcp', action: 'arp-flushed', ip: req(g, 'ip') }),
    source: TFTPD32_DHCP,
  },
  {
    id: 'tftpd32-unbound-interface',
    program: 'tftpd32',
    pattern: /^Message received on an unbound interface \(IP (?<ip>[^)\s]+)\)$/,
    make: (g) => ({ kind: 'dhcp', action: 'unbound-interface', ip: req(g, 'ip') }),
    source: TFTPD32_DHCP,
  },
  // Cisco IOS (CME) `debug tftp events`
  {
    id: 'ios-looking-for',
    program: 'cisco-ios',
    pattern: /^TFTP: Looking for (?<file>.+)$/,
    make: (g) => ({ kind: 'request', op: 'RRQ', file: req(g, 'file') }),
    source: IOS,
  },
  {
    id: 'ios-read-request',
    program: 'cisco-ios',
    pattern: /^TFTP: read request from host (?<client>[^\s(]+)\((?<port>\d+)\) via (?<via>\S+)$/,
    make: (g) => ({
      kind: 'connection',
      client: clientAddress(req(g, 'client')),
      port: num(g, 'port'),
      via: req(g, 'via'),
    }),
    source: IOS,
  },
  {
    id: 'ios-server-request',
    program: 'cisco-ios',
    pattern: /^TFTP: Server request for port (?<port>\d+), socket_id \S+ for process \d+$/,
    make: (g) => ({ kind: 'connection', port: num(g, 'port') }),
    source: IOS,
  },
  {
    id: 'ios-sending-error',
    program: 'cisco-ios',
    pattern: /^TFTP: Sending error (?<code>\d+) (?<text>.*)$/,
    make: (g) => {
      const code = num(g, 'code');
      const text = req(g, 'text');
      return code === TFTP_ERRORS.fileNotFound.code ? { kind: 'not-found', code, text } : { kind: 'error', code, text };
    },
    source: IOS,
  },
];

/** Syslog tags of the programs above, as they appear in `tag[pid]:`. */
export const SYSLOG_TAG_PROGRAMS: Readonly<Record<string, Exclude<ServerProgram, 'other'>>> = {
  'in.tftpd': 'tftpd-hpa',
  tftpd: 'tftpd-hpa',
  xinetd: 'xinetd',
  atftpd: 'atftpd',
  'in.atftpd': 'atftpd',
  dnsmasq: 'dnsmasq',
  'dnsmasq-dhcp': 'dnsmasq',
  'dnsmasq-tftp': 'dnsmasq',
  dhcpd: 'isc-dhcpd',
  'kea-dhcp4': 'kea',
};
