/**
 * Real servers and capture programs for the bench lab, each started inside a lab namespace:
 * tftpd-hpa (with its syslog caught), dnsmasq (DHCP only), tcpdump and dumpcap, and a stalled
 * TFTP transfer (nftables).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { assertLabAddress, type LabProcess, type Netns } from './netns.js';

/** One message a program sent to /dev/log. */
export interface SyslogRecord {
  /** `<PRI>` value: facility * 8 + severity (RFC 3164 section 4.1.1). */
  priority: number;
  /** The sender's own "Mmm dd hh:mm:ss" (local time of the sender, see `startTftpd`'s TZ). */
  timestamp: string;
  /** Program name and pid as in `in.tftpd[2732]`. */
  tag: string;
  pid: number | undefined;
  message: string;
}

// glibc's syslog(3): "<PRI>Mmm dd hh:mm:ss TAG[PID]: MESSAGE".
const SYSLOG_RE = /^<(\d{1,3})>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) ([^:[\s]+)(?:\[(\d+)\])?: ?([\s\S]*)$/;

/**
 * A /dev/log stand-in: a Unix stream socket. glibc's syslog() tries a datagram socket first,
 * falls back to a stream socket on EPROTOTYPE, and then ends each message with a NUL byte, so
 * plain Node can receive it.
 */
export class SyslogCatcher {
  readonly records: SyslogRecord[] = [];
  readonly unparsed: string[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly socketPath: string,
    private readonly server: Server,
  ) {}

  static listen(socketPath: string): Promise<SyslogCatcher> {
    rmSync(socketPath, { force: true });
    return new Promise((resolve, reject) => {
      const server = createServer();
      const catcher = new SyslogCatcher(socketPath, server);
      server.on('connection', (socket) => catcher.accept(socket));
      server.once('error', reject);
      server.listen(socketPath, () => resolve(catcher));
    });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split(/\0|\n/);
      pending = parts.pop() ?? '';
      for (const part of parts) if (part !== '') this.add(part);
    });
    socket.on('close', () => {
      if (pending !== '') this.add(pending);
      this.sockets.delete(socket);
    });
  }

  private add(raw: string): void {
    const m = SYSLOG_RE.exec(raw);
    if (!m) {
      this.unparsed.push(raw);
      return;
    }
    const [, pri, timestamp, tag, pid, message] = m;
    this.records.push({
      priority: Number(pri),
      timestamp: timestamp ?? '',
      tag: tag ?? '',
      pid: pid === undefined ? undefined : Number(pid),
      message: message ?? '',
    });
  }

  /** The records as a syslog daemon writes them to /var/log/syslog (rsyslog's traditional format). */
  fileLines(hostname: string): string[] {
    return this.records.map(
      (r) => `${r.timestamp} ${hostname} ${r.tag}${r.pid === undefined ? '' : `[${r.pid}]`}: ${r.message}`,
    );
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface TftpdOptions {
  /** Directory served (tftpd chroots into it with --secure; must be readable by `nobody`). */
  root: string;
  address: string;
  syslog: SyslogCatcher;
  /** Number of -v flags (3 as in Debian's TFTP_OPTIONS="--secure -v -v -v"). */
  verbosity?: number;
  /** More in.tftpd arguments, e.g. ['--blocksize', '1468']. */
  extraArgs?: readonly string[];
}

/**
 * Starts in.tftpd (tftpd-hpa) in the foreground. It runs in a private mount namespace whose
 * /dev is a small tmpfs holding only `null` and a `log` symlink to the catcher's socket, so
 * its syslog reaches the catcher and the host's /dev is never touched. TZ=UTC makes the syslog
 * timestamps comparable with capture times.
 */
export async function startTftpd(ns: Netns, options: TftpdOptions): Promise<LabProcess> {
  assertLabAddress(options.address);
  const verbose = Array.from({ length: options.verbosity ?? 3 }, () => '-v');
  const tftpd = [
    'in.tftpd',
    '--foreground',
    ...verbose,
    '--secure',
    '--address',
    `${options.address}:69`,
    ...(options.extraArgs ?? []),
    options.root,
  ];
  const setup =
    'mount -t tmpfs -o size=64k,mode=0755 pdlab-dev /dev && mknod -m 666 /dev/null c 1 3 && ' +
    'ln -s "$1" /dev/log && shift && exec "$@"';
  const p = ns.spawn(
    'in.tftpd',
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', setup, 'sh', options.syslog.socketPath, ...tftpd],
    {
      env: { ...process.env, TZ: 'UTC' },
    },
  );
  await ns.waitForUdpPort(69);
  return p;
}

export interface DhcpRange {
  start: string;
  end: string;
  netmask: string;
  /** dnsmasq lease time, e.g. "1h". */
  lease: string;
}

export interface DnsmasqOptions {
  interface: string;
  range: DhcpRange;
  /** Each becomes `--dhcp-option=<value>`, e.g. '66,"192.0.2.1"' or '150,192.0.2.1,192.0.2.2'. */
  dhcpOptions: readonly string[];
  /** Fixed address per MAC: `--dhcp-host=<mac>,<ip>`. */
  hosts?: readonly { mac: string; ip: string }[];
  leaseFile: string;
  /** `--dhcp-reply-delay`: answer this many seconds late, so that of two servers one is reliably first. */
  replyDelaySeconds?: number;
}

/**
 * Starts dnsmasq as a DHCP server only (`--port=0` disables DNS). It logs every DHCP step
 * (`--log-dhcp`) to its stderr, which `LabProcess.output` keeps. `--no-ping` stops it from
 * sending an ICMP echo before each offer, so the capture holds only DHCP.
 */
export async function startDnsmasq(ns: Netns, options: DnsmasqOptions): Promise<LabProcess> {
  const { range } = options;
  for (const a of [range.start, range.end, ...(options.hosts ?? []).map((h) => h.ip)]) assertLabAddress(a);
  const args = [
    '--no-daemon',
    '--conf-file=/dev/null',
    '--port=0',
    '--no-hosts',
    '--no-resolv',
    '--no-ping',
    '--user=root',
    '--group=root',
    '--log-facility=-',
    '--log-dhcp',
    '--dhcp-authoritative',
    `--interface=${options.interface}`,
    '--bind-interfaces',
    `--pid-file=${options.leaseFile}.pid`,
    `--dhcp-leasefile=${options.leaseFile}`,
    `--dhcp-range=${range.start},${range.end},${range.netmask},${range.lease}`,
    ...(options.hosts ?? []).map((h) => `--dhcp-host=${h.mac},${h.ip}`),
    ...options.dhcpOptions.map((o) => `--dhcp-option=${o}`),
    ...(options.replyDelaySeconds ? [`--dhcp-reply-delay=${options.replyDelaySeconds}`] : []),
  ];
  const p = ns.spawn('dnsmasq', 'dnsmasq', args, { env: { ...process.env, TZ: 'UTC' } });
  await p.waitFor(/DHCP, IP range/);
  return p;
}

export interface CaptureOptions {
  tool: 'tcpdump' | 'dumpcap';
  /** Interface in the namespace, or 'any' (Linux cooked capture). */
  interface: string;
  file: string;
  /** tcpdump only: nanosecond classic pcap (magic a1b23c4d). dumpcap always writes ns pcapng. */
  nanoseconds?: boolean;
  /** tcpdump only: data link type, e.g. 'LINUX_SLL2' for -i any. */
  linkType?: string;
  /** Capture filter (BPF). */
  filter?: string;
  /** Bytes kept of each frame (-s); default: whole frames. */
  snaplen?: number;
}

export interface CaptureStats {
  file: string;
  /** What the tool printed when it stopped (packet counts, drops). */
  summary: string;
}

/** A running capture; `stop()` flushes and closes the file. */
export class Capture {
  constructor(
    private readonly process: LabProcess,
    readonly options: CaptureOptions,
  ) {}

  /**
   * Waits a little for frames still in flight, stops the tool with SIGINT and checks that the
   * kernel dropped nothing.
   */
  async stop(settleMs = 300): Promise<CaptureStats> {
    await new Promise((r) => setTimeout(r, settleMs));
    const code = await this.process.stop('SIGINT', 5000);
    const out = this.process.output;
    if (code !== 0) throw new Error(`${this.options.tool} exited with ${code}: ${out}`);
    // tcpdump: "0 packets dropped by kernel"; dumpcap: "Packets received/dropped on interface 's0': 5/0".
    const dropped =
      /(\d+) packets? dropped by kernel/.exec(out) ?? /received\/dropped on interface '[^']*': \d+\/(\d+)/.exec(out);
    if (dropped && dropped[1] !== '0') throw new Error(`${this.options.tool} lost frames: ${out}`);
    return { file: this.options.file, summary: out.trim() };
  }
}

