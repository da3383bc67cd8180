import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import type { PhoneModel } from '../../parsers/provisioning/sccp-xml.js';
import { InputError } from '../../src/exit-codes.js';
import type { Finding } from '../../src/findings/finding.js';
import { exitCodeFor } from '../../src/findings/report.js';
import { runningRelease } from '../../src/flows/phone.js';
import { lintTftpRoot } from '../../src/lint/lint.js';
import type { LintResult } from '../../src/lint/lint.js';
import { fixture } from '../helpers.js';

interface Flags {
  readonly mac?: string;
  readonly model?: PhoneModel;
  readonly current?: string;
  readonly target?: string;
}

function lint(dir: string, flags: Flags = {}): LintResult {
  return lintTftpRoot(dir, {
    ...(flags.mac ? { macs: [parseMac(flags.mac)!] } : {}),
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.current ? { current: runningRelease(parseProtocolVersion(flags.current)!) } : {}),
    ...(flags.target ? { target: runningRelease(parseProtocolVersion(flags.target)!) } : {}),
  });
}

const root = (name: string): string => fixture('tftp-roots', name);
/**
 * The real LKML-TEO XMLDefault.cnf.xml (the correct root, and the roots copied from it) quotes
 * the 7965's model with a typographic quote on line 21: CONFIG_MALFORMED, a warning, in
 * every root that holds it (its own test below). The other checks look past it.
 */
const realTypographicQuote = (f: Finding): boolean =>
  f.id === 'CONFIG_MALFORMED' && f.evidence.every((e) => e.file === 'XMLDefault.cnf.xml' && e.line === 21);
const ids = (r: LintResult): string[] =>
  [...new Set(r.findings.filter((f) => !realTypographicQuote(f)).map((f) => f.id))].sort();
const only = (r: LintResult, id: string): Finding => {
  const found = r.findings.filter((f) => f.id === id);
  assert.equal(found.length, 1, `${id}: ${JSON.stringify(r.findings.map((f) => f.id))}`);
  return found[0]!;
};
const files = (f: Finding): string[] => [...new Set(f.evidence.map((e) => e.file))].sort();
const serious = (r: LintResult): Finding[] =>
  r.findings.filter((f) => f.severity !== 'info' && !realTypographicQuote(f));

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-lint-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let copies = 0;
/** A copy of a fixture root to change (modes are not kept by git, so they are set here). */
function copyOf(name: string): string {
  const dir = path.join(scratch, `${name}-${copies++}`);
  cpSync(root(name), dir, { recursive: true });
  return dir;
}

describe('lint: one root per conversion flow of the seed, each clean', () => {
  const flows: Array<[string, Flags, string]> = [
    ['sccp-to-sip-os79xx', { mac: '002094D245CB', current: 'SCCP 3.3(3)' }, 'sccp-to-sip-os79xx'],
    ['sccp-to-sip-loader', { mac: '0003E3A4B5C6', model: '7960', current: 'SCCP 5.0(2)' }, 'sccp-to-sip-loader'],
    ['sip-to-sccp-config', { mac: '0006537B84EF', model: '7940', current: 'SIP 8.12' }, 'sip-to-sccp-config'],
    ['sip-to-sccp-gkdefault', { mac: '00137F1A2B3C', model: '7940', current: 'SIP 6.3' }, 'sip-to-sccp-gkdefault'],
  ];
  for (const [name, flags, flow] of flows) {
    it(`${name}: the phone reaches its target by the ${flow} flow, with no error or warning`, () => {
      const result = lint(root(name), flags);
      assert.deepEqual(serious(result), []);
      assert.equal(result.phones[0]!.flow, flow);
      assert.equal(result.predictions[0]!.end, 'settled');
      assert.equal(result.phones[0]!.target?.protocol, flow.includes('-to-sccp-') ? 'SCCP' : 'SIP');
      assert.equal(exitCodeFor(result.findings), 0);
    });
  }

  it('the loader flow reads SIP<MAC>.cnf from tftp_cfg_dir', () => {
    const result = lint(root('sccp-to-sip-loader'), { mac: '0003E3A4B5C6', current: 'SCCP 5.0(2)' });
    assert.ok(result.phones[0]!.requests!.some((r) => r.file === 'phones/SIP0003E3A4B5C6.cnf' && r.answer === 'found'));
  });
});

