/**
 * The phone whose boot is predicted: its MAC, model, and the image in its flash, and the
 * generation of boot behaviour that image has (seed tech note: the pre-loader flows with
 * OS79XX.TXT; "SCCP 6.x and later and SIP 7.x and later" use the Universal Application Loader).
 */
import { formatVersion, parseImageName } from '../../parsers/firmware/image-name.js';
import type { FirmwareVersion, ImageName, ProtocolVersion } from '../../parsers/firmware/image-name.js';
import { compareVersions, isSignedOnly, v } from '../../parsers/firmware/version.js';
import type { Mac } from '../../parsers/provisioning/file-names.js';
import type { PhoneModel } from '../../parsers/provisioning/sccp-xml.js';
import { firmwareOf } from '../upgrade/firmware.js';

export type RunningProtocol = 'SIP' | 'SCCP' | 'loader';

/** An image in flash: an application, or the Universal Application Loader between two applications. */
export interface RunningImage {
  readonly protocol: RunningProtocol;
  readonly version: FirmwareVersion;
  /** Base name as the files write it: `P0S3-8-12-00`, `P003-8-12-00`, `CP7940080001SCCP051117A`. */
  readonly image: string;
}

export interface PhoneSpec {
  readonly mac?: Mac;
  readonly model?: PhoneModel;
  /** Undefined: not known (see ASSUMPTIONS.UNKNOWN_IMAGE_AS_NAMED). */
  readonly running?: RunningImage;
}

/** Seed: SIP 7.x and later, SCCP 6.x and later use the Universal Application Loader. */
export const SIP_LOADER_ERA: FirmwareVersion = v('7.0');
export const SCCP_LOADER_ERA: FirmwareVersion = v('6.0');
/** Seed "SIP 5.x, 6.x to SCCP": the images that read gkdefault's upgradecode. */
export const GKDEFAULT_SIP_FROM: FirmwareVersion = v('5.0');

export type BootGeneration =
  /** SCCP before 6.0: OS79XX.TXT, then SCCP config, then the SIP config hunt; fetches <name>.bin. */
  | 'sccp-pre-loader'
  /** SIP before 7.0: OS79XX.TXT, SIP config (5.x/6.x: gkdefault.cfg); fetches <name>.bin. */
  | 'sip-pre-loader'
  /** SCCP 6.0 and later: CTL, SCCP config, the SIP config hunt; fetches .loads. */
  | 'sccp-loader-era'
  /** SIP 7.0 and later: the order of the real 8.12 log (facts 2.1). */
  | 'sip-loader-era'
  /** The Universal Application Loader itself, fetched through OS79XX.TXT: hunts config files for the application. */
  | 'loader';

export function generationOf(image: RunningImage): BootGeneration {
  switch (image.protocol) {
    case 'loader':
      return 'loader';
    case 'SIP':
      return compareVersions(image.version, SIP_LOADER_ERA) >= 0 ? 'sip-loader-era' : 'sip-pre-loader';
    case 'SCCP':
      return compareVersions(image.version, SCCP_LOADER_ERA) >= 0 ? 'sccp-loader-era' : 'sccp-pre-loader';
  }
}

export function isLoaderEra(generation: BootGeneration): boolean {
  return generation === 'sccp-loader-era' || generation === 'sip-loader-era' || generation === 'loader';
}

/** Reads the gkdefault images (SIP 5.x/6.x) — `sip-pre-loader` covers them too. */
export function readsGkdefault(image: RunningImage): boolean {
  return (
    image.protocol === 'SIP' &&
    compareVersions(image.version, GKDEFAULT_SIP_FROM) >= 0 &&
    compareVersions(image.version, SIP_LOADER_ERA) < 0
  );
}

export function isSigned(image: RunningImage): boolean {
  return isSignedOnly(image.version);
}

/** An application release as the files name it (`SIP 8.12` → P0S3-8-12-00). */
export function runningRelease(release: ProtocolVersion): RunningImage {
  return { ...firmwareOf(release) };
}

/**
 * What a name leads the phone to run once fetched: an application, the loader, a
 * 7905/7912-style upgradecode image (read as the SCCP or SIP load its name says), or nothing.
 */
export function runningFromName(name: ImageName): RunningImage | undefined {
  if (!name.version) return undefined;
  if (name.family === '7940/7960') {
    if (name.protocol === 'loader') return { protocol: 'loader', version: name.version, image: name.baseName };
    if (name.protocol === 'SIP' || name.protocol === 'SCCP')
      return { protocol: name.protocol, version: name.version, image: name.baseName };
  }
  if (name.family === '7905/7912' && (name.protocol === 'SIP' || name.protocol === 'SCCP')) {
    return { protocol: name.protocol, version: name.version, image: name.baseName };
  }
  return undefined;
}

/** The application an image leads to: a loader (P003-xx-y-zz) stands for its zip's SIP application. */
export function applicationFor(image: RunningImage | undefined): RunningImage | undefined {
  return image?.protocol === 'loader' ? runningRelease({ protocol: 'SIP', version: image.version }) : image;
}

/** The application release of an image; undefined for the loader. */
export function releaseOf(image: RunningImage): ProtocolVersion | undefined {
  return image.protocol === 'loader' ? undefined : { protocol: image.protocol, version: image.version };
}

/** Same protocol and version: the phone keeps what it runs (padding of the name does not matter). */
export function sameImage(a: RunningImage, b: RunningImage): boolean {
  return a.protocol === b.protocol && compareVersions(a.version, b.version) === 0;
}

/** `SIP 8.12`, `SCCP 8.1(2)`, `loader 8.12` */
export function imageLabel(image: RunningImage): string {
  return `${image.protocol} ${formatVersion(image.version, image.protocol)}`;
}

/** Parses a file name or base name the phone fetched, to know what it leads to. */
export function runningFromFileName(file: string): RunningImage | undefined {
  const parsed = parseImageName(file);
  if (parsed.role === 'loader' && parsed.version)
    return { protocol: 'loader', version: parsed.version, image: parsed.baseName };
  return runningFromName(parsed);
}
