/** Facts about the machine a bench ran on, printed with the results so figures can be compared. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { GNU_TIME, hasGnuTime } from './measure.js';

export interface MachineFacts {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly os: string;
  readonly kernel: string;
  readonly node: string;
  readonly tshark: string | undefined;
  readonly tcpdump: string | undefined;
  readonly libpcap: string | undefined;
  readonly gnuTime: string | undefined;
  /** 1, 5 and 15-minute load averages when the bench started: the machine is shared. */
  readonly loadAverage: readonly number[];
}

export function machineFacts(): MachineFacts {
  const tcpdumpLines = versionLines('tcpdump', ['--version']);
  return {
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1e8) / 10,
    os: osName(),
    kernel: os.release(),
    node: process.version,
    tshark: versionLines('tshark', ['--version'])[0],
    tcpdump: tcpdumpLines.find((line) => line.startsWith('tcpdump version')),
    libpcap: tcpdumpLines.find((line) => line.startsWith('libpcap version')),
    gnuTime: hasGnuTime() ? versionLines(GNU_TIME, ['--version'])[0] : undefined,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

export function machineLines(facts: MachineFacts): string[] {
  return [
    `CPU: ${facts.cpuModel}, nproc ${facts.nproc}, ${facts.memoryGb} GB RAM; ` +
      `load average at start ${facts.loadAverage.join(' ')}`,
    `OS: ${facts.os}, kernel ${facts.kernel}`,
    `Node ${facts.node}; ${facts.tshark ?? 'tshark not installed'}; ` +
      `${facts.tcpdump ?? 'tcpdump not installed'}, ${facts.libpcap ?? ''}`,
    `Peak memory from: ` +
      `${facts.gnuTime === undefined ? 'not measured for tshark/tcpdump (GNU time missing: Debian package "time"); node children report process.resourceUsage().maxRSS' : `${facts.gnuTime} (%M, getrusage maxrss)`}`,
  ];
}

function versionLines(command: string, args: string[]): string[] {
  try {
    const output = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return output
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  } catch {
    return [];
  }
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}
