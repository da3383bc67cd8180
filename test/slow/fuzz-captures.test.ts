/**
 * Fuzzing the capture pipeline: thousands of mutated, truncated and re-chunked captures
 * (seeds: ../shared/pcaps when present, the repository's captures, hand-built ones) through
 * CaptureReader + CaptureDecoder in worker threads, the hand-built captures cut at every
 * boundary, a sample of the cases through the real CLI, and 50 MB captures that claim huge
 * record lengths. Properties: test/fuzz/properties.ts and
 * test/fuzz/cli-check.ts.
 *
 *   PHONEDOC_FUZZ_CASES   number of in-process cases (default 5000)
 *   PHONEDOC_FUZZ_SEED    master seed (default: a new one each run, printed)
 *   PHONEDOC_FUZZ_ONLY    comma-separated case numbers to replay (with the seed of the failing run)
 *   PHONEDOC_FUZZ_CLI_CASES  cases also run through the CLI (default 40)
 *   PHONEDOC_FUZZ_WORKERS worker threads (default: 2, or 1 on a single core)
 *   PHONEDOC_FUZZ_OUT     where failing inputs are written (default: a new temporary folder)
 *
 * A failure prints its case, the mutations, the input kept and the command that replays it.
 * Keep the input as a fixture in test/fixtures/fuzz/ (test/unit/fuzz-regressions.test.ts
 * runs them all).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  captureExtension,
  concat,
  enhancedPacket,
  interfaceDescription,
  LINK,
  sectionHeader,
  u16,
  u32,
} from '../fuzz/build.js';
import { makeCase, replayCommand, SeedBank } from '../fuzz/cases.js';
import { checkCliRun, checkDecodeOutput, checkTransfersOutput, runCli } from '../fuzz/cli-check.js';
import { captureLayout } from '../fuzz/layout.js';
import { TimeBudget } from '../fuzz/budget.js';
import { checkCase, reference, runPipeline, type Failure } from '../fuzz/properties.js';
import { runFuzz, type CaseFailure } from '../fuzz/runner.js';
import { loadSeeds } from '../fuzz/seeds.js';

function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${text}: expected a non-negative integer`);
  return n;
}

const master = envNumber('PHONEDOC_FUZZ_SEED', Math.floor(Math.random() * 2 ** 31));
const only = process.env.PHONEDOC_FUZZ_ONLY?.split(',')
  .filter((s) => s !== '')
  .map(Number);
const cases = envNumber('PHONEDOC_FUZZ_CASES', 5000);
const indices = only ?? Array.from({ length: cases }, (_, i) => i);
const workers = envNumber('PHONEDOC_FUZZ_WORKERS', Math.min(2, availableParallelism()));
const outDir = process.env.PHONEDOC_FUZZ_OUT ?? mkdtempSync(path.join(tmpdir(), 'phonedoc-fuzz-'));
mkdirSync(outDir, { recursive: true });
// A folder of our own that kept no failing input goes.
after(() => {
  if (process.env.PHONEDOC_FUZZ_OUT === undefined && readdirSync(outDir).length === 0)
    rmSync(outDir, { recursive: true });
});
/** Per CLI run: far beyond what any case needs (the largest seed decodes in well under a second). */
const CLI_TIMEOUT_MS = 60_000;
const MIB = 1024 * 1024;

function failureText(failed: readonly CaseFailure[]): string {
  const shown = failed
    .slice(0, 10)
    .map((c) =>
      [
        `case ${c.index}: ${c.description}`,
        ...c.failures.map((f) => `  ${f.kind}: ${f.message.replace(/\n/g, '\n    ')}`),
        `  input: ${c.reproducer ?? '-'}`,
        `  replay: ${replayCommand(master, c.index)}`,
      ].join('\n'),
    );
  const more = failed.length > 10 ? [`... and ${failed.length - 10} more failing cases`] : [];
  return [`fuzz seed ${master}: ${failed.length} failing case(s)`, ...shown, ...more].join('\n\n');
}

