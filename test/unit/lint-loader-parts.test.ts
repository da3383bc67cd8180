import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { lintTftpRoot } from '../../src/lint/lint.js';
import { fixture } from '../helpers.js';

/** A copy of the fully correct root (SIP 8.12 zip unpacked) without the given files. */
function correctRootWithout(...names: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-loader-'));
  cpSync(fixture('tftp-roots', 'correct'), dir, { recursive: true });
  for (const name of names) rmSync(path.join(dir, name));
  return dir;
}

const ids = (dir: string): string[] => lintTftpRoot(dir, {}).findings.map((f) => f.id);

test('a root with the .sb2 and one of the two loaders is not called broken: a phone fetches only the loader its signing needs', () => {
  assert.ok(!ids(correctRootWithout('P003-8-12-00.bin')).includes('LOADS_PART_MISSING'));
  assert.ok(!ids(correctRootWithout('P003-8-12-00.sbn')).includes('LOADS_PART_MISSING'));
});

test('a root with neither loader, or without the .sb2, is', () => {
  const noLoader = lintTftpRoot(correctRootWithout('P003-8-12-00.bin', 'P003-8-12-00.sbn'), {}).findings;
  const missing = noLoader.filter((f) => f.id === 'LOADS_PART_MISSING');
  assert.ok(missing.some((f) => f.evidence.some((e) => /P003-8-12-00\.(bin|sbn)/.test(e.text))));
  assert.ok(ids(correctRootWithout('P0S3-8-12-00.sb2')).includes('LOADS_PART_MISSING'));
});
