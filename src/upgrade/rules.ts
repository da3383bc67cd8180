/**
 * The legal moves between 7940/7960 images, as data: each rule with its reason and source
 * (../shared/phone-facts.md 4.3, 2.2, 2.4 and the seed tech note). A move is legal when a
 * MOVE rule allows it and no BLOCK rule forbids it; blocks also explain a refused move and
 * name the way round. Rules backed by the seed tech note alone say so (source SEED);
 * readings of ours are marked `inferred` with the reason.
 */
import type { SourceId } from '../../parsers/firmware/sources.js';
import type { ApplicationProtocol } from '../../parsers/firmware/version.js';

/** Versions compared on major.minor (maintenance, build and SR ignored): `min` inclusive, `below` exclusive. */
export interface VersionRange {
  readonly protocol: ApplicationProtocol;
  readonly min?: string;
  readonly below?: string;
  readonly exactly?: string;
}

/** How the phone is told to fetch the image; provisioning.ts turns it into file settings. */
export type MoveMethod =
  /** image_version in SIPDefault.cnf / SIP<MAC>.cnf, read by the running SIP image. */
  | 'sip-config'
  /** loadInformation in SEP<MAC>.cnf.xml / XMLDefault.cnf.xml, read by the running SCCP image. */
  | 'sccp-config'
  /** OS79XX.TXT names the image (the pre-loader conversion flows of the tech note). */
  | 'os79xx'
  /**
   * The target protocol's config file names the image; the other protocol's
   * files are removed (tech note, SCCP → SIP 7.x).
   */
  | 'target-config'
  /** The target zip unpacked whole: the Universal Application Loader fetches loader and application. */
  | 'ual-zip'
  /** gkdefault.cfg `upgradecode` (tech note, SIP 5.x/6.x → SCCP). */
  | 'gkdefault';

export interface MoveRule {
  readonly id: string;
  readonly from: readonly VersionRange[];
  readonly to: readonly VersionRange[];
  /** For moves inside one protocol: up (newer) or down (older) only. */
  readonly direction?: 'up' | 'down';
  /** Used only when the image is the destination, never as an intermediate step. */
  readonly onlyToDestination?: boolean;
  readonly method: MoveMethod;
  readonly reason: string;
  readonly source: readonly SourceId[];
  /** Present when the rule is our reading rather than what a source says: why we read it so. */
  readonly inferred?: string;
  /** Present when other sources put the move in doubt: why. A route without doubt is preferred. */
  readonly doubt?: string;
}

export interface BlockRule {
  readonly id: string;
  readonly from: readonly VersionRange[];
  /** Absent: any image (used with `when`). */
  readonly to?: readonly VersionRange[];
  readonly when?: 'downgrade' | 'target-name-not-8.3';
  readonly reason: string;
  /**
   * The way round: words for people and, when it is a release range, the range; the path
   * finder then goes through the newest known release in it.
   */
  readonly via?: { readonly text: string; readonly range?: VersionRange };
  readonly source: readonly SourceId[];
  readonly inferred?: string;
}

const SIP = (range: Omit<VersionRange, 'protocol'> = {}): VersionRange => ({ protocol: 'SIP', ...range });
const SCCP = (range: Omit<VersionRange, 'protocol'> = {}): VersionRange => ({ protocol: 'SCCP', ...range });

const SIP_SEQUENCE =
  'the Cisco Unified CME guide gives the SIP upgrade sequence ' +
  '2.x/3.x/4.x → 4.4 → 5.3 → 6.x → 7.x, with no direct jump to 7.x';
const SEED_SIX_THREE =
  'The tech note says "first convert to the 6.3 image" without naming the protocol; ' +
  "SIP 6.3 is the only 6.3 release Cisco's guides list";

