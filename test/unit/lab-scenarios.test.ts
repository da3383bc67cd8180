/**
 * The lab's scenario files and the bundles generated from them (captures/<scenario>/): every
 * scenario is well-formed and has its bundle; each bundle is small; `phonedoc decode` and
 * `phonedoc transfers` read its capture without a warning; every file rebuilt from the capture
 * equals the one served; the simulated console is marked simulated and every line of it is
 * one the console recognisers know. Captures made faulty on purpose (cut by the snap length,
 * started late) are checked for that fault instead. No root needed (the bundles are read, not made).
 * The captures are decoded in process, as the commands print them; tshark's view of the same
 * captures is compared frame by frame in the slow suite (decode-tshark).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeInProcess, transfersInProcess, type InProcessRun } from '../decode-in-process.js';
import { repoRoot } from '../helpers.js';
import { catalog } from '../../src/findings/catalog.js';
import { checkScenario, type Scenario } from '../lab/phone/scenario.js';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { parseConsoleLog } from '../../parsers/console/parse.js';

const SCENARIOS = path.join(repoRoot, 'test', 'lab', 'scenarios');
const CAPTURES = path.join(repoRoot, 'captures');
const names = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.json'))
  .sort();

interface TransferRow {
  type: string;
  file?: string;
  outcome?: string;
  sha256?: string | null;
  notes?: unknown[];
}

async function decodeLines(file: string): Promise<Record<string, unknown>[]> {
  const r = await decodeInProcess(file);
  assert.deepEqual(r.problems, []);
  return r.records;
}

describe('lab scenarios', () => {
  const all = names.map((n) => JSON.parse(readFileSync(path.join(SCENARIOS, n), 'utf8')) as Scenario);

  test('every error and warning ID of the catalog has a scenario that must report it', () => {
    const reported = new Set(all.flatMap((s) => s.expect.report));
    const missing = [...catalog.values()].filter((e) => e.severity !== 'info' && !reported.has(e.id)).map((e) => e.id);
    assert.deepEqual(missing, []);
    assert.ok(reported.has('CONVERSION_SUCCEEDED'), 'no clean conversion');
    assert.ok(
      all.some((s) => s.phones.length > 1),
      'no site with several phones',
    );
  });

  test('a scenario file with bad lab options is refused, naming each problem', () => {
    const good = all.find((s) => s.name === 'sip-812-boot')!;
    const bad: Scenario = {
      ...good,
      tftpStallAfterBlock: 0,
      capture: { snaplen: 20, startLateMs: -1 },
      phones: [{ ...good.phones[0]!, previousAddress: '10.1.2.3', retry: { times: -1, pauseMs: 1.5 } }],
    };
    const problems = checkScenario(bad, 'sip-812-boot.json').join('\n');
    assert.match(problems, /tftpStallAfterBlock/);
    assert.match(problems, /snaplen/);
    assert.match(problems, /startLateMs/);
    assert.match(problems, /10\.1\.2\.3/);
    assert.match(problems, /retry/);
  });

  test('at least two bundles hold a pcapng copy of their capture, with the same frames', async () => {
    const withPcapng = all.filter((s) => s.pcapng);
    assert.ok(withPcapng.length >= 2, `${withPcapng.length} scenario(s) with pcapng`);
    for (const s of withPcapng) {
      const dir = path.join(CAPTURES, s.name);
      assert.deepEqual(
        await decodeLines(path.join(dir, 'capture.pcapng')),
        await decodeLines(path.join(dir, 'capture.pcap')),
        s.name,
      );
    }
  });

  for (const file of names) {
    const name = file.slice(0, -5);
    describe(name, () => {
      const scenario = JSON.parse(readFileSync(path.join(SCENARIOS, file), 'utf8')) as Scenario;
      const dir = path.join(CAPTURES, name);

      test('the scenario file is well-formed', () => {
        assert.deepEqual(checkScenario(scenario, file), []);
      });

      test('its bundle exists and is under 2 MB', () => {
        assert.ok(
          existsSync(path.join(dir, 'expected.json')),
          `no bundle: run npx tsx test/lab/generate-captures.ts ${name}`,
        );
        const size = readdirSync(dir, { recursive: true })
          .map((f) => path.join(dir, String(f)))
          .filter((f) => statSync(f).isFile())
          .reduce((n, f) => n + statSync(f).size, 0);
        assert.ok(size < 2 * 1024 * 1024, `${size} bytes`);
        const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
          report: string[];
          notReport: string[];
        };
        assert.deepEqual(expected.report, scenario.expect.report);
        assert.deepEqual(expected.notReport, scenario.expect.notReport);
      });

      const snaplen = scenario.capture?.snaplen;
      const late = scenario.capture?.startLateMs !== undefined;
      const cut = scenario.capture?.cutAtFraction !== undefined;
      /** A capture cut on purpose: damaged, and one problem naming the byte offset of the cut; else no problem. */
      const readsAsMade = (r: InProcessRun): void => {
        if (!cut) {
          assert.deepEqual(r.problems, []);
          return;
        }
        assert.ok(r.damaged);
        const m =
          /capture\.pcap: error at byte offset (\d+) \(frame (\d+)\): file ends in the middle of frame \2\b/.exec(
            r.problems.join('\n'),
          );
        assert.ok(m, r.problems.join('\n'));
        assert.ok(Number(m[1]) < statSync(path.join(dir, 'capture.pcap')).size, 'the cut is inside the file');
      };

      test(
        snaplen
          ? `decode marks the long frames cut at ${snaplen} bytes and no read request`
          : cut
            ? 'decode reads the capture up to the cut and names where it is'
            : 'decode reads the capture without a warning',
        async () => {
          const r = await decodeInProcess(path.join(dir, 'capture.pcap'));
          readsAsMade(r);
          const lines = r.records as {
            proto?: string;
            opcode?: string;
            truncated?: boolean;
            chaddr?: string;
            warnings?: unknown;
          }[];
          if (snaplen) {
            // Full 512-byte blocks and every DHCP message are longer than the snap length; a read request is not.
            assert.ok(
              lines.some((l) => l.opcode === 'DATA' && l.truncated),
              'no DATA frame marked cut',
            );
            assert.ok(
              lines.filter((l) => l.proto === 'dhcp').every((l) => l.truncated),
              'a DHCP message not marked cut',
            );
            assert.deepEqual(
              lines.filter((l) => l.opcode === 'RRQ' && l.truncated),
              [],
              'read requests marked cut',
            );
          } else {
            assert.deepEqual(
              lines.filter((l) => l.warnings !== undefined),
              [],
            );
          }
          const macs = scenario.phones.map((p) => p.mac.toLowerCase());
          const phoneDhcp = lines.filter((l) => l.proto === 'dhcp' && macs.includes(l.chaddr ?? ''));
          if (late) {
            // Started after the phone's DHCP: none of it is in the capture, while the console shows it.
            assert.deepEqual(phoneDhcp, [], 'the late capture holds DHCP of the phone');
            const console0 = readFileSync(path.join(dir, `console-${scenario.phones[0]!.name}.log`), 'utf8');
            assert.match(console0, /DHCP BOUND/);
            assert.ok(
              lines.some((l) => l.opcode === 'RRQ'),
              'the late capture holds none of the later requests',
            );
          } else {
            assert.ok(phoneDhcp.length > 0, 'no DHCP of the phones in the capture');
          }
        },
      );

      test('transfers reads the capture without a warning, and rebuilt files equal the served ones', async () => {
        const r = await transfersInProcess(path.join(dir, 'capture.pcap'));
        readsAsMade(r);
        const rows = r.records as unknown as TransferRow[];
        // Cut frames hold no file contents to compare.
        if (snaplen) return;
        for (const t of rows.filter((row) => row.type === 'tftp-transfer' && row.outcome === 'complete')) {
          const served = readFileSync(path.join(dir, 'tftp-root', path.posix.normalize(t.file ?? '')));
          assert.equal(
            t.sha256,
            createHash('sha256').update(served).digest('hex'),
            `${t.file} rebuilt differs from the served file`,
          );
          assert.deepEqual(t.notes ?? [], [], `${t.file}: ${JSON.stringify(t.notes)}`);
        }
      });

      test('the simulated console is marked simulated and fully recognised (none of it at the wrong speed)', () => {
        for (const phone of scenario.phones) {
          const noise = phone.consoleStyle === 'wrong-baud';
          const text = readFileSync(path.join(dir, `console-${phone.name}.log`), 'utf8');
          assert.equal(readConsoleLog(text).simulated, true);
          const parsed = parseConsoleLog(text);
          const raw = parsed.events.filter((e) => e.kind === 'raw').map((e) => e.raw);
          if (noise)
            assert.equal(
              raw.length,
              parsed.events.length,
              'a console at the wrong speed holds no line a recogniser knows',
            );
          else assert.deepEqual(raw, [], 'console lines no recogniser knows');
        }
      });
    });
  }
});
