/**
 * The images the root names: each must be there, with exact case, with every part of its
 * .loads (IMAGE_NOT_FOUND, LOADS_PART_MISSING, FILE_NAME_CASE); and OS79XX.TXT,
 * image_version and loadInformation must name the same image (IMAGE_SOURCES_DISAGREE).
 */
import { tftpFilesFor } from '../../parsers/firmware/bundles.js';
import type { TftpFileSet } from '../../parsers/firmware/bundles.js';
import { parseImageName } from '../../parsers/firmware/image-name.js';
import { expectedFileName, os79xxRequestedFileName } from '../../parsers/provisioning/file-names.js';
import type { Mac } from '../../parsers/provisioning/file-names.js';
import type { PhoneModel } from '../../parsers/provisioning/sccp-xml.js';
import { isNameFault, type NameFaultId } from '../findings/builders/config-problems.js';
import { fileNameCase } from '../findings/builders/file-findings.js';
import { imageNotFound, imageSourcesDisagree, loadsPartMissing } from '../findings/builders/image-findings.js';
import type { ZipFiles } from '../findings/builders/image-findings.js';
import type { Finding } from '../findings/finding.js';
import { imageRequest } from '../flows/image-requests.js';
import { os79xxSource } from '../flows/image-sources.js';
import type { ImageSource } from '../flows/image-sources.js';
import { applicationFor, imageLabel, runningRelease } from '../flows/phone.js';
import type { RunningImage } from '../flows/phone.js';
import { type FindingSet, rootEvidence } from './finding-set.js';
import { type ParsedRoot, sourceIn } from './parsed-root.js';
import { rootPath } from './tftp-root.js';

/**
 * `file:line` → the finding ID of an error in the image name written there (letter O,
 * extension, blanks…): a missing image named there is a consequence, not reported again.
 */
export function faultyNameLines(parsed: ParsedRoot): Map<string, NameFaultId> {
  const lines = new Map<string, NameFaultId>();
  const problems = [
    ...(parsed.os79xx?.problems ?? []),
    ...[...parsed.sipCnfs.values()].flatMap((c) => c.problems),
    ...[...parsed.xmlConfigs.values()].flatMap((x) => x.problems),
  ];
  for (const p of problems)
    if (isNameFault(p) && !lines.has(`${p.file}:${p.line}`)) lines.set(`${p.file}:${p.line}`, p.findingId);
  return lines;
}

/** Every image name of the root's config files and OS79XX.TXT, for either model. */
export function allImageSources(parsed: ParsedRoot): ImageSource[] {
  const sources: (ImageSource | undefined)[] = [parsed.os79xx ? os79xxSource(parsed.os79xx) : undefined];
  for (const [file, cnf] of parsed.sipCnfs) sources.push(sourceIn(file, cnf.source));
  for (const [file, xml] of parsed.xmlConfigs)
    sources.push(sourceIn(file, xml.sources['7940']), sourceIn(file, xml.sources['7960']));
  const seen = new Set<string>();
  return sources.filter((s): s is ImageSource => {
    if (!s || seen.has(`${s.file}:${s.line}`)) return false;
    seen.add(`${s.file}:${s.line}`);
    return true;
  });
}

function zipOf(source: ImageSource): TftpFileSet | undefined {
  const leads = source.leadsTo;
  if (!leads || source.image.family !== '7940/7960') return undefined;
  const release =
    leads.protocol === 'loader'
      ? { protocol: 'SIP' as const, version: leads.version }
      : { protocol: leads.protocol, version: leads.version };
  return tftpFilesFor(release, source.image.scheme === 'sccp-8.3' ? source.image.baseName : undefined);
}

