/**
 * pcapng blocks built as bytes (draft-ietf-opsawg-pcapng), little-endian, for frames read by
 * the capture readers: a Section Header Block, one Interface Description Block per kind of
 * source interface, and an Enhanced Packet Block per frame, with `opt_comment` options that
 * Wireshark shows as frame comments. Pure: the caller writes the bytes where it wants.
 *
 *   Every block:                      EPB body:
 *    0 Block Type                      8 Interface ID
 *    4 Block Total Length             12 Timestamp (upper 32 bits)
 *    8 Block Body (padded to 32 bits) 16 Timestamp (lower 32 bits)
 *      Options (code u16, length u16, 20 Captured Packet Length
 *               value padded to 32)   24 Original Packet Length
 *      Block Total Length (again)     28 Packet Data (padded), options
 */
import type { CaptureInterface, CapturedFrame, FrameClock } from './frame.js';
import { SHB_BLOCK_TYPE } from './pcapng.js';

const IDB_BLOCK_TYPE = 1;
const EPB_BLOCK_TYPE = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Section Length -1: not given, so blocks can be written as they come. */
const SECTION_LENGTH_UNKNOWN = 0xffffffff;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;
const TSRESOL_BINARY = 0x80;

const TWO_POW_32 = 4294967296;
const utf8 = new TextEncoder();

interface BlockOption {
  readonly code: number;
  readonly value: Uint8Array;
}

const pad4 = (n: number): number => (n + 3) & ~3;

function textOption(code: number, text: string): BlockOption {
  return { code, value: utf8.encode(text) };
}

function optionsBytes(options: readonly BlockOption[]): number {
  if (options.length === 0) return 0;
  return options.reduce((sum, o) => sum + 4 + pad4(o.value.length), 0) + 4;
}

/** Lays out type, total length, `body` bytes, options and the trailing length. */
function block(
  type: number,
  bodyBytes: number,
  fillBody: (view: DataView, bytes: Uint8Array) => void,
  options: readonly BlockOption[],
): Uint8Array {
  const total = 8 + pad4(bodyBytes) + optionsBytes(options) + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  fillBody(new DataView(bytes.buffer, 8, bodyBytes), bytes.subarray(8, 8 + bodyBytes));
  let p = 8 + pad4(bodyBytes);
  if (options.length > 0) {
    for (const option of options) {
      if (option.value.length > 0xffff)
        throw new RangeError(`pcapng option ${option.code} is ${option.value.length} bytes, more than 65535`);
      view.setUint16(p, option.code, true);
      view.setUint16(p + 2, option.value.length, true);
      bytes.set(option.value, p + 4);
      p += 4 + pad4(option.value.length);
    }
    view.setUint16(p, OPT_ENDOFOPT, true);
    view.setUint16(p + 2, 0, true);
    p += 4;
  }
  view.setUint32(p, total, true);
  return bytes;
}

/** The Section Header Block that starts the file; `application` goes into `shb_userappl`. */
export function sectionHeaderBlock(application?: string): Uint8Array {
  return block(
    SHB_BLOCK_TYPE,
    16,
    (view) => {
      view.setUint32(0, BYTE_ORDER_MAGIC, true);
      view.setUint16(4, 1, true); // major version
      view.setUint16(6, 0, true); // minor version
      view.setUint32(8, SECTION_LENGTH_UNKNOWN, true);
      view.setUint32(12, SECTION_LENGTH_UNKNOWN, true);
    },
    application === undefined ? [] : [textOption(SHB_USERAPPL, application)],
  );
}

/**
 * `if_tsresol` for a reader's clock: 10^-n when the clock counts a power of ten per second,
 * 2^-n when a power of two (most significant bit set).
 */
export function tsresolOf(clock: FrameClock): number {
  for (let n = 0; n <= 19; n++) if (clock.unitsPerSecond === 10 ** n) return n;
  for (let n = 0; n <= 63; n++) if (clock.unitsPerSecond === 2 ** n) return TSRESOL_BINARY | n;
  throw new RangeError(`a clock of ${clock.unitsPerSecond} units per second has no pcapng if_tsresol`);
}

