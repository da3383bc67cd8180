/**
 * What every flow rule sees: one phone's predicted boots and the root they were predicted
 * from; and what a rule gives back, findings keyed by what they are about.
 */
import type { Finding, PhoneRef } from '../../findings/finding.js';
import type { NameFaultId } from '../../findings/builders/config-problems.js';
import type { PredictedRequest } from '../../flows/boot.js';
import type { RunningImage } from '../../flows/phone.js';
import type { BootPrediction } from '../../flows/predict.js';
import type { ParsedRoot } from '../parsed-root.js';
import { rootPath } from '../tftp-root.js';

export interface FlowCheckContext {
  readonly parsed: ParsedRoot;
  /** `file:line` → finding ID of an error in the image name written there. */
  readonly faulty: ReadonlyMap<string, NameFaultId>;
  /** The image the user aims at (--target). */
  readonly target?: RunningImage;
  /** Some file of the root names an image (a per-phone file the prediction could not read, for one). */
  readonly rootNamesImage: boolean;
}

export interface FlowView {
  readonly prediction: BootPrediction;
  readonly context: FlowCheckContext;
  /** The phone, when its MAC is known; its findings then name it. */
  readonly phone?: PhoneRef;
  /** The phone's MAC or `any`, in the keys of its findings. */
  readonly who: string;
}

export interface FlowFinding {
  /** What the finding is about (ID plus phone, file or image): the same fault seen twice is one finding. */
  readonly key: string;
  readonly finding: Finding;
}

export type FlowRule = (view: FlowView) => FlowFinding[];

export function withPhone(view: FlowView): { phone?: PhoneRef } {
  return view.phone ? { phone: view.phone } : {};
}

/** The path inside the root a requested name stands for (`./SIP….cnf` → `SIP….cnf`). */
export function pathOf(file: string): string {
  return rootPath(file) || file;
}

export function answerText(request: PredictedRequest): string {
  return request.answer === 'not-found'
    ? 'not in the TFTP root'
    : request.answer === 'denied'
      ? 'refused (not readable)'
      : 'too large to read';
}
