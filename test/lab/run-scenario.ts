/**
 * Runs one lab scenario end to end, as root: a LAN (a bridge in its own namespace), a server
 * namespace with real dnsmasq (DHCP only) and real tftpd-hpa -vvv serving the scenario's TFTP
 * root, optionally a second DHCP server, and one namespace per simulated phone. The segment is
 * captured with tcpdump on the server's link (whole frames from the start, unless the scenario
 * cuts them or starts the capture late). Everything started is cleaned up, also on Ctrl-C
 * (test/lab/netns.ts).
 *
 *   npx tsx test/lab/run-scenario.ts SCENARIO [OUT_DIR]
 *
 * SCENARIO is a name from test/lab/scenarios/ or a path to a scenario file. Without OUT_DIR the
 * bundle goes to captures/<scenario>/. With --live (test/lab/live.ts) the scenario's lab stays up
 * for the bench TUI, its phone rebooting, until Ctrl-C.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../helpers.js';
import { runCommand, withLab, type Lab, type LabProcess, type Netns } from './netns.js';
import {
  stallTftpData,
  startCapture,
  startDnsmasq,
  startTftpd,
  SyslogCatcher,
  type CaptureOptions,
} from './servers.js';
import { runLive } from './live.js';
import { CONSOLE_TEXT } from './phone/console.js';
import { checkScenario, type RootFile, type Scenario } from './phone/scenario.js';
import type { PhoneReport } from './phone/spec.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.extname(fileURLToPath(import.meta.url));
export const SCENARIO_DIR = path.join(repoRoot, 'test', 'lab', 'scenarios');
export const CAPTURES_DIR = path.join(repoRoot, 'captures');

/** The TFTP server of every scenario; DHCP servers are on .1 and .2. */
export const TFTP_SERVER = '192.0.2.1';
/** The host name tftpd's syslog lines carry in the log file. */
export const TFTPD_HOST = 'tftpserver';
const MAX_BUNDLE_BYTES = 2 * 1024 * 1024;

export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const file = nameOrPath.endsWith('.json') ? nameOrPath : path.join(SCENARIO_DIR, `${nameOrPath}.json`);
  const s = JSON.parse(await readFile(file, 'utf8')) as Scenario;
  const problems = checkScenario(s, path.basename(file));
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return s;
}

/** Repeatable dummy image bytes: the name's SHA-256 chained. */
export function rootFileBytes(name: string, f: RootFile): Buffer {
  if (f.text !== undefined) return Buffer.from(f.text, 'latin1');
  const out: Buffer[] = [];
  let block = createHash('sha256').update(name).digest();
  for (let n = 0; n < (f.dummyBytes ?? 0); n += block.length) {
    out.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(out).subarray(0, f.dummyBytes ?? 0);
}

async function writeRoot(dir: string, s: Scenario): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755); // tftpd drops to user nobody after chroot
  const listing: string[] = [];
  for (const [name, f] of Object.entries(s.tftpRoot).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const data = rootFileBytes(name, f);
    await writeFile(path.join(dir, name), data);
    await chmod(path.join(dir, name), parseInt(f.mode ?? '644', 8));
    listing.push(
      `${f.mode ?? '644'} ${String(data.length).padStart(7)} ` +
        `${createHash('sha256').update(data).digest('hex')}  ${name}`,
    );
  }
  return listing;
}

export const mac = (n: number): string => `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`;

export interface ScenarioRun {
  dir: string;
  reports: PhoneReport[];
  files: string[];
}

/**
 * The LAN of a scenario: a bridge `br0` in its own namespace, and the
 * server namespace with tftpd-hpa and the DHCP servers.
 */
export interface ScenarioLan {
  readonly lan: Netns;
  readonly srv: Netns;
  /** Links a namespace's `ifname` to the bridge. */
  attach(ns: Netns, ifname: string, hostMac: string, addresses: string[]): Promise<void>;
  /** The TFTP root's files: mode, bytes, SHA-256, name. */
  readonly listing: string[];
  readonly syslog: SyslogCatcher;
  readonly tftpd?: LabProcess;
  readonly dhcp: LabProcess[];
}

