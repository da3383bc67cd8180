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
    confidence: 'P',
    label: 'Cisco Unified CME System Administrator Guide, "Install and Upgrade Cisco Unified CME Software"',
    title: 'Cisco Unified CME System Administrator Guide, "Install and Upgrade Cisco Unified CME Software"',
  },
  READMES: {
    confidence: 'P',
    label: 'Cisco 7940/7960 firmware readmes',
    title: 'Readmes of SCCP 8.0(5)-8.0(10) and SIP 8.4/8.9/8.11 for the 7940/7960',
  },
  'DOC-68244': {
    confidence: 'P',
    label: 'Cisco Document ID 68244',
    title: 'Cisco doc 68244 "PhoneLoadUpgradeCCME": .bin unsigned, .sbn signed',
  },
  MATRIX: {
    confidence: 'P',
    label: 'Cisco IP Phone 7960 and 7940 Firmware Upgrade Matrix',
    title: 'Cisco IP Phone 7960 and 7940 Firmware Upgrade Matrix, first pages only',
  },
  'TN5455-TITLES': {
    confidence: 'P',
    label: 'Cisco tech note 5455, "Converting a Cisco 7940/7960 SCCP Phone to a SIP Phone and the Reverse Process"',
    title: 'Section titles of Cisco tech note 5455; the bodies were not retrievable',
  },
  'SIP-GUIDES': {
    confidence: 'P',
    label: 'Cisco SIP IP Phone Software "Maintain and Operate Guides"',
    title: 'Cisco SIP IP Phone Software "Maintain and Operate Guides" list and SIP admin guide titles',
  },
  SEED: {
    confidence: 'seed',
    label: 'Cisco tech note 5455, "Converting a Cisco 7940/7960 SCCP Phone to a SIP Phone and the Reverse Process"',
    title: 'Cisco tech note 5455 (its Chinese edition); not confirmed by another retrieved source',
  },
  'LKML-TEO': {
    confidence: 'O',
    label: 'Teo En Ming, "Guide to Configuring Asterisk/FreePBX with Cisco 7960 IP Phones" (linux-kernel list, 2020)',
    title: "Teo En Ming's Asterisk/FreePBX guide with a real 7960 on SIP 8.12",
  },
  'DE-BLOG': {
    confidence: 'O',
    label: 'blog post "Cisco IP Phone 7940 / 7960 mit FritzBox verwenden" (2016)',
    title: '"Cisco IP Phone 7940 / 7960 mit FritzBox verwenden"',
  },
  'DOES-WIKI': {
    confidence: 'O',
    label: 'DoES Liverpool wiki',
    title: 'DoES Liverpool wiki "Cisco IP Phone 7960": SIP 7.5 zip contents',
  },
  'ONIRIA-FORUM': {
    confidence: 'O',
    label: 'oniria forum post on the SIP 8.2 zip',
    title: 'oniria forum post listing the SIP 8.2 zip',
  },
  'CME-SHOW-FLASH-FORUM': {
    confidence: 'O',
    label: 'CME "show flash" of SCCP 8.0(5) in a forum post',
    title: 'CME "show flash" of SCCP 8.0(5) in a forum post',
  },
  'CISCO-COMMUNITY-SIP-TO-SCCP': {
    confidence: 'O',
    label: 'Cisco Community "How to convert phones from SIP to SCCP"',
    title:
      'Cisco Community doc "How to convert phones from SIP to SCCP": OS79XX.TXT and image_version set to P00308010200',
  },
  'CHAN-SCCP-412': {
    confidence: 'O',
    label: 'chan-sccp issue #412',
    title: 'chan-sccp/chan-sccp issue #412: "Confirmed with phone firmware P0030801SR02"',
  },
  'VOIP-INFO': {
    confidence: 'O',
    label: 'voip-info.org "Firmware issues on 7940 - 7960"',
    title: 'voip-info "Firmware issues on 7940 - 7960": loadInformation in SEP<MAC>.cnf.xml fixed a UAL loop',
  },
  'CISCO-VOIP-2005': {
    confidence: 'O',
    label: 'cisco-voip mailing list, 22 January 2005',
    title: 'cisco-voip list, 2005-01-22: SIP 2.x images limited to 8.3 file names',
  },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof SOURCES;

/** The sources' labels, as users can look them up, separated by semicolons. */
export function sourceLabels(ids: readonly SourceId[]): string {
  const labels = [...new Set(ids.map((id) => SOURCES[id].label))].join('; ');
  return ids.length && ids.every((id) => SOURCES[id].confidence === 'seed')
    ? `${labels}, alone: no other Cisco document says so`
    : labels;
}
