/**
 * pcapng (draft-ietf-opsawg-pcapng): blocks of type, total length, body and the total
 * length again, in sections that each start with a Section Header Block and have their
 * own byte order.
 */
import { byteAt, hexBytes, readI64, readU16, readU32 } from './bytes.js';
import type { CaptureInterface, FrameClock } from './frame.js';
import type { FormatParser, ParserHost } from './reader.js';

/** Section Header Block type: the same bytes in both byte orders, so also the file's magic. */
export const SHB_BLOCK_TYPE = 0x0a0d0d0a;
/** The SHB byte-order magic as written by a little-endian writer, read big-endian. */
const BYTE_ORDER_MAGIC_LE = 0x4d3c2b1a;
const BYTE_ORDER_MAGIC_BE = 0x1a2b3c4d;

const IDB_BLOCK_TYPE = 1;
/** Obsolete Packet Block, superseded by the EPB; still found in old files. */
const PB_BLOCK_TYPE = 2;
const SPB_BLOCK_TYPE = 3;
const NRB_BLOCK_TYPE = 4;
const EPB_BLOCK_TYPE = 6;

/**
 * Blocks Wireshark (3.6 and later) lists as frames of their own although they hold no
 * packet: custom blocks (0x00000BAD, 0x40000BAD) and systemd journal entries (9). They
 * take a frame number here too, so that frame numbers match what the user sees in
 * Wireshark; no frame is delivered for them.
 */
const NUMBERED_NON_PACKET_BLOCKS: ReadonlySet<number> = new Set([0x00000bad, 0x40000bad, 0x00000009]);

/**
 * Enough of a block to know its size: type, total length and, in an SHB, the byte-order magic
 * needed to read that length.
 */
const BLOCK_HEADER_BYTES = 12;
const BLOCK_TRAILER_BYTES = 4;
/** Fixed part before the packet data of an EPB or a PB (header included). */
const PACKET_FIXED_BYTES = 28;
/** Fixed part before the packet data of an SPB (header included). */
const SPB_FIXED_BYTES = 12;

const EPB_MINIMUM_BYTES = PACKET_FIXED_BYTES + BLOCK_TRAILER_BYTES;
const MINIMUM_BLOCK_BYTES: ReadonlyMap<number, number> = new Map([
  [SHB_BLOCK_TYPE, 28],
  [IDB_BLOCK_TYPE, 20],
  [PB_BLOCK_TYPE, PACKET_FIXED_BYTES + BLOCK_TRAILER_BYTES],
  [SPB_BLOCK_TYPE, SPB_FIXED_BYTES + BLOCK_TRAILER_BYTES],
  [EPB_BLOCK_TYPE, EPB_MINIMUM_BYTES],
]);

const BLOCK_NAMES: ReadonlyMap<number, string> = new Map([
  [SHB_BLOCK_TYPE, 'section header block'],
  [IDB_BLOCK_TYPE, 'interface description block'],
  [PB_BLOCK_TYPE, 'packet block'],
  [SPB_BLOCK_TYPE, 'simple packet block'],
  [NRB_BLOCK_TYPE, 'name resolution block'],
  [EPB_BLOCK_TYPE, 'enhanced packet block'],
]);

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;

/** if_tsresol: most significant bit set → 2^-n seconds, clear → 10^-n; absent → microseconds. */
const TSRESOL_BINARY = 0x80;
const MAX_DECIMAL_EXPONENT = 19;
const MAX_BINARY_EXPONENT = 63;

/** NRB record types and the address length of each. */
const NAME_RECORD_TYPES: ReadonlyMap<number, { type: NameRecord['type']; addressBytes: number }> = new Map([
  [1, { type: 'ipv4', addressBytes: 4 }],
  [2, { type: 'ipv6', addressBytes: 16 }],
  [3, { type: 'eui48', addressBytes: 6 }],
  [4, { type: 'eui64', addressBytes: 8 }],
] as const);
const NRB_RECORD_END = 0;
/** Name records kept at most; a file with more is reported once. */
const MAX_NAME_RECORDS = 65536;

