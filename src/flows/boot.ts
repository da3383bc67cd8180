/**
 * One boot of a 7940/7960: the files the image in flash asks for, in order, with the
 * answers of the TFTP root, and what the phone does next (seed tech note's flows; the
 * order of the real SIP 8.12 log, phone-facts 2.1):
 *
 *   SIP 7.0+      CTLSEP<MAC>.tlv, SEP<MAC>.cnf.xml, [<image>.loads [, loader, .sb2]],
 *                 SIPDefault.cnf, <tftp_cfg_dir>SIP<MAC>.cnf, [image], RINGLIST.DAT, dialplan.xml
 *   SCCP 6.0+     CTLSEP<MAC>.tlv, SEP<MAC>.cnf.xml [or XMLDefault.cnf.xml [or the SIP config hunt]], [image]
 *   loader        as SCCP 6.0+, looking for the application to fetch
 *   SIP < 7.0     OS79XX.TXT, [<line>.bin], SIPDefault.cnf, <tftp_cfg_dir>SIP<MAC>.cnf, [<image>.bin],
 *                 (5.x/6.x: gkdefault.cfg, [upgradecode image]), RINGLIST.DAT, dialplan.xml
 *   SCCP < 6.0    OS79XX.TXT, [<line>.bin], SEP<MAC>.cnf.xml [or XMLDefault.cnf.xml [or the SIP config hunt]], [<image>.bin]
 *
 * Pure: `bootRequests` yields each request and receives its answer (flow-ask.ts), so the lint
 * answers from a TFTP root and the lab's simulated phone over TFTP. Choices the sources leave
 * open are named in assumptions.ts and listed with the boot.
 */
import { tftpFilesFor } from '../../parsers/firmware/bundles.js';
import { parseImageName } from '../../parsers/firmware/image-name.js';
import { dialPlanFileName, expectedFileName, os79xxRequestedFileName } from '../../parsers/provisioning/file-names.js';
import { parseGkDefault } from '../../parsers/provisioning/gkdefault.js';
import { parseOs79xxTxt } from '../../parsers/provisioning/os79xx-txt.js';
import { parseSccpXml } from '../../parsers/provisioning/sccp-xml.js';
import { parseSipCnf } from '../../parsers/provisioning/sip-cnf.js';
import type { AssumptionId } from './assumptions.js';
import { answerFromLookup } from './flow-ask.js';
import type { FileRequest, Flow } from './flow-ask.js';
import { imageRequest } from './image-requests.js';
import { imageVersionSource, loadInformationSource, os79xxSource, upgradecodeSource } from './image-sources.js';
import type { ImageSource } from './image-sources.js';
import { generationOf, isLoaderEra, isSigned, readsGkdefault, runningFromFileName, sameImage } from './phone.js';
import type { BootGeneration, PhoneSpec, RunningImage } from './phone.js';
import type { TftpAnswer, TftpLookup } from './tftp-lookup.js';

export type RequestPurpose =
  | 'ctl'
  | 'os79xx'
  | 'sep-xml'
  | 'xml-default'
  | 'sip-default'
  | 'sip-phone'
  | 'gkdefault'
  /** An image named by a source: <name>.bin before the loader era, OS79XX.TXT's line + .bin, an upgradecode file. */
  | 'image'
  /** <name>.loads (loader era). */
  | 'loads'
  /** Parts of a .loads: the loader (.sbn/.bin) and the application (.sb2). */
  | 'loader-part'
  | 'application-part'
  | 'ringlist'
  | 'dialplan';

/** `too-large`: found, but a SIP 2.x image cannot read it (W210 buffer full). */
export type RequestAnswer = 'found' | 'not-found' | 'denied' | 'too-large';

export interface PredictedRequest extends FileRequest {
  readonly answer: RequestAnswer;
}

export type BootOutcome =
  /** The boot ends on the image in flash. */
  | 'keeps-image'
  /** A new image was fetched whole; the phone reboots into `next`. */
  | 'loads-image'
  /** The named image is not on the server: the phone keeps what it runs (the loader has nothing to run). */
  | 'image-not-found'
  /** The .loads was served, a part was not: "Protocol Application Invalid" typically. */
  | 'part-missing'
  /** The server refused an image file (access violation). */
  | 'image-denied'
  /** The SCCP/loader config hunt met an error other than File not found and stopped (CSCee31047). */
  | 'hunt-stopped'
  /** The loader found no config naming an application ("No Load Specified" / "Protocol Application Invalid"). */
  | 'no-load';

export interface Boot {
  readonly running: RunningImage;
  readonly generation: BootGeneration;
  readonly requests: readonly PredictedRequest[];
  /** Every image name read in this boot, in the order read. */
  readonly sources: readonly ImageSource[];
  /** The source acted on: it names another image than the one running, or the loader's application. */
  readonly decision?: ImageSource;
  readonly outcome: BootOutcome;
  /** The image the phone reboots into (outcome `loads-image`). */
  readonly next?: RunningImage;
  readonly assumptions: readonly AssumptionId[];
}

