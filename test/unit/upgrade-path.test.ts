import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSignedOnly, parseImageName, parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import type { ProtocolVersion } from '../../parsers/firmware/image-name.js';
import { KNOWN_RELEASES } from '../../parsers/firmware/releases.js';
import { checkMove, findUpgradePath } from '../../src/upgrade/find-path.js';
import type { UpgradeStep } from '../../src/upgrade/find-path.js';
import { firmwareLabel, firmwareOf } from '../../src/upgrade/firmware.js';
import { nth } from '../helpers.js';

const pv = (spec: string): ProtocolVersion => parseProtocolVersion(spec)!;
const route = (steps: readonly UpgradeStep[]): string[] => steps.map((s) => firmwareLabel(s));
const setting = (step: UpgradeStep, name: string) => step.provisioning.find((p) => p.setting === name);

describe('invariants over pairs of known releases', () => {
  // Every other release, both protocols, old and new: 22 releases, 462 ordered pairs.
  const sample = KNOWN_RELEASES.filter((_, i) => i % 2 === 0);

  it('every step of every legal path is a legal move, ends where it should, and never revisits an image', () => {
    let legal = 0;
    for (const a of sample) {
      for (const b of sample) {
        if (a === b) continue;
        const path = findUpgradePath(a, b);
        if (!path.legal) continue;
        legal++;
        let here = firmwareOf(a);
        const seen = new Set([firmwareLabel(here)]);
        path.steps.forEach((step, i) => {
          const next = { protocol: step.protocol, version: step.version, image: step.image };
          const verdict = checkMove(here, next, { destination: i === path.steps.length - 1 });
          assert.ok(
            verdict.legal,
            `${firmwareLabel(a)} → ${firmwareLabel(b)}, step ${i + 1}: ${verdict.legal ? '' : verdict.reason}`,
          );
          assert.equal(verdict.legal && verdict.rule.id, step.rule.id);
          assert.ok(
            !seen.has(firmwareLabel(next)),
            `${firmwareLabel(a)} → ${firmwareLabel(b)} revisits ${firmwareLabel(next)}`,
          );
          seen.add(firmwareLabel(next));
          here = next;
        });
        assert.equal(firmwareLabel(here), firmwareLabel(b));
      }
    }
    assert.ok(legal > 300, `only ${legal} legal paths`);
  });

  it('no path ever leaves a signed load (5.0+) for an unsigned one; such requests are refused with the signing rule', () => {
    for (const a of sample.filter((r) => isSignedOnly(r.version))) {
      for (const b of sample.filter((r) => !isSignedOnly(r.version))) {
        const path = findUpgradePath(a, b);
        assert.equal(path.legal, false, `${firmwareLabel(a)} → ${firmwareLabel(b)}`);
        assert.match(path.reason!, /signed/);
      }
    }
  });

  it('a same-protocol path converts to the other protocol only when it cannot stay', () => {
    assert.ok(findUpgradePath(pv('SIP 4.4'), pv('SIP 8.12')).steps.every((s) => s.protocol === 'SIP'));
    assert.ok(findUpgradePath(pv('SCCP 3.3(3)'), pv('SCCP 8.1(2)SR2')).steps.every((s) => s.protocol === 'SCCP'));
  });
});

