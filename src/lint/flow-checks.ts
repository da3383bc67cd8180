/**
 * Findings from one phone's predicted boots: what it asks for and does not get, where it
 * stops, and whether the image it is sent to is a legal step from what it runs. Each rule
 * (src/lint/flow-rules/) looks at the whole prediction. They run in this order: a finding two
 * rules make under one key keeps the words of the first and the evidence of both.
 */
import type { BootPrediction } from '../flows/predict.js';
import type { FindingSet } from './finding-set.js';
import { huntStopped, imagesLoop, loaderFindsNoLoad, noImageNamed } from './flow-rules/boot-outcomes.js';
import { requestsNotFound, sccpConfigNotFound } from './flow-rules/missing-files.js';
import { refusedImage, targetPath } from './flow-rules/upgrade-path.js';
import type { FlowCheckContext, FlowRule, FlowView } from './flow-rules/view.js';

const FLOW_RULES: readonly FlowRule[] = [
  requestsNotFound,
  huntStopped,
  sccpConfigNotFound,
  loaderFindsNoLoad,
  noImageNamed,
  refusedImage,
  imagesLoop,
  targetPath,
];

export function checkPrediction(prediction: BootPrediction, context: FlowCheckContext, set: FindingSet): void {
  const mac = prediction.phone.mac;
  const view: FlowView = {
    prediction,
    context,
    ...(mac ? { phone: { mac: mac.canonical } } : {}),
    who: mac?.canonical ?? 'any',
  };
  for (const rule of FLOW_RULES) for (const { key, finding } of rule(view)) set.add(key, finding);
}
