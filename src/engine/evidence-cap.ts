/**
 * A finding's evidence, summarised when a phone repeats the same thing thousands of times (a
 * phone rebooting for days, a request retried 100,000 times): the first and the last items are
 * kept, and one item in between says how many were left out. The timeline still holds every
 * event; the report stays readable and its size bounded per finding.
 */
import type { Evidence, Finding } from '../findings/finding.js';

/** Kept from the start of a long evidence list... */
export const EVIDENCE_KEPT_FIRST = 32;
/** ...and from its end. */
export const EVIDENCE_KEPT_LAST = 16;

export function withEvidenceCapped(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => (f.evidence.length > EVIDENCE_KEPT_FIRST + EVIDENCE_KEPT_LAST + 1 ? capped(f) : f));
}

function capped(finding: Finding): Finding {
  const { evidence } = finding;
  const left = evidence.length - EVIDENCE_KEPT_FIRST - EVIDENCE_KEPT_LAST;
  const firstLeft = evidence[EVIDENCE_KEPT_FIRST];
  const note: Evidence[] = firstLeft
    ? [
        {
          source: firstLeft.source,
          file: firstLeft.file,
          text: `… ${left} more of the same kind left out (the first ${EVIDENCE_KEPT_FIRST} and the last ${EVIDENCE_KEPT_LAST} of ${evidence.length} are shown)`,
        },
      ]
    : [];
  return {
    ...finding,
    evidence: [...evidence.slice(0, EVIDENCE_KEPT_FIRST), ...note, ...evidence.slice(-EVIDENCE_KEPT_LAST)],
  };
}
