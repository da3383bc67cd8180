/**
 * A ticket sent as an archive (.zip, .tar, .tar.gz / .tgz, recognised by content) unpacked into
 * a new temporary folder by phonedoc's own small readers — no system tool: only regular files
 * and folders are written, under names made of plain path parts (no absolute path, no `..`, no
 * drive letter), each file created exclusively, so nothing outside the folder is written or
 * followed; links and devices are skipped and listed (archive-unpacker.ts holds the rule). Sizes
 * are counted as written and capped, so an archive bomb stops with a clear error. The folder is
 * removed when the caller is done, and also on an error, at exit and on Ctrl-C or SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../exit-codes.js';
import { removedOnSignal } from '../extract/removed-on-signal.js';
import { unpackTar } from './archive-tar.js';
import { Unpacker } from './archive-unpacker.js';
import { endsAsZip, unpackZip } from './archive-zip.js';
import { fileErrorReason, GZIP_MAGIC, startsWithMagic } from './capture-input.js';
import { captureMagic, gunzipHead } from './input-kind.js';

export type ArchiveKind = 'zip' | 'tar' | 'tar.gz';

export interface UnpackedArchive {
  readonly dir: string;
  readonly files: number;
  /** Entries not written, with the reason (`link.txt: a symbolic link`). */
  readonly skipped: readonly string[];
  remove(): Promise<void>;
}

/** A tar header's magic; a capture's first packet may hold the same bytes at 257, so a capture is never a tar. */
const isUstar = (head: Uint8Array): boolean =>
  head.length >= 262 &&
  Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar' &&
  captureMagic(head) === undefined;

/** The archive kind of a file from its first bytes (at least 512), or undefined. */
export function archiveKind(head: Uint8Array): ArchiveKind | undefined {
  if (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
  )
    return 'zip';
  if (isUstar(head)) return 'tar';
  if (startsWithMagic(head, GZIP_MAGIC) && isUstar(gunzipHead(head))) return 'tar.gz';
  return undefined;
}

/**
 * The archive kind of `file` from its first bytes (`head`), or, when they are of no kind phonedoc
 * reads, a zip end record at its end (a zip with a program or other bytes before it).
 */
export async function fileArchiveKind(file: string, head: Uint8Array): Promise<ArchiveKind | undefined> {
  const kind = archiveKind(head);
  if (kind !== undefined || captureMagic(head) !== undefined || startsWithMagic(head, GZIP_MAGIC)) return kind;
  return (await endsAsZip(file)) ? 'zip' : undefined;
}

/** Unpacks `file` (of `kind`) into a new temporary folder; the caller removes it when done. */
export async function unpackArchive(file: string, kind: ArchiveKind): Promise<UnpackedArchive> {
  const guard = removedOnSignal();
  // mkdtemp makes the folder readable by its owner alone (0700).
  const dir = await mkdtemp(path.join(tmpdir(), 'phonedoc-ticket-')).catch((error: unknown) => {
    guard.release();
    throw new InputError(
      `${file}: cannot make a folder to unpack it in ${tmpdir()} (${fileErrorReason(error)}); ` +
        'set TMPDIR to a folder phonedoc may write in',
    );
  });
  guard.path = dir;
  // Guarded until removed: the process may end (a closed pipe) while the removal runs.
  const remove = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
    guard.release();
  };
  const unpacker = new Unpacker(file, dir);
  try {
    if (kind === 'zip') await unpackZip(file, unpacker);
    else await unpackTar(file, kind === 'tar.gz', unpacker);
  } catch (error) {
    await remove();
    if (error instanceof InputError) throw error;
    throw new InputError(
      `${file}: cannot unpack the ${kind} archive (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return { dir, files: unpacker.files, skipped: unpacker.skipped, remove };
}