export interface BootOptions {
  /** SIPDefault.cnf size a SIP 2.x image cannot read (assumptions.ts W210_SIPDEFAULT_LIMIT_BYTES). */
  readonly w210LimitBytes: number;
}

type Step =
  | {
      readonly done: true;
      readonly outcome: BootOutcome;
      readonly next?: RunningImage;
      readonly decision?: ImageSource;
    }
  | { readonly done: false };
const CONTINUE: Step = { done: false };

/** What a config read gave: the source naming an image (if any) and whether the files were there at all. */
interface ConfigRead {
  readonly source?: ImageSource;
  /** 'found' when at least one file was served; 'denied' when an error other than File not found came back. */
  readonly answer: 'found' | 'not-found' | 'denied';
}

class BootRun {
  readonly requests: PredictedRequest[] = [];
  readonly sources: ImageSource[] = [];
  readonly assumptions = new Set<AssumptionId>();
  readonly generation: BootGeneration;
  private lastLoads: string | undefined;
  private cfgDir: string | undefined;
  private dialTemplate: string | undefined;

  constructor(
    readonly running: RunningImage,
    private readonly phone: PhoneSpec,
    private readonly options: BootOptions,
  ) {
    this.generation = generationOf(running);
  }

  /** Requests sent at once; their answers in the same order. */
  private *askAll(requests: readonly FileRequest[]): Flow<readonly TftpAnswer[]> {
    const answers = yield { kind: 'request', requests };
    requests.forEach((request, i) => {
      const answer = answers[i] ?? 'not-found';
      this.requests.push({ ...request, answer: typeof answer === 'string' ? answer : 'found' });
    });
    return answers;
  }

  private *ask(file: string, purpose: RequestPurpose, extra: Partial<FileRequest> = {}): Flow<TftpAnswer> {
    const [answer] = yield* this.askAll([{ file, purpose, ...extra }]);
    return answer ?? 'not-found';
  }

  private *look(file: string): Flow<TftpAnswer> {
    const [answer] = yield { kind: 'look', file };
    return answer ?? 'not-found';
  }

  private note(source: ImageSource | undefined): ImageSource | undefined {
    if (source) this.sources.push(source);
    return source;
  }

  *ctl(): Flow<void> {
    if (this.phone.mac) yield* this.ask(expectedFileName('ctl-phone', this.phone.mac), 'ctl');
  }

  *os79xx(): Flow<ConfigRead> {
    const name = expectedFileName('os79xx');
    const answer = yield* this.ask(name, 'os79xx');
    if (typeof answer === 'string') return { answer };
    return { answer: 'found', source: this.note(os79xxSource(parseOs79xxTxt(answer.read(), name))) };
  }

  /** SEP<MAC>.cnf.xml, then XMLDefault.cnf.xml when the SEP file is not found. */
  *sccpConfig(): Flow<ConfigRead> {
    if (this.phone.mac) {
      const sep = yield* this.xmlConfig(expectedFileName('sep-xml', this.phone.mac), 'sep-xml');
      if (sep.answer !== 'not-found') return sep;
      this.assumptions.add('XMLDEFAULT_WHEN_SEP_MISSING');
    }
    return yield* this.xmlConfig(expectedFileName('xml-default'), 'xml-default');
  }

  private *xmlConfig(name: string, purpose: 'sep-xml' | 'xml-default'): Flow<ConfigRead> {
    const answer = yield* this.ask(name, purpose);
    if (typeof answer === 'string') return { answer };
    return {
      answer: 'found',
      source: this.note(loadInformationSource(parseSccpXml(answer.read(), name), this.phone.model)),
    };
  }

