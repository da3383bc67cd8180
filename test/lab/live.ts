/**
 * A scenario's lab kept running for a demonstration or a test of the bench TUI
 * (`npm run lab -- SCENARIO --live`, root): the scenario's servers, and its first phone booting
 * again and again (after an error it retries, as a real phone does; after it ends it is started
 * again) with its console on a pseudo-terminal. The servers' logs are written to files as they
 * grow; the command that starts `phonedoc tui` against it all is printed. Runs until Ctrl-C,
 * which cleans up the namespaces and processes (the folder with the logs and the root is kept).
 */
import { existsSync, realpathSync } from 'node:fs';
import { appendFile, chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cliPath, until } from '../helpers.js';
import type { Lab, LabProcess } from './netns.js';
import { withLab } from './netns.js';
import type { Scenario } from './phone/scenario.js';
import type { PhoneSpec } from './phone/spec.js';
import { dnsmasqLog, startScenarioLan, TFTPD_HOST } from './run-scenario.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.extname(fileURLToPath(import.meta.url));
/** How often the servers' logs are written out. */
const LOG_FLUSH_MS = 200;
/** Boots of one phone run before it ends, each after the pause; then it is started again after the pause. */
const RETRY = { times: 5, pauseMs: 5000 };

export interface LiveLab {
  /** The command line that starts the TUI against the lab (run as root). */
  readonly command: string;
  /** The pseudo-terminal the TUI opens: the phone's console. */
  readonly port: string;
  readonly dir: string;
}

/**
 * Runs `s` live until `signal` aborts (or the process is interrupted);
 * `started` is told the TUI's command once all stands.
 */
export async function runLive(s: Scenario, started: (live: LiveLab) => void, signal?: AbortSignal): Promise<void> {
  const spec = s.phones[0];
  if (!spec) throw new Error(`scenario ${s.name} has no phone`);
  // Kept after the lab: the TUI's --server-log and --tftp-root files outlive a Ctrl-C here.
  const dir = await mkdtemp(path.join(tmpdir(), `phonedoc-lab-live-${s.name}-`));
  await chmod(dir, 0o755);
  await withLab(async (lab: Lab) => {
    const root = path.join(dir, 'tftp-root');
    const { lan, attach, syslog, dhcp } = await startScenarioLan(lab, s, root);
    const tftpdLog = path.join(dir, 'tftpd.log');
    const dhcpLog = path.join(dir, 'dnsmasq.log');
    await writeFile(tftpdLog, '');
    let written = { tftpd: 0, dhcp: 0 };
    const flush = async (): Promise<void> => {
      const lines = syslog.fileLines(TFTPD_HOST);
      const log = dnsmasqLog(s, dhcp);
      const next = { tftpd: lines.length, dhcp: log.length };
      if (next.tftpd > written.tftpd)
        await appendFile(
          tftpdLog,
          lines
            .slice(written.tftpd)
            .map((l) => `${l}\n`)
            .join(''),
        );
      if (next.dhcp > written.dhcp) await appendFile(dhcpLog, log.slice(written.dhcp));
      written = next;
    };
    await flush();
    const flusher = setInterval(() => void flush(), LOG_FLUSH_MS);

    const tuiEnd = path.join(dir, 'console');
    const phoneEnd = path.join(lab.dir, 'phone-console');
    lab.spawn('socat', 'socat', ['-d', '-d', `pty,raw,echo=0,link=${tuiEnd}`, `pty,raw,echo=0,link=${phoneEnd}`]);
    await until('the pty pair', () => existsSync(tuiEnd) && existsSync(phoneEnd), 5000);
    const port = realpathSync(tuiEnd);

    const ph = await lab.addNamespace('ph0');
    await attach(ph, 'eth0', spec.mac.toLowerCase(), []);
    const phone: PhoneSpec = { ...spec, retry: RETRY };
    const specFile = path.join(lab.dir, 'phone0.json');
    await writeFile(specFile, JSON.stringify(phone));
    const main = path.join(here, 'phone', `main${ext}`);

    const command = [
      `ip netns exec ${lan.name} ${process.execPath} ${cliPath} tui --port ${port} --iface br0 --phone ${spec.mac}`,
      `--server-log ${tftpdLog} --server-log ${dhcpLog} --tftp-root ${root}`,
    ].join(' ');
    started({ command, port, dir });
    try {
      while (!signal?.aborted) {
        let running: LabProcess;
        try {
          running = ph.spawn(`phone ${spec.name}`, process.execPath, [
            ...process.execArgv,
            main,
            specFile,
            'eth0',
            phoneEnd,
          ]);
        } catch {
          return; // the lab is closing (Ctrl-C)
        }
        const stop = (): void => void running.stop();
        signal?.addEventListener('abort', stop, { once: true });
        await running.exited;
        signal?.removeEventListener('abort', stop);
        await sleep(RETRY.pauseMs, undefined, signal ? { signal } : {}).catch(() => undefined);
      }
    } finally {
      clearInterval(flusher);
      await flush();
    }
  });
}
