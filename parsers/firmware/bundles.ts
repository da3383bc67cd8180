/**
 * Which files of a release go into the TFTP root, and what each file is.
 *
 * Zips whose contents were seen (../shared/phone-facts.md 4.1):
 *
 * | release      | files                                                                       | source |
 * |--------------|-----------------------------------------------------------------------------|--------|
 * | SCCP 7.2(3)  | P00307020300 .bin .loads .sb2 .sbn                                          | CME-INSTL `show flash` [P] |
 * | SCCP 8.0(5)  | P00308000500 .bin .loads .sb2 .sbn                                          | forum `show flash` [O] |
 * | SIP 7.5      | P0S3-07-5-00 .bin .loads .sb2; P003-07-5-00 .bin .sbn                       | DoES wiki [O] |
 * | SIP 8.2      | P0S3-08-2-00 .sb2 .sbn .loads .bin (no loader listed in the post)           | oniria forum [O] |
 * | SIP 8.12     | P0S3-8-12-00 .loads .sb2; P003-8-12-00 .bin .sbn (no zero padding)          | LKML-TEO, DE-BLOG [O] |
 *
 * Every other release gets the file set of its generation:
 *
 * | generation        | files                                                      | source / inference |
 * |-------------------|------------------------------------------------------------|--------------------|
 * | SIP 1.0-2.3       | P0S3xxyy.bin                                               | seed tech note, MATRIX [P] |
 * | SIP 3.0-4.x       | P0S3-xx-y-zz.bin                                           | seed tech note [P via seed] |
 * | SIP 5.x-6.x       | P0S3-xx-y-zz .bin .sbn                                     | [I] signed from 5.0 (.sbn = signed, doc 68244); .bin kept for phones on unsigned loads as in every later zip |
 * | SIP 7.x           | app .loads .sb2 .bin; loader P003-xx-y-zz .bin .sbn        | [I] from the 7.5 zip |
 * | SIP 8.x           | app .loads .sb2; loader P003-xx-y-zz .bin .sbn             | [I] from the 8.12 zip and the seed's five-file SIP zip |
 * | SCCP before 5.0   | P003aabbccdd.bin                                           | [I] unsigned only (signing starts at 5.0) |
 * | SCCP 5.x          | P003aabbccdd .bin .sbn                                     | [I] seed names P00305000101.bin; 5.0+ is signed-only (readmes) so a .sbn too |
 * | SCCP 6.0 on       | P003aabbccdd .bin .sbn .loads .sb2                         | [I] from 7.2(3)/8.0(5); the seed says SCCP 6.x+ use the UAL |
 *
 * Roles: `.loads` is the load descriptor, `.sb2` the signed application; in UAL-era SCCP
 * zips the `.bin`/`.sbn` of the same name are the loader [I]: ~129 KB against ~680 KB for the
 * `.sb2` (CME-INSTL sizes), and the seed calls `P003…bin/.sbn` the non-secure/secure loader.
 */
import { writeBaseName } from './naming.js';
import type { ImageExtension } from './naming.js';
import type { SourceId } from './sources.js';
import { compareVersions, formatVersion, v } from './version.js';
import type { ApplicationProtocol, FirmwareVersion, ProtocolVersion } from './version.js';

export type ImageRole =
  /** The protocol application (.sb2; .bin/.sbn before the UAL era). */
  | 'application'
  /** The Universal Application Loader (P003-xx-y-zz, or P003aabbccdd .bin/.sbn from SCCP 6.x). */
  | 'loader'
  /** The .loads file: names the loader and application the phone fetches next. */
  | 'load-descriptor'
  /** A name without extension, as written in OS79XX.TXT, image_version or loadInformation. */
  | 'load-name'
  /** An image of another phone family (7905/7912, Java phones). */
  | 'other-family'
  | 'unknown';

export interface BundleFile {
  readonly name: string;
  readonly role: ImageRole;
}

export interface TftpFileSet {
  readonly protocol: ApplicationProtocol;
  readonly version: FirmwareVersion;
  /** The name provisioning files use for the application (no extension). */
  readonly image: string;
  /** The Universal Application Loader's name, for SIP zips that carry one. */
  readonly loader?: string;
  readonly files: readonly BundleFile[];
  /** True when the list comes from the generation table, not from a zip seen whole. */
  readonly inferred: boolean;
  readonly source: readonly SourceId[];
}

type Part = readonly [of: 'app' | 'loader', ext: ImageExtension, role: ImageRole];

interface ObservedBundle {
  readonly release: string;
  readonly image: string;
  readonly loader?: string;
  readonly parts: readonly Part[];
  readonly source: readonly SourceId[];
}

const UAL_SCCP: readonly Part[] = [
  ['app', '.bin', 'loader'],
  ['app', '.loads', 'load-descriptor'],
  ['app', '.sb2', 'application'],
  ['app', '.sbn', 'loader'],
];

