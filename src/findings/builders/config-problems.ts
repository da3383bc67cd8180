/**
 * The findings for problems the provisioning parsers report under a finding ID (OS79XX_SYNTAX,
 * IMAGE_VERSION_SYNTAX, CONFIG_MALFORMED…), built once for `lint` (the files of a TFTP root)
 * and `analyze` (the files a phone received), with the fix naming the places to correct.
 */
import type { ProvisioningFindingId, ProvisioningProblem } from '../../../parsers/provisioning/problem.js';
import { catalogEntry, type FindingId } from '../catalog.js';
import type { Finding } from '../finding.js';
import { catalogFinding } from '../catalog-finding.js';
import { shellQuote } from '../shell-quote.js';
import { type FindingFacts, phoneOf } from './facts.js';

/** Where the parsers read an image name, to sharpen a fix with the name to write instead. */
export interface WrittenName {
  readonly name: string;
  readonly suggestion?: string;
}

/**
 * The finding for the parsers' problems of one ID. `allWarnings`: every problem behind it is a
 * warning (the finding is no worse); `sharpened`: the fix naming the places, replacing the catalog's.
 */
export function configProblem(
  id: ProvisioningFindingId,
  facts: FindingFacts & { readonly allWarnings: boolean; readonly sharpened?: readonly string[] },
): Finding {
  return catalogFinding(id, {
    ...phoneOf(facts),
    evidence: facts.evidence,
    ...(facts.allWarnings ? { severity: 'warning' as const } : {}),
    ...(facts.sharpened ? { fix: facts.sharpened, replacesCatalogFix: true } : {}),
  });
}

/** The findings an error in an image name is reported under. */
export type NameFaultId = Exclude<ProvisioningFindingId, 'CONFIG_MALFORMED'>;

/** An error in the image name written on the problem's line (a malformed line around a good name is not one). */
export function isNameFault(p: ProvisioningProblem): p is ProvisioningProblem & { readonly findingId: NameFaultId } {
  return p.findingId !== undefined && p.findingId !== 'CONFIG_MALFORMED' && p.severity === 'error';
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

/** CONFIG_MALFORMED's fix naming each place to correct in one file; none without a problem. */
export function malformedFix(problems: readonly ProvisioningProblem[]): string[] {
  const [first] = problems;
  if (!first) return [];
  const places = problems.map((p) => `line ${p.line}, column ${p.column}`);
  return [
    `Correct ${first.file} at ${places.slice(0, 6).join('; ')}${places.length > 6 ? ` and ${places.length - 6} more places` : ''} (what is wrong is said there), then restart the phone.`,
  ];
}

/** The fix of a problem on a line that names an image, with the fully corrected name to write there. */
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
