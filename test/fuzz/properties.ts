/**
 * The properties every capture must satisfy, however broken, checked in-process through
 * CaptureReader + CaptureDecoder and the views the CLI prints with:
 *
 * - nothing throws (reader, decoder, views), and every time printed is ISO 8601;
 * - the work done is bounded by the input (frames, problems, packets per byte) and the
 *   time taken stays within a generous budget;
 * - the memory held while decoding stays under a bound;
 * - feeding the bytes in other chunk sizes changes nothing the reader reports;
 * - every good frame before the first damaged byte is delivered, and decoded as before;
 * - a cut capture delivers exactly the frames that lie wholly before the cut, and says so
 *   with an error unless the cut falls between two records.
 */
import { getHeapStatistics } from 'node:v8';
import { CaptureDecoder, type DecodedPacket } from '../../parsers/capture/decoder.js';
import type { CapturedFrame } from '../../parsers/capture/frame.js';
import type { CaptureProblem } from '../../parsers/capture/problem.js';
import { CaptureReader, type CaptureSink } from '../../parsers/capture/reader.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { describeCaptureProblem } from '../../src/sources/capture-file.js';
import {
  byFirstTime,
  exchangeRecord,
  exchangeText,
  transferRecord,
  transferText,
} from '../../src/views/conversation-rows.js';
import { jsonText } from '../../src/views/escape.js';
import { packetRecord, packetText } from '../../src/views/packet-line.js';
import type { Layout } from './layout.js';

export type FailureKind =
  | 'exception'
  | 'output'
  | 'slow'
  | 'work'
  | 'memory'
  | 'chunking'
  | 'prefix'
  | 'truncation'
  | 'silent-loss';

export interface Failure {
  readonly kind: FailureKind;
  readonly message: string;
}

/** Problems one capture may report at most: the reader sums up repeats of a kind after 10. */
const MAX_PROBLEMS = 100;
/** The smallest record (pcap record header) or packet block (pcapng SPB) is 16 bytes. */
const MIN_RECORD_BYTES = 16;
/** Heap plus external memory a case may add while it is decoded. */
export const CASE_MEMORY_LIMIT = 200 * 1024 * 1024;

function memoryInUse(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/** FNV-1a over a frame's fields and bytes: equal digests, equal frames. */
function frameDigest(f: CapturedFrame): string {
  let h = 0x811c9dc5;
  const d = f.data;
  for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i]!, 0x01000193);
  return (
    `${f.frame}/${f.interfaceId}/${f.linkType}/${f.fcsBytes}/${f.tsHigh}.${f.tsLow}/${f.capturedLength}/${f.originalLength}/` +
    `${d.length}/${(h >>> 0).toString(16)}/${f.untimed === true ? 'u' : ''}/${f.comments?.join('|') ?? ''}`
  );
}

/** ISO 8601 UTC as the views print it; a year past 9999 in the expanded form (sign and 6+ digits). */
const ISO_TIME =
  /^(\d{4}|[+-]\d{6,})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

function problemKey(p: CaptureProblem): string {
  return `${p.severity}@${p.offset}#${p.frame ?? ''}: ${p.message}`;
}

export interface PipelineRun {
  readonly frames: readonly string[];
  /** Frame number of each delivered frame. */
  readonly frameNumbers: readonly number[];
  /** For a whole-buffer run: the offset of each frame's data in the input (undefined when not a view into it). */
  readonly dataOffsets: readonly (number | undefined)[];
  readonly problems: readonly CaptureProblem[];
  /** `decode --format jsonl` lines, with the frame number of each. */
  readonly packets: readonly { readonly frame: number; readonly line: string }[];
  readonly transfers: number;
  readonly exchanges: number;
  readonly thrown: unknown;
  /** Printed values that are not what they should be (a time that is not ISO 8601). */
  readonly badOutput: readonly string[];
  readonly ms: number;
  /** Largest heap + external memory seen above the level at the start. */
  readonly peakMemory: number;
}

