import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PROBLEM_CODES } from '../../parsers/provisioning/problem.js';
import { catalog, catalogEntry, isFindingId } from '../../src/findings/catalog.js';
import type { FindingId } from '../../src/findings/catalog.js';
import { sharedDir } from '../helpers.js';

test('the catalog holds every ID of shared/diagnoses.md with the same severity', (t) => {
  const shared = sharedDir();
  if (!shared) {
    t.skip('../shared is not beside this checkout');
    return;
  }
  const rows = readFileSync(path.join(shared, 'diagnoses.md'), 'utf8')
    .split('\n')
    .map((line) => /^\| ([A-Z0-9_]+) \| (error|warning|info) \|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  assert.ok(rows.length >= 30);
  for (const [, id = '', severity] of rows) {
    assert.ok(isFindingId(id), `${id} is not in the catalog`);
    assert.equal(catalogEntry(id).severity, severity, id);
  }
  assert.deepEqual([...catalog.keys()].sort(), rows.map((m) => m[1]).sort());
});

test('every catalog entry says what to do', () => {
  for (const entry of catalog.values()) {
    assert.ok(entry.fix.length > 0, entry.id);
    assert.ok(entry.explanation.length > 40, entry.id);
  }
});

test('every finding ID the provisioning parsers report problems under is a catalog ID', () => {
  // Typed as catalog IDs: a parser naming an ID the catalog lacks fails to compile here.
  const named: readonly FindingId[] = Object.values(PROBLEM_CODES).flatMap((kind) =>
    'findingId' in kind ? [kind.findingId] : [],
  );
  assert.ok(named.length > 0);
  for (const id of named) assert.ok(isFindingId(id), id);
});

test('a console error text is the finding of one catalog entry at most', () => {
  const shown = [...catalog.values()].flatMap((e) => (e.shownOnConsole ? [e.shownOnConsole] : []));
  assert.ok(shown.includes('PROTOCOL_APPLICATION_INVALID'));
  assert.equal(new Set(shown).size, shown.length);
});
