/**
 * A ticket as a folder (or a .zip / .tar / .tar.gz of one): its inputs found by content, not by
 * name — captures by their pcap/pcapng magic (gzip-compressed too), console logs and TFTP-server
 * logs by the lines phonedoc's parsers recognise, the TFTP root as the folder of provisioning
 * files. phonedoc's own ticket bundle (`analyze --out`) reads back the same way: its per-phone
 * pcapng files and console.log are taken, its reports are not.
 */
import { lstat, readdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { classifyFileName } from '../../parsers/provisioning/file-names.js';
import type { AnalyzeInputs } from '../engine/input-events.js';
import { InputError } from '../exit-codes.js';
import { isKernelFileSystem } from '../extract/output-folders.js';
import { fileErrorReason, GZIP_MAGIC, startsWithMagic, ZSTD_MAGIC } from './capture-input.js';
import { archiveKind } from './ticket-archive.js';
import { captureMagic, gunzipHead, LOOKS_LIKE, readHead, sniffContent } from './input-kind.js';

export type TakenAs = 'capture' | 'console' | 'server-log' | 'tftp-root';

export interface FolderEntry {
  readonly path: string;
  /** What it was taken as; undefined when it is not used. */
  readonly as?: TakenAs;
  /** Why it was not used (or, for an archive, what was found in it). */
  readonly note?: string;
}

export interface TicketFolder {
  readonly inputs: AnalyzeInputs;
  /** Every entry looked at, in folder order: what each was taken as, or why it was left. */
  readonly entries: readonly FolderEntry[];
}

/** Folders below the given one that are searched (an unpacked zip often holds one folder). */
const MAX_DEPTH = 3;

/** phonedoc's own reports (report.md, .html, .json of a ticket bundle): they quote log lines, but are not logs. */
function isPhonedocReport(text: string): boolean {
  return (
    /^# phonedoc (?!console log )/.test(text) ||
    /<meta name="generator" content="phonedoc /.test(text) ||
    /^\{\s*"tool":\s*"phonedoc"/.test(text)
  );
}

/** What a file is, from its first bytes (the one content sniffer, input-kind.ts); a note says why it is not used. */
export function sniffFile(head: Uint8Array): { as?: 'capture' | 'console' | 'server-log'; note?: string } {
  if (head.length === 0) return { note: 'empty' };
  // One archive is opened, not archives inside it: no nesting to unpack without end.
  const archive = archiveKind(head);
  if (archive) return { note: `a ${archive} archive inside the ticket, not opened: unpack it and give its folder` };
  if (startsWithMagic(head, GZIP_MAGIC)) {
    return captureMagic(gunzipHead(head)) !== undefined
      ? { as: 'capture' }
      : { note: 'gzip-compressed, not a capture' };
  }
  // Taken as a capture so that reading it says how to decompress it.
  if (startsWithMagic(head, ZSTD_MAGIC)) return { as: 'capture' };
  if (isPhonedocReport(Buffer.from(head).toString('utf8'))) return { note: 'a phonedoc report' };
  const { content } = sniffContent(head);
  switch (content) {
    case 'pcap':
    case 'pcapng':
      return { as: 'capture' };
    case 'console':
      return { as: 'console' };
    case 'server-log':
      return { as: 'server-log' };
    case 'syslog':
      return { note: 'a syslog file with no line of a DHCP or TFTP server phonedoc reads' };
    default:
      return { note: `${LOOKS_LIKE[content]}: no line phonedoc reads as a phone console or server log` };
  }
}

/** A folder whose own files include provisioning files (OS79XX.TXT, SEP<MAC>.cnf.xml, images…). */
async function provisioningFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && classifyFileName(e.name).kind !== 'other').length;
}

/** What a file of the folder is, or why it cannot be read (it is listed, not left out in silence). */
async function sniffPath(file: string): Promise<Pick<FolderEntry, 'as' | 'note'>> {
  try {
    return sniffFile(await readHead(file));
  } catch (error) {
    return { note: `cannot be read: ${fileErrorReason(error)}` };
  }
}

/**
 * Finds the inputs of the ticket folder `dir`. Two folders that could each be the TFTP root
 * are a question only the user can answer: an InputError naming both.
 */
export async function readTicketFolder(dir: string): Promise<TicketFolder> {
  const entries: FolderEntry[] = [];
  const roots: string[] = [];

  const visit = async (folder: string, depth: number): Promise<void> => {
    const children = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      const full = path.join(folder, child.name);
      if (child.isSymbolicLink()) {
        entries.push({ path: full, note: 'a symbolic link, not followed' });
      } else if (child.isDirectory() && isKernelFileSystem(full)) {
        entries.push({ path: full, note: 'a kernel file system (/proc or /sys), not searched' });
      } else if (child.isDirectory()) {
        const provisioning = await provisioningFiles(full).catch((error: unknown) => fileErrorReason(error));
        if (typeof provisioning === 'string') {
          entries.push({ path: full, note: `a folder that cannot be read: ${provisioning}` });
        } else if (provisioning > 0) {
          roots.push(full);
          entries.push({ path: full, as: 'tftp-root' });
        } else if (depth < MAX_DEPTH) {
          await visit(full, depth + 1);
        } else {
          entries.push({ path: full, note: 'too deep, not searched' });
        }
      } else if (child.isFile()) {
        // A provisioning file is part of its folder, the TFTP root, whatever its text looks like.
        if (classifyFileName(child.name).kind !== 'other') continue;
        entries.push({ path: full, ...(await sniffPath(full)) });
      } else {
        entries.push({ path: full, note: 'a FIFO, socket or device, not a regular file' });
      }
    }
  };

  let stat: Stats;
  try {
    stat = await lstat(dir);
  } catch {
    throw new InputError(`cannot read the folder ${dir}: no such file or directory`);
  }
  if (!stat.isDirectory()) throw new InputError(`${dir} is not a folder`);
  if (isKernelFileSystem(dir)) throw new InputError(`${dir} is on a kernel file system (/proc or /sys), not a ticket`);
  try {
    await readdir(dir);
  } catch (error) {
    throw new InputError(`cannot read the folder ${dir}: ${fileErrorReason(error)}`);
  }
  await visit(dir, 0);
  // Provisioning files in the folder given itself: it is (also) a TFTP root.
  if ((await provisioningFiles(dir)) > 0) {
    roots.unshift(dir);
    entries.unshift({ path: dir, as: 'tftp-root' });
  }
  if (roots.length > 1) {
    throw new InputError(
      `${dir} holds ${roots.length} folders that could be the TFTP root (${roots.join(', ')}): ` +
        `give the right one with --tftp-root.`,
    );
  }
  const of = (as: TakenAs): string[] => entries.filter((e) => e.as === as).map((e) => e.path);
  return {
    inputs: {
      captures: of('capture'),
      consoles: of('console'),
      serverLogs: of('server-log'),
      ...(roots[0] ? { tftpRoot: roots[0] } : {}),
    },
    entries,
  };
}

const TAKEN_WORDS: Readonly<Record<TakenAs, string>> = {
  capture: 'a capture',
  console: 'a console log',
  'server-log': 'a DHCP- or TFTP-server log',
  'tftp-root': 'the TFTP root',
};

/** One line per entry for stderr: `captures/x/tftpd.log: taken as a TFTP-server log`. */
export function describeEntries(entries: readonly FolderEntry[]): string[] {
  return entries.map((e) =>
    e.as ? `${e.path}: taken as ${TAKEN_WORDS[e.as]}` : `${e.path}: not used (${e.note ?? 'not recognised'})`,
  );
}
