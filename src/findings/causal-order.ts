/**
 * The causal order of findings, the one place it is worked out: root causes first, each
 * followed by its consequences (depth first), every finding numbered as it is shown. The
 * engine hands the views findings placed so; a consequence cites its cause by that number.
 */
import type { Finding } from './finding.js';

export interface PlacedFinding {
  readonly finding: Finding;
  /** 0 for a root cause, 1 for a consequence of it, and so on. */
  readonly depth: number;
  /** 1-based, in the order shown: what the timeline's marks refer to. */
  readonly number: number;
}

/**
 * Root causes in the given order, each followed by the findings whose `causedBy` names it
 * (depth first, in the given order). A finding whose cause is not among `findings`, or that
 * sits in a cycle of causes, is placed as a root. Placing findings already so placed keeps
 * their order.
 */
export function causalOrder(findings: readonly Finding[]): PlacedFinding[] {
  const firstWithId = new Map<string, Finding>();
  for (const f of findings) if (!firstWithId.has(f.id)) firstWithId.set(f.id, f);
  const causeOf = (f: Finding): Finding | undefined => {
    const cause = f.causedBy === undefined ? undefined : firstWithId.get(f.causedBy);
    return cause === f ? undefined : cause;
  };
  const children = new Map<Finding, Finding[]>();
  for (const f of findings) {
    const cause = causeOf(f);
    if (!cause) continue;
    const siblings = children.get(cause);
    if (siblings) siblings.push(f);
    else children.set(cause, [f]);
  }
  const placed: PlacedFinding[] = [];
  const seen = new Set<Finding>();
  const visit = (f: Finding, depth: number): void => {
    if (seen.has(f)) return;
    seen.add(f);
    placed.push({ finding: f, depth, number: placed.length + 1 });
    for (const child of children.get(f) ?? []) visit(child, depth + 1);
  };
  for (const f of findings) if (!causeOf(f)) visit(f, 0);
  // What is left hangs in a cycle of causes: show it rather than lose it.
  for (const f of findings) visit(f, 0);
  return placed;
}