/** One pcapng Name Resolution Block record: an address and the names the capturing host had for it. */
export interface NameRecord {
  readonly type: 'ipv4' | 'ipv6' | 'eui48' | 'eui64';
  /** Network byte order, as in the file (a copy). */
  readonly address: Uint8Array;
  readonly names: readonly string[];
}

const MICROSECONDS = 1e6;
const utf8 = new TextDecoder('utf-8');

function text(buf: Uint8Array, start: number, length: number): string {
  let end = start + length;
  while (end > start && buf[end - 1] === 0) end--; // some writers add a terminating NUL
  return utf8.decode(buf.subarray(start, end));
}

function blockName(type: number): string {
  return BLOCK_NAMES.get(type) ?? `block of type 0x${type.toString(16).padStart(8, '0')}`;
}

export class PcapngParser implements FormatParser {
  need = BLOCK_HEADER_BYTES;
  /** The interfaces of the current section (a new array for each section). */
  interfaces: readonly CaptureInterface[] = [];
  readonly nameRecords: NameRecord[] = [];
  private readonly host: ParserHost;
  private sectionInterfaces: CaptureInterface[] = [];
  private littleEndian = true;
  /** In a section of an unknown major version: its blocks are skipped. */
  private skippingSection = false;
  private frameNumber = 0;
  /** `buf.buffer` and `buf.byteOffset` of the buffer being parsed, for the frames' views into it. */
  private arrayBuffer: ArrayBufferLike = new ArrayBuffer(0);
  private byteOffset = 0;

  constructor(host: ParserHost) {
    this.host = host;
  }

  parse(buf: Uint8Array, start: number, end: number, offset: number): number {
    const host = this.host;
    /** File offset of buf[i] is i + delta. */
    const delta = offset - start;
    // Read once per call: the `buffer` getter costs much per frame.
    this.arrayBuffer = buf.buffer;
    this.byteOffset = buf.byteOffset;
    let p = start;
    for (;;) {
      const available = end - p;
      if (available < BLOCK_HEADER_BYTES) {
        this.need = BLOCK_HEADER_BYTES;
        break;
      }
      const at = p + delta;
      let le = this.littleEndian;
      const type = readU32(buf, p, le);
      if (type === SHB_BLOCK_TYPE) {
        const byteOrder = readU32(buf, p + 8, false);
        if (byteOrder === BYTE_ORDER_MAGIC_LE) le = true;
        else if (byteOrder === BYTE_ORDER_MAGIC_BE) le = false;
        else {
          host.error(
            at,
            `section header block at offset ${at}: byte-order magic is ${hexBytes(buf, p + 8, 4)}, ` +
              'expected 1a2b3c4d in either byte order',
          );
          return p - start;
        }
      }
      const length = readU32(buf, p + 4, le);
      const minimum =
        type === EPB_BLOCK_TYPE ? EPB_MINIMUM_BYTES : (MINIMUM_BLOCK_BYTES.get(type) ?? BLOCK_HEADER_BYTES);
      if (length < minimum || length % 4 !== 0 || length > host.maxRecordBytes) {
        const fault =
          length < minimum
            ? `is smaller than the ${minimum}-byte minimum`
            : length % 4 !== 0
              ? 'is not a multiple of 4'
              : `is larger than the ${host.maxRecordBytes}-byte limit for one block`;
        host.error(at, `${blockName(type)} at offset ${at}: total length ${length} ${fault}`, this.frameOf(type));
        return p - start;
      }
      if (available < length) {
        this.need = length;
        break;
      }
      const trailing = readU32(buf, p + length - BLOCK_TRAILER_BYTES, le);
      if (trailing !== length) {
        host.error(
          at,
          `${blockName(type)} at offset ${at}: trailing total length ${trailing} ` +
            `does not match the leading total length ${length}`,
          this.frameOf(type),
        );
        return p - start;
      }
      if (type === SHB_BLOCK_TYPE) this.startSection(buf, p, le, at);
      else if (!this.skippingSection && !this.block(buf, p, type, length, le, delta)) return p - start;
      p += length;
    }
    return p - start;
  }

