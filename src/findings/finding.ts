/**
 * The finding contract shared by `lint` and `analyze` (see ../shared/diagnoses.md and the
 * README's "Findings JSON" section). Change it in one place: here and in `report-schema.ts`.
 */
import type { AssumptionId } from '../flows/assumptions.js';
import type { FindingId } from './catalog.js';

export type Severity = 'error' | 'warning' | 'info';

/** Errors first, then warnings, then info. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

export type EvidenceSource = 'capture' | 'console' | 'server-log' | 'tftp-root';

export interface Evidence {
  readonly source: EvidenceSource;
  /** The file the evidence comes from (capture, log, or a path inside the TFTP root). */
  readonly file: string;
  /** Capture frame number (1-based). */
  readonly frame?: number;
  /** Line number in a log or config file (1-based). */
  readonly line?: number;
  /** ISO 8601 time of the event, when known. */
  readonly time?: string;
  /** What was seen, quoted or summarised in one line. */
  readonly text: string;
}

export interface PhoneRef {
  /** `aa:bb:cc:dd:ee:ff`, lower case. */
  readonly mac?: string;
  readonly ip?: string;
}

/**
 * Where a finding keeps the IDs of the assumptions (flows/assumptions.ts) it rests on: with
 * the finding wherever it is copied, but not in its JSON, where the report lists them once.
 */
export const ASSUMED: unique symbol = Symbol('assumed');

export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  readonly phone?: PhoneRef;
  readonly title: string;
  readonly explanation: string;
  readonly evidence: readonly Evidence[];
  readonly fix: readonly string[];
  /** Id of the finding this one is a consequence of, when several share one cause. */
  readonly causedBy?: FindingId;
  /** Undocumented firmware behaviour the finding rests on, by ID; its explanation says "likely" with the table's words. */
  readonly [ASSUMED]?: readonly AssumptionId[];
}
