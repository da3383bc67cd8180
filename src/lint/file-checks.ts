/**
 * Checks of the files as they lie in the TFTP root, whatever phone reads them: names in the
 * wrong letter case or with the letter O, permissions, and the problems the provisioning
 * parsers find inside OS79XX.TXT, the SIP and XML configs and gkdefault.txt.
 */
import { expectedFileName } from '../../parsers/provisioning/file-names.js';
import type { ProvisioningProblem } from '../../parsers/provisioning/problem.js';
import { catalogEntry } from '../findings/catalog.js';
import type { FindingId } from '../findings/catalog.js';
import type { Evidence } from '../findings/finding.js';
import { catalogFinding } from '../findings/catalog-finding.js';
import { type FindingSet, rootEvidence } from './finding-set.js';
import type { ParsedRoot } from './parsed-root.js';
import { WORLD_READABLE, WORLD_SEARCHABLE } from './tftp-root.js';
import { shellQuote } from '../findings/shell-quote.js';

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
        catalogFinding('FILE_NAME_CASE', {
          ...(phone ? { phone } : {}),
          evidence: [rootEvidence(path, message)],
          fix: [`Rename ${path} to ${canonical}: mv ${shellQuote(path)} ${shellQuote(canonical)}`],
          replacesCatalogFix: true,
        }),
      );
    }
    const letterO = name.problems.find((p) => p.findingId === 'IMAGE_NAME_LETTER_O');
    if (letterO && canonical) {
      set.add(
        `IMAGE_NAME_LETTER_O|${path}`,
        catalogFinding('IMAGE_NAME_LETTER_O', {
          evidence: [rootEvidence(path, letterO.message)],
          fix: [
            `Rename ${path} to ${canonical} (digit zero): mv ${shellQuote(path)} ${shellQuote(canonical)}`,
            ...catalogEntry('IMAGE_NAME_LETTER_O').fix,
          ],
          replacesCatalogFix: true,
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
  const fix = [
    ...(files.length ? [`chmod a+r ${files.map((f) => shellQuote(f)).join(' ')}`] : []),
    ...(directories.length ? [`chmod a+x ${directories.map((d) => shellQuote(d)).join(' ')}`] : []),
  ].map((command) => `In ${root.dir}: ${command}`);
  set.add(
    'TFTP_ACCESS_DENIED',
    catalogFinding('TFTP_ACCESS_DENIED', {
      evidence,
      fix,
      replacesCatalogFix: true,
      likely: [
        'the TFTP server reads files as an unprivileged user (tftpd-hpa --secure runs as "tftp"); a file owned by that user may still be served',
      ],
    }),
  );
}

/** Where the parsers read an image name, to sharpen a fix with the name to write instead. */
export interface WrittenName {
  readonly name: string;
  readonly suggestion?: string;
}

/** The parsers' problems that carry a finding ID (OS79XX_SYNTAX, IMAGE_NAME_LETTER_O, IMAGE_VERSION_SYNTAX, FILE_NAME_CASE, GKDEFAULT_UPGRADECODE). */
export function checkProvisioningProblems(parsed: ParsedRoot, set: FindingSet): void {
  const names = new Map<string, WrittenName>();
  const remember = (
    file: string,
    line: number,
    ref: { name: string; image: { suggestion?: string } } | undefined,
  ): void => {
    if (ref)
      names.set(`${file}:${line}`, {
        name: ref.name,
        ...(ref.image.suggestion ? { suggestion: ref.image.suggestion } : {}),
      });
  };
  const problems: ProvisioningProblem[] = [];
  if (parsed.os79xx) {
    problems.push(...parsed.os79xx.problems);
    if (parsed.os79xx.image) remember(parsed.os79xx.file, parsed.os79xx.image.line, parsed.os79xx.image);
  }
  for (const cnf of parsed.sipCnfs.values()) {
    problems.push(...cnf.problems);
    if (cnf.imageVersion) remember(cnf.file, cnf.imageVersion.line, cnf.imageVersion);
  }
  for (const xml of parsed.xmlConfigs.values()) {
    problems.push(...xml.problems);
    for (const load of xml.loadInformation) if (load.image) remember(load.image.file, load.image.line, load.image);
  }
  if (parsed.gkdefault) problems.push(...parsed.gkdefault.problems);

  const groups = new Map<string, ProvisioningProblem[]>();
  for (const p of firstPerLine(problems)) {
    if (!p.findingId || p.severity === 'info') continue;
    // A name in the wrong case inside a file is about that line; other IDs about the file.
    const key =
      p.findingId === 'FILE_NAME_CASE' || p.findingId === 'IMAGE_NAME_LETTER_O'
        ? `${p.findingId}|${p.file}:${p.line}`
        : `${p.findingId}|${p.file}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const [key, group] of groups) {
    const first = group[0]!;
    const id = first.findingId!;
    const written = names.get(`${first.file}:${first.line}`);
    const sharpened = id === 'CONFIG_MALFORMED' ? malformedFix(group) : fixFor(id, first.file, first.line, written);
    set.add(
      key,
      catalogFinding(id, {
        evidence: group.map((p) =>
          rootEvidence(p.file, p.column > 1 ? `column ${p.column}: ${p.message}` : p.message, p.line),
        ),
        ...(group.every((p) => p.severity === 'warning') ? { severity: 'warning' as const } : {}),
        ...(sharpened ? { fix: sharpened, replacesCatalogFix: true } : {}),
      }),
    );
  }
}

/**
 * The first problem of each finding ID per line: a malformed line (an attribute without its
 * `=`) throws the parser off for the rest of it, and what follows repeats the first.
 */
export function firstPerLine<T extends ProvisioningProblem>(problems: readonly T[]): T[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (p.findingId !== 'CONFIG_MALFORMED') return true;
    const key = `${p.file}:${p.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** CONFIG_MALFORMED's fix naming each place to correct, for `lint` and `analyze`. */
export function malformedFix(problems: readonly ProvisioningProblem[]): string[] {
  const places = problems.map((p) => `line ${p.line}, column ${p.column}`);
  const file = problems[0]!.file;
  return [
    `Correct ${file} at ${places.slice(0, 6).join('; ')}${places.length > 6 ? ` and ${places.length - 6} more places` : ''} (what is wrong is said there), then restart the phone.`,
  ];
}

/** The fix of a problem on a line that names an image, with the fully corrected name to write there; used by `lint` and `analyze`. */
export function fixFor(
  id: FindingId,
  file: string,
  line: number,
  written: WrittenName | undefined,
): string[] | undefined {
  const entry = catalogEntry(id);
  if (id === 'OS79XX_SYNTAX' && written) {
    const name = written.suggestion ?? written.name;
    return [
      `Write ${file} as the single line ${name} and nothing else: printf '%s' ${shellQuote(name)} > ${file}`,
      ...entry.fix.slice(1),
    ];
  }
  if (!written?.suggestion) return undefined;
  return [
    `In ${file} line ${line}, write ${written.suggestion} instead of ${written.name}.`,
    ...(id === 'IMAGE_NAME_LETTER_O' ? entry.fix : []),
  ];
}

/** gkdefault's upgradecode image must be in the root, and the compiled gkdefault.cfg beside gkdefault.txt. */
export function checkGkdefault(parsed: ParsedRoot, set: FindingSet): void {
  const gk = parsed.gkdefault;
  if (!gk) return;
  const assumed = ['GKDEFAULT_AFTER_SIP_CONFIG'] as const;
  const image = gk.upgradeCodes[0]?.image;
  if (image && !parsed.root.entry(image.name)) {
    const variant = parsed.root.caseVariants(image.name)[0];
    set.add(
      'GKDEFAULT_UPGRADECODE|image',
      catalogFinding('GKDEFAULT_UPGRADECODE', {
        evidence: [
          rootEvidence(
            gk.file,
            `upgradecode names ${image.name}, which is not in the TFTP root${variant ? ` (${variant.path} is, in other letter case)` : ''}`,
            image.line,
          ),
        ],
        fix: [
          variant
            ? `Rename ${variant.path} to ${image.name}: mv ${shellQuote(variant.path)} ${shellQuote(image.name)}`
            : `Put ${image.name} (it comes with the SCCP load) in the TFTP root, or name in upgradecode the .sbin that is there.`,
        ],
        assumed,
      }),
    );
  }
  const cfg = expectedFileName('gkdefault-cfg');
  if (gk.file !== cfg && !parsed.root.entry(cfg)) {
    set.add(
      'GKDEFAULT_UPGRADECODE|cfg',
      catalogFinding('GKDEFAULT_UPGRADECODE', {
        evidence: [rootEvidence(gk.file, `${gk.file} is here but ${cfg}, the file the phone loads, is not`)],
        fix: [`Compile it: cfgfmt -tsip_ptag.dat ${gk.file} ${cfg} (cfgfmt and sip_ptag.dat come with the SIP zip).`],
        replacesCatalogFix: true,
        assumed,
      }),
    );
  }
}
