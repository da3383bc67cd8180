import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import { pathJson } from '../../src/commands/path.js';
import { findUpgradePath } from '../../src/upgrade/find-path.js';
import { runCli } from '../run-cli.js';
import { nth } from '../helpers.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function phonedoc(...args: string[]): Promise<Run> {
  const run = await runCli('path', ...args);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('phonedoc path --format json', () => {
  it('has exactly {legal, steps: [{image, protocol, version, files, why}], reason}, versions written as Cisco does', async () => {
    const run = await phonedoc('--from', 'SIP 8.12', '--to', 'SCCP 8.1(2)SR2', '--format', 'json');
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['legal', 'steps', 'reason']);
    assert.equal(json.legal, true);
    assert.equal(typeof json.reason, 'string');
    const steps = json.steps as Record<string, unknown>[];
    assert.equal(steps.length, 1);
    assert.deepEqual(Object.keys(nth(steps, 0)), ['image', 'protocol', 'version', 'files', 'why']);
    assert.deepEqual(
      { image: nth(steps, 0).image, protocol: nth(steps, 0).protocol, version: nth(steps, 0).version },
      { image: 'P0030801SR02', protocol: 'SCCP', version: '8.1(2)SR2' },
    );
    assert.ok((nth(steps, 0).files as string[]).includes('P0030801SR02.sb2'));
    assert.match(nth(steps, 0).why as string, /SIP 7\.x/);
  });

  it('SIP versions as 8.12, reached from an image name with the padded spelling', async () => {
    const run = await phonedoc('--from', 'P00308010200', '--to', 'P0S3-08-12-00', '--format', 'json');
    const json = JSON.parse(run.stdout) as { steps: { image: string; version: string; files: string[] }[] };
    assert.equal(nth(json.steps, 0).version, '8.12');
    assert.equal(nth(json.steps, 0).image, 'P0S3-8-12-00');
    assert.deepEqual(nth(json.steps, 0).files.slice(0, 4), [
      'P0S3-8-12-00.loads',
      'P0S3-8-12-00.sb2',
      'P003-8-12-00.bin',
      'P003-8-12-00.sbn',
    ]);
  });

  it('an impossible path: legal false, no steps, the reason, exit 1', async () => {
    const run = await phonedoc('--from', 'SIP 8.12', '--to', 'SIP 4.4', '--format', 'json');
    assert.equal(run.code, 1);
    const json = JSON.parse(run.stdout) as { legal: boolean; steps: unknown[]; reason: string };
    assert.equal(json.legal, false);
    assert.deepEqual(json.steps, []);
    assert.match(json.reason, /signed/);
  });
});

describe('phonedoc path answers as the path finder does, in every direction', () => {
  // Upgrade and downgrade inside each protocol and across; each rule is checked one by one in
  // upgrade-rules.test.ts, these runs check that the CLI carries the answers out unchanged.
  const cases: readonly (readonly [string, string])[] = [
    ['SCCP 3.3(3)', 'SIP 8.12'],
    ['SCCP 8.1(2)', 'SIP 5.3'],
    ['SIP 4.4', 'SCCP 8.1(2)'],
    ['SIP 8.12', 'SCCP 5.0(2)'],
    ['SIP 2.1', 'SIP 8.12'],
    ['SIP 6.3', 'SIP 6.0'],
    ['SCCP 3.3(3)', 'SCCP 8.1(2)SR2'],
    ['SCCP 8.1(2)SR2', 'SCCP 5.0(2)'],
    ['SIP 5.3', 'SCCP 3.3(3)'],
  ];
  it(cases.map(([a, b]) => `${a} → ${b}`).join(', '), async () => {
    const runs = await Promise.all(
      cases.map(async ([a, b]) => ({ a, b, run: await phonedoc('--from', a, '--to', b, '--format', 'json') })),
    );
    for (const { a, b, run } of runs) {
      const expected = findUpgradePath(parseProtocolVersion(a)!, parseProtocolVersion(b)!);
      assert.equal(run.code, expected.legal ? 0 : 1, `${a} → ${b}: ${run.stderr}`);
      assert.deepEqual(JSON.parse(run.stdout), pathJson(expected), `${a} → ${b}`);
    }
    assert.equal(runs.filter((r) => r.run.code === 1).length, 1, 'only SIP 5.3 → SCCP 3.3(3) is impossible');
  });

  it('--release adds a release to plan through (SIP 3.x → the latest SCCP 4.x first, seed)', async () => {
    const run = await phonedoc(
      '--from',
      'SIP 3.0',
      '--to',
      'SCCP 8.1(2)',
      '--release',
      'SCCP 4.1(3)',
      '--format',
      'json',
    );
    const json = JSON.parse(run.stdout) as { steps: { protocol: string; version: string }[] };
    assert.deepEqual(
      json.steps.map((s) => `${s.protocol} ${s.version}`),
      ['SCCP 4.1(3)', 'SCCP 8.1(2)'],
    );
  });
});