describe('lint: the correct root (real LKML-TEO files) is clean for every phone', () => {
  it('but for the typographic quote of its real XMLDefault.cnf.xml: CONFIG_MALFORMED with line and column, a warning worded "likely"', () => {
    const result = lint(root('correct'));
    const malformed = only(result, 'CONFIG_MALFORMED');
    assert.equal(malformed.severity, 'warning');
    assert.deepEqual(
      malformed.evidence.map((e) => [e.file, e.line]),
      [['XMLDefault.cnf.xml', 21]],
    );
    assert.match(malformed.evidence[0]!.text, /column 27: .*typographic quote/);
    assert.match(malformed.explanation, /likely/i);
    assert.equal(exitCodeFor(result.findings), 0);
  });

  const cases: Flags[] = [
    {},
    { mac: '000E84C060A6' },
    { mac: '000E84C060A6', current: 'SIP 8.12' },
    { mac: '000E84C060A6', model: '7960', current: 'SCCP 8.0(5)' },
    { mac: '000E84C060A6', model: '7960', current: 'SCCP 5.0(2)' },
    { current: 'SCCP 8.0(5)' },
    { mac: '000E84C060A6', current: 'SIP 7.5', target: 'SIP 8.12' },
  ];
  for (const flags of cases) {
    it(`clean with ${JSON.stringify(flags)}`, () => {
      const result = lint(root('correct'), flags);
      assert.deepEqual(serious(result), []);
      assert.equal(exitCodeFor(result.findings), 0);
    });
  }
});

