/**
 * A simulated 7940/7960 booting, run inside a lab namespace (`main.ts`): DHCP as a client,
 * the TFTP server taken from the answer (or the Alternate TFTP address), then the boots of the
 * product's boot-flow model (src/flows, `bootFlow`): each file the model asks for is fetched
 * over real UDP, and the model decides from what actually arrived (with the phone-knowledge
 * parsers) what to ask next, whether to flash and reboot, or which error to show. The texts the
 * phone shows are mapped here from what the model decided. Given `retry`, a phone whose boots
 * end in an error reboots and does it all again, as a real one does.
 */
import { execFileSync } from 'node:child_process';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseImageName } from '../../../parsers/firmware/image-name.js';
import { parseMac } from '../../../parsers/provisioning/file-names.js';
import { parseOs79xxTxt } from '../../../parsers/provisioning/os79xx-txt.js';
import type { RequestAnswer } from '../../../src/flows/boot.js';
import { answerFromLookup } from '../../../src/flows/flow-ask.js';
import type { FileRequest } from '../../../src/flows/flow-ask.js';
import { runningFromName } from '../../../src/flows/phone.js';
import type { PhoneSpec as FlowPhone, RunningImage } from '../../../src/flows/phone.js';
import { bootFlow } from '../../../src/flows/predict.js';
import type { BootFlowRun, PredictOptions } from '../../../src/flows/predict.js';
import type { TftpAnswer } from '../../../src/flows/tftp-lookup.js';
import { CONSOLE_TEXT, PhoneConsole, type ConsoleText } from './console.js';
import { dhcpBind, vendorClassOf, type TftpHints } from './dhcp-client.js';
import { macFileForm, type PhoneReport, type PhoneSpec } from './spec.js';
import { tftpGet, type TftpResult } from './tftp-client.js';

/** RFC 1350 error code 1. Any other error is what the model calls denied (an error other than File not found). */
const FILE_NOT_FOUND = 1;
/**
 * Facts 2.1: about 24 s pass between the .loads of the image in flash and SIPDefault.cnf (the
 * phone checks the image); shortened here, as the lab only needs the gap to show.
 */
const IMAGE_CHECK_PAUSE_MS = 1000;

function tftpServerOf(spec: PhoneSpec, hints: TftpHints): { server: string; from: string } | undefined {
  if (spec.alternateTftp) return { server: spec.alternateTftp, from: 'alternate-tftp' };
  for (const field of spec.tftpFrom ?? ['150', '66', 'siaddr']) {
    if (field === '150' && hints.option150?.[0]) return { server: hints.option150[0], from: 'option 150' };
    // Option 66 may hold a host name; the lab has no DNS, so only an address is usable.
    if (field === '66' && hints.option66 && isIP(hints.option66) === 4)
      return { server: hints.option66, from: 'option 66' };
    if (field === 'siaddr' && hints.siaddr) return { server: hints.siaddr, from: 'siaddr' };
  }
  return undefined;
}

/** What lasts from one attempt to the next: the flash, the remembered lease, and what was asked so far. */
interface PhoneState {
  readonly requests: { file: string; outcome: string; bytes?: number }[];
  /** The image in flash, as the spec or the reboot names it, and as the boot-flow model runs it. */
  image: string;
  running: RunningImage;
  boots: number;
  /** The address to ask for again in INIT-REBOOT. */
  remembered?: string;
}

/** How one attempt ended; `shown` is the error on the console, after which a phone given `retry` starts over. */
interface AttemptEnd {
  readonly fields: Partial<PhoneReport>;
  readonly shown?: ConsoleText;
}

export async function runPhone(
  spec: PhoneSpec,
  options: { interface: string; consoleFile?: string },
): Promise<PhoneReport> {
  const console = new PhoneConsole(
    options.consoleFile,
    { model: `CP-${spec.model}G`, mac: macFileForm(spec.mac), image: spec.image },
    (spec.consoleClockOffsetSeconds ?? 0) * 1000,
    spec.consoleStyle,
  );
  const state: PhoneState = {
    requests: [],
    image: spec.image,
    running: startImage(spec.image),
    boots: 0,
    ...(spec.previousAddress ? { remembered: spec.previousAddress } : {}),
  };
  let attempts = 0;
  let end: AttemptEnd;
  for (;;) {
    attempts++;
    end = await attempt(spec, options.interface, console, state);
    if (end.shown === undefined || attempts > (spec.retry?.times ?? 0)) break;
    await sleep(spec.retry?.pauseMs ?? 0);
  }
  const { requests, image, boots } = state;
  return { name: spec.name, requests, image, boots, ...(spec.retry ? { attempts } : {}), ...end.fields };
}

