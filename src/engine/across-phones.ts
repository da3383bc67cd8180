/**
 * What a phone's analysis needs to know of the other phones, read from every record in one
 * pass, so that each phone can then be analysed, rendered and let go on its own.
 */
import type { Evidence, EvidenceSource } from '../findings/finding.js';
import { damageOfPhone } from './damage.js';
import type { InputDamage, Model, PhoneRecord } from './model.js';

/** A spelling of a file name a phone was served, with the evidence of its first serving. */
export interface ServedSpelling {
  readonly file: string;
  readonly evidence: Evidence;
}

export interface AcrossPhones {
  readonly phoneCount: number;
  /** The kinds of input the analysis rests on (a cause is told only when its source was given). */
  readonly given: ReadonlySet<EvidenceSource>;
  /** Damaged inputs some phone's evidence comes from (the others' damage is about no phone). */
  readonly damageOfPhones: ReadonlySet<InputDamage>;
  /**
   * By lower-case name, for names some phone was refused: each spelling any phone was served,
   * in phone and request order (a refusal may be a matter of letter case).
   */
  readonly servedSpellings: ReadonlyMap<string, readonly ServedSpelling[]>;
}

export function acrossPhones(model: Model, records: Iterable<PhoneRecord>): AcrossPhones {
  let phoneCount = 0;
  let serverLines = false;
  let consoleLines = false;
  const damageOfPhones = new Set<InputDamage>();
  const served = new Map<string, ServedSpelling[]>();
  const refused = new Set<string>();
  for (const phone of records) {
    phoneCount++;
    serverLines ||= phone.serverLines.length > 0;
    consoleLines ||= phone.console.length > 0;
    for (const d of damageOfPhone(phone, model)) damageOfPhones.add(d);
    for (const r of phone.requests) {
      const lower = r.file.toLowerCase();
      if (r.answer === 'not-found') refused.add(lower);
      const evidence = r.evidence[0];
      if (r.answer !== 'found' || !evidence) continue;
      const spellings = served.get(lower);
      if (!spellings) served.set(lower, [{ file: r.file, evidence }]);
      else if (!spellings.some((s) => s.file === r.file)) spellings.push({ file: r.file, evidence });
    }
  }
  for (const name of served.keys()) if (!refused.has(name)) served.delete(name);
  const given = new Set<EvidenceSource>([
    ...(model.captureFiles.length ? ['capture' as const] : []),
    ...(model.roots.length ? ['tftp-root' as const] : []),
    ...(serverLines ? ['server-log' as const] : []),
    ...(consoleLines ? ['console' as const] : []),
  ]);
  return { phoneCount, given, damageOfPhones, servedSpellings: served };
}
