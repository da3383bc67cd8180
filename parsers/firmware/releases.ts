/**
 * Releases known to exist for the 7940/7960 (../shared/phone-facts.md 4.2), so the path
 * finder can name concrete intermediate images. The list is what the sources show, not
 * everything Cisco shipped: no SCCP 4.x, for instance, is known, so callers may add releases.
 */
import type { SourceId } from './sources.js';
import { compareVersions, parseProtocolVersion } from './version.js';
import type { ApplicationProtocol, FirmwareVersion, ProtocolVersion } from './version.js';

export interface Release extends ProtocolVersion {
  readonly source: readonly SourceId[];
}

const TABLE: readonly (readonly [string, ...SourceId[]])[] = [
  ['SIP 1.0', 'SIP-GUIDES'],
  ['SIP 2.0', 'SIP-GUIDES'],
  ['SIP 2.1', 'SIP-GUIDES', 'SEED'],
  ['SIP 2.2', 'SIP-GUIDES'],
  ['SIP 2.3', 'SEED'],
  ['SIP 3.0', 'SIP-GUIDES'],
  ['SIP 4.0', 'SIP-GUIDES'],
  ['SIP 4.2', 'SIP-GUIDES'],
  ['SIP 4.4', 'CME-INSTL'],
  ['SIP 5.0', 'SEED'],
  ['SIP 5.1', 'SIP-GUIDES'],
  ['SIP 5.2', 'CME-INSTL'],
  ['SIP 5.3', 'CME-INSTL'],
  ['SIP 6.0', 'CME-INSTL'],
  ['SIP 6.1', 'SIP-GUIDES'],
  ['SIP 6.3', 'SIP-GUIDES'],
  ['SIP 7.0', 'SIP-GUIDES'],
  ['SIP 7.1', 'SIP-GUIDES', 'SEED'],
  ['SIP 7.2', 'SIP-GUIDES', 'VOIP-INFO'],
  ['SIP 7.3', 'SIP-GUIDES'],
  ['SIP 7.4', 'SIP-GUIDES', 'CME-INSTL'],
  ['SIP 7.5', 'SIP-GUIDES', 'DOES-WIKI'],
  ['SIP 8.0', 'SIP-GUIDES'],
  ['SIP 8.2', 'ONIRIA-FORUM'],
  ['SIP 8.4', 'READMES'],
  ['SIP 8.6', 'SIP-GUIDES'],
  ['SIP 8.7', 'SIP-GUIDES'],
  ['SIP 8.9', 'READMES'],
  ['SIP 8.11', 'READMES'],
  ['SIP 8.12', 'LKML-TEO', 'DE-BLOG'],
  ['SCCP 3.3(3)', 'CME-INSTL'],
  ['SCCP 5.0(1.1)', 'SEED'],
  ['SCCP 5.0(2)', 'CME-INSTL'],
  ['SCCP 6.0(1)', 'CME-INSTL'],
  ['SCCP 6.0(2)', 'SEED'],
  ['SCCP 7.2(3)', 'CME-INSTL'],
  ['SCCP 8.0(4)', 'SEED'],
  ['SCCP 8.0(5)', 'READMES', 'CME-SHOW-FLASH-FORUM'],
  ['SCCP 8.0(8)', 'READMES'],
  ['SCCP 8.0(9)', 'READMES'],
  ['SCCP 8.0(10)', 'READMES'],
  ['SCCP 8.1(2)', 'CISCO-COMMUNITY-SIP-TO-SCCP'],
  ['SCCP 8.1(2)SR2', 'CHAN-SCCP-412'],
];

export const KNOWN_RELEASES: readonly Release[] = TABLE.map(([spec, ...source]) => {
  const parsed = parseProtocolVersion(spec);
  if (!parsed) throw new Error(`bad release in table: ${spec}`);
  return { ...parsed, source };
});

export function findRelease(protocol: ApplicationProtocol, version: FirmwareVersion): Release | undefined {
  return KNOWN_RELEASES.find((r) => r.protocol === protocol && compareVersions(r.version, version) === 0);
}

/** The newest known release of a major.minor that is not a service release: 8.1 → 8.1(2), the base of 8.1(2)SR2. */
export function latestBaseRelease(protocol: ApplicationProtocol, major: number, minor: number): Release | undefined {
  return KNOWN_RELEASES.filter(
    (r) =>
      r.protocol === protocol && r.version.major === major && r.version.minor === minor && !r.version.serviceRelease,
  ).sort((a, b) => compareVersions(b.version, a.version))[0];
}