/** In order of preference when two routes are equally short: primary sources first. */
export const MOVE_RULES: readonly MoveRule[] = [
  // SIP → SIP
  {
    id: 'sip-up-to-4.4',
    from: [SIP({ below: '4.4' })],
    to: [SIP({ below: '4.5' })],
    direction: 'up',
    method: 'sip-config',
    reason: `SIP 2.x/3.x/4.x first move up to 4.4: ${SIP_SEQUENCE}.`,
    source: ['CME-INSTL'],
  },
  {
    id: 'sip-4.4-to-5.3',
    from: [SIP({ exactly: '4.4' })],
    to: [SIP({ exactly: '5.3' })],
    method: 'sip-config',
    reason: `From SIP 4.4 the next step is 5.3, the first signed step: ${SIP_SEQUENCE}.`,
    source: ['CME-INSTL'],
  },
  {
    id: 'sip-5.3-to-6.x',
    from: [SIP({ exactly: '5.3' })],
    to: [SIP({ min: '6.0', below: '7.0' })],
    method: 'sip-config',
    reason: `From SIP 5.3 the next step is a 6.x load: ${SIP_SEQUENCE}.`,
    source: ['CME-INSTL'],
  },
  {
    id: 'sip-6.x-to-7.x',
    from: [SIP({ min: '6.0', below: '7.0' })],
    to: [SIP({ min: '7.0', below: '8.0' })],
    method: 'sip-config',
    reason: `From SIP 6.x the next step is a 7.x load: ${SIP_SEQUENCE}.`,
    source: ['CME-INSTL'],
  },
  {
    id: 'sip-7-up',
    from: [SIP({ min: '7.0' })],
    to: [SIP({ min: '7.0' })],
    direction: 'up',
    method: 'sip-config',
    reason:
      'From SIP 7.x the phone loads any later signed SIP release directly (the end of ' +
      "the Cisco Unified CME guide's sequence; signed loads move to other signed loads).",
    source: ['CME-INSTL', 'READMES'],
  },
  {
    id: 'sip-7-down',
    from: [SIP({ min: '7.0' })],
    to: [SIP({ min: '5.0' })],
    direction: 'down',
    method: 'sip-config',
    reason: 'To downgrade SIP, the phone must run 7.x first and then loads the older signed release directly.',
    source: ['CME-INSTL', 'READMES'],
  },
  {
    id: 'sip-up-within-5.x',
    from: [SIP({ min: '5.0', below: '6.0' })],
    to: [SIP({ min: '5.0', below: '6.0' })],
    direction: 'up',
    method: 'sip-config',
    reason: 'A newer 5.x keeps the phone in the signed 5.x generation, on the way to 5.3.',
    source: ['CME-INSTL'],
    inferred: 'the Cisco Unified CME guide names the steps 5.3 and 6.x only; moving up inside 5.x is not mentioned',
  },
  {
    id: 'sip-up-within-6.x',
    from: [SIP({ min: '6.0', below: '7.0' })],
    to: [SIP({ min: '6.0', below: '7.0' })],
    direction: 'up',
    method: 'sip-config',
    reason: 'A newer 6.x keeps the phone in the 6.x generation, on the way to 7.x.',
    source: ['CME-INSTL'],
    inferred: 'the Cisco Unified CME guide names the step 6.x only; moving up inside 6.x is not mentioned',
  },
  // SCCP → SCCP
  {
    id: 'sccp-signed',
    from: [SCCP({ min: '5.0' })],
    to: [SCCP({ min: '5.0' })],
    method: 'sccp-config',
    reason: 'SCCP loads 5.0 and newer are signed and can be upgraded or downgraded to other signed releases.',
    source: ['READMES'],
  },
  {
    id: 'sccp-unsigned-to-loader-zip',
    from: [SCCP({ below: '5.0' })],
    to: [SCCP({ min: '6.0' })],
    method: 'ual-zip',
    reason:
      'SCCP zips from 6.x carry P003….bin, ' +
      'the non-secure Universal Application Loader for phones on images before 5.x.',
    source: ['SEED'],
  },
  {
    id: 'sccp-4.x-to-5.x',
    from: [SCCP({ min: '4.0', below: '5.0' })],
    to: [SCCP({ min: '5.0', below: '6.0' })],
    method: 'sccp-config',
    reason:
      'SCCP 4.x moves to the 5.x series (the tech note: latest 4.x first, then 5.x; once on 5.x there is no way back).',
    source: ['SEED'],
  },
  {
    id: 'sccp-unsigned-up',
    from: [SCCP({ below: '5.0' })],
    to: [SCCP({ below: '5.0' })],
    direction: 'up',
    method: 'sccp-config',
    reason: 'An older unsigned SCCP load moves up to a newer unsigned one.',
    source: ['SEED'],
    inferred: 'no source states it; nothing forbids it, and the tech note moves phones to "the latest 4.x"',
  },
  // SCCP → SIP
  {
    id: 'sccp-5-to-sip-7-by-loader',
    from: [SCCP({ min: '5.0' })],
    to: [SIP({ min: '7.0' })],
    method: 'ual-zip',
    reason:
      'SCCP → SIP through the Universal Application Loader needs SCCP 5.x or later first; ' +
      'the SIP zip unpacked whole does the rest.',
    source: ['CME-INSTL', 'TN5455-TITLES', 'SEED'],
  },
  {
    id: 'sccp-5-to-sip-5-6-by-os79xx',
    from: [SCCP({ min: '5.0', below: '6.0' })],
    to: [SIP({ min: '5.0', below: '7.0' })],
    method: 'os79xx',
    reason: 'Tech note flow "SCCP 5.x to SIP 5.x/6.x": OS79XX.TXT names the SIP image.',
    source: ['TN5455-TITLES', 'SEED'],
  },
  {
    id: 'sccp-3-to-sip-by-os79xx',
    from: [SCCP({ below: '4.0' })],
    to: [SIP({ below: '3.0' }), SIP({ min: '5.0', below: '7.0' })],
    method: 'os79xx',
    reason: 'Tech note flow "SCCP 3.x/earlier to SIP 6.x/earlier": OS79XX.TXT names the SIP image.',
    source: ['TN5455-TITLES', 'SEED'],
  },
  {
    id: 'sccp-3-or-5-to-sip-7-by-config',
    from: [SCCP({ below: '4.0' }), SCCP({ min: '5.0', below: '6.0' })],
    to: [SIP({ min: '7.0', below: '8.0' })],
    method: 'target-config',
    reason:
      'Tech note flow "SCCP 3.x/earlier and 5.x to SIP 7.x": ' +
      'image_version in the SIP config names the image and the SCCP config files are removed.',
    source: ['TN5455-TITLES', 'SEED'],
  },
  // SIP → SCCP
  {
    id: 'sip-7-to-sccp-by-config',
    from: [SIP({ min: '7.0' })],
    to: [SCCP({ min: '5.0' })],
    method: 'sip-config',
    reason: 'SIP → SCCP by the config files needs SIP 7.x or later: image_version names the SCCP load.',
    source: ['CME-INSTL', 'TN5455-TITLES', 'SEED', 'CISCO-COMMUNITY-SIP-TO-SCCP'],
  },
  {
    id: 'sip-4-to-sccp-5-by-os79xx',
    from: [SIP({ min: '4.0', below: '5.0' })],
    to: [SCCP({ below: '6.0' })],
    method: 'os79xx',
    reason: 'Tech note flow "SIP 4.x/earlier to SCCP 5.x/earlier": OS79XX.TXT names the SCCP load.',
    source: ['SEED'],
  },
  {
    id: 'sip-3-to-sccp-4-by-os79xx',
    from: [SIP({ below: '4.0' })],
    to: [SCCP({ min: '4.0', below: '5.0' })],
    method: 'os79xx',
    reason:
      'From SIP 3.x or earlier the tech note goes to the latest SCCP 4.x first (OS79XX.TXT names it), before any 5.x.',
    source: ['SEED'],
  },
  {
    id: 'sip-3-to-old-sccp-by-os79xx',
    from: [SIP({ below: '4.0' })],
    to: [SCCP({ below: '4.0' })],
    method: 'os79xx',
    onlyToDestination: true,
    reason: 'Tech note flow "SIP 4.x/earlier to SCCP 5.x/earlier": OS79XX.TXT names the SCCP load.',
    source: ['SEED'],
    inferred: 'used only when this load is the destination: on the way to 5.x the tech note wants the latest 4.x',
  },
  {
    id: 'sip-6.3-to-sccp-6-by-loader',
    from: [SIP({ exactly: '6.3' })],
    to: [SCCP({ min: '6.0' })],
    method: 'ual-zip',
    reason:
      'Tech note flow "SIP 4.x/earlier to SCCP 6.x/later", ' +
      'second half: from the 6.3 image, the SCCP zip unpacked whole.',
    source: ['SEED'],
    inferred: SEED_SIX_THREE,
  },
  {
    id: 'sip-5-6-to-sccp-by-gkdefault',
    from: [SIP({ min: '5.0', below: '7.0' })],
    to: [SCCP({ min: '5.0' })],
    method: 'gkdefault',
    reason: 'Tech note flow "SIP 5.x, 6.x to SCCP 5.x/later": gkdefault.cfg `upgradecode` names the SCCP image.',
    doubt:
      'gkdefault and upgradecode are documented for the 7905G/7912G and the ATA (Cisco ' +
      '7905G/7912G SIP administrator guide); only Cisco tech note 5455 has a 7940/7960 read them.',
    source: ['SEED'],
  },
];

