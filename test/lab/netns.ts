/**
 * Network-namespace plumbing for the bench lab: namespaces, veth links, addresses, processes
 * started inside a namespace, and clean-up of all of it (also on SIGINT/SIGTERM and after a
 * crashed run). Needs root.
 *
 * Safety rules enforced here: every namespace, temp dir and process belongs to a lab whose
 * name starts with `pdlab-<pid>-`; interfaces are only ever created inside such namespaces
 * (never in the host's); IPv4 addresses outside 192.0.2.0/24 and 198.51.100.0/24 (RFC 5737
 * documentation ranges) are refused; IPv6 is switched off in every lab namespace so that no
 * router solicitations or MLD reports leave it and captures stay deterministic.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAB_PREFIX = 'pdlab-';

/** The only IPv4 networks a lab may use (RFC 5737 TEST-NET-1 and TEST-NET-2), as /24 prefixes. */
const LAB_NETWORKS: readonly string[] = ['192.0.2.', '198.51.100.'];

/** Throws unless `address` ("a.b.c.d" or "a.b.c.d/len") lies in a lab network. */
export function assertLabAddress(address: string): void {
  const [ip = '', len] = address.split('/');
  const octets = ip.split('.');
  const valid = octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
  if (!valid || !LAB_NETWORKS.some((net) => ip.startsWith(net)) || (len !== undefined && Number(len) < 24)) {
    throw new Error(`lab address ${address} is outside 192.0.2.0/24 and 198.51.100.0/24`);
  }
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the command's standard input. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this long (default 60 s). */
  timeoutMs?: number;
  /** Reject when the exit code is not 0 (default true). */
  check?: boolean;
}

