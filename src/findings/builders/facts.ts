/**
 * What every shared finding builder takes besides its own facts: the phone it is about (none
 * for a finding of the TFTP root) and the evidence.
 */
import type { CauseOf, FindingId } from '../catalog.js';
import type { Evidence, PhoneRef } from '../finding.js';

export interface FindingFacts {
  readonly phone?: PhoneRef;
  readonly evidence: readonly Evidence[];
}

/** The finding this one is a consequence of, when the caller knows it. */
export interface CauseFacts<Id extends FindingId> {
  readonly causedBy?: CauseOf<Id> | undefined;
}

export function phoneOf(facts: FindingFacts): { phone?: PhoneRef } {
  return facts.phone ? { phone: facts.phone } : {};
}

export function causeOf<Cause extends FindingId>(facts: {
  readonly causedBy?: Cause | undefined;
}): { causedBy?: Cause } {
  return facts.causedBy ? { causedBy: facts.causedBy } : {};
}