/** Builds the LAN of `s` in `lab`, its TFTP root written into `root`, and starts its servers. */
export async function startScenarioLan(lab: Lab, s: Scenario, root: string): Promise<ScenarioLan> {
  const lan = await lab.addNamespace('lan');
  // No IGMP snooping: the bridge would send its own queries into the capture.
  await lan.ip(['link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0']);
  await lan.ip(['link', 'set', 'br0', 'up']);
  let port = 0;
  const attach = async (ns: Netns, ifname: string, hostMac: string, addresses: string[]): Promise<void> => {
    port++;
    const lanIf = `p${port}`;
    await lab.addVeth({ ns, ifname, mac: hostMac, addresses }, { ns: lan, ifname: lanIf, mac: mac(0x80 + port) });
    await lan.ip(['link', 'set', lanIf, 'master', 'br0']);
  };
  const srv = await lab.addNamespace('srv');
  await attach(srv, 's0', mac(1), [`${TFTP_SERVER}/24`]);

  const listing = await writeRoot(root, s);
  const syslog = await SyslogCatcher.listen(path.join(lab.dir, 'log.sock'));
  const tftpd = s.tftpd === false ? undefined : await startTftpd(srv, { root, address: TFTP_SERVER, syslog });
  if (s.tftpStallAfterBlock !== undefined) await stallTftpData(srv, 's0', TFTP_SERVER, s.tftpStallAfterBlock);

  const dhcp: LabProcess[] = [];
  for (const [i, d] of s.dhcpServers.entries()) {
    let ns = srv;
    let ifname = 's0';
    if (d.address !== TFTP_SERVER) {
      ns = await lab.addNamespace(`dhcp${i}`);
      ifname = 'd0';
      await attach(ns, ifname, mac(0x10 + i), [`${d.address}/24`]);
    }
    const base = 100 + 50 * i; // each server its own pool: the servers disagree on the address
    dhcp.push(
      await startDnsmasq(ns, {
        interface: ifname,
        range: { start: `192.0.2.${base}`, end: `192.0.2.${base + 49}`, netmask: '255.255.255.0', lease: '1h' },
        dhcpOptions: d.options,
        leaseFile: path.join(lab.dir, `dnsmasq${i}.leases`),
        ...(d.replyDelaySeconds ? { replyDelaySeconds: d.replyDelaySeconds } : {}),
      }),
    );
  }
  return { lan, srv, attach, listing, syslog, ...(tftpd ? { tftpd } : {}), dhcp };
}

/** The DHCP servers' logs as one file: each server's lines after a `# dnsmasq <address>` line. */
export function dnsmasqLog(s: Scenario, dhcp: readonly LabProcess[]): string {
  return dhcp.map((d, i) => `# dnsmasq ${s.dhcpServers[i]?.address}\n${d.output}`).join('');
}

