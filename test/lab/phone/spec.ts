/**
 * What a simulated phone is told: its identity, the image it starts with and how it finds its
 * TFTP server. What it asks for, and in which order, is the boot-flow model's (src/flows).
 */
import type { PhoneModel } from '../../../parsers/provisioning/sccp-xml.js';
import type { PredictionEnd } from '../../../src/flows/predict.js';

export type ConsoleStyle = 'recorder' | 'phone-clock' | 'screen-notes' | 'wrong-baud';

export interface PhoneSpec {
  readonly name: string;
  /** `aa:bb:cc:dd:ee:ff`. */
  readonly mac: string;
  readonly model: PhoneModel;
  /** The image in flash at the start, as a load name (`P0S3-8-12-00`, `P00308010200`). */
  readonly image: string;
  /** Set by hand ("Alternate TFTP: Yes", phone-facts 7.3): used instead of what DHCP says. */
  readonly alternateTftp?: string;
  /** Which DHCP answer field names the TFTP server, first found wins (facts 7.2: precedence not documented). */
  readonly tftpFrom?: readonly ('66' | '150' | 'siaddr')[];
  /** TFTP answer timeout and resends (not documented for the 7940/7960). */
  readonly tftpTimeoutMs?: number;
  readonly tftpRetries?: number;
  readonly dhcpRetrySeconds?: readonly number[];
  /**
   * The address the phone had before (e.g. on another site): it boots in INIT-REBOOT and asks
   * for it again first (RFC 2131 3.2), as a client that remembers its lease does.
   */
  readonly previousAddress?: string;
  /**
   * The SIPDefault.cnf size above which this simulated SIP 2.x phone shows "W210 TFTP Error :
   * buffer full". The real size is not documented: a scenario sets it to make the phone fail
   * or not; absent, phonedoc's default (W210_SIPDEFAULT_LIMIT_BYTES).
   */
  readonly w210BufferBytes?: number;
  /** The clock of the PC recording the console is this many seconds off the capture's (negative: behind). */
  readonly consoleClockOffsetSeconds?: number;
  /**
   * How the console is written: `recorder` (default) as phonedoc's recorder writes it, an ISO
   * time of receipt per line; `phone-clock` with the phone's own time of day in front
   * (`HH:MM:SS.mmm text`, the phone set to a local time zone through the offset); `screen-notes`
   * as an engineer notes the phone's screen by hand with a watch (`HH:MM:SS text`, only what
   * the screen shows: Configuring IP while DHCP runs, and the error texts); `wrong-baud` as the
   * recorder writes a cable set to the wrong speed: every line of the phone's text arrives as
   * high-bit noise (the recorder's own header and times stay readable).
   */
  readonly consoleStyle?: ConsoleStyle;
  /**
   * A phone does not stop at an error: it reboots and tries the whole boot again (phone-facts
   * 2.2, a phone that "looped" on its requests). With this set, after its boots end with an
   * error shown on the console the phone waits `pauseMs` (the real pause is not documented) and
   * starts over from DHCP, in INIT-REBOOT with the address it had, `times` more times; the flash
   * keeps any image written before. Absent: one pass, the phone ends at its first error.
   */
  readonly retry?: { readonly times: number; readonly pauseMs: number };
}

/** What the phone did, printed as JSON on its stdout when it ends. */
export interface PhoneReport {
  readonly name: string;
  readonly address?: string;
  readonly tftpServer?: string;
  readonly tftpServerFrom?: string;
  readonly requests: readonly { readonly file: string; readonly outcome: string; readonly bytes?: number }[];
  /** The image in flash at the end. */
  readonly image: string;
  /** Every boot of every attempt. */
  readonly boots: number;
  /**
   * How many times the phone started from DHCP (given when the spec has `retry`); the
   * other fields tell the last attempt's end, `requests` those of all.
   */
  readonly attempts?: number;
  /** How the boot-flow model's boots ended (absent when the phone got no further than DHCP or a TFTP timeout). */
  readonly end?: PredictionEnd;
  /** The error text shown last, if the phone stopped on one. */
  readonly stoppedWith?: string;
}

export function macFileForm(mac: string): string {
  return mac.replace(/:/g, '').toUpperCase();
}
