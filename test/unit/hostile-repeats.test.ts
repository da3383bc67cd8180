/**
 * One phone asking for the same file again and again (test/bench/hostile-shapes.ts
 * `same-request`, 20,000 times here): `analyze` reports every request and `transfers` prints
 * every row, each within a V8 heap the whole-object forms overflowed (a spread copy of each
 * request with a hidden class of its own, a map per request, each transfer kept until printed).
 */
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostileShapes, writeShape } from '../bench/hostile-shapes.js';
import { cliPath } from '../helpers.js';

const REQUESTS = 20_000;
const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-hostile-repeats-'));
const capture = path.join(scratch, 'same-request.pcap');
after(() => rmSync(scratch, { recursive: true, force: true }));

function runWithHeap(heapMb: number, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, cliPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

describe('one phone asking for one file 20,000 times', () => {
  before(async () => {
    const shape = hostileShapes(REQUESTS / 100_000).find((s) => s.name === 'same-request');
    assert.ok(shape);
    await writeShape(capture, shape);
  });

  it('analyze reports every request, each refused, within an 80 MB heap', () => {
    const run = runWithHeap(80, ['analyze', capture, '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      readonly phones: readonly { readonly requests: readonly { readonly file: string; readonly answer: string }[] }[];
    };
    assert.equal(report.phones.length, 1);
    const requests = report.phones[0]?.requests ?? [];
    assert.equal(requests.length, REQUESTS);
    assert.ok(requests.every((r) => r.file === 'SEP000E84000000.cnf.xml' && r.answer === 'not-found'));
  });

  it('transfers prints every transfer in request order within a 32 MB heap', () => {
    const run = runWithHeap(32, ['transfers', capture]);
    assert.equal(run.status, 0, run.stderr);
    const ids = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => Number(/^TFTP #(\d+) /.exec(line)?.[1]));
    assert.equal(ids.length, REQUESTS);
    assert.ok(ids.every((id, i) => id === i + 1));
  });
});
