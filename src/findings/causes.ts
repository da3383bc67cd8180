/**
 * Consequences and their causes, for `analyze` and `lint` alike: a finding points at the
 * finding that explains it (the rule's own `causedBy`, else the first of its catalog entry's
 * `causes` that is reported), says so, and takes that cause's fix; a consequence with no
 * cause in view says which inputs would show it. Roots come first, each followed by its
 * consequences (causal-order.ts).
 */
import { causalOrder } from './causal-order.js';
import { catalogEntry } from './catalog.js';
import type { FindingId } from './catalog.js';
import type { EvidenceSource, Finding } from './finding.js';
import { sortFindings } from './report.js';

/** Findings this module made: linking them again changes nothing. */
const linked = new WeakSet<Finding>();

/**
 * `given`: the kinds of input read (`lint` reads a TFTP root only); a consequence with no
 * cause in view names the inputs, of those that would show it, that were not given. The
 * findings come back in causal order.
 */
export function linkCauses(findings: readonly Finding[], given: ReadonlySet<EvidenceSource>): Finding[] {
  const byId = new Map<FindingId, Finding>();
  for (const f of sortFindings(findings)) if (!byId.has(f.id)) byId.set(f.id, f);
  const causeOf = (f: Finding): Finding | undefined => {
    if (linked.has(f)) return f.causedBy === undefined ? undefined : byId.get(f.causedBy);
    const entry = catalogEntry(f.id);
    const causes = entry.causes ?? [];
    // A rule that sees the file at fault names the cause (one the catalog lists); a finding about the whole phone takes the first reported.
    const named = f.causedBy ? causes.filter((c) => c === f.causedBy) : entry.causeShownBy ? causes : [];
    const candidates = named.flatMap((c) => {
      const cause = c === f.id ? undefined : byId.get(c);
      return cause ? [cause] : [];
    });
    return f.causedBy ? candidates[0] : (lastBefore(f, candidates) ?? candidates[0]);
  };
  /** The fix of the finding at the root of `f`'s chain of causes (a cycle stops where it closes). */
  const rootFix = (f: Finding, seen: Set<FindingId>): readonly string[] => {
    const cause = causeOf(f);
    if (!cause || seen.has(cause.id)) return f.fix;
    seen.add(cause.id);
    return rootFix(cause, seen);
  };
  const out = findings.map((f): Finding => {
    if (linked.has(f)) return f;
    const cause = causeOf(f);
    const { causedBy: _unreported, ...rest } = f;
    let result: Finding = rest;
    if (cause) {
      const fix = rootFix(f, new Set([f.id]));
      result = {
        ...rest,
        causedBy: cause.id,
        explanation: `${f.explanation} Here it follows from ${cause.id}: ${lowerFirst(cause.title)}.`,
        fix: fix.some((step) => /\b(reboot|restart)/i.test(step)) ? fix : [...fix, 'Then reboot the phone.'],
      };
    } else {
      const entry = catalogEntry(f.id);
      if (entry.causes?.length && entry.causeShownBy)
        result = { ...rest, fix: [...f.fix, causeNotInView(entry.causeShownBy, given)] };
    }
    linked.add(result);
    return result;
  });
  return causalOrder(sortFindings(out)).map((p) => p.finding);
}

/**
 * Of the causes reported, the one seen last before the consequence (the phone's own file not
 * found just before it showed "Unprovisioned"), when the evidence carries times.
 */
function lastBefore(consequence: Finding, causes: readonly Finding[]): Finding | undefined {
  const times = (f: Finding): number[] =>
    f.evidence.flatMap((e) => (e.time === undefined || Number.isNaN(Date.parse(e.time)) ? [] : [Date.parse(e.time)]));
  const at = Math.min(...times(consequence));
  if (!Number.isFinite(at)) return undefined;
  let best: { finding: Finding; time: number } | undefined;
  for (const cause of causes) {
    const before = times(cause).filter((t) => t <= at);
    if (before.length && (!best || Math.max(...before) > best.time))
      best = { finding: cause, time: Math.max(...before) };
  }
  return best?.finding;
}

/** Each input in words, with how `analyze` takes it. */
const INPUT_WORDS: Readonly<Record<EvidenceSource, string>> = {
  capture: "a capture of the phone's boot (phonedoc analyze CAPTURE)",
  'server-log': "the TFTP server's log (--server-log)",
  'tftp-root': 'the TFTP root (--tftp-root)',
  console: "the phone's console log (--console)",
};

function causeNotInView(
  shownBy: { readonly inputs: readonly EvidenceSource[]; readonly what: string },
  given: ReadonlySet<EvidenceSource>,
): string {
  const missing = shownBy.inputs.filter((i) => !given.has(i));
  if (missing.length === 0) return `No cause phonedoc knows shows in these inputs; look at ${shownBy.what}.`;
  const words = missing.map((i) => INPUT_WORDS[i]);
  const last = words.pop();
  const list = words.length === 0 ? last : `${words.join(', ')} or ${last}`;
  return `No cause of it shows in the inputs given; ${list} would show which one it is (${shownBy.what}).`;
}

/** A title inside a sentence: `The phone…` → `the phone…`, but `OS79XX.TXT…` stays. */
export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}
