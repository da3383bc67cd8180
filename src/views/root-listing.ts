/**
 * A TFTP root as a ticket bundle lists it: one line per file and directory, with its mode,
 * size, modification time (UTC) and path, as the lint walked it.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { isoMillis } from '../../parsers/time/iso.js';
import { readTftpRoot } from '../lint/tftp-root.js';

export const ROOT_LISTING_HEADER = '# mode bytes modified(UTC) name';

export function tftpRootListing(dir: string): string {
  const root = readTftpRoot(dir);
  const lines = root.entries.map((e) => {
    let modified = '?';
    try {
      modified = isoMillis(statSync(path.join(dir, e.path)).mtimeMs / 1000).replace(/\.\d+Z$/, 'Z');
    } catch {
      // Gone since the walk: the listing says it was there.
    }
    const name = e.type === 'directory' ? `${e.path}/` : e.path;
    return (
      `${e.mode.toString(8).padStart(4, '0')} ${String(e.size).padStart(10)} ` +
      `${modified} ${JSON.stringify(name).slice(1, -1)}`
    );
  });
  return `${ROOT_LISTING_HEADER}\n# ${dir}\n${lines.join('\n')}\n`;
}
