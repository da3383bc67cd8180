/**
 * The places that name the image a phone should run (seed tech note): OS79XX.TXT,
 * `image_version` in SIPDefault.cnf / SIP<MAC>.cnf, `loadInformation` in SEP<MAC>.cnf.xml /
 * XMLDefault.cnf.xml, and gkdefault's `upgradecode`. Each is read by the provisioning
 * parsers; this module only says, for each, what was written where and what it leads to.
 */
import type { ImageName } from '../../parsers/firmware/image-name.js';
import type { GkDefault } from '../../parsers/provisioning/gkdefault.js';
import type { Os79xxTxt } from '../../parsers/provisioning/os79xx-txt.js';
import { loadsForModel } from '../../parsers/provisioning/sccp-xml.js';
import type { PhoneModel, SccpXmlConfig } from '../../parsers/provisioning/sccp-xml.js';
import type { SipCnf } from '../../parsers/provisioning/sip-cnf.js';
import { runningFromName } from './phone.js';
import type { RunningImage } from './phone.js';

export type ImageSourcePlace = 'os79xx' | 'image_version' | 'loadInformation' | 'upgradecode';

export interface ImageSource {
  readonly place: ImageSourcePlace;
  /** The file as the phone asked for it (`./SIP000E84C060A6.cnf`). */
  readonly file: string;
  readonly line: number;
  /** The line or element as written, for evidence. */
  readonly text: string;
  /**
   * The name as the phone uses it: OS79XX.TXT's first line raw (blanks, CR); other values without their quote marks.
   */
  readonly written: string;
  readonly image: ImageName;
  /** What the phone runs once the image is fetched; undefined for names that follow no scheme. */
  readonly leadsTo?: RunningImage;
}

/** CR and tabs shown, so that evidence shows what the phone reads. */
export function visible(text: string): string {
  return text
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\uFEFF/g, '<BOM>');
}

export function os79xxSource(parsed: Os79xxTxt): ImageSource | undefined {
  if (!parsed.image) return undefined;
  const { image } = parsed.image;
  return {
    place: 'os79xx',
    file: parsed.file,
    line: parsed.content.line,
    text: `"${visible(parsed.content.value)}"`,
    written: parsed.content.value,
    image,
    ...leads(image),
  };
}

export function imageVersionSource(cnf: SipCnf): ImageSource | undefined {
  const reference = cnf.imageVersion;
  const setting = cnf.effective.get('image_version');
  if (!reference || !setting) return undefined;
  return {
    place: 'image_version',
    file: cnf.file,
    line: setting.line,
    text: `${setting.key}: ${setting.raw}`,
    written: reference.name,
    image: reference.image,
    ...leads(reference.image),
  };
}

/** The load a 7940 or 7960 takes from the file; with no model, the first entry for either. */
export function loadInformationSource(xml: SccpXmlConfig, model?: PhoneModel): ImageSource | undefined {
  const entries = model ? loadsForModel(xml, model) : xml.loadInformation.filter((l) => l.phoneModel !== undefined);
  const entry = entries.find((l) => l.image);
  if (!entry?.image) return undefined;
  const attribute = entry.model ? ` model="${entry.model.value}"` : '';
  return {
    place: 'loadInformation',
    file: xml.file,
    line: entry.load.line,
    text: `<${entry.element}${attribute}>${entry.load.value}</${entry.element}>`,
    written: entry.image.name,
    image: entry.image.image,
    ...leads(entry.image.image),
  };
}

/** Every 7940/7960 load of the file, by model (a root may give the two models different loads). */
export function loadInformationSources(xml: SccpXmlConfig): Map<PhoneModel, ImageSource> {
  const byModel = new Map<PhoneModel, ImageSource>();
  for (const model of ['7940', '7960'] as const) {
    const source = loadInformationSource(xml, model);
    if (source) byModel.set(model, source);
  }
  return byModel;
}

export function upgradecodeSource(parsed: GkDefault): ImageSource | undefined {
  const code = parsed.upgradeCodes[0];
  if (!code?.image) return undefined;
  return {
    place: 'upgradecode',
    file: parsed.file,
    line: code.line,
    text: `upgradecode:${code.fields.map((f) => f.value).join(',')}`,
    written: code.image.name,
    image: code.image.image,
    ...leads(code.image.image),
  };
}

function leads(image: ImageName): { leadsTo?: RunningImage } {
  const running = runningFromName(image);
  return running ? { leadsTo: running } : {};
}