/** One power-up: DHCP from no address, then the boot-flow model's boots until they end. */
async function attempt(spec: PhoneSpec, iface: string, console: PhoneConsole, state: PhoneState): Promise<AttemptEnd> {
  const stop = (text: ConsoleText, fields: Partial<PhoneReport> = {}): AttemptEnd => {
    console.show(text);
    return { fields: { ...fields, stoppedWith: text }, shown: text };
  };
  // A rebooted phone starts with no address: the one of the attempt before is removed.
  execFileSync('ip', ['-4', 'addr', 'flush', 'dev', iface]);
  // Without an address the namespace has no route at all; a link route to the limited
  // broadcast address lets the UDP socket send from 0.0.0.0 like a booting phone.
  execFileSync('ip', ['route', 'replace', '255.255.255.255/32', 'dev', iface]);
  console.show(CONSOLE_TEXT.dhcpInit);
  const dhcp = await dhcpBind({
    mac: spec.mac,
    vendorClass: vendorClassOf(spec.model),
    ...(spec.dhcpRetrySeconds ? { retrySeconds: spec.dhcpRetrySeconds } : {}),
    ...(state.remembered ? { previousAddress: state.remembered } : {}),
    onStep: (step) => {
      if (step === 'request') console.show(CONSOLE_TEXT.dhcpRequesting);
      if (step === 'nak') console.show(CONSOLE_TEXT.dhcpInit); // back to INIT (RFC 2131 3.2)
    },
  });
  if (dhcp.kind !== 'bound') return stop(CONSOLE_TEXT.dhcpTimeout);
  const { lease } = dhcp;
  state.remembered = lease.address;
  const prefix = lease.netmask.split('.').reduce((n, o) => n + Number(o).toString(2).replace(/0/g, '').length, 0);
  execFileSync('ip', ['addr', 'add', `${lease.address}/${prefix}`, 'dev', iface]);
  console.show(CONSOLE_TEXT.dhcpBound);
  const tftp = tftpServerOf(spec, lease.tftp);
  if (!tftp) {
    // No TFTP server: nothing to ask, the phone keeps what is in flash (phone-facts 7.3).
    return { fields: { address: lease.address, stoppedWith: 'no TFTP server' } };
  }

  const start = state.running;
  const phone: FlowPhone = { mac: parseMac(spec.mac)!, model: spec.model };
  const buffer = spec.w210BufferBytes !== undefined ? { w210LimitBytes: spec.w210BufferBytes } : {};
  const flow = bootFlow(phone, start, buffer);
  /** What the server answered, by the name the phone sent: the model's reading of it is replayed from here. */
  const served = new Map<string, TftpAnswer>();
  /** Requests made in this attempt so far: where the model's replay of this attempt is up to. */
  let asked = 0;
  const fetch = (request: FileRequest): Promise<TftpResult> =>
    tftpGet({
      server: tftp.server,
      file: request.file,
      localAddress: lease.address,
      ...(spec.tftpTimeoutMs ? { timeoutMs: spec.tftpTimeoutMs } : {}),
      ...(spec.tftpRetries !== undefined ? { retries: spec.tftpRetries } : {}),
    });
  const where = { address: lease.address, tftpServer: tftp.server, tftpServerFrom: tftp.from };

  let afterLoads = false;
  state.boots++;
  let step = flow.next([]);
  while (!step.done) {
    const ask = step.value;
    if (ask.kind === 'reboot') {
      // Every part arrived and the move is legal: the image is written to flash.
      state.image = ask.into.image;
      state.running = ask.into;
      state.boots++;
      step = flow.next([]);
      continue;
    }
    if (ask.kind === 'look') {
      // The phone sees only what the server sends.
      step = flow.next(['not-found']);
      continue;
    }
    if (afterLoads && !ask.requests.some((r) => r.partOf)) await sleep(IMAGE_CHECK_PAUSE_MS);
    afterLoads = ask.requests.some((r) => r.purpose === 'loads');
    const results = await Promise.all(ask.requests.map(fetch));
    ask.requests.forEach((request, i) => {
      const r = results[i]!;
      state.requests.push(
        r.kind === 'complete'
          ? { file: request.file, outcome: 'complete', bytes: r.data.length }
          : { file: request.file, outcome: r.kind === 'error' ? `error ${r.code}` : 'timeout' },
      );
      if (r.kind === 'complete' && request.purpose === 'sep-xml') console.configFile(request.file);
    });
    if (results.some((r) => r.kind === 'timeout')) return stop(CONSOLE_TEXT.tftpTimeout, where);
    const answers = results.map(answerOf);
    ask.requests.forEach((request, i) => {
      served.set(request.file, answers[i]!);
    });
    // A file the model says this image cannot take (SIPDefault.cnf on SIP 2.x): the seed's W210.
    const read = modelReading(phone, start, served, buffer).slice(asked, asked + ask.requests.length);
    asked += ask.requests.length;
    if (read.includes('too-large')) console.show(CONSOLE_TEXT.w210);
    step = flow.next(answers);
  }
  const shown = consoleTextOf(step.value, served);
  if (shown) return stop(shown, { ...where, end: step.value.end });
  return { fields: { ...where, end: step.value.end } };
}

