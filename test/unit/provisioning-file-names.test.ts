import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SECURITY_FILE_KINDS,
  classifyFileName,
  dialPlanFileName,
  expectedFileName,
  os79xxRequestedFileName,
  parseMac,
} from '../../parsers/provisioning/file-names.js';

// phone-facts 2.1: tftpd-hpa log of a 7960 booting SIP 8.12 with tftp_cfg_dir: "./" (LKML-TEO).
const LKML_BOOT = `
Dec 20 03:25:25 freepbx in.tftpd[8214]: RRQ from 192.168.1.130 filename CTLSEP000E84C060A6.tlv
Dec 20 03:25:25 freepbx in.tftpd[8215]: RRQ from 192.168.1.130 filename SEP000E84C060A6.cnf.xml
Dec 20 03:25:25 freepbx in.tftpd[8216]: RRQ from 192.168.1.130 filename P0S3-8-12-00.loads
Dec 20 03:25:49 freepbx in.tftpd[8217]: RRQ from 192.168.1.130 filename SIPDefault.cnf
Dec 20 03:25:49 freepbx in.tftpd[8218]: RRQ from 192.168.1.130 filename ./SIP000E84C060A6.cnf
Dec 20 03:25:51 freepbx in.tftpd[8219]: RRQ from 192.168.1.130 filename RINGLIST.DAT
Dec 20 03:25:51 freepbx in.tftpd[8220]: RRQ from 192.168.1.130 filename dialplan.xml`;
const requested = LKML_BOOT.trim()
  .split('\n')
  .map((l) => l.split('filename ')[1]!);

