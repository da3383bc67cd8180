/**
 * Findings of one lint run, keyed by what they are about (the ID and the file or image at
 * fault): the same fault seen from several files or phones becomes one finding with all the
 * evidence, not several.
 */
import type { Evidence, Finding } from '../findings/finding.js';

export class FindingSet {
  private readonly items = new Map<string, Finding>();

  add(key: string, finding: Finding): void {
    const known = this.items.get(key);
    if (!known) {
      this.items.set(key, finding);
      return;
    }
    const seen = new Set(known.evidence.map((e) => JSON.stringify(e)));
    const extra = finding.evidence.filter((e) => !seen.has(JSON.stringify(e)));
    if (extra.length) this.items.set(key, { ...known, evidence: [...known.evidence, ...extra] });
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): Finding[] {
    return [...this.items.values()];
  }
}

export function rootEvidence(file: string, text: string, line?: number): Evidence {
  return { source: 'tftp-root', file, ...(line !== undefined ? { line } : {}), text };
}