  /** SIPDefault.cnf then <tftp_cfg_dir>SIP<MAC>.cnf; the per-phone image_version wins. */
  *sipConfig(): Flow<ConfigRead> {
    const defaultName = expectedFileName('sip-default');
    const answer = yield* this.ask(defaultName, 'sip-default');
    let found = typeof answer !== 'string';
    let denied = answer === 'denied';
    let source: ImageSource | undefined;
    if (typeof answer !== 'string') {
      if (
        this.running.protocol === 'SIP' &&
        this.running.version.major === 2 &&
        answer.size > this.options.w210LimitBytes
      ) {
        this.assumptions.add('W210_LIMIT');
        this.requests[this.requests.length - 1] = { file: defaultName, purpose: 'sip-default', answer: 'too-large' };
      } else {
        const parsed = parseSipCnf(answer.read(), defaultName);
        this.cfgDir = parsed.tftpCfgDir?.value;
        this.dialTemplate = parsed.effective.get('dial_template')?.value;
        source = this.note(imageVersionSource(parsed));
      }
    }
    if (this.phone.mac) {
      const phoneName = expectedFileName('sip-phone', this.phone.mac, this.cfgDir);
      const own = yield* this.ask(phoneName, 'sip-phone');
      found ||= typeof own !== 'string';
      denied ||= own === 'denied';
      if (typeof own !== 'string') {
        const parsed = parseSipCnf(own.read(), phoneName);
        this.dialTemplate = parsed.effective.get('dial_template')?.value ?? this.dialTemplate;
        const ownSource = this.note(imageVersionSource(parsed));
        if (ownSource) {
          if (source) this.assumptions.add('PER_PHONE_IMAGE_VERSION_WINS');
          source = ownSource;
        }
      }
    }
    return { answer: found ? 'found' : denied ? 'denied' : 'not-found', ...(source ? { source } : {}) };
  }

  *gkdefault(): Flow<ConfigRead> {
    this.assumptions.add('GKDEFAULT_AFTER_SIP_CONFIG');
    const name = expectedFileName('gkdefault-cfg');
    const answer = yield* this.ask(name, 'gkdefault');
    if (typeof answer === 'string') return { answer };
    // cfgfmt's binary output cannot be read: its source gkdefault.txt, beside it, stands for it.
    const sourceName = expectedFileName('gkdefault-txt');
    const text = yield* this.look(sourceName);
    if (typeof text !== 'string') this.assumptions.add('GKDEFAULT_CFG_FROM_TXT');
    const parsed =
      typeof text === 'string' ? parseGkDefault(answer.read(), name) : parseGkDefault(text.read(), sourceName);
    return { answer: 'found', source: this.note(upgradecodeSource(parsed)) };
  }

  *ringAndDialPlan(): Flow<void> {
    if (this.generation !== 'sip-loader-era') this.assumptions.add('RINGLIST_DIALPLAN_ON_EVERY_SIP_IMAGE');
    yield* this.askAll([
      { file: expectedFileName('ringlist'), purpose: 'ringlist' },
      {
        file: this.dialTemplate ? dialPlanFileName(this.dialTemplate) : expectedFileName('dialplan'),
        purpose: 'dialplan',
      },
    ]);
  }

  /**
   * Acts on a source naming an image: fetch it when it differs from flash
   * (and .loads on every boot in the loader era).
   */
  *act(source: ImageSource | undefined): Flow<Step> {
    if (!source) return CONTINUE;
    const differs = !source.leadsTo || !sameImage(source.leadsTo, this.running);
    return isLoaderEra(this.generation)
      ? yield* this.actWithLoads(source, differs)
      : yield* this.actPreLoader(source, differs);
  }

  private *actPreLoader(source: ImageSource, differs: boolean): Flow<Step> {
    if (!differs) return CONTINUE;
    let file: string;
    if (source.place === 'os79xx') {
      if (isSigned(this.running)) this.assumptions.add('OS79XX_NAME_FETCHED_AS_BIN');
      file = os79xxRequestedFileName(source.written);
    } else if (source.place === 'upgradecode') {
      file = source.written;
    } else {
      this.assumptions.add('PRE_LOADER_FETCHES_BIN');
      file = imageRequest(source.written, false);
    }
    const answer = yield* this.ask(file, 'image', { namedBy: source });
    if (answer === 'not-found') return { done: true, outcome: 'image-not-found', decision: source };
    if (answer === 'denied') return { done: true, outcome: 'image-denied', decision: source };
    const next = runningFromFileName(file) ?? source.leadsTo;
    return { done: true, outcome: 'loads-image', ...(next ? { next } : {}), decision: source };
  }

  private *actWithLoads(source: ImageSource, differs: boolean): Flow<Step> {
    this.assumptions.add('LOADS_FETCHED_EVERY_BOOT');
    const loads = imageRequest(source.written, true);
    if (loads === this.lastLoads) return CONTINUE;
    this.lastLoads = loads;
    const answer = yield* this.ask(loads, 'loads', { namedBy: source });
    if (!differs) return CONTINUE;
    if (answer === 'not-found') return { done: true, outcome: 'image-not-found', decision: source };
    if (answer === 'denied') return { done: true, outcome: 'image-denied', decision: source };
    const target = source.leadsTo;
    if (!target || target.protocol === 'loader') return { done: true, outcome: 'image-not-found', decision: source };

    this.assumptions.add('LOADS_PARTS_FROM_ZIP');
    this.assumptions.add('LOADER_FILE_BY_SIGNING');
    const zip = tftpFilesFor(
      { protocol: target.protocol, version: target.version },
      source.image.scheme === 'sccp-8.3' ? source.image.baseName : undefined,
    );
    const loaders = zip.files.filter((f) => f.role === 'loader');
    const loader = loaders.find((f) => parseImageName(f.name).signed === isSigned(this.running)) ?? loaders[0];
    const parts = [
      ...(loader && !(this.running.protocol === 'loader' && loader.name.startsWith(`${this.running.image}.`))
        ? [{ file: loader.name, purpose: 'loader-part' as const }]
        : []),
      ...zip.files
        .filter((f) => f.name.endsWith('.sb2'))
        .map((f) => ({ file: f.name, purpose: 'application-part' as const })),
    ];
    for (const part of parts) {
      const got = yield* this.ask(part.file, part.purpose, { namedBy: source, partOf: loads });
      if (got === 'not-found') return { done: true, outcome: 'part-missing', decision: source };
      if (got === 'denied') return { done: true, outcome: 'image-denied', decision: source };
    }
    return { done: true, outcome: 'loads-image', next: target, decision: source };
  }
}

