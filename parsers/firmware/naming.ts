/**
 * The image-name schemes, each written once with how to read it and how to write it
 * (../shared/phone-facts.md 4.1; seed tech note "启用 SIP 功能" and "IP 电话转到未配置状态").
 *
 *   P0S3xxyy          SIP 2.3 and earlier, 8.3 name            P0S30203      -> SIP 2.3
 *   P003xxyy          early SCCP, 8.3 name                      P0030301      -> SCCP 3.1
 *   P0S3-xx-y-zz      SIP 3.0 and later                         P0S3-08-12-00 -> SIP 8.12
 *   P003aabbccdd      SCCP: major, minor, maintenance, build    P00305000101  -> SCCP 5.0(1.1)
 *   P003aabbSRnn      SCCP service release [I]                  P0030801SR02  -> SCCP 8.1(2)SR2
 *   P003-xx-y-zz      Universal Application Loader (SIP zips)   P003-8-12-00  -> loader 8.12
 *
 * The 3rd character is the protocol: `0` SCCP, `S` SIP. Major, minor and `zz` of the dashed
 * forms are read with one or two digits: Cisco pads the major (`P0S3-07-5-00`) except in the
 * 8.12 zip (`P0S3-8-12-00`), so both spellings occur (phone-facts 4.1).
 */
import type { FirmwareProtocol, FirmwareVersion } from './version.js';

export type NamingScheme =
  | 'sip-8.3'
  | 'sccp-8.3'
  | 'sip'
  | 'sccp'
  | 'sccp-service-release'
  | 'loader'
  /** `CP<model><VV><vv><RR>SIP|SCCP<yymmdd><a-f>`: 7905G/7912G (and ATA) images [X]. */
  | 'cp-7905-7912'
  /** `term61.default`, `SCCP41.9-…`, `jar41…`: the Java-based 79x1/79x2/79x5 phones [X]. */
  | 'java-phone'
  | 'unrecognised';

export interface SchemeMatch {
  readonly scheme: NamingScheme;
  readonly protocol: FirmwareProtocol;
  readonly version?: FirmwareVersion;
}

const n = Number;

interface SchemeReader {
  readonly pattern: RegExp;
  read(m: RegExpExecArray): SchemeMatch;
}

/** Readers of a base name (no extension), exact case. */
const READERS: readonly SchemeReader[] = [
  {
    pattern: /^P0S3(\d{2})(\d{2})$/,
    read: (m) => ({ scheme: 'sip-8.3', protocol: 'SIP', version: { major: n(m[1]), minor: n(m[2]), maintenance: 0 } }),
  },
  {
    pattern: /^P003(\d{2})(\d{2})$/,
    read: (m) => ({
      scheme: 'sccp-8.3',
      protocol: 'SCCP',
      version: { major: n(m[1]), minor: n(m[2]), maintenance: 0 },
    }),
  },
  {
    pattern: /^P0S3-(\d{1,2})-(\d{1,2})-(\d{1,2})$/,
    read: (m) => ({
      scheme: 'sip',
      protocol: 'SIP',
      version: { major: n(m[1]), minor: n(m[2]), maintenance: n(m[3]) },
    }),
  },
  {
    pattern: /^P003(\d{2})(\d{2})(\d{2})(\d{2})$/,
    read: (m) => ({
      scheme: 'sccp',
      protocol: 'SCCP',
      version: { major: n(m[1]), minor: n(m[2]), maintenance: n(m[3]), ...(n(m[4]) ? { build: n(m[4]) } : {}) },
    }),
  },
  {
    // The maintenance number is not in the name (SRnn replaces the last four digits [I]);
    // image-name.ts takes it from the known releases.
    pattern: /^P003(\d{2})(\d{2})SR(\d{2})$/,
    read: (m) => ({
      scheme: 'sccp-service-release',
      protocol: 'SCCP',
      version: { major: n(m[1]), minor: n(m[2]), maintenance: 0, serviceRelease: n(m[3]) },
    }),
  },
  {
    pattern: /^P003-(\d{1,2})-(\d{1,2})-(\d{1,2})$/,
    read: (m) => ({
      scheme: 'loader',
      protocol: 'loader',
      version: { major: n(m[1]), minor: n(m[2]), maintenance: n(m[3]) },
    }),
  },
  {
    pattern: /^CP(\d{4})(\d{2})(\d{2})(\d{2})(SIP|SCCP)(\d{6})([A-Fa-f])$/,
    read: (m) => ({
      scheme: 'cp-7905-7912',
      protocol: m[5] as 'SIP' | 'SCCP',
      version: { major: n(m[2]), minor: n(m[3]), maintenance: n(m[4]) },
    }),
  },
  {
    pattern: /^(?:term\d{2}\.default|(SCCP|SIP)\d{2}\.[\w.-]+|(?:jar|cnu|apps|dsp|cvm)\d{2}[\w.-]*)$/i,
    read: (m) => ({ scheme: 'java-phone', protocol: (m[1]?.toUpperCase() as 'SIP' | 'SCCP' | undefined) ?? 'unknown' }),
  },
];

