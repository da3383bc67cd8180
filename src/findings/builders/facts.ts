/**
 * What every shared finding builder takes besides its own facts: the phone it is about (none
 * for a finding of the TFTP root) and the evidence.
 */
import type { Evidence, PhoneRef } from '../finding.js';

export interface FindingFacts {
  readonly phone?: PhoneRef;
  readonly evidence: readonly Evidence[];
}

/** The finding this one is a consequence of, when the caller knows it. */
export interface CauseFacts {
  readonly causedBy?: string;
}

export function phoneOf(facts: FindingFacts): { phone?: PhoneRef } {
  return facts.phone ? { phone: facts.phone } : {};
}

export function causeOf(facts: CauseFacts): { causedBy?: string } {
  return facts.causedBy ? { causedBy: facts.causedBy } : {};
}
