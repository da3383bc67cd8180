/**
 * Classic libpcap files (draft-ietf-opsawg-pcap): a 24-byte file header, then records
 * of a 16-byte header and the captured bytes.
 */
import { readU16, readU32 } from './bytes.js';
import type { CaptureInterface, FrameClock } from './frame.js';
import type { FormatParser, ParserHost } from './reader.js';

/**
 * Magic numbers as the writer's byte order stores them; read big-endian, the swapped forms mean a
 * little-endian file.
 */
const MAGIC_MICROSECONDS = 0xa1b2c3d4;
const MAGIC_NANOSECONDS = 0xa1b23c4d;
const MAGIC_MICROSECONDS_SWAPPED = 0xd4c3b2a1;
const MAGIC_NANOSECONDS_SWAPPED = 0x4d3cb2a1;

const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

/**
 * Largest captured length of an ordinary record, whatever the snap length says
 * (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD, libpcap's MAXIMUM_SNAPLEN): anything
 * longer is a corrupt length.
 */
const MAX_PACKET_BYTES = 262144;

/**
 * Link-type field: bits 0..15 the LINKTYPE_* value; when bit 26 (the F bit) is set, bits
 * 28..31 give the FCS length in 16-bit words (libpcap LT_FCS_LENGTH_PRESENT / LT_FCS_LENGTH).
 */
const LINKTYPE_MASK = 0xffff;
const FCS_PRESENT_BIT = 0x04000000;
const FCS_WORDS_SHIFT = 28;

const MICROSECOND_CLOCK: FrameClock = { unitsPerSecond: 1e6, digits: 6, offsetSeconds: 0, split: true };
const NANOSECOND_CLOCK: FrameClock = { unitsPerSecond: 1e9, digits: 9, offsetSeconds: 0, split: true };

/** `word`: the first 4 bytes of a file read big-endian. */
export function isPcapMagic(word: number): boolean {
  return (
    word === MAGIC_MICROSECONDS ||
    word === MAGIC_NANOSECONDS ||
    word === MAGIC_MICROSECONDS_SWAPPED ||
    word === MAGIC_NANOSECONDS_SWAPPED
  );
}

/**
 * Which of caplen/len the record header holds first. libpcap swapped them before
 * version 2.3; some 2.3 files have them either way (swapped when caplen > len); DG/UX
 * tcpdump writes version 543.0 in the old order. Wireshark and libpcap follow the same rule.
 */
type LengthOrder = 'normal' | 'swapped' | 'maybe-swapped';

function lengthOrder(major: number, minor: number): LengthOrder {
  if (major === 2) return minor < 3 ? 'swapped' : minor === 3 ? 'maybe-swapped' : 'normal';
  return major === 543 ? 'swapped' : 'normal';
}

export class PcapParser implements FormatParser {
  need = FILE_HEADER_BYTES;
  interfaces: readonly CaptureInterface[] = [];
  private readonly host: ParserHost;
  private headerRead = false;
  private littleEndian = true;
  private lengthOrder: LengthOrder = 'normal';
  private iface: CaptureInterface | undefined;
  private snapLength = 0;
  /** Largest captured length accepted before the record is taken as corrupt. */
  private maxCapturedLength = MAX_PACKET_BYTES;
  private frameNumber = 0;

  constructor(host: ParserHost) {
    this.host = host;
  }

