/**
 * What every rule sees of one phone: its record (requests merged across sources, DHCP,
 * console), its boots with the image each ran, where it was sent, and the files it received
 * (rebuilt from the capture, or read from the TFTP root when the phone got them).
 */
import type { ConsoleErrorCode } from '../../../parsers/console/events.js';
import {
  imageVersionSource,
  loadInformationSource,
  os79xxSource,
  upgradecodeSource,
} from '../../flows/image-sources.js';
import type { ImageSource } from '../../flows/image-sources.js';
import { parseProvisioningFile } from '../../../parsers/provisioning/parse-file.js';
import type { ParsedProvisioningFile } from '../../../parsers/provisioning/parse-file.js';
import type { ProvisioningProblem } from '../../../parsers/provisioning/problem.js';
import type { Evidence, Finding, PhoneRef } from '../../findings/finding.js';
import { applicationFor, runningFromFileName, sameImage } from '../../flows/phone.js';
import type { RunningImage } from '../../flows/phone.js';
import type { ParsedRoot } from '../../lint/parsed-root.js';
import { rootPath } from '../../lint/tftp-root.js';
import type { BootRecord, RunningKnowledge } from '../boots.js';
import { imageOf, kindOf } from '../boots.js';
import type { AcrossPhones } from '../across-phones.js';
import type { InputDamage, Model, PhoneRecord, PhoneRequest } from '../model.js';
import { CONFIG_FILE_KINDS } from '../../../parsers/provisioning/file-names.js';

export interface ReceivedFile {
  readonly request: PhoneRequest;
  /** Where the content came from: the capture's rebuilt transfer, or the TFTP root's file of that name. */
  readonly evidence: Evidence;
  readonly problems: readonly ProvisioningProblem[];
  readonly source?: ImageSource;
  readonly bytes: Uint8Array;
}

export interface Target {
  readonly image: RunningImage;
  readonly evidence: Evidence;
  /** Taken from the Universal Application Loader's version: no file named the application yet. */
  readonly fromLoader?: boolean;
}

export interface ConsoleError {
  readonly code: ConsoleErrorCode;
  /** What the phone showed: the line without the time or prefix it was written with. */
  readonly text: string;
  readonly time?: number;
  readonly evidence: Evidence;
}

export interface PhoneContext {
  readonly phone: PhoneRecord;
  readonly ref: PhoneRef;
  readonly model: Model;
  readonly boots: readonly BootRecord[];
  /** What the phone ran when the evidence starts. */
  readonly start: RunningKnowledge | undefined;
  /** The application it was sent to, and the request or file line that says so. */
  readonly target?: Target;
  readonly received: readonly ReceivedFile[];
  readonly consoleErrors: readonly ConsoleError[];
  /** Damaged inputs that cut this phone's story (src/engine/damage.ts). */
  readonly damage: readonly InputDamage[];
  /** The SIPDefault.cnf size taken as a SIP 2.x phone's limit (--w210-limit). */
  readonly w210LimitBytes: number;
  /** What the phone's analysis must know of the other phones. */
  readonly across: AcrossPhones;
}

export interface RuleFinding {
  /** What the finding is about (ID plus file or image): the same fault seen twice is one finding. */
  readonly key: string;
  readonly finding: Finding;
}

export type Rule = (context: PhoneContext) => RuleFinding[];

export function evidenceOf(r: PhoneRequest, text?: string): Evidence[] {
  return text === undefined ? [...r.evidence] : withNote(r.evidence, text);
}

/** The evidence with `text` added to its first item's. */
export function withNote(evidence: readonly Evidence[], text: string): Evidence[] {
  const [first, ...rest] = evidence;
  return first ? [{ ...first, text: `${first.text}; ${text}` }, ...rest] : [];
}

/** The TFTP root's file a request stands for, when a root was given and holds it. */
export function rootFile(roots: readonly ParsedRoot[], name: string): { root: ParsedRoot; path: string } | undefined {
  const path = rootPath(name);
  if (path === undefined) return undefined;
  for (const root of roots) if (root.root.entry(path)?.type === 'file') return { root, path };
  return undefined;
}

/** A file of the root in other letter case than `name` (TFTP servers are case sensitive). */
export function caseVariant(
  roots: readonly ParsedRoot[],
  name: string,
): { root: ParsedRoot; path: string } | undefined {
  const path = rootPath(name);
  if (path === undefined) return undefined;
  for (const root of roots) {
    const variant = root.root.caseVariants(path).find((e) => e.type === 'file');
    if (variant) return { root, path: variant.path };
  }
  return undefined;
}

type ParsedReceived = Pick<ReceivedFile, 'problems' | 'source'>;

