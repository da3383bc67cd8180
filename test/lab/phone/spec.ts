/**
 * What a simulated phone is told: its identity, the image it runs, how it finds its TFTP
 * server, and the boots it goes through. A boot is a list of steps in the order of the seed
 * tech note's flows and of the real boot log (phone-facts 2.1); the names the phone asks for
 * that depend on content (the image OS79XX.TXT, a SEP file or image_version names, the parts of
 * a .loads, the `tftp_cfg_dir` prefix) are worked out from what it actually received.
 */

export type PhoneModel = '7940' | '7960';

/** One request or action of a boot. `{MAC}` in a file name is the phone's MAC, upper-case hex. */
export type BootStep =
  /** A fixed file; `keep` stores the content under that key for later steps. */
  | { readonly file: string; readonly keep?: 'os79xx' | 'sep' | 'sip-default' | 'sip-mac' | 'gkdefault' }
  /** `SIP{MAC}.cnf` with the `tftp_cfg_dir` of the SIPDefault.cnf received put in front. */
  | { readonly sipMac: true }
  /**
   * The image a received file names: `os79xx` → `<first line>.bin` exactly as written;
   * `sep` → `<loadInformation of this model>.loads`; `sip` → `image_version` (SIP<MAC>.cnf over
   * SIPDefault.cnf) plus `ext`.
   */
  | { readonly image: 'os79xx' | 'sep' | 'sip'; readonly ext?: string }
  /** The parts of the release the last image step named (its zip's files other than the .loads). */
  | { readonly parts: true }
  /** Several steps at once (RINGLIST.DAT and dialplan.xml in the 8.12 log). */
  | { readonly parallel: readonly BootStep[] }
  | { readonly pauseMs: number }
  /**
   * Decide: write the image named last to flash if every file of it arrived and the move from
   * the running image is a legal step; then reboot into it (the next boot), else show the error.
   */
  | { readonly flash: true };

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
  readonly boots: readonly (readonly BootStep[])[];
  /** TFTP answer timeout and resends (not documented for the 7940/7960). */
  readonly tftpTimeoutMs?: number;
  readonly tftpRetries?: number;
  readonly dhcpRetrySeconds?: readonly number[];
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
  readonly boots: number;
  /** The error text shown last, if the phone stopped on one. */
  readonly stoppedWith?: string;
}

export function macFileForm(mac: string): string {
  return mac.replace(/:/g, '').toUpperCase();
}
