/**
 * The server-log reader on what no server writes: random bytes, invalid UTF-8, real lines
 * with bytes flipped or cut, very long lines. It must never throw and must account for every
 * non-blank line (one event each, or one joined event for several). Fixed seed, bounded size.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { parseServerLog } from '../../parsers/server-log/parse.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { readServerLogFile } from '../../src/sources/server-log-file.js';
import { utcSeconds } from '../helpers.js';

const CONTEXT = { referenceTime: utcSeconds('2026-12-07T06:00:00Z'), utcOffsetMinutes: 0 };

/** mulberry32: a small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'Nov 26 08:03:37 tftpserver in.tftpd[25762]: RRQ from 192.0.2.106 filename CTLSEP000E84C060A6.tlv',
  'Nov 26 08:03:37 dnsmasq-dhcp[25735]: 1611704297 DHCPOFFER(s0) 192.0.2.106 00:0e:84:c0:60:a6 ',
  'Dec  7 05:58:52 vm dnsmasq-tftp[10000]: file /srv/tftp/nosuch.cnf.xml not found for 192.168.77.200',
  'Dec  7 06:00:09 vm local7.warn dhcpd: DHCPOFFER on 192.168.77.60 to 00:11:22:33:44:55 (SEP001122334455) via veth0',
  '2026-12-07 06:10:00.123 INFO  [kea-dhcp4.packets/812.140245] DHCP4_PACKET_RECEIVED [hwtype=1 00:0e:84:c0:60:a6], ' +
    'cid=[no info], tid=0x1a: DHCPDISCOVER (type 1) received from 0.0.0.0 to 255.255.255.255 on interface eth0',
  '<30>1 2026-12-07T05:58:44.366508+00:00 vm in.tftpd 811 - [a b="c\\"]"] RRQ from 192.0.2.1 filename x#015',
  '{"__REALTIME_TIMESTAMP":"1796623124366508","SYSLOG_IDENTIFIER":"in.tftpd","MESSAGE":[82,82,81]}',
  'Read request for file <SEP001122334455.cnf.xml>. Mode octet [07/12 06:00:42.123]',
  '123: *Mar  1 00:01:02.345 UTC: TFTP: Looking for SEP000E84C060A6.cnf.xml',
];

function mutate(line: string, next: () => number): Buffer {
  const bytes = Buffer.from(line, 'utf8');
  const out = Buffer.from(bytes);
  const flips = 1 + Math.floor(next() * 6);
  for (let i = 0; i < flips; i++) out[Math.floor(next() * out.length)] = Math.floor(next() * 256);
  return next() < 0.3 ? out.subarray(0, Math.floor(next() * out.length)) : out;
}

function noise(next: () => number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = next() < 0.2 ? 0x0a : Math.floor(next() * 256);
  return out;
}

/** Physical lines each event stands for. */
function covered(events: readonly ServerLogEvent[]): number {
  return events.reduce((n, e) => n + 1 + (e.joined ?? 0), 0);
}

describe('server-log reader fuzz (seeded)', () => {
  it('never throws on mutated lines and random bytes, and gives every line an event', () => {
    const next = random(0x5eed);
    for (let round = 0; round < 300; round++) {
      const parts: Buffer[] = [];
      const count = 1 + Math.floor(next() * 8);
      for (let i = 0; i < count; i++) {
        parts.push(
          next() < 0.7
            ? mutate(SEEDS[Math.floor(next() * SEEDS.length)]!, next)
            : noise(next, Math.floor(next() * 200)),
        );
        parts.push(Buffer.from('\n'));
      }
      const text = Buffer.concat(parts).toString('latin1');
      const events = parseServerLog(text, CONTEXT);
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      assert.equal(covered(events), lines.length, `round ${round}`);
    }
  });

  it('reads long lines, invalid UTF-8 and NUL bytes from a file without throwing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-fuzz-'));
    try {
      const next = random(42);
      const file = path.join(dir, 'server.log');
      const long = `Nov 26 08:03:37 tftpserver in.tftpd[1]: RRQ from 192.0.2.106 filename ${'A '.repeat(50_000)}`;
      writeFileSync(
        file,
        Buffer.concat([
          Buffer.from(`${long}\n${' '.repeat(70_000)}x\n`),
          Buffer.from([0xc3, 0x28, 0x0a, 0xff, 0xfe, 0x00, 0x0a, 0xe2, 0x82, 0x0a]),
          noise(next, 20_000),
          Buffer.from(
            '\nNov 26 08:03:37 tftpserver in.tftpd[1]: RRQ from 192.0.2.106 filename caf\xe9.cnf\n',
            'latin1',
          ),
        ]),
      );
      const events: EngineEvent[] = [];
      await readServerLogFile(file, (e) => events.push(e));
      const last = events.filter((e) => e.kind === 'server').at(-1)!;
      assert.ok(
        last.source === 'server-log' &&
          last.kind === 'server' &&
          last.event.kind === 'request' &&
          last.event.file === 'caf\u00e9.cnf',
        'a Latin-1 line after the noise is still read',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
