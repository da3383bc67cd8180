/**
 * SEP<MAC>.cnf.xml and XMLDefault.cnf.xml: the CallManager-style XML that 7940/7960 loads
 * (SCCP, and SIP 7.x+ through the Universal Application Loader) read to learn which image
 * to run. `loadInformation7` is the 7960 and `loadInformation8` the 7940 (the numbers match
 * the `model.ccm.cisco.com` ids these phones send in SIP); a per-phone file may use a plain
 * `<loadInformation model="IP Phone 7960">` (LKML-TEO). An empty SEP file led to "Protocol
 * Application Invalid" (voip-info, facts 2.2).
 */
import { checkImageReference, type ImageReference } from './image-reference.js';
import {
  located,
  problemAt,
  type Located,
  type ProvisioningProblem,
  type SourcePosition,
  listedProblems,
} from './problem.js';
import { decodeText, type ProvisioningText } from './text-lines.js';
import { attribute, findElements, readXml, type XmlElement } from './xml-reader.js';

export type PhoneModel = '7940' | '7960';

/** `loadInformation<N>` ids of the 7940/7960 (facts 5.3, 1.2). */
export const LOAD_INFORMATION_IDS: Readonly<Record<PhoneModel, number>> = { '7960': 7, '7940': 8 };
/** `model` attribute values the files use for these phones. */
export const LOAD_INFORMATION_MODELS: Readonly<Record<PhoneModel, string>> = {
  '7960': 'IP Phone 7960',
  '7940': 'IP Phone 7940',
};

export interface LoadInformation extends SourcePosition {
  /** The element name as written: `loadInformation7`, `loadInformation`, `loadInformation436`… */
  readonly element: string;
  /** The number after `loadInformation`, when there is one. */
  readonly id?: number;
  /** The `model` attribute, white space collapsed (a line break inside it is real in LKML-TEO). */
  readonly model?: Located<string>;
  /** The phone this entry is for, when it is a 7940 or 7960: from the id, or from `model` when there is no id. */
  readonly phoneModel?: PhoneModel;
  /** The load name, trimmed. */
  readonly load: Located<string>;
  /** The load read as a 7940/7960 image name (only for 7940/7960 entries). */
  readonly image?: ImageReference;
}

export interface SccpXmlConfig {
  readonly file: string;
  /** `device` (SEP<MAC>.cnf.xml) or `Default` (XMLDefault.cnf.xml) in the files seen. */
  readonly root?: Located<string>;
  /** `<deviceProtocol>`: `SIP` or `SCCP`. */
  readonly deviceProtocol?: Located<string>;
  readonly loadInformation: readonly LoadInformation[];
  /** A `<callManager>` element is present (`callManagerGroup/members/member/callManager`). */
  readonly hasCallManager: boolean;
  /** `<processNodeName>` when present, possibly empty. */
  readonly processNodeName?: Located<string>;
  /** No element at all (an empty or blank file). */
  readonly empty: boolean;
  readonly problems: readonly ProvisioningProblem[];
}

const LOAD_ELEMENT = /^loadInformation(\d*)$/;
/** A CallManager's XMLDefault.cnf.xml holds one loadInformation per model (some hundreds); more are not read. */
export const MAX_LOAD_ELEMENTS = 1000;

export function parseSccpXml(input: ProvisioningText, file: string): SccpXmlConfig {
  const doc = readXml(decodeText(input).text, file);
  const problems = [...doc.problems];
  const root = doc.roots[0];
  if (!root) {
    problems.push(
      problemAt(
        'XML_EMPTY',
        { file, line: 1, column: 1 },
        'the file has no XML element; an empty SEP file ended in "Protocol Application Invalid" (voip-info)',
      ),
    );
    return { file, loadInformation: [], hasCallManager: false, empty: true, problems: listedProblems(problems) };
  }

  const all = [root, ...findElements(root, () => true)];
  const loadElements = all.filter((e) => LOAD_ELEMENT.test(e.name));
  const firstNotRead = loadElements[MAX_LOAD_ELEMENTS];
  if (firstNotRead)
    problems.push(
      problemAt(
        'XML_SYNTAX',
        firstNotRead,
        `${loadElements.length} loadInformation elements: a configuration holds one per phone model; phonedoc reads the first ${MAX_LOAD_ELEMENTS}`,
      ),
    );
  const loadInformation = loadElements.slice(0, MAX_LOAD_ELEMENTS).map((e) => readLoad(e, problems));
  const protocol = all.find((e) => e.name === 'deviceProtocol');
  const node = all.find((e) => e.name === 'processNodeName');
  return {
    file,
    root: located(root.name, root),
    ...(protocol ? { deviceProtocol: located(protocol.text.trim(), protocol.textPosition) } : {}),
    loadInformation,
    hasCallManager: all.some((e) => e.name === 'callManager'),
    ...(node ? { processNodeName: located(node.text.trim(), node.textPosition) } : {}),
    empty: false,
    problems: listedProblems(problems),
  };
}

/** The entries a 7940 or a 7960 would consider, in file order. */
export function loadsForModel(config: SccpXmlConfig, model: PhoneModel): LoadInformation[] {
  return config.loadInformation.filter((l) => l.phoneModel === model);
}

function modelOf(id: number | undefined, model: string | undefined): PhoneModel | undefined {
  const models = Object.keys(LOAD_INFORMATION_IDS) as PhoneModel[];
  if (id !== undefined) return models.find((m) => LOAD_INFORMATION_IDS[m] === id);
  return models.find((m) => LOAD_INFORMATION_MODELS[m].toLowerCase() === model?.toLowerCase());
}

function readLoad(element: XmlElement, problems: ProvisioningProblem[]): LoadInformation {
  const [, digits = ''] = LOAD_ELEMENT.exec(element.name) ?? [];
  const id = digits === '' ? undefined : Number(digits);
  const modelAttribute = attribute(element, 'model');
  const model = modelAttribute ? located(modelAttribute.value.replace(/\s+/g, ' ').trim(), modelAttribute) : undefined;
  const byId = id === undefined ? undefined : modelOf(id, undefined);
  const byModel = model ? modelOf(undefined, model.value) : undefined;
  if (id !== undefined && model && byId !== byModel && (byId ?? byModel) !== undefined) {
    problems.push(
      problemAt(
        'XML_LOAD_MODEL_MISMATCH',
        model,
        `<${element.name}> is the id of ${byId ? `the ${byId}` : 'another model'}, but model="${model.value}"` +
          `${byModel ? ` names the ${byModel}` : ''}; which one the phone goes by is not known`,
      ),
    );
  }
  const phoneModel = id === undefined ? byModel : byId;
  const load = located(element.text.trim(), element.textPosition);
  let image: ImageReference | undefined;
  if (phoneModel) {
    const checked = checkImageReference(load.value, load, 'loadInformation');
    image = checked.reference;
    problems.push(...checked.problems);
  }
  return {
    file: element.file,
    line: element.line,
    column: element.column,
    element: element.name,
    ...(id !== undefined ? { id } : {}),
    ...(model ? { model } : {}),
    ...(phoneModel ? { phoneModel } : {}),
    load,
    ...(image ? { image } : {}),
  };
}