test(`fuzz: ${indices.length} mutated captures through CaptureReader + CaptureDecoder (seed ${master})`, async (t) => {
  const threads = only === undefined ? workers : 1;
  const report = await runFuzz({
    master,
    indices,
    workers: threads,
    outDir,
    hangMs: 60_000,
    shrinkMs: 20_000,
    workerHeapMiB: 1024,
  });
  t.diagnostic(
    `seed ${master}: ${report.cases} cases, ${(report.inputBytes / MIB).toFixed(1)} MiB of input, ` +
      `${(report.ms / 1000).toFixed(1)} s with ${threads} worker(s)`,
  );
  if (report.slowest !== undefined) {
    t.diagnostic(
      `slowest case ${report.slowest.index}: ${report.slowest.ms.toFixed(0)} ms for ${report.slowest.bytes} bytes`,
    );
  }
  if (report.maxRetained > 0)
    t.diagnostic(`largest memory held by a worker after a case: ${(report.maxRetained / MIB).toFixed(1)} MiB`);
  if (only !== undefined) {
    const bank = new SeedBank(loadSeeds());
    for (const index of only) {
      const c = makeCase(bank, master, index);
      const file = path.join(outDir, `case-${master}-${index}${captureExtension(c.mutated.bytes)}`);
      writeFileSync(file, c.mutated.bytes);
      t.diagnostic(`case ${index}: ${c.description} (written to ${file})`);
    }
  }
  assert.equal(report.cases, indices.length, 'every case ran');
  assert.deepEqual(report.failures, [], failureText(report.failures));
});

test('fuzz: the hand-built captures cut at every boundary of their layout, and a byte either side of each record', (t) => {
  const budget = new TimeBudget();
  const failed: CaseFailure[] = [];
  let count = 0;
  for (const seed of loadSeeds().filter((s) => s.name.startsWith('hand-built/'))) {
    const layout = captureLayout(seed.bytes);
    const ref = reference(seed.bytes, layout);
    const unitEdges = layout.units.flatMap((u) => [u.start - 1, u.start + 1, u.end - 1, u.end + 1]);
    const cuts = new Set([...layout.boundaries, ...unitEdges].filter((c) => c >= 0 && c <= seed.bytes.length));
    for (const cut of cuts) {
      const bytes = seed.bytes.subarray(0, cut);
      count++;
      // Chunks of 1 to 13 bytes: the cut meets records split across chunks.
      const failures = checkCase(bytes, {
        chunkSizes: [1 + (cut % 13)],
        budgetMs: budget.forBytes(cut),
        origin: { reference: ref, firstChange: cut, truncationOnly: true },
      });
      if (failures.length === 0) continue;
      const kept = path.join(outDir, `${path.basename(seed.name)}-cut-${cut}${captureExtension(bytes)}`);
      writeFileSync(kept, bytes);
      failed.push({ index: cut, description: `${seed.name} cut at ${cut}`, failures, reproducer: kept });
    }
  }
  t.diagnostic(`${count} cuts of the hand-built captures`);
  assert.deepEqual(
    failed,
    [],
    failed
      .slice(0, 10)
      .map((c) => `${c.description}: ${c.failures.map((f) => `${f.kind}: ${f.message}`).join('; ')} (${c.reproducer})`)
      .join('\n'),
  );
});

