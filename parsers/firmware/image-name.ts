/**
 * What a firmware image name says: protocol, version, signed or not, the role of the file,
 * whether a 7940/7960 could ever ask for it, and the near-misses people write (letter O
 * for zero, an extension in OS79XX.TXT, trailing blanks, lower case, wrong padding).
 * Pure: no I/O. The schemes are in naming.ts, the zip contents in bundles.ts.
 */
import { imageNameFor, loaderNameFor, tftpFilesFor } from './bundles.js';
import type { ImageRole } from './bundles.js';
import { EXTENSIONS, FIRST_DASHED_SIP, isImageExtension, readBaseName, writeBaseName } from './naming.js';
import type { ImageExtension, NamingScheme, SchemeMatch } from './naming.js';
import { findRelease, latestBaseRelease } from './releases.js';
import { formatVersion, isSignedOnly } from './version.js';
import type { FirmwareProtocol, FirmwareVersion } from './version.js';

export { compareVersions, formatVersion, isSignedOnly, parseProtocolVersion } from './version.js';
export type { ApplicationProtocol, FirmwareProtocol, FirmwareVersion, ProtocolVersion } from './version.js';
export type { ImageExtension, NamingScheme } from './naming.js';
export type { ImageRole } from './bundles.js';

export type ImageFamily = '7940/7960' | '7905/7912' | 'java-phone' | 'unknown';

/**
 * Where the name was written. In OS79XX.TXT, `image_version` and `loadInformation` the
 * name carries no extension (seed tech note; phone-facts 5.2); in a TFTP request, a
 * directory listing or a gkdefault `upgradecode` it does.
 */
export type NameContext = 'file' | 'os79xx' | 'image_version' | 'loadInformation' | 'upgradecode';

export type ImageNameProblemCode =
  /** Blanks, tabs or CR around the name (bug CSCdv19260): the phone asks for a file that does not exist. */
  | 'whitespace'
  /** Letter O where Cisco names have the digit zero (`POS3-…`, `POO3…`). */
  | 'letter-o'
  /** Lower-case letters in the name (or upper-case extension): TFTP servers are case sensitive. */
  | 'letter-case'
  /** An extension in OS79XX.TXT / image_version / loadInformation. */
  | 'extension-not-allowed'
  /** Zero padding other than in the release's real files (`P0S3-08-12-00` for the 8.12 zip's `P0S3-8-12-00`). */
  | 'padding'
  /** A SIP 2.3-or-earlier version in the dashed form, or a 3.0-or-later version as an 8.3 name. */
  | 'scheme-for-version'
  /** The extension does not exist for this release (`P0S3-8-12-00.bin`: 8.12 ships .loads/.sb2). */
  | 'extension-not-in-release'
  /** The SR name does not carry the maintenance number; it was taken from the known releases, or is unknown. */
  | 'maintenance-not-in-name'
  /** The version is not among the releases Cisco's readmes and guides list. */
  | 'unknown-release'
  /** A 7905/7912 or Java-phone name: never requested by a 7940/7960. */
  | 'other-family'
  /** Matches no Cisco scheme at all. */
  | 'unrecognised';

export interface ImageNameProblem {
  readonly code: ImageNameProblemCode;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** What was probably meant, as a complete name in the same context. */
  readonly suggestion?: string;
}

export interface ImageName {
  /** Exactly as given, blanks included. */
  readonly input: string;
  /** The name as the phone would read it (blanks removed), extension included. */
  readonly name: string;
  /** Without the extension, as written (not corrected). */
  readonly baseName: string;
  /** Lower case, when the name has a known image extension. */
  readonly extension?: ImageExtension;
  /** The scheme the name follows; for a near-miss, the scheme of what was probably meant. */
  readonly scheme: NamingScheme;
  readonly protocol: FirmwareProtocol;
  readonly version?: FirmwareVersion;
  /** Signed per the extension: .sbn/.sb2/.sbin yes, .bin/.zup no; undefined without one (or .loads). */
  readonly signed?: boolean;
  /** The version is 5.0 or newer: a phone running it accepts only signed loads. */
  readonly signedOnly: boolean;
  readonly role: ImageRole;
  readonly family: ImageFamily;
  /** Whether a 7940/7960 could ever request this name (false for other families and unrecognised names). */
  readonly requestableBy7940: boolean;
  /** The corrected full name when a problem has a fix (letter O, padding, blanks, case, extension). */
  readonly suggestion?: string;
  readonly problems: readonly ImageNameProblem[];
}

