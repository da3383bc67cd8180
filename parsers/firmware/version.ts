/**
 * Firmware versions of the Cisco 7940/7960 and how Cisco writes them: SIP as `8.12`,
 * SCCP as `7.2(3)`, `5.0(1.1)` or `8.1(2)SR2` (../shared/phone-facts.md 4.1, 4.2).
 */

export type FirmwareProtocol = 'SIP' | 'SCCP' | 'loader' | 'unknown';

/** The protocols a phone can run: the Universal Application Loader is not an application. */
export type ApplicationProtocol = 'SIP' | 'SCCP';

export interface FirmwareVersion {
  readonly major: number;
  readonly minor: number;
  /** SCCP `(3)` in 7.2(3); the `zz` of SIP `P0S3-xx-y-zz` (always 00 in real names). */
  readonly maintenance: number;
  /** SCCP maintenance subversion: the `1` of 5.0(1.1) (`P00305000101`). */
  readonly build?: number;
  /** SCCP service release: the `2` of 8.1(2)SR2 (`P0030801SR02`). */
  readonly serviceRelease?: number;
}

/** Negative when a is older than b, 0 when equal, positive when newer. An SR sorts after its base. */
export function compareVersions(a: FirmwareVersion, b: FirmwareVersion): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.maintenance - b.maintenance ||
    (a.build ?? 0) - (b.build ?? 0) ||
    (a.serviceRelease ?? 0) - (b.serviceRelease ?? 0)
  );
}

const bounds = new Map<string, FirmwareVersion>();

/** `major.minor` as a version, for range bounds written in tables (`'4.4'`, `'5.0'`). */
export function v(text: string): FirmwareVersion {
  let version = bounds.get(text);
  if (!version) {
    const m = /^(\d+)\.(\d+)$/.exec(text);
    if (!m) throw new Error(`not a major.minor version: ${text}`);
    version = { major: Number(m[1]), minor: Number(m[2]), maintenance: 0 };
    bounds.set(text, version);
  }
  return version;
}

/**
 * How Cisco writes the version: SIP and the loader `8.12` (`8.12(1)` when the `zz` field is
 * not 00 [I]: no real name with a non-zero `zz` was seen); SCCP `7.2(3)`, `5.0(1.1)`, `8.1(2)SR2`.
 */
export function formatVersion(version: FirmwareVersion, protocol: FirmwareProtocol): string {
  const base = `${version.major}.${version.minor}`;
  if (protocol === 'SIP' || protocol === 'loader') {
    return version.maintenance ? `${base}(${version.maintenance})` : base;
  }
  const build = version.build ? `.${version.build}` : '';
  const maintenance = version.maintenance || version.build ? `(${version.maintenance}${build})` : '';
  const sr = version.serviceRelease ? `SR${version.serviceRelease}` : '';
  return `${base}${maintenance}${sr}`;
}

/** Loads 5.0 and newer are signed and a phone running one accepts only signed loads (phone-facts 2.4, 4.3). */
const FIRST_SIGNED: FirmwareVersion = v('5.0');

export function isSignedOnly(version: FirmwareVersion): boolean {
  return compareVersions(version, FIRST_SIGNED) >= 0;
}

export interface ProtocolVersion {
  readonly protocol: ApplicationProtocol;
  readonly version: FirmwareVersion;
}

const SPEC =
  /^(SIP|SCCP)[\s_-]*v?(\d{1,2})\.(\d{1,2})(?:\((\d{1,2})(?:\.(\d{1,2}))?\)|\.(\d{1,2}))?\s*(?:SR\s*(\d{1,2}))?$/i;

/**
 * A version as a person types it: `SIP 8.12`, `sip8.12`, `SCCP 8.1(2)SR2`, `SCCP 5.0(1.1)`,
 * `SCCP 8.1.2`. Undefined when the text is not of that form.
 */
export function parseProtocolVersion(text: string): ProtocolVersion | undefined {
  const m = SPEC.exec(text.trim());
  if (!m) return undefined;
  const [, name = ''] = m;
  const protocol = name.toUpperCase() as ApplicationProtocol;
  const version: FirmwareVersion = {
    major: Number(m[2]),
    minor: Number(m[3]),
    maintenance: Number(m[4] ?? m[6] ?? 0),
    ...(m[5] !== undefined ? { build: Number(m[5]) } : {}),
    ...(m[7] !== undefined ? { serviceRelease: Number(m[7]) } : {}),
  };
  return { protocol, version };
}