  /** Reads one whole block of the current section by its type; false when the capture cannot go on past it. */
  private block(buf: Uint8Array, p: number, type: number, length: number, le: boolean, delta: number): boolean {
    switch (type) {
      case EPB_BLOCK_TYPE:
        return this.packet(buf, p, length, readU32(buf, p + 8, le), delta);
      case PB_BLOCK_TYPE:
        return this.packet(buf, p, length, readU16(buf, p + 8, le), delta);
      case SPB_BLOCK_TYPE:
        return this.simplePacket(buf, p, length, delta);
      case IDB_BLOCK_TYPE:
        this.interfaceDescription(buf, p, length, delta);
        return true;
      case NRB_BLOCK_TYPE:
        this.nameResolution(buf, p, length, delta);
        return true;
      default:
        if (NUMBERED_NON_PACKET_BLOCKS.has(type)) this.frameNumber++;
        return true;
    }
  }

  end(rest: Uint8Array, offset: number): void {
    if (rest.length === 0) return;
    if (rest.length < 4) {
      this.host.error(
        offset,
        `file ends in the middle of a block header at offset ${offset}: ` +
          `expected ${BLOCK_HEADER_BYTES} bytes, found ${rest.length}`,
      );
      return;
    }
    const type = readU32(rest, 0, this.littleEndian);
    const frame = this.frameOf(type);
    const what = frame === undefined ? `a ${blockName(type)}` : `frame ${frame} (${blockName(type)})`;
    this.host.error(
      offset,
      `file ends in the middle of ${what} at offset ${offset}: ` + `expected ${this.need} bytes, found ${rest.length}`,
      frame,
    );
  }

  /** The frame number a block would get, for messages about it. */
  private frameOf(type: number): number | undefined {
    return type === EPB_BLOCK_TYPE || type === PB_BLOCK_TYPE || type === SPB_BLOCK_TYPE
      ? this.frameNumber + 1
      : undefined;
  }

  private startSection(buf: Uint8Array, p: number, le: boolean, at: number): void {
    const major = readU16(buf, p + 12, le);
    const minor = readU16(buf, p + 14, le);
    this.littleEndian = le;
    this.sectionInterfaces = [];
    this.interfaces = this.sectionInterfaces;
    this.skippingSection = major !== 1;
    if (this.skippingSection) {
      this.host.warning(
        'sections of an unknown pcapng version',
        at,
        `section header block at offset ${at}: version ${major}.${minor} is unknown (expected 1.0); ` +
          'the blocks of this section are skipped up to the next section header block',
      );
    }
  }

  /** EPB or obsolete PB (the same layout but for the width of the interface id). Returns false after an error. */
  private packet(buf: Uint8Array, p: number, length: number, interfaceId: number, delta: number): boolean {
    const host = this.host;
    const le = this.littleEndian;
    const at = p + delta;
    const frame = this.frameNumber + 1;
    const iface = this.sectionInterfaces[interfaceId];
    if (iface === undefined) {
      host.error(
        at,
        `${blockName(readU32(buf, p, le))} at offset ${at}: interface ${interfaceId} is not defined ` +
          `(the section has ${this.sectionInterfaces.length} interface description blocks so far)`,
        frame,
      );
      return false;
    }
    const capturedLength = readU32(buf, p + 20, le);
    const originalLength = readU32(buf, p + 24, le);
    const room = length - PACKET_FIXED_BYTES - BLOCK_TRAILER_BYTES;
    if (capturedLength > room) {
      host.error(
        at,
        `${blockName(readU32(buf, p, le))} at offset ${at}: captured length ${capturedLength} ` +
          `does not fit in the block of ${length} bytes (room for ${room})`,
        frame,
      );
      return false;
    }
    const dataStart = p + PACKET_FIXED_BYTES;
    const optionsStart = dataStart + ((capturedLength + 3) & ~3);
    const blockEnd = p + length - BLOCK_TRAILER_BYTES;
    const comments = optionsStart < blockEnd ? this.comments(buf, optionsStart, blockEnd, delta, at) : undefined;
    this.frameNumber = frame;
    this.lengthWarnings(at, frame, capturedLength, originalLength, iface.snapLength);
    host.frame(
      frame,
      interfaceId,
      iface,
      readU32(buf, p + 12, le),
      readU32(buf, p + 16, le),
      capturedLength,
      originalLength,
      new Uint8Array(this.arrayBuffer, this.byteOffset + dataStart, capturedLength),
      comments,
      false,
    );
    return true;
  }