/** Predicts one boot of `running` against the TFTP root. */
export function predictOneBoot(
  running: RunningImage,
  phone: PhoneSpec,
  lookup: TftpLookup,
  options: BootOptions,
): Boot {
  return answerFromLookup(bootRequests(running, phone, options), lookup);
}

/** One boot of `running`: yields each request, receives its answer, returns the boot. */
export function* bootRequests(running: RunningImage, phone: PhoneSpec, options: BootOptions): Flow<Boot> {
  const run = new BootRun(running, phone, options);
  const finish = (step: Step | undefined, fallback: BootOutcome): Boot => ({
    running,
    generation: run.generation,
    requests: run.requests,
    sources: run.sources,
    ...(step?.done && step.decision ? { decision: step.decision } : {}),
    outcome: step?.done ? step.outcome : fallback,
    ...(step?.done && step.next ? { next: step.next } : {}),
    assumptions: [...run.assumptions],
  });
  const stop = (step: Step): step is Step & { done: true } => step.done;

  switch (run.generation) {
    case 'sip-loader-era': {
      run.assumptions.add('CONFIG_FILES_WIN_IN_LOADER_ERA');
      yield* run.ctl();
      let step = yield* run.act((yield* run.sccpConfig()).source);
      if (stop(step)) return finish(step, 'keeps-image');
      step = yield* run.act((yield* run.sipConfig()).source);
      if (stop(step)) return finish(step, 'keeps-image');
      yield* run.ringAndDialPlan();
      return finish(undefined, 'keeps-image');
    }
    case 'sccp-loader-era':
    case 'loader': {
      run.assumptions.add('CONFIG_FILES_WIN_IN_LOADER_ERA');
      yield* run.ctl();
      const decided = yield* huntConfig(run);
      if (decided.stopped) return finish(undefined, 'hunt-stopped');
      const step = yield* run.act(decided.source);
      if (stop(step)) return finish(step, 'keeps-image');
      return finish(undefined, run.generation === 'loader' ? 'no-load' : 'keeps-image');
    }
    case 'sip-pre-loader': {
      run.assumptions.add('OS79XX_FIRST_BEFORE_LOADER_ERA');
      let step = yield* run.act((yield* run.os79xx()).source);
      if (stop(step)) return finish(step, 'keeps-image');
      step = yield* run.act((yield* run.sipConfig()).source);
      if (stop(step)) return finish(step, 'keeps-image');
      if (readsGkdefault(running)) {
        step = yield* run.act((yield* run.gkdefault()).source);
        if (stop(step)) return finish(step, 'keeps-image');
      }
      yield* run.ringAndDialPlan();
      return finish(undefined, 'keeps-image');
    }
    case 'sccp-pre-loader': {
      run.assumptions.add('OS79XX_FIRST_BEFORE_LOADER_ERA');
      const step = yield* run.act((yield* run.os79xx()).source);
      if (stop(step)) return finish(step, 'keeps-image');
      const decided = yield* huntConfig(run);
      if (decided.stopped) return finish(undefined, 'hunt-stopped');
      return finish(yield* run.act(decided.source), 'keeps-image');
    }
  }
}

/** SCCP config; without it, the SIP config — only after File not found (CSCee31047). */
function* huntConfig(run: BootRun): Flow<{ source?: ImageSource; stopped: boolean }> {
  const sccp = yield* run.sccpConfig();
  if (sccp.answer === 'denied') return { stopped: true };
  if (sccp.answer === 'found') return { stopped: false, ...(sccp.source ? { source: sccp.source } : {}) };
  run.assumptions.add('HUNT_SIP_CONFIG_WITHOUT_SCCP_CONFIG');
  const sip = yield* run.sipConfig();
  return { stopped: false, ...(sip.source ? { source: sip.source } : {}) };
}
