/**
 * A lab scenario as data (`test/lab/scenarios/<name>.json`): the TFTP root, the DHCP servers,
 * the phones and the finding IDs `phonedoc analyze` must and must not report. `checkScenario`
 * tells what is wrong with a file, so a bad scenario fails before any namespace is made.
 */
import { parseImageName } from '../../../parsers/firmware/image-name.js';
import { catalog } from '../../../src/findings/catalog.js';
import { runningFromName } from '../../../src/flows/phone.js';
import { assertLabAddress } from '../netns.js';
import type { PhoneSpec } from './spec.js';

/** A file of the TFTP root: its text, or a dummy image of `dummyBytes` bytes. */
export interface RootFile {
  readonly text?: string;
  readonly dummyBytes?: number;
  /** Octal permission bits as a string ("600" makes tftpd answer Access violation). Default "644". */
  readonly mode?: string;
}

export interface DhcpServerSpec {
  /** The server's own address (192.0.2.0/24). */
  readonly address: string;
  /** Each becomes `--dhcp-option=`, e.g. `66,"192.0.2.1"`, `150,192.0.2.1`. */
  readonly options: readonly string[];
  /** Answer DISCOVERs this many whole seconds late (dnsmasq --dhcp-reply-delay), to order the offers of two servers. */
  readonly replyDelaySeconds?: number;
}

/**
 * How the segment is captured (tcpdump on the server's link); default:
 * whole frames from before the first phone starts.
 */
export interface CaptureSpec {
  /** Bytes kept of each frame (tcpdump -s), to make a capture cut by the snap length. */
  readonly snaplen?: number;
  /** Start the capture this many ms after the first phone's console shows DHCP BOUND (a capture started late). */
  readonly startLateMs?: number;
  /**
   * Keep this share (between 0 and 1) of the capture file's bytes, moved off a record boundary
   * so that the last record is cut: a capture stopped by pulling the laptop (`head -c`).
   */
  readonly cutAtFraction?: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly tftpRoot: Readonly<Record<string, RootFile>>;
  /** Whether tftpd-hpa runs on 192.0.2.1 (false: the server host answers ICMP port unreachable). */
  readonly tftpd?: boolean;
  /** The server's DATA packets above this block number are dropped (nftables): every longer transfer stalls. */
  readonly tftpStallAfterBlock?: number;
  readonly dhcpServers: readonly DhcpServerSpec[];
  readonly phones: readonly PhoneSpec[];
  readonly capture?: CaptureSpec;
  /** Also write the capture as pcapng (editcap). */
  readonly pcapng?: boolean;
  readonly expect: {
    readonly report: readonly string[];
    readonly notReport: readonly string[];
    /**
     * The console's clock offset analyze must find (seconds added to its
     * times), within `within` seconds, by `method`.
     */
    readonly consoleOffset?: {
      readonly seconds: number;
      readonly within: number;
      readonly method: 'matched-events' | 'screen-states';
    };
  };
}

const KNOWN_IDS: ReadonlySet<string> = new Set(catalog.keys());

/** Problems of a parsed scenario file; empty when it is well-formed. */
export function checkScenario(s: Scenario, fileName: string): string[] {
  const problems: string[] = [];
  if (`${s.name}.json` !== fileName) problems.push(`name "${s.name}" does not match the file name ${fileName}`);
  if (!s.description) problems.push('no description');
  for (const id of [...s.expect.report, ...s.expect.notReport]) {
    if (!KNOWN_IDS.has(id)) problems.push(`${id} is not a finding ID of diagnoses.md`);
  }
  for (const id of s.expect.report)
    if (s.expect.notReport.includes(id)) problems.push(`${id} is both expected and not expected`);
  for (const [name, f] of Object.entries(s.tftpRoot)) {
    if ((f.text === undefined) === (f.dummyBytes === undefined)) problems.push(`${name}: give text or dummyBytes`);
    if (name.includes('/') || name.startsWith('.')) problems.push(`${name}: only plain file names in the root`);
    if ((f.dummyBytes ?? 0) > 64 * 1024) problems.push(`${name}: dummy over 64 KiB (bundles stay small)`);
  }
  const addresses = [
    ...s.dhcpServers.map((d) => d.address),
    ...s.phones.flatMap((p) => [p.alternateTftp, p.previousAddress].filter((a) => a !== undefined)),
  ];
  for (const a of addresses) {
    try {
      assertLabAddress(a);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  for (const d of s.dhcpServers) {
    if (d.replyDelaySeconds !== undefined && !(Number.isInteger(d.replyDelaySeconds) && d.replyDelaySeconds >= 0)) {
      problems.push(`${d.address}: replyDelaySeconds must be whole seconds, 0 or more`);
    }
  }
  const whole = (n: number | undefined, min: number): boolean => n === undefined || (Number.isInteger(n) && n >= min);
  if (!whole(s.tftpStallAfterBlock, 1)) problems.push('tftpStallAfterBlock must be a block number, 1 or more');
  // Below 60 bytes not even the Ethernet, IP, UDP and TFTP headers of a frame would be kept.
  if (!whole(s.capture?.snaplen, 60)) problems.push('capture.snaplen must be whole bytes, 60 or more');
  if (!whole(s.capture?.startLateMs, 0)) problems.push('capture.startLateMs must be whole milliseconds, 0 or more');
  const cut = s.capture?.cutAtFraction;
  if (cut !== undefined && !(cut > 0 && cut < 1)) problems.push('capture.cutAtFraction must be between 0 and 1');
  if (cut !== undefined && s.pcapng) problems.push('capture.cutAtFraction and pcapng: the pcapng copy would be whole');
  if (s.phones.length === 0) problems.push('no phone');
  const macs = s.phones.map((p) => p.mac.toLowerCase());
  if (new Set(macs).size !== macs.length) problems.push('two phones with one MAC');
  for (const p of s.phones) {
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(p.mac))
      problems.push(`${p.name}: MAC ${p.mac} is not aa:bb:cc:dd:ee:ff`);
    if (!runningFromName(parseImageName(p.image, { context: 'image_version' })))
      problems.push(`${p.name}: image ${p.image} is not a 7940/7960 load name`);
    if (
      p.consoleStyle !== undefined &&
      !['recorder', 'phone-clock', 'screen-notes', 'wrong-baud'].includes(p.consoleStyle)
    )
      problems.push(`${p.name}: consoleStyle must be recorder, phone-clock, screen-notes or wrong-baud`);
    if (p.retry && ![p.retry.times, p.retry.pauseMs].every((n) => Number.isInteger(n) && n >= 0))
      problems.push(`${p.name}: retry needs whole times and pauseMs, 0 or more`);
  }
  return problems;
}