/**
 * Feeds `bytes` in chunks of the sizes `chunkSizes` gives (cycled; empty: one chunk),
 * through the reader and, with `decode`, the decoder and the views. Never throws.
 * With `gc` (a full garbage collection), memory that looks over the limit is measured
 * again after one, so that garbage not yet collected does not count.
 */
export function runPipeline(
  bytes: Uint8Array,
  chunkSizes: readonly number[],
  decode: boolean,
  gc?: () => void,
): PipelineRun {
  const frames: string[] = [];
  const frameNumbers: number[] = [];
  const dataOffsets: (number | undefined)[] = [];
  const problems: CaptureProblem[] = [];
  const packets: { frame: number; line: string }[] = [];
  const transfers: TftpTransfer[] = [];
  const exchanges: DhcpExchange[] = [];
  const badOutput: string[] = [];
  const checkTimes = (what: string, ...times: unknown[]): void => {
    for (const t of times)
      if (typeof t !== 'string' || !ISO_TIME.test(t))
        badOutput.push(`${what}: time ${JSON.stringify(t)} is not ISO 8601`);
  };
  const baseline = memoryInUse();
  let peak = 0;
  let sampled = 0;
  const sample = (): void => {
    let used = memoryInUse() - baseline;
    if (used > CASE_MEMORY_LIMIT && gc !== undefined) {
      gc();
      used = memoryInUse() - baseline;
    }
    if (used > peak) peak = used;
  };
  const decoder = decode
    ? new CaptureDecoder({
        packet: (p: DecodedPacket) => {
          // The views the CLI prints with run on every packet: they must not throw either.
          const record = packetRecord(p);
          checkTimes(`packet of frame ${p.frame}`, record.time);
          // As `decode --format jsonl` writes it: control and format characters as \u escapes.
          packets.push({ frame: p.frame, line: jsonText(record) });
          packetText(p);
          sample();
        },
        transfer: (t) => {
          transfers.push(t);
          sample();
        },
        exchange: (e) => exchanges.push(e),
        problem: () => undefined,
      })
    : undefined;
  const sink: CaptureSink = {
    frame: (f) => {
      frames.push(frameDigest(f));
      frameNumbers.push(f.frame);
      dataOffsets.push(f.data.buffer === bytes.buffer ? f.data.byteOffset - bytes.byteOffset : undefined);
      decoder?.frame(f);
      if ((++sampled & 255) === 0) sample();
    },
    problem: (p) => {
      problems.push(p);
      describeCaptureProblem('fuzz.pcap', p);
      decoder?.problem(p);
    },
  };
  const started = performance.now();
  let thrown: unknown;
  try {
    const reader = new CaptureReader(sink);
    if (chunkSizes.length === 0) reader.feed(bytes);
    else {
      for (let at = 0, i = 0; at < bytes.length && !reader.stopped; i++) {
        const size = Math.max(1, chunkSizes[i % chunkSizes.length]!);
        reader.feed(bytes.subarray(at, at + size));
        at += size;
      }
    }
    reader.end();
    if (decoder !== undefined) {
      decoder.finish();
      for (const e of exchanges.sort(byFirstTime)) {
        const record = exchangeRecord(e);
        checkTimes(`DHCP exchange ${String(record.xid)}`, record.firstTime, record.lastTime);
        JSON.stringify(record);
        exchangeText(e);
      }
      for (const t of transfers.sort((a, b) => a.id - b.id)) {
        const record = transferRecord(t);
        checkTimes(`TFTP transfer ${t.id}`, record.firstTime, record.lastTime);
        JSON.stringify(record);
        transferText(t);
      }
    }
  } catch (error) {
    thrown = error;
  }
  sample();
  return {
    frames,
    frameNumbers,
    dataOffsets,
    problems,
    packets,
    transfers: transfers.length,
    exchanges: exchanges.length,
    thrown,
    badOutput,
    ms: performance.now() - started,
    peakMemory: peak,
  };
}

