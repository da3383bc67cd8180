/**
 * Which provisioning file names the next image, and how, for each move method
 * (../shared/phone-facts.md 5.1-5.5; seed tech note flows).
 */
import type { TftpFileSet } from '../../parsers/firmware/bundles.js';
import { compareVersions, v } from '../../parsers/firmware/version.js';
import { firmwareLabel } from './firmware.js';
import type { Firmware } from './firmware.js';
import type { MoveMethod } from './rules.js';

export type ProvisioningFileName =
  | 'OS79XX.TXT'
  | 'SIPDefault.cnf'
  | 'SIP<MAC>.cnf'
  | 'SEP<MAC>.cnf.xml'
  | 'XMLDefault.cnf.xml'
  | 'gkdefault.cfg';

export interface ProvisioningEntry {
  /** The files that can carry the setting, the one to edit first. */
  readonly files: readonly ProvisioningFileName[];
  readonly setting: 'whole file' | 'image_version' | 'loadInformation' | 'upgradecode';
  readonly value: string;
  /** One sentence for a person. */
  readonly how: string;
  /** False for "if the file is there, keep it consistent" entries. */
  readonly required: boolean;
}

/** The gkdefault image names the tech note quotes; the date code of other releases is not known. */
const GKDEFAULT_SCCP_IMAGES: readonly {
  readonly release: string;
  readonly image: string;
  readonly dateCode: string;
}[] = [
  // seed: "cmterm-7940-7960-sccp.8-0-4.zip ... might look like" this.
  { release: 'SCCP 8.0(4)', image: 'CP7940080001SCCP051117A.sbin', dateCode: '051117a' },
];

const SIP_UAL_ERA = v('7.0');
const SCCP_UAL_ERA = v('6.0');

function inUalEra(firmware: Firmware): boolean {
  return compareVersions(firmware.version, firmware.protocol === 'SIP' ? SIP_UAL_ERA : SCCP_UAL_ERA) >= 0;
}

function os79xx(value: string, what: string, required: boolean): ProvisioningEntry {
  return {
    files: ['OS79XX.TXT'],
    setting: 'whole file',
    value,
    required,
    how:
      `${required ? '' : 'If present, '}OS79XX.TXT holds the single line ${value} (${what}): ` +
      `no extension, no blank or CR after it (bug CSCdv19260)`,
  };
}

function imageVersion(value: string, required: boolean, from: Firmware): ProvisioningEntry {
  // W210 "TFTP Error : buffer full": SIP 2.x cannot read a large SIPDefault.cnf (seed tech note).
  const w210 =
    from.protocol === 'SIP' && from.version.major === 2
      ? '; on SIP 2.x keep only this line in SIPDefault.cnf until the new image runs (W210 buffer full)'
      : '';
  return {
    files: ['SIPDefault.cnf', 'SIP<MAC>.cnf'],
    setting: 'image_version',
    value,
    required,
    how:
      `${required ? '' : 'If present, '}SIPDefault.cnf has image_version: ` +
      `"${value}" (and SIP<MAC>.cnf too if it sets one: the per-phone file wins)${w210}`,
  };
}

function loadInformation(value: string, required: boolean): ProvisioningEntry {
  return {
    files: ['SEP<MAC>.cnf.xml', 'XMLDefault.cnf.xml'],
    setting: 'loadInformation',
    value,
    required,
    how:
      `${required ? '' : 'If present, '}SEP<MAC>.cnf.xml (or XMLDefault.cnf.xml: ` +
      `<loadInformation7 model="IP Phone 7960">, <loadInformation8 model="IP Phone 7940">) names ${value}`,
  };
}

export function provisioningFor(
  method: MoveMethod,
  from: Firmware,
  target: Firmware,
  zip: TftpFileSet,
): ProvisioningEntry[] {
  const image = target.image;
  switch (method) {
    case 'sip-config': {
      const entries = [imageVersion(image, true, from)];
      // Pre-loader SIP images also read OS79XX.TXT; the Cisco Community SIP → SCCP how-to sets both.
      if (!inUalEra(from) || target.protocol === 'SCCP') entries.push(os79xx(image, 'the same name', false));
      // From 7.x the phone asks for SEP<MAC>.cnf.xml first (LKML-TEO boot log; voip-info).
      if (inUalEra(target)) entries.push(loadInformation(image, false));
      return entries;
    }
    case 'sccp-config':
      return [loadInformation(image, true)];
    case 'os79xx':
      return [
        os79xx(image, `the ${target.protocol} image`, true),
        // The phone reads SIPDefault.cnf next; a different image_version would send it elsewhere.
        imageVersion(image, from.protocol === 'SIP' || target.protocol === 'SIP', from),
      ];
    case 'target-config':
      return [
        imageVersion(image, true, from),
        {
          files: ['SEP<MAC>.cnf.xml', 'XMLDefault.cnf.xml'],
          setting: 'loadInformation',
          value: image,
          required: false,
          how:
            `Remove SEP<MAC>.cnf.xml and XMLDefault.cnf.xml (the other protocol's files), ` +
            `or make them name ${image}`,
        },
      ];
    case 'ual-zip': {
      const entries = [
        os79xx(zip.loader ?? image, zip.loader ? 'the Universal Application Loader of the zip' : 'the load', true),
        loadInformation(image, from.protocol === 'SCCP'),
      ];
      if (from.protocol === 'SIP' || target.protocol === 'SIP') entries.push(imageVersion(image, true, from));
      return entries;
    }
    case 'gkdefault': {
      const known = GKDEFAULT_SCCP_IMAGES.find((g) => g.release === firmwareLabel(target));
      const cp = known?.image ?? 'CP7940080001SCCP<yymmdd>A.sbin';
      const date = known?.dateCode ?? '<yymmdd>a';
      return [
        {
          files: ['gkdefault.cfg'],
          setting: 'upgradecode',
          value: cp,
          required: true,
          how:
            `gkdefault.txt (from the SIP zip) gets upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x${date},${cp}` +
            (known ? '' : ' (the CP7940… .sbin shipped with the SCCP load; its date code is not known to phonedoc)') +
            ', then "cfgfmt -tsip_ptag.dat gkdefault.txt gkdefault.cfg" ' +
            '(cfgfmt and sip_ptag.dat come with the SIP zip)',
        },
      ];
    }
  }
}

/** Image files the gkdefault flow needs in addition to the SCCP zip, when their names are known. */
export function gkdefaultImageFiles(entries: readonly ProvisioningEntry[]): string[] {
  return entries.filter((e) => e.setting === 'upgradecode' && !e.value.includes('<')).map((e) => e.value);
}
