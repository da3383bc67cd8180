/**
 * Every server log of the lab bundles (real tftpd-hpa and dnsmasq), broken as a mail program
 * breaks lines (at a space, `fold -s`) and as a terminal does (at the width, `fold`), reads
 * to the same events as the log itself, with no line left not understood.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { parseServerLog } from '../../parsers/server-log/parse.js';
import { repoRoot, utcSeconds } from '../helpers.js';

const CONTEXT = { referenceTime: utcSeconds('2026-11-26T08:00:00Z'), utcOffsetMinutes: 0 };
const captures = path.join(repoRoot, 'captures');
const logs = readdirSync(captures)
  .flatMap((d) => ['tftpd.log', 'dnsmasq.log'].map((f) => path.join(captures, d, f)))
  .filter((f) => existsSync(f));

/** As `fold -w width` (hard) or `fold -s -w width` (at the last space, which stays on the first part). */
function fold(text: string, width: number, atSpace: boolean): string {
  return text
    .split('\n')
    .map((line) => {
      const parts: string[] = [];
      let rest = line;
      while (rest.length > width) {
        const space = atSpace ? rest.lastIndexOf(' ', width - 1) : -1;
        const cut = space > 0 ? space + 1 : width;
        parts.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      parts.push(rest);
      return parts.join('\n');
    })
    .join('\n');
}

function summary(events: readonly ServerLogEvent[]): string[] {
  return events
    .filter((e) => e.raw.trim() !== '')
    .map((e) => {
      const r = e as unknown as Record<string, unknown>;
      return [e.kind, e.time, r.file, r.client, r.mac, r.ip, r.messageType, r.xid].map((v) => v ?? '').join(' ');
    });
}

describe('server logs broken by a mail program or a terminal', () => {
  it("finds the bundles' logs", () => assert.ok(logs.length >= 32));
  for (const [width, atSpace] of [
    [72, true],
    [60, true],
    [80, false],
    [60, false],
    [50, false],
    [40, false],
  ] as const) {
    it(`reads every bundle log folded at ${width}${atSpace ? ' at spaces' : ''} as the log itself`, () => {
      for (const file of logs) {
        const text = readFileSync(file, 'latin1');
        const whole = parseServerLog(text, CONTEXT);
        const broken = parseServerLog(fold(text, width, atSpace), CONTEXT);
        // A break may leave a line of nothing but the trailing space dnsmasq writes: blank, not counted.
        assert.deepEqual(
          broken.filter((e) => e.kind === 'raw' && e.raw.trim() !== '').map((e) => e.raw),
          [],
          file,
        );
        assert.deepEqual(summary(broken), summary(whole), file);
      }
    });
  }
});