/**
 * An Interface Description Block with the source interface's link type, snap length, resolution,
 * offset and FCS length.
 */
export function interfaceDescriptionBlock(
  iface: Pick<CaptureInterface, 'linkType' | 'snapLength' | 'clock' | 'fcsBytes'>,
): Uint8Array {
  const options: BlockOption[] = [{ code: IF_TSRESOL, value: Uint8Array.of(tsresolOf(iface.clock)) }];
  if (iface.clock.offsetSeconds !== 0) {
    const value = new Uint8Array(8);
    new DataView(value.buffer).setBigInt64(0, BigInt(iface.clock.offsetSeconds), true);
    options.push({ code: IF_TSOFFSET, value });
  }
  if (iface.fcsBytes !== 0) options.push({ code: IF_FCSLEN, value: Uint8Array.of(iface.fcsBytes) });
  return block(
    IDB_BLOCK_TYPE,
    8,
    (view) => {
      view.setUint16(0, iface.linkType, true);
      view.setUint16(2, 0, true); // reserved
      view.setUint32(4, iface.snapLength, true);
    },
    options,
  );
}

/**
 * The frame's timestamp as a pcapng count of its clock's units: classic pcap splits it in
 * seconds and a fraction (`split`), pcapng already counts units. `if_tsoffset` stays on the IDB.
 */
function unitCount(frame: Pick<CapturedFrame, 'tsHigh' | 'tsLow' | 'clock'>): { high: number; low: number } {
  const count = frame.clock.split
    ? BigInt(frame.tsHigh) * BigInt(frame.clock.unitsPerSecond) + BigInt(frame.tsLow)
    : BigInt(frame.tsHigh) * BigInt(TWO_POW_32) + BigInt(frame.tsLow);
  return { high: Number((count >> 32n) & 0xffffffffn), low: Number(count & 0xffffffffn) };
}

/** An Enhanced Packet Block for `frame` on output interface `interfaceId`, with one `opt_comment` per comment. */
export function enhancedPacketBlock(
  interfaceId: number,
  frame: Pick<CapturedFrame, 'tsHigh' | 'tsLow' | 'clock' | 'originalLength' | 'data'>,
  comments: readonly string[] = [],
): Uint8Array {
  const { high, low } = unitCount(frame);
  return block(
    EPB_BLOCK_TYPE,
    20 + frame.data.length,
    (view, bytes) => {
      view.setUint32(0, interfaceId, true);
      view.setUint32(4, high, true);
      view.setUint32(8, low, true);
      view.setUint32(12, frame.data.length, true);
      view.setUint32(16, frame.originalLength, true);
      bytes.set(frame.data, 20);
    },
    comments.map((c) => textOption(OPT_COMMENT, c)),
  );
}

/**
 * Turns frames from any capture into one pcapng section: the first frame of each kind of
 * source interface (link type, snap length, clock, FCS) brings its IDB. Each call returns the
 * blocks to append, in order.
 */
export class PcapngWriter {
  private readonly interfaceIds = new Map<string, number>();
  private started = false;

  constructor(private readonly application?: string) {}

  /** The blocks for `frame` (SHB and IDB first when needed); `snapLength` is its source interface's. */
  frame(frame: CapturedFrame, snapLength: number, comments: readonly string[] = []): Uint8Array[] {
    const blocks: Uint8Array[] = [];
    if (!this.started) {
      this.started = true;
      blocks.push(sectionHeaderBlock(this.application));
    }
    const { linkType, clock, fcsBytes } = frame;
    const key = `${linkType}/${snapLength}/${clock.unitsPerSecond}/${clock.offsetSeconds}/${fcsBytes}`;
    let id = this.interfaceIds.get(key);
    if (id === undefined) {
      id = this.interfaceIds.size;
      this.interfaceIds.set(key, id);
      blocks.push(interfaceDescriptionBlock({ linkType, snapLength, clock, fcsBytes }));
    }
    blocks.push(enhancedPacketBlock(id, frame, comments));
    return blocks;
  }

  /** A file with no frame still needs its section header. */
  finish(): Uint8Array[] {
    if (this.started) return [];
    this.started = true;
    return [sectionHeaderBlock(this.application)];
  }
}
