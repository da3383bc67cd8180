/**
 * The one dispatch from a provisioning file's kind (file-names.ts) to the parser that reads it,
 * shared by `lint` (every file of a TFTP root) and `analyze` (the files a phone received).
 */
import type { ProvisioningFileKind } from './file-names.js';
import { parseGkDefault } from './gkdefault.js';
import type { GkDefault } from './gkdefault.js';
import { parseOs79xxTxt } from './os79xx-txt.js';
import type { Os79xxTxt } from './os79xx-txt.js';
import type { ProvisioningText } from './text-lines.js';
import { parseSccpXml } from './sccp-xml.js';
import type { SccpXmlConfig } from './sccp-xml.js';
import { parseSipCnf } from './sip-cnf.js';
import type { SipCnf } from './sip-cnf.js';

export type ParsedProvisioningFile =
  | { readonly format: 'os79xx'; readonly parsed: Os79xxTxt }
  | { readonly format: 'sip-cnf'; readonly parsed: SipCnf }
  | { readonly format: 'sccp-xml'; readonly parsed: SccpXmlConfig }
  | { readonly format: 'gkdefault'; readonly parsed: GkDefault };

/**
 * The file parsed by its kind's parser; undefined for kinds no provisioning parser reads
 * (images, rings, others), whose content is then never asked for.
 */
export function parseProvisioningFile(
  kind: ProvisioningFileKind,
  name: string,
  content: () => ProvisioningText,
): ParsedProvisioningFile | undefined {
  switch (kind) {
    case 'os79xx':
      return { format: 'os79xx', parsed: parseOs79xxTxt(content(), name) };
    case 'sip-default':
    case 'sip-phone':
      return { format: 'sip-cnf', parsed: parseSipCnf(content(), name) };
    case 'sep-xml':
    case 'xml-default':
      return { format: 'sccp-xml', parsed: parseSccpXml(content(), name) };
    case 'gkdefault-txt':
    case 'gkdefault-cfg':
      return { format: 'gkdefault', parsed: parseGkDefault(content(), name) };
    default:
      return undefined;
  }
}