export const BLOCK_RULES: readonly BlockRule[] = [
  {
    id: 'signed-no-way-back',
    from: [SIP({ min: '5.0' }), SCCP({ min: '5.0' })],
    to: [SIP({ below: '5.0' }), SCCP({ below: '5.0' })],
    reason:
      'Loads 5.0 and newer are signed: a phone running one accepts only ' +
      'signed loads and cannot go back to an unsigned load or below 5.0.',
    source: ['READMES', 'CME-INSTL', 'SEED'],
  },
  {
    id: 'sip-2.1-takes-8.3-names',
    from: [SIP({ below: '2.2' })],
    when: 'target-name-not-8.3',
    reason: 'SIP 2.1 and earlier accept only 8.3 file names (at most 8 characters before the extension).',
    via: { text: 'SIP 2.2/2.3 first (or the load renamed to an 8.3 name)', range: SIP({ min: '2.2', below: '3.0' }) },
    source: ['SEED', 'CISCO-VOIP-2005'],
  },
  {
    id: 'sip-no-jump-to-7',
    from: [SIP({ below: '6.0' })],
    to: [SIP({ min: '7.0' })],
    reason: `SIP 2.x-5.x cannot load 7.x or later directly: ${SIP_SEQUENCE}.`,
    via: { text: '4.4, 5.3 and 6.x', range: SIP({ min: '6.0', below: '7.0' }) },
    source: ['CME-INSTL'],
  },
  {
    id: 'sip-through-4.4',
    from: [SIP({ below: '4.4' })],
    to: [SIP({ min: '5.0' })],
    reason: `SIP 2.x/3.x/4.x must reach 4.4 before any signed load: ${SIP_SEQUENCE}.`,
    via: { text: 'SIP 4.4', range: SIP({ exactly: '4.4' }) },
    source: ['CME-INSTL'],
  },
  {
    id: 'sip-through-5.3',
    from: [SIP({ min: '4.4', below: '5.3' })],
    to: [SIP({ min: '6.0' })],
    reason: `SIP 4.4-5.2 must reach 5.3 before 6.x: ${SIP_SEQUENCE}.`,
    via: { text: 'SIP 5.3', range: SIP({ exactly: '5.3' }) },
    source: ['CME-INSTL'],
  },
  {
    id: 'sip-downgrade-from-7',
    from: [SIP({ below: '7.0' })],
    to: [SIP()],
    when: 'downgrade',
    reason: 'To downgrade SIP, first upgrade to 7.x, then load the older release directly.',
    via: { text: 'SIP 7.x', range: SIP({ min: '7.0', below: '8.0' }) },
    source: ['CME-INSTL'],
  },
  {
    id: 'old-sccp-to-sip-3-4-via-2.3',
    from: [SCCP({ below: '4.0' })],
    to: [SIP({ min: '3.0', below: '5.0' })],
    reason:
      'Loading SIP 3.x/4.x from an old SCCP image commonly fails; ' +
      'the tech note converts to SIP 2.3 first, then to 3.x/4.x.',
    via: { text: 'SIP 2.3', range: SIP({ exactly: '2.3' }) },
    source: ['SEED'],
  },
  {
    id: 'sccp-4-to-sip-needs-5',
    from: [SCCP({ min: '4.0', below: '5.0' })],
    to: [SIP()],
    reason: 'SCCP → SIP needs SCCP 5.x first (Cisco Unified CME guide); the tech note has no flow from SCCP 4.x.',
    via: { text: 'SCCP 5.x', range: SCCP({ min: '5.0', below: '6.0' }) },
    source: ['CME-INSTL', 'TN5455-TITLES'],
  },
  {
    id: 'sccp-6-to-sip-5-6',
    from: [SCCP({ min: '6.0' })],
    to: [SIP({ below: '7.0' })],
    reason: 'The tech note pairs SCCP 6.x and later only with SIP 7.x and later.',
    via: { text: 'SIP 7.x', range: SIP({ min: '7.0', below: '8.0' }) },
    source: ['TN5455-TITLES'],
  },
  {
    id: 'sip-3-to-sccp-5-via-latest-4',
    from: [SIP({ below: '4.0' })],
    to: [SCCP({ min: '5.0' })],
    reason:
      'From SIP 3.x or earlier, the tech note converts to the ' +
      'latest SCCP 4.x before the 5.x series (5.x cannot go back).',
    via: { text: 'the latest SCCP 4.x', range: SCCP({ min: '4.0', below: '5.0' }) },
    source: ['SEED'],
  },
  {
    id: 'sip-4-to-sccp-6-via-6.3',
    from: [SIP({ min: '4.0', below: '5.0' })],
    to: [SCCP({ min: '6.0' })],
    reason: 'From SIP 4.x to SCCP 6.x or later the tech note converts to the 6.3 image first.',
    via: { text: 'the 6.3 image', range: SIP({ exactly: '6.3' }) },
    source: ['SEED'],
    inferred: SEED_SIX_THREE,
  },
];
