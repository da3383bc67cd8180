/**
 * The report's totals, counted as findings go by a phone at a time: the summary, the
 * assumptions the explanations rest on, and which findings about no phone are not also a
 * phone's (those are shown once, under "every phone").
 */
import type { Finding } from '../findings/finding.js';
import type { Report } from '../findings/report-schema.js';
import { ASSUMPTIONS } from '../flows/assumptions.js';

export interface ReportTotals {
  readonly summary: Report['summary'];
  readonly assumptions: Report['assumptions'];
  readonly findingsOfNoPhone: readonly Finding[];
}

export class ReportTally {
  private readonly summary = { error: 0, warning: 0, info: 0 };
  private readonly assumed = new Set<string>();
  private readonly globalIds: ReadonlySet<string>;
  private readonly globalJson: readonly string[];
  private readonly held = new Set<string>();

  /** `global`: the findings about no phone, counted at once. */
  constructor(private readonly global: readonly Finding[]) {
    this.globalIds = new Set(global.map((f) => f.id));
    this.globalJson = global.map((f) => JSON.stringify(f));
    for (const f of global) this.count(f);
  }

  addPhoneFindings(findings: readonly Finding[]): void {
    for (const f of findings) {
      this.count(f);
      if (this.globalIds.has(f.id)) this.held.add(JSON.stringify(f));
    }
  }

  totals(): ReportTotals {
    return {
      summary: { ...this.summary },
      assumptions: Object.entries(ASSUMPTIONS)
        .filter(([id]) => this.assumed.has(id))
        .map(([id, text]) => ({ id, text })),
      findingsOfNoPhone: this.global.filter((_, i) => !this.held.has(this.globalJson[i] ?? '')),
    };
  }

  private count(f: Finding): void {
    this.summary[f.severity]++;
    for (const [id, text] of Object.entries(ASSUMPTIONS)) if (f.explanation.includes(text)) this.assumed.add(id);
  }
}
