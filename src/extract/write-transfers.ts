/**
 * `phonedoc transfers CAPTURE --extract DIR`: writes each completely rebuilt TFTP file into
 * DIR and nowhere else. Names come from `safeFileName` (a flat name, no directory part);
 * each file is created with O_CREAT|O_EXCL ('wx'), which fails on any existing entry —
 * a symlink planted in DIR included — so nothing is followed and nothing is overwritten:
 * a name already taken (in this run, or in DIR before it) gets `~2`, `~3`, ... A transfer of a
 * name and bytes already written in this run is not written again. A file cut short (a write
 * error, SIGINT, SIGTERM, SIGHUP) is removed: every file left in DIR is whole.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { InputError } from '../exit-codes.js';
import { fileSystemReason, makeFolder, refuseOutputFolder } from './output-folders.js';
import { removedOnSignal, type SignalGuard } from './removed-on-signal.js';
import { safeFileName, withDuplicateSuffix } from './safe-file-names.js';

export interface ExtractedFile {
  /** The file name as the request carried it. */
  readonly original: string;
  /** Where it was written (DIR joined with the safe name). */
  readonly path: string;
  readonly bytes: number;
  readonly transferId: number;
  /** True when an earlier transfer of the same name carried the same bytes: `path` is its file, not written again. */
  readonly sameAsEarlier: boolean;
}

export interface SkippedFile {
  readonly original: string;
  readonly transferId: number;
  /** Why a complete transfer has no file: `missing blocks`, `transfer size cap` or `total size cap`. */
  readonly reason: string;
}

export interface ExtractionResult {
  readonly written: readonly ExtractedFile[];
  readonly skipped: readonly SkippedFile[];
}

/** Copies of one name tried before giving up on it. */
const MAX_COPIES = 10000;

/** Told of each file as it is written or skipped, so that a failure part-way leaves a list of what was written. */
export interface ExtractionProgress {
  written?(file: ExtractedFile): void;
  skipped?(file: SkippedFile): void;
}

/**
 * Writes the content of every complete transfer; a complete one without content is listed as
 * skipped. DIR may exist (a real folder, not a link) or is made. A file that cannot be written
 * whole is removed, and the InputError names it and how many were written before it.
 */
export async function writeTransferFiles(
  dir: string,
  transfers: readonly TftpTransfer[],
  progress: ExtractionProgress = {},
): Promise<ExtractionResult> {
  refuseOutputFolder(dir, 'the --extract folder');
  makeFolder(dir, 'the --extract folder');
  const run: ExtractionRun = { taken: new Map(), guard: removedOnSignal() };
  try {
    return await writeEach(dir, transfers, run, progress);
  } finally {
    run.guard.release();
  }
}

async function writeEach(
  dir: string,
  transfers: readonly TftpTransfer[],
  run: ExtractionRun,
  progress: ExtractionProgress,
): Promise<ExtractionResult> {
  const written: ExtractedFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const transfer of transfers) {
    if (transfer.outcome !== 'complete') continue;
    if (transfer.content === undefined) {
      const file = {
        original: transfer.file,
        transferId: transfer.id,
        reason: transfer.contentOmitted ?? 'no content',
      };
      skipped.push(file);
      progress.skipped?.(file);
      continue;
    }
    let target: { file: string; sameAsEarlier: boolean };
    try {
      target = await writeTransferFile(dir, transfer.file, transfer.content, run);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const before = written.length === 1 ? '1 file was' : `${written.length} files were`;
      throw new InputError(`${error.message}; ${before} written before it.`);
    }
    const file: ExtractedFile = {
      original: transfer.file,
      path: target.file,
      bytes: transfer.content.length,
      transferId: transfer.id,
      sameAsEarlier: target.sameAsEarlier,
    };
    written.push(file);
    progress.written?.(file);
  }
  return { written, skipped };
}

/**
 * What this run has written, by the lower case of the safe name (names differing only in case
 * are one file on Windows and macOS): the next copy number to try, so that each name costs one
 * open however many transfers share it, and the files by content, so that the same file
 * fetched by every phone of a site is written once.
 */
export type TakenNames = Map<string, { next: number; byContent: Map<string, string> }>;

/** Writes one transfer's file, or finds the earlier file of the same name holding the same bytes. */
async function writeTransferFile(
  dir: string,
  original: string,
  content: Uint8Array,
  run: ExtractionRun,
): Promise<{ file: string; sameAsEarlier: boolean }> {
  const key = safeFileName(original).toLowerCase();
  const digest = createHash('sha256').update(content).digest('hex');
  const earlier = run.taken.get(key)?.byContent.get(digest);
  if (earlier !== undefined) return { file: earlier, sameAsEarlier: true };
  const file = await writeNewFile(dir, original, content, run);
  run.taken.get(key)?.byContent.set(digest, file);
  return { file, sameAsEarlier: false };
}

/** What one extraction shares between its files: the names taken, and the file being written, removed on a signal. */
export interface ExtractionRun {
  readonly taken: TakenNames;
  readonly guard: SignalGuard;
}

/**
 * Creates a new file in `dir` under the safe form of `original` and writes `content`; returns
 * its path. A file that cannot be written whole is removed.
 */
export async function writeNewFile(
  dir: string,
  original: string,
  content: Uint8Array,
  run?: ExtractionRun,
): Promise<string> {
  const { taken, guard } = run ?? { taken: new Map(), guard: removedOnSignal() };
  const name = safeFileName(original);
  const key = name.toLowerCase();
  const names = taken.get(key) ?? { next: 1, byContent: new Map() };
  taken.set(key, names);
  try {
    for (let copy = names.next; copy <= MAX_COPIES; copy++) {
      const file = path.join(dir, withDuplicateSuffix(name, copy));
      const handle = await createNew(file);
      if (handle === undefined) continue;
      guard.path = file;
      names.next = copy + 1;
      await writeWhole(file, handle, content);
      guard.path = undefined;
      return file;
    }
  } finally {
    if (run === undefined) guard.release();
  }
  throw new InputError(
    `cannot write ${JSON.stringify(name)} into ${dir}: ${MAX_COPIES} files of that name already exist`,
  );
}

/** O_CREAT|O_EXCL: undefined when the name is taken (a symlink included: nothing is followed). */
async function createNew(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw new InputError(`cannot create ${file}: ${fileSystemReason(error)}`);
  }
}

async function writeWhole(file: string, handle: FileHandle, content: Uint8Array): Promise<void> {
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw new InputError(`cannot write ${file} (${content.length} bytes): ${fileSystemReason(error)}; it was removed`);
  }
  await handle.close();
}