export async function startCapture(ns: Netns, options: CaptureOptions): Promise<Capture> {
  const filter = options.filter ? [options.filter] : [];
  let p: LabProcess;
  if (options.tool === 'tcpdump') {
    const args = [
      '-i',
      options.interface,
      '-w',
      options.file,
      '-U',
      '--immediate-mode',
      '-s',
      String(options.snaplen ?? 0),
      '-n',
      '-Z',
      'root',
    ];
    if (options.nanoseconds) args.push('--time-stamp-precision=nano');
    if (options.linkType) args.push('-y', options.linkType);
    p = ns.spawn('tcpdump', 'tcpdump', [...args, ...filter]);
    await p.waitFor(/listening on/);
  } else {
    p = ns.spawn('dumpcap', 'dumpcap', [
      '-i',
      options.interface,
      '-w',
      options.file,
      '-s',
      String(options.snaplen ?? 0),
      ...(options.filter ? ['-f', options.filter] : []),
    ]);
    await p.waitFor(/File: /);
  }
  return new Capture(p, options);
}

/**
 * Makes a transfer stall like a lossy link: nftables on the egress of the server's interface
 * drops every TFTP DATA packet the server sends with a block number above `afterBlock`. The drop
 * is silent to tftpd (which resends and times out on its own), and it comes before tcpdump's tap,
 * so the capture holds the DATA up to that block, then only the client's repeated ACKs.
 */
export async function stallTftpData(
  ns: Netns,
  device: string,
  serverAddress: string,
  afterBlock: number,
): Promise<void> {
  assertLabAddress(serverAddress);
  // @th,64,16 is the TFTP opcode (right after the 8-byte UDP header; 3 = DATA), @th,80,16 the block number.
  await ns.nft(`table netdev pdlab_stall {
  chain egress {
    type filter hook egress device "${device}" priority 0; policy accept;
    ip saddr ${serverAddress} udp sport != 69 @th,64,16 3 @th,80,16 > ${afterBlock} drop
  }
}
`);
}
