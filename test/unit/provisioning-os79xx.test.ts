import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { formatVersion } from '../../parsers/firmware/image-name.js';
import { classifyFileName } from '../../parsers/provisioning/file-names.js';
import { parseOs79xxTxt } from '../../parsers/provisioning/os79xx-txt.js';
import { fixture } from '../helpers.js';

const where = (problems: readonly { code: string; line: number; column: number }[]) =>
  problems.map((p) => [p.code, p.line, p.column]);
const serious = (problems: readonly { severity: string }[]) => problems.filter((p) => p.severity !== 'info');

describe('OS79XX.TXT', () => {
  it('reads the LKML-TEO file (the Universal Application Loader, one line, LF)', () => {
    const os = parseOs79xxTxt(readFileSync(fixture('provisioning', 'lkml-teo', 'OS79XX.TXT')), 'OS79XX.TXT');
    assert.deepEqual(os.problems, []);
    assert.equal(os.image?.name, 'P003-8-12-00');
    assert.equal(os.image?.image.protocol, 'loader');
    assert.equal(os.requestedFileName, 'P003-8-12-00.bin');
    assert.equal(os.byteSize, 13);
  });

  it("accepts the seed's examples, each read as the version the seed gives", () => {
    const examples: Array<[string, string, string]> = [
      ['P0S30203', 'SIP', '2.3'],
      ['P0S3-07-1-00', 'SIP', '7.1'],
      ['P0S3-07-4-00', 'SIP', '7.4'],
      ['P00305000101', 'SCCP', '5.0(1.1)'],
      ['P00307020300', 'SCCP', '7.2(3)'],
      ['P00308010200', 'SCCP', '8.1(2)'],
    ];
    for (const [content, protocol, version] of examples) {
      const os = parseOs79xxTxt(content, 'OS79XX.TXT');
      assert.deepEqual(serious(os.problems), [], content);
      assert.equal(os.image?.image.protocol, protocol, content);
      assert.equal(formatVersion(os.image!.image.version!, os.image!.image.protocol), version, content);
      assert.equal(os.requestedFileName, `${content}.bin`);
    }
  });

  it('reports a .bin extension and keeps it in the request', () => {
    const os = parseOs79xxTxt('P0S30203.bin\n', 'OS79XX.TXT');
    assert.deepEqual(
      os.problems.map((p) => [p.code, p.findingId]),
      [['OS79XX_EXTENSION', 'OS79XX_SYNTAX']],
    );
    assert.equal(os.requestedFileName, 'P0S30203.bin.bin');
  });

  it('reports a trailing space where it is, and the phone asks for the name with it (CSCdv19260)', () => {
    const os = parseOs79xxTxt('P0S3-07-4-00 \n', 'OS79XX.TXT');
    assert.deepEqual(where(os.problems), [['OS79XX_TRAILING_SPACE', 1, 13]]);
    assert.equal(os.problems[0]!.findingId, 'OS79XX_SYNTAX');
    assert.equal(os.image?.name, 'P0S3-07-4-00');
    assert.equal(os.requestedFileName, 'P0S3-07-4-00 .bin');
    const asked = classifyFileName(os.requestedFileName);
    assert.equal(
      asked.kind === 'image' && asked.image!.problems.some((p) => p.code === 'whitespace'),
      true,
      'an image name with a blank no zip holds',
    );
    assert.equal(asked.kind === 'image' && asked.image!.suggestion, 'P0S3-07-4-00.bin');
  });

  it('reports the CR of a CRLF line end', () => {
    const os = parseOs79xxTxt('P0S3-07-4-00\r\n', 'OS79XX.TXT');
    assert.deepEqual(where(os.problems), [['OS79XX_CARRIAGE_RETURN', 1, 13]]);
    assert.equal(os.content.value, 'P0S3-07-4-00\r');
    assert.equal(os.requestedFileName, 'P0S3-07-4-00\r.bin');
  });

  it('reports a second line', () => {
    const os = parseOs79xxTxt('P0S3-07-4-00\nP00308010200\n', 'OS79XX.TXT');
    assert.deepEqual(where(os.problems), [['OS79XX_EXTRA_LINES', 2, 1]]);
    assert.equal(os.image?.name, 'P0S3-07-4-00');
    assert.equal(os.requestedFileName, 'P0S3-07-4-00.bin');
  });

  it("reports the letter O of the seed's own POS3-07-4-00 and suggests the digit", () => {
    const os = parseOs79xxTxt('POS3-07-4-00\n', 'OS79XX.TXT');
    assert.deepEqual(
      os.problems.map((p) => [p.code, p.findingId, p.line, p.column]),
      [['IMAGE_NAME_LETTER_O', 'IMAGE_NAME_LETTER_O', 1, 1]],
    );
    assert.match(os.problems[0]!.message, /P0S3-07-4-00/);
  });

  it('reports a name of the wrong form for its version (seed: SIP 2.3 and earlier P0S3xxyy, 3.0 and later P0S3-xx-y-zz)', () => {
    for (const content of ['P0S3-02-3-00', 'P0S30704']) {
      const os = parseOs79xxTxt(content, 'OS79XX.TXT');
      assert.deepEqual(
        os.problems.map((p) => [p.code, p.findingId]),
        [['OS79XX_FORM_FOR_VERSION', 'OS79XX_SYNTAX']],
        content,
      );
    }
  });

  it('reports an empty file, a blank line, a byte-order mark, and a name that is no image name', () => {
    assert.deepEqual(where(parseOs79xxTxt('', 'OS79XX.TXT').problems), [['OS79XX_EMPTY', 1, 1]]);
    assert.equal(parseOs79xxTxt('', 'OS79XX.TXT').requestedFileName, '.bin');
    assert.deepEqual(where(parseOs79xxTxt('P0S3-07-4-00\n\n', 'OS79XX.TXT').problems), [['OS79XX_BLANK_LINES', 2, 1]]);
    const bom = parseOs79xxTxt(Buffer.from('\uFEFFP0S3-07-4-00'), 'OS79XX.TXT');
    assert.deepEqual(where(bom.problems), [['OS79XX_BYTE_ORDER_MARK', 1, 1]]);
    assert.equal(bom.requestedFileName, '\uFEFFP0S3-07-4-00.bin');
    assert.equal(bom.image?.column, 2);
    assert.deepEqual(
      parseOs79xxTxt('SIP 7.4\n', 'OS79XX.TXT').problems.map((p) => [p.code, p.findingId]),
      [['OS79XX_NOT_IMAGE_NAME', 'OS79XX_SYNTAX']],
    );
    assert.deepEqual(where(parseOs79xxTxt('  P0S3-07-4-00', 'OS79XX.TXT').problems), [['OS79XX_LEADING_SPACE', 1, 1]]);
  });
});
