/**
 * Every lab bundle in captures/ (real dnsmasq and tftpd-hpa, a simulated phone): analyze must
 * report each ID the bundle's expected.json lists and none it rules out, on the bundle's
 * phones only; a phone whose every request was answered and that showed no error gets no
 * error finding. Each input alone must also stay clear of the ruled-out IDs. The server logs
 * are the TFTP server's and the DHCP server's (dnsmasq, which logs with --log-dhcp). The bundles are
 * found at run time, so new scenarios are checked without touching this file.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import type { AnalyzeInputs } from '../../src/engine/input-events.js';
import { validateAgainstSchema } from '../../src/findings/report-schema.js';
import { repoRoot } from '../helpers.js';

interface ExpectedPhone {
  readonly name: string;
  readonly image?: string;
  readonly address?: string;
  readonly stoppedWith?: string;
  /** How the simulated phone's boots ended: `settled` when it runs `image`. */
  readonly end?: string;
  readonly requests: readonly { readonly file: string; readonly outcome: string }[];
}

interface Expected {
  readonly report: readonly string[];
  readonly notReport: readonly string[];
  /** The console clock offset analyze must find, within `within` seconds, by `method`. */
  readonly consoleOffset?: { readonly seconds: number; readonly within: number; readonly method: string };
  readonly phones: readonly ExpectedPhone[];
}

const capturesDir = path.join(repoRoot, 'captures');
const scenarios = readdirSync(capturesDir)
  .filter((d) => existsSync(path.join(capturesDir, d, 'expected.json')))
  .sort();

function inputsOf(dir: string): AnalyzeInputs {
  const files = readdirSync(dir);
  const capture = ['capture.pcapng', 'capture.pcap'].find((f) => files.includes(f));
  return {
    captures: capture ? [path.join(dir, capture)] : [],
    consoles: files
      .filter((f) => /^console-.*\.log$/.test(f))
      .sort()
      .map((f) => path.join(dir, f)),
    serverLogs: ['tftpd.log', 'dnsmasq.log'].filter((f) => files.includes(f)).map((f) => path.join(dir, f)),
    ...(files.includes('tftp-root') ? { tftpRoot: path.join(dir, 'tftp-root') } : {}),
  };
}

const macOf = (name: string): string => parseMac(name.replace(/^sep/i, ''))!.canonical;

async function analyse(inputs: AnalyzeInputs) {
  const { analysis } = await analyzeFiles(inputs, { version: 'test' }, () => {});
  assert.deepEqual(validateAgainstSchema(JSON.parse(JSON.stringify(analysis.report))), []);
  return analysis;
}

describe('analyze on the lab bundles of captures/', () => {
  it('finds the bundles', () => assert.ok(scenarios.length > 0));
  for (const scenario of scenarios) {
    const dir = path.join(capturesDir, scenario);
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
    const macs = new Set(expected.phones.map((p) => macOf(p.name)));

    it(`${scenario}: expected IDs on its phones, none ruled out`, async () => {
      const analysis = await analyse(inputsOf(dir));
      const ids = new Set<string>(analysis.report.findings.map((f) => f.id));
      for (const id of expected.report) assert.ok(ids.has(id), `${id} expected; found ${[...ids].join(', ')}`);
      for (const id of expected.notReport) assert.ok(!ids.has(id), `${id} must not be reported`);
      for (const f of analysis.report.findings)
        if (f.phone?.mac)
          assert.ok(macs.has(f.phone.mac), `${f.id} is about ${f.phone.mac}, not a phone of the bundle`);
      for (const p of expected.phones) {
        const phone = analysis.phones.find((a) => a.phone.mac === macOf(p.name));
        assert.ok(phone, `phone ${p.name} not found`);
        if (p.address) assert.equal(phone.phone.ip, p.address);
        // The image the phone ends on is the one it ran, or the one it was sent to and took.
        if (p.image && p.end === 'settled' && phone.phone.running)
          assert.ok(
            [phone.phone.running.image, phone.phone.target?.image].includes(p.image),
            `${p.name} ends on ${p.image}`,
          );
        const clean = !p.stoppedWith && p.requests.every((r) => r.outcome === 'complete' || /^CTLSEP/.test(r.file));
        const unexpected = phone.findings.filter((f) => f.severity === 'error' && !expected.report.includes(f.id));
        if (clean)
          assert.deepEqual(
            unexpected.map((f) => f.id),
            [],
            `${p.name} had every file it asked for`,
          );
        assert.ok(phone.verdict.length > 0);
        // A consequence points at a cause reported for the same phone, and comes after it.
        phone.findings.forEach((f, i) => {
          if (!f.causedBy) return;
          const cause = phone.findings.findIndex((c) => c.id === f.causedBy);
          assert.ok(cause >= 0 && cause < i, `${f.id} is caused by ${f.causedBy}, which must come first`);
        });
      }
    });

    if (expected.consoleOffset) {
      const want = expected.consoleOffset;
      it(`${scenario}: the console lined up ${want.seconds} s (within ${want.within} s), every line on the timeline with a time`, async () => {
        const analysis = await analyse(inputsOf(dir));
        const clock = analysis.clocks.find((c) => c.source === 'console');
        assert.ok(clock, 'a console clock');
        assert.equal(clock.method, want.method, clock.detail);
        assert.ok(
          Math.abs(clock.offsetSeconds - want.seconds) <= want.within,
          `offset ${clock.offsetSeconds}, expected ${want.seconds} ± ${want.within}`,
        );
        const unaligned = analysis.report.findings.find((f) => f.id === 'CLOCKS_UNALIGNED');
        assert.ok(unaligned, 'CLOCKS_UNALIGNED');
        assert.match(
          unaligned.explanation,
          new RegExp(`${clock.matches} (?:events|screen states?)`),
          'names how many events matched',
        );
        for (const phone of analysis.phones) {
          for (const e of phone.timeline) assert.ok(e.time !== undefined, `${e.lane} ${e.text} has no time`);
        }
      });
    }

    it(`${scenario}: each input alone reports nothing ruled out`, async () => {
      const all = inputsOf(dir);
      const alone: AnalyzeInputs[] = [
        ...all.captures.map((c) => ({ captures: [c], consoles: [], serverLogs: [] })),
        ...all.consoles.map((c) => ({ captures: [], consoles: [c], serverLogs: [] })),
        ...all.serverLogs.map((s) => ({ captures: [], consoles: [], serverLogs: [s] })),
        ...(all.tftpRoot ? [{ captures: [], consoles: [], serverLogs: [], tftpRoot: all.tftpRoot }] : []),
      ];
      for (const inputs of alone) {
        const analysis = await analyse(inputs);
        const ids: string[] = analysis.report.findings.map((f) => f.id);
        for (const id of expected.notReport)
          assert.ok(!ids.includes(id), `${id} must not be reported from ${JSON.stringify(inputs)}`);
      }
    });
  }
});
