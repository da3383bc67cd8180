/**
 * Every provisioning file of a TFTP root, read once with the provisioning parsers, for the
 * checks to share. Paths are relative to the root and serve as the parsers' file names, so
 * evidence names them as the user sees them.
 */
import { classifyFileName, expectedFileName } from '../../parsers/provisioning/file-names.js';
import type { ClassifiedFileName } from '../../parsers/provisioning/file-names.js';
import { parseGkDefault } from '../../parsers/provisioning/gkdefault.js';
import type { GkDefault } from '../../parsers/provisioning/gkdefault.js';
import type { Os79xxTxt } from '../../parsers/provisioning/os79xx-txt.js';
import { parseProvisioningFile } from '../../parsers/provisioning/parse-file.js';
import { isKnownCnfKey } from '../../parsers/provisioning/sip-cnf-keys.js';
import type { SccpXmlConfig } from '../../parsers/provisioning/sccp-xml.js';
import type { SipCnf } from '../../parsers/provisioning/sip-cnf.js';
import type { TftpRoot } from './tftp-root.js';

export interface ParsedRoot {
  readonly root: TftpRoot;
  /** Every file's name, classified. */
  readonly names: ReadonlyMap<string, ClassifiedFileName>;
  /** OS79XX.TXT, exact name. */
  readonly os79xx?: Os79xxTxt;
  /**
   * SIPDefault.cnf and SIP<MAC>.cnf files, in any letter case and directory; `effective` holds
   * the keys phonedoc knows (an unknown key is one of the problems, and a file of 70,000 made-up
   * keys would otherwise be kept whole, per file of the root).
   */
  readonly sipCnfs: ReadonlyMap<string, SipCnf>;
  /** SEP<MAC>.cnf.xml and XMLDefault.cnf.xml files, in any letter case and directory. */
  readonly xmlConfigs: ReadonlyMap<string, SccpXmlConfig>;
  /** gkdefault.txt, or gkdefault.cfg when only it is there (and it is text). */
  readonly gkdefault?: GkDefault;
}

export function parseRoot(root: TftpRoot): ParsedRoot {
  const names = new Map<string, ClassifiedFileName>();
  const sipCnfs = new Map<string, SipCnf>();
  const xmlConfigs = new Map<string, SccpXmlConfig>();
  let os79xx: Os79xxTxt | undefined;
  let gkdefault: GkDefault | undefined;
  const pool = new Map<string, string>();
  for (const entry of root.entries) {
    if (entry.type !== 'file') continue;
    const name = classifyFileName(entry.path);
    names.set(entry.path, name);
    if (entry.unreadable || !parsedHere(name, entry.path)) continue;
    const file = parseProvisioningFile(name.kind, entry.path, () => root.read(entry.path));
    switch (file?.format) {
      case 'os79xx':
        os79xx = file.parsed;
        break;
      case 'sip-cnf':
        sipCnfs.set(entry.path, detached(withKnownKeys(file.parsed), pool));
        break;
      case 'sccp-xml':
        xmlConfigs.set(entry.path, detached(file.parsed, pool));
        break;
      case 'gkdefault':
        gkdefault = file.parsed;
        break;
      default:
        break;
    }
  }
  const cfg = root.entry(expectedFileName('gkdefault-cfg'));
  if (!gkdefault && cfg && !cfg.unreadable && isText(root.read(cfg.path)))
    gkdefault = parseGkDefault(root.read(cfg.path), cfg.path);
  return { root, names, ...(os79xx ? { os79xx } : {}), sipCnfs, xmlConfigs, ...(gkdefault ? { gkdefault } : {}) };
}

/**
 * OS79XX.TXT and gkdefault.txt count under their exact name at the top only (a phone reads no
 * other); gkdefault.cfg only when there is no gkdefault.txt (parseRoot's last step). Config
 * files count in any letter case and directory: the checks report the name.
 */
function parsedHere(name: ClassifiedFileName, path: string): boolean {
  switch (name.kind) {
    case 'os79xx':
      return !name.caseMismatch && name.directory === '';
    case 'gkdefault-txt':
      return path === expectedFileName('gkdefault-txt');
    case 'gkdefault-cfg':
      return false;
    default:
      return true;
  }
}

/**
 * A copy of a parsed file that holds no part of the file's text, its strings shared through
 * `pool`: the parsers' values are cut from the text, and V8 keeps a whole string alive for any
 * piece cut from it, so a site's root with a config file per phone would otherwise keep every
 * file's text in memory (and the same values, `SCCP`, an image name, once per file).
 */
function detached<T>(value: T, pool: Map<string, string>): T {
  if (typeof value === 'string') {
    let copy = pool.get(value);
    if (copy === undefined) {
      copy = Buffer.from(value, 'utf8').toString('utf8');
      pool.set(copy, copy);
    }
    return copy as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => detached(v, pool)) as T;
  if (value instanceof Map)
    return new Map([...value].map(([k, v]: [unknown, unknown]) => [detached(k, pool), detached(v, pool)])) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, detached(v, pool)])) as T;
}

function withKnownKeys(cnf: SipCnf): SipCnf {
  return { ...cnf, effective: new Map([...cnf.effective].filter(([key]) => isKnownCnfKey(key))) };
}

/** cfgfmt output is binary; a .cfg of printable text was written by hand. */
function isText(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f));
}
