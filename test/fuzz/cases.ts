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
  readonly seed: Seed;
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

/** Seeds with their layout and reference run, computed once each, on first use. */
export class SeedBank {
  private readonly layouts = new Map<number, Layout>();
  private readonly references = new Map<number, Reference>();

  constructor(readonly seeds: readonly Seed[]) {}

  layout(i: number): Layout {
    let layout = this.layouts.get(i);
    if (layout === undefined) {
      layout = captureLayout(this.seeds[i]!.bytes);
      this.layouts.set(i, layout);
    }
    return layout;
  }

  reference(i: number): Reference {
    let ref = this.references.get(i);
    if (ref === undefined) {
      ref = reference(this.seeds[i]!.bytes, this.layout(i));
      this.references.set(i, ref);
    }
    return ref;
  }

  seedIndex(seed: Seed): number {
    return this.seeds.indexOf(seed);
  }
}

export function makeCase(bank: SeedBank, master: number, index: number): FuzzCase {
  const rng = createPrng(caseSeed(master, index));
  const seedIndex = rng.below(bank.seeds.length);
  const seed = bank.seeds[seedIndex]!;
  const mutated = mutate(seed.bytes, bank.layout(seedIndex), rng, () => bank.seeds[rng.below(bank.seeds.length)]!.bytes);
  const chunks = chunking(rng, mutated.bytes.length);
  return {
    index,
    seed,
    mutated,
    chunkSizes: chunks.sizes,
    description: `${seed.name} (${seed.bytes.length} bytes) -> ${mutated.steps.join('; ')} -> ${mutated.bytes.length} bytes, fed as ${chunks.text}`,
  };
}

/** The command that runs this one case again. */
export function replayCommand(master: number, index: number): string {
  return `PHONEDOC_FUZZ_SEED=${master} PHONEDOC_FUZZ_ONLY=${index} node --test dist/test/slow/fuzz-captures.test.js`;
}