/** The image each name leads to must be in the root: <line>.bin for OS79XX.TXT, <name>.loads or <name>.bin for the config files. */
export function checkNamedImages(parsed: ParsedRoot, set: FindingSet): void {
  const faulty = faultyNameLines(parsed);
  const { root } = parsed;
  for (const source of allImageSources(parsed)) {
    if (faulty.has(`${source.file}:${source.line}`)) continue;
    const zip = zipOf(source);
    const wanted =
      source.place === 'os79xx'
        ? [os79xxRequestedFileName(source.written)]
        : [imageRequest(source.written, true), imageRequest(source.written, false)];
    const evidenceLine = rootEvidence(source.file, source.text, source.line);
    if (!wanted.some((w) => root.entry(w))) {
      const variant = wanted.map((w) => ({ w, v: root.caseVariants(w)[0] })).find((x) => x.v);
      if (variant?.v) {
        set.add(
          `FILE_NAME_CASE|${variant.w}`,
          fileNameCase({
            evidence: [
              evidenceLine,
              rootEvidence(variant.v.path, `present as ${variant.v.path}; the phone asks for ${variant.w}`),
            ],
            present: variant.v.path,
            wanted: variant.w,
          }),
        );
        continue;
      }
      set.add(
        `IMAGE_NOT_FOUND|${source.image.baseName}`,
        missingImage(
          parsed,
          source,
          wanted,
          `${wanted.join(' and ')} ${wanted.length > 1 ? 'are' : 'is'} not in the TFTP root`,
        ),
      );
      continue;
    }
    // OS79XX.TXT naming a zip's loader: the seed calls the .sbn the loader of phones on 5.x and later.
    if (source.place === 'os79xx' && source.leadsTo?.protocol === 'loader' && zip) {
      for (const file of zip.files.filter((f) => f.role === 'loader' && !root.entry(f.name))) {
        set.add(
          `IMAGE_NOT_FOUND|${file.name}`,
          imageNotFound({
            evidence: [
              evidenceLine,
              rootEvidence(file.name, `${file.name} (the zip's other loader file) is not in the TFTP root`),
            ],
            zip: zipFiles(zip, runningRelease({ protocol: 'SIP', version: source.leadsTo.version })),
            assumed: ['OS79XX_NAME_FETCHED_AS_BIN'],
          }),
        );
      }
    }
  }
}

/** IMAGE_NOT_FOUND for the files `wanted` that `source` makes a phone ask for, with the name or zip that fixes it. */
export function missingImage(
  parsed: ParsedRoot,
  source: ImageSource,
  wanted: readonly string[],
  seen: string,
  facts: Partial<Pick<Parameters<typeof imageNotFound>[0], 'phone' | 'assumed' | 'causedBy'>> = {},
): Finding {
  const { root } = parsed;
  const zip = zipOf(source);
  const alternatives = source.image.suggestion ? [source.image.suggestion] : [];
  if (zip && source.place === 'os79xx' && zip.loader) alternatives.push(zip.loader);
  const present = alternatives.find((a) => root.entries.some((e) => e.path.startsWith(`${a}.`)));
  const [os79xxWanted] = wanted;
  const whyNot =
    source.place === 'os79xx' && os79xxWanted !== undefined
      ? parseImageName(os79xxWanted).problems.find((p) => p.code === 'extension-not-in-release')?.message
      : undefined;
  return imageNotFound({
    ...facts,
    evidence: [rootEvidence(source.file, `${source.text}: ${seen}`, source.line)],
    ...(present ? { present: { file: source.file, line: source.line, name: present } } : {}),
    ...(zip ? { zip: zipFiles(zip, runningRelease(zip)) } : {}),
    ...(whyNot ? { whyNot } : {}),
  });
}

/** A zip's files as a fix names them, under the label of `release`. */
function zipFiles(zip: TftpFileSet, release: RunningImage): ZipFiles {
  return { label: imageLabel(release), files: zip.files.map((f) => f.name) };
}

/** A .loads names its loader and .sb2 (taken from the release's zip: the .loads format is not known). */
export function checkLoadsParts(parsed: ParsedRoot, set: FindingSet): void {
  const { root } = parsed;
  for (const [path, name] of parsed.names) {
    const image = name.image;
    if (name.directory !== '' || !image || image.extension !== '.loads' || name.caseMismatch || !image.version)
      continue;
    if (image.protocol !== 'SIP' && image.protocol !== 'SCCP') continue;
    const zip = tftpFilesFor(
      { protocol: image.protocol, version: image.version },
      image.scheme === 'sccp-8.3' ? image.baseName : undefined,
    );
    // A phone fetches one loader, the .bin or the .sbn, by the signing of the image it runs
    // (LOADER_FILE_BY_SIGNING): the flow checks name the one a given phone needs; here, with
    // no phone in view, the root needs the .sb2 and at least one of them.
    const loaders = zip.files.filter((f) => f.role === 'loader');
    const anyLoader = loaders.some((f) => root.entry(f.name));
    const parts = zip.files.filter((f) => f.name.endsWith('.sb2') || (f.role === 'loader' && !anyLoader));
    const missing = parts.filter((f) => !root.entry(f.name));
    for (const part of missing) {
      const variant = root.caseVariants(part.name)[0];
      if (variant) {
        set.add(
          `FILE_NAME_CASE|${part.name}`,
          fileNameCase({
            evidence: [rootEvidence(variant.path, `present as ${variant.path}; ${path} needs ${part.name}`)],
            present: variant.path,
            wanted: part.name,
          }),
        );
      } else {
        set.add(
          `LOADS_PART_MISSING|${path}`,
          loadsPartMissing({
            evidence: [
              rootEvidence(
                path,
                `${path} is here; ${part.name} (the ${part.role === 'loader' ? 'loader' : 'application'}) is not`,
              ),
            ],
            zip: { ...zipFiles(zip, runningRelease(zip)), beside: path, ...(zip.inferred ? { inferred: true } : {}) },
          }),
        );
      }
    }
  }
}

