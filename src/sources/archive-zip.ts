/**
 * A zip archive (APPNOTE 4.3) read through its central directory, found by the end record at the
 * end of the file; what the directory declares (where each entry is, its size and CRC-32) is
 * checked against the file and the bytes written. A zip with bytes before it (a self-extracting
 * archive) is read as unzip reads one: its offsets are taken relative to where the directory is.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { InputError } from '../exit-codes.js';
import { MAX_ENTRIES, shownName, type Unpacker } from './archive-unpacker.js';
import { bytesAt } from './bytes-at.js';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_BYTES = 22;
const ZIP64_MARK = 0xffffffff;

/**
 * The end record's place in `tail`: of the records whose comment reaches the end of the file the
 * first (a record inside another's comment is comment), else the last record found.
 */
function endRecordAt(tail: Buffer): number {
  let last = -1;
  let reachingEnd = -1;
  for (let i = tail.length - EOCD_BYTES; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD_SIGNATURE) continue;
    if (i + EOCD_BYTES + tail.readUInt16LE(i + 20) === tail.length) reachingEnd = i;
    if (last < 0) last = i;
  }
  return reachingEnd >= 0 ? reachingEnd : last;
}

/** Whether the end of `file` holds a zip end record: a zip behind other bytes (a self-extracting archive). */
export async function endsAsZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, EOCD_BYTES + 65535);
    return endRecordAt(await bytesAt(handle, size - tailLength, tailLength)) >= 0;
  } finally {
    await handle.close();
  }
}

interface ZipDirectory {
  readonly directory: Buffer;
  readonly count: number;
  /** Added to every offset the directory gives: the length of what was put before the zip. */
  readonly shift: number;
}

/** A zip's central directory and its entry count, found through the end record at the end of the file. */
async function readZipDirectory(handle: FileHandle, size: number, file: string): Promise<ZipDirectory> {
  // The end record is in the last 22 bytes plus a comment of up to 65535.
  const tailLength = Math.min(size, EOCD_BYTES + 65535);
  const tail = await bytesAt(handle, size - tailLength, tailLength);
  const end = endRecordAt(tail);
  if (end < 0) throw new InputError(`${file}: not a readable zip archive (no end of central directory record)`);
  const count = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (directoryOffset === ZIP64_MARK || directorySize === ZIP64_MARK || count === 0xffff)
    throw new InputError(`${file}: a zip64 archive; unpack it yourself and give the folder`);
  if (tail.readUInt16LE(end + 4) !== 0 || tail.readUInt16LE(end + 6) !== 0 || tail.readUInt16LE(end + 8) !== count)
    throw new InputError(
      `${file}: one part of a zip split over several files; join the parts (zip -s 0) and give the whole`,
    );
  if (count > MAX_ENTRIES)
    throw new InputError(`${file}: more than ${MAX_ENTRIES} entries; unpack it yourself and give the folder`);
  const endAt = size - tailLength + end;
  // The directory lies just before the end record; where the record says it starts may be off by a prefix.
  const directoryAt = endAt - directorySize;
  if (directoryAt < 0 || directoryOffset > directoryAt) {
    throw new InputError(
      `${file}: the zip end record puts the central directory (${directorySize} bytes at offset ` +
        `${directoryOffset}) outside the file`,
    );
  }
  return { directory: await bytesAt(handle, directoryAt, directorySize), count, shift: directoryAt - directoryOffset };
}

interface CentralEntry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc32?: number;
  readonly compressedSize: number;
  readonly size: number;
  /** The file type from Unix mode bits (0 when the entry has none). */
  readonly fileType: number;
  readonly localOffset: number;
  /** Bytes of the directory this entry takes. */
  readonly length: number;
}

function centralEntry(directory: Buffer, at: number): CentralEntry | undefined {
  if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) return undefined;
  const flags = directory.readUInt16LE(at + 8);
  const nameLength = directory.readUInt16LE(at + 28);
  const length = 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
  if (at + length > directory.length) return undefined;
  const madeBy = directory.readUInt16LE(at + 4) >> 8;
  const unixMode = madeBy === 3 ? directory.readUInt32LE(at + 38) >>> 16 : 0;
  return {
    name: directory.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1'),
    flags,
    method: directory.readUInt16LE(at + 10),
    // A CRC-32 of 0 is taken as none given: minimal writers leave it out (a real one is 0 once in 2^32).
    ...(directory.readUInt32LE(at + 16) === 0 ? {} : { crc32: directory.readUInt32LE(at + 16) }),
    compressedSize: directory.readUInt32LE(at + 20),
    size: directory.readUInt32LE(at + 24),
    fileType: unixMode & 0o170000,
    localOffset: directory.readUInt32LE(at + 42),
    length,
  };
}

/** Why an entry is not unpacked (a link, encrypted, a method phonedoc does not read), or undefined. */
function notUnpacked(entry: CentralEntry): string | undefined {
  if (entry.fileType === 0o120000) return 'a symbolic link';
  if (entry.fileType !== 0 && entry.fileType !== 0o100000) return 'not a regular file';
  if (entry.flags & 0x1) return 'encrypted';
  if (entry.method !== 0 && entry.method !== 8)
    return `compression method ${entry.method} (phonedoc reads stored and deflated entries)`;
  return undefined;
}

/** Where an entry's data starts, checked against its local header and the file's size. */
async function dataStart(handle: FileHandle, entry: CentralEntry, shift: number, size: number, file: string) {
  const entryName = `${file}: the zip entry ${shownName(entry.name)}`;
  if ([entry.compressedSize, entry.size, entry.localOffset].includes(ZIP64_MARK))
    throw new InputError(`${entryName} has zip64 sizes; unpack it yourself and give the folder`);
  const localAt = entry.localOffset + shift;
  const local = await bytesAt(handle, localAt, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE)
    throw new InputError(`${entryName} has no local header at offset ${localAt}`);
  const start = localAt + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + entry.compressedSize > size) throw new InputError(`${entryName} runs past the end of the file`);
  return start;
}

/** The entries of the central directory, each checked to lie inside it. */
function centralEntries(directory: Buffer, count: number, file: string): CentralEntry[] {
  const entries: CentralEntry[] = [];
  for (let i = 0, at = 0; i < count; i++) {
    const entry = centralEntry(directory, at);
    if (entry === undefined) throw new InputError(`${file}: the zip central directory is damaged at entry ${i + 1}`);
    entries.push(entry);
    at += entry.length;
  }
  return entries;
}

export async function unpackZip(file: string, unpacker: Unpacker): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const { directory, count, shift } = await readZipDirectory(handle, size, file);
    const entries = centralEntries(directory, count, file);
    // Every entry is held to the size it declares: a bomb is refused before a byte is written.
    const toWrite = entries.filter((e) => !e.name.endsWith('/') && notUnpacked(e) === undefined);
    const declared = toWrite.reduce((sum, e) => sum + e.size, 0);
    unpacker.refuseOverCap(declared);
    for (const entry of entries) {
      unpacker.count();
      const why = notUnpacked(entry);
      if (entry.name.endsWith('/')) await unpacker.folder(entry.name);
      else if (why !== undefined) unpacker.skip(entry.name, why);
      else {
        const start = await dataStart(handle, entry, shift, size, file);
        const body = (): Readable => {
          const raw =
            entry.compressedSize === 0
              ? Readable.from([])
              : createReadStream('', {
                  fd: handle.fd,
                  start,
                  end: start + entry.compressedSize - 1,
                  autoClose: false,
                });
          return entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
        };
        await unpacker.file(entry.name, body, async () => undefined, entry);
      }
    }
  } finally {
    await handle.close();
  }
}
