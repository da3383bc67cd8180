import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { classifyFileName } from '../../parsers/provisioning/file-names.js';
import { parseRingList } from '../../parsers/provisioning/ringlist.js';
import { fixture } from '../helpers.js';

describe('RINGLIST.DAT', () => {
  const bytes = readFileSync(fixture('provisioning', 'lkml-teo', 'RINGLIST.DAT'));

  it('reads the LKML-TEO list: display names with spaces, the file name last', () => {
    const list = parseRingList(bytes, 'RINGLIST.DAT');
    assert.deepEqual(list.problems, []);
    assert.equal(list.rings.length, 9);
    const piano = list.rings.find((r) => r.displayName.value === 'Piano 1');
    assert.deepEqual(
      [piano?.fileName.value, piano?.fileName.line, piano?.fileName.column, piano?.fileName.file],
      ['Piano1.raw', 8, 'Piano 1 '.length + 1, 'RINGLIST.DAT'],
    );
    assert.deepEqual(
      list.rings.map((r) => classifyFileName(r.fileName.value).kind),
      Array(9).fill('ring'),
    );
  });

  it('reads CRLF and tab-separated lines the same', () => {
    const crlf = parseRingList(
      bytes.toString('utf8').replace(/\n/g, '\r\n').replace('Piano 2 ', 'Piano 2\t'),
      'RINGLIST.DAT',
    );
    assert.deepEqual(crlf.problems, []);
    assert.deepEqual(
      crlf.rings.map((r) => [r.displayName.value, r.fileName.value]),
      parseRingList(bytes, 'RINGLIST.DAT').rings.map((r) => [r.displayName.value, r.fileName.value]),
    );
  });

  it('reports a line with one word, and a last word that is not a ring file', () => {
    const list = parseRingList('FlintPhone.raw\nPiano1.raw Piano 1\n', 'RINGLIST.DAT');
    assert.deepEqual(
      list.problems.map((p) => [p.code, p.line, p.column]),
      [
        ['RINGLIST_LINE_SYNTAX', 1, 1],
        ['RINGLIST_FILE_EXTENSION', 2, 18],
      ],
    );
    assert.equal(list.rings.length, 1);
  });
});