  parse(buf: Uint8Array, start: number, end: number, offset: number): number {
    let p = start;
    if (!this.headerRead) {
      if (end - p < FILE_HEADER_BYTES) return 0;
      this.readFileHeader(buf, p);
      p += FILE_HEADER_BYTES;
    }
    const host = this.host;
    const iface = this.iface!;
    const le = this.littleEndian;
    const snapLength = this.snapLength;
    // A view made from the ArrayBuffer costs about half of `subarray` (V8, Node 20).
    const arrayBuffer = buf.buffer;
    const base = buf.byteOffset + RECORD_HEADER_BYTES;
    for (;;) {
      const available = end - p;
      if (available < RECORD_HEADER_BYTES) {
        this.need = RECORD_HEADER_BYTES;
        break;
      }
      let capturedLength = readU32(buf, p + 8, le);
      let originalLength = readU32(buf, p + 12, le);
      if (this.lengthOrder !== 'normal' && (this.lengthOrder === 'swapped' || capturedLength > originalLength)) {
        const t = capturedLength;
        capturedLength = originalLength;
        originalLength = t;
      }
      if (capturedLength > this.maxCapturedLength) {
        host.error(offset + (p - start), this.tooLong(offset + (p - start), capturedLength), this.frameNumber + 1);
        return p - start;
      }
      const total = RECORD_HEADER_BYTES + capturedLength;
      if (available < total) {
        this.need = total;
        break;
      }
      const frame = ++this.frameNumber;
      if (capturedLength > originalLength) {
        host.warning(
          'frames whose captured length is larger than the original length',
          offset + (p - start),
          `record at offset ${offset + (p - start)} (frame ${frame}): captured length ${capturedLength} ` +
            `is larger than the original length ${originalLength}`,
          frame,
        );
      }
      if (snapLength !== 0 && capturedLength > snapLength) {
        host.warning(
          'frames longer than the snap length',
          offset + (p - start),
          `record at offset ${offset + (p - start)} (frame ${frame}): captured length ${capturedLength} ` +
            `is larger than the snap length ${snapLength} of the file header`,
          frame,
        );
      }
      host.frame(
        frame,
        0,
        iface,
        readU32(buf, p, le),
        readU32(buf, p + 4, le),
        capturedLength,
        originalLength,
        new Uint8Array(arrayBuffer, base + p, capturedLength),
        undefined,
        false,
      );
      p += total;
    }
    return p - start;
  }

  end(rest: Uint8Array, offset: number): void {
    if (!this.headerRead) {
      this.host.error(
        offset,
        `file ends inside the pcap file header: expected ${FILE_HEADER_BYTES} bytes, found ${rest.length}`,
      );
      return;
    }
    if (rest.length === 0) return;
    const frame = this.frameNumber + 1;
    if (rest.length < RECORD_HEADER_BYTES) {
      this.host.error(
        offset,
        `file ends in the middle of the record header of frame ${frame} at offset ${offset}: ` +
          `expected ${RECORD_HEADER_BYTES} bytes, found ${rest.length}`,
        frame,
      );
      return;
    }
    const expected = this.need - RECORD_HEADER_BYTES;
    this.host.error(
      offset,
      `file ends in the middle of frame ${frame} at offset ${offset}: ` +
        `expected ${expected} bytes of packet data, found ${rest.length - RECORD_HEADER_BYTES}`,
      frame,
    );
  }

  private readFileHeader(buf: Uint8Array, p: number): void {
    const magic = readU32(buf, p, false);
    const le = magic === MAGIC_MICROSECONDS_SWAPPED || magic === MAGIC_NANOSECONDS_SWAPPED;
    const nanos = magic === MAGIC_NANOSECONDS || magic === MAGIC_NANOSECONDS_SWAPPED;
    const major = readU16(buf, p + 4, le);
    const minor = readU16(buf, p + 6, le);
    const snapLength = readU32(buf, p + 16, le);
    const linkField = readU32(buf, p + 20, le);
    if (major !== 2 && major !== 543) {
      this.host.warning(
        'unknown pcap versions',
        4,
        `pcap file header at offset 0: version ${major}.${minor} is unknown (expected 2.4); reading it as 2.4`,
      );
    }
    this.headerRead = true;
    this.littleEndian = le;
    this.lengthOrder = lengthOrder(major, minor);
    this.snapLength = snapLength;
    this.maxCapturedLength = Math.min(Math.max(snapLength, MAX_PACKET_BYTES), this.host.maxRecordBytes);
    this.iface = {
      linkType: linkField & LINKTYPE_MASK,
      snapLength,
      clock: nanos ? NANOSECOND_CLOCK : MICROSECOND_CLOCK,
      name: undefined,
      fcsBytes: (linkField & FCS_PRESENT_BIT) !== 0 ? ((linkField >>> FCS_WORDS_SHIFT) & 0xf) * 2 : 0,
    };
    this.interfaces = [this.iface];
  }

  private tooLong(at: number, capturedLength: number): string {
    const limit = this.maxCapturedLength;
    if (limit === this.host.maxRecordBytes && limit < Math.max(this.snapLength, MAX_PACKET_BYTES)) {
      return (
        `record at offset ${at}: captured length ${capturedLength} is larger than the ${limit}-byte limit ` +
        'for one record'
      );
    }
    const snap =
      `record at offset ${at}: captured length ${capturedLength} ` +
      `is larger than the snap length ${this.snapLength}`;
    return this.snapLength > MAX_PACKET_BYTES ? snap : `${snap} (and the ${MAX_PACKET_BYTES}-byte maximum)`;
  }
}
