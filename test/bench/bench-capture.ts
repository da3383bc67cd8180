/**
 * The bench capture: a classic pcap of a busy voice VLAN with a few phone boots in it,
 * built once and cached outside the repository. The file name carries a key made of the
 * generator version, the size, the seed and the fixture captures, so any change regenerates it.
 */
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { LINKTYPE_ETHERNET, PcapWriter } from './classic-pcap.js';
import { phoneBoots, phoneBootsKey, type PhoneBoot } from './phone-boot.js';
import { createPrng } from './prng.js';
import { BACKGROUND_KINDS, type BackgroundKind, VoiceVlanTraffic } from './voice-vlan-traffic.js';

/** Bump whenever the bytes the generator writes change. */
export const GENERATOR_VERSION = 1;
const SEED = 0x7960;
const BOOT_COUNT = 5;
/** 2026-01-05T08:00:00Z. */
const START_MICROS = 1_767_600_000 * 1e6;
/** Average record size of the background mix, to spread the traffic over the timeline. */
const ESTIMATED_RECORD_BYTES = 250;
const MIN_DURATION_MICROS = 60e6;

export interface BootPlacement {
  readonly label: string;
  /** 1-based frame number of the boot's first frame. */
  readonly firstFrame: number;
  readonly frames: number;
}

export interface BenchCaptureManifest {
  readonly generatorVersion: number;
  readonly key: string;
  readonly sizeMb: number;
  readonly seed: number;
  readonly bytes: number;
  readonly packets: number;
  readonly bootFrames: number;
  readonly boots: readonly BootPlacement[];
  readonly background: Readonly<Record<BackgroundKind, number>>;
  readonly firstTimeMicros: number;
  readonly lastTimeMicros: number;
  readonly notes: readonly string[];
}

export interface BenchCapture {
  readonly file: string;
  readonly manifest: BenchCaptureManifest;
  /** Seconds spent generating, or undefined when the cached file was used. */
  readonly generatedInSeconds: number | undefined;
}

export async function benchCapture(
  dir: string,
  sizeMb: number,
  fixtureDir: string,
  log: (line: string) => void,
): Promise<BenchCapture> {
  const key = createHash('sha256')
    .update(`${GENERATOR_VERSION}|${sizeMb}|${SEED}|${BOOT_COUNT}|${phoneBootsKey(fixtureDir)}`)
    .digest('hex')
    .slice(0, 12);
  const prefix = `voice-vlan-${sizeMb}MB-`;
  const file = path.join(dir, `${prefix}${key}.pcap`);
  const manifestFile = `${file}.json`;
  const cached = readManifest(manifestFile);
  if (
    cached?.key === key &&
    cached.generatorVersion === GENERATOR_VERSION &&
    existsSync(file) &&
    statSync(file).size === cached.bytes
  ) {
    return { file, manifest: cached, generatedInSeconds: undefined };
  }

  const source = phoneBoots(fixtureDir, BOOT_COUNT, createPrng(SEED ^ 0x5eed));
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && !name.startsWith(`${prefix}${key}`)) rmSync(path.join(dir, name), { force: true });
  }
  log(`generating ${file} (${sizeMb} MB; ${source.notes.join('; ')})`);
  const started = process.hrtime.bigint();
  const partial = `${file}.partial`;
  const written = await writeCapture(partial, sizeMb * 1e6, source.boots);
  renameSync(partial, file);
  const manifest: BenchCaptureManifest = {
    generatorVersion: GENERATOR_VERSION,
    key,
    sizeMb,
    seed: SEED,
    ...written,
    notes: source.notes,
  };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return { file, manifest, generatedInSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function readManifest(file: string): BenchCaptureManifest | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BenchCaptureManifest;
  } catch {
    return undefined;
  }
}

type WrittenCapture = Omit<BenchCaptureManifest, 'generatorVersion' | 'key' | 'sizeMb' | 'seed' | 'notes'>;

/**
 * Background frames at random gaps; boot k starts once k/(boots+1) of the bytes are out, its
 * frames keeping their own spacing, merged in time order. Boots never overlap, and the file
 * runs on past the target size until the last boot is complete. Time strictly increases.
 */
async function writeCapture(file: string, targetBytes: number, boots: readonly PhoneBoot[]): Promise<WrittenCapture> {
  const prng = createPrng(SEED);
  const traffic = new VoiceVlanTraffic(prng);
  const writer = new PcapWriter(createWriteStream(file, { highWaterMark: 4 << 20 }), LINKTYPE_ETHERNET);
  const bootSpan = Math.max(...boots.map((boot) => boot.frames.at(-1)?.offsetMicros ?? 0));
  const duration = Math.max(MIN_DURATION_MICROS, (boots.length + 1) * bootSpan * 1.25);
  const meanGap = duration / (targetBytes / ESTIMATED_RECORD_BYTES);
  const placements: BootPlacement[] = [];
  let time = START_MICROS;
  let firstTime: number | undefined;
  let bootFrames = 0;
  let active: { boot: PhoneBoot; start: number; next: number } | undefined;
  let nextBoot = 0;

  while (writer.bytesWritten < targetBytes || active !== undefined || nextBoot < boots.length) {
    if (
      active === undefined &&
      nextBoot < boots.length &&
      writer.bytesWritten >= (targetBytes * (nextBoot + 1)) / (boots.length + 1)
    ) {
      const boot = boots[nextBoot++] as PhoneBoot;
      active = { boot, start: time + 1, next: 0 };
      placements.push({ label: boot.label, firstFrame: writer.packets + 1, frames: boot.frames.length });
    }
    const backgroundTime = time + Math.max(1, Math.round(meanGap * (0.5 + prng.float())));
    while (active !== undefined) {
      const frame = active.boot.frames[active.next];
      if (frame === undefined || active.start + frame.offsetMicros > backgroundTime) break;
      time = Math.max(time + 1, active.start + frame.offsetMicros);
      await writer.write({ timeMicros: time, data: frame.data });
      bootFrames += 1;
      active.next += 1;
      if (active.next === active.boot.frames.length) active = undefined;
    }
    time = Math.max(time + 1, backgroundTime);
    firstTime ??= time;
    await writer.write({ timeMicros: time, data: traffic.next() });
  }
  await writer.end();
  const background = Object.fromEntries(BACKGROUND_KINDS.map((kind) => [kind, traffic.counts[kind]])) as Record<
    BackgroundKind,
    number
  >;
  return {
    bytes: writer.bytesWritten,
    packets: writer.packets,
    bootFrames,
    boots: placements,
    background,
    firstTimeMicros: firstTime ?? time,
    lastTimeMicros: time,
  };
}
