import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalog } from '../../src/findings/catalog.js';
import { FINDINGS_DOC_PATH, findingsDoc } from '../../src/views/findings-doc.js';
import { repoRoot } from '../helpers.js';

test('docs/findings.md is what the catalog gives now (npm run docs:findings writes it)', () => {
  const inTree = readFileSync(path.join(repoRoot, FINDINGS_DOC_PATH), 'utf8');
  assert.equal(inTree, findingsDoc(), `${FINDINGS_DOC_PATH} is stale: run npm run docs:findings`);
});

test('the findings table has one row per catalog ID, with its severity and the source it cites', () => {
  const rows = findingsDoc()
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  assert.equal(rows.length, catalog.size);
  const sip = rows.find((r) => r.startsWith('| `SIP_MAC_CONFIG_MISSING` |'));
  assert.ok(sip, 'SIP_MAC_CONFIG_MISSING has a row');
  // Cells stay cells and <MAC> stays text: no raw HTML, no stray column.
  assert.match(sip, /^\| `SIP_MAC_CONFIG_MISSING` \| warning \| SIP\\<MAC\\>\.cnf was not found/);
  assert.match(sip, /Enable SIP Functionality/);
  for (const row of rows) assert.equal(row.replace(/\\\|/g, '').split('|').length, 6, row);
});
