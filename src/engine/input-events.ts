/**
 * Offline analysis: the input files read once each and fed to the same engine a live session
 * feeds (one pass over each capture). Captures first, so that a server log whose lines lack a
 * year takes it from the capture's first packet (else from the log file's time).
 */
import { timestampSeconds } from '../../parsers/capture/frame.js';
import { BOOT_TEXT_FILE_KINDS, classifyFileName } from '../../parsers/provisioning/file-names.js';
import { parseRoot } from '../lint/parsed-root.js';
import { readTftpRoot } from '../lint/tftp-root.js';
import { terminalText } from '../views/escape.js';
import { decodeCaptureFile, describeCaptureProblem } from '../sources/capture-file.js';
import { readConsoleFile } from '../sources/console-file.js';
import { readServerLogFile } from '../sources/server-log-file.js';
import { LINE_CAP_BYTES } from '../sources/text-file.js';
import type { ReportInputDamage } from '../findings/report-schema.js';
import type { Analysis, AnalysisInParts } from './analysis.js';
import { DiagnosisEngine } from './engine.js';
import type { EngineEvent } from './events.js';
import type { EngineSetup } from './engine.js';
import { CaptureDecoder } from '../../parsers/capture/decoder.js';
import type { CaptureDecoderHandlers } from '../../parsers/capture/decoder.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';

export interface AnalyzeInputs {
  readonly captures: readonly string[];
  readonly consoles: readonly string[];
  readonly serverLogs: readonly string[];
  readonly tftpRoot?: string;
}

export interface OfflineResult {
  readonly analysis: Analysis;
  /** An input was damaged: a capture's frames after the damage, a log's damaged lines, were not read. */
  readonly damaged: boolean;
}

/** Rebuilt files kept in memory: config files are small; images are not needed, only their outcome. */
export const CAPTURE_CONTENT_LIMIT_BYTES = 256 * 1024;

/**
 * What the capture decoder delivers, as engine events: the one mapping both offline analysis
 * and a live capture use. Only config files keep their rebuilt content.
 */
export function captureEvents(
  file: string,
  sink: (event: EngineEvent) => void,
): Omit<CaptureDecoderHandlers, 'problem'> {
  // A site's traffic names a few thousand addresses (and one mode, one error text) many times:
  // what is kept of it shares equal strings instead of holding a copy per packet and message.
  const strings = new Map<string, string>();
  const shared = (text: string): string => {
    const known = strings.get(text);
    if (known !== undefined) return known;
    strings.set(text, text);
    return text;
  };
  const sharing = <T extends object>(value: T): T =>
    Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        key,
        typeof v === 'string' ? shared(v) : isStrings(v) ? v.map(shared) : v,
      ]),
    ) as T;
  return {
    transfer: (t) =>
      sink({
        source: 'capture',
        file,
        kind: 'tftp',
        transfer: keptTransfer(t, shared),
      }),
    exchange: (exchange) =>
      sink({
        source: 'capture',
        file,
        kind: 'dhcp',
        exchange: {
          ...sharing(exchange),
          clientMessages: exchange.clientMessages.map(sharing),
          offers: exchange.offers.map(sharing),
          answers: exchange.answers.map(sharing),
        },
      }),
    arp: (arp) => sink({ source: 'capture', file, kind: 'arp', arp }),
    packet: (p) =>
      sink({
        source: 'capture',
        file,
        kind: 'packet',
        packet: {
          frame: p.frame,
          src: shared(p.src),
          dst: shared(p.dst),
          truncated: p.proto === 'tftp' && p.truncated && !p.icmp,
        },
      }),
  };
}

/**
 * What the engine keeps of a transfer: its strings shared, its content only for a boot text
 * file. Written out as one literal, every field in place: a copy made by entries or spread
 * held its fields in a second array (some 500 bytes a transfer where this is under 300).
 */
function keptTransfer(t: TftpTransfer, shared: (text: string) => string): TftpTransfer {
  const e = t.error;
  return {
    id: t.id,
    client: shared(t.client),
    clientPort: t.clientPort,
    server: shared(t.server),
    serverPort: t.serverPort,
    file: shared(t.file),
    mode: shared(t.mode),
    direction: t.direction,
    optionsRequested: t.optionsRequested,
    optionsGranted: t.optionsGranted,
    blockSize: t.blockSize,
    firstTime: t.firstTime,
    lastTime: t.lastTime,
    packets: t.packets,
    blocks: t.blocks,
    bytes: t.bytes,
    duplicateData: t.duplicateData,
    duplicateAcks: t.duplicateAcks,
    missingBlocks: t.missingBlocks,
    missingRanges: t.missingRanges,
    requestRetries: t.requestRetries,
    otherServerPortPackets: t.otherServerPortPackets,
    outcome: t.outcome,
    error: e && {
      code: e.code,
      name: e.name === undefined ? undefined : shared(e.name),
      message: shared(e.message),
      by: e.by,
      frame: e.frame,
      time: e.time,
      likelyTsizeProbe: e.likelyTsizeProbe,
    },
    unreachableCode: t.unreachableCode,
    frames: t.frames,
    content: BOOT_TEXT_FILE_KINDS.has(classifyFileName(t.file).kind) ? t.content : undefined,
    sha256: t.sha256 === undefined ? undefined : shared(t.sha256),
    size: t.size,
    contentOmitted: t.contentOmitted,
    notes: t.notes.map(shared),
  };
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
}

