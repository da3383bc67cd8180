/**
 * The lab's scenario files and the bundles generated from them (captures/<scenario>/): every
 * scenario is well-formed and has its bundle; each bundle is small; `phonedoc decode` and
 * `phonedoc transfers` read its capture without a warning; every file rebuilt from the capture
 * equals the one served; the simulated console is marked simulated and every line of it is
 * one the console recognisers know. No root needed (the bundles are read, not made).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliPath, repoRoot } from '../helpers.js';
import { checkScenario, type Scenario } from '../lab/phone/scenario.js';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { parseConsoleLog } from '../../parsers/console/parse.js';

const SCENARIOS = path.join(repoRoot, 'test', 'lab', 'scenarios');
const CAPTURES = path.join(repoRoot, 'captures');
const names = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json')).sort();

function cli(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

interface TransferRow {
  type: string;
  file?: string;
  outcome?: string;
  sha256?: string | null;
  notes?: unknown[];
}

describe('lab scenarios', () => {
  test('there is a clean conversion each way, a failing site and the network error IDs', () => {
    const all = names.map((n) => JSON.parse(readFileSync(path.join(SCENARIOS, n), 'utf8')) as Scenario);
    const reported = new Set(all.flatMap((s) => s.expect.report));
    for (const id of ['DHCP_NO_OFFER', 'DHCP_MULTIPLE_SERVERS', 'TFTP_SERVER_UNREACHABLE', 'CONVERSION_SUCCEEDED']) {
      assert.ok(reported.has(id), `no scenario expects ${id}`);
    }
    assert.ok(all.some((s) => s.phones.length > 1), 'no site with several phones');
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
        assert.ok(existsSync(path.join(dir, 'expected.json')), `no bundle: run npx tsx test/lab/generate-captures.ts ${name}`);
        const size = readdirSync(dir, { recursive: true })
          .map((f) => path.join(dir, String(f)))
          .filter((f) => statSync(f).isFile())
          .reduce((n, f) => n + statSync(f).size, 0);
        assert.ok(size < 2 * 1024 * 1024, `${size} bytes`);
        const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { report: string[]; notReport: string[] };
        assert.deepEqual(expected.report, scenario.expect.report);
        assert.deepEqual(expected.notReport, scenario.expect.notReport);
      });

      test('decode reads the capture without a warning', () => {
        const r = cli(['decode', '--format', 'jsonl', path.join(dir, 'capture.pcap')]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.doesNotMatch(r.stdout, /"warnings":\[\{/);
        assert.ok(r.stdout.split('\n').some((l) => l.includes('"proto":"dhcp"')), 'no DHCP in the capture');
      });

      test('transfers reads the capture without a warning, and rebuilt files equal the served ones', () => {
        const r = cli(['transfers', '--format', 'jsonl', path.join(dir, 'capture.pcap')]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as TransferRow);
        for (const t of rows.filter((row) => row.type === 'tftp-transfer' && row.outcome === 'complete')) {
          const served = readFileSync(path.join(dir, 'tftp-root', path.posix.normalize(t.file ?? '')));
          assert.equal(t.sha256, createHash('sha256').update(served).digest('hex'), `${t.file} rebuilt differs from the served file`);
          assert.deepEqual(t.notes ?? [], [], `${t.file}: ${JSON.stringify(t.notes)}`);
        }
      });

      test('the simulated console is marked simulated and fully recognised', () => {
        for (const phone of scenario.phones) {
          const text = readFileSync(path.join(dir, `console-${phone.name}.log`), 'utf8');
          assert.equal(readConsoleLog(text).simulated, true);
          const parsed = parseConsoleLog(text);
          const raw = parsed.events.filter((e) => e.kind === 'raw').map((e) => e.raw);
          assert.deepEqual(raw, [], 'console lines no recogniser knows');
        }
      });
    });
  }
});

// Keeps tshark's view and ours in step: the number of TFTP read requests agrees.
test('tshark sees the same read requests as transfers', (t) => {
  try {
    execFileSync('sh', ['-c', 'command -v tshark'], { stdio: 'ignore' });
  } catch {
    if (process.env.CI === 'true') throw new Error('tshark missing');
    t.skip('tshark is not installed');
    return;
  }
  for (const file of names) {
    const cap = path.join(CAPTURES, file.slice(0, -5), 'capture.pcap');
    if (!existsSync(cap)) continue;
    const theirs = execFileSync('tshark', ['-n', '-r', cap, '-Y', 'tftp.opcode == 1', '-T', 'fields', '-e', 'tftp.source_file'], { encoding: 'utf8' })
      .split('\n').filter(Boolean);
    const ours = cli(['decode', '--format', 'jsonl', cap]).stdout.split('\n').filter((l) => /"opcode":"RRQ"/.test(l));
    assert.equal(ours.length, theirs.length, file);
  }
});