describe('phonedoc path text output', () => {
  it('numbered steps with the files, how to name the image and why', async () => {
    const run = await phonedoc('--from', 'SIP', '4.4', '--to', 'SIP', '8.12');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^SIP 4\.4 \(P0S3-04-4-00\) → SIP 8\.12 \(P0S3-8-12-00\): 4 steps\./);
    for (const [n, label] of [
      [1, 'SIP 5.3: P0S3-05-3-00'],
      [2, 'SIP 6.3: P0S3-06-3-00'],
      [3, 'SIP 7.5: P0S3-07-5-00'],
      [4, 'SIP 8.12: P0S3-8-12-00'],
    ] as const) {
      assert.match(run.stdout, new RegExp(`^${n}\\. ${label.replace(/\./g, '\\.')}$`, 'm'));
    }
    const text = run.stdout.replace(/\s+/g, ' ');
    assert.match(text, /TFTP root: P0S3-8-12-00\.loads, P0S3-8-12-00\.sb2, P003-8-12-00\.bin, P003-8-12-00\.sbn/);
    assert.match(text, /Name it: +- SIPDefault\.cnf has image_version: "P0S3-8-12-00"/);
    assert.match(text, /Why: +From SIP 4\.4 the next step is 5\.3/);
    assert.match(text, /Not in one step: .*no direct jump to 7\.x/);
    assert.ok(
      run.stdout.split('\n').every((line) => line.length <= 80),
      'wrapped to 80 columns',
    );
  });

  it('an impossible path says so, with the reason, exit 1', async () => {
    const run = await phonedoc('--from', 'SCCP 8.1(2)', '--to', 'SCCP 3.3(3)');
    assert.equal(run.code, 1);
    assert.match(
      run.stdout.replace(/\n/g, ' '),
      /^No legal path from SCCP 8\.1\(2\) \(P00308010200\) to SCCP 3\.3\(3\) \(P00303030300\): there is no route\./,
    );
    assert.match(run.stdout, /cannot go back to an unsigned load or below 5\.0/);
  });

  it('lower-case versions and names are accepted (sip8.12, p00308010200)', async () => {
    const run = await phonedoc('--from', 'p00308010200', '--to', 'sip8.12');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^1\. SIP 8\.12: P0S3-8-12-00$/m);
  });
});

describe('bad input: exit 2 with a sentence naming the accepted forms, no stack trace', () => {
  const bad: readonly (readonly [string, string[], RegExp])[] = [
    [
      'an unparseable image',
      ['--from', 'firmware.bin', '--to', 'SIP 8.12'],
      /"firmware\.bin" matches no Cisco 7940\/7960 image scheme/,
    ],
    ['a bare version without protocol', ['--from', '8.12', '--to', 'SIP 8.12'], /--from "8\.12"/],
    ['letter O for zero', ['--from', 'POS3-07-4-00', '--to', 'SIP 8.12'], /Did you mean P0S3-07-4-00\?/],
    ['the loader', ['--from', 'SIP 7.5', '--to', 'P003-8-12-00'], /Universal Application Loader.*P0S3-8-12-00/],
    ['a 7905/7912 image', ['--from', 'CP7940080001SIP060412A.sbin', '--to', 'SIP 8.12'], /7905G\/7912G/],
    ['a bad --release', ['--from', 'SIP 7.5', '--to', 'SIP 8.12', '--release', 'four'], /--release "four"/],
  ];
  for (const [what, args, message] of bad) {
    it(what, async () => {
      const run = await phonedoc(...args);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      if (what !== 'a bad --release') assert.match(run.stderr, /Give an image name .* or a protocol and version/);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    });
  }

  it('a missing --to or an unknown --format is a usage error (exit 2)', async () => {
    assert.equal((await phonedoc('--from', 'SIP 8.12')).code, 2);
    assert.equal((await phonedoc('--from', 'SIP 8.12', '--to', 'SIP 7.5', '--format', 'xml')).code, 2);
  });
});
