import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGkDefault } from '../../parsers/provisioning/gkdefault.js';

// The seed tech note, "SIP 5.x, 6.x to SCCP": the line as shipped with SIP, and as edited for SCCP 8.0(4).
const SIP_LINE = 'upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x060412a,CP7940080001SIP060412A.sbin';
const SCCP_LINE = 'upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x051117a,CP7940080001SCCP051117A.sbin';

const where = (problems: readonly { code: string; line: number; column: number }[]) =>
  problems.map((p) => [p.code, p.line, p.column]);

describe('gkdefault.txt upgradecode', () => {
  it("reads the seed's SIP and SCCP lines", () => {
    for (const [line, protocol, date] of [
      [SIP_LINE, 'SIP', '0x060412a'],
      [SCCP_LINE, 'SCCP', '0x051117a'],
    ] as const) {
      const gk = parseGkDefault(`${line}\n`, 'gkdefault.txt');
      assert.deepEqual(gk.problems, [], line);
      const [code] = gk.upgradeCodes;
      assert.equal(code?.fields.length, 8);
      assert.deepEqual(
        [code?.tftpServer?.value, code?.tftpPort?.value, code?.dateCode?.value],
        ['0.0.0.0', '69', date],
      );
      assert.equal(code?.dateCode?.column, line.indexOf(date) + 1);
      assert.equal(code?.image?.name, line.split(',').pop());
      assert.equal(code?.image?.image.protocol, protocol);
    }
  });

  it('reports a date code left unchanged when the image name was changed (the seed says to change both)', () => {
    const half = SIP_LINE.replace('CP7940080001SIP060412A.sbin', 'CP7940080001SCCP051117A.sbin');
    const gk = parseGkDefault(`# edited\n${half}\n`, 'gkdefault.txt');
    assert.deepEqual(where(gk.problems), [['GKDEFAULT_DATE_MISMATCH', 2, half.indexOf('0x060412a') + 1]]);
    assert.equal(gk.problems[0]!.findingId, 'GKDEFAULT_UPGRADECODE');
  });

  it('reports literal fields not entered exactly, a bad address and a malformed date code', () => {
    const line = 'upgradecode:3,0x601,0x400,0x0100,192.0.2.300,6969,0x0604121,CP7940080001SIP060412A.sbin';
    const gk = parseGkDefault(line, 'gkdefault.txt');
    assert.deepEqual(where(gk.problems), [
      ['GKDEFAULT_LITERAL_FIELD', 1, line.indexOf('0x400') + 1],
      ['GKDEFAULT_TFTP_ADDRESS', 1, line.indexOf('192.0.2.300') + 1],
      ['GKDEFAULT_LITERAL_FIELD', 1, line.indexOf('6969') + 1],
      ['GKDEFAULT_DATE_CODE', 1, line.indexOf('0x0604121') + 1],
    ]);
    assert.ok(gk.problems.every((p) => p.findingId === 'GKDEFAULT_UPGRADECODE'));
  });

  it('reports a missing field, a missing line, a second line, and a 7940 load name in place of the CP name', () => {
    assert.deepEqual(
      where(
        parseGkDefault('upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,CP7940080001SIP060412A.sbin', 'gkdefault.txt')
          .problems,
      )
        .map(([code]) => code)
        .includes('GKDEFAULT_FIELD_COUNT'),
      true,
    );
    assert.deepEqual(where(parseGkDefault('# nothing here\n', 'gkdefault.txt').problems), [
      ['GKDEFAULT_NO_UPGRADECODE', 1, 1],
    ]);
    assert.deepEqual(where(parseGkDefault(`${SIP_LINE}\n${SCCP_LINE}\n`, 'gkdefault.txt').problems), [
      ['GKDEFAULT_DUPLICATE_UPGRADECODE', 2, 1],
    ]);
    const p003 = SCCP_LINE.replace('CP7940080001SCCP051117A.sbin', 'P00308000400.sbn');
    assert.deepEqual(
      parseGkDefault(p003, 'gkdefault.txt').problems.map((p) => p.code),
      ['GKDEFAULT_IMAGE_NAME'],
    );
  });

  it('tolerates blanks around the fields and CRLF line ends', () => {
    const gk = parseGkDefault(
      'upgradecode: 3, 0x601, 0x0400, 0x0100, 0.0.0.0, 69, 0x060412a, CP7940080001SIP060412A.sbin\r\n',
      'gkdefault.txt',
    );
    assert.deepEqual(gk.problems, []);
    assert.equal(gk.upgradeCodes[0]?.image?.name, 'CP7940080001SIP060412A.sbin');
  });
});
