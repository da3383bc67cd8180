/**
 * The bench TUI against the lab, end to end, as an engineer uses it: real dnsmasq and
 * tftpd-hpa in a server namespace, the simulated phone in its own namespace with its console
 * on a pty (a socat pair), and `phonedoc tui --iface br0 --port PTY` running in tmux inside
 * the LAN namespace, capturing live on the bridge. The screen must show the phone's console
 * lines, its transfer of the missing .sb2, and the scenario's root cause while the phone, which
 * reboots after its error like a real one, is still asking again. Needs root.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { catalogEntry } from '../../src/findings/catalog.js';
import { cliPath, requireTool, until } from '../helpers.js';
import { tmuxServer } from '../tmux.js';
import { withLab } from '../lab/netns.js';
import type { Netns } from '../lab/netns.js';
import type { PhoneReport, PhoneSpec } from '../lab/phone/spec.js';
import { loadScenario, rootFileBytes, TFTP_SERVER } from '../lab/run-scenario.js';
import { startDnsmasq, startTftpd, SyslogCatcher } from '../lab/servers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.extname(fileURLToPath(import.meta.url));
const labMac = (n: number): string => `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`;
/** Three more boots after the first error, a few seconds apart (a real phone's pause is not documented). */
const RETRY = { times: 3, pauseMs: 4000 };

