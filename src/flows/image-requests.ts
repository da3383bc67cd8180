/**
 * The file a phone asks for to fetch an image that image_version or loadInformation names
 * without extension: `<name>.bin` before the loader era (seed flows; a pre-loader image
 * "asks for <name>.bin", parsers/firmware/image-name.ts), `<name>.loads` from SIP 7.x and
 * SCCP 6.x (the real 8.12 log, phone-facts 2.1). OS79XX.TXT's line has its own rule
 * (parsers/provisioning/file-names.ts, os79xxRequestedFileName).
 */
import type { ImageExtension } from '../../parsers/firmware/image-name.js';

export const PRE_LOADER_IMAGE_EXTENSION: ImageExtension = '.bin';
export const LOADER_ERA_IMAGE_EXTENSION: ImageExtension = '.loads';

export function imageRequest(written: string, loaderEra: boolean): string {
  return `${written}${loaderEra ? LOADER_ERA_IMAGE_EXTENSION : PRE_LOADER_IMAGE_EXTENSION}`;
}
