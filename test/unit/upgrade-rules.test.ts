import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImageName, parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import { SOURCES } from '../../parsers/firmware/sources.js';
import { checkMove, findUpgradePath } from '../../src/upgrade/find-path.js';
import { applicationOf, firmwareLabel, firmwareOf } from '../../src/upgrade/firmware.js';
import type { Firmware } from '../../src/upgrade/firmware.js';
import { BLOCK_RULES, MOVE_RULES } from '../../src/upgrade/rules.js';

/** A release by version ("SIP 8.12") or by image name ("P0030301"). */
function fw(spec: string): Firmware {
  const version = parseProtocolVersion(spec);
  if (version) return firmwareOf(version);
  const app = applicationOf(parseImageName(spec));
  assert.ok(!('refused' in app), spec);
  return app;
}

/** No SCCP 4.x is in the facts; the tests add one, as a user would. */
const SCCP_4 = parseProtocolVersion('SCCP 4.1(3)')!;
const options = { releases: [SCCP_4] };

// One move each rule allows, chosen where that rule is the first to apply. Sources: phone-facts 4.3,
// 2.2, 2.4 and the seed tech note, as quoted in rules.ts.
const MOVES: readonly (readonly [rule: string, from: string, to: string])[] = [
  ['sip-up-to-4.4', 'SIP 3.0', 'SIP 4.4'],
  ['sip-4.4-to-5.3', 'SIP 4.4', 'SIP 5.3'],
  ['sip-5.3-to-6.x', 'SIP 5.3', 'SIP 6.0'],
  ['sip-6.x-to-7.x', 'SIP 6.3', 'SIP 7.5'],
  ['sip-7-up', 'SIP 7.5', 'SIP 8.12'],
  ['sip-7-down', 'SIP 8.12', 'SIP 5.3'],
  ['sip-up-within-5.x', 'SIP 5.1', 'SIP 5.2'],
  ['sip-up-within-6.x', 'SIP 6.0', 'SIP 6.3'],
  ['sccp-signed', 'SCCP 8.1(2)', 'SCCP 5.0(2)'],
  ['sccp-unsigned-to-loader-zip', 'SCCP 3.3(3)', 'SCCP 8.1(2)'],
  ['sccp-4.x-to-5.x', 'SCCP 4.1(3)', 'SCCP 5.0(2)'],
  ['sccp-unsigned-up', 'SCCP 3.3(3)', 'SCCP 4.1(3)'],
  ['sccp-5-to-sip-7-by-loader', 'SCCP 8.1(2)', 'SIP 8.12'],
  ['sccp-5-to-sip-5-6-by-os79xx', 'SCCP 5.0(2)', 'SIP 6.3'],
  ['sccp-3-to-sip-by-os79xx', 'SCCP 3.3(3)', 'SIP 2.3'],
  ['sccp-3-or-5-to-sip-7-by-config', 'SCCP 3.3(3)', 'SIP 7.4'],
  ['sip-7-to-sccp-by-config', 'SIP 8.12', 'SCCP 8.1(2)SR2'],
  ['sip-4-to-sccp-5-by-os79xx', 'SIP 4.4', 'SCCP 5.0(2)'],
  ['sip-3-to-sccp-4-by-os79xx', 'SIP 3.0', 'SCCP 4.1(3)'],
  ['sip-3-to-old-sccp-by-os79xx', 'SIP 3.0', 'SCCP 3.3(3)'],
  ['sip-6.3-to-sccp-6-by-loader', 'SIP 6.3', 'SCCP 8.1(2)'],
  ['sip-5-6-to-sccp-by-gkdefault', 'SIP 6.0', 'SCCP 8.0(4)'],
];

// One move each block refuses, and the release the path then goes through when the rule names one.
const BLOCKS: readonly (readonly [rule: string, from: string, to: string, through: string | undefined])[] = [
  ['signed-no-way-back', 'SIP 8.12', 'SIP 4.4', undefined],
  ['sip-2.1-takes-8.3-names', 'SIP 2.1', 'SIP 4.4', 'SIP 2.3'],
  ['sip-no-jump-to-7', 'SIP 4.4', 'SIP 7.4', 'SIP 6.3'],
  ['sip-through-4.4', 'SIP 3.0', 'SIP 5.3', 'SIP 4.4'],
  ['sip-through-5.3', 'SIP 4.4', 'SIP 6.3', 'SIP 5.3'],
  ['sip-downgrade-from-7', 'SIP 6.3', 'SIP 6.0', 'SIP 7.5'],
  ['old-sccp-to-sip-3-4-via-2.3', 'SCCP 3.3(3)', 'SIP 4.4', 'SIP 2.3'],
  ['sccp-4-to-sip-needs-5', 'SCCP 4.1(3)', 'SIP 8.12', 'SCCP 5.0(2)'],
  ['sccp-6-to-sip-5-6', 'SCCP 8.1(2)', 'SIP 5.3', 'SIP 7.5'],
  ['sip-3-to-sccp-5-via-latest-4', 'SIP 3.0', 'SCCP 8.1(2)', 'SCCP 4.1(3)'],
  ['sip-4-to-sccp-6-via-6.3', 'SIP 4.4', 'SCCP 8.1(2)', 'SIP 6.3'],
];

