import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConsoleLog } from '../../parsers/console/parse.js';
import { parseUserRecognisers } from '../../parsers/console/user-recognisers.js';
import { nth } from '../helpers.js';

// What a user might write after watching a 7960 on the bench (strings not in any source).
const FILE = `[
  { "id": "upgrade-failed", "pattern": "^Upgrade Failed(?:: (?<file>\\\\S+))?", "flags": "i",
    "kind": "error", "fields": { "code": "OTHER" }, "source": "bench, 2026-11" },
  { "id": "loading-file", "pattern": "^Loading (?<file>\\\\S+) from (?<server>\\\\S+)$", "kind": "tftp-request" },
  { "id": "got-bytes", "pattern": "^got (?<n>\\\\d+) bytes$", "kind": "tftp-finished", "fields": { "bytes": "$<n>" } },
  { "id": "my-tftp-timeout", "pattern": "^TFTP Timeout$", "kind": "status", "fields": { "text": "TFTP server slow" } }
]`;

describe('user recogniser file', () => {
  it('turns valid entries into recognisers that the parser tries before its own', () => {
    const result = parseUserRecognisers(JSON.parse(FILE));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    if (!result.ok) return;
    assert.deepEqual(
      result.recognisers.map((r) => r.id),
      ['upgrade-failed', 'loading-file', 'got-bytes', 'my-tftp-timeout'],
    );
    assert.equal(nth(result.recognisers, 0).source, 'bench, 2026-11');

    const { events } = parseConsoleLog(
      'upgrade failed: P0S3-8-12-00.sb2\nLoading SIPDefault.cnf ' +
        'from 192.0.2.1\ngot 4096 bytes\nTFTP Timeout\nTFTP Error\n',
      { userRecognisers: result.recognisers },
    );
    const [failed, loading, got, timeout, builtIn] = events;
    assert.ok(
      failed?.kind === 'error' && failed.code === 'OTHER' && failed.text === 'upgrade failed: P0S3-8-12-00.sb2',
    );
    assert.equal(failed?.recogniser, 'upgrade-failed');
    assert.ok(loading?.kind === 'tftp-request' && loading.file === 'SIPDefault.cnf' && loading.server === '192.0.2.1');
    assert.ok(got?.kind === 'tftp-finished' && got.bytes === 4096);
    assert.ok(
      timeout?.kind === 'status' && timeout.text === 'TFTP server slow',
      'a user entry wins over the built-in one',
    );
    assert.ok(builtIn?.kind === 'error' && builtIn.code === 'TFTP_ERROR', 'built-in recognisers still apply');
  });

  it('accepts an empty array', () => {
    assert.deepEqual(parseUserRecognisers([]), { ok: true, recognisers: [] });
  });

  it('rejects a value that is not an array', () => {
    const result = parseUserRecognisers({ id: 'x' });
    assert.ok(!result.ok);
    if (!result.ok)
      assert.deepEqual(result.errors, [{ index: -1, message: 'expected a JSON array of recogniser entries' }]);
  });

  it('names the entry index and what is wrong, for every bad entry', () => {
    const result = parseUserRecognisers([
      'not an object',
      { pattern: 'x', kind: 'status' },
      { id: 'a', pattern: '(unclosed', kind: 'status' },
      { id: 'b', pattern: 'x', kind: 'warning' },
      { id: 'c', pattern: 'x', kind: 'status', fields: { bytes: '1' } },
      { id: 'd', pattern: 'x', kind: 'error', fields: { code: 'UPGRADE_FAILED' } },
      { id: 'e', pattern: 'x', kind: 'tftp-request' },
      { id: 'f', pattern: 'x', kind: 'tftp-request', fields: { file: '$<name>' } },
      { id: 'g', pattern: 'x', kind: 'status', patern: 'typo' },
      { id: 'h', pattern: 'x', kind: 'status', flags: 'g' },
      { id: 'a', pattern: 'y', kind: 'status' },
      { id: 'tftp-timeout', pattern: 'x', kind: 'status' },
      { id: 'ok', pattern: '^fine$', kind: 'status' },
      { id: 'i', pattern: 'got (?<n>\\d+)', kind: 'tftp-finished', fields: { bytes: 'many' } },
    ]);
    assert.ok(!result.ok);
    if (result.ok) return;
    const byIndex = new Map<number, string[]>();
    for (const e of result.errors) byIndex.set(e.index, [...(byIndex.get(e.index) ?? []), e.message]);
    const expect = (index: number, fragment: RegExp): void => {
      assert.ok(
        byIndex.get(index)?.some((m) => fragment.test(m)),
        `entry ${index}: ${JSON.stringify(byIndex.get(index))}`,
      );
    };
    expect(0, /expected an object/);
    expect(1, /"id" must be/);
    expect(2, /not a valid regular expression/);
    expect(3, /"kind" must be one of .*status/);
    expect(4, /field "bytes" does not belong to kind "status"/);
    expect(5, /"code" must be one of .*OTHER/);
    expect(6, /needs field "file"/);
    expect(7, /\$<name>, which is not a named group/);
    expect(8, /unknown key "patern"/);
    expect(9, /"flags"/);
    expect(10, /used by an earlier entry/);
    expect(11, /built-in recogniser/);
    expect(13, /whole number/);
    assert.equal(byIndex.has(12), false, 'a good entry has no error');
    assert.equal(result.errors.find((e) => e.index === 10)?.id, 'a');
  });
});
