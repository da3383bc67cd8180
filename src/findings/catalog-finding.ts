/**
 * A finding made from the catalog's words: the entry's title, explanation and fix, with the
 * evidence, the case at hand and the concrete fix steps a rule or check adds.
 */
import { catalogEntry } from './catalog.js';
import type { CauseOf, FindingId } from './catalog.js';
import { ASSUMPTIONS } from '../flows/assumptions.js';
import type { AssumptionId } from '../flows/assumptions.js';
import { ASSUMED, SEVERITY_RANK } from './finding.js';
import type { Evidence, Finding, PhoneRef, Severity } from './finding.js';

export interface FindingDetails<Id extends FindingId = FindingId> {
  readonly phone?: PhoneRef;
  readonly evidence: readonly Evidence[];
  /** Steps naming the concrete files; they come before the catalog's steps. */
  readonly fix?: readonly string[];
  /** The concrete steps say all the catalog's steps say: drop those. */
  readonly replacesCatalogFix?: boolean;
  /** The case at hand, after the catalog's explanation. */
  readonly detail?: string;
  /** Undocumented firmware behaviour the finding rests on, from the assumption table: the explanation then says "likely". */
  readonly assumed?: readonly AssumptionId[];
  /** The same for what the case at hand rests on, in words (after the table's). */
  readonly likely?: readonly string[];
  /** Only to lower the catalog's severity, when every problem behind the finding is milder. */
  readonly severity?: Severity;
  /** The cause a rule sees, one the catalog lists for this finding. */
  readonly causedBy?: CauseOf<Id>;
}

export function catalogFinding<Id extends FindingId>(id: Id, details: FindingDetails<Id>): Finding {
  const entry = catalogEntry(id);
  if (details.evidence.length === 0) throw new Error(`finding ${id} has no evidence`);
  const severity =
    details.severity && SEVERITY_RANK[details.severity] > SEVERITY_RANK[entry.severity]
      ? details.severity
      : entry.severity;
  const assumed = details.assumed ?? [];
  const reasons = [...assumed.map((a) => ASSUMPTIONS[a]), ...(details.likely ?? [])];
  const likely = reasons.length ? ` Likely, not certain: ${reasons.join('; ')}.` : '';
  const concrete = details.fix ?? [];
  const fix =
    concrete.length === 0
      ? entry.fix
      : details.replacesCatalogFix
        ? concrete
        : [...concrete, ...entry.fix.filter((step) => !concrete.some((d) => sameStep(d, step)))];
  return {
    id,
    severity,
    ...(details.phone && (details.phone.mac || details.phone.ip) ? { phone: details.phone } : {}),
    title: entry.title,
    explanation: `${entry.explanation}${details.detail ? ` ${details.detail}` : ''}${likely}`,
    evidence: details.evidence,
    fix,
    ...(details.causedBy ? { causedBy: details.causedBy } : {}),
    ...(assumed.length ? { [ASSUMED]: assumed } : {}),
  };
}

const LINKING_WORDS = new Set(['the', 'a', 'an', 'that', 'it', 'its', 'to', 'in', 'on', 'of', 'all', 'every']);

/**
 * Two fix steps that say the same thing: the same verb on the same thing ("Unpack the whole
 * SIP 8.12 zip…" and the catalog's "Unpack the whole firmware zip…"; "Create OS79XX.TXT
 * holding…" and "Create OS79XX.TXT in the TFTP root…"). The concrete one is kept.
 */
export function sameStep(a: string, b: string): boolean {
  const opening = (step: string): string => {
    const words = step
      .toLowerCase()
      .replace(/[:,.;]+(\s|$)/g, ' ')
      .split(/\s+/)
      .filter((w) => w !== '');
    let end = 1;
    for (let word = words[end]; word !== undefined && LINKING_WORDS.has(word); word = words[end]) end++;
    return words.slice(0, end + 1).join(' ');
  };
  return opening(a) === opening(b);
}
