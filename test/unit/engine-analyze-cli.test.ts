/**
 * `phonedoc analyze` from the command line: the JSON report passes the report schema, the
 * exit code is 0 without error finding, 1 with one, 2 for unusable input, and every format
 * prints each phone's verdict.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validateAgainstSchema } from '../../src/findings/report-schema.js';
import { repoRoot } from '../helpers.js';
import { runCli } from '../run-cli.js';

const bundle = (name: string, file: string): string => path.join(repoRoot, 'captures', name, file);

async function analyze(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCli('analyze', ...args);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('phonedoc analyze (CLI)', () => {
  it('JSON: a valid report; exit 1 with an error finding', async () => {
    const r = await analyze(
      bundle('loads-part-missing', 'capture.pcap'),
      '--console',
      bundle('loads-part-missing', 'console-sep000e84c060a6.log'),
      '--format',
      'json',
    );
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as {
      command: string;
      phones: { mac: string; running?: { image: string } }[];
      findings: { id: string }[];
    };
    assert.deepEqual(validateAgainstSchema(report), []);
    assert.equal(report.command, 'analyze');
    assert.equal(report.phones[0]!.mac, '00:0e:84:c0:60:a6');
    assert.equal(report.phones[0]!.running?.image, 'P00308010200');
  });

  it('exit 0 when the phone boots without error', async () => {
    const r = await analyze(bundle('sip-812-boot', 'capture.pcap'), '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
  });

  it('text, md and html show the verdict', async () => {
    for (const format of ['text', 'md', 'html']) {
      const r = await analyze(
        bundle('loads-part-missing', 'capture.pcap'),
        '--console',
        bundle('loads-part-missing', 'console-sep000e84c060a6.log'),
        '--format',
        format,
      );
      assert.equal(r.code, 1, `${format}: ${r.stderr}`);
      // Views wrap long lines: the verdict's words are looked for across line ends.
      const flat = r.stdout.replace(/\s+/g, ' ');
      assert.match(flat, /SCCP 8\.1\(2\) → SIP 8\.12: stopped, .*\(P0S3-8-12-00\.sb2 not found\)/, format);
    }
  });

  it('exit 2 for unusable input, with the file named', async () => {
    const missing = await analyze(path.join(repoRoot, 'no-such.pcap'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such\.pcap/);
    assert.equal((await analyze()).code, 2);
    const badOffset = await analyze(bundle('sip-812-boot', 'capture.pcap'), '--console-offset', 'soon');
    assert.equal(badOffset.code, 2);
    assert.match(badOffset.stderr, /--console-offset/);
    assert.equal((await analyze(bundle('sip-812-boot', 'capture.pcap'), '--phone', 'nope')).code, 2);
  });
});
