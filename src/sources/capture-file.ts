import {
  CaptureDecoder,
  type CaptureDecoderHandlers,
  type CaptureDecoderOptions,
  type CaptureSummary,
} from '../../parsers/capture/decoder.js';
import type { CaptureProblem } from '../../parsers/capture/problem.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { frameTimestamp, timestampSeconds } from '../../parsers/capture/frame.js';
import { readCaptureInto, type CaptureInputOptions } from './capture-input.js';

export interface DecodedCapture {
  readonly summary: CaptureSummary;
  /** True when an `error` problem stopped the reader: frames after the damage were not read. */
  readonly damaged: boolean;
}

/**
 * Reads one capture file (or '-' for standard input) through the whole decoding pipeline in
 * one pass. Problems go to `handlers.problem` as they are found, and the frames before any
 * damage are still decoded.
 */
export async function decodeCaptureFile(
  path: string,
  handlers: CaptureDecoderHandlers,
  options: CaptureDecoderOptions & CaptureInputOptions = {},
): Promise<DecodedCapture> {
  let damaged = false;
  const decoder = new CaptureDecoder(
    {
      ...handlers,
      problem: (problem) => {
        if (problem.severity === 'error') damaged = true;
        handlers.problem(problem);
      },
    },
    options,
  );
  const reader = new CaptureReader(decoder);
  await readCaptureInto(path, reader, options);
  return { summary: decoder.finish(), damaged };
}

/** `capture.pcap: offset 1234 (frame 17): <what was wrong>` — the form every command prints. */
export function describeCaptureProblem(path: string, problem: CaptureProblem): string {
  const frame = problem.frame === undefined ? '' : ` (frame ${problem.frame})`;
  return `${path}: ${problem.severity} at byte offset ${problem.offset}${frame}: ${problem.message}`;
}

/**
 * The time (seconds since 1970) of a capture's first frame, read without reading
 * the rest; undefined when it has none or cannot be read.
 */
export async function firstFrameSeconds(path: string): Promise<number | undefined> {
  const stop = new AbortController();
  let first: number | undefined;
  const reader = new CaptureReader({
    frame: (frame) => {
      first ??= timestampSeconds(frameTimestamp(frame));
      stop.abort();
    },
    problem: () => undefined,
  });
  try {
    await readCaptureInto(path, reader, { signal: stop.signal, chunkBytes: 64 * 1024 });
  } catch {
    return undefined; // the full read reports why
  }
  return first;
}