describe('provisioning file names', () => {
  it('classifies every file of the LKML-TEO SIP 8.12 boot, with the MAC in both forms', () => {
    const classified = requested.map(classifyFileName);
    assert.deepEqual(
      classified.map((c) => c.kind),
      ['ctl-phone', 'sep-xml', 'image', 'sip-default', 'sip-phone', 'ringlist', 'dialplan'],
    );
    for (const c of classified) {
      assert.equal(c.caseMismatch, false, c.name);
      assert.deepEqual(c.problems, [], c.name);
      assert.equal(c.canonicalName, c.name, c.name);
    }
    for (const c of classified.filter((x) => x.mac))
      assert.deepEqual(c.mac, { canonical: '00:0e:84:c0:60:a6', file: '000E84C060A6' });
    assert.deepEqual(
      classified.filter((c) => c.mac).map((c) => c.kind),
      ['ctl-phone', 'sep-xml', 'sip-phone'],
    );
    assert.equal(classified[4]!.directory, './');
    assert.equal(classified[4]!.baseName, 'SIP000E84C060A6.cnf');
    assert.equal(classified[2]!.image?.protocol, 'SIP');
    assert.ok(SECURITY_FILE_KINDS.has(classified[0]!.kind));
  });

  it('builds the names the phone requested in that log', () => {
    const mac = '00:0e:84:c0:60:a6';
    assert.deepEqual(
      [
        expectedFileName('ctl-phone', mac),
        expectedFileName('sep-xml', mac),
        expectedFileName('sip-default'),
        expectedFileName('sip-phone', mac, './'),
        expectedFileName('ringlist'),
        dialPlanFileName('dialplan'),
      ],
      requested.filter((n) => !n.endsWith('.loads')),
    );
    assert.equal(expectedFileName('dialplan'), dialPlanFileName('dialplan'));
  });

  it('recognises other names seen in captures and logs (facts 2.2, 6.1–6.4)', () => {
    const kinds = Object.fromEntries(
      [
        'CTLSEP0006537B84EF.tlv',
        'CTLSEPA8B1D4FAFAF1.tlv',
        'CTLSEP000ED7485DE3.tlv',
        'ITLSEP000ED7485DE3.tlv',
        'CTLFile.tlv',
        'OS79XX.TXT',
        'XMLDefault.cnf.xml',
        'SEPDefault.cnf',
        'gkdefault.txt',
        'gkdefault.cfg',
        'P003-8-12-00.sbn',
        'P00307020300.sb2',
        'P0S30202.bin',
        'FlintPhone.raw',
        'ringer1.pcm',
        'term11.default.loads',
        'README.txt',
      ].map((n) => [n, classifyFileName(n).kind]),
    );
    assert.deepEqual(kinds, {
      'CTLSEP0006537B84EF.tlv': 'ctl-phone',
      'CTLSEPA8B1D4FAFAF1.tlv': 'ctl-phone',
      'CTLSEP000ED7485DE3.tlv': 'ctl-phone',
      'ITLSEP000ED7485DE3.tlv': 'itl-phone',
      'CTLFile.tlv': 'ctl-file',
      'OS79XX.TXT': 'os79xx',
      'XMLDefault.cnf.xml': 'xml-default',
      'SEPDefault.cnf': 'sep-default',
      'gkdefault.txt': 'gkdefault-txt',
      'gkdefault.cfg': 'gkdefault-cfg',
      'P003-8-12-00.sbn': 'image',
      'P00307020300.sb2': 'image',
      'P0S30202.bin': 'image',
      'FlintPhone.raw': 'ring',
      'ringer1.pcm': 'ring',
      'term11.default.loads': 'image',
      'README.txt': 'other',
    });
    const java = classifyFileName('term11.default.loads');
    assert.equal(java.image?.requestableBy7940, false, 'a Java-phone load is never a 7940/7960 request');
  });

  it('gives the right spelling of names in the wrong letter case (TFTP servers are case sensitive)', () => {
    const cases: Array<[string, string]> = [
      ['sip000e84c060a6.cnf', 'SIP000E84C060A6.cnf'],
      ['SIP000E84C060A6.CNF', 'SIP000E84C060A6.cnf'],
      ['./Sip000e84C060a6.cnf', './SIP000E84C060A6.cnf'],
      ['sipdefault.cnf', 'SIPDefault.cnf'],
      ['os79xx.txt', 'OS79XX.TXT'],
      ['phones/sep000e84c060a6.cnf.xml', 'phones/SEP000E84C060A6.cnf.xml'],
      ['ringlist.dat', 'RINGLIST.DAT'],
      ['xmldefault.cnf.xml', 'XMLDefault.cnf.xml'],
      ['p0s3-8-12-00.loads', 'P0S3-8-12-00.loads'],
    ];
    for (const [given, right] of cases) {
      const c = classifyFileName(given);
      assert.equal(c.caseMismatch, true, given);
      assert.equal(c.canonicalName, right, given);
      assert.equal(c.problems.length, 1, given);
      assert.equal(c.problems[0]!.findingId, 'FILE_NAME_CASE', given);
    }
    assert.equal(classifyFileName('sip000e84c060a6.cnf').mac?.file, '000E84C060A6');
  });

  it('reports the letter O in an image file name', () => {
    const c = classifyFileName('POS3-07-4-00.bin');
    assert.equal(c.kind, 'image');
    assert.deepEqual(
      c.problems.map((p) => [p.code, p.findingId]),
      [['IMAGE_NAME_LETTER_O', 'IMAGE_NAME_LETTER_O']],
    );
    assert.equal(c.canonicalName, 'P0S3-07-4-00.bin');
    assert.equal(c.caseMismatch, false);
  });

  it('reads MAC addresses in the usual notations and refuses others', () => {
    for (const text of ['000E84C060A6', '00:0e:84:c0:60:a6', '00-0E-84-C0-60-A6', '000e.84c0.60a6']) {
      assert.deepEqual(parseMac(text), { canonical: '00:0e:84:c0:60:a6', file: '000E84C060A6' }, text);
    }
    for (const text of ['000E84C060A', '00:0e:84-c0:60:a6', '000E84C060AG', 'SEP000E84C060A6'])
      assert.equal(parseMac(text), undefined, text);
    assert.throws(() => expectedFileName('sep-xml', 'not-a-mac'), RangeError);
  });

  it('puts tftp_cfg_dir literally in front of SIP<MAC>.cnf only', () => {
    assert.equal(expectedFileName('sip-phone', '000e84c060a6', 'phones/'), 'phones/SIP000E84C060A6.cnf');
    assert.equal(expectedFileName('sip-phone', '000e84c060a6'), 'SIP000E84C060A6.cnf');
    assert.equal(classifyFileName(expectedFileName('sip-phone', '000e84c060a6', 'phones/')).directory, 'phones/');
  });

  it('builds the request of a phone following OS79XX.TXT: the line plus .bin, bad characters and all', () => {
    assert.equal(os79xxRequestedFileName('P0S3-07-4-00'), 'P0S3-07-4-00.bin');
    assert.equal(os79xxRequestedFileName('P0S3-07-4-00 '), 'P0S3-07-4-00 .bin');
    assert.equal(classifyFileName(os79xxRequestedFileName('P00308010200')).image?.protocol, 'SCCP');
  });
});
