/**
 * The phone boots hidden in the bench capture. Preferred source: the DHCP and TFTP frames
 * of the project's own fixture captures (`test/fixtures/captures/`, recorded against real
 * tftpd-hpa and dnsmasq), selected by tshark; when none is usable, synthetic boots.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LINKTYPE_ETHERNET, readClassicPcap } from './classic-pcap.js';
import { lastErrorLine, onPath } from './measure.js';
import type { Prng } from './prng.js';
import { syntheticPhoneBoot } from './synthetic-phone-boot.js';

export interface TimedFrame {
  /** Microseconds after the boot's first frame. */
  readonly offsetMicros: number;
  /** An Ethernet frame. */
  readonly data: Buffer;
}

export interface PhoneBoot {
  readonly label: string;
  readonly frames: readonly TimedFrame[];
}

export interface PhoneBootSource {
  /** One boot per slot of the capture, in order. */
  readonly boots: readonly PhoneBoot[];
  /** Where the boots came from, and which fixture captures were passed over and why. */
  readonly notes: readonly string[];
}

const CAPTURE_EXTENSIONS = ['.pcap', '.pcapng', '.cap'];
const DHCP_ACK = '5';
const TFTP_RRQ = '1';

/**
 * Changes whenever the boots `phoneBoots` would make could change (the fixture captures'
 * names and bytes, whether tshark is there to read them), without running tshark.
 * Changes to the synthetic boots are covered by the generator version.
 */
export function phoneBootsKey(fixtureDir: string): string {
  const hash = createHash('sha256').update(`tshark:${onPath('tshark')}`);
  for (const file of existsSync(fixtureDir) ? listCaptures(fixtureDir) : []) {
    hash.update(`\0${path.relative(fixtureDir, file)}\0`).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

export function phoneBoots(fixtureDir: string, count: number, prng: Prng): PhoneBootSource {
  const skipped = new Map<string, string[]>();
  const templates = fixtureBoots(fixtureDir, (name, reason) =>
    skipped.set(reason, [...(skipped.get(reason) ?? []), name]),
  );
  const notes = [...skipped].map(([reason, names]) => `fixtures skipped (${reason}): ${names.join(', ')}`);
  if (templates.length > 0) {
    notes.unshift(`phone boots: DHCP+TFTP frames of ${templates.map((t) => t.label).join(', ')}`);
    return { boots: Array.from({ length: count }, (_, i) => templates[i % templates.length] as PhoneBoot), notes };
  }
  const why = onPath('tshark')
    ? `no capture under ${fixtureDir} has a DHCP ACK and a TFTP read request on Ethernet`
    : 'tshark, needed to read the fixture captures, is not installed';
  notes.unshift(`phone boots: synthetic (${why})`);
  return { boots: Array.from({ length: count }, (_, i) => syntheticPhoneBoot(i, prng)), notes };
}

/** One boot per fixture capture that holds at least a DHCP ACK and a TFTP read request on Ethernet. */
function fixtureBoots(fixtureDir: string, skip: (name: string, reason: string) => void): PhoneBoot[] {
  if (!existsSync(fixtureDir) || !onPath('tshark')) return [];
  const files = listCaptures(fixtureDir);
  if (files.length === 0) return [];
  const work = mkdtempSync(path.join(tmpdir(), 'phonedoc-bench-fixture-'));
  try {
    const boots: PhoneBoot[] = [];
    for (const file of files) {
      const name = path.relative(fixtureDir, file);
      const selected = path.join(work, 'selected.pcap');
      let fields: string;
      try {
        fields = execFileSync(
          'tshark',
          [
            '-n',
            '-r',
            file,
            '-Y',
            'dhcp || tftp',
            '-F',
            'pcap',
            '-w',
            selected,
            '-P',
            '-T',
            'fields',
            '-e',
            'dhcp.option.dhcp',
            '-e',
            'tftp.opcode',
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
        );
      } catch (err) {
        skip(name, `tshark could not select their DHCP/TFTP frames: ${errorLine(err)}`);
        continue;
      }
      const rows = fields
        .split('\n')
        .filter((row) => row !== '')
        .map((row) => row.split('\t'));
      if (!rows.some(([dhcp]) => dhcp?.split(',').includes(DHCP_ACK)) || !rows.some(([, tftp]) => tftp === TFTP_RRQ)) {
        skip(name, 'not both a DHCP ACK and a TFTP read request');
        continue;
      }
      const pcap = readClassicPcap(readFileSync(selected), name);
      if (pcap.linkType !== LINKTYPE_ETHERNET) {
        skip(name, `link type ${pcap.linkType}, the bench capture is Ethernet`);
        continue;
      }
      const start = pcap.records[0]?.timeMicros ?? 0;
      boots.push({
        label: `fixture ${name}`,
        frames: pcap.records.map((r) => ({
          offsetMicros: Math.max(0, r.timeMicros - start),
          data: Buffer.from(r.data),
        })),
      });
    }
    return boots;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function listCaptures(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && CAPTURE_EXTENSIONS.includes(path.extname(entry.name)))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function errorLine(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  const line = typeof stderr === 'string' ? lastErrorLine(stderr) : '';
  return line !== '' ? line : err instanceof Error ? err.message : String(err);
}
