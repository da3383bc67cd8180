/**
 * The report's totals, counted as findings go by a phone at a time: the summary, the
 * assumptions the explanations rest on (by the IDs each finding keeps), and the findings about
 * no phone, in causal order.
 */
import { type PlacedFinding, causalOrder } from '../findings/causal-order.js';
import { ASSUMED, type Finding } from '../findings/finding.js';
import type { Report } from '../findings/report-schema.js';
import { ASSUMPTIONS } from '../flows/assumptions.js';

export interface ReportTotals {
  readonly summary: Report['summary'];
  readonly assumptions: Report['assumptions'];
  readonly findingsOfNoPhone: readonly PlacedFinding[];
}

export class ReportTally {
  private readonly summary = { error: 0, warning: 0, info: 0 };
  private readonly assumed = new Set<string>();

  /** `global`: the findings about no phone, counted at once. */
  constructor(private readonly global: readonly Finding[]) {
    for (const f of global) this.count(f);
  }

  addPhoneFindings(findings: readonly Finding[]): void {
    for (const f of findings) this.count(f);
  }

  totals(): ReportTotals {
    return {
      summary: { ...this.summary },
      assumptions: Object.entries(ASSUMPTIONS)
        .filter(([id]) => this.assumed.has(id))
        .map(([id, text]) => ({ id, text })),
      findingsOfNoPhone: causalOrder(this.global),
    };
  }

  private count(f: Finding): void {
    this.summary[f.severity]++;
    for (const id of f[ASSUMED] ?? []) this.assumed.add(id);
  }
}
