import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareVersions,
  formatVersion,
  parseImageName,
  parseProtocolVersion,
} from '../../parsers/firmware/image-name.js';
import { KNOWN_RELEASES } from '../../parsers/firmware/releases.js';

describe('formatVersion writes versions as Cisco does', () => {
  it("SIP '8.12', '4.4'; SCCP '8.1(2)SR2', '7.2(3)', '5.0(1.1)'", () => {
    assert.equal(formatVersion({ major: 8, minor: 12, maintenance: 0 }, 'SIP'), '8.12');
    assert.equal(formatVersion({ major: 4, minor: 4, maintenance: 0 }, 'SIP'), '4.4');
    assert.equal(formatVersion({ major: 8, minor: 1, maintenance: 2, serviceRelease: 2 }, 'SCCP'), '8.1(2)SR2');
    assert.equal(formatVersion({ major: 7, minor: 2, maintenance: 3 }, 'SCCP'), '7.2(3)');
    assert.equal(formatVersion({ major: 5, minor: 0, maintenance: 1, build: 1 }, 'SCCP'), '5.0(1.1)');
    assert.equal(formatVersion({ major: 8, minor: 12, maintenance: 0 }, 'loader'), '8.12');
  });
});

describe('parseProtocolVersion reads what people type', () => {
  const forms: readonly (readonly [string, string, string])[] = [
    ['SIP 8.12', 'SIP', '8.12'],
    ['sip8.12', 'SIP', '8.12'],
    ['SIP-8.12', 'SIP', '8.12'],
    ['SCCP 8.1(2)SR2', 'SCCP', '8.1(2)SR2'],
    ['sccp 8.1(2) SR2', 'SCCP', '8.1(2)SR2'],
    ['SCCP 7.2(3)', 'SCCP', '7.2(3)'],
    ['SCCP 5.0(1.1)', 'SCCP', '5.0(1.1)'],
    ['SCCP 8.1.2', 'SCCP', '8.1(2)'],
  ];
  for (const [text, protocol, version] of forms) {
    it(`"${text}"`, () => {
      const parsed = parseProtocolVersion(text);
      assert.equal(parsed?.protocol, protocol);
      assert.equal(formatVersion(parsed!.version, parsed!.protocol), version);
    });
  }
  it('refuses text without a protocol or with junk', () => {
    for (const text of ['8.12', 'SIP', 'SIP eight', 'MGCP 8.0', 'SIP 8.12 please'])
      assert.equal(parseProtocolVersion(text), undefined, text);
  });
});

describe('round trips', () => {
  it('every known release: format → parse gives the same version', () => {
    for (const release of KNOWN_RELEASES) {
      const text = `${release.protocol} ${formatVersion(release.version, release.protocol)}`;
      const back = parseProtocolVersion(text);
      assert.equal(back?.protocol, release.protocol, text);
      assert.equal(compareVersions(back!.version, release.version), 0, text);
    }
  });

  it('image name → version → text → version', () => {
    for (const name of ['P0S3-8-12-00', 'P0S30203', 'P00308010200', 'P0030801SR02', 'P00305000101', 'P00308001000']) {
      const parsed = parseImageName(name);
      const text = `${parsed.protocol} ${formatVersion(parsed.version!, parsed.protocol)}`;
      assert.equal(compareVersions(parseProtocolVersion(text)!.version, parsed.version!), 0, `${name} → ${text}`);
    }
  });
});

describe('compareVersions', () => {
  const order = [
    'SCCP 3.3(3)',
    'SCCP 5.0(1.1)',
    'SCCP 5.0(2)',
    'SCCP 7.2(3)',
    'SCCP 8.0(9)',
    'SCCP 8.0(10)',
    'SCCP 8.1(2)',
    'SCCP 8.1(2)SR2',
  ];
  it(`orders ${order.join(' < ')}`, () => {
    const versions = order.map((t) => parseProtocolVersion(t)!.version);
    for (let i = 1; i < versions.length; i++) {
      assert.ok(compareVersions(versions[i - 1]!, versions[i]!) < 0, `${order[i - 1]} < ${order[i]}`);
      assert.ok(compareVersions(versions[i]!, versions[i - 1]!) > 0, `${order[i]} > ${order[i - 1]}`);
    }
  });
  it('SIP 8.9 < 8.11 < 8.12 (numeric, not textual) and equal versions compare 0', () => {
    const [a, b, c] = ['SIP 8.9', 'SIP 8.11', 'SIP 8.12'].map((t) => parseProtocolVersion(t)!.version);
    assert.ok(compareVersions(a!, b!) < 0);
    assert.ok(compareVersions(b!, c!) < 0);
    assert.equal(compareVersions(parseImageName('P0S3-08-12-00').version!, parseImageName('P0S3-8-12-00').version!), 0);
  });
});