function startImage(image: string): RunningImage {
  const running = runningFromName(parseImageName(image, { context: 'image_version' }));
  if (!running) throw new Error(`phone image ${image} is not a 7940/7960 image name`);
  return running;
}

/**
 * The model's own reading of every request so far: the same flow replayed over the answers
 * received (the flow is pure, so its requests up to now come out the same). Only the model knows
 * that a file was received but not taken (`too-large`).
 */
function modelReading(
  phone: FlowPhone,
  start: RunningImage,
  served: ReadonlyMap<string, TftpAnswer>,
  options: PredictOptions,
): RequestAnswer[] {
  const replay = answerFromLookup(bootFlow(phone, start, options), (name) => served.get(name) ?? 'not-found');
  return replay.boots.flatMap((b) => b.requests.map((r) => r.answer));
}

function answerOf(r: TftpResult): TftpAnswer {
  if (r.kind === 'complete') return { size: r.data.length, read: () => r.data };
  return r.kind === 'error' && r.code === FILE_NOT_FOUND ? 'not-found' : 'denied';
}

/** The error the phone shows when its boots end (phone-facts 2.2, 2.3, 7.3). */
function consoleTextOf(run: BootFlowRun, served: ReadonlyMap<string, TftpAnswer>): ConsoleText | undefined {
  switch (run.end) {
    case 'image-not-found':
      return os79xxMisspelt(run, served) ? CONSOLE_TEXT.unprovisioned : CONSOLE_TEXT.protocolApplicationInvalid;
    case 'part-missing':
      return CONSOLE_TEXT.protocolApplicationInvalid;
    case 'image-denied':
    case 'hunt-stopped':
      return CONSOLE_TEXT.tftpError;
    case 'no-load':
      return CONSOLE_TEXT.noLoadSpecified;
    case 'refused':
      return run.refusal?.kind === 'not-a-legal-step'
        ? CONSOLE_TEXT.imageAuthenticationFailed
        : CONSOLE_TEXT.protocolApplicationInvalid;
    case 'settled':
    case 'loop':
    case 'too-many-boots':
      return undefined;
  }
}

/**
 * The image that was not found came from an OS79XX.TXT the OS79XX parser finds fault with:
 * the seed's "the common reason a phone goes Unprovisioned is wrong syntax in OS79XX.TXT".
 */
function os79xxMisspelt(run: BootFlowRun, served: ReadonlyMap<string, TftpAnswer>): boolean {
  const source = run.boots[run.boots.length - 1]?.decision;
  if (source?.place !== 'os79xx') return false;
  const file = served.get(source.file);
  return typeof file !== 'string' && file !== undefined && parseOs79xxTxt(file.read(), source.file).problems.length > 0;
}