/** What the unmutated seed gives: the frames, where their records end, the packets, the first error. */
export interface Reference {
  readonly run: PipelineRun;
  /** End offset of the record or block of each frame; undefined where the layout lost track. */
  readonly unitEnds: readonly (number | undefined)[];
  /** Offset of the first error problem (Infinity when none). */
  readonly firstError: number;
  /** Offsets between units (record or block starts and ends) the layout is sure of. */
  readonly unitBoundaries: ReadonlySet<number>;
  /** How far the layout followed the file. */
  readonly layoutEnd: number;
  readonly length: number;
}

export function reference(bytes: Uint8Array, layout: Layout): Reference {
  const run = runPipeline(bytes, [], true);
  const endByDataStart = new Map<number, number>();
  const unitBoundaries = new Set<number>();
  for (const u of layout.units) {
    if (u.dataStart !== undefined) endByDataStart.set(u.dataStart, u.end);
    unitBoundaries.add(u.start);
    unitBoundaries.add(u.end);
  }
  const firstError = run.problems.find((p) => p.severity === 'error')?.offset ?? Infinity;
  return {
    run,
    unitEnds: run.dataOffsets.map((o) => (o === undefined ? undefined : endByDataStart.get(o))),
    firstError,
    unitBoundaries,
    layoutEnd: layout.units.at(-1)?.end ?? 0,
    length: bytes.length,
  };
}

/** How many of the reference's frames lie wholly before `offset` (stopping where the layout lost track). */
function framesBefore(ref: Reference, offset: number): number {
  let k = 0;
  while (k < ref.unitEnds.length) {
    const end = ref.unitEnds[k];
    if (end === undefined || end > offset) break;
    k++;
  }
  return k;
}

function firstDifference(a: readonly string[], b: readonly string[], count: number): number {
  for (let i = 0; i < count; i++) if (a[i] !== b[i]) return i;
  return -1;
}

export interface CaseOptions {
  /** Chunk sizes for the main run (empty: one chunk). */
  readonly chunkSizes: readonly number[];
  /** Time the decoding may take (see budget.ts). */
  readonly budgetMs: number;
  /** A full garbage collection, when the caller has one (see runPipeline). */
  readonly gc?: () => void;
  /** The seed's reference, and how the case derives from the seed. */
  readonly origin?: { readonly reference: Reference; readonly firstChange: number; readonly truncationOnly: boolean };
}

