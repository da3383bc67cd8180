/** Whether the image a phone is sent to (by the root, or --target) is a move it will take. */
import { sccpNameTooLongForSip21, upgradePathBlocked } from '../../findings/builders/firmware-findings.js';
import type { Evidence } from '../../findings/finding.js';
import { imageLabel, releaseOf, sameImage } from '../../flows/phone.js';
import type { RunningImage } from '../../flows/phone.js';
import { checkMove, findUpgradePath } from '../../upgrade/find-path.js';
import type { UpgradePath } from '../../upgrade/find-path.js';
import { rootEvidence } from '../finding-set.js';
import { applicationOfSource } from '../image-checks.js';
import { type FlowFinding, type FlowRule, type FlowView, pathOf, withPhone } from './view.js';

/** The prediction ends with the phone refusing the image a file sends it to. */
export const refusedImage: FlowRule = (view) => {
  const p = view.prediction;
  const { refusal } = p;
  if (p.end !== 'refused' || !refusal) return [];
  const source = p.decision?.source;
  const evidence: Evidence[] = source
    ? [
        rootEvidence(
          pathOf(source.file),
          `${source.text}: sends ${imageLabel(refusal.from)} to ${imageLabel(refusal.to)}`,
          source.line,
        ),
      ]
    : [];
  if (refusal.kind === 'name-not-8.3' && refusal.to.protocol !== 'SIP') {
    evidence.push(rootEvidence(pathOf(refusal.file ?? source?.file ?? '.'), refusal.reason));
    return [nameTooLong(view, evidence)];
  }
  if (evidence.length === 0) evidence.push(rootEvidence('.', refusal.reason));
  const where = source ? `${pathOf(source.file)} line ${source.line}` : undefined;
  return [
    blocked(
      view,
      refusal.from,
      refusal.to,
      refusal.path ?? findPathBetween(refusal.from, refusal.to),
      evidence,
      refusal.reason,
      where,
    ),
  ];
};

/** --target: one legal step from --current, or the step to take first. */
export const targetPath: FlowRule = (view) => {
  const p = view.prediction;
  const { target } = view.context;
  const start = p.start;
  if (!target || !start || p.startAssumed || sameImage(start, target)) return [];
  if (p.refusal && sameImage(p.refusal.to, target)) return []; // said where the phone refuses it
  const from = releaseOf(start);
  const to = releaseOf(target);
  if (!from || !to) return [];
  const source = p.decision?.source;
  const named = source ? applicationOfSource(source) : undefined;
  const evidence = [
    source
      ? rootEvidence(
          pathOf(source.file),
          named && sameImage(named, target)
            ? `${source.text}: names the target, ${imageLabel(target)}`
            : `${source.text}: the root sends the phone to ${imageLabel(named ?? target)}; the target is ${imageLabel(target)}`,
          source.line,
        )
      : rootEvidence(
          '.',
          `no file of the root sends ${imageLabel(start)} elsewhere; the target is ${imageLabel(target)}`,
        ),
  ];
  const move = checkMove({ ...from, image: start.image }, { ...to, image: target.image });
  if (!move.legal && move.block?.id === 'sip-2.1-takes-8.3-names' && target.protocol === 'SCCP')
    return [nameTooLong(view, evidence)];
  const path = findUpgradePath(from, to);
  if (path.legal && (path.steps.length <= 1 || move.legal)) return [];
  const reason = path.legal
    ? path.notes?.slice(1).join(' ') || `${path.steps.length} steps are needed`
    : (path.reason ?? 'no legal path');
  const where = source ? `${pathOf(source.file)} line ${source.line}` : undefined;
  return [blocked(view, start, target, path, evidence, reason, where)];
};

function nameTooLong(view: FlowView, evidence: readonly Evidence[]): FlowFinding {
  return {
    key: `SCCP_NAME_TOO_LONG_FOR_SIP21|${view.who}`,
    finding: sccpNameTooLongForSip21({ ...withPhone(view), evidence }),
  };
}

function blocked(
  view: FlowView,
  from: RunningImage,
  to: RunningImage,
  path: UpgradePath | undefined,
  evidence: readonly Evidence[],
  reason: string,
  where: string | undefined,
): FlowFinding {
  return {
    key: `UPGRADE_PATH_BLOCKED|${view.who}|${imageLabel(to)}`,
    finding: upgradePathBlocked({
      ...withPhone(view),
      evidence,
      from,
      to,
      reason,
      ...(path ? { path } : {}),
      ...(where ? { where } : {}),
      assumed: ['ILLEGAL_STEP_REFUSED'],
    }),
  };
}

/** The chain between two images, when both are releases the path finder knows. */
function findPathBetween(from: RunningImage, to: RunningImage): UpgradePath | undefined {
  const a = releaseOf(from);
  const b = releaseOf(to);
  return a && b ? findUpgradePath(a, b) : undefined;
}