test("phonedoc tui on the live lab shows the phone's console, its transfers and the root cause while the phone is still retrying", {
  timeout: 180_000,
}, async (t) => {
  if (process.getuid?.() !== 0) {
    if (process.env.CI === 'true') throw new Error('the live lab needs root under CI');
    t.skip('needs root (network namespaces)');
    return;
  }
  for (const [tool, pkg] of [
    ['dnsmasq', 'dnsmasq-base'],
    ['in.tftpd', 'tftpd-hpa'],
    ['tcpdump', 'tcpdump'],
    ['socat', 'socat'],
    ['tmux', 'tmux'],
  ] as const) {
    if (!requireTool(t, tool, pkg)) return;
  }
  const scenario = await loadScenario('loads-part-missing');
  const { tmux, killServer } = tmuxServer('tui-lab');
  const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', 'tui');
  let socat: ChildProcess | undefined;
  try {
    await withLab(async (lab) => {
      const lan = await lab.addNamespace('lan');
      await lan.ip(['link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0']);
      await lan.ip(['link', 'set', 'br0', 'up']);
      let port = 0;
      const attach = async (ns: Netns, ifname: string, mac: string, addresses: string[]): Promise<void> => {
        port++;
        await lab.addVeth({ ns, ifname, mac, addresses }, { ns: lan, ifname: `p${port}`, mac: labMac(0x80 + port) });
        await lan.ip(['link', 'set', `p${port}`, 'master', 'br0']);
      };
      const srv = await lab.addNamespace('srv');
      await attach(srv, 's0', labMac(1), [`${TFTP_SERVER}/24`]);
      const root = path.join(lab.dir, 'tftp-root');
      await mkdir(root, { recursive: true });
      await chmod(root, 0o755);
      for (const [name, file] of Object.entries(scenario.tftpRoot)) {
        await writeFile(path.join(root, name), rootFileBytes(name, file));
        await chmod(path.join(root, name), parseInt(file.mode ?? '644', 8));
      }
      const syslog = await SyslogCatcher.listen(path.join(lab.dir, 'log.sock'));
      t.after(() => syslog.close());
      await startTftpd(srv, { root, address: TFTP_SERVER, syslog });
      await startDnsmasq(srv, {
        interface: 's0',
        range: { start: '192.0.2.100', end: '192.0.2.149', netmask: '255.255.255.0', lease: '1h' },
        dhcpOptions: scenario.dhcpServers[0]!.options,
        leaseFile: path.join(lab.dir, 'dnsmasq.leases'),
      });

      const tuiEnd = path.join(lab.dir, 'console');
      const phoneEnd = path.join(lab.dir, 'phone-console');
      socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${tuiEnd}`, `pty,raw,echo=0,link=${phoneEnd}`], {
        stdio: 'ignore',
      });
      await until('the pty pair', () => existsSync(tuiEnd) && existsSync(phoneEnd), 5000);

      const sessionDir = path.join(lab.dir, 'session');
      // A real phone reboots after the error and asks again; the engineer sees the cause meanwhile.
      const phone: PhoneSpec = { ...scenario.phones[0]!, retry: RETRY };
      const command =
        `ip netns exec ${lan.name} ${process.execPath} ${cliPath} tui --iface br0 --port ${tuiEnd} ` +
        `--phone ${phone.mac} --session-dir ${sessionDir}; echo "exit code $?"; sleep 60`;
      tmux('new-session', '-d', '-s', 'tui', '-x', '160', '-y', '48', command);
      await until(
        'the console port open and the capture running',
        () => /open/.test(screen()) && /capturing/.test(screen()),
        15_000,
      );

      const ph = await lab.addNamespace('ph0');
      await attach(ph, 'eth0', phone.mac.toLowerCase(), []);
      const specFile = path.join(lab.dir, 'phone0.json');
      await writeFile(specFile, JSON.stringify(phone));
      const main = path.join(here, '..', 'lab', 'phone', `main${ext}`);
      const running = ph.spawn(`phone ${phone.name}`, process.execPath, [
        ...process.execArgv,
        main,
        specFile,
        'eth0',
        phoneEnd,
      ]);
      let phoneEndedAt: number | undefined;
      void running.exited.then(() => (phoneEndedAt = Date.now()));
      const sb2Requests = (): number =>
        syslog.records.filter((r) => /^RRQ from \S+ filename P0S3-8-12-00\.sb2$/.test(r.message)).length;

      const root0 = catalogEntry('LOADS_PART_MISSING').title;
      await until('the root cause on screen', () => screen().includes(root0), 60_000);
      const shownAt = Date.now();
      const shown = screen();
      const askedSoFar = sb2Requests();
      assert.ok(running.isRunning, `the root cause came only after the phone had ended: ${running.output}`);
      assert.ok(
        askedSoFar < RETRY.times + 1,
        `the phone had already made its last attempt (${askedSoFar} requests of the .sb2)`,
      );
      assert.match(shown, /DHCP BOUND/, "the phone's console line");
      assert.match(shown, /Protocol Application Invalid/, "the phone's error on its console");
      assert.match(shown, /P0S3-8-12-00\.sb2/, 'the transfer that failed');
      assert.match(shown, /00:0e:84:c0:60:a6/);

      // The phone really starts over: every attempt asks for the .sb2 again, then it gives up on the last error.
      assert.equal(await running.exited, 0, running.output);
      const report = JSON.parse(
        running.output.split('\n').find((l) => l.startsWith('{')) ?? '{}',
      ) as Partial<PhoneReport>;
      assert.equal(report.attempts, RETRY.times + 1);
      assert.equal(report.stoppedWith, 'Protocol Application Invalid');
      assert.equal(
        report.requests?.filter((q) => q.file === 'P0S3-8-12-00.sb2' && q.outcome === 'error 1').length,
        RETRY.times + 1,
      );
      await until('tftpd to log the last request', () => sb2Requests() === RETRY.times + 1, 5000);
      t.diagnostic(
        `the root cause was on screen ${((phoneEndedAt! - shownAt) / 1000).toFixed(1)} s before the phone ended, ` +
          `after ${askedSoFar} of its ${RETRY.times + 1} requests of the .sb2`,
      );
      assert.ok(screen().includes(root0), 'the root cause stays on screen');

      tmux('send-keys', '-t', 'tui', 'q');
      await until('the TUI to end', () => /exit code 0/.test(screen()), 15_000);
      const consoleLog = readFileSync(path.join(sessionDir, `console-${path.basename(tuiEnd)}.log`), 'latin1');
      assert.match(consoleLog, /Protocol Application Invalid/, 'the console log is flushed on quit');
      const frames = execFileSync('tcpdump', ['-n', '-r', path.join(sessionDir, 'capture.pcap'), 'udp port 69'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      assert.equal(
        frames.match(/RRQ "P0S3-8-12-00\.sb2"/g)?.length,
        RETRY.times + 1,
        'the capture file keeps every request',
      );
    });
  } finally {
    socat?.kill();
    killServer();
  }
});
