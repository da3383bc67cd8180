/** How a phone's predicted boots end: the hunt for configs stopped, no load named, images switching on every boot. */
import { ualHuntStopped } from '../../findings/builders/file-findings.js';
import { noLoadSpecified } from '../../findings/builders/firmware-findings.js';
import { imageSourcesDisagree } from '../../findings/builders/image-findings.js';
import { imageLabel } from '../../flows/phone.js';
import { rootEvidence } from '../finding-set.js';
import { answerText, type FlowRule, pathOf, withPhone } from './view.js';

/** CSCee31047 is the loader's; SCCP 6.x and later run it (seed), older images are not known to. */
export const huntStopped: FlowRule = (view) =>
  view.prediction.boots
    .filter(
      (boot) =>
        boot.outcome === 'hunt-stopped' &&
        (boot.running.protocol === 'loader' || boot.generation === 'sccp-loader-era'),
    )
    .map((boot) => {
      const label = imageLabel(boot.running);
      const refused = boot.requests.filter((r) => r.answer === 'denied');
      return {
        key: `UAL_HUNT_STOPPED|${view.who}`,
        finding: ualHuntStopped({
          ...withPhone(view),
          evidence: refused.map((r) =>
            rootEvidence(
              pathOf(r.file),
              `${label} asks for ${r.file}: the server refuses it (it is not readable by others), and the hunt for config files stops there`,
            ),
          ),
          refused: refused.map((r) => pathOf(r.file)),
          denied: true,
        }),
      };
    });

/** The loader read every config it found and none names an application. */
export const loaderFindsNoLoad: FlowRule = (view) =>
  view.prediction.boots
    .filter((boot) => boot.outcome === 'no-load')
    .map((boot) => ({
      key: `NO_LOAD_SPECIFIED|${view.who}`,
      finding: noLoadSpecified({
        ...withPhone(view),
        evidence: boot.requests
          .filter((r) => r.purpose !== 'ctl')
          .map((r) =>
            rootEvidence(
              pathOf(r.file),
              r.answer === 'found'
                ? `the loader reads ${r.file}: it names no image`
                : `the loader asks for ${r.file}: ${answerText(r)}`,
            ),
          ),
        loaderHunted: {},
      }),
    }));

/** No file of the root names an image, and the image in flash is not known: no boot to predict. */
export const noImageNamed: FlowRule = (view) => {
  const { prediction } = view;
  if (prediction.end !== 'no-load' || prediction.boots.length > 0 || !prediction.lookedFor) return [];
  if (view.context.rootNamesImage) return [];
  return [
    {
      key: `NO_LOAD_SPECIFIED|${view.who}`,
      finding: noLoadSpecified({
        ...withPhone(view),
        evidence: prediction.lookedFor.map((l) =>
          rootEvidence(
            pathOf(l.file),
            l.answer === 'found' ? `${l.file} names no image` : `${l.file} is not in the TFTP root`,
          ),
        ),
        flashUnknown: true,
      }),
    },
  ];
};

/** Each image reads a different file first, and each file sends it to the other image. */
export const imagesLoop: FlowRule = (view) => {
  if (view.prediction.end !== 'loop') return [];
  const evidence = view.prediction.boots.flatMap((b) =>
    b.decision && b.next
      ? [
          rootEvidence(
            pathOf(b.decision.file),
            `${b.decision.text}: on ${imageLabel(b.running)} the phone loads ${imageLabel(b.next)}`,
            b.decision.line,
          ),
        ]
      : [],
  );
  return [
    {
      key: `IMAGE_SOURCES_DISAGREE|loop|${view.who}`,
      finding: imageSourcesDisagree({ ...withPhone(view), evidence, loop: true }),
    },
  ];
};