const FIXABLE: ReadonlySet<ImageNameProblemCode> = new Set<ImageNameProblemCode>([
  'whitespace',
  'letter-o',
  'letter-case',
  'extension-not-allowed',
  'padding',
  'scheme-for-version',
]);

export interface ParseImageNameOptions {
  readonly context?: NameContext;
}

const PROVISIONING_CONTEXT: Readonly<Record<NameContext, string | undefined>> = {
  file: undefined,
  upgradecode: undefined,
  os79xx: 'OS79XX.TXT',
  image_version: 'image_version',
  loadInformation: 'loadInformation',
};

export function parseImageName(input: string, options: ParseImageNameOptions = {}): ImageName {
  const context = options.context ?? 'file';
  const name = input.trim();
  const problems: ImageNameProblem[] = name === input ? [] : [blanksAround(input)];
  const { base, extension, writtenExtension } = splitExtension(name);
  const { match, meant } = readMeantBase(base, problems);
  if (writtenExtension !== undefined && extension !== undefined && writtenExtension !== extension) {
    problems.push({
      code: 'letter-case',
      severity: 'error',
      message: `extension "${writtenExtension}" is not lower case; the zip's file is ${meant}${extension}`,
    });
  }

  const version =
    match.version && match.scheme === 'sccp-service-release'
      ? serviceReleaseVersion(match.version, problems, meant)
      : match.version;
  const resolved: SchemeMatch = { ...match, ...(version ? { version } : {}) };
  const family = familyOf(resolved.scheme);
  const release = family === '7940/7960' && version ? { match: resolved, version } : undefined;

  const suggestedBase = release ? checkForm(release, meant, problems) : meant;
  if (release) checkRelease(release, problems);
  const suggestedExtension = checkExtension(context, release, suggestedBase, extension, writtenExtension, problems);
  problems.push(...familyProblems(name, family, context));

  const suggestion = `${suggestedBase}${suggestedExtension ?? ''}`;
  const hasSuggestion = family === '7940/7960' && suggestion !== input;
  return {
    input,
    name,
    baseName: base,
    ...(extension ? { extension } : {}),
    scheme: resolved.scheme,
    protocol: resolved.protocol,
    ...(version ? { version } : {}),
    ...(extension && EXTENSIONS[extension].signed !== undefined ? { signed: EXTENSIONS[extension].signed } : {}),
    signedOnly: release !== undefined && isSignedOnly(release.version),
    role: roleOf(resolved, extension, family),
    family,
    requestableBy7940: family === '7940/7960',
    ...(hasSuggestion ? { suggestion } : {}),
    problems: hasSuggestion ? problems.map((p) => (FIXABLE.has(p.code) ? { ...p, suggestion } : p)) : problems,
  };
}

/** A 7940/7960 name whose version is known: what the form, release and extension checks look at. */
interface VersionedMatch {
  readonly match: SchemeMatch;
  readonly version: FirmwareVersion;
}

function blanksAround(input: string): ImageNameProblem {
  return {
    code: 'whitespace',
    severity: 'error',
    message: `"${visible(input)}" has blanks, tabs or a CR around the name; the phone asks for the name with them and the file is never found (bug CSCdv19260)`,
  };
}

/** The scheme the base name follows, read as written or, failing that, as probably meant (adding what was repaired to `problems`). */
function readMeantBase(base: string, problems: ImageNameProblem[]): { match: SchemeMatch; meant: string } {
  const exact = readBaseName(base);
  // What was probably meant: upper case, digit zero for letter O (never inside the extension).
  const corrected = exact.scheme === 'unrecognised' ? correctBase(base) : undefined;
  const match = corrected ? readBaseName(corrected.base) : exact;
  if (corrected === undefined || match.scheme === 'unrecognised') return { match, meant: base };
  if (corrected.letterO) {
    problems.push({
      code: 'letter-o',
      severity: 'error',
      message: `"${base}" has the letter O where Cisco image names have the digit zero; the phone asks for a file that no zip contains`,
    });
  }
  if (corrected.lowerCase) {
    problems.push({
      code: 'letter-case',
      severity: 'error',
      message: `"${base}" is not in upper case; TFTP servers are case sensitive and Cisco image names are upper case`,
    });
  }
  if (corrected.blanks) {
    problems.push({
      code: 'whitespace',
      severity: 'error',
      message: `"${visible(base)}" has blanks, tabs or a CR inside the name; the phone asks for the name with them and the file is never found (bug CSCdv19260)`,
    });
  }
  if (corrected.innerExtension) {
    problems.push({
      code: 'extension-not-allowed',
      severity: 'error',
      message: `"${visible(base)}" carries the extension "${corrected.innerExtension}" inside the name: the file that named it wrote the image with its extension, and the phone added its own`,
    });
  }
  return { match, meant: corrected.base };
}

