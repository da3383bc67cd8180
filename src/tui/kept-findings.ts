/**
 * Findings do not flap while evidence arrives: one shown earlier that the newest analysis no
 * longer has stays listed, marked withdrawn with the time it went, until the analysis has a
 * finding with its ID for that phone again.
 */
import type { Analysis } from '../engine/analysis.js';
import type { Finding } from '../findings/finding.js';

export interface WithdrawnFinding {
  /** MAC (else IP) of the phone it was about; undefined for a finding about no phone. */
  readonly phone?: string;
  readonly finding: Finding;
  /** `06:30:12`: when the analysis stopped having it. */
  readonly at: string;
}

function held(analysis: Analysis): Map<string, { phone?: string; finding: Finding }> {
  const out = new Map<string, { phone?: string; finding: Finding }>();
  for (const p of analysis.phones) {
    const phone = p.phone.mac ?? p.phone.ip;
    for (const finding of p.findings)
      out.set(`${phone ?? ''} ${finding.id}`, { ...(phone !== undefined ? { phone } : {}), finding });
  }
  for (const { finding } of analysis.findingsOfNoPhone) out.set(` ${finding.id}`, { finding });
  return out;
}

/** What is withdrawn after `next` replaces `previous`: findings it lost join, findings it has again leave. */
export function withdrawnAfter(
  previous: Analysis,
  next: Analysis,
  withdrawn: readonly WithdrawnFinding[],
  at: string,
): WithdrawnFinding[] {
  const now = held(next);
  const key = (w: { phone?: string; finding: Finding }): string => `${w.phone ?? ''} ${w.finding.id}`;
  const kept = withdrawn.filter((w) => !now.has(key(w)));
  const known = new Set(kept.map(key));
  for (const [k, f] of held(previous)) {
    if (!now.has(k) && !known.has(k)) kept.push({ ...f, at });
  }
  return kept;
}
