/**
 * Checks of the files as they lie in the TFTP root, whatever phone reads them: names in the
 * wrong letter case or with the letter O, permissions, and the problems the provisioning
 * parsers find inside OS79XX.TXT, the SIP and XML configs and gkdefault.txt.
 */
import { expectedFileName } from '../../parsers/provisioning/file-names.js';
import type { ProvisioningFindingId, ProvisioningProblem } from '../../parsers/provisioning/problem.js';
import type { WrittenName } from '../findings/builders/config-problems.js';
import { configProblem, firstPerLine, fixFor, malformedFix } from '../findings/builders/config-problems.js';
import { fileNameCase, tftpAccessDenied } from '../findings/builders/file-findings.js';
import { gkdefaultUpgradecode, imageNameLetterO } from '../findings/builders/image-findings.js';
import type { Evidence } from '../findings/finding.js';
import { type FindingSet, rootEvidence } from './finding-set.js';
import type { ParsedRoot, WrittenImageName } from './parsed-root.js';
import { WORLD_READABLE, WORLD_SEARCHABLE } from './tftp-root.js';

/** Names a phone requests (per-phone, fixed and image names) spelled in another letter case, or with the letter O. */
export function checkFileNames(parsed: ParsedRoot, set: FindingSet): void {
  for (const [path, name] of parsed.names) {
    if (name.kind === 'ring' || name.kind === 'other') continue;
    const phone = name.mac ? { mac: name.mac.canonical } : undefined;
    const canonical = name.canonicalName;
    if (name.caseMismatch && canonical && !parsed.root.entry(canonical)) {
      const message =
        name.problems.find((p) => p.findingId === 'FILE_NAME_CASE')?.message ??
        `"${path}" should be spelled "${canonical}"`;
      set.add(
        `FILE_NAME_CASE|${canonical}`,
        fileNameCase({
          ...(phone ? { phone } : {}),
          evidence: [rootEvidence(path, message)],
          present: path,
          wanted: canonical,
        }),
      );
    }
    const letterO = name.problems.find((p) => p.findingId === 'IMAGE_NAME_LETTER_O');
    if (letterO && canonical) {
      set.add(
        `IMAGE_NAME_LETTER_O|${path}`,
        imageNameLetterO({
          evidence: [rootEvidence(path, letterO.message)],
          rename: { from: path, to: canonical },
        }),
      );
    }
  }
}

/** Files others cannot read, directories others cannot enter: the TFTP server's user gets "Access violation". */
export function checkPermissions(parsed: ParsedRoot, set: FindingSet): void {
  const { root } = parsed;
  const evidence: Evidence[] = [];
  const files: string[] = [];
  const directories: string[] = [];
  const octal = (mode: number): string => mode.toString(8).padStart(4, '0');
  if ((root.rootMode & WORLD_SEARCHABLE) === 0) {
    directories.push('.');
    evidence.push(
      rootEvidence(
        '.',
        `the root directory has mode ${octal(root.rootMode)}: others cannot enter it, so no file can be served`,
      ),
    );
  }
  for (const entry of root.entries) {
    if (entry.type === 'file' && (entry.mode & WORLD_READABLE) === 0) {
      files.push(entry.path);
      evidence.push(
        rootEvidence(
          entry.path,
          `mode ${octal(entry.mode)}: others cannot read it; a phone asking for it gets "Access violation"`,
        ),
      );
    } else if (entry.type === 'directory' && (entry.mode & WORLD_SEARCHABLE) === 0) {
      directories.push(entry.path);
      evidence.push(
        rootEvidence(
          entry.path,
          `directory mode ${octal(entry.mode)}: others cannot enter it, so nothing under it can be served`,
        ),
      );
    }
  }
  if (evidence.length === 0) return;
  set.add('TFTP_ACCESS_DENIED', tftpAccessDenied({ evidence, modes: { dir: root.dir, files, directories } }));
}

