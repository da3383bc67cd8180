/**
 * Live capture: tcpdump (or dumpcap) as a child process writing a capture to its standard
 * output, parsed as it grows, its raw bytes also kept in a file of the session folder (to
 * analyse again and attach to a ticket). The filter follows the phone, not port 69 (a TFTP
 * server answers from a new port), and keeps IP fragments (../shared/library-notes.md).
 * Failing to start is explained: no permission (and the fixes), no such interface (and the
 * ones there are), no capture program (and its Debian package).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { CaptureReader } from '../../parsers/capture/reader.js';
import { readCaptureInto } from './capture-input.js';
import { fileSystemReason } from '../extract/output-folders.js';

export type CaptureProgram = 'tcpdump' | 'dumpcap';

/** The Debian package holding each program. */
export const CAPTURE_PACKAGES: Readonly<Record<CaptureProgram, string>> = {
  tcpdump: 'tcpdump',
  dumpcap: 'wireshark-common',
};

export interface CaptureStats {
  readonly captured: number;
  readonly dropped: number;
}

export interface LiveCaptureOptions {
  readonly iface: string;
  readonly filter: string;
  /** Where the raw bytes are kept, as the program wrote them. */
  readonly file: string;
  /** Stops the capture: the program is interrupted, flushes, and what it wrote is read to the end. */
  readonly signal: AbortSignal;
  readonly program?: CaptureProgram;
  /** How often the program is asked for its counts (tcpdump: SIGUSR1). */
  readonly statsIntervalMs?: number;
  readonly onStats?: (stats: CaptureStats) => void;
  /** The program has opened the interface and captures. */
  readonly onStarted?: () => void;
}

/** Why a live capture could not run, in words with the fix. */
export class LiveCaptureError extends Error {
  override readonly name = 'LiveCaptureError';
}

/**
 * BPF: the phone's frames (all its UDP, whatever port the server answers from), DHCP of any
 * client, ARP, and every IP fragment (a fragment after the first has no UDP header, so a
 * port test drops it). With no phone given: all UDP, ARP and fragments.
 */
export function phoneFilter(mac?: string): string {
  const fragments = '(ip[6:2] & 0x3fff != 0)';
  return mac ? `ether host ${mac} or udp port 67 or udp port 68 or arp or ${fragments}` : `udp or arp or ${fragments}`;
}

/** Kernel buffer in KiB: room for a few seconds of a busy segment while phonedoc is busy drawing or analysing. */
const CAPTURE_BUFFER_KIB = 16384;

export function captureArguments(program: CaptureProgram, iface: string, filter: string): string[] {
  return program === 'tcpdump'
    ? ['-i', iface, '-U', '--immediate-mode', '-B', String(CAPTURE_BUFFER_KIB), '-s', '0', '-w', '-', filter]
    : ['-i', iface, '-q', '-B', String(CAPTURE_BUFFER_KIB / 1024), '-w', '-', '-f', filter];
}

/** The interfaces this host has (for the "no such interface" message). */
export function interfaceNames(): string[] {
  try {
    return readdirSync('/sys/class/net').sort();
  } catch {
    return [];
  }
}

/** The sentence for what the program printed when it could not start, or undefined when it is not one we know. */
export function explainCaptureFailure(program: CaptureProgram, iface: string, stderr: string): string | undefined {
  if (/permission|Operation not permitted/i.test(stderr)) {
    const path = `/usr/bin/${program}`;
    return (
      `${program} has no permission to capture on ${iface}. Fixes: ` +
      `give the program the capture capability (sudo setcap cap_net_raw,cap_net_admin=eip ${path}), ` +
      'or on Debian run "sudo dpkg-reconfigure wireshark-common", answer yes and add yourself to ' +
      'the wireshark group (sudo usermod -aG wireshark $USER, then log in again) to use dumpcap, ' +
      'or run phonedoc with sudo. The console side keeps working.'
    );
  }
  if (/No such device|doesn't exist|no such interface|There is no device/i.test(stderr)) {
    const names = interfaceNames();
    return `there is no network interface "${iface}"${names.length ? `; this host has: ${names.join(', ')}` : ''}.`;
  }
  return undefined;
}

/** Runs the capture until the signal aborts; every packet goes to `reader`. Rejects with a LiveCaptureError. */
export async function runLiveCapture(options: LiveCaptureOptions, reader: CaptureReader): Promise<void> {
  const program = options.program ?? 'tcpdump';
  const child = spawn(program, captureArguments(program, options.iface, options.filter), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let started = false;
  // Asked only once the program listens: before its handler is set, SIGUSR1 would end it.
  let stats: NodeJS.Timeout | undefined;
  const spawnFailure = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new LiveCaptureError(
          error.code === 'ENOENT'
            ? `${program} is not installed: install the Debian package ${CAPTURE_PACKAGES[program]} ` +
                `(sudo apt install ${CAPTURE_PACKAGES[program]}). The console side keeps working.`
            : `${program} could not be started: ${error.message}`,
        ),
      );
    }),
  );
  spawnFailure.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4096);
    if (!started && /listening on|Capturing on/.test(stderr)) {
      started = true;
      options.onStarted?.();
      if (program === 'tcpdump' && options.onStats)
        stats = setInterval(() => child.kill('SIGUSR1'), options.statsIntervalMs ?? 2000);
    }
    const captured = /(\d+) packets? captured/.exec(text);
    const dropped = /(\d+) packets? dropped by kernel/.exec(text);
    if (captured && dropped) options.onStats?.({ captured: Number(captured[1]), dropped: Number(dropped[1]) });
  });
  // A new file only (O_EXCL): an earlier capture is not overwritten, a link planted in the folder not followed.
  const kept = createWriteStream(options.file, { flags: 'wx' });
  const keptFailure = new Promise<never>((_, reject) =>
    kept.once('error', (error) =>
      reject(
        new LiveCaptureError(
          `the capture cannot be kept in ${options.file}: ${fileSystemReason(error)}` +
            `${(error as NodeJS.ErrnoException).code === 'EEXIST' ? ' (give a new --session-dir)' : ''}. The console side keeps working.`,
        ),
      ),
    ),
  );
  keptFailure.catch(() => undefined);
  const parsed = new PassThrough();
  child.stdout.pipe(kept);
  child.stdout.pipe(parsed);
  const stop = (): void => {
    child.kill('SIGINT');
  };
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race([readCaptureInto('-', reader, { stdin: parsed }), spawnFailure, keptFailure]);
    const code = await Promise.race([exited, spawnFailure, keptFailure]);
    if (code !== 0 && !options.signal.aborted) {
      const last = stderr.trim().split('\n').at(-1) ?? '';
      throw new LiveCaptureError(
        explainCaptureFailure(program, options.iface, stderr) ?? `${program} stopped (exit code ${code}): ${last}`,
      );
    }
  } finally {
    clearInterval(stats);
    options.signal.removeEventListener('abort', stop);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await new Promise<void>((resolve) =>
      kept.writableFinished || kept.destroyed
        ? resolve()
        : kept.once('finish', () => resolve()).once('error', () => resolve()),
    );
  }
}