describe('SCCP → SIP', () => {
  it('SCCP 8.1(2)SR2 → SIP 8.12 in one step through the loader: the 8.12 zip, OS79XX.TXT naming P003-8-12-00 (LKML-TEO, DE-BLOG)', () => {
    const path = findUpgradePath(pv('SCCP 8.1(2)SR2'), pv('SIP 8.12'));
    assert.equal(path.legal, true);
    const [step] = path.steps;
    assert.equal(path.steps.length, 1);
    assert.equal(step!.image, 'P0S3-8-12-00');
    for (const f of ['P0S3-8-12-00.loads', 'P0S3-8-12-00.sb2', 'P003-8-12-00.bin', 'P003-8-12-00.sbn', 'OS79XX.TXT'])
      assert.ok(step!.files.includes(f), f);
    assert.equal(setting(step!, 'whole file')?.value, 'P003-8-12-00');
    assert.equal(setting(step!, 'loadInformation')?.value, 'P0S3-8-12-00');
    assert.equal(setting(step!, 'image_version')?.value, 'P0S3-8-12-00');
  });

  it('SCCP 4.x → SIP goes through SCCP 5.x first (CME-INSTL)', () => {
    const path = findUpgradePath(pv('SCCP 4.1(3)'), pv('SIP 8.12'), { releases: [pv('SCCP 4.1(3)')] });
    assert.deepEqual(route(path.steps), ['SCCP 5.0(2)', 'SIP 8.12']);
  });

  it('old SCCP → SIP 4.4 goes through SIP 2.3, named in OS79XX.TXT as P0S30203 (seed)', () => {
    const path = findUpgradePath(pv('SCCP 3.3(3)'), pv('SIP 4.4'));
    assert.deepEqual(route(path.steps), ['SIP 2.3', 'SIP 4.4']);
    assert.equal(setting(nth(path.steps, 0), 'whole file')?.value, 'P0S30203');
    assert.deepEqual(
      nth(path.steps, 0).zip.files.map((f) => f.name),
      ['P0S30203.bin'],
    );
  });

  it('SCCP 8.x down to SIP 5.3: through SIP 7.x, then the SIP downgrade', () => {
    const path = findUpgradePath(pv('SCCP 8.1(2)'), pv('SIP 5.3'));
    assert.deepEqual(route(path.steps), ['SIP 7.5', 'SIP 5.3']);
    assert.deepEqual(
      path.steps.map((s) => s.rule.id),
      ['sccp-5-to-sip-7-by-loader', 'sip-7-down'],
    );
  });

  it('SCCP 5.x → SIP 6.3 by OS79XX.TXT', () => {
    const path = findUpgradePath(pv('SCCP 5.0(2)'), pv('SIP 6.3'));
    assert.deepEqual(route(path.steps), ['SIP 6.3']);
    assert.ok(nth(path.steps, 0).files.includes('OS79XX.TXT'));
  });
});

describe('SIP → SCCP', () => {
  it('SIP 8.12 → SCCP 8.1(2): image_version names P00308010200 (Cisco Community how-to, CME-INSTL)', () => {
    const path = findUpgradePath(pv('SIP 8.12'), pv('SCCP 8.1(2)'));
    assert.deepEqual(route(path.steps), ['SCCP 8.1(2)']);
    assert.equal(setting(nth(path.steps, 0), 'image_version')?.value, 'P00308010200');
    assert.ok(nth(path.steps, 0).files.includes('SIPDefault.cnf'));
  });

  it('SIP 8.12 down to SCCP 5.0(2) in one step (both signed)', () => {
    assert.deepEqual(route(findUpgradePath(pv('SIP 8.12'), pv('SCCP 5.0(2)')).steps), ['SCCP 5.0(2)']);
  });

  it('SIP 4.4 → SCCP 8.1(2) through the 6.3 image, as the seed tech note says', () => {
    const path = findUpgradePath(pv('SIP 4.4'), pv('SCCP 8.1(2)'));
    assert.deepEqual(route(path.steps), ['SIP 5.3', 'SIP 6.3', 'SCCP 8.1(2)']);
    assert.match(path.reason!, /Cisco tech note 5455 alone/);
  });

  it('SIP 6.0 → SCCP 8.0(4): SIP 7.x first, then the config files (the CME guide), not the gkdefault route the tech note alone gives', () => {
    const path = findUpgradePath(pv('SIP 6.0'), pv('SCCP 8.0(4)'));
    assert.deepEqual(
      path.steps.map((s) => s.rule.id),
      ['sip-6.x-to-7.x', 'sip-7-to-sccp-by-config'],
    );
    assert.deepEqual(route(path.steps), ['SIP 7.5', 'SCCP 8.0(4)']);
    // The one-step gkdefault route stays in view, with its doubt.
    const step = path.doubted!.steps[0]!;
    assert.equal(path.doubted!.steps.length, 1);
    assert.equal(step.rule.id, 'sip-5-6-to-sccp-by-gkdefault');
    assert.match(path.doubted!.doubt, /7905G\/7912G/);
    assert.ok(step.files.includes('gkdefault.cfg'));
    assert.ok(step.files.includes('CP7940080001SCCP051117A.sbin'));
    assert.match(
      setting(step, 'upgradecode')!.how,
      /upgradecode:3,0x601,0x0400,0x0100,0\.0\.0\.0,69,0x051117a,CP7940080001SCCP051117A\.sbin/,
    );
  });

  it('a route without doubt has no alternative to show', () => {
    assert.equal(findUpgradePath(pv('SIP 8.12'), pv('SCCP 8.1(2)')).doubted, undefined);
  });
});

