/**
 * Findings of one lint run, keyed by what they are about (the ID and the file or image at
 * fault): the same fault seen from several files or phones becomes one finding with all the
 * evidence, not several.
 */
import type { Evidence, Finding } from '../findings/finding.js';

export class FindingSet {
  private readonly items = new Map<string, { finding: Finding; evidence: Evidence[]; seen: Set<string> }>();

  add(key: string, finding: Finding): void {
    let item = this.items.get(key);
    if (!item) {
      item = { finding, evidence: [], seen: new Set() };
      this.items.set(key, item);
    }
    // Kept in a set per finding: a fault seen from every phone of a large site stays linear.
    for (const e of finding.evidence) {
      const k = JSON.stringify(e);
      if (item.seen.has(k)) continue;
      item.seen.add(k);
      item.evidence.push(e);
    }
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): Finding[] {
    return [...this.items.values()].map(({ finding, evidence }) => ({ ...finding, evidence: [...evidence] }));
  }
}

export function rootEvidence(file: string, text: string, line?: number): Evidence {
  return { source: 'tftp-root', file, ...(line !== undefined ? { line } : {}), text };
}
