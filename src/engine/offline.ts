/**
 * Offline analysis: the input files read once each and fed to the same engine a live session
 * feeds (one pass over each capture). Captures first, so that a server log whose lines lack a
 * year takes it from the capture's first packet (else from the log file's time).
 */
import { readFile } from 'node:fs/promises';
import { timestampSeconds } from '../../parsers/capture/frame.js';
import { createConsoleParser } from '../../parsers/console/parse.js';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { BOOT_TEXT_FILE_KINDS, classifyFileName } from '../../parsers/provisioning/file-names.js';
import { InputError } from '../exit-codes.js';
import { parseRoot } from '../lint/parsed-root.js';
import { readTftpRoot } from '../lint/tftp-root.js';
import { decodeCaptureFile, describeCaptureProblem } from '../sources/capture-file.js';
import { readServerLogFile } from '../sources/server-log-file.js';
import type { Analysis } from './analysis.js';
import { DiagnosisEngine } from './engine.js';
import type { EngineEvent } from './events.js';
import type { EngineSetup } from './engine.js';
import { CaptureDecoder } from '../../parsers/capture-decoder.js';
import type { CaptureDecoderHandlers } from '../../parsers/capture-decoder.js';

export interface AnalyzeInputs {
  readonly captures: readonly string[];
  readonly consoles: readonly string[];
  readonly serverLogs: readonly string[];
  readonly tftpRoot?: string;
}

export interface OfflineResult {
  readonly analysis: Analysis;
  /** A capture was damaged: frames after the damage were not read. */
  readonly damaged: boolean;
}

/** Rebuilt files kept in memory: config files are small; images are not needed, only their outcome. */
export const CAPTURE_CONTENT_LIMIT_BYTES = 256 * 1024;

/**
 * What the capture decoder delivers, as engine events: the one mapping both offline analysis
 * and a live capture use. Only config files keep their rebuilt content.
 */
export function captureEvents(file: string, sink: (event: EngineEvent) => void): Omit<CaptureDecoderHandlers, 'problem'> {
  return {
    transfer: (t) => sink({ source: 'capture', file, kind: 'tftp', transfer: BOOT_TEXT_FILE_KINDS.has(classifyFileName(t.file).kind) ? t : { ...t, content: undefined } }),
    exchange: (exchange) => sink({ source: 'capture', file, kind: 'dhcp', exchange }),
    arp: (arp) => sink({ source: 'capture', file, kind: 'arp', arp }),
    packet: (p) => sink({ source: 'capture', file, kind: 'packet', packet: { frame: p.frame, src: p.src, dst: p.dst, truncated: p.proto === 'tftp' && p.truncated && !p.icmp } }),
  };
}

/**
 * The decoder a capture read as it happens (live, or replayed with its timing) goes through:
 * `captureEvents` into `sink`, rebuilt files within CAPTURE_CONTENT_LIMIT_BYTES. `packet` also
 * sees each decoded packet (a source counting them).
 */
export function engineCaptureDecoder(file: string, sink: (event: EngineEvent) => void, handlers: Pick<CaptureDecoderHandlers, 'problem' | 'packet'>): CaptureDecoder {
  const events = captureEvents(file, sink);
  return new CaptureDecoder({
    ...events,
    packet: (p) => {
      handlers.packet?.(p);
      events.packet?.(p);
    },
    problem: handlers.problem,
  }, { maxTransferContentBytes: CAPTURE_CONTENT_LIMIT_BYTES });
}

export async function analyzeFiles(inputs: AnalyzeInputs, setup: Omit<EngineSetup, 'inputs'>, warn: (line: string) => void): Promise<OfflineResult> {
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
  return { analysis: engine.analysis(), damaged };
}

/**
 * Reads every input once and hands each event to `sink` as it is read; says whether a capture
 * was damaged. `yearFrom`: the time (seconds) server-log lines without a year are placed near
 * when no capture among the inputs gives one.
 */
export async function readInputEvents(inputs: AnalyzeInputs, sink: (event: EngineEvent) => void, warn: (line: string) => void, yearFrom?: number): Promise<{ damaged: boolean }> {
  let damaged = false;
  let firstPacket: number | undefined;
  for (const file of inputs.captures) {
    const result = await decodeCaptureFile(file, {
      ...captureEvents(file, sink),
      problem: (problem) => warn(describeCaptureProblem(file, problem)),
    }, { maxTransferContentBytes: CAPTURE_CONTENT_LIMIT_BYTES });
    damaged ||= result.damaged;
    const { firstTime, lastTime } = result.summary;
    if (firstTime && lastTime) {
      sink({ source: 'capture', file, kind: 'span', first: timestampSeconds(firstTime), last: timestampSeconds(lastTime) });
      firstPacket ??= timestampSeconds(firstTime);
    }
  }
  for (const file of inputs.consoles) {
    const log = readConsoleLog(await readText(file, 'console log'));
    if (log.lines.length === 0 && log.header.length === 0) throw new InputError(`console log ${file} is empty: give the text the phone printed on its console`);
    for (const h of log.header) sink({ source: 'console', file, kind: 'console-header', line: h.line, text: h.text, fields: h.fields });
    const parser = createConsoleParser();
    for (const line of log.lines) sink({ source: 'console', file, kind: 'console', event: parser.parse(line) });
  }
  firstPacket ??= yearFrom;
  for (const file of inputs.serverLogs) {
    if ((await readServerLogFile(file, sink, firstPacket)) === 0) warn(`${file}: the server log holds no line (the server logged nothing, or the file is not the one meant)`);
  }
  if (inputs.tftpRoot) sink({ source: 'tftp-root', file: inputs.tftpRoot, kind: 'tftp-root', root: parseRoot(readTftpRoot(inputs.tftpRoot)) });
  return { damaged };
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'latin1').then((latin1) => (isUtf8(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code ?? String(error)}`);
  }
}

/** Console and syslog files are UTF-8 or a single-byte code page: read UTF-8 when the bytes are valid UTF-8. */
function isUtf8(latin1: string): boolean {
  const bytes = Buffer.from(latin1, 'latin1');
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