const OBSERVED: readonly ObservedBundle[] = [
  { release: 'SCCP 7.2(3)', image: 'P00307020300', parts: UAL_SCCP, source: ['CME-INSTL'] },
  { release: 'SCCP 8.0(5)', image: 'P00308000500', parts: UAL_SCCP, source: ['CME-SHOW-FLASH-FORUM'] },
  {
    release: 'SIP 7.5',
    image: 'P0S3-07-5-00',
    loader: 'P003-07-5-00',
    source: ['DOES-WIKI'],
    parts: [
      ['app', '.bin', 'application'],
      ['app', '.loads', 'load-descriptor'],
      ['app', '.sb2', 'application'],
      ['loader', '.bin', 'loader'],
      ['loader', '.sbn', 'loader'],
    ],
  },
  {
    release: 'SIP 8.2',
    image: 'P0S3-08-2-00',
    source: ['ONIRIA-FORUM'],
    parts: [
      ['app', '.sb2', 'application'],
      ['app', '.sbn', 'application'],
      ['app', '.loads', 'load-descriptor'],
      ['app', '.bin', 'application'],
    ],
  },
  {
    release: 'SIP 8.12',
    image: 'P0S3-8-12-00',
    loader: 'P003-8-12-00',
    source: ['LKML-TEO', 'DE-BLOG'],
    parts: [
      ['app', '.loads', 'load-descriptor'],
      ['app', '.sb2', 'application'],
      ['loader', '.bin', 'loader'],
      ['loader', '.sbn', 'loader'],
    ],
  },
];

interface Generation {
  readonly protocol: ApplicationProtocol;
  /** Inclusive lower bound; the table is ordered so the first match wins. */
  readonly from: FirmwareVersion;
  readonly hasLoader: boolean;
  readonly parts: readonly Part[];
  readonly source: readonly SourceId[];
}

const GENERATIONS: readonly Generation[] = [
  {
    protocol: 'SIP',
    from: v('8.0'),
    hasLoader: true,
    source: ['LKML-TEO', 'SEED'],
    parts: [
      ['app', '.loads', 'load-descriptor'],
      ['app', '.sb2', 'application'],
      ['loader', '.bin', 'loader'],
      ['loader', '.sbn', 'loader'],
    ],
  },
  {
    protocol: 'SIP',
    from: v('7.0'),
    hasLoader: true,
    source: ['DOES-WIKI'],
    parts: [
      ['app', '.loads', 'load-descriptor'],
      ['app', '.sb2', 'application'],
      ['app', '.bin', 'application'],
      ['loader', '.bin', 'loader'],
      ['loader', '.sbn', 'loader'],
    ],
  },
  {
    protocol: 'SIP',
    from: v('5.0'),
    hasLoader: false,
    source: ['CME-INSTL', 'DOC-68244'],
    parts: [
      ['app', '.bin', 'application'],
      ['app', '.sbn', 'application'],
    ],
  },
  {
    protocol: 'SIP',
    from: v('0.0'),
    hasLoader: false,
    source: ['SEED', 'MATRIX'],
    parts: [['app', '.bin', 'application']],
  },
  { protocol: 'SCCP', from: v('6.0'), hasLoader: false, source: ['CME-INSTL', 'SEED'], parts: UAL_SCCP },
  {
    protocol: 'SCCP',
    from: v('5.0'),
    hasLoader: false,
    source: ['SEED', 'READMES'],
    parts: [
      ['app', '.bin', 'application'],
      ['app', '.sbn', 'application'],
    ],
  },
  {
    protocol: 'SCCP',
    from: v('0.0'),
    hasLoader: false,
    source: ['CME-INSTL'],
    parts: [['app', '.bin', 'application']],
  },
];

function observedBundle(protocol: ApplicationProtocol, version: FirmwareVersion): ObservedBundle | undefined {
  const key = `${protocol} ${formatVersion(version, protocol)}`;
  return OBSERVED.find((b) => b.release === key);
}

/** The base name the real files of this release carry (8.12 unpadded), else the Cisco pattern. */
export function imageNameFor(release: ProtocolVersion): string {
  return observedBundle(release.protocol, release.version)?.image ?? writeBaseName(release.protocol, release.version);
}

/** The Universal Application Loader named in a SIP zip's OS79XX.TXT, when the zip has one. */
export function loaderNameFor(release: ProtocolVersion): string | undefined {
  const observed = observedBundle(release.protocol, release.version);
  if (observed) return observed.loader;
  return generationOf(release.protocol, release.version).hasLoader
    ? writeBaseName('loader', release.version)
    : undefined;
}

function generationOf(protocol: ApplicationProtocol, version: FirmwareVersion): Generation {
  const generation = GENERATIONS.find((g) => g.protocol === protocol && compareVersions(version, g.from) >= 0);
  if (!generation) throw new Error(`no generation for ${protocol} ${formatVersion(version, protocol)}`);
  return generation;
}

/**
 * The files to put in the TFTP root for a release. `image` may override the base name (a
 * caller's early 8.3 SCCP name, which the patterns never produce).
 */
export function tftpFilesFor(release: ProtocolVersion, image?: string): TftpFileSet {
  const { protocol, version } = release;
  const observed = observedBundle(protocol, version);
  const app = image ?? observed?.image ?? writeBaseName(protocol, version);
  const loader = observed ? observed.loader : loaderNameFor(release);
  const parts = observed?.parts ?? generationOf(protocol, version).parts;
  const files = parts.map(([of, ext, role]) => ({ name: `${of === 'loader' && loader ? loader : app}${ext}`, role }));
  return {
    protocol,
    version,
    image: app,
    ...(loader ? { loader } : {}),
    files,
    inferred: !observed,
    source: observed?.source ?? generationOf(protocol, version).source,
  };
}
