/** About the evidence itself (diagnoses.md): what the capture missed or cut. */
import { catalogFinding } from '../../findings/catalog-finding.js';
import type { PhoneRequest } from '../model.js';
import type { Rule } from './context.js';
import { damageFinding } from '../damage.js';

/**
 * Requests other sources saw and the capture did not: all of the phone's (wrong mirror port),
 * or some of a boot the capture holds part of (capture started late, or packets lost).
 */
const captureMisses: Rule = ({ phone, ref, model, boots, damage }) => {
  if (model.captureFiles.length === 0) return [];
  const inCapture = (r: PhoneRequest): boolean => r.evidence.some((e) => e.source === 'capture');
  // A capture cut part-way cannot hold what came after its last frame: that is INPUT_DAMAGED's, not a miss.
  const cutFiles = new Set(damage.filter((d) => d.source === 'capture' && d.damage.endsInput).map((d) => d.file));
  const cutAt = Math.min(...model.spans.filter((s) => cutFiles.has(s.file)).map((s) => s.last));
  const beforeCut = (r: PhoneRequest): boolean => r.time === undefined || r.time < cutAt;
  // The server logged it: the request surely went over the wire (a console line may be the phone's intent only).
  const logged = (r: PhoneRequest): boolean => !inCapture(r) && r.evidence[0]?.source === 'server-log' && beforeCut(r);
  const none = phone.requests.length > 0 && !phone.requests.some(inCapture);
  const missed = none
    ? phone.requests.filter(logged)
    : boots.filter((b) => b.requests.some(inCapture)).flatMap((b) => b.requests.filter(logged));
  if (missed.length === 0) return [];
  return [
    {
      key: 'CAPTURE_MISSES_PHONE',
      finding: catalogFinding('CAPTURE_MISSES_PHONE', {
        phone: ref,
        evidence: missed.slice(0, 8).flatMap((r) => r.evidence.slice(0, 1)),
        detail: none
          ? `The capture (${model.captureFiles.join(', ')}) holds none of the ${missed.length} requests of this phone that the other sources show.`
          : `${missed.length} request${missed.length === 1 ? '' : 's'} of a boot the capture holds part of ${missed.length === 1 ? 'is' : 'are'} not in it.`,
      }),
    },
  ];
};

const snaplenCut: Rule = ({ phone, ref }) => {
  const cuts = phone.packets.filter(({ packet }) => packet.truncated);
  if (cuts.length === 0) return [];
  return [
    {
      key: 'CAPTURE_SNAPLEN_CUT',
      finding: catalogFinding('CAPTURE_SNAPLEN_CUT', {
        phone: ref,
        evidence: cuts.slice(0, 8).map(({ file, packet }) => ({
          source: 'capture' as const,
          file,
          frame: packet.frame,
          text: `TFTP datagram ${packet.src} → ${packet.dst} cut by the snap length`,
        })),
      }),
    },
  ];
};

/** Each damaged input that cuts this phone's story: what was read, and what is unknown after it. */
const inputDamaged: Rule = ({ damage, ref }) =>
  damage.map((d) => ({ key: `INPUT_DAMAGED ${d.file}`, finding: damageFinding(d, ref) }));

export const EVIDENCE_RULES: readonly Rule[] = [captureMisses, snaplenCut, inputDamaged];