/** An extension where the context allows none, or one the release does not ship; returns the extension to suggest. */
function checkExtension(
  context: NameContext,
  release: VersionedMatch | undefined,
  base: string,
  extension: ImageExtension | undefined,
  writtenExtension: string | undefined,
  problems: ImageNameProblem[],
): ImageExtension | undefined {
  const provisioningName = PROVISIONING_CONTEXT[context];
  if (provisioningName && writtenExtension !== undefined) {
    problems.push({
      code: 'extension-not-allowed',
      severity: 'error',
      message: `${provisioningName} names the image without an extension ("${writtenExtension}" found); the phone adds the extension itself`,
    });
    return undefined;
  }
  if (release && extension) checkExtensionInRelease(release, base, extension, problems);
  return extension;
}

/** A name of another phone family, or of none. */
function familyProblems(name: string, family: ImageFamily, context: NameContext): ImageNameProblem[] {
  switch (family) {
    case 'unknown':
      return [
        {
          code: 'unrecognised',
          severity: 'error',
          message: `"${name}" matches no Cisco 7940/7960 image scheme (P0S3xxyy, P0S3-xx-y-zz, P003aabbccdd, P003aabbSRnn, P003-xx-y-zz)`,
        },
      ];
    case '7905/7912':
      return [
        {
          code: 'other-family',
          severity: context === 'upgradecode' ? 'info' : 'warning',
          message:
            context === 'upgradecode'
              ? `"${name}" is a 7905G/7912G-style name (CP<model>…SIP|SCCP<yymmdd><a-f>), the kind a gkdefault upgradecode names; only Cisco tech note 5455 has a 7940 use it`
              : `"${name}" is a 7905G/7912G-style image name (CP<model>…SIP|SCCP<yymmdd><a-f>); a 7940/7960 does not request it`,
        },
      ];
    case 'java-phone':
      return [
        {
          code: 'other-family',
          severity: 'warning',
          message: `"${name}" is an image of the Java-based 79x1/79x2/79x5 phones; a 7940/7960 never requests it`,
        },
      ];
    case '7940/7960':
      return [];
  }
}

function splitExtension(name: string): { base: string; extension?: ImageExtension; writtenExtension?: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { base: name };
  const written = name.slice(dot);
  const lower = written.toLowerCase();
  if (!isImageExtension(lower)) return { base: name };
  return { base: name.slice(0, dot), extension: lower, writtenExtension: written };
}

/**
 * What was probably meant, after every repair a near-miss may need at once: blanks or a CR
 * inside the name and an extension left in it (OS79XX.TXT holding `POS3-08-12-00.bin   `
 * makes the phone ask for `POS3-08-12-00.bin   .bin`), then upper case and the digit zero
 * for the letter O anywhere in the name.
 */
function correctBase(
  base: string,
): { base: string; letterO: boolean; lowerCase: boolean; blanks: boolean; innerExtension?: string } | undefined {
  const unblanked = base.replace(/\s+/g, '');
  const inner = /\.(bin|sbn|loads|sb2)$/i.exec(unblanked);
  const stripped = inner ? unblanked.slice(0, inner.index) : unblanked;
  const upper = stripped.toUpperCase();
  const fixed = upper.replace(/O/g, '0');
  if (fixed === base) return undefined;
  return {
    base: fixed,
    letterO: upper.includes('O'),
    lowerCase: upper !== stripped,
    blanks: unblanked !== base,
    ...(inner ? { innerExtension: inner[0] } : {}),
  };
}

function serviceReleaseVersion(version: FirmwareVersion, problems: ImageNameProblem[], base: string): FirmwareVersion {
  const known = latestBaseRelease('SCCP', version.major, version.minor);
  problems.push({
    code: 'maintenance-not-in-name',
    severity: 'info',
    message: known
      ? `${base} does not carry the maintenance number; ${formatVersion(known.version, 'SCCP')} is taken from the known releases`
      : `${base} does not carry the maintenance number, and no ${version.major}.${version.minor} release is known to supply it`,
  });
  return known ? { ...version, maintenance: known.version.maintenance } : version;
}

