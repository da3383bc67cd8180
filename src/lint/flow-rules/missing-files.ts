/**
 * The files a phone asks for and the root does not hold: in other letter case, OS79XX.TXT,
 * the SIP and SCCP configs, the image a file names, a part of a .loads.
 */
import {
  fileNameCase,
  os79xxMissing,
  sccpConfigMissing,
  sipDefaultMissing,
  sipMacConfigMissing,
} from '../../findings/builders/file-findings.js';
import { gkdefaultUpgradecode, loadsPartMissing } from '../../findings/builders/image-findings.js';
import type { AssumptionId } from '../../flows/assumptions.js';
import type { Boot, PredictedRequest } from '../../flows/boot.js';
import type { ImageSource } from '../../flows/image-sources.js';
import { imageLabel, isSigned, sameImage } from '../../flows/phone.js';
import { rootEvidence } from '../finding-set.js';
import { applicationOfSource, missingImage } from '../image-checks.js';
import { type FlowFinding, type FlowRule, type FlowView, pathOf, withPhone } from './view.js';

/** Every request of every boot answered "not found", each under the finding its purpose calls for. */
export const requestsNotFound: FlowRule = (view) =>
  view.prediction.boots.flatMap((boot) =>
    boot.requests.filter((r) => r.answer === 'not-found').flatMap((r) => notFound(view, r, boot)),
  );

function notFound(view: FlowView, request: PredictedRequest, boot: Boot): FlowFinding[] {
  const { parsed } = view.context;
  const label = imageLabel(boot.running);
  const relative = pathOf(request.file);
  const variant = parsed.root.caseVariants(relative)[0];
  if (variant && request.purpose !== 'ctl') {
    const shared = request.purpose === 'sip-default' || request.purpose === 'xml-default';
    return [
      {
        key: `FILE_NAME_CASE|${relative}`,
        finding: fileNameCase({
          ...(shared ? {} : withPhone(view)),
          evidence: [rootEvidence(variant.path, `${label} asks for ${request.file}; the root has ${variant.path}`)],
          present: variant.path,
          wanted: relative,
        }),
      },
    ];
  }
  const asked = rootEvidence(relative, `${label} asks for ${request.file}: not in the TFTP root`);
  switch (request.purpose) {
    case 'os79xx':
      return os79xxNeeded(view, boot) ? [os79xxNotFound(view, request, label)] : [];
    case 'sip-default':
      return boot.running.protocol === 'SIP'
        ? [{ key: 'SIP_DEFAULT_MISSING', finding: sipDefaultMissing({ evidence: [asked] }) }]
        : [];
    case 'sip-phone':
      return boot.running.protocol === 'SIP'
        ? [
            {
              key: `SIP_MAC_CONFIG_MISSING|${view.who}`,
              finding: sipMacConfigMissing({ ...withPhone(view), evidence: [asked], file: relative }),
            },
          ]
        : [];
    case 'image':
    case 'loads':
      return request.namedBy ? [imageNotFound(view, request, request.namedBy, boot)] : [];
    case 'loader-part':
    case 'application-part': {
      const loads = pathOf(request.partOf ?? request.file);
      const evidence = [
        rootEvidence(loads, `${label} fetched ${loads}, then asks for ${request.file}: not in the TFTP root`),
      ];
      return [
        {
          key: `LOADS_PART_MISSING|${loads}`,
          finding: loadsPartMissing({ ...withPhone(view), evidence, bySigning: true }),
        },
      ];
    }
    default:
      return [];
  }
}

function os79xxNotFound(view: FlowView, request: PredictedRequest, label: string): FlowFinding {
  const image = view.context.target?.image;
  return {
    key: `OS79XX_MISSING|${view.who}`,
    finding: os79xxMissing({
      ...withPhone(view),
      evidence: [
        rootEvidence(
          pathOf(request.file),
          `${label} asks for ${request.file} first: not in the TFTP root, and no other file it reads names an image, so it keeps ${label}`,
        ),
      ],
      ...(image ? { image } : {}),
    }),
  };
}

function imageNotFound(view: FlowView, request: PredictedRequest, source: ImageSource, boot: Boot): FlowFinding {
  const cause = view.context.faulty.get(`${source.file}:${source.line}`);
  const preLoader = boot.generation === 'sip-pre-loader' || boot.generation === 'sccp-pre-loader';
  const assumption: AssumptionId[] = !preLoader
    ? ['LOADS_FETCHED_EVERY_BOOT']
    : source.place !== 'os79xx'
      ? ['PRE_LOADER_FETCHES_BIN']
      : isSigned(boot.running)
        ? ['OS79XX_NAME_FETCHED_AS_BIN']
        : [];
  const seen = `${imageLabel(boot.running)} asks for ${request.file}: not in the TFTP root`;
  if (source.place === 'upgradecode') {
    return {
      key: 'GKDEFAULT_UPGRADECODE|image',
      finding: gkdefaultUpgradecode({
        ...withPhone(view),
        evidence: [rootEvidence(pathOf(source.file), `${source.text}: ${seen}`, source.line)],
      }),
    };
  }
  return {
    key: `IMAGE_NOT_FOUND|${source.image.baseName}`,
    finding: missingImage(view.context.parsed, { ...source, file: pathOf(source.file) }, [request.file], seen, {
      ...withPhone(view),
      assumed: assumption,
      ...(cause ? { causedBy: cause } : {}),
    }),
  };
}

/** "In a flow that needs it": the user aims elsewhere (--target), or the root holds only the other protocol's configs. */
function os79xxNeeded(view: FlowView, boot: Boot): boolean {
  const { parsed, target } = view.context;
  if (boot.sources.length > 0) return false;
  if (target) return !sameImage(target, boot.running);
  const protocols = new Set<string>([
    ...(parsed.sipCnfs.size ? ['SIP'] : []),
    ...(parsed.xmlConfigs.size ? ['SCCP'] : []),
  ]);
  return protocols.size > 0 && !protocols.has(boot.running.protocol);
}

/** Neither SEP<MAC>.cnf.xml nor XMLDefault.cnf.xml for a phone that stays on SCCP. */
export const sccpConfigNotFound: FlowRule = (view) =>
  view.prediction.boots.flatMap((boot) => {
    const { parsed, target } = view.context;
    const asked = boot.requests.filter((r) => r.purpose === 'sep-xml' || r.purpose === 'xml-default');
    if (asked.length === 0 || asked.some((r) => r.answer !== 'not-found')) return [];
    if (asked.some((r) => parsed.root.caseVariants(pathOf(r.file)).length > 0)) return []; // FILE_NAME_CASE says it
    const goesTo = boot.decision ? applicationOfSource(boot.decision) : undefined;
    const sccp = boot.running.protocol === 'SCCP' || (boot.running.protocol === 'loader' && goesTo?.protocol !== 'SIP');
    // A phone meant to leave SCCP needs no SCCP config; OS79XX_MISSING says why it did not leave.
    const leaving =
      target?.protocol === 'SIP' ||
      (boot.requests.some((r) => r.purpose === 'os79xx' && r.answer === 'not-found') && os79xxNeeded(view, boot));
    if (!sccp || goesTo?.protocol === 'SIP' || leaving) return [];
    const label = imageLabel(boot.running);
    return [
      {
        key: `SCCP_CONFIG_MISSING|${view.who}`,
        finding: sccpConfigMissing({
          ...withPhone(view),
          evidence: asked.map((r) => rootEvidence(pathOf(r.file), `${label} asks for ${r.file}: not in the TFTP root`)),
        }),
      },
    ];
  });