test('fuzz: a sample of the cases through the real CLI (decode and transfers, file and standard input)', async (t) => {
  const sample = envNumber('PHONEDOC_FUZZ_CLI_CASES', 40);
  const stride = Math.max(1, Math.floor(indices.length / Math.max(1, sample)));
  const chosen = indices.filter((_, i) => i % stride === 0).slice(0, sample);
  const bank = new SeedBank(loadSeeds());
  const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-fuzz-cli-'));
  const failed: CaseFailure[] = [];
  let peakKiB = 0;
  let slowestMs = 0;
  const runOne = async (index: number, k: number): Promise<void> => {
    const c = makeCase(bank, master, index);
    const file = path.join(dir, `case-${index}${captureExtension(c.mutated.bytes)}`);
    writeFileSync(file, c.mutated.bytes);
    const expected = runPipeline(c.mutated.bytes, [], true);
    const viaStdin = k % 3 === 2;
    const decode = await runCli(['decode', viaStdin ? '-' : file, '--format', 'jsonl'], {
      timeoutMs: CLI_TIMEOUT_MS,
      ...(viaStdin ? { stdin: c.mutated.bytes } : {}),
    });
    const transfers = await runCli(['transfers', file, '--format', 'jsonl'], { timeoutMs: CLI_TIMEOUT_MS });
    peakKiB = Math.max(peakKiB, decode.peakRssKiB, transfers.peakRssKiB);
    slowestMs = Math.max(slowestMs, decode.ms, transfers.ms);
    const failures: Failure[] = [
      ...checkCliRun('decode', decode),
      ...checkDecodeOutput('decode', decode, expected),
      ...checkCliRun('transfers', transfers),
      ...checkTransfersOutput('transfers', transfers, expected),
    ];
    if (failures.length > 0) {
      const kept = path.join(outDir, `case-${master}-${index}-cli${captureExtension(c.mutated.bytes)}`);
      writeFileSync(kept, c.mutated.bytes);
      failed.push({ index, description: c.description, failures, reproducer: kept });
    }
  };
  // Two at a time: the CLI start-up dominates, and CI has two cores.
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let k = next++; k < chosen.length; k = next++) await runOne(chosen[k]!, k);
  };
  await Promise.all([lane(), lane()]);
  rmSync(dir, { recursive: true, force: true });
  t.diagnostic(
    `${chosen.length} cases through the CLI (${chosen.length * 2} runs); ` +
      `peak RSS ${(peakKiB / 1024).toFixed(0)} MiB; slowest run ${slowestMs.toFixed(0)} ms`,
  );
  assert.deepEqual(
    failed.sort((a, b) => a.index - b.index),
    [],
    failureText(failed),
  );
});

// ---- huge claimed lengths ---------------------------------------------------------------------

const BIG_FILE_BYTES = 50 * 1000 * 1000;

/** A 50 MB file: `head`, then filler bytes up to the size (a repeated pattern, not a live allocation per test). */
function fiftyMegabytes(head: Uint8Array, filler: number): Uint8Array {
  const bytes = new Uint8Array(BIG_FILE_BYTES).fill(filler);
  bytes.set(head.subarray(0, BIG_FILE_BYTES));
  return bytes;
}

/**
 * Ethernet + IPv4 + UDP to the DHCP server port with `payload` bytes of DHCP, IPv4 total
 * length 0 (what segmentation offload leaves: "the rest of the frame") and UDP length 0.
 */
function oversizedDhcpFrame(payload: number): Uint8Array {
  const frame = new Uint8Array(14 + 20 + 8 + payload);
  frame.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x0e, 0x84, 0xc0, 0x60, 0xa6, 0x08, 0x00], 0);
  frame.set([0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255], 14);
  frame.set([...u16(68), ...u16(67), 0, 0, 0, 0], 34);
  const dhcp = frame.subarray(42);
  dhcp.set([1, 1, 6, 0], 0);
  dhcp.set([99, 130, 83, 99], 236);
  // Options of length 0 (code 1, length 0) as far as the frame goes: as many options as bytes allow.
  for (let i = 240; i + 1 < dhcp.length; i += 2) dhcp[i] = 1;
  return frame;
}

interface BigCase {
  readonly name: string;
  readonly bytes: () => Uint8Array;
}

const seedForBig = (): Uint8Array => {
  const seeds = loadSeeds().filter((s) => s.name.endsWith('ethernet-vlan-le-usec.pcap'));
  return seeds[0]!.bytes;
};

