import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { formatVersion, parseImageName } from '../../parsers/firmware/image-name.js';
import type { ImageName, NameContext } from '../../parsers/firmware/image-name.js';
import { sharedDir } from '../helpers.js';

const versionOf = (name: ImageName): string | undefined => name.version && formatVersion(name.version, name.protocol);
const codes = (name: ImageName): string[] => name.problems.map((p) => p.code);
const errors = (name: ImageName): string[] =>
  name.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`);

function sharedText(t: TestContext, ...parts: string[]): string | undefined {
  const dir = sharedDir();
  if (!dir) {
    t.skip('../shared is not beside the checkout');
    return undefined;
  }
  return readFileSync(path.join(dir, ...parts), 'utf8');
}

/** Every 7940/7960 image name quoted in a text, without the placeholders (`P0S3xxyy`) and bare prefixes. */
function quotedNames(text: string): string[] {
  const found = text.match(/(?<![A-Za-z0-9])P0[0S]3[-0-9A-Z]*(?:\.(?:bin|sbn|loads|sb2))?/g) ?? [];
  return [...new Set(found)].filter((n) => n.replace(/\..*$/, '').length >= 8);
}

describe('image names quoted in phone-facts.md (sections 2.1, 4.1, 5.x)', () => {
  it('every quoted name is a 7940/7960 image with a protocol and a version, and none is in error', (t) => {
    const facts = sharedText(t, 'phone-facts.md');
    if (!facts) return;
    const names = quotedNames(facts);
    assert.ok(names.length >= 40, `only ${names.length} names found`);
    for (const n of names) {
      const parsed = parseImageName(n);
      assert.equal(parsed.family, '7940/7960', n);
      assert.equal(parsed.requestableBy7940, true, n);
      assert.ok(parsed.version, `${n} has no version`);
      assert.ok(['SIP', 'SCCP', 'loader'].includes(parsed.protocol), n);
      assert.deepEqual(errors(parsed), [], n);
    }
  });

  it('reads the version the facts give next to each name (`P00303030300` → 3.3(3), `P0S3-04-4-00` → 4.4, …)', (t) => {
    const facts = sharedText(t, 'phone-facts.md');
    if (!facts) return;
    const pairs = [
      ...facts.matchAll(/`(P0[0S]3[0-9A-Z-]+)`\s*(?:→\s*|\(\s*)?(\d+\.\d+(?:\(\d+(?:\.\d+)?\))?(?:SR\d+)?)/g),
    ];
    assert.ok(pairs.length >= 15, `only ${pairs.length} pairs found`);
    for (const [, name, version] of pairs) assert.equal(versionOf(parseImageName(name!)), version, name);
  });
});

describe('naming schemes', () => {
  const cases: readonly (readonly [string, string, string | undefined, string])[] = [
    // name, protocol, version, scheme  (phone-facts 4.1; seed tech note)
    ['P0S30202', 'SIP', '2.2', 'sip-8.3'],
    ['P0S30203.bin', 'SIP', '2.3', 'sip-8.3'],
    ['P0030301.bin', 'SCCP', '3.1', 'sccp-8.3'],
    ['P00308010200', 'SCCP', '8.1(2)', 'sccp'],
    ['P00305000101.bin', 'SCCP', '5.0(1.1)', 'sccp'],
    ['P00308001000', 'SCCP', '8.0(10)', 'sccp'],
    ['P0030801SR02', 'SCCP', '8.1(2)SR2', 'sccp-service-release'],
    ['P0S3-08-12-00', 'SIP', '8.12', 'sip'],
    ['P0S3-8-12-00', 'SIP', '8.12', 'sip'],
    ['P0S3-07-4-00', 'SIP', '7.4', 'sip'],
    ['P003-8-12-00', 'loader', '8.12', 'loader'],
    ['P003-07-5-00.sbn', 'loader', '7.5', 'loader'],
  ];
  for (const [name, protocol, version, scheme] of cases) {
    it(`${name} → ${protocol} ${version}`, () => {
      const parsed = parseImageName(name);
      assert.equal(parsed.protocol, protocol);
      assert.equal(versionOf(parsed), version);
      assert.equal(parsed.scheme, scheme);
      assert.equal(parsed.requestableBy7940, true);
    });
  }

  it('the padded and the unpadded 8.12 names are the same release', () => {
    assert.deepEqual(parseImageName('P0S3-08-12-00').version, parseImageName('P0S3-8-12-00').version);
  });
});

describe('extensions, signing and the role of each file', () => {
  it('.bin unsigned, .sbn and .sb2 signed, .loads the descriptor (CME-INSTL, doc 68244)', () => {
    assert.equal(parseImageName('P00307020300.bin').signed, false);
    assert.equal(parseImageName('P00307020300.sbn').signed, true);
    assert.equal(parseImageName('P00307020300.sb2').signed, true);
    assert.equal(parseImageName('P00307020300.loads').signed, undefined);
    assert.equal(parseImageName('P00307020300.loads').role, 'load-descriptor');
    assert.equal(parseImageName('P00307020300.sb2').role, 'application');
    assert.equal(parseImageName('P0S3-8-12-00.sb2').role, 'application');
  });

  it('the small .bin/.sbn of a loader-era SCCP zip and every P003-xx-y-zz are the loader', () => {
    assert.equal(parseImageName('P00307020300.sbn').role, 'loader');
    assert.equal(parseImageName('P00307020300.bin').role, 'loader');
    assert.equal(parseImageName('P003-8-12-00.bin').role, 'loader');
    assert.equal(parseImageName('P003-8-12-00').role, 'loader');
  });

  it('before the loader era the .bin is the application; a name without extension is a load name', () => {
    assert.equal(parseImageName('P0S30203.bin').role, 'application');
    assert.equal(parseImageName('P0S3-04-4-00.bin').role, 'application');
    assert.equal(parseImageName('P00303030300.bin').role, 'application');
    assert.equal(parseImageName('P0S3-8-12-00').role, 'load-name');
  });

  it('5.0 and newer are signed-only, older loads are not (readmes, CME-INSTL)', () => {
    assert.equal(parseImageName('P0S3-05-2-00').signedOnly, true);
    assert.equal(parseImageName('P00305000200').signedOnly, true);
    assert.equal(parseImageName('P0S3-04-4-00').signedOnly, false);
    assert.equal(parseImageName('P00303030300').signedOnly, false);
    assert.equal(parseImageName('P0S30203.bin').signedOnly, false);
  });
});

describe('other phone families', () => {
  it('7905/7912-style CP names are labelled and not requestable by a 7940/7960 (facts 4.1, 5.5)', () => {
    for (const n of ['CP7940080001SIP060412A.sbin', 'CP7940080001SCCP051117A.sbin', 'CP7905080003SCCP070409A.zup']) {
      const parsed = parseImageName(n);
      assert.equal(parsed.family, '7905/7912', n);
      assert.equal(parsed.requestableBy7940, false, n);
      assert.equal(parsed.role, 'other-family', n);
      assert.ok(codes(parsed).includes('other-family'), n);
    }
    assert.equal(parseImageName('CP7940080001SIP060412A.sbin').protocol, 'SIP');
    assert.equal(parseImageName('CP7905080003SCCP070409A.zup').signed, false);
    assert.equal(parseImageName('CP7940080001SIP060412A.sbin').signed, true);
  });

  it('in a gkdefault upgradecode a CP name is expected: only an info note', () => {
    const parsed = parseImageName('CP7940080001SCCP051117A.sbin', { context: 'upgradecode' });
    assert.deepEqual(
      parsed.problems.map((p) => p.severity),
      ['info'],
    );
  });

  it('Java-phone names (termNN.default.loads, SCCPnn.…, jarNN…) are another family (CME-INSTL; sysop.ca)', () => {
    for (const n of [
      'term61.default.loads',
      'term11.default.loads',
      'term75.default.loads',
      'SCCP41.9-3-1SR1-1S.loads',
      'jar41sccp.9-3-1ES26.sbn',
    ]) {
      const parsed = parseImageName(n);
      assert.equal(parsed.family, 'java-phone', n);
      assert.equal(parsed.requestableBy7940, false, n);
    }
  });

  it('a name of no scheme is unrecognised and not requestable', () => {
    const parsed = parseImageName('firmware.bin');
    assert.equal(parsed.scheme, 'unrecognised');
    assert.equal(parsed.requestableBy7940, false);
    assert.deepEqual(codes(parsed), ['unrecognised']);
  });
});

describe('near-misses and what was probably meant', () => {
  const nearMiss = (input: string, code: string, suggestion: string, context: NameContext = 'file') => {
    const parsed = parseImageName(input, { context });
    assert.ok(codes(parsed).includes(code), `${JSON.stringify(input)}: ${codes(parsed).join(', ')}`);
    assert.equal(parsed.suggestion, suggestion, JSON.stringify(input));
    return parsed;
  };

  it('letter O for the digit zero: POS3-…, POO3…, P0S3-O7-… (IMAGE_NAME_LETTER_O)', () => {
    assert.equal(versionOf(nearMiss('POS3-07-4-00', 'letter-o', 'P0S3-07-4-00')), '7.4');
    assert.equal(versionOf(nearMiss('POO308010200', 'letter-o', 'P00308010200')), '8.1(2)');
    nearMiss('P0S3-O7-4-00', 'letter-o', 'P0S3-07-4-00');
    nearMiss('POS30203.bin', 'letter-o', 'P0S30203.bin');
  });

  it('the letter-O spellings in the seed tech note itself are caught', (t) => {
    const seed = sharedText(t, 'seed', 'cisco-7940-7960-sccp-sip-conversion.zh.md');
    if (!seed) return;
    const typos = [...new Set(seed.match(/POS3[-0-9A-Z]*(?:\.bin)?/g) ?? [])].filter(
      (n) => !/X|Y|xyy/i.test(n.slice(4)) && n.length >= 8,
    );
    assert.ok(typos.length >= 3, typos.join(' '));
    for (const n of typos) {
      const parsed = parseImageName(n);
      assert.ok(codes(parsed).includes('letter-o'), n);
      assert.equal(parsed.suggestion, n.replace('POS3', 'P0S3'), n);
    }
  });

  it('an extension where none belongs, in OS79XX.TXT, image_version and loadInformation (OS79XX_SYNTAX)', () => {
    nearMiss('P0S30203.bin', 'extension-not-allowed', 'P0S30203', 'os79xx');
    nearMiss('P0S3-8-12-00.loads', 'extension-not-allowed', 'P0S3-8-12-00', 'image_version');
    nearMiss('P00308010200.bin', 'extension-not-allowed', 'P00308010200', 'loadInformation');
    assert.deepEqual(codes(parseImageName('P0S30203.bin')), [], 'a file name may carry its extension');
  });

  it('trailing blanks, CR and tabs (bug CSCdv19260)', () => {
    for (const input of ['P00308010200 ', 'P00308010200\r', 'P00308010200\t', ' P00308010200']) {
      const parsed = nearMiss(input, 'whitespace', 'P00308010200', 'os79xx');
      assert.equal(versionOf(parsed), '8.1(2)');
      assert.equal(parsed.name, 'P00308010200');
    }
  });

  it('lower case: p0s3-… (TFTP servers are case sensitive)', () => {
    const parsed = nearMiss('p0s3-8-12-00', 'letter-case', 'P0S3-8-12-00');
    assert.equal(versionOf(parsed), '8.12');
    nearMiss('P0S3-8-12-00.LOADS', 'letter-case', 'P0S3-8-12-00.loads');
  });

  it('padding unlike the real files: P0S3-08-12-00 for the 8.12 zip, P0S3-7-4-00, P0S3-07-04-00', () => {
    const padded = nearMiss('P0S3-08-12-00', 'padding', 'P0S3-8-12-00');
    assert.equal(padded.problems.find((p) => p.code === 'padding')?.severity, 'warning');
    nearMiss('P0S3-7-4-00', 'padding', 'P0S3-07-4-00');
    nearMiss('P0S3-07-04-00', 'padding', 'P0S3-07-4-00');
    nearMiss('P003-08-12-00.sbn', 'padding', 'P003-8-12-00.sbn');
    assert.deepEqual(codes(parseImageName('P0S3-08-11-00')), [], 'the 8.11 readme name is padded');
  });

  it('the wrong scheme for the version: 8.3 names up to SIP 2.3, dashed from 3.0', () => {
    nearMiss('P0S3-02-3-00', 'scheme-for-version', 'P0S30203');
    nearMiss('P0S30400', 'scheme-for-version', 'P0S3-04-0-00');
  });

  it('a .bin for a release that ships only .loads/.sb2 and the loader (LKML-TEO 8.12 zip)', () => {
    const parsed = parseImageName('P0S3-8-12-00.bin');
    const problem = parsed.problems.find((p) => p.code === 'extension-not-in-release');
    assert.equal(problem?.severity, 'error');
    assert.match(problem!.message, /P003-8-12-00\.bin/);
    assert.deepEqual(codes(parseImageName('P0S3-07-5-00.bin')), [], 'the 7.5 zip has P0S3-07-5-00.bin (DoES wiki)');
    assert.ok(codes(parseImageName('P0S3-04-4-00.sb2')).includes('extension-not-in-release'));
  });

  it('several faults at once give one complete suggestion', () => {
    const parsed = parseImageName('pos3-07-4-00.bin \r', { context: 'os79xx' });
    for (const code of ['whitespace', 'letter-o', 'letter-case', 'extension-not-allowed'])
      assert.ok(codes(parsed).includes(code), code);
    assert.equal(parsed.suggestion, 'P0S3-07-4-00');
    assert.ok(
      parsed.problems.filter((p) => p.code !== 'unknown-release').every((p) => p.suggestion === 'P0S3-07-4-00'),
    );
  });

  it('a correct name has no problems and no suggestion', () => {
    for (const n of ['P0S3-8-12-00.loads', 'P003-8-12-00.sbn', 'P00307020300.sb2', 'P0S30203.bin']) {
      const parsed = parseImageName(n);
      assert.deepEqual(codes(parsed), [], n);
      assert.equal(parsed.suggestion, undefined, n);
    }
  });

  it('a version no source lists is noted, not refused', () => {
    const parsed = parseImageName('P0S3-08-13-00');
    assert.equal(versionOf(parsed), '8.13');
    assert.deepEqual(
      parsed.problems.map((p) => [p.code, p.severity]),
      [['unknown-release', 'info']],
    );
  });
});
