import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageNameFor, tftpFilesFor } from '../../parsers/firmware/bundles.js';
import { parseImageName, parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import { KNOWN_RELEASES } from '../../parsers/firmware/releases.js';

const files = (spec: string): string[] =>
  tftpFilesFor(parseProtocolVersion(spec)!)
    .files.map((f) => f.name)
    .sort();
const sorted = (...names: string[]): string[] => [...names].sort();

describe('files a release needs in the TFTP root', () => {
  it('SIP 8.12: the LKML-TEO /tftpboot listing (no zero padding)', () => {
    assert.deepEqual(
      files('SIP 8.12'),
      sorted('P0S3-8-12-00.loads', 'P0S3-8-12-00.sb2', 'P003-8-12-00.bin', 'P003-8-12-00.sbn'),
    );
    assert.equal(tftpFilesFor(parseProtocolVersion('SIP 8.12')!).inferred, false);
  });

  it('SIP 7.5: the DoES wiki zip', () => {
    assert.deepEqual(
      files('SIP 7.5'),
      sorted('P0S3-07-5-00.bin', 'P0S3-07-5-00.loads', 'P0S3-07-5-00.sb2', 'P003-07-5-00.bin', 'P003-07-5-00.sbn'),
    );
  });

  it('SCCP 7.2(3) and 8.0(5): the CME show flash listings', () => {
    assert.deepEqual(
      files('SCCP 7.2(3)'),
      sorted('P00307020300.bin', 'P00307020300.loads', 'P00307020300.sb2', 'P00307020300.sbn'),
    );
    assert.deepEqual(
      files('SCCP 8.0(5)'),
      sorted('P00308000500.bin', 'P00308000500.loads', 'P00308000500.sb2', 'P00308000500.sbn'),
    );
  });

  it('SIP 2.3: the single 8.3 name of the tech note', () => {
    assert.deepEqual(files('SIP 2.3'), ['P0S30203.bin']);
  });

  it('SIP 4.4: one unsigned .bin, no loader (pre-loader generation)', () => {
    assert.deepEqual(files('SIP 4.4'), ['P0S3-04-4-00.bin']);
  });

  it('other releases are marked inferred and follow their generation', () => {
    const sip84 = tftpFilesFor(parseProtocolVersion('SIP 8.4')!);
    assert.equal(sip84.inferred, true);
    assert.deepEqual(
      sip84.files.map((f) => f.name).sort(),
      sorted('P0S3-08-4-00.loads', 'P0S3-08-4-00.sb2', 'P003-08-4-00.bin', 'P003-08-4-00.sbn'),
    );
    assert.deepEqual(
      files('SCCP 8.1(2)SR2'),
      sorted('P0030801SR02.bin', 'P0030801SR02.loads', 'P0030801SR02.sb2', 'P0030801SR02.sbn'),
    );
  });

  it('every file of every known release parses back to its release, with a role', () => {
    for (const release of KNOWN_RELEASES) {
      const set = tftpFilesFor(release);
      assert.ok(set.files.length > 0);
      for (const file of set.files) {
        const parsed = parseImageName(file.name);
        assert.deepEqual(
          parsed.problems.filter((p) => p.severity !== 'info'),
          [],
          file.name,
        );
        assert.deepEqual(parsed.version && { ...parsed.version }, { ...release.version }, file.name);
        assert.equal(parsed.role, file.role, file.name);
      }
    }
  });

  it('version → image name: the readme spellings, and 8.12 as its real files', () => {
    const name = (spec: string) => imageNameFor(parseProtocolVersion(spec)!);
    assert.equal(name('SIP 8.12'), 'P0S3-8-12-00');
    assert.equal(name('SIP 8.11'), 'P0S3-08-11-00');
    assert.equal(name('SIP 7.4'), 'P0S3-07-4-00');
    assert.equal(name('SIP 2.3'), 'P0S30203');
    assert.equal(name('SCCP 7.2(3)'), 'P00307020300');
    assert.equal(name('SCCP 5.0(1.1)'), 'P00305000101');
    assert.equal(name('SCCP 8.1(2)SR2'), 'P0030801SR02');
  });
});
