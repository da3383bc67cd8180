/**
 * The names of the files a 7940/7960 requests over TFTP: the one place these rules live.
 * The engine, the lint and the simulated phone build and recognise names only through
 * this module; image names come from ../firmware/image-name.ts.
 *
 * Letter case matters: TFTP servers on UNIX are case sensitive, and the phone asks for the
 * MAC in upper case with `.cnf` in lower case (seed tech note; facts 2.1, 5.1, 5.3). Names
 * are recognised in any case, and a name in other case is reported with its right spelling.
 */
import type { ImageName } from '../firmware/image-name.js';
import { classifyImageFileName } from './image-reference.js';
import { nameProblem, type NameProblem } from './problem.js';

export interface Mac {
  /** `aa:bb:cc:dd:ee:ff`, lower case (the form findings use). */
  readonly canonical: string;
  /** 12 upper-case hex digits, as in file names: `000E84C060A6`. */
  readonly file: string;
}

/** Reads `000E84C060A6`, `00:0e:84:c0:60:a6`, `00-0E-84-C0-60-A6` or `000e.84c0.60a6`. */
export function parseMac(text: string): Mac | undefined {
  const t = text.trim();
  if (
    !/^[0-9A-Fa-f]{12}$|^[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(
      t,
    )
  ) {
    return undefined;
  }
  const hex = t.replace(/[:.-]/g, '');
  return {
    canonical: hex.toLowerCase().replace(/(..)(?!$)/g, '$1:'),
    file: hex.toUpperCase(),
  };
}

/** Files named after the phone's MAC: prefix + 12 upper-case hex digits + suffix. */
const PER_PHONE_NAMES = {
  /** SIP images: per-phone config, after SIPDefault.cnf, with `tftp_cfg_dir` in front (facts 2.1, 5.1). */
  'sip-phone': ['SIP', '.cnf'],
  /** CallManager-style per-phone XML (facts 2.1, 5.3). */
  'sep-xml': ['SEP', '.cnf.xml'],
  /** Certificate trust list, requested first; "File not found" is normal on a non-secure system (facts 2.1). */
  'ctl-phone': ['CTLSEP', '.tlv'],
  'itl-phone': ['ITLSEP', '.tlv'],
} as const;

/** Files with one fixed name. */
const FIXED_NAMES = {
  os79xx: 'OS79XX.TXT',
  'sip-default': 'SIPDefault.cnf',
  'xml-default': 'XMLDefault.cnf.xml',
  'sep-default': 'SEPDefault.cnf',
  'ctl-file': 'CTLFile.tlv',
  'itl-file': 'ITLFile.tlv',
  ringlist: 'RINGLIST.DAT',
  /** With the default `dial_template: "dialplan"`; see `dialPlanFileName`. */
  dialplan: 'dialplan.xml',
  /** Seed tech note, "SIP 5.x, 6.x to SCCP": edited as text, compiled with cfgfmt to the .cfg the phone loads. */
  'gkdefault-txt': 'gkdefault.txt',
  'gkdefault-cfg': 'gkdefault.cfg',
} as const;

export type PerPhoneFileKind = keyof typeof PER_PHONE_NAMES;
export type FixedFileKind = keyof typeof FIXED_NAMES;
export type ProvisioningFileKind = PerPhoneFileKind | FixedFileKind | 'ring' | 'image' | 'other';

export const SECURITY_FILE_KINDS: ReadonlySet<ProvisioningFileKind> = new Set([
  'ctl-phone',
  'itl-phone',
  'ctl-file',
  'itl-file',
]);

/** The config files a phone reads to decide which image to run and how it is provisioned. */
export const CONFIG_FILE_KINDS: ReadonlySet<ProvisioningFileKind> = new Set([
  'os79xx',
  'sip-default',
  'sip-phone',
  'sep-xml',
  'xml-default',
  'gkdefault-cfg',
  'gkdefault-txt',
]);

/** Every small text file a phone reads at boot: the config files, the ring list and the dial plan. */
export const BOOT_TEXT_FILE_KINDS: ReadonlySet<ProvisioningFileKind> = new Set([
  ...CONFIG_FILE_KINDS,
  'ringlist',
  'dialplan',
]);

/** Ring file extensions seen: `.raw` (LKML-TEO RINGLIST.DAT), `.pcm` (the seed's `ringer1.pcm`). */
export const RING_FILE_EXTENSIONS: readonly string[] = ['.raw', '.pcm'];

export interface ClassifiedFileName {
  /** The name as given. */
  readonly name: string;
  readonly kind: ProvisioningFileKind;
  /** Everything up to and including the last `/` (`./`, `phones/`), '' when none. */
  readonly directory: string;
  readonly baseName: string;
  /** For per-phone files. */
  readonly mac?: Mac;
  /**
   * The spelling the phone uses, in the same directory; for an image, the spelling of the
   * release's real file (image-name.ts's suggestion). Absent for ring files and unknown names.
   */
  readonly canonicalName?: string;
  /** The name differs from `canonicalName` in letter case only. */
  readonly caseMismatch: boolean;
  /** For firmware images (including other phone families' images, see `image.family`). */
  readonly image?: ImageName;
  /** FILE_NAME_CASE, and image-name problems (letter O…). */
  readonly problems: readonly NameProblem[];
}

const regexEscaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const RULES: ReadonlyArray<{
  kind: PerPhoneFileKind | FixedFileKind;
  pattern: RegExp;
  spell: (mac: Mac | undefined) => string;
}> = [
  ...(Object.entries(FIXED_NAMES) as Array<[FixedFileKind, string]>).map(([kind, name]) => ({
    kind,
    pattern: new RegExp(`^${regexEscaped(name)}$`, 'i'),
    spell: () => name,
  })),
  ...(Object.entries(PER_PHONE_NAMES) as Array<[PerPhoneFileKind, readonly [string, string]]>).map(
    ([kind, [prefix, suffix]]) => ({
      kind,
      pattern: new RegExp(`^${regexEscaped(prefix)}([0-9A-F]{12})${regexEscaped(suffix)}$`, 'i'),
      spell: (mac: Mac | undefined) => `${prefix}${mac?.file ?? ''}${suffix}`,
    }),
  ),
];

/** Every boot asks for the same names: the answers for the last few thousand names asked are kept. */
const classified = new Map<string, ClassifiedFileName>();
const CLASSIFIED_KEPT = 4096;

export function classifyFileName(name: string): ClassifiedFileName {
  const known = classified.get(name);
  if (known) return known;
  const result = classify(name);
  if (classified.size >= CLASSIFIED_KEPT) classified.delete(classified.keys().next().value!);
  classified.set(name, result);
  return result;
}

function classify(name: string): ClassifiedFileName {
  const slash = name.lastIndexOf('/');
  const directory = name.slice(0, slash + 1);
  const baseName = name.slice(slash + 1);
  const base = { name, directory, baseName };

  for (const rule of RULES) {
    const m = rule.pattern.exec(baseName);
    if (!m) continue;
    const mac = m[1] === undefined ? undefined : parseMac(m[1]);
    const spelled = rule.spell(mac);
    const caseMismatch = spelled !== baseName;
    return {
      ...base,
      kind: rule.kind,
      ...(mac ? { mac } : {}),
      canonicalName: directory + spelled,
      caseMismatch,
      problems: caseMismatch ? [caseProblem(baseName, spelled)] : [],
    };
  }

  const lower = baseName.toLowerCase();
  if (RING_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length)) {
    return { ...base, kind: 'ring', caseMismatch: false, problems: [] };
  }

  const classified = classifyImageFileName(baseName);
  if (classified) {
    const { image } = classified;
    const spelled = image.suggestion ?? baseName;
    return {
      ...base,
      kind: 'image',
      image,
      canonicalName: directory + spelled,
      caseMismatch: spelled !== baseName && spelled.toLowerCase() === lower,
      problems: classified.problems,
    };
  }
  return { ...base, kind: 'other', caseMismatch: false, problems: [] };
}

