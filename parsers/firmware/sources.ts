/**
 * Where the firmware and upgrade knowledge comes from, with the confidence tags of
 * ../shared/phone-facts.md: P primary (Cisco), O observed (a real user's files or logs),
 * seed = only the Cisco tech note in ../shared/seed/ (Chinese), not confirmed elsewhere.
 * Inferences ([I]) are marked on the rule or table row that makes them, not here.
 */
export type Confidence = 'P' | 'O' | 'seed';

export interface Source {
  readonly confidence: Confidence;
  /** Short name used in output and tables. */
  readonly label: string;
  readonly title: string;
}

export const SOURCES = {
  'CME-INSTL': {
    confidence: 'P', label: 'CME-INSTL',
    title: 'Cisco Unified CME System Administrator Guide, "Install and Upgrade Cisco Unified CME Software" (phone-facts 4.1, 4.3)',
  },
  READMES: {
    confidence: 'P', label: 'Cisco firmware readmes',
    title: 'Readmes of SCCP 8.0(5)-8.0(10) and SIP 8.4/8.9/8.11 for the 7940/7960 (phone-facts 2.4, 4.1)',
  },
  'DOC-68244': {
    confidence: 'P', label: 'Cisco doc 68244',
    title: 'Cisco doc 68244 "PhoneLoadUpgradeCCME": .bin unsigned, .sbn signed (phone-facts 4.1)',
  },
  MATRIX: {
    confidence: 'P', label: 'Firmware Upgrade Matrix',
    title: 'Cisco IP Phone 7960 and 7940 Firmware Upgrade Matrix, first pages only (phone-facts 4.1)',
  },
  'TN5455-TITLES': {
    confidence: 'P', label: 'TN5455 section titles',
    title: 'Section titles of Cisco tech note 5455; the bodies were not retrievable (phone-facts 2.2)',
  },
  'SIP-GUIDES': {
    confidence: 'P', label: 'Cisco SIP guide list',
    title: 'Cisco SIP IP Phone Software "Maintain and Operate Guides" list and SIP admin guide titles (phone-facts 4.2, 7.2)',
  },
  SEED: {
    confidence: 'seed', label: 'seed tech note only',
    title: 'The Cisco 7940/7960 SCCP/SIP conversion tech note in shared/seed (Chinese); not confirmed by another retrieved source',
  },
  'LKML-TEO': {
    confidence: 'O', label: 'LKML-TEO',
    title: 'Teo En Ming\'s Asterisk/FreePBX guide with a real 7960 on SIP 8.12 (phone-facts 2.1, 4.1, 5.3)',
  },
  'DE-BLOG': {
    confidence: 'O', label: 'DE-BLOG',
    title: '"Cisco IP Phone 7940 / 7960 mit FritzBox verwenden" (phone-facts 4.1, 5.2)',
  },
  'DOES-WIKI': {
    confidence: 'O', label: 'DoES Liverpool wiki',
    title: 'DoES Liverpool wiki "Cisco IP Phone 7960": SIP 7.5 zip contents (phone-facts 4.1)',
  },
  'ONIRIA-FORUM': {
    confidence: 'O', label: 'oniria forum',
    title: 'oniria forum post listing the SIP 8.2 zip (phone-facts 4.1)',
  },
  'CME-SHOW-FLASH-FORUM': {
    confidence: 'O', label: 'forum show flash',
    title: 'CME "show flash" of SCCP 8.0(5) in a forum post (phone-facts 4.1)',
  },
  'CISCO-COMMUNITY-SIP-TO-SCCP': {
    confidence: 'O', label: 'Cisco Community "How to convert phones from SIP to SCCP"',
    title: 'Cisco Community doc "How to convert phones from SIP to SCCP": OS79XX.TXT and image_version set to P00308010200 (phone-facts 4.1, 5.1, 5.2)',
  },
  'CHAN-SCCP-412': {
    confidence: 'O', label: 'chan-sccp issue #412',
    title: 'chan-sccp/chan-sccp issue #412: "Confirmed with phone firmware P0030801SR02" (phone-facts 4.1)',
  },
  'VOIP-INFO': {
    confidence: 'O', label: 'voip-info',
    title: 'voip-info "Firmware issues on 7940 - 7960": loadInformation in SEP<MAC>.cnf.xml fixed a UAL loop (phone-facts 2.2)',
  },
  'CISCO-VOIP-2005': {
    confidence: 'O', label: 'cisco-voip list 2005',
    title: 'cisco-voip list, 2005-01-22: SIP 2.x images limited to 8.3 file names (phone-facts 4.3)',
  },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof SOURCES;

/** `CME-INSTL; seed tech note only` */
export function sourceLabels(ids: readonly SourceId[]): string {
  return ids.map((id) => SOURCES[id].label).join('; ');
}
