/**
 * Every provisioning file of a TFTP root, read once with the provisioning parsers, for the
 * checks to share. Paths are relative to the root and serve as the parsers' file names, so
 * evidence names them as the user sees them. A config file is kept as what the checks need of
 * it (its problems and the image it names), not as its parsed document: a large site's root
 * holds a SEP<MAC>.cnf.xml per phone, and the documents of 100,000 of them filled 600 MB.
 */
import { classifyFileName, expectedFileName } from '../../parsers/provisioning/file-names.js';
import type { ClassifiedFileName } from '../../parsers/provisioning/file-names.js';
import { parseGkDefault } from '../../parsers/provisioning/gkdefault.js';
import type { GkDefault } from '../../parsers/provisioning/gkdefault.js';
import type { Os79xxTxt } from '../../parsers/provisioning/os79xx-txt.js';
import { parseProvisioningFile } from '../../parsers/provisioning/parse-file.js';
import type { NameProblem, ProvisioningProblem } from '../../parsers/provisioning/problem.js';
import type { PhoneModel, SccpXmlConfig } from '../../parsers/provisioning/sccp-xml.js';
import type { SipCnf } from '../../parsers/provisioning/sip-cnf.js';
import { imageVersionSource, loadInformationSources } from '../flows/image-sources.js';
import type { ImageSource } from '../flows/image-sources.js';
import type { TftpRoot } from './tftp-root.js';

/** An image name as written in a config file, for the fix of a fault in it. */
export interface WrittenImageName {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly suggestion?: string;
}

/**
 * An image source without the file it is in: every file that writes the same line shares one
 * (a site's SEP<MAC>.cnf.xml files mostly name one load). `sourceIn` puts the file back.
 */
export type SourceLine = Omit<ImageSource, 'file'>;

/** What the checks need of a SIP or XML config file (the map it is in gives its path). */
interface ConfigFacts {
  readonly problems: readonly ProvisioningProblem[];
  /** The image names written in it, valid or not, when it has problems (the fixes of its problems name them). */
  readonly written: readonly WrittenImageName[];
}

export interface SipCnfFacts extends ConfigFacts {
  /** `image_version`, when it names an image. */
  readonly source?: SourceLine;
  /** `tftp_cfg_dir`, when set. */
  readonly tftpCfgDir?: string;
}

export interface XmlConfigFacts extends ConfigFacts {
  /** The load each model takes from the file. */
  readonly sources: Readonly<Partial<Record<PhoneModel, SourceLine>>>;
}

/** The image source `line` stands for in `file`. */
export function sourceIn(file: string, line: SourceLine | undefined): ImageSource | undefined {
  if (!line) return undefined;
  const { place, line: at, text, written, image, leadsTo } = line;
  return { place, file, line: at, text, written, image, ...(leadsTo ? { leadsTo } : {}) };
}

export interface ParsedRoot {
  readonly root: TftpRoot;
  /** Every file's name, classified. */
  readonly names: ReadonlyMap<string, ClassifiedFileName>;
  /** OS79XX.TXT, exact name. */
  readonly os79xx?: Os79xxTxt;
  /** SIPDefault.cnf and SIP<MAC>.cnf files, in any letter case and directory. */
  readonly sipCnfs: ReadonlyMap<string, SipCnfFacts>;
  /** SEP<MAC>.cnf.xml and XMLDefault.cnf.xml files, in any letter case and directory. */
  readonly xmlConfigs: ReadonlyMap<string, XmlConfigFacts>;
  /** gkdefault.txt, or gkdefault.cfg when only it is there (and it is text). */
  readonly gkdefault?: GkDefault;
}

