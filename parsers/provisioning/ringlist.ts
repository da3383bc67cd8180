/**
 * RINGLIST.DAT: one ring per line, the name shown on the phone, then the file name
 * (LKML-TEO: `FlintPhone FlintPhone.raw`, `Piano 1 Piano1.raw`). The display name may
 * contain spaces, so the file name is the last word of the line.
 */
import { RING_FILE_EXTENSIONS } from './file-names.js';
import { located, problemAt, type Located, type ProvisioningProblem, listedProblems } from './problem.js';
import { decodeText, splitLines, type ProvisioningText } from './text-lines.js';

export interface Ring {
  readonly displayName: Located<string>;
  /** The file the phone fetches from the TFTP root when this ring is chosen. */
  readonly fileName: Located<string>;
}

export interface RingList {
  readonly file: string;
  readonly rings: readonly Ring[];
  readonly problems: readonly ProvisioningProblem[];
}

export function parseRingList(input: ProvisioningText, file: string): RingList {
  const { text } = decodeText(input);
  const rings: Ring[] = [];
  const problems: ProvisioningProblem[] = [];
  for (const line of splitLines(text)) {
    const body = line.number === 1 ? line.text.replace(/^\uFEFF/, '') : line.text;
    const shift = line.text.length - body.length;
    if (body.trim() === '') continue;
    const match = /^(\s*)(\S.*?)\s+(\S+)\s*$/.exec(body);
    const at = (column: number) => ({ file, line: line.number, column: column + shift });
    if (!match) {
      problems.push(
        problemAt(
          'RINGLIST_LINE_SYNTAX',
          at(body.length - body.trimStart().length + 1),
          `expected a display name and a file name, found only "${body.trim()}"`,
        ),
      );
      continue;
    }
    const [, lead = '', displayName = '', fileName = ''] = match;
    const ring: Ring = {
      displayName: located(displayName, at(lead.length + 1)),
      fileName: located(fileName, at(body.lastIndexOf(fileName) + 1)),
    };
    rings.push(ring);
    if (!RING_FILE_EXTENSIONS.some((ext) => ring.fileName.value.toLowerCase().endsWith(ext))) {
      problems.push(
        problemAt(
          'RINGLIST_FILE_EXTENSION',
          ring.fileName,
          `"${ring.fileName.value}" does not end in ${RING_FILE_EXTENSIONS.join(' or ')}: check the line is the display name, then the file name`,
        ),
      );
    }
  }
  return { file, rings, problems: listedProblems(problems) };
}
