/**
 * The TFTP requests a phone made, as each source saw them: a capture transfer, a server-log
 * request line with its outcome line, a console `Requesting` line. One shape for all, so the
 * same request seen by several sources becomes one request with all the evidence (model.ts).
 */
import { formatTimestamp, timestampSeconds } from '../../parsers/capture/frame.js';
import { isoMillis } from '../../parsers/time/iso.js';
import type { ConsoleEvent, TftpOutcomeWord } from '../../parsers/console/events.js';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { TFTP_ERRORS } from '../../parsers/tftp/errors.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import type { Evidence } from '../findings/finding.js';
import type { ReportAnswer } from '../findings/report-schema.js';
import { flatText, sharedText } from './shared-text.js';

/** tftpd-hpa sends errno texts with code 0 (phone-facts 6.1): a refused read is "Permission denied". */
const ACCESS_TEXT = /permission denied|access (?:denied|violation)/i;

export type ObservedAnswer = ReportAnswer | 'unknown';

export interface ObservedRequest {
  /** Exactly as the phone asked for it. */
  readonly file: string;
  /** The phone's IP address, when the source gives it. */
  readonly client?: string;
  /** Seconds on the source's own clock (capture: epoch; logs: as parsed); undefined when the source has no time. */
  readonly sourceTime?: number;
  /** The server logs no request line, only the outcome (dnsmasq `sent … to …`): `sourceTime` is the transfer's end. */
  readonly loggedAtEnd?: boolean;
  readonly answer: ObservedAnswer;
  /** TFTP error code and text, when an ERROR ended it. */
  readonly error?: { readonly code?: number; readonly text: string; readonly by: 'client' | 'server' };
  /** The file as served, when the capture rebuilt it. */
  readonly content?: Uint8Array;
  readonly bytes?: number;
  /** Where it was seen; the first item is the request itself. */
  readonly evidence: readonly Evidence[];
  /** Capture frames of the transfer (for the per-phone export). */
  readonly frames: readonly number[];
  readonly transfer?: TftpTransfer;
  /** A transfer under way in a live capture: bytes so far, and the file's size when the server told it. */
  readonly progress?: TransferProgress;
  /** A transfer still under way in a live capture: not served yet, whatever other sources suggest. */
  readonly underWay?: boolean;
  /** How a capture transfer ended, in a few words (`complete, 97 bytes`, `error 1 "File not found" from the server`). */
  readonly outcome?: string;
}

export interface TransferProgress {
  readonly bytes: number;
  readonly size?: number;
}

export function isAccessError(code: number | undefined, text: string | undefined): boolean {
  return code === TFTP_ERRORS.accessViolation.code || (text !== undefined && ACCESS_TEXT.test(text));
}

function answerOfError(code: number | undefined, text: string | undefined, midTransfer: boolean): ReportAnswer {
  if (midTransfer) return 'failed';
  if (code === TFTP_ERRORS.fileNotFound.code) return 'not-found';
  if (isAccessError(code, text)) return 'denied';
  return 'failed';
}

/**
 * One TFTP transfer as a request of the phone. `live`: a transfer still under way in a live
 * capture, not one the capture ended on: nothing is concluded from it yet except a request the
 * phone already had to resend with no answer.
 */
/** `cut`: the capture is cut part-way (damaged), so a transfer still running at its end may have finished after the cut. */
export function fromTransfer(captureFile: string, t: TftpTransfer, live = false, cut = false): ObservedRequest {
  const time = flatText(formatTimestamp(t.firstTime));
  const request = t.frames.requests[0];
  const progress = live && t.outcome === 'running' ? progressOf(t) : undefined;
  const { answer, error, text } = transferOutcome(t, live, cut, progress);
  const outcomeText = sharedText(text);
  const asked: Evidence = {
    source: 'capture',
    file: captureFile,
    ...(request !== undefined ? { frame: request } : {}),
    time,
    text: sharedText(`${t.client} asks ${t.server} for "${visibleName(t.file)}": ${outcomeText}`),
  };
  const end = t.frames.error ?? t.frames.unreachable;
  // Arrays made at their length: one grown by push or filter keeps room for a dozen more items.
  const evidence: Evidence[] =
    end !== undefined && end !== request
      ? [
          asked,
          {
            source: 'capture',
            file: captureFile,
            frame: end,
            time: flatText(formatTimestamp(t.error?.time ?? t.lastTime)),
            text: outcomeText,
          },
        ]
      : [asked];
  const frames = [
    ...t.frames.requests,
    t.frames.oack,
    t.frames.firstData,
    t.frames.lastData,
    t.frames.finalAck,
    t.frames.error,
    t.frames.unreachable,
  ]
    .filter((f): f is number => f !== undefined)
    .slice();
  return {
    file: t.file,
    client: t.client,
    sourceTime: timestampSeconds(t.firstTime),
    answer,
    ...(error ? { error } : {}),
    ...(t.content ? { content: t.content } : {}),
    ...(t.size !== undefined ? { bytes: t.size } : {}),
    evidence,
    frames,
    transfer: t,
    outcome: outcomeText,
    ...(live && t.outcome === 'running' ? { underWay: true } : {}),
    ...(progress ? { progress } : {}),
  };
}

