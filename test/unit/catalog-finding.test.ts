import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { catalogFinding } from '../../src/findings/catalog-finding.js';
import { ASSUMED } from '../../src/findings/finding.js';
import { ASSUMPTIONS } from '../../src/flows/assumptions.js';
import { repoRoot } from '../helpers.js';

const evidence = [{ source: 'tftp-root' as const, file: 'SIPDefault.cnf', text: '9000 bytes' }];

describe('findings made from the catalog', () => {
  it('take a finding ID only: a misspelt ID does not compile', () => {
    // @ts-expect-error — not an ID of the catalog; the build fails if this ever compiles.
    assert.throws(() => catalogFinding('BUFFER_FULL_W201', { evidence }), /not in the catalog/);
  });

  it('name as their cause only a finding the catalog lists as one', () => {
    const caused = catalogFinding('IMAGE_NOT_FOUND', { evidence, causedBy: 'IMAGE_NAME_LETTER_O' });
    assert.equal(caused.causedBy, 'IMAGE_NAME_LETTER_O');
    // @ts-expect-error — the catalog does not list DHCP_NAK among the causes of IMAGE_NOT_FOUND.
    catalogFinding('IMAGE_NOT_FOUND', { evidence, causedBy: 'DHCP_NAK' });
  });

  it('say the assumptions they rest on in the words of the table, keep them by ID, and leave them out of the JSON', () => {
    const finding = catalogFinding('BUFFER_FULL_W210_RISK', {
      evidence,
      assumed: ['W210_LIMIT'],
      likely: ['the phone runs SIP 2.2, as its console says'],
    });
    assert.ok(
      finding.explanation.endsWith(
        ` Likely, not certain: ${ASSUMPTIONS.W210_LIMIT}; the phone runs SIP 2.2, as its console says.`,
      ),
      finding.explanation,
    );
    assert.deepEqual(finding[ASSUMED], ['W210_LIMIT']);
    assert.ok(!JSON.stringify(finding).includes('W210_LIMIT'));
    assert.deepEqual({ ...finding }[ASSUMED], ['W210_LIMIT'], 'a copy keeps them');
  });

  it('are what the report lists as assumed, each once, in the order of the table', async () => {
    const dir = path.join(repoRoot, 'captures', 'sip-22-w210-risk');
    const { analysis } = await analyzeFiles(
      {
        captures: [path.join(dir, 'capture.pcap')],
        consoles: [path.join(dir, 'console-sep000e84c060a6.log')],
        serverLogs: [path.join(dir, 'tftpd.log')],
        tftpRoot: path.join(dir, 'tftp-root'),
      },
      { version: 'test' },
      () => {},
    );
    const { report } = analysis;
    const rested = new Set<string>(report.findings.flatMap((f) => f[ASSUMED] ?? []));
    assert.ok(rested.has('W210_LIMIT'), [...rested].join(', '));
    const order = Object.keys(ASSUMPTIONS);
    assert.deepEqual(
      report.assumptions.map((a) => a.id),
      order.filter((id) => rested.has(id)),
    );
    const table = new Map<string, string>(Object.entries(ASSUMPTIONS));
    for (const a of report.assumptions) assert.equal(a.text, table.get(a.id));
  });
});
