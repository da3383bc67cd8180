import { hexBytes, readU32 } from './bytes.js';
import type { CaptureInterface, CapturedFrame } from './frame.js';
import { PcapParser, isPcapMagic } from './pcap.js';
import { PcapngParser, SHB_BLOCK_TYPE, type NameRecord } from './pcapng.js';
import type { CaptureProblem } from './problem.js';

export interface CaptureSink {
  frame(frame: CapturedFrame): void;
  problem(problem: CaptureProblem): void;
}

export interface CaptureReaderOptions {
  /**
   * Largest pcap record (captured length) or pcapng block (total length) accepted, in
   * bytes. A larger one is taken for a corrupt length. Also bounds the memory kept
   * between chunks. Default 16 MiB.
   */
  maxRecordBytes?: number;
}

const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Warnings of one kind reported one by one before the rest are only counted (a broken writer
 * repeats the same fault on every frame).
 */
const WARNINGS_PER_KIND = 10;

const MAGIC_BYTES = 4;

/**
 * The contract between the reader and a file-format parser (pcap.ts, pcapng.ts).
 *
 * `parse` reads whole units (file header, record, block) from `buf[start, end)` and
 * returns the bytes it consumed; `offset` is the file offset of `buf[start]`. After it
 * returns, `need` is the size of the unit starting right after the consumed bytes as far
 * as its bytes seen so far tell (its header size until the header is complete, then its
 * full size, already checked against the limits). Given at least `need` bytes, `parse`
 * consumes something, raises `need`, or reports an error.
 */
export interface FormatParser {
  readonly need: number;
  readonly interfaces: readonly CaptureInterface[];
  parse(buf: Uint8Array, start: number, end: number, offset: number): number;
  /** End of input; `rest` is the incomplete unit that starts at `offset` (possibly empty). */
  end(rest: Uint8Array, offset: number): void;
}

/** What the format parsers report through: frames, problems, the stop after an error. */
export class ParserHost {
  stopped = false;
  framesDelivered = 0;
  readonly maxRecordBytes: number;
  private readonly sink: CaptureSink;
  private readonly warnings = new Map<string, { count: number; firstUnreported: number }>();

  constructor(sink: CaptureSink, maxRecordBytes: number) {
    this.sink = sink;
    this.maxRecordBytes = maxRecordBytes;
  }

  frame(
    frame: number,
    interfaceId: number,
    iface: CaptureInterface,
    tsHigh: number,
    tsLow: number,
    capturedLength: number,
    originalLength: number,
    data: Uint8Array,
    comments: readonly string[] | undefined,
    untimed: boolean,
  ): void {
    this.framesDelivered++;
    // Every frame gets the same properties in the same order: one object shape for the consumers.
    this.sink.frame({
      frame,
      interfaceId,
      linkType: iface.linkType,
      fcsBytes: iface.fcsBytes,
      tsHigh,
      tsLow,
      clock: iface.clock,
      capturedLength,
      originalLength,
      data,
      comments,
      untimed,
    });
  }

  /** Reports damage after which nothing can be trusted, and stops the reader. */
  error(offset: number, message: string, frame?: number): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sink.problem(problem('error', offset, message, frame));
  }

  /**
   * Reports a fault reading can go on after. `kind` names the fault in the plural
   * ("frames whose ..."): past a few of one kind they are counted and summed up at the end.
   */
  warning(kind: string, offset: number, message: string, frame?: number): void {
    let seen = this.warnings.get(kind);
    if (seen === undefined) {
      seen = { count: 0, firstUnreported: 0 };
      this.warnings.set(kind, seen);
    }
    seen.count++;
    if (seen.count <= WARNINGS_PER_KIND) this.sink.problem(problem('warning', offset, message, frame));
    else if (seen.count === WARNINGS_PER_KIND + 1) seen.firstUnreported = offset;
  }

  summarizeWarnings(): void {
    for (const [kind, seen] of this.warnings) {
      if (seen.count <= WARNINGS_PER_KIND) continue;
      const more = seen.count - WARNINGS_PER_KIND;
      this.sink.problem(
        problem(
          'warning',
          seen.firstUnreported,
          `${more} more ${kind} were not reported one by one (${seen.count} in all)`,
        ),
      );
    }
    this.warnings.clear();
  }
}

function problem(
  severity: CaptureProblem['severity'],
  offset: number,
  message: string,
  frame?: number,
): CaptureProblem {
  return frame === undefined ? { severity, offset, message } : { severity, offset, frame, message };
}

/**
 * Push reader for pcap and pcapng captures: feed it the bytes of a file in chunks of any
 * size; it calls the sink synchronously for each frame and problem. Pure: no I/O.
 *
 * Frames are views into the chunks fed (or, for a record split across two chunks, into a
 * buffer of its own). At most one incomplete record or block is kept between chunks.
 */