/**
 * The decoder a capture read as it happens (live, or replayed with its timing) goes through:
 * `captureEvents` into `sink`, rebuilt files within CAPTURE_CONTENT_LIMIT_BYTES. `packet` also
 * sees each decoded packet (a source counting them).
 */
export function engineCaptureDecoder(
  file: string,
  sink: (event: EngineEvent) => void,
  handlers: Pick<CaptureDecoderHandlers, 'problem' | 'packet'>,
): CaptureDecoder {
  const events = captureEvents(file, sink);
  return new CaptureDecoder(
    {
      ...events,
      packet: (p) => {
        handlers.packet?.(p);
        events.packet?.(p);
      },
      problem: handlers.problem,
    },
    { maxTransferContentBytes: CAPTURE_CONTENT_LIMIT_BYTES },
  );
}

export async function analyzeFiles(
  inputs: AnalyzeInputs,
  setup: Omit<EngineSetup, 'inputs'>,
  warn: (line: string) => void,
): Promise<OfflineResult> {
  const { engine, damaged } = await engineOfFiles(inputs, setup, warn);
  return { analysis: engine.analysis(), damaged };
}

/** As `analyzeFiles`, the analysis in parts: a site's phones are analysed one at a time, as a view renders them. */
export async function analyzeFilesInParts(
  inputs: AnalyzeInputs,
  setup: Omit<EngineSetup, 'inputs'>,
  warn: (line: string) => void,
): Promise<{ readonly analysis: AnalysisInParts; readonly damaged: boolean }> {
  const { engine, damaged } = await engineOfFiles(inputs, setup, warn);
  return { analysis: engine.analysisInParts(), damaged };
}

/** An engine that has seen every input's events. */
async function engineOfFiles(
  inputs: AnalyzeInputs,
  setup: Omit<EngineSetup, 'inputs'>,
  warn: (line: string) => void,
): Promise<{ engine: DiagnosisEngine; damaged: boolean }> {
  const engine = new DiagnosisEngine({
    ...setup,
    inputs: [
      ...inputs.captures.map((path) => ({ kind: 'capture' as const, path })),
      ...inputs.consoles.map((path) => ({ kind: 'console' as const, path })),
      ...inputs.serverLogs.map((path) => ({ kind: 'server-log' as const, path })),
      ...(inputs.tftpRoot ? [{ kind: 'tftp-root' as const, path: inputs.tftpRoot }] : []),
    ],
  });
  const { damaged } = await readInputEvents(inputs, (event) => engine.add(event), warn);
  return { engine, damaged };
}

/**
 * Reads every input once and hands each event to `sink` as it is read; says whether a capture
 * was damaged. `yearFrom`: the time (seconds) server-log lines without a year are placed near
 * when no capture among the inputs gives one.
 */
export async function readInputEvents(
  inputs: AnalyzeInputs,
  sink: (event: EngineEvent) => void,
  warn: (line: string) => void,
  yearFrom?: number,
): Promise<{ damaged: boolean }> {
  let damaged = false;
  let firstPacket: number | undefined;
  for (const file of inputs.captures) {
    let damage: ReportInputDamage | undefined;
    const result = await decodeCaptureFile(
      file,
      {
        ...captureEvents(file, sink),
        problem: (problem) => {
          warn(describeCaptureProblem(file, problem));
          if (problem.severity === 'error')
            damage ??= {
              offset: problem.offset,
              ...(problem.frame !== undefined ? { frame: problem.frame } : {}),
              endsInput: true,
              text: problem.message,
            };
        },
      },
      { maxTransferContentBytes: CAPTURE_CONTENT_LIMIT_BYTES },
    );
    damaged ||= result.damaged;
    if (damage)
      sink({ source: 'capture', file, kind: 'damage', damage: { ...damage, framesRead: result.summary.frames } });
    const { firstTime, lastTime } = result.summary;
    if (firstTime && lastTime) {
      sink({
        source: 'capture',
        file,
        kind: 'span',
        first: timestampSeconds(firstTime),
        last: timestampSeconds(lastTime),
      });
      firstPacket ??= timestampSeconds(firstTime);
    }
  }
  for (const file of inputs.consoles) {
    const { damage } = await readConsoleFile(file, sink);
    if (damage) {
      warn(`${file}: damaged at byte offset ${damage.offset} (line ${damage.line}): ${damage.text}`);
      damaged = true;
    }
  }
  firstPacket ??= yearFrom;
  for (const file of inputs.serverLogs) {
    const { lines, cutLines, damage } = await readServerLogFile(file, sink, firstPacket);
    if (lines === 0)
      warn(`${file}: the server log holds no line (the server logged nothing, or the file is not the one meant)`);
    if (cutLines.count > 0)
      warn(
        `${file}: ${cutLines.count} line(s) longer than ${LINE_CAP_BYTES} bytes, read up to there (line ${cutLines.first.join(', ')}${cutLines.count > cutLines.first.length ? ', ...' : ''})`,
      );
    if (damage) {
      warn(`${file}: damaged at byte offset ${damage.offset} (line ${damage.line}): ${damage.text}`);
      damaged = true;
    }
  }
  if (inputs.tftpRoot) {
    const root = readTftpRoot(inputs.tftpRoot);
    for (const s of root.skipped) warn(`TFTP root ${inputs.tftpRoot}: left out ${terminalText(s.path)}: ${s.reason}`);
    sink({ source: 'tftp-root', file: inputs.tftpRoot, kind: 'tftp-root', root: parseRoot(root) });
  }
  return { damaged };
}
