/**
 * Hostile shapes at scale (test/bench/hostile-shapes.ts, small here): a phone repeating the
 * same thing has its findings' evidence summarised, not listed a line per repeat; a site's
 * root keeps one object for the facts every SEP<MAC>.cnf.xml shares, not one per file; a cause
 * shared by every phone of a site places its consequences in linear work.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hostileShapes, writeShape } from '../bench/hostile-shapes.js';
import { EVIDENCE_KEPT_FIRST, EVIDENCE_KEPT_LAST } from '../../src/engine/evidence-cap.js';
import { causalOrder } from '../../src/findings/causal-order.js';
import { catalogEntry } from '../../src/findings/catalog.js';
import type { FindingId } from '../../src/findings/catalog.js';
import type { Finding } from '../../src/findings/finding.js';
import { parseRoot } from '../../src/lint/parsed-root.js';
import { readTftpRoot } from '../../src/lint/tftp-root.js';
import { cliPath } from '../helpers.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-hostile-scale-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Report {
  readonly findings: readonly { readonly id: string; readonly evidence: readonly { readonly text: string }[] }[];
}

describe('hostile shapes at scale', () => {
  it('one phone booting 150 times: each finding cites the first and last boots and counts the rest', async () => {
    const shape = hostileShapes(0.015).find((s) => s.name === 'reboots');
    assert.ok(shape);
    const file = path.join(scratch, 'reboots.pcap');
    await writeShape(file, shape);
    const run = spawnSync(process.execPath, [cliPath, 'analyze', file, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    const ctl = report.findings.find((f) => f.id === 'CTL_NOT_FOUND_NORMAL');
    assert.ok(ctl, 'the CTL file is asked for at every boot');
    assert.equal(ctl.evidence.length, EVIDENCE_KEPT_FIRST + 1 + EVIDENCE_KEPT_LAST);
    const note = ctl.evidence[EVIDENCE_KEPT_FIRST]?.text ?? '';
    // 150 boots, a request and its error answer each: 300 items, 48 shown.
    assert.match(note, /252 more of the same kind left out .* of 300 are shown/);
    for (const f of report.findings) assert.ok(f.evidence.length <= EVIDENCE_KEPT_FIRST + 1 + EVIDENCE_KEPT_LAST);
  });

  it('a root of per-phone files naming one load holds one facts object for all of them', () => {
    const root = path.join(scratch, 'root');
    mkdirSync(root);
    const macs = ['000E84000001', '000E84000002', '000E84000003'];
    for (const mac of macs)
      writeFileSync(
        path.join(root, `SEP${mac}.cnf.xml`),
        `<device><loadInformation model="IP Phone 7960">P00308010200</loadInformation><versionStamp>${mac}</versionStamp></device>\n`,
      );
    writeFileSync(path.join(root, 'SEP000E84000004.cnf.xml'), '<device><loadInformation>P0S3-8-12-00</device>\n');
    const parsed = parseRoot(readTftpRoot(root));
    const [a, b, c] = macs.map((mac) => parsed.xmlConfigs.get(`SEP${mac}.cnf.xml`));
    assert.ok(a?.sources['7960'], 'the load is read');
    assert.equal(a, b);
    assert.equal(b, c);
    const broken = parsed.xmlConfigs.get('SEP000E84000004.cnf.xml');
    assert.ok(broken && broken.problems.length > 0, 'a file with problems keeps its own');
    assert.notEqual(broken, a);
  });
});

describe('a cause shared by a whole site', () => {
  it('places 20,000 consequences of one cause under it, in the order they came, each once', () => {
    const finding = (id: FindingId, file: string, causedBy?: FindingId): Finding => ({
      id,
      severity: catalogEntry(id).severity,
      title: catalogEntry(id).title,
      explanation: 'x.',
      evidence: [{ source: 'tftp-root', file, text: 'seen' }],
      fix: ['y'],
      ...(causedBy ? { causedBy } : {}),
    });
    const cause = finding('CONFIG_MALFORMED', 'XMLDefault.cnf.xml');
    const consequences = Array.from({ length: 20_000 }, (_, i) =>
      finding('IMAGE_NOT_FOUND', `SEP${i}.cnf.xml`, 'CONFIG_MALFORMED'),
    );
    const placed = causalOrder([...consequences, cause]);
    assert.equal(placed.length, 20_001);
    assert.equal(placed[0]?.finding, cause);
    assert.ok(placed.slice(1).every((p, i) => p.depth === 1 && p.finding === consequences[i]));
  });
});