function caseProblem(given: string, spelled: string): NameProblem {
  return nameProblem(
    'FILE_NAME_CASE',
    `"${given}" differs from "${spelled}" only in letter case; TFTP servers are case sensitive, and the phone asks for "${spelled}"`,
  );
}

/** The name the phone requests. `cfgDir` is `tftp_cfg_dir`, put in front literally (LKML-TEO: `./` gives `./SIP<MAC>.cnf`). */
export function expectedFileName(kind: 'sip-phone', mac: string | Mac, cfgDir?: string): string;
export function expectedFileName(kind: PerPhoneFileKind, mac: string | Mac): string;
export function expectedFileName(kind: FixedFileKind): string;
export function expectedFileName(kind: PerPhoneFileKind | FixedFileKind, mac?: string | Mac, cfgDir?: string): string {
  if (!(kind in PER_PHONE_NAMES)) return FIXED_NAMES[kind as FixedFileKind];
  const parsed = typeof mac === 'string' ? parseMac(mac) : mac;
  if (!parsed) throw new RangeError(`expectedFileName(${kind}): "${String(mac)}" is not a MAC address`);
  const [prefix, suffix] = PER_PHONE_NAMES[kind as PerPhoneFileKind];
  return `${kind === 'sip-phone' ? (cfgDir ?? '') : ''}${prefix}${parsed.file}${suffix}`;
}

/** The dial plan file for a `dial_template` value: the value plus `.xml` (facts 5.1: `dialplan` → `dialplan.xml`). */
export function dialPlanFileName(dialTemplate: string): string {
  return `${dialTemplate}.xml`;
}

/**
 * The file a phone following OS79XX.TXT requests: the name plus `.bin` (seed tech note).
 * `firstLine` is the line as written: blanks and a CR stay in the request (CSCdv19260).
 */
export function os79xxRequestedFileName(firstLine: string): string {
  return `${firstLine}.bin`;
}
