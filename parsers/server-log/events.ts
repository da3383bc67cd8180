/**
 * Typed events made from DHCP- and TFTP-server log lines. Every line becomes exactly one event; a
 * line no recogniser knows stays as `{ kind: 'raw' }` with its text, so nothing is lost.
 */

/** Which program wrote the line; `other` for lines of programs we do not read (or no program known). */
export type ServerProgram =
  | 'tftpd-hpa'
  | 'xinetd'
  | 'tftpd32'
  | 'atftpd'
  | 'cisco-ios'
  | 'dnsmasq'
  | 'isc-dhcpd'
  | 'kea'
  | 'other';

/** What a line's time was completed with from the caller's context, because the log did not say. */
export type TimeAssumption = 'year' | 'utc-offset';

/**
 * How an event was joined to an earlier line that tells what it lacks (client, file):
 * - `pid`: same process id (tftpd-hpa forks one process per request);
 * - `client-order`: the latest request from the same client address still without an outcome;
 * - `connection-order`: the latest connection line of the same server (tftpd32, IOS);
 * - `file-order`: the latest request of the same server for the same file still without an outcome;
 * - `request-order`: the latest request of the same server still without an outcome (IOS).
 */
export type LinkMethod = 'pid' | 'client-order' | 'connection-order' | 'file-order' | 'request-order';

export interface ServerLogLink {
  /** Line number of the request (or connection) line this event was joined to. */
  readonly line: number;
  readonly by: LinkMethod;
}

/** The messages tftpd32's DHCP server logs, by the words it uses (PJO2/tftpd64 bootpd.c `tDHCPType`). */
export type DhcpMessageType =
  | 'bootp'
  | 'discover'
  | 'offer'
  | 'request'
  | 'decline'
  | 'ack'
  | 'nak'
  | 'release'
  | 'inform'
  | 'invalid';

export type ServerLogPayload =
  | {
      readonly kind: 'request';
      readonly op: 'RRQ' | 'WRQ';
      /** Absent when the line does not say (tftpd32, IOS) and no earlier line could tell. */
      readonly client?: string;
      readonly port?: number;
      readonly file: string;
      readonly remappedTo?: string;
      readonly mode?: string;
    }
  | {
      readonly kind: 'not-found';
      readonly client?: string;
      /** The name the phone asked for, when the line or a linked request gives it. */
      readonly file?: string;
      /** The path the server logged, when it differs from the requested name (atftpd logs the full path). */
      readonly path?: string;
      /** TFTP error code sent, when the line gives it. */
      readonly code?: number;
      /** Error text as logged (tftpd32: the Windows text, verbatim, in the system's language). */
      readonly text?: string;
      /** tftpd32: the Windows system error number (2 = file not found, 3 = path not found). */
      readonly osError?: number;
    }
  | {
      readonly kind: 'error';
      readonly client?: string;
      readonly file?: string;
      /** The path the server logged, when it differs from the requested name (dnsmasq logs the full path). */
      readonly path?: string;
      /** TFTP error code sent or received, when known. */
      readonly code?: number;
      readonly text: string;
      readonly osError?: number;
      /** tftpd32: the failing system call (`CreateFile`, `ReadFile`, ...). */
      readonly systemCall?: string;
      /** The error came from the client (`Peer returns ERROR`), not from the server. */
      readonly fromPeer?: boolean;
    }
  | {
      readonly kind: 'finished';
      readonly client?: string;
      readonly file?: string;
      readonly path?: string;
      readonly blocks?: number;
      readonly bytes?: number;
      readonly seconds?: number;
      readonly blocksResent?: number;
      /** tftpd32: `sent` for a read request, `rcvd` for a write request. */
      readonly direction?: 'sent' | 'rcvd';
    }
  | {
      readonly kind: 'connection';
      readonly client?: string;
      readonly port?: number;
      /** IOS: the interface the request came in on. */
      readonly via?: string;
      /** xinetd: the service started and the pid it started. */
      readonly service?: string;
      readonly childPid?: number;
      /** tftpd-hpa with TCP wrappers refused the client. */
      readonly refused?: boolean;
    }
  /** tftpd32: the server's port for the transfer. */
  | { readonly kind: 'local-port'; readonly port: number }
  | {
      readonly kind: 'dhcp';
      /**
       * `received`: a client message reached the server; `sent`: the server answered (OFFER,
       * ACK, NAK); `proposed` / `acked`: tftpd32's words for the same; the rest are tftpd32 notes.
       */
      readonly action: 'received' | 'sent' | 'proposed' | 'acked' | 'arp-flushed' | 'unbound-interface';
      readonly messageType?: DhcpMessageType;
      readonly ip?: string;
      /** Lower case, colon separated. */
      readonly mac?: string;
      /** The transaction id, when the server logs it (dnsmasq --log-dhcp, Kea). */
      readonly xid?: number;
      /** The interface or relay the message came by. */
      readonly via?: string;
      /** The server a REQUEST names (option 54), when logged (ISC dhcpd). */
      readonly serverId?: string;
      /** Why the server refused or ignored the message (a NAK's reason, `no address available`, `no free leases`). */
      readonly reason?: string;
      /** The client's host name, when logged. */
      readonly hostname?: string;
    }
  /** A detail of a DHCP exchange the server logs beside its messages (dnsmasq --log-dhcp: vendor class, options sent). */
  | {
      readonly kind: 'dhcp-detail';
      readonly xid?: number;
      readonly mac?: string;
      /** `vendor-class`, `option`, `next-server`, `host-name`, or the words as logged (`tags`, `requested options`). */
      readonly detail: string;
      /** The DHCP option number, for `option`. */
      readonly option?: number;
      readonly value: string;
    }
  /** A line understood that tells nothing about a phone (a start-up banner, a DNS note). */
  | { readonly kind: 'info' }
  /** `tftpRoot`: the directory the server logs its paths under (dnsmasq's `TFTP root is DIR`). */
  | { readonly kind: 'server-start'; readonly version?: string; readonly tftpRoot?: string }
  | { readonly kind: 'raw' };

export type ServerLogEventKind = ServerLogPayload['kind'];

/**
 * Lines that name no host: a banner, a note, a line of another program or none understood. Such
 * a line is counted (and the first few not understood listed), never kept: a busy host's syslog
 * holds millions of them around the few a phone's story needs.
 */
export const KINDS_OF_NO_HOST: ReadonlySet<ServerLogEventKind> = new Set(['raw', 'info', 'server-start']);

export interface ServerLogEventContext {
  /** 1-based line number in the log. */
  readonly line: number;
  /** The line as read, without its line end. */
  readonly raw: string;
  /** The line without timestamp, host and program tag. */
  readonly message: string;
  readonly program: ServerProgram;
  /** Id of the recogniser that matched; absent for `raw`. */
  readonly recogniser?: string;
  /** Seconds since the epoch (UTC, to the millisecond), when the line has a wall-clock time. */
  readonly time?: number;
  readonly timeAssumes?: readonly TimeAssumption[];
  readonly host?: string;
  /** The syslog tag as written (`in.tftpd`). */
  readonly tag?: string;
  readonly pid?: number;
  readonly link?: ServerLogLink;
  /** The line was broken in the log (a mail program, a terminal): this many physical lines after `line` are part of it. */
  readonly joined?: number;
}

export type ServerLogEvent = ServerLogEventContext & ServerLogPayload;