describe('lint: one broken root per common mistake', () => {
  it('a .bin in OS79XX.TXT: OS79XX_SYNTAX, and the phone asks for P0S30203.bin.bin', () => {
    const result = lint(root('broken-os79xx-bin'), { mac: '002094D245CB', current: 'SCCP 3.3(3)' });
    assert.deepEqual(ids(result), ['IMAGE_NOT_FOUND', 'OS79XX_SYNTAX']);
    const syntax = only(result, 'OS79XX_SYNTAX');
    assert.deepEqual(files(syntax), ['OS79XX.TXT']);
    assert.equal(syntax.evidence[0]!.line, 1);
    assert.match(syntax.fix[0]!, /single line P0S30203 /);
    const missing = only(result, 'IMAGE_NOT_FOUND');
    assert.equal(missing.causedBy, 'OS79XX_SYNTAX');
    assert.match(missing.evidence[0]!.text, /P0S30203\.bin\.bin/);
    assert.equal(exitCodeFor(result.findings), 1);
  });

  it('a trailing blank and CR in OS79XX.TXT (CSCdv19260): OS79XX_SYNTAX with both problems', () => {
    const result = lint(root('broken-os79xx-trailing-space'));
    assert.deepEqual(ids(result), ['OS79XX_SYNTAX']);
    const syntax = only(result, 'OS79XX_SYNTAX');
    assert.equal(syntax.evidence.length, 2);
    assert.ok(syntax.evidence.some((e) => /blank/.test(e.text)) && syntax.evidence.some((e) => /CR LF/.test(e.text)));
    const converting = lint(root('broken-os79xx-trailing-space'), { mac: '002094D245CB', current: 'SCCP 3.3(3)' });
    assert.equal(only(converting, 'IMAGE_NOT_FOUND').causedBy, 'OS79XX_SYNTAX');
  });

  it('a per-phone file with a lower-case MAC: FILE_NAME_CASE naming both spellings', () => {
    for (const flags of [{}, { mac: '002094D245CB', current: 'SCCP 3.3(3)' }]) {
      const result = lint(root('broken-lowercase-mac'), flags);
      assert.deepEqual(ids(result), ['FILE_NAME_CASE']);
      const finding = only(result, 'FILE_NAME_CASE');
      assert.deepEqual(files(finding), ['sip002094d245cb.cnf']);
      assert.match(finding.fix[0]!, /^Rename sip002094d245cb\.cnf to SIP002094D245CB\.cnf/);
      assert.equal(finding.phone?.mac, '00:20:94:d2:45:cb');
    }
  });

  it('the letter O in OS79XX.TXT: IMAGE_NAME_LETTER_O, and the image the phone asks for never exists', () => {
    const result = lint(root('broken-letter-o'), { mac: '002094D245CB', current: 'SCCP 3.3(3)' });
    assert.deepEqual(ids(result), ['IMAGE_NAME_LETTER_O', 'IMAGE_NOT_FOUND']);
    assert.match(only(result, 'IMAGE_NAME_LETTER_O').fix[0]!, /write P0S30203 instead of POS30203/);
    assert.equal(only(result, 'IMAGE_NOT_FOUND').causedBy, 'IMAGE_NAME_LETTER_O');
    assert.equal(result.phones[0]!.requests![1]!.file, 'POS30203.bin');
  });

  it('a .loads without its .sb2: LOADS_PART_MISSING, also where a converting phone stops', () => {
    const plain = lint(root('broken-missing-sb2'));
    assert.deepEqual(ids(plain), ['LOADS_PART_MISSING']);
    const finding = only(plain, 'LOADS_PART_MISSING');
    assert.deepEqual(files(finding), ['P0S3-8-12-00.loads']);
    assert.match(finding.evidence[0]!.text, /P0S3-8-12-00\.sb2/);
    const converting = lint(root('broken-missing-sb2'), { mac: '000E84C060A6', current: 'SCCP 8.0(5)' });
    assert.deepEqual(ids(converting), ['LOADS_PART_MISSING']);
    assert.equal(converting.predictions[0]!.end, 'part-missing');
  });

  it('OS79XX.TXT and the config files naming different images: IMAGE_SOURCES_DISAGREE, a warning (exit 0)', () => {
    const result = lint(root('broken-sources-disagree'));
    assert.deepEqual(ids(result), ['IMAGE_SOURCES_DISAGREE']);
    const finding = only(result, 'IMAGE_SOURCES_DISAGREE');
    assert.equal(finding.severity, 'warning');
    assert.ok(files(finding).includes('OS79XX.TXT') && files(finding).includes('SIPDefault.cnf'));
    assert.equal(exitCodeFor(result.findings), 0);
    // An old image follows OS79XX.TXT to 7.5, the 7.5 image then follows the config files to 8.12.
    const old = lint(root('broken-sources-disagree'), { mac: '000E84C060A6', model: '7960', current: 'SCCP 5.0(2)' });
    assert.deepEqual(
      old.predictions[0]!.boots.map((b) => b.running.image),
      ['P00305000200', 'P0S3-07-5-00', 'P0S3-8-12-00'],
    );
  });

  it("files others cannot read: TFTP_ACCESS_DENIED, and the loader's hunt stops on the refused SEP file", () => {
    const dir = copyOf('sccp-to-sip-loader');
    chmodSync(path.join(dir, 'SEP0003E3A4B5C6.cnf.xml'), 0o600);
    chmodSync(path.join(dir, 'phones'), 0o700);
    const result = lint(dir, { mac: '0003E3A4B5C6', current: 'SCCP 5.0(2)' });
    assert.deepEqual(ids(result), ['TFTP_ACCESS_DENIED', 'UAL_HUNT_STOPPED']);
    assert.deepEqual(files(only(result, 'TFTP_ACCESS_DENIED')), ['SEP0003E3A4B5C6.cnf.xml', 'phones']);
    assert.equal(only(result, 'UAL_HUNT_STOPPED').causedBy, 'TFTP_ACCESS_DENIED');
    assert.ok(result.phones[0]!.requests!.some((r) => r.file === 'SEP0003E3A4B5C6.cnf.xml' && r.answer === 'denied'));
  });
});

