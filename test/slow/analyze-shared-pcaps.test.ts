/**
 * `analyze` on the 93 real public captures of ../shared/pcaps (PXE boots, lab TFTP transfers,
 * DHCP test traces, fuzzed files). None of them holds a Cisco 7940/7960: no DHCP client says
 * "Cisco Systems, Inc. IP Phone" in option 60 and no host asks for a file only a phone asks
 * for (SEP<MAC>.cnf.xml, OS79XX.TXT, a P0S3/P003 image...). So analyze must find no phone and
 * report nothing but the damage of a damaged file: a finding there would be about traffic of
 * other hosts (a PXE client's DHCP, a lab's TFTP transfer), which analyze ignores.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { validateAgainstSchema } from '../../src/findings/report-schema.js';
import { sharedDir } from '../helpers.js';

test('analyze reports no phone and no finding on captures without a Cisco phone', async (t) => {
  const shared = sharedDir();
  if (!shared) {
    t.skip('../shared is not beside the checkout');
    return;
  }
  const dir = path.join(shared, 'pcaps');
  const files = readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .sort();
  assert.ok(files.length >= 90, `expected the 93 captures, found ${files.length}`);
  for (const file of files) {
    const { analysis, damaged } = await analyzeFiles(
      { captures: [path.join(dir, file)], consoles: [], serverLogs: [] },
      { version: 'test' },
      () => {},
    );
    assert.deepEqual(validateAgainstSchema(JSON.parse(JSON.stringify(analysis.report))), [], file);
    // A damaged file (the fuzzed ones) is said to be damaged, about no phone; nothing else is reported.
    assert.deepEqual(
      analysis.report.findings.map((f) => `${f.id} ${f.phone?.mac ?? f.phone?.ip ?? ''}`),
      damaged ? ['INPUT_DAMAGED '] : [],
      file,
    );
    assert.equal(analysis.report.inputs[0]!.damage !== undefined, damaged, file);
    assert.deepEqual(
      analysis.phones.map((p) => p.phone.mac ?? p.phone.ip),
      [],
      `${file}: no host of it is a phone`,
    );
  }
});
