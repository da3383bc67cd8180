/**
 * Classic libpcap files (https://www.tcpdump.org/manpages/pcap-savefile.5.html), microsecond
 * resolution, little-endian: the writer the bench capture is made with, and the reader for
 * the small files tshark extracts from the fixture captures.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export const LINKTYPE_ETHERNET = 1;
const MAGIC_MICROSECONDS = 0xa1b2c3d4;
const GLOBAL_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const SNAPLEN = 262144;
const CHUNK_BYTES = 1 << 20;

export interface PcapRecord {
  /** Microseconds since the epoch (exact in a double until year 2255). */
  readonly timeMicros: number;
  readonly data: Uint8Array;
}

export function globalHeader(linkType: number): Buffer {
  const header = Buffer.alloc(GLOBAL_HEADER_BYTES);
  header.writeUInt32LE(MAGIC_MICROSECONDS, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(SNAPLEN, 16);
  header.writeUInt32LE(linkType, 20);
  return header;
}

/**
 * Appends records into 1 MiB chunks and writes each full chunk to `out`, waiting for
 * 'drain' when the stream's buffer is full. A chunk is reused once the stream has written
 * it: memory stays flat whatever the file size.
 */
export class PcapWriter {
  bytesWritten = 0;
  packets = 0;
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly written: Buffer[] = [];

  constructor(
    private readonly out: Writable,
    linkType: number,
  ) {
    const header = globalHeader(linkType);
    header.copy(this.chunk);
    this.used = header.length;
    this.bytesWritten = header.length;
  }

  async write(record: PcapRecord): Promise<void> {
    const needed = RECORD_HEADER_BYTES + record.data.length;
    if (this.used + needed > this.chunk.length) await this.flush(needed);
    const seconds = Math.floor(record.timeMicros / 1e6);
    const chunk = this.chunk;
    chunk.writeUInt32LE(seconds, this.used);
    chunk.writeUInt32LE(record.timeMicros - seconds * 1e6, this.used + 4);
    chunk.writeUInt32LE(record.data.length, this.used + 8);
    chunk.writeUInt32LE(record.data.length, this.used + 12);
    chunk.set(record.data, this.used + RECORD_HEADER_BYTES);
    this.used += needed;
    this.bytesWritten += needed;
    this.packets += 1;
  }

  async end(): Promise<void> {
    await this.flush(0);
    this.out.end();
    await once(this.out, 'finish');
  }

  private async flush(nextRecordBytes: number): Promise<void> {
    const full = this.chunk;
    if (
      this.used > 0 &&
      !this.out.write(full.subarray(0, this.used), () => {
        if (full.length === CHUNK_BYTES) this.written.push(full);
      })
    ) {
      await once(this.out, 'drain');
    }
    this.chunk =
      nextRecordBytes > CHUNK_BYTES
        ? Buffer.allocUnsafe(nextRecordBytes)
        : (this.written.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES));
    this.used = 0;
  }
}

export interface ClassicPcap {
  readonly linkType: number;
  readonly records: PcapRecord[];
}

/** Reads a whole little- or big-endian microsecond pcap held in memory (small files only). */
export function readClassicPcap(bytes: Buffer, name: string): ClassicPcap {
  if (bytes.length < GLOBAL_HEADER_BYTES) throw new Error(`${name}: ${bytes.length} bytes, shorter than a pcap header`);
  const littleEndian = bytes.readUInt32LE(0) === MAGIC_MICROSECONDS;
  if (!littleEndian && bytes.readUInt32BE(0) !== MAGIC_MICROSECONDS) {
    throw new Error(`${name}: magic ${bytes.subarray(0, 4).toString('hex')} at offset 0, expected a microsecond pcap`);
  }
  const u32 = (offset: number): number => (littleEndian ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset));
  const records: PcapRecord[] = [];
  let offset = GLOBAL_HEADER_BYTES;
  while (offset + RECORD_HEADER_BYTES <= bytes.length) {
    const capturedLength = u32(offset + 8);
    const end = offset + RECORD_HEADER_BYTES + capturedLength;
    if (end > bytes.length) throw new Error(`${name}: record at offset ${offset} runs past the end of the file`);
    records.push({
      timeMicros: u32(offset) * 1e6 + u32(offset + 4),
      data: bytes.subarray(offset + RECORD_HEADER_BYTES, end),
    });
    offset = end;
  }
  if (offset !== bytes.length) throw new Error(`${name}: ${bytes.length - offset} stray bytes at offset ${offset}`);
  return { linkType: u32(20), records };
}
