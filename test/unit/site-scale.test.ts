/**
 * A site booting at once (test/bench/site-capture.ts): each phone's requests, exchanges and
 * packets are its own once they are looked up by address; a TFTP root with a per-phone file
 * for more phones than the old 20,000-entry limit is checked, not refused.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { macHex } from '../bench/packet-builder.js';
import { phoneMac, writeSiteCapture } from '../bench/site-capture.js';
import { catalogFinding } from '../../src/findings/catalog-finding.js';
import { renderText, summarize } from '../../src/findings/report.js';
import type { Report as LintReport } from '../../src/findings/report-schema.js';
import { jsonText, jsonTextPieces } from '../../src/views/escape.js';
import { cliPath } from '../helpers.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-site-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface ReportPhone {
  readonly mac: string;
  readonly requests?: readonly { readonly file: string; readonly answer: string }[];
}
interface Report {
  readonly phones: readonly ReportPhone[];
  readonly findings: readonly {
    readonly id: string;
    readonly phone?: { readonly mac?: string };
    readonly evidence: readonly { readonly frame?: number }[];
  }[];
}

describe('a site of phones booting together', () => {
  it("analyze gives every phone its own requests and findings, none of another phone's", async () => {
    const phones = 300;
    const file = path.join(scratch, 'site.pcap');
    await writeSiteCapture(file, phones);
    const run = spawnSync(process.execPath, [cliPath, 'analyze', file, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.phones.length, phones);
    const seen = new Set<string>();
    for (const phone of report.phones) {
      const name = phone.mac.replace(/:/g, '').toUpperCase();
      seen.add(name);
      assert.deepEqual(
        phone.requests?.map((r) => [r.file, r.answer]),
        [
          [`CTLSEP${name}.tlv`, 'not-found'],
          [`SEP${name}.cnf.xml`, 'found'],
        ],
      );
      const own = report.findings.filter((f) => f.phone?.mac === phone.mac);
      assert.ok(
        own.some((f) => f.id === 'CTL_NOT_FOUND_NORMAL'),
        `${phone.mac}: its CTL request`,
      );
    }
    assert.deepEqual(seen, new Set(Array.from({ length: phones }, (_, i) => macHex(phoneMac(i)))));
  });

  it('lint checks a root of 25,001 files (a SEP<MAC>.cnf.xml per phone), more than it used to refuse', () => {
    const root = path.join(scratch, 'root');
    mkdirSync(root);
    for (let i = 0; i < 25_000; i++) {
      writeFileSync(
        path.join(root, `SEP${macHex(phoneMac(i))}.cnf.xml`),
        '<device><loadInformation model="IP Phone 7960">P0S3-8-12-00</loadInformation></device>\n',
      );
    }
    writeFileSync(path.join(root, 'SIPDefault.cnf'), 'image_version: P0S3-8-12-00\n');
    const run = spawnSync(
      process.execPath,
      [cliPath, 'lint', root, '--mac', macHex(phoneMac(24_999)), '--format', 'json'],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    assert.notEqual(run.status, 2, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    const sep = report.phones[0]!.requests!.find((r) => r.file === `SEP${macHex(phoneMac(24_999))}.cnf.xml`);
    assert.equal(sep?.answer, 'found');
    // One finding per fault, the evidence of every file that shows it merged into it.
    const missing = report.findings.filter((f) => f.id === 'IMAGE_NOT_FOUND');
    assert.equal(missing.length, 1);
  });

  it('lint text lists every file of a fault a config file per phone shows (150,000 of them: no crash)', () => {
    const files = Array.from({ length: 150_000 }, (_, i) => `SEP${macHex(phoneMac(i))}.cnf.xml`);
    const finding = catalogFinding('IMAGE_NOT_FOUND', {
      evidence: files.map((file) => ({
        source: 'tftp-root' as const,
        file,
        line: 3,
        text: 'P00308010200.loads and P00308010200.bin are not in the TFTP root',
      })),
    });
    const report: LintReport = {
      tool: 'phonedoc',
      version: '0.1.0',
      command: 'lint',
      inputs: [{ kind: 'tftp-root', path: '/srv/tftp' }],
      phones: [{ flow: 'sccp-boot', lastStep: 'Stops after 1 boot.', requests: [] }],
      findings: [finding],
      summary: summarize([finding]),
      assumptions: [],
    };
    const lines = renderText(report, 200).split('\n');
    assert.equal(
      lines.filter((l) => l.includes('P00308010200.loads and P00308010200.bin are not in the TFTP root')).length,
      files.length,
    );
    assert.ok(lines.some((l) => l.includes(files.at(-1)!)));
  });

  it('a JSON report written in pieces is byte for byte the one written whole, escapes included', () => {
    const report = {
      tool: 'phonedoc',
      skipped: undefined,
      inputs: [],
      nested: { a: [1, { b: 'x\u202e\u009b\u0007' }], empty: {} },
      phones: [
        { mac: '00:0e:84:00:00:01', requests: [{ file: 'SEP\nFAKE LINE', answer: 'found' }] },
        { mac: '00:0e:84:00:00:02', requests: [] },
      ],
      findings: ['\u001b]52;c;x\u0007', null, [[]]],
      summary: { error: 0 },
    };
    assert.equal([...jsonTextPieces(report, 2)].join(''), `${jsonText(report, 2)}\n`);
    assert.equal([...jsonTextPieces({}, 2)].join(''), `${jsonText({}, 2)}\n`);
  });
});