/** Runs a command to completion and collects its output. */
export function runCommand(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const { input, env, timeoutMs = 60_000, check = true } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: env ?? process.env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (check && code !== 0) {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        reject(new Error(`${[cmd, ...args].join(' ')} failed (${why}): ${stderr.trim() || stdout.trim()}`));
      } else {
        resolve({ code, stdout, stderr });
      }
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // a command may exit without reading; its exit code tells
      child.stdin.end(input);
    }
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A long-running program started by a lab; its stdout and stderr are collected together. */
export class LabProcess {
  readonly exited: Promise<number | null>;
  private text = '';
  private running = true;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    const collect = (d: Buffer): void => {
      this.text += d.toString('utf8');
      for (const l of this.listeners) l();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.on('error', (err) => {
        this.text += `\n[${label}: ${err.message}]\n`;
        this.running = false;
        for (const l of this.listeners) l();
        resolve(null);
      });
      child.on('close', (code) => {
        this.running = false;
        for (const l of this.listeners) l();
        resolve(code);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Everything the program printed so far (stdout and stderr interleaved as received). */
  get output(): string {
    return this.text;
  }

  /** Resolves when the output matches `pattern`; rejects if the program exits first or on timeout. */
  waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = this.text.match(pattern);
        if (m) done(() => resolve(m));
        else if (!this.running)
          done(() => reject(new Error(`${this.label} exited before printing ${pattern}:\n${this.text}`)));
      };
      const timer = setTimeout(
        () =>
          done(() => reject(new Error(`${this.label} did not print ${pattern} within ${timeoutMs} ms:\n${this.text}`))),
        timeoutMs,
      );
      const done = (f: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        f();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Sends `signal`, waits up to `graceMs` for the exit, then SIGKILLs. Returns the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<number | null> {
    if (this.running) {
      this.child.kill(signal);
      const timedOut = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut && this.running) this.child.kill('SIGKILL');
    }
    return this.exited;
  }
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
}

/** One end of a veth link. */
export interface VethEnd {
  ns: Netns;
  ifname: string;
  /** Fixed MAC ("02:00:00:00:00:01") so that captures are repeatable. */
  mac: string;
  /** IPv4 addresses with prefix length ("192.0.2.1/24"). */
  addresses?: readonly string[];
  mtu?: number;
}

/** A network namespace owned by a lab. */
export class Netns {
  constructor(
    readonly lab: Lab,
    readonly name: string,
    readonly role: string,
  ) {}

  /** Runs a command inside the namespace to completion. */
  exec(cmd: string, args: readonly string[], options?: RunOptions): Promise<CommandResult> {
    return runCommand('ip', ['netns', 'exec', this.name, cmd, ...args], options);
  }

  /** Starts a long-running program inside the namespace; the lab stops it on close. */
  spawn(label: string, cmd: string, args: readonly string[], options: SpawnOptions = {}): LabProcess {
    return this.lab.spawn(label, 'ip', ['netns', 'exec', this.name, cmd, ...args], options);
  }

  ip(args: readonly string[]): Promise<CommandResult> {
    return runCommand('ip', ['-n', this.name, ...args]);
  }

  async addAddress(ifname: string, cidr: string): Promise<void> {
    assertLabAddress(cidr);
    await this.ip(['addr', 'add', cidr, 'dev', ifname]);
  }

  /** Loads an nftables ruleset (nft -f syntax) into this namespace only. */
  async nft(ruleset: string): Promise<void> {
    await this.exec('nft', ['-f', '-'], { input: ruleset });
  }

  /** Resolves once a UDP socket is bound to `port` in this namespace (servers print nothing when ready). */
  async waitForUdpPort(port: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const r = await this.exec('ss', ['-Hlun', `sport = :${port}`], { check: false });
      if (r.stdout.trim() !== '') return;
      await sleep(50);
    }
    throw new Error(`nothing listens on UDP port ${port} in ${this.name} after ${timeoutMs} ms`);
  }
}

const openLabs = new Set<Lab>();
let signalsInstalled = false;

function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n${sig}: cleaning up lab namespaces and processes\n`);
      void Promise.allSettled([...openLabs].map((lab) => lab.close())).then(() =>
        process.exit(128 + (os.constants.signals[sig] ?? 0)),
      );
    });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the run that created `pdlab-<pid>-...`, or undefined for a foreign name. */
function ownerPid(name: string): number | undefined {
  const m = new RegExp(`^${LAB_PREFIX}(\\d+)-`).exec(name);
  return m ? Number(m[1]) : undefined;
}

function listNamespaces(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean);
}

/** Kills every process inside namespace `name` and deletes it (synchronous: usable while exiting). */
function destroyNamespace(name: string): void {
  const pids = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  execFileSync('ip', ['netns', 'del', name]);
}

/**
 * Removes namespaces and temp dirs left by a lab run that crashed (its pid is gone). Labs of
 * runs that are still alive are left alone. Returns what was removed.
 */
export function removeLeftovers(): string[] {
  const removed: string[] = [];
  for (const ns of listNamespaces()) {
    const pid = ownerPid(ns);
    if (pid === undefined || (pid !== process.pid && pidAlive(pid))) continue;
    destroyNamespace(ns);
    removed.push(`netns ${ns}`);
  }
  const tmp = os.tmpdir();
  for (const entry of readdirSync(tmp)) {
    const pid = ownerPid(entry);
    if (pid === undefined || (pid !== process.pid && pidAlive(pid))) continue;
    rmSync(path.join(tmp, entry), { recursive: true, force: true });
    removed.push(path.join(tmp, entry));
  }
  return removed;
}

let labCounter = 0;

/**
 * A set of namespaces, links and processes that is torn down as a whole. Create with
 * `Lab.open()` (or `withLab`), always `close()` it.
 */
export class Lab {
  /** Prefix of every namespace of this lab: `pdlab-<pid>-<n>-`. */
  readonly id: string;
  /** A private temp dir (`/tmp/pdlab-<pid>-...`), removed on close. */
  readonly dir: string;
  private readonly namespaces: Netns[] = [];
  private readonly processes: LabProcess[] = [];
  private closing: Promise<void> | undefined;

  private constructor() {
    labCounter += 1;
    this.id = `${LAB_PREFIX}${process.pid}-${labCounter}-`;
    this.dir = mkdtempSync(path.join(os.tmpdir(), this.id));
  }

  static open(): Lab {
    if (process.getuid?.() !== 0) throw new Error('the lab needs root (network namespaces, raw sockets)');
    if (labCounter === 0) removeLeftovers();
    installSignalHandlers();
    const lab = new Lab();
    openLabs.add(lab);
    return lab;
  }

  /** Creates namespace `<id><role>` with loopback up and IPv6 disabled. */
  async addNamespace(role: string): Promise<Netns> {
    const ns = new Netns(this, `${this.id}${role}`, role);
    await runCommand('ip', ['netns', 'add', ns.name]);
    this.namespaces.push(ns);
    await ns.exec('sysctl', ['-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    await ns.ip(['link', 'set', 'lo', 'up']);
    return ns;
  }

  /** Creates a veth pair directly inside the two namespaces (never in the host's) and brings it up. */
  async addVeth(a: VethEnd, b: VethEnd): Promise<void> {
    await a.ns.ip(['link', 'add', a.ifname, 'type', 'veth', 'peer', 'name', b.ifname, 'netns', b.ns.name]);
    for (const end of [a, b]) {
      const set = ['link', 'set', 'dev', end.ifname, 'address', end.mac];
      if (end.mtu !== undefined) set.push('mtu', String(end.mtu));
      await end.ns.ip(set);
      // veth leaves UDP/TCP checksums to "hardware" that does not exist: frames would be captured
      // (and relayed by addVlanPath) with wrong checksums. Compute them in software instead.
      await end.ns.exec('ethtool', ['--offload', end.ifname, 'tx', 'off']);
      for (const cidr of end.addresses ?? []) await end.ns.addAddress(end.ifname, cidr);
      await end.ns.ip(['link', 'set', 'dev', end.ifname, 'up']);
    }
  }

  /** Starts a program (normally through `Netns.spawn`); it is stopped on close. */
  spawn(label: string, cmd: string, args: readonly string[], options: SpawnOptions = {}): LabProcess {
    if (this.closing) throw new Error(`lab ${this.id} is closing; cannot start ${label}`);
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const p = new LabProcess(label, child);
    this.processes.push(p);
    return p;
  }

  /** Stops all processes (newest first), deletes the namespaces and the temp dir. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const p of [...this.processes].reverse()) await p.stop('SIGTERM', 2000);
      for (const ns of [...this.namespaces].reverse()) {
        try {
          destroyNamespace(ns.name);
        } catch (err) {
          process.stderr.write(`cannot delete namespace ${ns.name}: ${(err as Error).message}\n`);
        }
      }
      rmSync(this.dir, { recursive: true, force: true });
      openLabs.delete(this);
    })();
    return this.closing;
  }
}

/** Runs `fn` with a fresh lab and always closes the lab afterwards. */
export async function withLab<T>(fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = Lab.open();
  try {
    return await fn(lab);
  } finally {
    await lab.close();
  }
}

/** Where a userspace 802.1Q path can be captured with its tags. */
export interface VlanPath {
  switchNs: Netns;
  /** Interface inside `switchNs` whose frames all carry the 802.1Q tag. */
  trunkInterface: string;
  vid: number;
}

/** Port numbers on the switch namespace's loopback used between socat and the relay. */
const RELAY_BASE_PORT = 40000;

/**
 * Joins `phone` and `server` through two access ports and an 802.1Q trunk, like two switches
 * with a tagged uplink: frames cross the trunk tagged with `vid`, the hosts see them untagged.
 *
 * Why in userspace: the kernel here is built without CONFIG_VLAN_8021Q (so `ip link add ...
 * type vlan` fails) and without act_vlan or bridge VLAN filtering. One socat per port moves raw
 * frames (PF_PACKET) to a Node relay over the switch namespace's loopback; the relay pushes the
 * tag towards the trunk. On receipt the kernel moves the tag out of the frame data into packet
 * metadata, and libpcap puts it back, so a capture on the trunk shows every frame tagged.
 */
export async function addVlanPath(
  lab: Lab,
  options: { vid: number; phone: VethEnd; server: VethEnd },
): Promise<VlanPath> {
  const { vid, phone, server } = options;
  const sw = await lab.addNamespace('switch');
  const mac = (n: number): string => `02:00:5e:00:01:${n.toString(16).padStart(2, '0')}`;
  await lab.addVeth(phone, { ns: sw, ifname: 'access1', mac: mac(1) });
  await lab.addVeth(server, { ns: sw, ifname: 'access2', mac: mac(2) });
  await lab.addVeth({ ns: sw, ifname: 'trunk1', mac: mac(3) }, { ns: sw, ifname: 'trunk2', mac: mac(4) });
  // Port order matters: the relay forwards 0<->1 and 2<->3, pushing the tag on 0->1 and 3->2.
  const ports = ['access1', 'trunk1', 'trunk2', 'access2'];
  const here = fileURLToPath(import.meta.url);
  const relayScript = path.join(path.dirname(here), `vlan-relay${path.extname(here)}`);
  const relay = sw.spawn('vlan-relay', process.execPath, [
    ...process.execArgv,
    relayScript,
    String(vid),
    String(RELAY_BASE_PORT),
  ]);
  await relay.waitFor(/^ready$/m);
  for (const [i, ifname] of ports.entries()) {
    const p = sw.spawn(`socat ${ifname}`, 'socat', [
      `INTERFACE:${ifname}`,
      `UDP4-CONNECT:127.0.0.1:${RELAY_BASE_PORT + i},bind=127.0.0.1:${RELAY_BASE_PORT + 100 + i}`,
    ]);
    await sleep(50);
    if (!p.isRunning) throw new Error(`socat on ${ifname} failed: ${p.output}`);
  }
  return { switchNs: sw, trunkInterface: 'trunk1', vid };
}
