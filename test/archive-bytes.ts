/**
 * Minimal tar and zip writers for tests, so that an archive can hold what no archiver would
 * write: names that leave the folder, lying sizes and checksums, links, devices, pax records.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface TarEntryOptions {
  /** The type flag: '0' file, '2' symbolic link, '5' folder, 'x' pax records, 'L' GNU long name… */
  type?: string;
  link?: string;
  /** The 12 bytes of the size field as written (base-256, negative, huge), instead of the data's length. */
  sizeField?: Buffer;
  /** Writes a checksum one off. */
  badChecksum?: boolean;
}

export function tarEntry(name: string, data: Buffer, options: TarEntryOptions = {}): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  if (options.sizeField) options.sizeField.copy(header, 124, 0, 12);
  else header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(options.type ?? '0', 156);
  header.write(options.link ?? '', 157, 100);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  let sum = options.badChecksum ? 1 : 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** A pax extended header (type 'x') holding `records` for the entry after it. */
export function paxEntry(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length++;
    return `${length}${body}`;
  });
  return tarEntry('PaxHeader', Buffer.from(lines.join('')), { type: 'x' });
}

/** The end of a tar: two zero blocks. */
export const TAR_END = Buffer.alloc(1024);

export interface ZipEntry {
  name: string;
  data: Buffer;
  symlink?: boolean;
  /** Deflated (method 8) instead of stored. */
  deflate?: boolean;
  /** The compression method written, whatever the data is. */
  method?: number;
  /** The uncompressed size the directory declares, instead of the data's. */
  declaredSize?: number;
  /** The CRC-32 the directory declares; 0 (none) when not given. */
  crc?: number | 'real';
  flags?: number;
}

export interface ZipOptions {
  /** Bytes before the zip (a self-extracting archive), its offsets not adjusted. */
  prefix?: Buffer;
  comment?: Buffer;
  /** Overrides of the end record: where it says the directory is, and its size. */
  directoryOffset?: number;
  directorySize?: number;
  count?: number;
}

export function zipOf(entries: ZipEntry[], options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const data = e.deflate ? deflateRawSync(e.data) : e.data;
    const method = e.method ?? (e.deflate ? 8 : 0);
    const crc = e.crc === 'real' ? crc32(e.data) : (e.crc ?? 0);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt16LE(e.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.symlink ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = options.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.count ?? entries.length, 8);
  end.writeUInt16LE(options.count ?? entries.length, 10);
  end.writeUInt32LE(options.directorySize ?? directory.length, 12);
  end.writeUInt32LE(options.directoryOffset ?? offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([options.prefix ?? Buffer.alloc(0), ...locals, directory, end, comment]);
}