  /**
   * SPB: interface 0, no timestamp; captured length = min(original length, snap length).
   * Returns false after an error.
   */
  private simplePacket(buf: Uint8Array, p: number, length: number, delta: number): boolean {
    const host = this.host;
    const at = p + delta;
    const frame = this.frameNumber + 1;
    const iface = this.sectionInterfaces[0];
    if (iface === undefined) {
      host.error(
        at,
        `simple packet block at offset ${at}: no interface description block precedes it in the section`,
        frame,
      );
      return false;
    }
    const originalLength = readU32(buf, p + 8, this.littleEndian);
    const snap = iface.snapLength;
    const capturedLength = snap !== 0 && originalLength > snap ? snap : originalLength;
    const room = length - SPB_FIXED_BYTES - BLOCK_TRAILER_BYTES;
    if (capturedLength > room) {
      host.error(
        at,
        `simple packet block at offset ${at}: original length ${originalLength} ` +
          `(${capturedLength} bytes captured with the snap length ${snap}) ` +
          `does not fit in the block of ${length} bytes (room for ${room})`,
        frame,
      );
      return false;
    }
    this.frameNumber = frame;
    const dataStart = p + SPB_FIXED_BYTES;
    host.frame(
      frame,
      0,
      iface,
      0,
      0,
      capturedLength,
      originalLength,
      new Uint8Array(this.arrayBuffer, this.byteOffset + dataStart, capturedLength),
      undefined,
      true,
    );
    return true;
  }

  private lengthWarnings(
    at: number,
    frame: number,
    capturedLength: number,
    originalLength: number,
    snapLength: number,
  ): void {
    if (capturedLength > originalLength) {
      this.host.warning(
        'frames whose captured length is larger than the original length',
        at,
        `packet block at offset ${at} (frame ${frame}): captured length ${capturedLength} ` +
          `is larger than the original length ${originalLength}`,
        frame,
      );
    }
    if (snapLength !== 0 && capturedLength > snapLength) {
      this.host.warning(
        'frames longer than the snap length',
        at,
        `packet block at offset ${at} (frame ${frame}): captured length ${capturedLength} ` +
          `is larger than the snap length ${snapLength} of its interface`,
        frame,
      );
    }
  }

  private comments(buf: Uint8Array, from: number, to: number, delta: number, at: number): string[] | undefined {
    const comments: string[] = [];
    this.walkOptions(buf, from, to, delta, at, (code, start, length) => {
      if (code === OPT_COMMENT) comments.push(text(buf, start, length));
    });
    return comments.length ? comments : undefined;
  }

  private interfaceDescription(buf: Uint8Array, p: number, length: number, delta: number): void {
    const le = this.littleEndian;
    const at = p + delta;
    let name: string | undefined;
    let tsresol: number | undefined;
    let offsetSeconds = 0;
    let fcsBytes = 0;
    this.walkOptions(buf, p + 16, p + length - BLOCK_TRAILER_BYTES, delta, at, (code, start, size) => {
      if (code === IF_NAME) name = text(buf, start, size);
      else if (code === IF_TSRESOL && size >= 1) tsresol = byteAt(buf, start);
      else if (code === IF_TSOFFSET && size >= 8) offsetSeconds = readI64(buf, start, le);
      else if (code === IF_FCSLEN && size >= 1) fcsBytes = this.fcsBytes(byteAt(buf, start), start + delta, at);
    });
    // The same properties in the same order as the pcap interface: frames are built from either.
    const iface: CaptureInterface = {
      linkType: readU16(buf, p + 8, le),
      snapLength: readU32(buf, p + 12, le),
      clock: this.clock(tsresol, offsetSeconds, at),
      name,
      fcsBytes,
    };
    this.sectionInterfaces.push(iface);
  }