export function parseRoot(root: TftpRoot): ParsedRoot {
  const names = new Map<string, ClassifiedFileName>();
  const sipCnfs = new Map<string, SipCnfFacts>();
  const xmlConfigs = new Map<string, XmlConfigFacts>();
  let os79xx: Os79xxTxt | undefined;
  let gkdefault: GkDefault | undefined;
  const pool = new SharedValues();
  for (const entry of root.entries) {
    if (entry.type !== 'file') continue;
    pool.own(entry.path);
    const name = pool.name(classifyFileName(entry.path));
    names.set(entry.path, name);
    if (entry.unreadable || !parsedHere(name, entry.path)) continue;
    const file = parseProvisioningFile(name.kind, entry.path, () => root.read(entry.path));
    switch (file?.format) {
      case 'os79xx':
        os79xx = file.parsed;
        break;
      case 'sip-cnf':
        sipCnfs.set(entry.path, sipCnfFacts(file.parsed, pool));
        break;
      case 'sccp-xml':
        xmlConfigs.set(entry.path, xmlConfigFacts(file.parsed, pool));
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

function sipCnfFacts(cnf: SipCnf, pool: SharedValues): SipCnfFacts {
  const source = pool.sourceLine(imageVersionSource(cnf));
  const ref = cnf.imageVersion;
  return pool.detached({
    problems: pool.problems(cnf.problems),
    written: ref && cnf.problems.length ? [writtenName(cnf.file, ref.line, ref)] : [],
    ...(source ? { source } : {}),
    ...(cnf.tftpCfgDir ? { tftpCfgDir: cnf.tftpCfgDir.value } : {}),
  });
}

function xmlConfigFacts(xml: SccpXmlConfig, pool: SharedValues): XmlConfigFacts {
  const byModel = loadInformationSources(xml);
  const for7940 = pool.sourceLine(byModel.get('7940'));
  const for7960 = pool.sourceLine(byModel.get('7960'));
  const sources = pool.loads(for7940, for7960);
  if (xml.problems.length === 0) return pool.factsWithoutProblems(sources);
  return pool.detached({
    problems: xml.problems,
    written: xml.loadInformation.flatMap((load) =>
      load.image ? [writtenName(load.image.file, load.image.line, load.image)] : [],
    ),
    sources,
  });
}

function writtenName(
  file: string,
  line: number,
  ref: { name: string; image: { suggestion?: string } },
): WrittenImageName {
  return { file, line, name: ref.name, ...(ref.image.suggestion ? { suggestion: ref.image.suggestion } : {}) };
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

const NO_PROBLEMS: readonly ProvisioningProblem[] = Object.freeze([]);
const NO_NAME_PROBLEMS: readonly NameProblem[] = Object.freeze([]);

/**
 * Values shared across the files of a root. A site's root holds a config file per phone: each
 * file's facts are kept free of its text (the parsers' values are cut from the text, and V8
 * keeps a whole string alive for any piece cut from it), and what many files have in common
 * (`SCCP`, an image name and what it leads to, an empty problem list) is held once.
 */
class SharedValues {
  private readonly strings = new Map<string, string>();
  private readonly objects = new Map<string, object>();
  private readonly shared = new WeakSet<object>([NO_PROBLEMS, NO_NAME_PROBLEMS]);
  private readonly keys = new WeakMap<object, string>();

  string(value: string): string {
    let copy = this.strings.get(value);
    if (copy === undefined) {
      copy = Buffer.from(value, 'utf8').toString('utf8');
      this.strings.set(copy, copy);
    }
    return copy;
  }

  /** A string that holds no other: the one copy of its value from now on. */
  own(value: string): void {
    if (!this.strings.has(value)) this.strings.set(value, value);
  }

  problems(list: readonly ProvisioningProblem[]): readonly ProvisioningProblem[] {
    return list.length === 0 ? NO_PROBLEMS : list;
  }

  /** The name's parts that repeat the path are the path's own string. */
  name(name: ClassifiedFileName): ClassifiedFileName {
    const own = (value: string): string => (value === name.name ? name.name : this.string(value));
    return {
      ...name,
      baseName: own(name.baseName),
      ...(name.canonicalName !== undefined ? { canonicalName: own(name.canonicalName) } : {}),
      problems: name.problems.length === 0 ? NO_NAME_PROBLEMS : name.problems,
    };
  }

  /** The source without its file, one object for every file writing the same line. */
  sourceLine(source: ImageSource | undefined): SourceLine | undefined {
    if (!source) return undefined;
    const { file: _, ...line } = source;
    return this.object(`${source.place}\0${source.line}\0${source.text}\0${source.written}`, line);
  }

  /** The loads of both models, one object for every file naming the same. */
  loads(for7940: SourceLine | undefined, for7960: SourceLine | undefined): XmlConfigFacts['sources'] {
    const sources: Partial<Record<PhoneModel, SourceLine>> = {};
    if (for7940) sources['7940'] = for7940;
    if (for7960) sources['7960'] = for7960;
    return this.object(`loads\0${this.keyOf(for7940)}\0${this.keyOf(for7960)}`, sources);
  }

  /** The facts of a file with no problem: only its loads, one object for every such file naming the same. */
  factsWithoutProblems(sources: XmlConfigFacts['sources']): XmlConfigFacts {
    return this.object(`facts\0${this.keyOf(sources)}`, { problems: NO_PROBLEMS, written: [], sources });
  }

  /** The one copy of `value` under `key` (the first given, detached from its file's text). */
  private object<T extends object>(key: string, value: T): T {
    const known = this.objects.get(key) as T | undefined;
    if (known) return known;
    const copy = this.detached(value);
    this.objects.set(key, copy);
    this.shared.add(copy);
    this.keys.set(copy, key);
    return copy;
  }

  private keyOf(value: object | undefined): string {
    return value === undefined ? '' : (this.keys.get(value) ?? '?');
  }

  /** A copy holding no part of the file's text; objects already shared are kept as they are. */
  detached<T>(value: T): T {
    if (typeof value === 'string') return this.string(value) as T;
    if (typeof value !== 'object' || value === null || this.shared.has(value)) return value;
    if (Array.isArray(value)) return value.map((v: unknown) => this.detached(v)) as T;
    if (value instanceof Map)
      return new Map([...value].map(([k, v]: [unknown, unknown]) => [this.detached(k), this.detached(v)])) as T;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.detached(v)])) as T;
  }
}

/** cfgfmt output is binary; a .cfg of printable text was written by hand. */
function isText(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f));
}
