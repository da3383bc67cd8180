/**
 * OS79XX.TXT: tells a 7940/7960 which image to fetch. Seed tech note: the file is case
 * sensitive and "must contain only the file name of the image, without the .bin
 * extension"; a wrong syntax is the usual reason a phone goes Unprovisioned. A trailing
 * space written by Windows editors makes the phone request a file that does not exist
 * (CSCdv19260).
 */
import { os79xxRequestedFileName } from './file-names.js';
import { checkImageReference, type ImageReference } from './image-reference.js';
import {
  located,
  problemAt,
  type Located,
  type ProvisioningProblem,
  type SourcePosition,
  listedProblems,
} from './problem.js';
import { decodeText, splitLines, type ProvisioningText, type TextLine } from './text-lines.js';

export interface Os79xxTxt {
  readonly file: string;
  readonly byteSize: number;
  /** The first line exactly as written: byte-order mark, blanks and a CR before the LF included. */
  readonly content: Located<string>;
  /** The image named on the first line, blanks and BOM removed; absent when the line is blank. */
  readonly image?: ImageReference;
  /**
   * The file the phone requests: the first line as written plus `.bin`. That blanks and a CR
   * stay in the name follows CSCdv19260; that the phone stops at the first LF is [I].
   */
  readonly requestedFileName: string;
  readonly problems: readonly ProvisioningProblem[];
}

const BLANKS = /[ \t\r\f\v\u00A0]/;

type At = (line: number, column: number) => SourcePosition;

export function parseOs79xxTxt(input: ProvisioningText, file: string): Os79xxTxt {
  const { text, byteSize } = decodeText(input);
  const lines = splitLines(text);
  const problems: ProvisioningProblem[] = [];
  const first = lines[0];
  const at: At = (line, column) => ({ file, line, column });
  const firstRaw = first ? first.text + (first.ending === '\r\n' ? '\r' : '') : '';
  const content = located(firstRaw, at(1, 1));

  const { name, column } = readNameLine(firstRaw, at, problems);
  let image: ImageReference | undefined;
  if (name === '') {
    problems.push(
      problemAt(
        'OS79XX_EMPTY',
        at(1, 1),
        'the first line is empty: OS79XX.TXT must hold the image name, e.g. P0S3-08-12-00',
      ),
    );
  } else {
    const checked = checkImageReference(name, at(1, column), 'os79xx');
    image = checked.reference;
    problems.push(...checked.problems);
  }
  checkLinesAfterName(lines, at, problems);

  return {
    file,
    byteSize,
    content,
    ...(image ? { image } : {}),
    requestedFileName: os79xxRequestedFileName(firstRaw),
    problems: listedProblems(problems),
  };
}

/** The image name on the first line without what surrounds it (BOM, blanks, CR), each said in `problems`; `column` is where it starts. */
function readNameLine(firstRaw: string, at: At, problems: ProvisioningProblem[]): { name: string; column: number } {
  let body = firstRaw;
  let offset = 0;
  if (body.startsWith('\uFEFF')) {
    problems.push(
      problemAt(
        'OS79XX_BYTE_ORDER_MARK',
        at(1, 1),
        'the file starts with a UTF-8 byte-order mark (EF BB BF, written by Notepad); the phone reads it as part of the name. Save as ANSI/ASCII.',
      ),
    );
    body = body.slice(1);
    offset = 1;
  }
  const lead = body.length - body.replace(/^[ \t\f\v\u00A0]+/, '').length;
  if (lead > 0) {
    problems.push(
      problemAt(
        'OS79XX_LEADING_SPACE',
        at(1, offset + 1),
        `${lead} blank(s) before the name; the phone asks for the name with them`,
      ),
    );
  }
  let end = body.length;
  if (body.endsWith('\r')) {
    end--;
    problems.push(
      problemAt(
        'OS79XX_CARRIAGE_RETURN',
        at(1, offset + end + 1),
        'the line ends in CR LF (a Windows line end); the CR becomes part of the name the phone asks for. Save with a UNIX (LF) line end.',
      ),
    );
  }
  let trail = end;
  while (trail > lead && BLANKS.test(body.charAt(trail - 1)) && body.charAt(trail - 1) !== '\r') trail--;
  if (trail < end) {
    problems.push(
      problemAt(
        'OS79XX_TRAILING_SPACE',
        at(1, offset + trail + 1),
        `${end - trail} blank(s) after the name; the phone asks for "${body.slice(lead, end)}.bin" with them and the file is never found (bug CSCdv19260)`,
      ),
    );
  }
  return { name: body.slice(lead, trail), column: offset + lead + 1 };
}

/** OS79XX.TXT holds one line: more text after it, or blank lines. */
function checkLinesAfterName(lines: readonly TextLine[], at: At, problems: ProvisioningProblem[]): void {
  const extra = lines.slice(1).filter((l) => l.text.trim() !== '');
  const [firstExtra] = extra;
  if (firstExtra) {
    problems.push(
      problemAt(
        'OS79XX_EXTRA_LINES',
        at(firstExtra.number, 1),
        `${extra.length} more line(s) after the image name ("${firstExtra.text.trim()}"…); OS79XX.TXT must hold one line only`,
      ),
    );
  } else if (lines.length > 1) {
    problems.push(
      problemAt(
        'OS79XX_BLANK_LINES',
        at(2, 1),
        'blank line(s) after the image name; OS79XX.TXT should hold one line only, and what the phone makes of the rest is not known',
      ),
    );
  }
}
