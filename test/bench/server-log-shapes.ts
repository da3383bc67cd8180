/**
 * Server logs as a customer's ticket brings them: a busy host's syslog of other programs around
 * a few dnsmasq lines, the same as journalctl prints it, a site's DHCP log of every PC's lease
 * with a few phones among them, and one known line before a million lines of nothing.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface ServerLogShape {
  readonly name: string;
  readonly what: string;
  /** How many phones' stories the log holds, each with its DHCP and TFTP lines. */
  readonly phones: number;
  readonly lines: (emit: (line: string) => void) => void;
}

const two = (n: number): string => String(n).padStart(2, '0');
const hex = (n: number): string => n.toString(16).padStart(2, '0');

function pcMac(i: number): string {
  return `00:1b:21:${hex((i >> 16) & 255)}:${hex((i >> 8) & 255)}:${hex(i & 255)}`;
}

function pcAddress(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255 || 1}`;
}

/** A phone's boot as dnsmasq logs it: its DHCP, a CTL file not found, its configuration sent. */
function phoneLines(k: number): string[] {
  const mac = `00:0e:84:c0:6${k >> 8}:${hex(k & 255)}`;
  const name = mac.replace(/:/g, '').toUpperCase();
  const ip = `192.0.2.${100 + k}`;
  return [
    `dnsmasq-dhcp[811]: DHCPDISCOVER(eth1) ${mac}`,
    `dnsmasq-dhcp[811]: DHCPOFFER(eth1) ${ip} ${mac}`,
    `dnsmasq-dhcp[811]: DHCPREQUEST(eth1) ${ip} ${mac}`,
    `dnsmasq-dhcp[811]: DHCPACK(eth1) ${ip} ${mac} SEP${name}`,
    `dnsmasq-tftp[811]: sent /srv/tftp/OS79XX.TXT to ${ip}`,
    `dnsmasq-tftp[811]: file /srv/tftp/CTLSEP${name}.tlv not found`,
    `dnsmasq-tftp[811]: sent /srv/tftp/SIPDefault.cnf to ${ip}`,
    `dnsmasq-tftp[811]: sent /srv/tftp/SIP${name}.cnf to ${ip}`,
  ];
}

function pcLine(i: number, ack: boolean): string {
  return ack
    ? `dnsmasq-dhcp[811]: DHCPACK(eth1) ${pcAddress(i)} ${pcMac(i)} desktop-${i.toString(36)}`
    : `dnsmasq-dhcp[811]: DHCPREQUEST(eth1) ${pcAddress(i)} ${pcMac(i)}`;
}

const OTHER_PROGRAMS: readonly ((i: number) => string)[] = [
  (i) => `kernel: [${(i / 10).toFixed(6)}] IPv4: martian source 10.0.0.${i % 250} from 10.0.1.${i % 200}, on dev eth0`,
  (i) => `CRON[${1000 + (i % 30000)}]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)`,
  (i) =>
    `sshd[${2000 + (i % 30000)}]: Accepted publickey for admin from 198.51.100.${i % 250} port ${40000 + (i % 20000)} ssh2: RSA SHA256:q0Vd1vG2Jm7c9aZ5Xr3Lw8Ke4Tn6Yb1Hf0Pu2Is5Oa`,
  (i) => `systemd[1]: Started Session ${i} of user admin.`,
  (i) =>
    `rsyslogd: [origin software="rsyslogd" swVersion="8.2112.0" x-pid="${900 + (i % 100)}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed`,
  (i) => `systemd-logind[812]: New session ${i} of user admin.`,
];

/** Syslog's `Dec  7 10:00:00 gw` for the i-th line, fifty lines a second. */
function syslogStamp(i: number): string {
  const s = Math.floor(i / 50);
  return `Dec  7 ${two(10 + (Math.floor(s / 3600) % 12))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)} gw`;
}

/** journalctl -o short-iso-precise's stamp for the i-th line. */
function journalStamp(i: number): string {
  const s = Math.floor(i / 50);
  const micros = String((i % 50) * 20000).padStart(6, '0');
  return `2026-12-07T${two(10 + (Math.floor(s / 3600) % 12))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${micros}+00:00 gw`;
}

/** Other programs' lines, one in a thousand a PC's DHCP line, one phone's boot in the middle. */
function busyHost(lines: number, stamp: (i: number) => string): (emit: (line: string) => void) => void {
  return (emit) => {
    const phoneAt = Math.floor(lines / 2);
    const phone = phoneLines(0);
    let pc = 0;
    for (let i = 0; i < lines; i++) {
      const step = i - phoneAt;
      if (step >= 0 && step < phone.length * 37 && step % 37 === 0) emit(`${stamp(i)} ${phone[step / 37]}`);
      else if (i % 1000 === 999) emit(`${stamp(i)} ${pcLine(pc, pc++ % 2 === 1)}`);
      else emit(`${stamp(i)} ${OTHER_PROGRAMS[i % OTHER_PROGRAMS.length]!(i)}`);
    }
  };
}

export function serverLogShapes(scale: number): ServerLogShape[] {
  const n = (count: number): number => Math.max(1, Math.round(count * scale));
  return [
    {
      name: 'hello',
      what: `one dnsmasq line, then ${n(1_000_000).toLocaleString('en')} lines "hello"`,
      phones: 0,
      lines: (emit) => {
        emit(`${syslogStamp(0)} dnsmasq-dhcp[811]: DHCPDISCOVER(eth1) 00:0e:84:c0:60:a6`);
        for (let i = 0; i < n(1_000_000); i++) emit('hello');
      },
    },
    {
      name: 'syslog',
      what: `a busy host's syslog of ${n(2_000_000).toLocaleString('en')} lines (kernel, cron, sshd, systemd, rsyslog), 1 in 1,000 a PC's DHCP line, one phone's boot`,
      phones: 1,
      lines: busyHost(n(2_000_000), syslogStamp),
    },
    {
      name: 'journal',
      what: `the same as journalctl -o short-iso-precise prints it, ${n(2_000_000).toLocaleString('en')} lines`,
      phones: 1,
      lines: busyHost(n(2_000_000), journalStamp),
    },
    {
      name: 'leases',
      what: `a site's dnsmasq log: ${n(100_000).toLocaleString('en')} PCs' leases (REQUEST, ACK) and 10 phones' boots`,
      phones: 10,
      lines: (emit) => {
        const pcs = n(100_000);
        const every = Math.max(1, Math.floor(pcs / 10));
        let phone = 0;
        for (let i = 0; i < pcs; i++) {
          emit(`${syslogStamp(i * 4)} ${pcLine(i, false)}`);
          emit(`${syslogStamp(i * 4)} ${pcLine(i, true)}`);
          if (i % every === every - 1 && phone < 10)
            for (const line of phoneLines(phone++)) emit(`${syslogStamp(i * 4)} ${line}`);
        }
      },
    },
  ];
}

/** Writes the shape's lines to `file`, a batch at a time; the number of lines written. */
export function writeServerLogShape(file: string, shape: ServerLogShape): number {
  const fd = openSync(file, 'w');
  try {
    let batch: string[] = [];
    let count = 0;
    shape.lines((line) => {
      batch.push(line);
      count++;
      if (batch.length === 10_000) {
        writeSync(fd, `${batch.join('\n')}\n`);
        batch = [];
      }
    });
    if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
    return count;
  } finally {
    closeSync(fd);
  }
}
