/**
 * Cisco phones that are not a 7940/7960 (PHONE_NOT_COVERED): their boot and conversion flows
 * differ, so the 7940/7960 rules are not applied to them. Told by the DHCP vendor class
 * (option 60: `Cisco Systems, Inc. IP Phone CP-7942G`, `… IP Phone 7912`, `… Wireless Phone
 * 7921`, an ATA), by a load of another family asked for (the Java phones' `termNN…loads`,
 * `SCCPnn.…`, `jarNN…`; the 7905/7912's `CP7905…`), or by the console (the 79x1/79x2 log
 * format, a User-Agent of another model).
 */
import type { Evidence } from '../findings/finding.js';
import { imageOf } from './boots.js';
import type { PhoneRecord } from './model.js';

export interface OtherModel {
  /** As the evidence names it: `CP-7942G`, `a 79x1/79x2-family phone`. */
  readonly name: string;
  readonly evidence: Evidence;
}

/** A Cisco phone or adapter in option 60, with its model number when it gives one. */
export const CISCO_DEVICE_VENDOR = /Cisco Systems,? Inc\.?.*\b(?:IP Phone|Wireless Phone|ATA)\b|\bCisco ATA\b/i;
const MODEL_NUMBER = /\b(?:Phone|ATA)\s+(CP-?)?(\d{3,4}[A-Z]{0,2})\b/i;
const COVERED = /^79(?:40|60)G?$/i;
/** 7905/7912 (and 7902) images: `CP7905080003SCCP070409A.zup`. A CP7940… name is a 7940 image written in that scheme, so only these models count. */
const SMALL_PHONE_IMAGE = /^CP-?(79(?:02|05|12))/i;

/** The Cisco ATA 186/188's own configuration file, `ata<MAC>` (Cisco ATA 186 and 188 Administrator's Guide, "Configuring the Cisco ATA Using a TFTP Server"). */
const ATA_CONFIG = /^ata[0-9a-f]{12}(?:\.cfg)?$/i;

/** What a Cisco device of another family asks for: its load, its image or its own configuration file. */
function otherFamilyFile(file: string): string | undefined {
  const small = SMALL_PHONE_IMAGE.exec(file);
  if (small) return `a ${small[1]} (its image name)`;
  if (ATA_CONFIG.test(file)) return 'a Cisco ATA (its configuration file name)';
  return imageOf(file)?.family === 'java-phone' ? 'a phone of another family (its load name)' : undefined;
}

/** A file only a Cisco phone or adapter of another family asks for: its host is a device to name, not to ignore. */
export function isOtherFamilyFile(file: string): boolean {
  return otherFamilyFile(file) !== undefined;
}

/** The model another than 7940/7960 that the evidence shows, or undefined. */
export function otherModelOf(phone: PhoneRecord): OtherModel | undefined {
  // Option 60 as the capture holds it, else as a DHCP server logged it (dnsmasq --log-dhcp, Kea).
  const vendors = [
    ...phone.exchanges.map(({ file, exchange }) => ({
      text: exchange.vendorClass,
      evidence: { source: 'capture' as const, file, frame: exchange.frames[0]! },
    })),
    ...phone.loggedDhcp.map((x) => ({ text: x.vendorClass?.text, evidence: x.vendorClass?.evidence })),
  ];
  for (const { text, evidence: at } of vendors) {
    const vendor = text?.replace(/\0/g, '').trim();
    if (!vendor || !at || !CISCO_DEVICE_VENDOR.test(vendor)) continue;
    const m = MODEL_NUMBER.exec(vendor);
    const ata = /\bATA\b/i.test(vendor);
    const evidence: Evidence = { ...at, text: `DHCP option 60 "${vendor}"` };
    if (m && !COVERED.test(m[2]!))
      return { name: ata ? `a Cisco ATA ${m[2]}` : `${m[1] ? 'CP-' : ''}${m[2]}`, evidence };
    if (ata) return { name: 'a Cisco ATA', evidence };
  }
  for (const { file, event } of phone.console) {
    if (event.kind === 'version' && event.model && !COVERED.test(event.model)) {
      return {
        name: `CP-${event.model}`,
        evidence: { source: 'console', file, line: event.line, text: event.raw.trim() },
      };
    }
    if (event.format === '79x1-79x2') {
      return {
        name: 'a 79x1/79x2-family phone',
        evidence: {
          source: 'console',
          file,
          line: event.line,
          text: `console line in the 79x1/79x2 log format: ${event.raw.trim()}`,
        },
      };
    }
  }
  for (const r of phone.requests) {
    const name = otherFamilyFile(r.file);
    if (name)
      return { name, evidence: { ...r.evidence[0]!, text: `${r.evidence[0]!.text}; a file of another device family` } };
  }
  return undefined;
}
