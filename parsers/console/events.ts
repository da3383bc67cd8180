/**
 * Typed events made from phone console lines. Every line becomes exactly one event; a
 * line no recogniser knows stays as `{ kind: 'raw' }` with its text, so nothing is lost.
 */

/**
 * How the line was framed:
 * - `7940-sip-debug`: `[HH:MM:SS:uuuuuu] function: text`, seen on a 7940 running SIP 8.0
 *   after `debug sip-messages` (phone-facts 1.2);
 * - `79x1-79x2`: `[seq: ]SEV HH:MM:SS.uuuuuu module: text`, the 7941/7942 family's log
 *   (phone-facts 1.5), NOT a 7940/7960 format;
 * - `time-of-day`: a time of day in front, in any common shape (`14:02:11`, `[14:02:11.123]`,
 *   `14:02:11,123`, `2:02:11 PM`, or `14:03` as noted by hand from the phone's screen);
 * - `since-boot`: `[   12.345678]`, seconds since the device started (Linux kernel style);
 * - `iso-8601`: `2026-12-03T14:02:11.123+01:00` or `2026-12-03 14:02:11`, a date in front;
 * - `syslog`: `Dec  3 14:02:11 [host tag:]`, RFC 3164's time (no year);
 * - `plain`: anything else (prompts, status texts, SIP message lines after a debug line).
 */
export type ConsoleLineFormat =
  | '7940-sip-debug'
  | '79x1-79x2'
  | 'time-of-day'
  | 'since-boot'
  | 'iso-8601'
  | 'syslog'
  | 'plain';

/** Severity words of the 79x1/79x2 log (phone-facts 1.5). */
export type ConsoleSeverity = 'NOT' | 'INF' | 'WRN' | 'ERR';

/** The clock written at the start of a line (the phone's, or whoever noted the line): a time of day, perhaps with a date, or the time since boot. */
export interface PhoneClock {
  /** As printed, e.g. `17:00:53:148185` or `04:51:18.209781`. */
  readonly text: string;
  /** Microseconds since midnight of the line's clock; absent for a time since boot. */
  readonly microsOfDay?: number;
  /** The date written with the time (syslog writes no year). */
  readonly date?: { readonly year?: number; readonly month: number; readonly day: number };
  /** The zone written with the time (ISO 8601 `Z` or `±hh:mm`), in minutes east of UTC. */
  readonly utcOffsetMinutes?: number;
  /** Seconds since the device started (`[   12.345]`). */
  readonly sinceBootSeconds?: number;
  /** The smallest step the written time can show: 1e-6 for microseconds, 1 for whole seconds, 60 for `HH:MM`. */
  readonly resolutionSeconds: number;
}

/** Error texts the phone shows, one code each (phone-facts 2.3 and 3.2). `OTHER` is for user recognisers. */
export const CONSOLE_ERROR_CODES = [
  'W210_BUFFER_FULL',
  'PROTOCOL_APPLICATION_INVALID',
  'IMAGE_AUTHENTICATION_FAILED',
  'NO_LOAD_SPECIFIED',
  'UNPROVISIONED',
  'TFTP_TIMEOUT',
  'TFTP_ERROR',
  'TFTP_ACCESS_ERROR',
  'TFTP_FILE_NOT_FOUND',
  'FILE_NOT_FOUND',
  'CFG_FILE_NOT_FOUND',
  'CFG_TFTP_SIZE_ERROR',
  'CHECKSUM_ERROR',
  'LOAD_ID_INCORRECT',
  'LOAD_REJECTED_HC',
  'VERSION_ERROR',
  'DHCP_TIMEOUT',
  'DNS_TIMEOUT',
  'DNS_UNKNOWN_HOST',
  'DUPLICATE_IP',
  'NO_DEFAULT_ROUTER',
  'NO_DNS_SERVER_IP',
  'TIMED_OUT',
  'REJECTED',
  'OTHER',
] as const;

export type ConsoleErrorCode = (typeof CONSOLE_ERROR_CODES)[number];

export type ConsolePayload =
  /** The phone asks a TFTP server for a file (79x1 `TFTP: [28]:Requesting ...`). */
  | {
      readonly kind: 'tftp-request';
      readonly file: string;
      readonly server?: string;
      readonly sizeLimit?: number;
      /** The bracketed transfer number, which ties a request to its `Finished` line. */
      readonly transfer?: number;
    }
  | { readonly kind: 'tftp-finished'; readonly bytes: number; readonly transfer?: number }
  /** How a request for `file` ended, as a line naming the file with an outcome word said it. */
  | { readonly kind: 'tftp-outcome'; readonly file: string; readonly outcome: TftpOutcomeWord }
  /** Where the phone took its TFTP server from (79x1 `DLoad: TFTP Svr set by opt150`), or its address named on a line. */
  | { readonly kind: 'tftp-server'; readonly setBy: string; readonly option?: number; readonly address?: string }
  | { readonly kind: 'error'; readonly code: ConsoleErrorCode; readonly text: string }
  /** A DHCP state word or step, upper case, without trailing dots (`DHCP BOUND`, `SENDING DISCOVER`). */
  | { readonly kind: 'dhcp'; readonly state: string }
  | { readonly kind: 'version'; readonly version: string; readonly protocol?: string; readonly model?: string }
  /** A CLI prompt, with the command typed after it when the line has one. */
  | { readonly kind: 'prompt'; readonly text: string; readonly command?: string }
  | { readonly kind: 'status'; readonly text: string; readonly file?: string }
  | { readonly kind: 'raw' };

export type ConsoleEventKind = ConsolePayload['kind'];

/** Outcome words of a line about a file: `done` for received/finished/complete. */
export const TFTP_OUTCOME_WORDS = ['done', 'not-found', 'denied', 'timeout', 'failed', 'error'] as const;
export type TftpOutcomeWord = (typeof TFTP_OUTCOME_WORDS)[number];

/**
 * What the phone's screen shows, as an engineer notes it by hand: the states phonedoc can
 * tie to network events (Configuring IP ↔ DHCP, TFTP Timeout ↔ requests left unanswered,
 * Upgrading ↔ the image transfer, Protocol Application Invalid ↔ its end).
 */
export type ScreenState =
  | 'configuring-vlan'
  | 'configuring-ip'
  | 'requesting-config'
  | 'tftp-timeout'
  | 'upgrading'
  | 'application-invalid';

export interface ConsoleEventContext {
  /** 1-based line number in the console log. */
  readonly line: number;
  /** The line as received (without line end and recorder timestamp). */
  readonly raw: string;
  /** Id of the recogniser that matched; absent for `raw`. */
  readonly recogniser?: string;
  /** Recognised by the generic rules (a file name with a request or outcome word, DHCP words), not by a known line. */
  readonly generic?: true;
  /** The screen state the text shows, when it is one. */
  readonly screen?: ScreenState;
  readonly format: ConsoleLineFormat;
  /** The text the recognisers saw: the line without its time/severity prefix, trimmed. */
  readonly message: string;
  readonly phoneTime?: PhoneClock;
  /** Seconds since the epoch (UTC) at which the host received the line, when the caller knows it. */
  readonly hostTime?: number;
  readonly severity?: ConsoleSeverity;
  /** The 79x1 log's sequence number (`531:`). */
  readonly seq?: number;
  /** The 79x1 module (`DHCP`, `TFTP`) or the 7940 debug function (`sipTransportSendMessage`). */
  readonly module?: string;
  /** Line number of the SIP start line whose message this unprefixed line belongs to. */
  readonly continuationOf?: number;
}

export type ConsoleEvent = ConsoleEventContext & ConsolePayload;
