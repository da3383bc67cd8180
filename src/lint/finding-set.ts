/**
 * Findings of one lint run, keyed by what they are about (the ID and the file or image at
 * fault): the same fault seen from several files or phones becomes one finding with all the
 * evidence, not several.
 */
import type { Evidence, Finding } from '../findings/finding.js';

export class FindingSet {
  private readonly items = new Map<
    string,
    { finding: Finding; evidence: Evidence[]; byFile: Map<string, Evidence[]> }
  >();
  /** Evidence texts, one string for each: a fault seen from every file of a large site's root says the same of each. */
  private readonly texts = new Map<string, string>();

  add(key: string, finding: Finding): void {
    let item = this.items.get(key);
    if (!item) {
      item = { finding, evidence: [], byFile: new Map() };
      this.items.set(key, item);
    }
    // Duplicates are looked for among the evidence of the same file only: a fault seen from every phone of a large site stays linear.
    for (const e of finding.evidence) {
      const same = item.byFile.get(e.file);
      if (same?.some((known) => sameEvidence(known, e))) continue;
      const kept = this.sharedText(e);
      if (same) same.push(kept);
      else item.byFile.set(e.file, [kept]);
      item.evidence.push(kept);
    }
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): Finding[] {
    return [...this.items.values()].map(({ finding, evidence }) => ({ ...finding, evidence: [...evidence] }));
  }

  private sharedText(e: Evidence): Evidence {
    const text = this.texts.get(e.text);
    if (text === undefined) {
      this.texts.set(e.text, e.text);
      return e;
    }
    return { ...e, text };
  }
}

function sameEvidence(a: Evidence, b: Evidence): boolean {
  return (
    a.source === b.source &&
    a.file === b.file &&
    a.frame === b.frame &&
    a.line === b.line &&
    a.time === b.time &&
    a.text === b.text
  );
}

export function rootEvidence(file: string, text: string, line?: number): Evidence {
  return { source: 'tftp-root', file, ...(line !== undefined ? { line } : {}), text };
}