export function checkCase(bytes: Uint8Array, options: CaseOptions): Failure[] {
  const failures: Failure[] = [];
  const fail = (kind: FailureKind, message: string): void => {
    failures.push({ kind, message });
  };
  const run = runPipeline(bytes, options.chunkSizes, true, options.gc);
  if (run.thrown !== undefined) {
    const e = run.thrown;
    fail('exception', e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e));
    return failures;
  }
  if (run.badOutput.length > 0) fail('output', run.badOutput.slice(0, 5).join('\n'));
  if (run.ms > options.budgetMs) {
    // Over budget once may be the machine (another process, a GC pause): slow only if every one of three runs is.
    let fastest = run.ms;
    for (let again = 0; again < 2 && fastest > options.budgetMs; again++)
      fastest = Math.min(fastest, runPipeline(bytes, options.chunkSizes, true).ms);
    if (fastest > options.budgetMs)
      fail(
        'slow',
        `took ${fastest.toFixed(0)} ms (fastest of 3 runs) ` +
          `for ${bytes.length} bytes (budget ${options.budgetMs.toFixed(0)} ms)`,
      );
  }
  if (run.peakMemory > CASE_MEMORY_LIMIT)
    fail(
      'memory',
      `heap + external memory grew by ${(run.peakMemory / 1048576).toFixed(0)} ` +
        `MiB while decoding ${bytes.length} bytes`,
    );
  const maxFrames = Math.floor(bytes.length / MIN_RECORD_BYTES);
  if (run.frames.length > maxFrames)
    fail('work', `${run.frames.length} frames delivered from ${bytes.length} bytes (at most ${maxFrames} fit)`);
  if (run.problems.length > MAX_PROBLEMS)
    fail('work', `${run.problems.length} problems reported (more than ${MAX_PROBLEMS}: repeats must be summed up)`);
  if (run.problems.filter((p) => p.severity === 'error').length > 1)
    fail('work', 'more than one error problem (an error stops the reader)');
  if (run.packets.length > run.frames.length)
    fail('work', `${run.packets.length} packets decoded from ${run.frames.length} frames`);
  if (run.transfers + run.exchanges > run.frames.length)
    fail('work', `${run.transfers} transfers and ${run.exchanges} exchanges from ${run.frames.length} frames`);

  // The reader alone, the whole input as one chunk: the chunking must not matter.
  if (options.chunkSizes.length > 0) {
    const whole = runPipeline(bytes, [], false);
    const i = firstDifference(run.frames, whole.frames, Math.max(run.frames.length, whole.frames.length));
    if (i >= 0)
      fail(
        'chunking',
        `frame ${i + 1} differs when fed in chunks: ` +
          `${run.frames[i] ?? 'missing'} vs ${whole.frames[i] ?? 'missing'} in one piece`,
      );
    const a = run.problems.map(problemKey).join('\n');
    const b = whole.problems.map(problemKey).join('\n');
    if (a !== b) fail('chunking', `problems differ when fed in chunks:\n${a}\nvs in one piece:\n${b}`);
  }

  const origin = options.origin;
  if (origin === undefined) return failures;
  const ref = origin.reference;
  // Frames wholly before the first damaged byte: delivered, and decoded, as from the seed.
  const k = framesBefore(ref, origin.firstChange);
  const i = firstDifference(run.frames, ref.run.frames, k);
  if (i >= 0 || run.frames.length < k) {
    fail(
      'prefix',
      `${k} frames lie before the first change at offset ${origin.firstChange}, ` +
        `but frame ${i >= 0 ? i + 1 : run.frames.length + 1} ` +
        `is ${i >= 0 ? `${run.frames[i] ?? 'missing'} instead of ${ref.run.frames[i]}` : 'missing'}`,
    );
  } else if (k > 0) {
    const lastFrame = ref.run.frameNumbers[k - 1]!;
    const mine = run.packets.filter((p) => p.frame <= lastFrame).map((p) => p.line);
    const theirs = ref.run.packets.filter((p) => p.frame <= lastFrame).map((p) => p.line);
    const j = firstDifference(mine, theirs, Math.max(mine.length, theirs.length));
    if (j >= 0)
      fail(
        'prefix',
        `decoded packet ${j + 1} (of frames up to ${lastFrame}, before the first change) ` +
          `differs:\n${mine[j] ?? 'missing'}\nvs\n${theirs[j] ?? 'missing'}`,
      );
  }
  if (!origin.truncationOnly) return failures;
  const cutAt = bytes.length;
  if (run.frames.length !== k && (ref.unitEnds[k] !== undefined || k === ref.unitEnds.length)) {
    fail(
      'truncation',
      `cut at ${cutAt}: ${run.frames.length} frames delivered, expected exactly the ${k} that end before the cut`,
    );
  }
  const error = run.problems.find((p) => p.severity === 'error');
  if (cutAt < ref.length && cutAt < ref.firstError && cutAt <= ref.layoutEnd && cutAt > 0) {
    const between = ref.unitBoundaries.has(cutAt);
    if (!between && error === undefined)
      fail('silent-loss', `cut at ${cutAt}, inside a record or block, and no error reported`);
    if (between && error !== undefined)
      fail('truncation', `cut at ${cutAt}, between two records, but an error was reported: ${error.message}`);
  }
  return failures;
}