interface TransferOutcome {
  readonly answer: ObservedAnswer;
  readonly error?: ObservedRequest['error'];
  /** `complete, 97 bytes`, `error 1 "File not found" from the server`. */
  readonly text: string;
}

/** What a captured transfer's outcome means for the request, in words. */
function transferOutcome(
  t: TftpTransfer,
  live: boolean,
  cut: boolean,
  progress: TransferProgress | undefined,
): TransferOutcome {
  switch (t.outcome) {
    case 'complete':
      return { answer: 'found', text: `complete, ${t.bytes} bytes` };
    case 'error': {
      const e = t.error;
      if (!e) return { answer: 'failed', text: 'error' }; // the tracker gives an ended-by-error transfer its ERROR
      return {
        answer: e.by === 'client' ? 'failed' : answerOfError(e.code, e.message, t.blocks > 0),
        error: { code: e.code, text: e.message, by: e.by },
        text: `error ${e.code} "${e.message}" from the ${e.by}${t.blocks > 0 ? ` after ${t.blocks} blocks` : ''}`,
      };
    }
    case 'aborted':
      return { answer: 'failed', text: `stopped after ${t.blocks} blocks (no more datagrams)` };
    case 'no-answer':
      return { answer: 'no-answer', text: `no answer to ${t.requestRetries + 1} request(s)` };
    case 'unreachable':
      return { answer: 'no-answer', text: `no answer; ICMP destination unreachable (code ${t.unreachableCode})` };
    case 'running':
      return runningOutcome(t, live, cut, progress);
  }
}

/** A transfer the capture shows still running: under way (live), cut off by damage, or left when the capture ended. */
function runningOutcome(
  t: TftpTransfer,
  live: boolean,
  cut: boolean,
  progress: TransferProgress | undefined,
): TransferOutcome {
  // Retries (or an ICMP error) and still nothing: no answer so far.
  const unanswered = t.blocks === 0 && (t.requestRetries > 0 || t.unreachableCode !== undefined);
  if (live) {
    return {
      answer: !progress && unanswered ? 'no-answer' : 'unknown',
      text: progress
        ? `under way, ${progress.bytes} bytes${progress.size !== undefined ? ` of ${progress.size}` : ''}`
        : `no answer to ${t.requestRetries + 1} request(s) so far`,
    };
  }
  if (cut) {
    return {
      answer: 'unknown',
      text: `${t.blocks > 0 ? `${t.blocks} blocks` : 'no answer'} before the capture is cut: the outcome is unknown`,
    };
  }
  return {
    answer: t.blocks > 0 ? 'failed' : unanswered ? 'no-answer' : 'unknown',
    text:
      t.blocks > 0
        ? `still running after ${t.blocks} blocks when the capture ended`
        : `no answer to ${t.requestRetries + 1} request(s) when the capture ended`,
  };
}

/**
 * How far a transfer under way has got, once the server answered: bytes so far and the file's
 * size when it was told (RFC 2349 tsize: the server's OACK for a read, the request for a write).
 */
function progressOf(t: TftpTransfer): TransferProgress | undefined {
  if (t.blocks === 0 && t.serverPort === undefined) return undefined;
  const size = t.direction === 'read' ? t.optionsGranted?.tsize : t.optionsRequested.tsize;
  return { bytes: t.bytes, ...(size !== undefined ? { size } : {}) };
}

/** The answer a console outcome word gives: a timeout is no answer, a plain error a failure. */
const OUTCOME_ANSWERS: Readonly<Record<TftpOutcomeWord, ReportAnswer>> = {
  done: 'found',
  'not-found': 'not-found',
  denied: 'denied',
  timeout: 'no-answer',
  failed: 'failed',
  error: 'failed',
};

/**
 * A console request line (`Requesting <file>`, or a line naming the file with a request word),
 * completed by its `Finished` or outcome line when one follows; or an outcome line alone (the
 * request it answers was not printed).
 */
