/**
 * A phone's requests cut into boots, and what it ran in each: declared (the console's version
 * string or SIP User-Agent, or the recording header), fetched whole in the boot before, or
 * read from the order of its requests with the boot-flow model's knowledge (src/flows): a
 * loader-era image asks for CTLSEP<MAC>.tlv first, an older one for OS79XX.TXT; a loader-era
 * image fetches <its own image>.loads on every boot and its parts only when it differs.
 */
import { parseImageName } from '../../parsers/firmware/image-name.js';
import type { ImageName } from '../../parsers/firmware/image-name.js';
import { parseProtocolVersion } from '../../parsers/firmware/version.js';
import { classifyFileName } from '../../parsers/provisioning/file-names.js';
import type { ProvisioningFileKind } from '../../parsers/provisioning/file-names.js';
import { timestampSeconds } from '../../parsers/capture/frame.js';
import type { Evidence } from '../findings/finding.js';
import { runningFromFileName, runningFromName, runningRelease, sameImage } from '../flows/phone.js';
import type { RunningImage } from '../flows/phone.js';
import type { PhoneRecord, PhoneRequest } from './model.js';

/** The first file of a boot: the CTL file (loader era) or OS79XX.TXT (before it) (phone-facts 2.1; seed flows). */
const BOOT_START_KINDS: ReadonlySet<ProvisioningFileKind> = new Set(['ctl-phone', 'os79xx']);
const SIP_CONFIG: ReadonlySet<ProvisioningFileKind> = new Set(['sip-default', 'sip-phone']);
const SCCP_CONFIG: ReadonlySet<ProvisioningFileKind> = new Set(['sep-xml', 'xml-default']);

export type Era = 'loader-era' | 'pre-loader';

export interface RunningKnowledge {
  readonly image?: RunningImage;
  readonly protocol?: 'SIP' | 'SCCP';
  readonly era?: Era;
  /** How it is known, one phrase; `likely` when it rests on undocumented behaviour. */
  readonly how: string;
  readonly likely: boolean;
  readonly evidence: readonly Evidence[];
}

export interface BootRecord {
  readonly index: number;
  readonly requests: readonly PhoneRequest[];
  readonly start?: number;
  readonly running: RunningKnowledge;
  /** The application image fetched whole in this boot (the phone reboots into it if it accepts it). */
  readonly fetched?: { readonly image: RunningImage; readonly request: PhoneRequest };
}

export function kindOf(file: string): ProvisioningFileKind {
  return classifyFileName(file).kind;
}

export function isSipConfig(file: string): boolean {
  return SIP_CONFIG.has(kindOf(file));
}

export function isSccpConfig(file: string): boolean {
  return SCCP_CONFIG.has(kindOf(file));
}

/**
 * Image files: the application (.sb2, .bin, .sbn, upgradecode .sbin), the .loads and the
 * loader. Names a misspelt OS79XX.TXT or image_version makes the phone ask for are read as
 * the image they meant, with the problem (parseImageName repairs blanks or a CR inside, an
 * extension left in the name, the letter O, all at once).
 */
export function imageOf(file: string): ImageName | undefined {
  const c = classifyFileName(file);
  return c.kind === 'image' ? c.image : undefined;
}

/** A file the phone writes to flash and boots: the application, or the Universal Application Loader. */
function isFlashedFile(file: string): boolean {
  const image = imageOf(file);
  return (
    image !== undefined && (image.role === 'application' || image.role === 'loader') && image.extension !== undefined
  );
}

export function splitBoots(phone: PhoneRecord): PhoneRequest[][] {
  const dhcpStarts = phone.exchanges.map(({ exchange }) => timestampSeconds(exchange.firstTime)).sort((a, b) => a - b);
  const boots: PhoneRequest[][] = [];
  let current: PhoneRequest[] = [];
  let nextDhcp = 0;
  for (const r of phone.requests) {
    let newBoot = false;
    while (r.time !== undefined && nextDhcp < dhcpStarts.length && dhcpStarts[nextDhcp]! <= r.time) {
      if (current.length) newBoot = true;
      nextDhcp++;
    }
    if (BOOT_START_KINDS.has(kindOf(r.file)) && current.some((q) => !BOOT_START_KINDS.has(kindOf(q.file))))
      newBoot = true;
    if (newBoot && current.length) {
      boots.push(current);
      current = [];
    }
    current.push(r);
  }
  if (current.length) boots.push(current);
  return boots;
}