export class CaptureReader {
  private readonly host: ParserHost;
  private parser: FormatParser | undefined;
  private detectedFormat: 'pcap' | 'pcapng' | undefined;
  /** Bytes of the incomplete unit at `offset`, carried to the next chunk. */
  private pending: Uint8Array | undefined;
  private pendingLength = 0;
  /** File offset of the first byte not consumed yet. */
  private offset = 0;
  private ended = false;

  constructor(sink: CaptureSink, options: CaptureReaderOptions = {}) {
    this.host = new ParserHost(sink, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
  }

  get format(): 'pcap' | 'pcapng' | undefined {
    return this.detectedFormat;
  }

  /** true after an error problem: later input is ignored. */
  get stopped(): boolean {
    return this.host.stopped;
  }

  get framesDelivered(): number {
    return this.host.framesDelivered;
  }

  /** The interfaces of the current pcapng section, or the one interface of a pcap file. */
  get interfaces(): readonly CaptureInterface[] {
    return this.parser?.interfaces ?? [];
  }

  /** pcapng Name Resolution Block records seen so far (empty for pcap). */
  get nameRecords(): readonly NameRecord[] {
    return this.parser instanceof PcapngParser ? this.parser.nameRecords : [];
  }

  feed(chunk: Uint8Array): void {
    if (this.host.stopped || this.ended || chunk.length === 0) return;
    let pos = 0;
    if (this.parser === undefined || this.pendingLength > 0) {
      pos = this.completePending(chunk);
      if (pos === chunk.length || this.host.stopped) return;
    }
    const parser = this.parser!;
    const consumed = parser.parse(chunk, pos, chunk.length, this.offset);
    this.offset += consumed;
    if (this.host.stopped) return;
    const rest = chunk.length - pos - consumed;
    if (rest > 0) {
      this.pending = new Uint8Array(Math.max(rest, parser.need));
      this.pending.set(chunk.subarray(pos + consumed));
      this.pendingLength = rest;
    }
  }

  /** End of input: reports a truncated last record or block, and the warnings only counted so far. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.host.stopped) {
      const rest = this.pending?.subarray(0, this.pendingLength) ?? new Uint8Array(0);
      if (this.parser !== undefined) this.parser.end(rest, this.offset);
      else if (rest.length === 0) this.host.error(0, 'the input is empty: expected a pcap or pcapng file header');
      else
        this.host.error(0, `the input is only ${rest.length} bytes long: too short for a pcap or pcapng file header`);
    }
    this.host.summarizeWarnings();
    this.pending = undefined;
    this.pendingLength = 0;
  }

  /**
   * The input broke off for a reason outside the capture format (a compressed file cut short):
   * an error at the offset reached, after which the reader is ended.
   */
  fail(message: string): void {
    if (this.ended) return;
    if (!this.host.stopped) this.host.error(this.offset + this.pendingLength, message);
    this.end();
  }

  /**
   * Adds bytes from the start of `chunk` to the pending unit until it is complete and
   * parsed (or the chunk is used up); returns how many bytes of `chunk` it took.
   */
  private completePending(chunk: Uint8Array): number {
    let pos = 0;
    for (;;) {
      const need = this.parser?.need ?? MAGIC_BYTES;
      if (this.pendingLength < need) {
        const take = Math.min(need - this.pendingLength, chunk.length - pos);
        if (this.pending === undefined || this.pending.length < need) {
          const grown = new Uint8Array(need);
          if (this.pending !== undefined) grown.set(this.pending.subarray(0, this.pendingLength));
          this.pending = grown;
        }
        this.pending.set(chunk.subarray(pos, pos + take), this.pendingLength);
        this.pendingLength += take;
        pos += take;
        if (this.pendingLength < need) return pos;
      }
      if (this.parser === undefined) {
        this.detect(this.pending!);
        if (this.host.stopped) return pos;
        continue;
      }
      const consumed = this.parser.parse(this.pending!, 0, this.pendingLength, this.offset);
      if (this.host.stopped) return pos;
      if (consumed > 0) {
        // The pending bytes were exactly one unit: delivered frames may point into them, so start afresh.
        this.offset += consumed;
        this.pending = undefined;
        this.pendingLength = 0;
        return pos;
      }
    }
  }

  /** Chooses the format from the first 4 bytes, whatever the file is called. */
  private detect(first: Uint8Array): void {
    const word = readU32(first, 0, false);
    if (isPcapMagic(word)) {
      this.detectedFormat = 'pcap';
      this.parser = new PcapParser(this.host);
    } else if (word === SHB_BLOCK_TYPE) {
      this.detectedFormat = 'pcapng';
      this.parser = new PcapngParser(this.host);
    } else {
      this.host.error(
        0,
        `not a pcap or pcapng capture: first 4 bytes are ${hexBytes(first, 0, 4)}, ` +
          'expected a1b2c3d4/a1b23c4d (either byte order) or 0a0d0d0a',
      );
    }
  }
}
