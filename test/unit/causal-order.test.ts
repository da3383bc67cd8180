import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Analysis } from '../../src/engine/analysis.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { causalOrder } from '../../src/findings/causal-order.js';
import type { PlacedFinding } from '../../src/findings/causal-order.js';
import { catalogEntry } from '../../src/findings/catalog.js';
import type { FindingId } from '../../src/findings/catalog.js';
import type { Finding } from '../../src/findings/finding.js';
import { repoRoot } from '../helpers.js';

const finding = (id: FindingId, causedBy?: FindingId): Finding => ({
  id,
  severity: catalogEntry(id).severity,
  title: catalogEntry(id).title,
  explanation: 'x.',
  evidence: [{ source: 'tftp-root', file: 'OS79XX.TXT', text: 'seen' }],
  fix: ['y'],
  ...(causedBy ? { causedBy } : {}),
});

const shape = (placed: readonly PlacedFinding[]): string[] =>
  placed.map((p) => `${p.number}${'>'.repeat(p.depth)}${p.finding.id}`);

/** Every placed list of an analysis: each consequence right under its cause's subtree, numbered 1, 2, … in order. */
function assertPlaced(placed: readonly PlacedFinding[], where: string): void {
  placed.forEach((p, i) => {
    assert.equal(p.number, i + 1, where);
    if (p.depth === 0) return;
    const cause = placed
      .slice(0, i)
      .reverse()
      .find((q) => q.depth === p.depth - 1);
    assert.equal(cause?.finding.id, p.finding.causedBy, `${where}: ${p.finding.id} under its cause`);
  });
}

async function analyse(dir: string): Promise<Analysis> {
  const files = readdirSync(dir);
  const { analysis } = await analyzeFiles(
    {
      captures: files.includes('capture.pcap') ? [path.join(dir, 'capture.pcap')] : [],
      consoles: files.filter((f) => /^console-.*\.log$/.test(f)).map((f) => path.join(dir, f)),
      serverLogs: files.filter((f) => /^(tftpd|dnsmasq)\.log$/.test(f)).map((f) => path.join(dir, f)),
      ...(files.includes('tftp-root') ? { tftpRoot: path.join(dir, 'tftp-root') } : {}),
    },
    { version: 'test' },
    () => {},
  );
  return analysis;
}

describe('causal order, worked out once', () => {
  it('places root causes in the given order, each followed by its consequences, numbered as shown', () => {
    const placed = causalOrder([
      finding('PROTOCOL_APPLICATION_INVALID', 'LOADS_PART_MISSING'),
      finding('DHCP_NAK'),
      finding('LOADS_PART_MISSING', 'FILE_NAME_CASE'),
      finding('FILE_NAME_CASE'),
      finding('IMAGE_NOT_FOUND', 'FILE_NAME_CASE'),
    ]);
    assert.deepEqual(shape(placed), [
      '1DHCP_NAK',
      '2FILE_NAME_CASE',
      '3>LOADS_PART_MISSING',
      '4>>PROTOCOL_APPLICATION_INVALID',
      '5>IMAGE_NOT_FOUND',
    ]);
    assert.deepEqual(
      shape(causalOrder(placed.map((p) => p.finding))),
      shape(placed),
      'placing them again keeps the order',
    );
  });

  it('keeps every finding of a cycle of causes, and one whose cause is not among them is a root', () => {
    const placed = causalOrder([
      finding('LOADS_PART_MISSING', 'PROTOCOL_APPLICATION_INVALID'),
      finding('PROTOCOL_APPLICATION_INVALID', 'LOADS_PART_MISSING'),
      finding('IMAGE_NOT_FOUND', 'FILE_NAME_CASE'),
    ]);
    assert.deepEqual(shape(placed), ['1IMAGE_NOT_FOUND', '2LOADS_PART_MISSING', '3>PROTOCOL_APPLICATION_INVALID']);
  });

  it("the engine hands the views each phone's findings placed, and the findings of no phone apart", async () => {
    for (const dir of [
      path.join(repoRoot, 'captures', 'gkdefault-upgradecode'),
      path.join(repoRoot, 'captures', 'console-wrong-baud'),
    ]) {
      const analysis = await analyse(dir);
      const held = analysis.phones.flatMap((p) => p.findings);
      for (const phone of analysis.phones) {
        assert.deepEqual(
          phone.placed.map((p) => p.finding),
          phone.findings,
          dir,
        );
        assertPlaced(phone.placed, dir);
      }
      assertPlaced(analysis.findingsOfNoPhone, dir);
      assert.deepEqual(
        [...held, ...analysis.findingsOfNoPhone.map((p) => p.finding)].sort((a, b) => a.id.localeCompare(b.id)),
        [...analysis.report.findings].sort((a, b) => a.id.localeCompare(b.id)),
        `${dir}: every finding of the report is a phone's or of no phone`,
      );
    }
    const consequences = (await analyse(path.join(repoRoot, 'captures', 'gkdefault-upgradecode'))).phones.flatMap((p) =>
      p.placed.filter((q) => q.depth > 0),
    );
    assert.ok(consequences.length > 0, 'the bundle has a consequence placed under its cause');
    const noPhone = (await analyse(path.join(repoRoot, 'captures', 'console-wrong-baud'))).findingsOfNoPhone;
    assert.ok(noPhone.some((p) => p.finding.id === 'INPUT_NOT_UNDERSTOOD'));
  });

  it('a TFTP root alone: its findings about no phone are placed apart from those of the phones it predicts', async () => {
    const { analysis } = await analyzeFiles(
      {
        captures: [],
        consoles: [],
        serverLogs: [],
        tftpRoot: path.join(repoRoot, 'captures', 'image-name-letter-o', 'tftp-root'),
      },
      { version: 'test' },
      () => {},
    );
    assert.ok(analysis.phones.length > 0 && analysis.findingsOfNoPhone.length > 0);
    for (const phone of analysis.phones) assertPlaced(phone.placed, phone.phone.mac ?? '');
    assertPlaced(analysis.findingsOfNoPhone, 'root');
    const held = new Set(analysis.phones.flatMap((p) => p.findings));
    assert.equal(held.size + analysis.findingsOfNoPhone.length, analysis.report.findings.length);
    for (const { finding: f } of analysis.findingsOfNoPhone) assert.ok(!held.has(f));
    // The letter O is in the root, about no phone; the image it makes the phone miss is the phone's.
    assert.deepEqual(
      analysis.findingsOfNoPhone.map((p) => p.finding.id),
      ['IMAGE_NAME_LETTER_O'],
    );
    assert.ok(analysis.phones.some((p) => p.placed.some((q) => q.finding.causedBy === 'IMAGE_NAME_LETTER_O')));
  });
});
