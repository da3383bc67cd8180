import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { findEntry, renderExplanation } from '../../src/commands/explain.js';
import { catalog } from '../../src/findings/catalog.js';
import { cliPath } from '../helpers.js';

function phonedoc(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('phonedoc explain (built CLI)', () => {
  before(() => {
    if (!existsSync(cliPath)) assert.fail(`${cliPath} is missing: run "npx tsc -p ." first (npm test does)`);
  });

  it('prints the catalog entry: title, severity, explanation, numbered fix steps and the source', () => {
    const run = phonedoc('explain', 'LOADS_PART_MISSING');
    assert.equal(run.status, 0, run.stderr);
    const entry = catalog.get('LOADS_PART_MISSING')!;
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], `LOADS_PART_MISSING: ${entry.title}`);
    assert.match(run.stdout, /error: the conversion cannot succeed until it is fixed/);
    const words = (text: string): string => text.split(/\s+/).join(' ');
    const shown = words(run.stdout);
    assert.ok(shown.includes(words(entry.explanation)));
    entry.fix.forEach((step, i) => assert.ok(shown.includes(`${i + 1}. ${words(step)}`), step));
    assert.ok(shown.includes(`Source: ${words(entry.source)}`));
    for (const line of lines) assert.ok(line.length <= 80, line);
  });

  it('explains every ID of the catalog within 80 columns', () => {
    for (const id of catalog.keys()) {
      const text = renderExplanation(findEntry(id));
      assert.ok(text.startsWith(`${id}: `));
      for (const line of text.split('\n')) assert.ok(line.length <= 80, `${id}: ${line}`);
    }
  });

  it('takes the ID in any case, with - or spaces for _', () => {
    const run = phonedoc('explain', 'image-not found');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^IMAGE_NOT_FOUND: /);
  });

  it('exits 2 on an unknown ID, naming the close IDs', () => {
    const typo = phonedoc('explain', 'IMAGE_NOTFOUND');
    assert.equal(typo.status, 2);
    assert.equal(typo.stdout, '');
    assert.match(typo.stderr, /^phonedoc: "IMAGE_NOTFOUND" is not a finding ID\. Close: IMAGE_NOT_FOUND, /);
    const part = phonedoc('explain', 'OS79XX');
    assert.equal(part.status, 2);
    assert.match(part.stderr, /Close: (OS79XX_SYNTAX, OS79XX_MISSING|OS79XX_MISSING, OS79XX_SYNTAX)\.\n$/);
    const nothing = phonedoc('explain', 'qqqq');
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /The IDs are: DHCP_NO_OFFER, .*CLOCKS_UNALIGNED, .*BUFFER_FULL_W210_RISK\.\n$/);
  });
});
