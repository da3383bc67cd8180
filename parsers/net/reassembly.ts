/**
 * IPv4 fragment reassembly (RFC 791 section 3.2, "fragmentation and reassembly"), with
 * bounded memory and time: a capture may hold fragments whose companions were never captured.
 */

export interface ReassemblyLimits {
  /** Most fragment sets waiting at once; the oldest is given up first. */
  readonly maxPending: number;
  /** Most fragment bytes held at once; the oldest sets are given up first. */
  readonly maxBytes: number;
  /** A set whose first fragment is older than this, in capture time, is given up. */
  readonly timeoutSeconds: number;
  /** Most fragments kept for one datagram; a set that would take more is given up. Default 256. */
  readonly maxFragments?: number;
}

/**
 * A 65535-byte datagram over a 576-byte MTU takes 117 fragments; far more is a fragment flood
 * (RFC 1858, FreeBSD keeps 16 per datagram), whose every fragment would otherwise cost a
 * pass over all the earlier ones.
 */
const DEFAULT_MAX_FRAGMENTS = 256;

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = {
  maxPending: 1024,
  maxBytes: 16 * 1024 * 1024,
  timeoutSeconds: 30,
  maxFragments: DEFAULT_MAX_FRAGMENTS,
};

interface Fragment {
  readonly offset: number;
  readonly data: Uint8Array;
  readonly frame: number;
}

interface FragmentSet {
  readonly firstSeconds: number;
  /** In arrival order. */
  readonly fragments: Fragment[];
  /** Payload length from the fragment without "more fragments"; -1 until it is seen. */
  totalLength: number;
  bytes: number;
}

export interface ReassembledPayload {
  /** The datagram's payload (after the IPv4 header). */
  readonly payload: Uint8Array;
  /** Frame numbers of the fragments used, in offset order. */
  readonly frames: number[];
}

export class Ipv4Reassembler {
  private readonly sets = new Map<string, FragmentSet>();
  private heldBytes = 0;
  /** Incomplete sets given up (timeout or memory cap). */
  dropped = 0;

  constructor(private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS) {}

  get pending(): number {
    return this.sets.size;
  }

  /**
   * Adds one fragment: `data` (copied here) starts at byte `offset` of the datagram's payload;
   * `more` is the "more fragments" flag; `key` names the datagram (source, destination,
   * protocol, identification). Returns the payload when this fragment completes it.
   *
   * Where fragments overlap, the bytes that arrived first are kept; an exact duplicate is ignored.
   */
  add(
    key: string,
    offset: number,
    more: boolean,
    data: Uint8Array,
    frame: number,
    seconds: number,
  ): ReassembledPayload | undefined {
    this.expire(seconds);
    const end = offset + data.length;
    let set = this.sets.get(key);
    if (set === undefined) {
      set = { firstSeconds: seconds, fragments: [], totalLength: -1, bytes: 0 };
      this.sets.set(key, set);
    } else if (set.fragments.some((f) => f.offset === offset && f.data.length === data.length)) {
      return undefined;
    } else if (set.fragments.length >= (this.limits.maxFragments ?? DEFAULT_MAX_FRAGMENTS)) {
      this.forget(key, set);
      this.dropped++;
      return undefined;
    }
    set.fragments.push({ offset, data: data.slice(), frame });
    set.bytes += data.length;
    this.heldBytes += data.length;
    if (!more && set.totalLength < 0) set.totalLength = end;
    this.enforceCaps();
    // Fewer bytes than the datagram's length cannot cover it: no need to sort the fragments.
    if (this.sets.get(key) !== set || set.totalLength < 0 || set.bytes < set.totalLength) return undefined;
    const result = assemble(set);
    if (result !== undefined) this.forget(key, set);
    return result;
  }

  private expire(seconds: number): void {
    for (const [key, set] of this.sets) {
      if (seconds - set.firstSeconds <= this.limits.timeoutSeconds) break;
      this.forget(key, set);
      this.dropped++;
    }
  }

  private enforceCaps(): void {
    for (const [key, set] of this.sets) {
      if (this.sets.size <= this.limits.maxPending && this.heldBytes <= this.limits.maxBytes) break;
      this.forget(key, set);
      this.dropped++;
    }
  }

  private forget(key: string, set: FragmentSet): void {
    this.sets.delete(key);
    this.heldBytes -= set.bytes;
  }
}

/** The payload when the fragments cover [0, totalLength) without a gap. */
function assemble(set: FragmentSet): ReassembledPayload | undefined {
  const byOffset = [...set.fragments].sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const f of byOffset) {
    if (f.offset > covered) return undefined;
    covered = Math.max(covered, f.offset + f.data.length);
  }
  if (covered < set.totalLength) return undefined;
  const payload = new Uint8Array(set.totalLength);
  // Latest first, so that earlier arrivals overwrite later ones where they overlap.
  for (const f of [...set.fragments].reverse()) {
    if (f.offset < set.totalLength) payload.set(f.data.subarray(0, set.totalLength - f.offset), f.offset);
  }
  const frames: number[] = [];
  for (const f of byOffset) if (f.offset < set.totalLength && !frames.includes(f.frame)) frames.push(f.frame);
  return { payload, frames };
}