/** Runs `s` and writes its bundle into `outDir` (emptied first). */
export async function runScenario(s: Scenario, outDir: string): Promise<ScenarioRun> {
  return withLab(async (lab: Lab) => {
    const root = path.join(lab.dir, 'tftp-root');
    const { srv, attach, listing, syslog, tftpd, dhcp } = await startScenarioLan(lab, s, root);

    const capFile = path.join(lab.dir, 'capture.pcap');
    const captureOptions: CaptureOptions = {
      tool: 'tcpdump',
      interface: 's0',
      file: capFile,
      ...(s.capture?.snaplen ? { snaplen: s.capture.snaplen } : {}),
    };
    const late = s.capture?.startLateMs;
    let capture = late === undefined ? await startCapture(srv, captureOptions) : undefined;

    const phones: { name: string; process: LabProcess; console: string }[] = [];
    for (const [i, p] of s.phones.entries()) {
      const ns = await lab.addNamespace(`ph${i}`);
      await attach(ns, 'eth0', p.mac.toLowerCase(), []);
      const specFile = path.join(lab.dir, `phone${i}.json`);
      await writeFile(specFile, JSON.stringify(p));
      const consoleFile = path.join(lab.dir, `console-${p.name}.log`);
      const main = path.join(here, 'phone', `main${ext}`);
      phones.push({
        name: p.name,
        console: consoleFile,
        process: ns.spawn(`phone ${p.name}`, process.execPath, [
          ...process.execArgv,
          main,
          specFile,
          'eth0',
          consoleFile,
        ]),
      });
    }
    if (!capture) {
      await consoleShows(phones[0]!.console, CONSOLE_TEXT.dhcpBound, phones[0]!.process.exited);
      await sleep(late ?? 0);
      capture = await startCapture(srv, captureOptions);
    }
    const reports: PhoneReport[] = [];
    for (const ph of phones) {
      const code = await ph.process.exited;
      const line = ph.process.output.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) throw new Error(`phone ${ph.name} failed (exit ${code}): ${ph.process.output}`);
      reports.push(JSON.parse(line) as PhoneReport);
    }
    await capture.stop(500);
    await tftpd?.stop();
    await new Promise((r) => setTimeout(r, 100));
    await syslog.close();
    for (const d of dhcp) await d.stop();

    await rm(outDir, { recursive: true, force: true });
    await mkdir(path.join(outDir, 'tftp-root'), { recursive: true });
    const files: string[] = [];
    const put = async (name: string, data: string | Buffer): Promise<void> => {
      await writeFile(path.join(outDir, name), data);
      files.push(name);
    };
    const captured = await readFile(capFile);
    await put(
      'capture.pcap',
      s.capture?.cutAtFraction === undefined ? captured : cutInRecord(captured, s.capture.cutAtFraction),
    );
    if (s.pcapng) {
      await runCommand('editcap', ['-F', 'pcapng', capFile, path.join(outDir, 'capture.pcapng')]);
      files.push('capture.pcapng');
    }
    await put(
      'tftpd.log',
      syslog
        .fileLines(TFTPD_HOST)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await put('dnsmasq.log', dnsmasqLog(s, dhcp));
    for (const ph of phones) await put(`console-${ph.name}.log`, await readFile(ph.console));
    await put('tftp-root.txt', `# mode bytes sha256 name\n${listing.join('\n')}\n`);
    for (const name of Object.keys(s.tftpRoot))
      await put(path.join('tftp-root', name), rootFileBytes(name, s.tftpRoot[name]!));
    await put(
      'expected.json',
      `${JSON.stringify({ scenario: s.name, description: s.description, ...s.expect, phones: reports }, null, 2)}\n`,
    );
    let total = 0;
    for (const f of files) total += (await stat(path.join(outDir, f))).size;
    if (total > MAX_BUNDLE_BYTES) throw new Error(`bundle ${outDir} is ${total} bytes, over ${MAX_BUNDLE_BYTES}`);
    return { dir: outDir, reports, files };
  });
}

/** Resolves once the console file holds `text`; fails if the phone ends first or after 60 s. */
async function consoleShows(file: string, text: string, exited: Promise<unknown>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(20)) {
    if ((await readFile(file, 'utf8').catch(() => '')).includes(text)) return;
    if (ended) throw new Error(`the phone ended before its console showed ${text}`);
  }
  throw new Error(`the phone's console did not show ${text} within 60 s`);
}

/**
 * The first `fraction` of a classic pcap's bytes, never ending on a record boundary (nor inside
 * the file header), so that the last record is cut as `head -c` cuts a capture.
 */
export function cutInRecord(pcap: Buffer, fraction: number): Buffer {
  const little = pcap.readUInt32LE(0) === 0xa1b2c3d4 || pcap.readUInt32LE(0) === 0xa1b23c4d;
  const boundaries = new Set<number>([24]);
  for (let at = 24; at + 16 <= pcap.length; ) {
    at += 16 + (little ? pcap.readUInt32LE(at + 8) : pcap.readUInt32BE(at + 8));
    boundaries.add(at);
  }
  let end = Math.max(25, Math.floor(pcap.length * fraction));
  while (boundaries.has(end)) end++;
  return pcap.subarray(0, end);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const live = args.includes('--live');
  const [name, out] = args.filter((a) => a !== '--live');
  if (!name) throw new Error('usage: run-scenario.ts SCENARIO [OUT_DIR] | run-scenario.ts SCENARIO --live');
  const s = await loadScenario(name);
  if (live) {
    await runLive(s, ({ command, port, dir }) => {
      process.stdout.write(
        `lab ${s.name} is up: the phone boots again and again, its console on ${port}; logs and TFTP root in ${dir}\n`,
      );
      process.stdout.write(`start the TUI against it (as root):\n  ${command}\nCtrl-C stops the lab.\n`);
    });
    return;
  }
  const run = await runScenario(s, out ?? path.join(CAPTURES_DIR, s.name));
  for (const r of run.reports) {
    process.stdout.write(
      `${r.name}: ${r.requests.map((q) => `${q.file}=${q.outcome}`).join(', ') || 'no TFTP'}; image ${r.image}` +
        `${r.stoppedWith ? `; stopped: ${r.stoppedWith}` : ''}\n`,
    );
  }
  process.stdout.write(`bundle: ${run.dir}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
