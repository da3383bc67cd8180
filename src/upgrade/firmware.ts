/**
 * An application image a phone runs or should run: what the path finder moves between.
 */
import { imageNameFor } from '../../parsers/firmware/bundles.js';
import { formatVersion } from '../../parsers/firmware/image-name.js';
import type { ImageName } from '../../parsers/firmware/image-name.js';
import type { ApplicationProtocol, FirmwareVersion, ProtocolVersion } from '../../parsers/firmware/version.js';

export interface Firmware {
  readonly protocol: ApplicationProtocol;
  readonly version: FirmwareVersion;
  /** Base name as provisioning files write it: `P0S3-8-12-00`, `P00308010200`. */
  readonly image: string;
}

/** `SIP 8.12`: also the identity of a release in the path finder. */
export function firmwareLabel(firmware: ProtocolVersion): string {
  return `${firmware.protocol} ${formatVersion(firmware.version, firmware.protocol)}`;
}

/** A known release as the files name it. */
export function firmwareOf(release: ProtocolVersion): Firmware {
  return { protocol: release.protocol, version: release.version, image: imageNameFor(release) };
}

/**
 * The application an image name stands for, or why it stands for none: the loader
 * (P003-xx-y-zz), other phone families and unrecognised names are not something a
 * 7940/7960 runs. Early 8.3 SCCP names keep their own spelling (the patterns cannot write it).
 */
export function applicationOf(name: ImageName): Firmware | { readonly refused: string } {
  if (name.family !== '7940/7960' || !name.version) {
    return {
      refused:
        name.problems.find((p) => p.code === 'other-family' || p.code === 'unrecognised')?.message ??
        `"${name.name}" is not a 7940/7960 image name`,
    };
  }
  if (name.protocol === 'loader') {
    return {
      refused:
        `${name.baseName} is the Universal Application Loader of ` +
        `the SIP ${formatVersion(name.version, 'loader')} zip, ` +
        `not an application a phone runs (that zip's application is ` +
        `${imageNameFor({ protocol: 'SIP', version: name.version })})`,
    };
  }
  const protocol = name.protocol as ApplicationProtocol;
  const release = { protocol, version: name.version };
  return { ...release, image: name.scheme === 'sccp-8.3' ? name.baseName : imageNameFor(release) };
}
