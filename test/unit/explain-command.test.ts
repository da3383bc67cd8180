import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findEntry, renderExplanation } from '../../src/commands/explain.js';
import { catalog } from '../../src/findings/catalog.js';
import { runCli } from '../run-cli.js';

const phonedoc = runCli;

describe('phonedoc explain', () => {
  it('prints the catalog entry: title, severity, explanation, numbered fix steps and the source', async () => {
    const run = await phonedoc('explain', 'LOADS_PART_MISSING');
    assert.equal(run.status, 0, run.stderr);
    const entry = catalog.get('LOADS_PART_MISSING')!;
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], `LOADS_PART_MISSING: ${entry.title}`);
    assert.match(run.stdout, /error: the conversion cannot succeed until it is fixed/);
    const words = (text: string): string => text.split(/\s+/).join(' ');
    const shown = words(run.stdout);
    assert.ok(shown.includes(words(entry.explanation)));
    entry.fix.forEach((step, i) => {
      assert.ok(shown.includes(`${i + 1}. ${words(step)}`), step);
    });
    assert.ok(shown.includes(`Source: ${words(entry.source)}`));
    for (const line of lines) assert.ok(line.length <= 80, line);
  });

  it('explains every ID of the catalog within 80 columns', async () => {
    for (const id of catalog.keys()) {
      const text = renderExplanation(findEntry(id));
      assert.ok(text.startsWith(`${id}: `));
      for (const line of text.split('\n')) assert.ok(line.length <= 80, `${id}: ${line}`);
    }
  });

  it('takes the ID in any case, with - or spaces for _', async () => {
    const run = await phonedoc('explain', 'image-not found');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^IMAGE_NOT_FOUND: /);
  });

  it('exits 2 on an unknown ID, naming the close IDs', async () => {
    const typo = await phonedoc('explain', 'IMAGE_NOTFOUND');
    assert.equal(typo.status, 2);
    assert.equal(typo.stdout, '');
    assert.match(typo.stderr, /^phonedoc: "IMAGE_NOTFOUND" is not a finding ID\. Close: IMAGE_NOT_FOUND, /);
    const part = await phonedoc('explain', 'OS79XX');
    assert.equal(part.status, 2);
    assert.match(part.stderr, /Close: (OS79XX_SYNTAX, OS79XX_MISSING|OS79XX_MISSING, OS79XX_SYNTAX)\.\n$/);
    const nothing = await phonedoc('explain', 'qqqq');
    assert.equal(nothing.status, 2);
    assert.equal(
      nothing.stderr,
      `phonedoc: "qqqq" is not a finding ID. The IDs are: ${[...catalog.keys()].join(', ')}.\n`,
    );
  });

  it('--list prints every ID of the catalog with its severity and title, one per line', async () => {
    const run = await phonedoc('explain', '--list');
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => /^(\S+)\s+(error|warning|info)\s+(.+)$/.exec(l));
    assert.deepEqual(
      rows.map((m) => m && [m[1], m[2], m[3]]),
      [...catalog.values()].map((e) => [e.id, e.severity, e.title]),
    );
  });

  it('without an ID, or with an ID and --list, exits 2 with one sentence saying what to give', async () => {
    const none = await phonedoc('explain');
    assert.equal(none.status, 2);
    assert.equal(
      none.stderr,
      'phonedoc: explain needs a finding ID (e.g. LOADS_PART_MISSING), or --list for all of them.\n',
    );
    const both = await phonedoc('explain', 'LOADS_PART_MISSING', '--list');
    assert.equal(both.status, 2);
    assert.match(both.stderr, /^phonedoc: explain takes an ID or --list, not both\.\n$/);
  });
});
