/**
 * `analyze --each`: one analysis per input, then the summary a desk pastes into its tracker
 * (text, Markdown, JSON), bundles under --out DIR/<name>, and the worst exit code of all.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ticketNames } from '../../src/views/ticket-summary.js';
import { nth, repoRoot } from '../helpers.js';
import { runCli } from '../run-cli.js';

const work = mkdtempSync(path.join(tmpdir(), 'phonedoc-each-'));
after(() => rmSync(work, { recursive: true, force: true }));
const bundle = (name: string): string => path.join(repoRoot, 'captures', name);
const INPUTS = [
  bundle('loads-part-missing'),
  bundle('sccp-to-sip-812'),
  path.join(bundle('dhcp-no-offer'), 'capture.pcap'),
];

const phonedoc = runCli;

interface Row {
  input: string;
  phones: string[];
  verdict: string;
  worstFinding: string | null;
  exitCode: number;
}

describe('analyze --each', () => {
  it("JSON: each input's own report, as when analysed alone, and one summary row each", async () => {
    const run = await phonedoc('analyze', '--each', '--format', 'json', ...INPUTS);
    assert.equal(run.status, 1, run.stderr);
    const { analyses, summary } = JSON.parse(run.stdout) as {
      analyses: {
        input: string;
        report: { findings: { id: string; severity: string }[]; phones: { mac?: string; verdict: string }[] };
      }[];
      summary: Row[];
    };
    assert.deepEqual(
      analyses.map((a) => a.input),
      INPUTS,
    );
    for (const [i, input] of INPUTS.entries()) {
      const alone = JSON.parse((await phonedoc('analyze', '--format', 'json', input)).stdout) as { findings: unknown };
      assert.deepEqual(nth(analyses, i).report.findings, alone.findings, input);
    }
    assert.deepEqual(
      summary.map((r) => [r.input, r.phones, r.worstFinding, r.exitCode]),
      [
        [INPUTS[0], ['00:0e:84:c0:60:a6'], 'LOADS_PART_MISSING', 1],
        [INPUTS[1], ['00:0e:84:c0:60:a6'], 'CONVERSION_SUCCEEDED', 0],
        [INPUTS[2], ['00:0e:84:c0:60:a6'], 'DHCP_NO_OFFER', 1],
      ],
    );
    assert.match(nth(summary, 0).verdict, /P0S3-8-12-00\.sb2 not found/);
    assert.match(nth(summary, 1).verdict, /converted/);
  });

  it('not 34 boots of one phone: each capture of the same phone is its own analysis', async () => {
    const captures = [bundle('loads-part-missing'), bundle('sccp-to-sip-812')].map((d) => path.join(d, 'capture.pcap'));
    const run = await phonedoc('analyze', '--each', '-q', ...captures);
    const verdicts = run.stdout.split('\n').filter((l) => l.startsWith('Phone '));
    assert.equal(verdicts.length, 2, run.stdout);
  });

  it('text and Markdown: the reports, then the summary table', async () => {
    const text = await phonedoc('analyze', '--each', '-q', ...INPUTS);
    const summary = text.stdout.slice(text.stdout.indexOf('Summary of 3 analyses'));
    assert.match(summary, /^input +phones +worst finding$/m);
    assert.match(
      summary,
      /loads-part-missing +00:0e:84:c0:60:a6 +LOADS_PART_MISSING\n {2}SCCP 8\.1\(2\) → SIP 8\.12: stopped/,
    );
    const md = await phonedoc('analyze', '--each', '--format', 'markdown', ...INPUTS);
    const table = md.stdout.trimEnd().split('\n').slice(-5);
    assert.equal(table[0], '| input | phones | verdict | worst finding |');
    assert.match(nth(table, 2), /^\| .*loads-part-missing \| 00:0e:84:c0:60:a6 \| SCCP .* \| LOADS_PART_MISSING \|$/);
    assert.equal(md.stdout.match(/^# phonedoc analyze/gm)?.length, 3, 'one report per input');
  });

  it('an unreadable input is a row of its own and makes the exit code 2; the others are still analysed', async () => {
    const missing = path.join(work, 'no-such.pcap');
    const run = await phonedoc('analyze', '--each', '--format', 'json', nth(INPUTS, 1), missing);
    assert.equal(run.status, 2);
    const { summary } = JSON.parse(run.stdout) as { summary: Row[] };
    assert.deepEqual(
      summary.map((r) => r.exitCode),
      [0, 2],
    );
    assert.match(
      nth(summary, 1).verdict,
      /^not analysed: cannot read capture .*no-such\.pcap: no such file or directory$/,
    );
    assert.match(run.stderr, /no-such\.pcap: no such file or directory/);
  });

  it('--out DIR: one ticket bundle per input under DIR/<name>, only the summary on stdout', async () => {
    const out = path.join(work, 'bundles');
    const captures = INPUTS.slice(0, 2).map((d) => path.join(d, 'capture.pcap'));
    const run = await phonedoc('analyze', '--each', '--out', out, ...captures);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['loads-part-missing-capture', 'sccp-to-sip-812-capture']);
    for (const name of readdirSync(out)) assert.ok(existsSync(path.join(out, name, 'report.json')), name);
    assert.match(run.stdout, /^\nSummary of 2 analyses\n/);
  });

  it('logs and a TFTP root named by option are refused: they would belong to one ticket only', async () => {
    const run = await phonedoc(
      'analyze',
      '--each',
      nth(INPUTS, 0),
      '--tftp-root',
      path.join(nth(INPUTS, 0), 'tftp-root'),
    );
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^phonedoc: --each analyses each capture or ticket folder on its own/);
  });
});

it('bundle names: the last path part, with the folder before it when two are alike, then ~2', async () => {
  assert.deepEqual(ticketNames(['a/capture.pcap', 'b/capture.pcap', 'c/ticket.zip', 'c/ticket.zip', 'x/y/']), [
    'a-capture',
    'b-capture',
    'c-ticket',
    'c-ticket~2',
    'y',
  ]);
});