function familyOf(scheme: NamingScheme): ImageFamily {
  if (scheme === 'cp-7905-7912') return '7905/7912';
  if (scheme === 'java-phone') return 'java-phone';
  if (scheme === 'unrecognised') return 'unknown';
  return '7940/7960';
}

/** Checks the scheme against the version and the padding against the real files; returns the base name to suggest. */
function checkForm({ match, version }: VersionedMatch, base: string, problems: ImageNameProblem[]): string {
  if (match.protocol === 'SIP') {
    const wantsDashed = version.major >= FIRST_DASHED_SIP;
    const isDashed = match.scheme === 'sip';
    const canonical = imageNameFor({ protocol: 'SIP', version });
    if (wantsDashed !== isDashed) {
      problems.push({
        code: 'scheme-for-version',
        severity: 'error',
        message: wantsDashed
          ? `SIP ${formatVersion(version, 'SIP')} is named P0S3-xx-y-zz (SIP 3.0 and later), not as an 8.3 name`
          : `SIP ${formatVersion(version, 'SIP')} is named P0S3xxyy (SIP 2.3 and earlier), not in the dashed form`,
      });
      return canonical;
    }
    return checkPadding(base, canonical, problems);
  }
  if (match.scheme === 'loader') {
    const canonical = loaderNameFor({ protocol: 'SIP', version }) ?? writeBaseName('loader', version);
    return checkPadding(base, canonical, problems);
  }
  return base;
}

function checkPadding(base: string, canonical: string, problems: ImageNameProblem[]): string {
  if (base === canonical) return base;
  problems.push({
    code: 'padding',
    severity: 'warning',
    message: `"${base}" is padded differently from the release's files (${canonical}); the phone asks for the name exactly as written, so it works only if the files were renamed`,
  });
  return canonical;
}

function checkRelease({ match, version }: VersionedMatch, problems: ImageNameProblem[]): void {
  const protocol = match.protocol === 'loader' ? 'SIP' : match.protocol;
  if (protocol !== 'SIP' && protocol !== 'SCCP') return;
  if (match.scheme === 'sccp-8.3') return; // no early SCCP release is listed in the sources
  if (!findRelease(protocol, version)) {
    problems.push({
      code: 'unknown-release',
      severity: 'info',
      message: `${protocol} ${formatVersion(version, protocol)} is not among the releases Cisco's readmes and guides list`,
    });
  }
}

function checkExtensionInRelease(
  { match, version }: VersionedMatch,
  base: string,
  extension: ImageExtension,
  problems: ImageNameProblem[],
): void {
  const protocol = match.protocol === 'loader' ? 'SIP' : match.protocol;
  if (protocol !== 'SIP' && protocol !== 'SCCP') return;
  const set = tftpFilesFor({ protocol, version }, match.scheme === 'sccp-8.3' ? base : undefined);
  const wanted = `${base}${extension}`;
  if (set.files.some((f) => f.name === wanted)) return;
  const shipped = set.files.map((f) => f.name).join(', ');
  problems.push({
    code: 'extension-not-in-release',
    severity: set.inferred ? 'warning' : 'error',
    message:
      `${protocol} ${formatVersion(version, protocol)} ships ${shipped}${set.inferred ? ' [inferred from its generation]' : ''}; there is no ${wanted}` +
      (extension === '.bin' && set.files.some((f) => f.role === 'load-descriptor')
        ? ' (a phone on an old pre-loader image asks for <name>.bin: it must first reach a release that reads .loads)'
        : ''),
  });
}

function roleOf(match: SchemeMatch, extension: ImageExtension | undefined, family: ImageFamily): ImageRole {
  if (family === 'unknown') return 'unknown';
  if (family !== '7940/7960') return 'other-family';
  if (match.scheme === 'loader') return 'loader';
  if (!extension) return 'load-name';
  if (extension === '.loads') return 'load-descriptor';
  if (extension === '.sb2') return 'application';
  const protocol = match.protocol === 'SCCP' ? 'SCCP' : 'SIP';
  if (match.version === undefined) return 'application';
  const set = tftpFilesFor({ protocol, version: match.version });
  const file = set.files.find((f) => f.name.endsWith(extension) && f.name.startsWith(set.image));
  return file?.role ?? 'application';
}

function visible(text: string): string {
  return text.replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}
