/**
 * A fuzz case is named by the master seed and its number alone: the same pair gives the
 * same bytes and chunking on any machine holding the same seed files, whichever worker runs
 * it and whatever ran before. That is what makes a failure replayable.
 */
import { createPrng, type Prng } from '../bench/prng.js';
import { captureLayout, type Layout } from './layout.js';
import { mutate, type Mutated } from './mutators.js';
import { reference, type Reference } from './properties.js';
import type { Seed } from './seeds.js';

export interface FuzzCase {
  readonly index: number;
  /** The seed, or the window of a large seed, that was mutated. */
  readonly seed: Seed;
  /** What the unmutated seed gives (computed once per seed and worker). */
  readonly reference: () => Reference;
  readonly mutated: Mutated;
  readonly chunkSizes: readonly number[];
  readonly description: string;
}

/** A 32-bit hash of (master seed, case number): the case's own PRNG seed. */
function caseSeed(master: number, index: number): number {
  let h = (master ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Chunk sizes: one piece, tiny pieces (small inputs only), or sizes spread from 1 byte to 64 KiB. */
function chunking(rng: Prng, length: number): { sizes: number[]; text: string } {
  const r = rng.below(20);
  if (r < 5) return { sizes: [], text: 'one chunk' };
  if (r < 7 && length <= 256 * 1024) {
    const sizes = Array.from({ length: 1 + rng.below(8) }, () => 1 + rng.below(17));
    return { sizes, text: `tiny chunks ${sizes.join(',')}` };
  }
  const sizes = Array.from({ length: 16 }, () => Math.max(1, Math.floor(2 ** (rng.float() * 16))));
  return { sizes, text: `chunks ${sizes.join(',')}` };
}

/**
 * Captures above this size are fuzzed a window at a time (their headers and a run of
 * records of about this size): a case costs time in proportion to its bytes, and the
 * corpus's few megabyte-sized captures would otherwise take most of it.
 */
const WINDOW_BYTES = 128 * 1024;

/** A seed, or a window of a large one, with its layout and reference run made on first use. */
export interface Variant {
  readonly seed: Seed;
  layout?: Layout;
  reference?: Reference;
}

/** The seeds, each cut into windows when large. */
export class SeedBank {
  private readonly variants = new Map<number, Variant[]>();

  constructor(readonly seeds: readonly Seed[]) {}

  /** A seed file (uniformly), then one of its windows. */
  pick(rng: Prng): Variant {
    const variants = this.variantsOf(rng.below(this.seeds.length));
    return variants[rng.below(variants.length)]!;
  }

  layout(v: Variant): Layout {
    v.layout ??= captureLayout(v.seed.bytes);
    return v.layout;
  }

  reference(v: Variant): Reference {
    v.reference ??= reference(v.seed.bytes, this.layout(v));
    return v.reference;
  }

  private variantsOf(i: number): Variant[] {
    let variants = this.variants.get(i);
    if (variants === undefined) {
      variants = windows(this.seeds[i]!).map((seed) => ({ seed }));
      this.variants.set(i, variants);
    }
    return variants;
  }
}

/** The seed itself, or for a large one: its leading header units with each run of records of about WINDOW_BYTES. */
function windows(seed: Seed): Seed[] {
  if (seed.bytes.length <= WINDOW_BYTES) return [seed];
  const units = captureLayout(seed.bytes).units;
  const firstPacket = units.findIndex((u) => u.dataStart !== undefined);
  if (firstPacket < 0) return [seed];
  const head = seed.bytes.subarray(0, units[firstPacket]!.start);
  const out: Seed[] = [];
  for (let i = firstPacket; i < units.length; ) {
    const start = units[i]!.start;
    let j = i + 1;
    while (j < units.length && units[j]!.end - start <= WINDOW_BYTES) j++;
    const bytes = new Uint8Array(head.length + units[j - 1]!.end - start);
    bytes.set(head);
    bytes.set(seed.bytes.subarray(start, units[j - 1]!.end), head.length);
    out.push({ name: `${seed.name} [records @${start}..${units[j - 1]!.end}]`, bytes });
    i = j;
  }
  return out;
}

export function makeCase(bank: SeedBank, master: number, index: number): FuzzCase {
  const rng = createPrng(caseSeed(master, index));
  const variant = bank.pick(rng);
  const seed = variant.seed;
  const mutated = mutate(seed.bytes, bank.layout(variant), rng, () => bank.pick(rng).seed.bytes);
  const chunks = chunking(rng, mutated.bytes.length);
  return {
    index,
    seed,
    reference: () => bank.reference(variant),
    mutated,
    chunkSizes: chunks.sizes,
    description:
      `${seed.name} (${seed.bytes.length} bytes) ` +
      `-> ${mutated.steps.join('; ')} -> ${mutated.bytes.length} bytes, fed as ${chunks.text}`,
  };
}

/** The command that runs this one case again. */
export function replayCommand(master: number, index: number): string {
  return `PHONEDOC_FUZZ_SEED=${master} PHONEDOC_FUZZ_ONLY=${index} node --test dist/test/slow/fuzz-captures.test.js`;
}