/**
 * When each boot began, seconds on the reference clock: the phone's DHCP exchange after the
 * previous boot's last request that led to it, else the boot's first request (the CTL file or
 * OS79XX.TXT of a boot seen without its DHCP).
 */
export function bootStartTimes(phone: PhoneRecord, boots: readonly BootRecord[]): number[] {
  const dhcpStarts = phone.exchanges.map(({ exchange }) => timestampSeconds(exchange.firstTime)).sort((a, b) => a - b);
  const starts: number[] = [];
  let previousEnd = -Infinity;
  for (const boot of boots) {
    if (boot.start === undefined) continue;
    const first = boot.start;
    starts.push(dhcpStarts.find((t) => t > previousEnd && t <= first) ?? first);
    previousEnd = Math.max(first, ...boot.requests.map((r) => r.time ?? first));
  }
  return starts;
}

/** The image the console says the phone runs: a version line or a SIP User-Agent, else the recording header. */
function declared(phone: PhoneRecord): RunningKnowledge | undefined {
  for (const { file, event } of phone.console) {
    if (event.kind !== 'version' || !event.protocol) continue;
    const release = parseProtocolVersion(`${event.protocol} ${event.version}`);
    if (release) {
      const image = runningRelease(release);
      return {
        image,
        protocol: image.protocol === 'SCCP' ? 'SCCP' : 'SIP',
        how: `the console shows ${event.protocol} ${event.version}`,
        likely: false,
        evidence: [{ source: 'console', file, line: event.line, text: event.raw.trim() }],
      };
    }
  }
  if (phone.declaredImage) {
    const image = runningFromName(parseImageName(phone.declaredImage.name.trim(), { context: 'image_version' }));
    if (image && image.protocol !== 'loader') {
      return {
        image,
        protocol: image.protocol,
        how: "the console recording's header names it",
        likely: false,
        evidence: [phone.declaredImage.evidence],
      };
    }
  }
  return undefined;
}

/**
 * What a boot's own requests say about the image that made them. `cut`: the evidence ends
 * after these requests (a damaged input), so a request that might have followed is unknown.
 */
function fromRequests(requests: readonly PhoneRequest[], cut = false): RunningKnowledge {
  const first = requests[0];
  const kinds = requests.map((r) => kindOf(r.file));
  const era: Era | undefined =
    first === undefined
      ? undefined
      : kindOf(first.file) === 'ctl-phone'
        ? 'loader-era'
        : kindOf(first.file) === 'os79xx'
          ? 'pre-loader'
          : undefined;
  // A .loads fetched and then no part of it: the image named is the one in flash (LOADS_FETCHED_EVERY_BOOT).
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i]!;
    const image = imageOf(r.file);
    if (r.answer !== 'found' || image?.extension !== '.loads') continue;
    const next = requests[i + 1];
    const partFollows =
      next !== undefined && imageOf(next.file) !== undefined && imageOf(next.file)!.extension !== '.loads';
    if (next === undefined && cut) continue;
    const running = runningFromFileName(r.file);
    if (!partFollows && running && running.protocol !== 'loader') {
      return {
        image: running,
        protocol: running.protocol,
        era: 'loader-era',
        how: `it fetched ${r.file} and none of its parts: the image named is the one in flash`,
        likely: true,
        evidence: [r.evidence[0]!],
      };
    }
  }
  let protocol: 'SIP' | 'SCCP' | undefined;
  if (era === 'pre-loader') {
    const nextConfig = kinds.slice(1).find((k) => SIP_CONFIG.has(k) || SCCP_CONFIG.has(k));
    protocol = nextConfig === undefined ? undefined : SIP_CONFIG.has(nextConfig) ? 'SIP' : 'SCCP';
  } else if (era === 'loader-era') {
    // SEP<MAC>.cnf.xml was served and the phone still asked for SIPDefault.cnf: a SIP image (an SCCP one stops at its config).
    const sepServed = requests.findIndex((r) => isSccpConfig(r.file) && r.answer === 'found');
    if (sepServed >= 0 && requests.slice(sepServed + 1).some((r) => isSipConfig(r.file))) protocol = 'SIP';
  }
  // Only a boot seen from its start (CTL file or OS79XX.TXT first) shows what was asked before any image.
  const sipConfig = protocol || !era ? undefined : sipConfigBeforeImage(requests);
  if (sipConfig) {
    return {
      protocol: 'SIP',
      ...(era ? { era } : {}),
      how: `it asked for ${visibleFile(sipConfig.file)} before any image, with its SCCP configuration not missing: a SIP image's configuration file`,
      likely: true,
      evidence: [sipConfig.evidence[0]!],
    };
  }
  const how =
    era === undefined
      ? 'not known'
      : `it asked for ${first!.file} first (${era === 'loader-era' ? 'SCCP 6.x and later, SIP 7.x and later' : 'images before the Universal Application Loader'})`;
  return {
    ...(protocol ? { protocol } : {}),
    ...(era ? { era } : {}),
    how,
    likely: true,
    evidence: first ? [first.evidence[0]!] : [],
  };
}