/**
 * The same bytes (a transfer's content, a root file) come back at every analysis: parsed once
 * per name and model, for the last few hundred contents (a site's thousands of config files
 * are not all held parsed while it is analysed a phone at a time).
 */
const parsedBytes = new Map<Uint8Array, Map<string, ParsedReceived>>();
const PARSED_KEPT = 512;

function parseReceived(request: PhoneRequest, bytes: Uint8Array, model: PhoneRecord['model']): ParsedReceived {
  const key = `${request.file}\0${model ?? ''}`;
  let byKey = parsedBytes.get(bytes);
  if (!byKey) {
    byKey = new Map();
    const oldest = parsedBytes.size >= PARSED_KEPT ? parsedBytes.keys().next() : undefined;
    if (oldest && !oldest.done) parsedBytes.delete(oldest.value);
    parsedBytes.set(bytes, byKey);
  }
  let parsed = byKey.get(key);
  if (!parsed) {
    parsed = parseBytes(request.file, bytes, model);
    byKey.set(key, parsed);
  }
  return parsed;
}

function parseBytes(name: string, bytes: Uint8Array, model: PhoneRecord['model']): ParsedReceived {
  const file = parseProvisioningFile(kindOf(name), name, () => bytes);
  if (!file) return { problems: [] };
  const source = imageSourceOf(file, model);
  return { problems: file.parsed.problems, ...(source ? { source } : {}) };
}

/** The image name a parsed file writes, read for the phone's model (loadInformation is per model). */
function imageSourceOf(file: ParsedProvisioningFile, model: PhoneRecord['model']): ImageSource | undefined {
  switch (file.format) {
    case 'os79xx':
      return os79xxSource(file.parsed);
    case 'sip-cnf':
      return imageVersionSource(file.parsed);
    case 'sccp-xml':
      return loadInformationSource(file.parsed, model);
    case 'gkdefault':
      return upgradecodeSource(file.parsed);
  }
}

/** The config files the phone got, parsed with the provisioning parsers. */
export function receivedFiles(phone: PhoneRecord, roots: readonly ParsedRoot[]): ReceivedFile[] {
  const out: ReceivedFile[] = [];
  for (const request of phone.requests) {
    if (request.answer !== 'found' || !CONFIG_FILE_KINDS.has(kindOf(request.file))) continue;
    const got = contentOf(request, roots);
    if (got) out.push({ request, ...got, ...parseReceived(request, got.bytes, phone.model) });
  }
  return out;
}

/** The bytes of a file the phone got: from the capture's rebuilt transfer, else the TFTP root's file of that name. */
function contentOf(
  request: PhoneRequest,
  roots: readonly ParsedRoot[],
): { bytes: Uint8Array; evidence: Evidence } | undefined {
  const [captured] = request.evidence;
  if (request.content && captured) return { bytes: request.content, evidence: captured };
  const found = rootFile(roots, request.file);
  if (!found) return undefined;
  const bytes = found.root.root.read(found.path);
  const text = `${found.path} in the TFTP root (${bytes.length} bytes), as the phone got it`;
  return { bytes, evidence: { source: 'tftp-root', file: found.path, text } };
}

/** The application the phone was sent to: the first image file it asked for that is not what it runs; else a config naming another image. */
export function targetOf(boots: readonly BootRecord[], received: readonly ReceivedFile[]): Target | undefined {
  for (const boot of boots) {
    for (const r of boot.requests) {
      const image = imageOf(r.file);
      const [evidence] = r.evidence;
      if (!image || !evidence) continue;
      const app = applicationFor(runningFromFileName(r.file));
      if (!app || (boot.running.image && sameImage(app, boot.running.image))) continue;
      return { image: app, evidence, ...(image.role === 'loader' ? { fromLoader: true } : {}) };
    }
  }
  for (const file of received) {
    const app = applicationFor(file.source?.leadsTo);
    const running = file.request && boots.find((b) => b.requests.includes(file.request))?.running.image;
    if (app && !(running && sameImage(app, running)))
      return {
        image: app,
        evidence: { ...file.evidence, ...(file.source ? { line: file.source.line, text: file.source.text } : {}) },
      };
  }
  return undefined;
}

export function bootOf(context: PhoneContext, request: PhoneRequest): BootRecord | undefined {
  return context.boots.find((b) => b.requests.includes(request));
}

/** The protocol a boot ran: known image, else what its requests show. */
export function protocolOf(boot: BootRecord | undefined): 'SIP' | 'SCCP' | 'loader' | undefined {
  return boot?.running.image?.protocol ?? boot?.running.protocol;
}