/** The files one phone reads that name an image (shared ones when the MAC is not known). */
export interface SourceView {
  readonly mac?: Mac;
  readonly model?: PhoneModel;
  /** `tftp_cfg_dir` from SIPDefault.cnf: where SIP<MAC>.cnf is read. */
  readonly cfgDir?: string;
}

/** The application a source sends the phone to. */
export function applicationOfSource(source: ImageSource): RunningImage | undefined {
  return applicationFor(source.leadsTo);
}

/** The application a source leads to, by its label and image name (none when it follows no scheme). */
function applicationsOf(source: ImageSource): [ImageSource, { label: string; image: string }][] {
  const app = applicationOfSource(source);
  return app ? [[source, { label: imageLabel(app), image: app.image }]] : [];
}

export function sourcesFor(parsed: ParsedRoot, view: SourceView, model: PhoneModel): ImageSource[] {
  const sources: (ImageSource | undefined)[] = [];
  const xml = (file: string) => {
    return sourceIn(file, parsed.xmlConfigs.get(file)?.sources[model]);
  };
  const cnf = (file: string | undefined) => {
    return file === undefined ? undefined : sourceIn(file, parsed.sipCnfs.get(file)?.source);
  };
  if (view.mac) sources.push(xml(expectedFileName('sep-xml', view.mac)));
  sources.push(xml(expectedFileName('xml-default')));
  if (view.mac) sources.push(cnf(rootPath(expectedFileName('sip-phone', view.mac, view.cfgDir))));
  sources.push(cnf(expectedFileName('sip-default')));
  if (parsed.os79xx) sources.push(os79xxSource(parsed.os79xx));
  return sources.filter((s): s is ImageSource => s !== undefined && applicationOfSource(s) !== undefined);
}

/**
 * OS79XX.TXT, image_version and loadInformation must agree, per model. Shared files are
 * checked once for the root; a phone's own files (SEP<MAC>.cnf.xml, SIP<MAC>.cnf) for that phone.
 * `intended` is the image the user aims at (--target), to name in the fix.
 */
export function checkSourcesAgree(
  parsed: ParsedRoot,
  views: readonly SourceView[],
  set: FindingSet,
  intended?: string,
): void {
  const check = (view: SourceView, key: string, perPhoneOnly: boolean): void => {
    for (const model of view.model ? [view.model] : (['7940', '7960'] as const)) {
      const sources = sourcesFor(parsed, view, model);
      const apps = new Map(sources.flatMap((s) => applicationsOf(s)));
      const label = (s: ImageSource): string => apps.get(s)?.label ?? '';
      const labels = new Set(sources.map(label));
      if (labels.size < 2) continue;
      const ownFiles = new Set(
        view.mac
          ? [expectedFileName('sep-xml', view.mac), rootPath(expectedFileName('sip-phone', view.mac, view.cfgDir))]
          : [],
      );
      const shared = new Set(sources.filter((s) => !ownFiles.has(s.file)).map(label));
      // A phone's own files matter when they add an image the shared files do not name; the root finding covers the rest.
      if (perPhoneOnly && sources.filter((s) => ownFiles.has(s.file)).every((s) => shared.has(label(s)))) continue;
      const configWinner = sources.find((s) => s.place !== 'os79xx');
      // Two images named: at least one by a config file (OS79XX.TXT is one file).
      const target = intended ?? (configWinner && apps.get(configWinner)?.image);
      if (target === undefined) continue;
      const targetSource = sources.find((s) => apps.get(s)?.image === target);
      const loader = targetSource ? zipOf(targetSource)?.loader : undefined;
      set.add(
        key,
        imageSourcesDisagree({
          ...(view.mac ? { phone: { mac: view.mac.canonical } } : {}),
          evidence: sources.map((s) => rootEvidence(s.file, `${s.text} → ${label(s)}`, s.line)),
          agree: {
            files: [...new Set(sources.map((s) => s.file))],
            target,
            ...(parsed.os79xx && loader ? { os79xxLoader: loader } : {}),
          },
        }),
      );
    }
  };
  check({}, 'IMAGE_SOURCES_DISAGREE|root', false);
  for (const view of views) if (view.mac) check(view, `IMAGE_SOURCES_DISAGREE|${view.mac.canonical}`, true);
}