describe('inside one protocol', () => {
  it('SIP 4.4 → 8.12 follows 4.4 → 5.3 → 6.x → 7.x with the newest 6.x and 7.x (CME-INSTL)', () => {
    assert.deepEqual(route(findUpgradePath(pv('SIP 4.4'), pv('SIP 8.12')).steps), [
      'SIP 5.3',
      'SIP 6.3',
      'SIP 7.5',
      'SIP 8.12',
    ]);
  });

  it('SIP downgrade: from 8.12 directly; from 6.3 up to 7.x first (CME-INSTL)', () => {
    assert.deepEqual(route(findUpgradePath(pv('SIP 8.12'), pv('SIP 7.4')).steps), ['SIP 7.4']);
    assert.deepEqual(route(findUpgradePath(pv('SIP 6.3'), pv('SIP 5.3')).steps), ['SIP 7.5', 'SIP 5.3']);
  });

  it('SIP 2.x steps warn to keep SIPDefault.cnf to image_version alone (W210 buffer full)', () => {
    const step = findUpgradePath(pv('SIP 2.2'), pv('SIP 2.3')).steps[0]!;
    assert.match(setting(step, 'image_version')!.how, /W210/);
  });

  it('SCCP 8.1(2)SR2 → SCCP 7.2(3) by loadInformation, with the CME show flash files', () => {
    const step = findUpgradePath(pv('SCCP 8.1(2)SR2'), pv('SCCP 7.2(3)')).steps[0]!;
    assert.equal(setting(step, 'loadInformation')?.value, 'P00307020300');
    assert.equal(step.zip.inferred, false);
  });
});

describe('ends of the path', () => {
  it('the same image: legal, no steps', () => {
    const path = findUpgradePath(parseImageName('P0S3-08-12-00'), pv('SIP 8.12'));
    assert.equal(path.legal, true);
    assert.deepEqual(path.steps, []);
  });

  it('the loader, other families and unknown names are not something to plan to', () => {
    for (const name of ['P003-8-12-00', 'CP7940080001SIP060412A.sbin', 'term61.default.loads', 'firmware.bin']) {
      const path = findUpgradePath(pv('SIP 8.12'), parseImageName(name));
      assert.equal(path.legal, false, name);
      assert.ok(path.reason, name);
    }
  });

  it('a release no source lists is planned with a note', () => {
    const path = findUpgradePath(pv('SIP 8.12'), pv('SIP 8.13'));
    assert.equal(path.legal, true);
    assert.match(path.reason!, /SIP 8\.13 is not among the releases/);
  });

  it('without a known SCCP 4.x the seed route from SIP 3.x is unavailable and the notes say so', () => {
    const path = findUpgradePath(pv('SIP 3.0'), pv('SCCP 8.1(2)'));
    assert.equal(path.legal, true);
    assert.match(path.reason!, /knows no release for "the latest SCCP 4\.x"/);
  });
});
