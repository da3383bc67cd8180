/**
 * A TFTP root as a ticket bundle lists it: one line per file and directory, with its mode,
 * size, modification time (UTC) and path, as the lint walked it; then what it left out, with the reason.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { isoMillis } from '../../parsers/time/iso.js';
import { readTftpRoot } from '../lint/tftp-root.js';
import { jsonText } from './escape.js';

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
    return `${e.mode.toString(8).padStart(4, '0')} ${String(e.size).padStart(10)} ` + `${modified} ${listedName(name)}`;
  });
  const leftOut = root.skipped.map((s) => `# left out ${listedName(s.path)}: ${s.reason}\n`).join('');
  return `${ROOT_LISTING_HEADER}\n# ${dir}\n${lines.join('\n')}\n${leftOut}`;
}

/** A name as JSON writes it inside its quotes, with C1, bidi and other format characters escaped too. */
function listedName(name: string): string {
  return jsonText(name).slice(1, -1);
}
