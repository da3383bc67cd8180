/**
 * One captured frame as a capture reader delivers it, before any protocol decoding.
 *
 * Time is kept as read from the file and only turned into seconds/nanoseconds when a
 * consumer asks (`frameTimestamp`): most frames of a large capture are never printed, and
 * pcapng's 64-bit nanosecond counts do not fit a double.
 */
import { isoTime } from '../time/iso.js';

export interface FrameClock {
  /** Clock units per second: 1e6 (microseconds), 1e9 (nanoseconds), 2^n for binary resolutions. */
  readonly unitsPerSecond: number;
  /** Decimal digits worth printing for this clock (6 for µs, 9 for ns). */
  readonly digits: number;
  /** pcapng `if_tsoffset`: seconds added to every timestamp of the interface. */
  readonly offsetSeconds: number;
  /**
   * true: classic pcap, `tsHigh` is whole seconds and `tsLow` the fraction in clock units.
   * false: pcapng, `tsHigh`/`tsLow` are the upper/lower 32 bits of a count of clock units.
   */
  readonly split: boolean;
}

/** One capture interface: the single one of a classic pcap file, or a pcapng Interface Description Block. */
export interface CaptureInterface {
  /** LINKTYPE_* value (FCS bits of classic pcap removed; see `fcsBytes`). */
  readonly linkType: number;
  /** Snap length from the file header or IDB; 0 means no limit. */
  readonly snapLength: number;
  readonly clock: FrameClock;
  /** pcapng `if_name`. */
  readonly name?: string;
  /** Bytes of frame check sequence at the end of each frame of this interface. */
  readonly fcsBytes: number;
}

export interface CapturedFrame {
  /** 1-based, in file order, as Wireshark numbers frames. */
  readonly frame: number;
  /** pcapng interface id; 0 for classic pcap. */
  readonly interfaceId: number;
  /** LINKTYPE_* value (FCS bits of classic pcap removed; see `fcsBytes`). */
  readonly linkType: number;
  /** Bytes of frame check sequence at the end of each frame, from the pcap link-type FCS bits or pcapng `if_fcslen`. */
  readonly fcsBytes: number;
  readonly tsHigh: number;
  readonly tsLow: number;
  readonly clock: FrameClock;
  /** Bytes present in the file. */
  readonly capturedLength: number;
  /** Bytes on the wire; larger than `capturedLength` when the snap length cut the frame. */
  readonly originalLength: number;
  /** The captured bytes. May be a view into a larger buffer: copy what you keep. */
  readonly data: Uint8Array;
  /** pcapng `opt_comment` values of this frame. */
  readonly comments?: readonly string[];
  /** true for a pcapng Simple Packet Block, which has no timestamp (`tsHigh`/`tsLow` are 0). */
  readonly untimed?: boolean;
}

export interface Timestamp {
  /** Whole seconds since 1970-01-01T00:00:00Z (may be negative for broken files). */
  readonly seconds: number;
  /** 0 ≤ nanos < 1e9. */
  readonly nanos: number;
  /** Decimal digits of the source clock (6 or 9 usually). */
  readonly digits: number;
}

const TWO_POW_32 = 4294967296;

export function frameTimestamp(frame: CapturedFrame): Timestamp {
  const { clock } = frame;
  let seconds: number;
  let units: number;
  if (clock.split) {
    seconds = frame.tsHigh;
    units = frame.tsLow;
    // A broken file can hold a fraction of a second or more (ts_usec ≥ 1e6).
    if (units >= clock.unitsPerSecond) {
      seconds += Math.floor(units / clock.unitsPerSecond);
      units %= clock.unitsPerSecond;
    }
  } else if (frame.tsHigh < 0x200000) {
    // Below 2^53 a double holds the count exactly.
    const count = frame.tsHigh * TWO_POW_32 + frame.tsLow;
    seconds = Math.floor(count / clock.unitsPerSecond);
    units = count - seconds * clock.unitsPerSecond;
    if (units < 0) {
      seconds -= 1;
      units += clock.unitsPerSecond;
    }
    if (units >= clock.unitsPerSecond) {
      seconds += 1;
      units -= clock.unitsPerSecond;
    }
  } else {
    const count = (BigInt(frame.tsHigh) << 32n) | BigInt(frame.tsLow);
    const per = BigInt(clock.unitsPerSecond);
    seconds = Number(count / per);
    units = Number(count % per);
  }
  seconds += clock.offsetSeconds;
  let nanos = Math.round((units * 1e9) / clock.unitsPerSecond);
  if (nanos >= 1e9) {
    seconds += 1;
    nanos -= 1e9;
  }
  return { seconds, nanos, digits: clock.digits };
}

/** ISO 8601 UTC with as many fractional digits as the capture's clock has, e.g. `2026-11-26T06:22:23.123456Z`. */
export function formatTimestamp(ts: Timestamp): string {
  return isoTime(ts.seconds, ts.nanos, ts.digits);
}

/** Seconds since the epoch as a double, for ordering and offsets (not for printing). */
export function timestampSeconds(ts: Timestamp): number {
  return ts.seconds + ts.nanos / 1e9;
}

/**
 * The reverse of `timestampSeconds`: a clock reading (a live capture's, a replay's) as a Timestamp
 * of microsecond digits.
 */
export function secondsTimestamp(seconds: number): Timestamp {
  const whole = Math.floor(seconds);
  return { seconds: whole, nanos: Math.min(999_999_999, Math.round((seconds - whole) * 1e9)), digits: 6 };
}