/** Which scheme a base name (without extension) is written in, exactly as given. */
export function readBaseName(base: string): SchemeMatch {
  for (const reader of READERS) {
    const m = reader.pattern.exec(base);
    if (m) return reader.read(m);
  }
  return { scheme: 'unrecognised', protocol: 'unknown' };
}

const pad2 = (x: number): string => String(x).padStart(2, '0');

/** SIP 2.3 and earlier use 8.3 names; SIP 3.0 and later the dashed form (seed tech note). */
export const FIRST_DASHED_SIP = 3;

/**
 * The Cisco-style base name of an application or loader version: the padded form of
 * CME-INSTL and the readmes (`P0S3-07-4-00`, `P00307020300`). Releases whose real files
 * are spelled otherwise (8.12) are in bundles.ts, which callers consult first.
 * Early SCCP 8.3 names are never produced: which SCCP versions used them is not known.
 */
export function writeBaseName(protocol: 'SIP' | 'SCCP' | 'loader', version: FirmwareVersion): string {
  const { major, minor, maintenance } = version;
  switch (protocol) {
    case 'SIP':
      return major < FIRST_DASHED_SIP
        ? `P0S3${pad2(major)}${pad2(minor)}`
        : `P0S3-${pad2(major)}-${minor}-${pad2(maintenance)}`;
    case 'loader':
      return `P003-${pad2(major)}-${minor}-${pad2(maintenance)}`;
    case 'SCCP':
      return version.serviceRelease
        ? `P003${pad2(major)}${pad2(minor)}SR${pad2(version.serviceRelease)}`
        : `P003${pad2(major)}${pad2(minor)}${pad2(maintenance)}${pad2(version.build ?? 0)}`;
  }
}

/** At most 8 characters before the extension: all that SIP 2.1 and earlier accept (seed "SIP 电话不接受 SCCP 加载"). */
export function isDos83BaseName(base: string): boolean {
  return base.length <= 8;
}

export type ImageExtension = '.bin' | '.sbn' | '.loads' | '.sb2' | '.sbin' | '.zup';

/**
 * What each extension means (phone-facts 4.1): `.bin` unsigned, `.sbn` signed (CME-INSTL,
 * doc 68244); `.loads` the load descriptor and `.sb2` the signed application used with the
 * Universal Application Loader (roles [I] from zip contents); `.sbin` signed / `.zup`
 * unsigned are 7905G/7912G extensions [X].
 */
export const EXTENSIONS: Readonly<Record<ImageExtension, { readonly signed?: boolean }>> = {
  '.bin': { signed: false },
  '.sbn': { signed: true },
  '.loads': {},
  '.sb2': { signed: true },
  '.sbin': { signed: true },
  '.zup': { signed: false },
};

export function isImageExtension(text: string): text is ImageExtension {
  return Object.hasOwn(EXTENSIONS, text);
}