export function fromConsoleRequest(
  consoleFile: string,
  event: ConsoleEvent,
  finished: ConsoleEvent | undefined,
  time: number | undefined,
): ObservedRequest {
  const evidence: Evidence[] = [
    {
      source: 'console',
      file: consoleFile,
      line: event.line,
      ...(event.hostTime !== undefined ? { time: isoMillis(event.hostTime) } : {}),
      text: event.raw.trim(),
    },
  ];
  if (finished)
    evidence.push({
      source: 'console',
      file: consoleFile,
      line: finished.line,
      ...(finished.hostTime !== undefined ? { time: isoMillis(finished.hostTime) } : {}),
      text: finished.raw.trim(),
    });
  const outcome = finished ?? (event.kind === 'tftp-outcome' ? event : undefined);
  const answer: ObservedAnswer = !outcome
    ? 'unknown'
    : outcome.kind === 'tftp-outcome'
      ? OUTCOME_ANSWERS[outcome.outcome]
      : 'found';
  return {
    file: 'file' in event && event.file !== undefined ? event.file : '',
    ...(time !== undefined ? { sourceTime: time } : {}),
    answer,
    evidence,
    frames: [],
    ...(outcome && outcome.kind === 'tftp-finished' ? { bytes: outcome.bytes } : {}),
  };
}

/**
 * Server-log requests (RRQ lines) with the outcome lines linked to them. A log that writes
 * outcome lines at all (tftpd-hpa -vv NAKs, "finished" lines) but none for a request most
 * likely served it: such a request is taken as found.
 */
export function fromServerLog(logFile: string, events: readonly ServerLogEvent[]): ObservedRequest[] {
  const requests = new Map<
    number,
    { event: ServerLogEvent & { readonly file: string }; outcomes: ServerLogEvent[]; atEnd: boolean }
  >();
  let logsOutcomes = false;
  for (const e of events) {
    if (e.kind === 'request' && e.op === 'RRQ') requests.set(e.line, { event: e, outcomes: [], atEnd: false });
    if (e.kind === 'not-found' || e.kind === 'error' || e.kind === 'finished') {
      logsOutcomes = true;
      const target = e.link ? requests.get(e.link.line) : undefined;
      if (target) target.outcomes.push(e);
      // A server that logs outcomes only (dnsmasq): the outcome line is the request's only trace.
      else if (!e.link && e.file !== undefined && e.client !== undefined && !(e.kind === 'error' && e.fromPeer)) {
        requests.set(e.line, { event: { ...e, file: e.file }, outcomes: [e], atEnd: true });
      }
    }
  }
  return [...requests.values()].map(({ event, outcomes, atEnd }) => {
    const evidence: Evidence[] = atEnd ? [] : [lineEvidence(logFile, event)];
    let answer: ObservedAnswer = 'unknown';
    let error: ObservedRequest['error'];
    let bytes: number | undefined;
    for (const o of outcomes) {
      evidence.push(lineEvidence(logFile, o));
      if (o.kind === 'not-found') {
        answer = 'not-found';
        error = {
          ...(o.code !== undefined ? { code: o.code } : {}),
          text: o.text ?? TFTP_ERRORS.fileNotFound.name,
          by: 'server',
        };
      } else if (o.kind === 'error' && !o.fromPeer) {
        answer = answerOfError(o.code, o.text, false);
        error = { ...(o.code !== undefined ? { code: o.code } : {}), text: o.text, by: 'server' };
      } else if (o.kind === 'finished') {
        answer = 'found';
        bytes = o.bytes;
      }
    }
    if (answer === 'unknown' && logsOutcomes) answer = 'found';
    const time = event.time;
    const client = 'client' in event ? event.client : undefined;
    return {
      file: event.file,
      ...(client !== undefined ? { client } : {}),
      ...(time !== undefined ? { sourceTime: time } : {}),
      ...(atEnd ? { loggedAtEnd: true } : {}),
      answer,
      ...(error ? { error } : {}),
      ...(bytes !== undefined ? { bytes } : {}),
      evidence,
      frames: [],
    };
  });
}

function lineEvidence(file: string, e: ServerLogEvent): Evidence {
  return {
    source: 'server-log',
    file,
    line: e.line,
    ...(e.time !== undefined ? { time: isoMillis(e.time) } : {}),
    text: visibleName(e.raw.trim()) || e.kind,
  };
}

/** CR, LF and tabs shown, so that evidence shows what the phone asked for (CSCdv19260). */
export function visibleName(name: string): string {
  return name.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