const BIG_CASES: readonly BigCase[] = [
  {
    name: 'pcap record claiming 4 GiB, then 50 MB of 0xff',
    bytes: () => {
      const seed = seedForBig().slice();
      const second = captureLayout(seed).units[2]!;
      seed.set(u32(0xffffffff, true), second.start + 8);
      return fiftyMegabytes(seed, 0xff);
    },
  },
  {
    name: 'pcap snap length 4 GiB, records of 16 MiB - 1 bytes of zeros',
    bytes: () => {
      const header = seedForBig().slice(0, 24);
      header.set(u32(0xffffffff, true), 16);
      const record = concat(u32(1_700_000_000, true), u32(0, true), u32(16 * MIB - 1, true), u32(16 * MIB - 1, true));
      const bytes = fiftyMegabytes(header, 0);
      for (let at = 24; at + 16 <= bytes.length; at += 16 + 16 * MIB - 1) bytes.set(record, at);
      return bytes;
    },
  },
  {
    name: 'pcapng block of 16 MiB (the limit) holding a 16 MiB DHCP datagram of empty options',
    bytes: () => {
      // The enhanced packet block is 32 bytes of fields and the frame: 16 MiB in all.
      const epb = enhancedPacket(0, 1_700_000_000, 1e6, oversizedDhcpFrame(16 * MIB - 32 - 42), true);
      return fiftyMegabytes(
        concat(sectionHeader(true), interfaceDescription({ linkType: LINK.ethernet }, true), epb, epb, epb),
        0,
      );
    },
  },
  {
    name: 'pcap snap length 4 GiB, three 16 MB frames of DHCP with empty options',
    bytes: () => {
      const header = seedForBig().slice(0, 24);
      header.set(u32(0xffffffff, true), 16);
      const frame = oversizedDhcpFrame(16 * 1000 * 1000 - 42);
      const record = concat(
        u32(1_700_000_000, true),
        u32(0, true),
        u32(frame.length, true),
        u32(frame.length, true),
        frame,
      );
      return fiftyMegabytes(concat(header, record, record, record), 0);
    },
  },
];

/** Reader + decoder in the CLI's 1 MiB chunks: what the memory bound is about. */
const CLI_CHUNK = [MIB];
/** In-process growth allowed: a 16 MiB record held between chunks, its frame, and the decoder's own caps. */
const BIG_MEMORY_LIMIT = 128 * MIB;

for (const big of BIG_CASES) {
  test(`fuzz: 50 MB capture, ${big.name}: bounded memory in-process and in the CLI`, async (t) => {
    const bytes = big.bytes();
    const run = runPipeline(bytes, CLI_CHUNK, true);
    assert.equal(run.thrown, undefined, `no exception: ${String(run.thrown)}`);
    t.diagnostic(
      `in-process: ${run.frames.length} frames, ${run.problems.length} problems, ` +
        `${run.ms.toFixed(0)} ms, memory growth ${(run.peakMemory / MIB).toFixed(1)} MiB`,
    );
    assert.ok(
      run.peakMemory <= BIG_MEMORY_LIMIT,
      `heap + external grew by ${(run.peakMemory / MIB).toFixed(0)} MiB (limit ${BIG_MEMORY_LIMIT / MIB})`,
    );
    const file = path.join(outDir, `big-${BIG_CASES.indexOf(big)}${captureExtension(bytes)}`);
    writeFileSync(file, bytes);
    try {
      const decode = await runCli(['decode', file, '--format', 'jsonl'], { timeoutMs: CLI_TIMEOUT_MS });
      t.diagnostic(
        `CLI decode: exit ${decode.code}, ${decode.ms.toFixed(0)} ms, ` +
          `peak RSS ${(decode.peakRssKiB / 1024).toFixed(0)} MiB`,
      );
      assert.deepEqual([...checkCliRun('decode', decode), ...checkDecodeOutput('decode', decode, run)], []);
    } finally {
      rmSync(file, { force: true });
    }
  });
}