  private clock(tsresol: number | undefined, offsetSeconds: number, at: number): FrameClock {
    if (tsresol !== undefined) {
      const exponent = tsresol & ~TSRESOL_BINARY;
      if ((tsresol & TSRESOL_BINARY) !== 0 && exponent <= MAX_BINARY_EXPONENT) {
        return {
          unitsPerSecond: 2 ** exponent,
          digits: Math.min(9, Math.ceil(exponent * Math.log10(2))),
          offsetSeconds,
          split: false,
        };
      }
      if ((tsresol & TSRESOL_BINARY) === 0 && exponent <= MAX_DECIMAL_EXPONENT) {
        return { unitsPerSecond: 10 ** exponent, digits: exponent, offsetSeconds, split: false };
      }
      this.host.warning(
        'interfaces with an unusable time resolution',
        at,
        `interface description block at offset ${at}: if_tsresol 0x${tsresol.toString(16)} is beyond ` +
          `10^-${MAX_DECIMAL_EXPONENT} or 2^-${MAX_BINARY_EXPONENT} seconds; reading its timestamps as microseconds`,
      );
    }
    return { unitsPerSecond: MICROSECONDS, digits: 6, offsetSeconds, split: false };
  }

  /**
   * The spec words if_fcslen in bits but gives '4' as its example, and Wireshark reads it
   * as bytes: 16 and 32 are taken as bits, 0..4 as bytes.
   */
  private fcsBytes(value: number, optionAt: number, at: number): number {
    if (value <= 4) return value;
    if (value === 16 || value === 32) return value / 8;
    this.host.warning(
      'interfaces with an unusable FCS length',
      optionAt,
      `interface description block at offset ${at}: if_fcslen ${value} ` +
        'is neither a byte count (0-4) nor 16 or 32 bits; taken as no FCS',
    );
    return 0;
  }

  private nameResolution(buf: Uint8Array, p: number, length: number, delta: number): void {
    const le = this.littleEndian;
    const at = p + delta;
    const to = p + length - BLOCK_TRAILER_BYTES;
    let r = p + 8;
    while (to - r >= 4) {
      const recordType = readU16(buf, r, le);
      const size = readU16(buf, r + 2, le);
      if (recordType === NRB_RECORD_END) return;
      if (r + 4 + size > to) {
        this.host.warning(
          'name resolution blocks with malformed records',
          r + delta,
          `name resolution block at offset ${at}: record at offset ${r + delta} is ${size} bytes long but only ` +
            `${to - r - 4} bytes of the block remain; the rest of the block is ignored`,
        );
        return;
      }
      const kind = NAME_RECORD_TYPES.get(recordType);
      if (kind !== undefined && size >= kind.addressBytes) {
        if (this.nameRecords.length === MAX_NAME_RECORDS) {
          this.host.warning(
            'name resolution records beyond the limit',
            r + delta,
            `name resolution block at offset ${at}: more than ${MAX_NAME_RECORDS} name records in the file; ` +
              'the rest are ignored',
          );
          return;
        }
        const valueStart = r + 4 + kind.addressBytes;
        this.nameRecords.push({
          type: kind.type,
          address: buf.slice(r + 4, valueStart),
          names: text(buf, valueStart, size - kind.addressBytes)
            .split('\0')
            .filter((n) => n !== ''),
        });
      }
      r += 4 + ((size + 3) & ~3);
    }
  }

  /** Calls `visit(code, valueStart, valueLength)` for each option in buf[from, to) until opt_endofopt. */
  private walkOptions(
    buf: Uint8Array,
    from: number,
    to: number,
    delta: number,
    at: number,
    visit: (code: number, start: number, length: number) => void,
  ): void {
    const le = this.littleEndian;
    let p = from;
    while (to - p >= 4) {
      const code = readU16(buf, p, le);
      const length = readU16(buf, p + 2, le);
      if (code === OPT_ENDOFOPT) return;
      if (p + 4 + length > to) {
        this.host.warning(
          'blocks with malformed options',
          p + delta,
          `${blockName(readU32(buf, at - delta, le))} at offset ${at}: ` +
            `option ${code} at offset ${p + delta} is ${length} bytes long ` +
            `but only ${to - p - 4} bytes of the block remain; the rest of its options are ignored`,
        );
        return;
      }
      visit(code, p + 4, length);
      p += 4 + ((length + 3) & ~3);
    }
  }
}
