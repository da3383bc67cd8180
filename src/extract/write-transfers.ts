/**
 * `phonedoc transfers CAPTURE --extract DIR`: writes each completely rebuilt TFTP file into
 * DIR and nowhere else. Names come from `safeFileName` (a flat name, no directory part);
 * each file is created with O_CREAT|O_EXCL ('wx'), which fails on any existing entry —
 * a symlink planted in DIR included — so nothing is followed and nothing is overwritten:
 * a name already taken gets `~2`, `~3`, ...
 */
import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { makeFolder } from './output-folders.js';
import { safeFileName, withDuplicateSuffix } from './safe-file-names.js';

export interface ExtractedFile {
  /** The file name as the request carried it. */
  readonly original: string;
  /** Where it was written (DIR joined with the safe name). */
  readonly path: string;
  readonly bytes: number;
  readonly transferId: number;
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

/** Writes the content of every complete transfer; a complete one without content is listed as skipped. */
export async function writeTransferFiles(dir: string, transfers: readonly TftpTransfer[]): Promise<ExtractionResult> {
  makeFolder(dir, 'the --extract folder');
  const written: ExtractedFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const transfer of transfers) {
    if (transfer.outcome !== 'complete') continue;
    if (transfer.content === undefined) {
      skipped.push({
        original: transfer.file,
        transferId: transfer.id,
        reason: transfer.contentOmitted ?? 'no content',
      });
      continue;
    }
    const file = await writeNewFile(dir, transfer.file, transfer.content);
    written.push({ original: transfer.file, path: file, bytes: transfer.content.length, transferId: transfer.id });
  }
  return { written, skipped };
}

/** Creates a new file in `dir` under the safe form of `original`; returns its path. */
export async function writeNewFile(dir: string, original: string, content: Uint8Array): Promise<string> {
  const name = safeFileName(original);
  for (let copy = 1; copy <= MAX_COPIES; copy++) {
    const file = path.join(dir, withDuplicateSuffix(name, copy));
    let handle: FileHandle;
    try {
      handle = await open(file, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    return file;
  }
  throw new Error(`${MAX_COPIES} files named like ${JSON.stringify(name)} already exist in ${dir}`);
}