describe("lint: rules that need the phone's image or a changed root", () => {
  it('UPGRADE_PATH_BLOCKED names the 7.x step between SIP 6.3 and 8.12', () => {
    const result = lint(root('correct'), { mac: '000E84C060A6', current: 'SIP 6.3', target: 'SIP 8.12' });
    assert.deepEqual(ids(result), ['UPGRADE_PATH_BLOCKED']);
    assert.match(only(result, 'UPGRADE_PATH_BLOCKED').fix[0]!, /^Load P0S3-07-\d-00 first/);
  });

  it('a TFTP root shows a size, never the W210 message: BUFFER_FULL_W210_RISK (a warning, "likely") above the limit, never BUFFER_FULL_W210', () => {
    const sip23 = runningRelease(parseProtocolVersion('SIP 2.3')!);
    // The 1.7 KB LKML-TEO SIPDefault.cnf: below the default, a size real SIP 2.2 phones ran with.
    assert.ok(!lint(root('correct'), { current: 'SIP 2.3' }).findings.some((f) => f.id.startsWith('BUFFER_FULL_W210')));
    const strict = lintTftpRoot(root('correct'), { current: sip23, w210LimitBytes: 1024 });
    const risk = only(strict, 'BUFFER_FULL_W210_RISK');
    assert.equal(risk.severity, 'warning');
    assert.match(risk.explanation, /Likely/);
    assert.match(risk.evidence[0]!.text, /above the 1024 bytes/);
    assert.ok(!strict.findings.some((f) => f.id === 'BUFFER_FULL_W210'));
    assert.ok(
      !lintTftpRoot(root('correct'), {
        current: runningRelease(parseProtocolVersion('SIP 4.4')!),
        w210LimitBytes: 1024,
      }).findings.some((f) => f.id.startsWith('BUFFER_FULL_W210')),
    );
  });

  it('SCCP_NAME_TOO_LONG_FOR_SIP21 when a SIP 2.1 phone is sent P00308010200', () => {
    const result = lint(root('sip-to-sccp-config'), { mac: '0006537B84EF', current: 'SIP 2.1' });
    assert.deepEqual(ids(result), ['SCCP_NAME_TOO_LONG_FOR_SIP21']);
    assert.ok(files(only(result, 'SCCP_NAME_TOO_LONG_FOR_SIP21')).includes('OS79XX.TXT'));
  });

  it('GKDEFAULT_UPGRADECODE for a date code that does not match the image name, and for a missing gkdefault.cfg', () => {
    const dir = copyOf('sip-to-sccp-gkdefault');
    writeFileSync(
      path.join(dir, 'gkdefault.txt'),
      'upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x060412a,CP7940080001SCCP051117A.sbin\n',
    );
    rmSync(path.join(dir, 'gkdefault.cfg'));
    const result = lint(dir, { mac: '00137F1A2B3C', model: '7940' });
    assert.deepEqual(ids(result), ['GKDEFAULT_UPGRADECODE']);
    const findings = result.findings.filter((f) => f.id === 'GKDEFAULT_UPGRADECODE');
    assert.equal(findings.length, 2);
    assert.ok(findings.some((f) => f.evidence.some((e) => /date code/.test(e.text))));
    assert.ok(findings.some((f) => f.evidence.some((e) => /gkdefault\.cfg/.test(e.text))));
  });

  it('SIP_DEFAULT_MISSING and SIP_MAC_CONFIG_MISSING for a SIP phone without its config files', () => {
    const dir = copyOf('correct');
    rmSync(path.join(dir, 'SIPDefault.cnf'));
    rmSync(path.join(dir, 'SIP000E84C060A6.cnf'));
    const result = lint(dir, { mac: '000E84C060A6', current: 'SIP 8.12' });
    assert.deepEqual(ids(result), ['SIP_DEFAULT_MISSING', 'SIP_MAC_CONFIG_MISSING']);
    assert.deepEqual(files(only(result, 'SIP_MAC_CONFIG_MISSING')), ['SIP000E84C060A6.cnf']);
  });

  it('SCCP_CONFIG_MISSING for a phone converted to SCCP with neither SEP<MAC>.cnf.xml nor XMLDefault.cnf.xml', () => {
    const dir = copyOf('sip-to-sccp-config');
    rmSync(path.join(dir, 'SEP0006537B84EF.cnf.xml'));
    const result = lint(dir, { mac: '0006537B84EF', current: 'SIP 8.12' });
    assert.deepEqual(ids(result), ['SCCP_CONFIG_MISSING']);
    assert.deepEqual(files(only(result, 'SCCP_CONFIG_MISSING')), ['SEP0006537B84EF.cnf.xml', 'XMLDefault.cnf.xml']);
  });

  it('OS79XX_MISSING when an old SCCP phone must convert and nothing it reads names an image', () => {
    const dir = copyOf('sccp-to-sip-os79xx');
    rmSync(path.join(dir, 'OS79XX.TXT'));
    writeFileSync(path.join(dir, 'SIPDefault.cnf'), 'proxy1_address: "192.0.2.10"\n');
    const result = lint(dir, { mac: '002094D245CB', current: 'SCCP 3.3(3)', target: 'SIP 2.3' });
    assert.deepEqual(ids(result), ['OS79XX_MISSING']);
    assert.match(only(result, 'OS79XX_MISSING').fix[0]!, /P0S30203/);
  });

  it('FILE_NAME_CASE for an image in lower case, named once although a .loads needs it', () => {
    const dir = copyOf('correct');
    renameSync(path.join(dir, 'P0S3-8-12-00.sb2'), path.join(dir, 'p0s3-8-12-00.sb2'));
    const result = lint(dir);
    assert.deepEqual(ids(result), ['FILE_NAME_CASE']);
    assert.match(only(result, 'FILE_NAME_CASE').fix[0]!, /p0s3-8-12-00\.sb2 to P0S3-8-12-00\.sb2/);
  });

  it("IMAGE_NOT_FOUND for a name padded unlike the zip's files, with the spelling that is there", () => {
    const dir = copyOf('correct');
    writeFileSync(path.join(dir, 'SIPDefault.cnf'), 'image_version: "P0S3-08-12-00"\ntftp_cfg_dir: "./"\n');
    const result = lint(dir);
    assert.deepEqual(ids(result), ['IMAGE_NOT_FOUND']);
    const finding = only(result, 'IMAGE_NOT_FOUND');
    assert.deepEqual(files(finding), ['SIPDefault.cnf']);
    assert.match(finding.fix[0]!, /write P0S3-8-12-00/);
  });

  it('IMAGE_VERSION_SYNTAX for an image_version with an extension', () => {
    const dir = copyOf('correct');
    writeFileSync(path.join(dir, 'SIPDefault.cnf'), 'image_version: "P0S3-8-12-00.loads"\n');
    const result = lint(dir);
    assert.deepEqual(ids(result), ['IMAGE_NOT_FOUND', 'IMAGE_VERSION_SYNTAX']);
    assert.equal(only(result, 'IMAGE_VERSION_SYNTAX').evidence[0]!.line, 1);
    // The phone asks for the name as written plus .loads; that follows from the syntax error.
    assert.equal(only(result, 'IMAGE_NOT_FOUND').causedBy, 'IMAGE_VERSION_SYNTAX');
    assert.match(only(result, 'IMAGE_NOT_FOUND').evidence[0]!.text, /P0S3-8-12-00\.loads\.loads/);
  });

  it('TFTP_ACCESS_DENIED for a root directory others cannot enter', () => {
    const dir = mkdtempSync(path.join(scratch, 'closed-'));
    chmodSync(dir, 0o700);
    writeFileSync(path.join(dir, 'OS79XX.TXT'), 'P0S30203\n');
    writeFileSync(path.join(dir, 'P0S30203.bin'), 'x');
    const result = lint(dir, { current: 'SCCP 3.3(3)' });
    assert.deepEqual(ids(result), ['TFTP_ACCESS_DENIED']);
    assert.deepEqual(files(only(result, 'TFTP_ACCESS_DENIED')), ['.']);
    assert.equal(result.predictions[0]!.boots[0]!.requests[0]!.answer, 'denied');
  });

  it('NO_LOAD_SPECIFIED for an empty root and a phone whose image is not known', () => {
    const dir = mkdtempSync(path.join(scratch, 'empty-'));
    chmodSync(dir, 0o755);
    const result = lint(dir);
    assert.deepEqual(ids(result), ['NO_LOAD_SPECIFIED']);
    // A phone with an image in flash keeps it: it only misses its SIP settings.
    assert.deepEqual(ids(lint(dir, { current: 'SIP 8.12' })), ['SIP_DEFAULT_MISSING']);
  });

  it('a missing root is an InputError naming it', () => {
    const missing = path.join(scratch, 'no-such-root');
    assert.throws(
      () => lint(missing),
      (err: unknown) => err instanceof InputError && err.message.includes(missing),
    );
  });
});
