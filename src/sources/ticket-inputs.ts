/**
 * `analyze` inputs as given: a capture, or a ticket folder, or an archive of one. Folders and
 * archives are opened into the inputs they hold (ticket-folder.ts, ticket-archive.ts); the
 * same file reached twice is read once.
 */
import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AnalyzeInputs } from '../engine/input-events.js';
import { InputError } from '../exit-codes.js';
import { fileErrorReason } from './capture-input.js';
import { fileArchiveKind, unpackArchive } from './ticket-archive.js';
import { readHead } from './input-kind.js';
import { describeEntries, readTicketFolder } from './ticket-folder.js';

export interface TicketInputs {
  readonly inputs: AnalyzeInputs;
  /** Removes the folders archives were unpacked into. */
  cleanup(): Promise<void>;
}

const identity = (file: string): string => {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
};

/**
 * Opens folders and archives among `given` (the positional arguments) and merges what they
 * hold with the inputs named by options; `tell` receives one line per file looked at.
 */
export async function openTicketInputs(
  given: readonly string[],
  named: AnalyzeInputs,
  tell: (line: string) => void,
): Promise<TicketInputs> {
  const captures: string[] = [];
  const consoles = [...named.consoles];
  const serverLogs = [...named.serverLogs];
  const roots: string[] = [];
  const unpacked: { remove(): Promise<void> }[] = [];
  const cleanup = async (): Promise<void> => {
    for (const u of unpacked) await u.remove();
  };
  try {
    // An archive or folder given twice is opened once.
    for (const item of unique(given)) {
      let folder: string | undefined;
      const info = await stat(item).catch(() => undefined);
      if (info?.isDirectory()) folder = item;
      else if (info?.isFile()) {
        const head = await readHead(item).catch((error: unknown) => {
          throw new InputError(`cannot read ${item}: ${fileErrorReason(error)}`);
        });
        const kind = await fileArchiveKind(item, head);
        if (kind) {
          const archive = await unpackArchive(item, kind);
          unpacked.push(archive);
          tell(`${item}: a ${kind} archive, ${archive.files} files unpacked into ${archive.dir}`);
          for (const skipped of archive.skipped) tell(`${item}: not unpacked: ${skipped}`);
          folder = archive.dir;
        }
      }
      if (folder === undefined) {
        captures.push(item);
        continue;
      }
      const ticket = await readTicketFolder(folder);
      for (const line of describeEntries(ticket.entries)) tell(line);
      const { inputs: found } = ticket;
      if (found.captures.length + found.consoles.length + found.serverLogs.length === 0 && !found.tftpRoot) {
        throw new InputError(
          `${item}: no capture, console log, TFTP-server log or TFTP root ` +
            `in it (each file is listed above with why it was not used).`,
        );
      }
      captures.push(...ticket.inputs.captures);
      consoles.push(...ticket.inputs.consoles);
      serverLogs.push(...ticket.inputs.serverLogs);
      if (ticket.inputs.tftpRoot) roots.push(ticket.inputs.tftpRoot);
    }
    const distinctRoots = unique(roots);
    if (!named.tftpRoot && distinctRoots.length > 1) {
      throw new InputError(
        `the tickets given hold ${distinctRoots.length} TFTP roots (${distinctRoots.join(', ')}): ` +
          `give the right one with --tftp-root.`,
      );
    }
    const tftpRoot = named.tftpRoot ?? distinctRoots[0];
    return {
      inputs: {
        captures: unique([...captures, ...named.captures]),
        consoles: unique(consoles),
        serverLogs: unique(serverLogs),
        ...(tftpRoot ? { tftpRoot } : {}),
      },
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The paths in order, each file once however it was reached. */
function unique(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const id = identity(p);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
