import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { REPORT_JSON_SCHEMA, validateAgainstSchema } from '../../src/findings/report-schema.js';
import type { Report } from '../../src/findings/report-schema.js';
import { fixture } from '../helpers.js';
import { runCli } from '../run-cli.js';

const valid: Report = {
  tool: 'phonedoc',
  version: '0.1.0',
  command: 'lint',
  inputs: [{ kind: 'tftp-root', path: '/srv/tftp' }],
  phones: [
    {
      mac: '00:0e:84:c0:60:a6',
      model: '7960',
      running: { protocol: 'SIP', version: '6.3', image: 'P0S3-06-3-00' },
      target: { protocol: 'SIP', version: '8.12', image: 'P0S3-8-12-00' },
      flow: 'sip-upgrade-loader',
      lastStep: 'Likely refuses P0S3-8-12-00.sb2 after 2 boots.',
      requests: [{ file: 'OS79XX.TXT', answer: 'found', predicted: true }],
    },
  ],
  findings: [
    {
      id: 'UPGRADE_PATH_BLOCKED',
      severity: 'error',
      phone: { mac: '00:0e:84:c0:60:a6' },
      title: 'The target image is not a legal step from the image the phone runs',
      explanation: 'SIP 6.3 cannot load 8.12 directly.',
      evidence: [{ source: 'tftp-root', file: 'OS79XX.TXT', line: 1, text: '"P003-8-12-00"' }],
      fix: ['Load P0S3-07-5-00 first.'],
    },
  ],
  summary: { error: 1, warning: 0, info: 0 },
  assumptions: [{ id: 'ILLEGAL_STEP_REFUSED', text: 'the phone refuses an illegal step' }],
};

/** A deep copy with one change made by `edit`, which breaks it in ways the report's type forbids. */
// biome-ignore lint/suspicious/noExplicitAny: the copy is edited as untyped JSON on purpose
type LooseJson = Record<string, any>;
function changed(edit: (r: LooseJson) => void): unknown {
  const copy = JSON.parse(JSON.stringify(valid)) as LooseJson;
  edit(copy);
  return copy;
}

describe('report schema and validator', () => {
  it('accepts a complete report', () => {
    assert.deepEqual(validateAgainstSchema(valid), []);
  });

  it('rejects what a consumer could not rely on, saying where', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['missing findings', changed((r) => delete r.findings), /\$: property "findings" is required/],
      ['unknown command', changed((r) => (r.command = 'scan')), /\$\.command: must be one of/],
      ['unknown top-level property', changed((r) => (r.extra = 1)), /\$: property "extra" is not allowed/],
      [
        'finding without evidence',
        changed((r) => (r.findings[0].evidence = [])),
        /\$\.findings\[0\]\.evidence: must hold at least 1/,
      ],
      [
        'evidence without text',
        changed((r) => delete r.findings[0].evidence[0].text),
        /evidence\[0\]: property "text" is required/,
      ],
      ['upper-case MAC', changed((r) => (r.phones[0].mac = '00:0E:84:C0:60:A6')), /\$\.phones\[0\]\.mac: must match/],
      ['line 0', changed((r) => (r.findings[0].evidence[0].line = 0)), /line: must be at least 1/],
      ['fractional line', changed((r) => (r.findings[0].evidence[0].line = 1.5)), /line: must be an integer/],
      ['unknown severity', changed((r) => (r.findings[0].severity = 'fatal')), /severity: must be one of/],
      ['unknown answer', changed((r) => (r.phones[0].requests[0].answer = 'maybe')), /answer: must be one of/],
      ['wrong tool', changed((r) => (r.tool = 'other')), /\$\.tool: must be "phonedoc"/],
    ];
    for (const [what, report, expected] of cases) {
      const problems = validateAgainstSchema(report);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${what}: ${problems.join('; ') || 'accepted'}`,
      );
    }
  });

  it('refuses a schema keyword it does not understand instead of ignoring it', () => {
    const schema = { ...REPORT_JSON_SCHEMA, maxProperties: 3 };
    assert.ok(validateAgainstSchema(valid, schema as never).some((p) => /"maxProperties" is not supported/.test(p)));
  });

  it("holds for lint's JSON output through the CLI, for every fixture root", async (t) => {
    const roots = readdirSync(fixture('tftp-roots'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    assert.ok(roots.length >= 11, roots.join(' '));
    const runs: string[][] = roots.map((r) => [fixture('tftp-roots', r)]);
    runs.push([
      fixture('tftp-roots', 'correct'),
      '--mac',
      '000E84C060A6',
      '--mac',
      '00:20:94:d2:45:cb',
      '--current',
      'SIP 6.3',
      '--target',
      'P0S3-8-12-00',
    ]);
    runs.push([
      fixture('tftp-roots', 'broken-os79xx-bin'),
      '--mac',
      '002094D245CB',
      '--current',
      'SCCP 3.3(3)',
      '--model',
      '7960',
    ]);
    for (const args of runs) {
      const run = await runCli('lint', ...args, '--format', 'json');
      const report = JSON.parse(run.stdout) as Report;
      assert.deepEqual(validateAgainstSchema(report), [], args.join(' '));
      assert.equal(run.status, report.summary.error > 0 ? 1 : 0, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(report.summary.error + report.summary.warning + report.summary.info, report.findings.length);
    }
    t.diagnostic(`${runs.length} lint runs validated`);
  });
});