/**
 * A SIP configuration file (SIPDefault.cnf, SIP<MAC>.cnf) asked for before any image: only a
 * SIP image reads them, except an SCCP image hunting for a configuration when its own is
 * missing (HUNT_SIP_CONFIG_WITHOUT_SCCP_CONFIG), so not after an SCCP configuration was not found.
 */
function sipConfigBeforeImage(requests: readonly PhoneRequest[]): PhoneRequest | undefined {
  for (const r of requests) {
    if (imageOf(r.file)) return undefined;
    if (isSccpConfig(r.file) && r.answer !== 'found') return undefined;
    if (isSipConfig(r.file)) return r;
  }
  return undefined;
}

function visibleFile(file: string): string {
  return file.replace(/\r/g, '\\r');
}

/**
 * The image this boot fetched whole, when it did: the last application or loader served. A
 * loader fetched only as a part of a .loads (before the application) is not what the phone boots.
 */
function fetchedIn(requests: readonly PhoneRequest[]): BootRecord['fetched'] {
  for (let i = requests.length - 1; i >= 0; i--) {
    const r = requests[i]!;
    if (r.answer !== 'found' || !isFlashedFile(r.file)) continue;
    const partOfLoads =
      imageOf(r.file)!.role === 'loader' && requests.slice(0, i).some((q) => imageOf(q.file)?.extension === '.loads');
    if (partOfLoads) return undefined;
    const image = runningFromFileName(r.file);
    if (image) return { image, request: r };
  }
  return undefined;
}

/** `cut`: a damaged input ends the evidence, so what the last boot did after its last request is unknown. */
export function bootsOf(phone: PhoneRecord, cut = false): BootRecord[] {
  const groups = splitBoots(phone);
  const stated = declared(phone);
  const boots: BootRecord[] = [];
  groups.forEach((requests, index) => {
    const previous = boots[index - 1];
    let running: RunningKnowledge;
    const own = fromRequests(requests, cut && index === groups.length - 1);
    if (index === 0) running = stated ?? own;
    else if (previous?.fetched) {
      const image = previous.fetched.image;
      running = {
        image,
        ...(image.protocol !== 'loader' ? { protocol: image.protocol } : {}),
        ...(own.era ? { era: own.era } : {}),
        how: `it fetched ${previous.fetched.request.file} in the boot before`,
        likely: false,
        evidence: [previous.fetched.request.evidence[0]!],
      };
    } else running = previous?.running.image ? previous.running : own;
    const fetched = fetchedIn(requests);
    const start = requests.find((r) => r.time !== undefined)?.time;
    boots.push({
      index,
      requests,
      ...(start !== undefined ? { start } : {}),
      running,
      ...(fetched ? { fetched } : {}),
    });
  });
  if (boots.length === 0 && stated) boots.push({ index: 0, requests: [], running: stated });
  return boots;
}

/** The phone booted again and did not fetch the same application again: it took what `boot` fetched. */
export function accepted(boots: readonly BootRecord[], boot: BootRecord): boolean {
  const next = boots[boot.index + 1];
  return (
    boot.fetched !== undefined &&
    next !== undefined &&
    !(next.fetched && sameImage(next.fetched.image, boot.fetched.image))
  );
}