/** The parsers' problems that carry a finding ID (OS79XX_SYNTAX, IMAGE_NAME_LETTER_O, IMAGE_VERSION_SYNTAX, FILE_NAME_CASE, GKDEFAULT_UPGRADECODE). */
export function checkProvisioningProblems(parsed: ParsedRoot, set: FindingSet): void {
  const names = new Map<string, WrittenName>();
  const remember = (written: WrittenImageName): void => {
    names.set(`${written.file}:${written.line}`, {
      name: written.name,
      ...(written.suggestion ? { suggestion: written.suggestion } : {}),
    });
  };
  const problems: ProvisioningProblem[] = [];
  if (parsed.os79xx) {
    for (const p of parsed.os79xx.problems) problems.push(p);
    const ref = parsed.os79xx.image;
    if (ref) remember({ file: parsed.os79xx.file, line: ref.line, name: ref.name, ...suggestionOf(ref) });
  }
  for (const config of [...parsed.sipCnfs.values(), ...parsed.xmlConfigs.values()]) {
    for (const p of config.problems) problems.push(p);
    config.written.forEach(remember);
  }
  if (parsed.gkdefault) for (const p of parsed.gkdefault.problems) problems.push(p);

  const groups = new Map<
    string,
    { id: ProvisioningFindingId; first: ProvisioningProblem; group: ProvisioningProblem[] }
  >();
  for (const p of firstPerLine(problems)) {
    const id = p.findingId;
    if (!id || p.severity === 'info') continue;
    // A name in the wrong case inside a file is about that line; other IDs about the file.
    const key =
      id === 'FILE_NAME_CASE' || id === 'IMAGE_NAME_LETTER_O' ? `${id}|${p.file}:${p.line}` : `${id}|${p.file}`;
    const known = groups.get(key);
    if (known) known.group.push(p);
    else groups.set(key, { id, first: p, group: [p] });
  }
  for (const [key, { id, first, group }] of groups) {
    const written = names.get(`${first.file}:${first.line}`);
    const sharpened = id === 'CONFIG_MALFORMED' ? malformedFix(group) : fixFor(id, first.file, first.line, written);
    set.add(
      key,
      configProblem(id, {
        evidence: group.map((p) =>
          rootEvidence(p.file, p.column > 1 ? `column ${p.column}: ${p.message}` : p.message, p.line),
        ),
        allWarnings: group.every((p) => p.severity === 'warning'),
        ...(sharpened ? { sharpened } : {}),
      }),
    );
  }
}

function suggestionOf(ref: { image: { suggestion?: string } }): { suggestion?: string } {
  return ref.image.suggestion ? { suggestion: ref.image.suggestion } : {};
}

/** gkdefault's upgradecode image must be in the root, and the compiled gkdefault.cfg beside gkdefault.txt. */
export function checkGkdefault(parsed: ParsedRoot, set: FindingSet): void {
  const gk = parsed.gkdefault;
  if (!gk) return;
  const image = gk.upgradeCodes[0]?.image;
  if (image && !parsed.root.entry(image.name)) {
    const variant = parsed.root.caseVariants(image.name)[0];
    set.add(
      'GKDEFAULT_UPGRADECODE|image',
      gkdefaultUpgradecode({
        evidence: [
          rootEvidence(
            gk.file,
            `upgradecode names ${image.name}, which is not in the TFTP root${variant ? ` (${variant.path} is, in other letter case)` : ''}`,
            image.line,
          ),
        ],
        missingImage: { image: image.name, ...(variant ? { variant: variant.path } : {}) },
      }),
    );
  }
  const cfg = expectedFileName('gkdefault-cfg');
  if (gk.file !== cfg && !parsed.root.entry(cfg)) {
    set.add(
      'GKDEFAULT_UPGRADECODE|cfg',
      gkdefaultUpgradecode({
        evidence: [rootEvidence(gk.file, `${gk.file} is here but ${cfg}, the file the phone loads, is not`)],
        uncompiled: { txt: gk.file, cfg },
      }),
    );
  }
}