describe('the rule table', () => {
  it('every rule has a reason and at least one source from the source table', () => {
    for (const rule of [...MOVE_RULES, ...BLOCK_RULES]) {
      assert.ok(rule.reason.length > 20, rule.id);
      assert.ok(rule.source.length > 0 && rule.source.every((s) => s in SOURCES), rule.id);
    }
    assert.equal(
      new Set([...MOVE_RULES, ...BLOCK_RULES].map((r) => r.id)).size,
      MOVE_RULES.length + BLOCK_RULES.length,
      'ids are unique',
    );
  });

  it('the tech note routes the facts could not confirm are labelled as seed-only (phone-facts 4.3)', () => {
    for (const id of [
      'old-sccp-to-sip-3-4-via-2.3',
      'sip-3-to-sccp-5-via-latest-4',
      'sip-4-to-sccp-6-via-6.3',
      'sip-5-6-to-sccp-by-gkdefault',
    ]) {
      const rule = [...MOVE_RULES, ...BLOCK_RULES].find((r) => r.id === id)!;
      assert.deepEqual(rule.source, ['SEED'], id);
    }
  });

  it('the tests below cover every rule', () => {
    assert.deepEqual(MOVES.map(([id]) => id).sort(), MOVE_RULES.map((r) => r.id).sort());
    assert.deepEqual(BLOCKS.map(([id]) => id).sort(), BLOCK_RULES.map((r) => r.id).sort());
  });
});

describe('each move rule allows its move, and the path finder takes it in one step', () => {
  for (const [id, from, to] of MOVES) {
    it(`${id}: ${from} → ${to}`, () => {
      const verdict = checkMove(fw(from), fw(to));
      assert.equal(verdict.legal, true, verdict.legal ? '' : verdict.reason);
      assert.equal(verdict.legal && verdict.rule.id, id);
      const path = findUpgradePath(fw(from), fw(to), options);
      assert.equal(path.legal, true);
      // A move a source puts in doubt is the alternative to a longer route without doubt.
      const doubted = MOVE_RULES.find((r) => r.id === id)!.doubt !== undefined;
      assert.deepEqual(
        (doubted ? (path.doubted?.steps ?? []) : path.steps).map((s) => s.rule.id),
        [id],
      );
    });
  }

  it('SIP 3.x → an SCCP load below 4.x only as the destination, never on the way to 5.x', () => {
    assert.equal(checkMove(fw('SIP 3.0'), fw('SCCP 3.3(3)'), { destination: false }).legal, false);
  });
});

describe('each block refuses its move, and the path goes the way round it names', () => {
  for (const [id, from, to, through] of BLOCKS) {
    it(`${id}: ${from} → ${to}${through ? ` via ${through}` : ' is impossible'}`, () => {
      const verdict = checkMove(fw(from), fw(to));
      assert.equal(verdict.legal, false);
      assert.equal(!verdict.legal && verdict.block?.id, id);
      const path = findUpgradePath(fw(from), fw(to), options);
      if (!through) {
        assert.equal(path.legal, false);
        assert.equal(path.reason, verdict.legal ? '' : verdict.reason);
        return;
      }
      assert.equal(path.legal, true, path.reason);
      const visited = path.steps.map((s) => firmwareLabel(s));
      assert.ok(visited.includes(through), `${visited.join(' → ')} does not pass ${through}`);
      assert.equal(visited.at(-1), to);
      assert.ok(
        path.notes?.some((n) => n.startsWith('Not in one step:')),
        'the notes say why not in one step',
      );
    });
  }
});

describe('8.3 names for SIP 2.1 and earlier (seed "SIP 电话不接受 SCCP 加载")', () => {
  it('an 8.3-named SCCP load is accepted directly; a 12-character one is not', () => {
    assert.equal(checkMove(fw('SIP 2.1'), fw('P0030301')).legal, true);
    const verdict = checkMove(fw('SIP 2.1'), fw('SCCP 3.3(3)'));
    assert.equal(!verdict.legal && verdict.block?.id, 'sip-2.1-takes-8.3-names');
  });

  it('from SIP 2.1 to a 12-character SCCP load, the path upgrades SIP first', () => {
    const path = findUpgradePath(fw('SIP 2.1'), fw('SCCP 3.3(3)'));
    assert.equal(path.legal, true);
    assert.deepEqual(
      path.steps.map((s) => firmwareLabel(s)),
      ['SIP 2.3', 'SCCP 3.3(3)'],
    );
  });
});
