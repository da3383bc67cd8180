/**
 * Real TFTP and DHCP clients run inside a lab namespace: curl, busybox tftp, tftp-hpa's tftp
 * and ISC dhclient. Each call returns when the client has finished; callers check the outcome.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertLabAddress, type CommandResult, type Netns } from './netns.js';

export interface TftpGet {
  server: string;
  /** File name exactly as sent in the RRQ. */
  file: string;
  /** Local file the client writes. */
  output: string;
}

/** Exit code of curl when the server answered ERROR 1 (CURLE_TFTP_NOTFOUND). */
export const CURL_TFTP_NOT_FOUND = 68;

/**
 * curl's TFTP client. By default it sends the options tsize=0, blksize and timeout in the RRQ;
 * `noOptions` sends a bare RRQ.
 */
export function curlGet(
  ns: Netns,
  get: TftpGet & { blksize?: number; noOptions?: boolean; localPort?: number },
): Promise<CommandResult> {
  assertLabAddress(get.server);
  const args = ['--silent', '--show-error', '--max-time', '30', '--output', get.output];
  if (get.blksize !== undefined) args.push('--tftp-blksize', String(get.blksize));
  if (get.noOptions) args.push('--tftp-no-options');
  if (get.localPort !== undefined) args.push('--local-port', String(get.localPort));
  // curl would remove "./" segments from a URL path; the file name is sent as given otherwise.
  args.push(`tftp://${get.server}/${get.file}`);
  return ns.exec('curl', args, { check: false });
}

/** busybox tftp; `-b` makes it send blksize and tsize options. */
export function busyboxGet(ns: Netns, get: TftpGet & { blksize?: number }): Promise<CommandResult> {
  assertLabAddress(get.server);
  const args = ['tftp', '-g', '-r', get.file, '-l', get.output];
  if (get.blksize !== undefined) args.push('-b', String(get.blksize));
  args.push(get.server);
  return ns.exec('busybox', args, { check: false, timeoutMs: 30_000 });
}

/** tftp-hpa's client in octet mode: a bare RRQ without options, the file name sent verbatim. */
export function tftpHpaGet(ns: Netns, get: TftpGet): Promise<CommandResult> {
  assertLabAddress(get.server);
  return ns.exec('tftp', ['-m', 'binary', get.server, '-c', 'get', get.file, get.output], {
    check: false,
    timeoutMs: 30_000,
  });
}

/** Encodes bytes as dhclient.conf's colon-separated hex form (keeps a trailing NUL, unlike a quoted string). */
function dhclientHex(bytes: Buffer): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export interface DhclientOptions {
  interface: string;
  /** Directory for the config, lease and pid files. */
  dir: string;
  /** Option 60 bytes, sent verbatim. */
  vendorClass: Buffer;
  /** Names for dhclient's `request` statement (option 55); `voip-tftp-servers` is option 150. */
  request: readonly string[];
}

export interface DhcpLease {
  address: string;
  /** dhclient's lease file, as written. */
  leaseText: string;
  output: string;
}

/**
 * Gets one lease with ISC dhclient and stops it (SIGKILL, so that it sends no RELEASE). It
 * configures nothing (`-sf /bin/true`): the caller assigns the address it returns.
 */
export async function dhclientLease(ns: Netns, options: DhclientOptions): Promise<DhcpLease> {
  const conf = path.join(options.dir, 'dhclient.conf');
  const lease = path.join(options.dir, 'dhclient.leases');
  await writeFile(
    conf,
    [
      'option voip-tftp-servers code 150 = array of ip-address;',
      `send vendor-class-identifier ${dhclientHex(options.vendorClass)};`,
      `request ${options.request.join(', ')};`,
      '',
    ].join('\n'),
  );
  const p = ns.spawn('dhclient', 'dhclient', [
    '-4',
    '-d',
    '-1',
    '-v',
    '-cf',
    conf,
    '-lf',
    lease,
    '-pf',
    path.join(options.dir, 'dhclient.pid'),
    '-sf',
    '/bin/true',
    options.interface,
  ]);
  const m = await p.waitFor(/bound to (\d+\.\d+\.\d+\.\d+)/, 30_000);
  await p.stop('SIGKILL');
  const address = m[1] ?? '';
  assertLabAddress(address);
  return { address, leaseText: await readFile(lease, 'utf8'), output: p.output };
}
