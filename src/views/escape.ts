/**
 * The one escaping rule for text that came from an input (capture fields, log and console
 * text, file names, header fields): the characters that can act on a terminal or hide or
 * reorder text never reach an output raw. They are C0 controls, DEL, C1 controls (U+009B
 * is a CSI on many terminals), format characters (the bidirectional overrides such as
 * U+202E, zero-width characters, U+FEFF), the line and paragraph separators, and lone
 * surrogates. Each output shows them in its own escaped form: `terminalText` for a
 * terminal, text and Markdown files, `jsonText` for JSON, `htmlText` for HTML.
 */

import { byteAt } from '../../parsers/capture/bytes.js';

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** The set less C0 and lone surrogates, which `JSON.stringify` escapes itself (its indentation is the only raw C0). */
const UNSAFE_AFTER_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** `\t`, `\n`, `\r`, `\xNN` up to U+00FF, `\u{NNNN}` above: visible, and never a control. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
  });
}

/**
 * The most characters of one string a Markdown or HTML report or the TUI shows: a console
 * line or a value megabytes long is cut there, and the cut says how much is left out (the
 * JSON report keeps it whole).
 */
export const SHOWN_CHARS = 4096;

function shownPart(text: string): string {
  if (text.length <= SHOWN_CHARS) return text;
  // Not between the two halves of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(SHOWN_CHARS - 1)) ? SHOWN_CHARS - 1 : SHOWN_CHARS;
  return `${text.slice(0, end)}… (${text.length - end} more characters not shown)`;
}

/** `terminalText` for the text report and the TUI: a string longer than SHOWN_CHARS cut as the reports cut it. */
export function terminalShown(text: string): string {
  return terminalText(shownPart(text));
}

/**
 * Markdown: one line of literal text, shown as `terminalText` shows it (a CR or LF as `\r`
 * `\n`, as in the text report), and a backslash before each character that opens markup
 * (CommonMark and GFM: emphasis, code, links and images through `[`, raw HTML, entities, table cells,
 * strikethrough, headings; the `://`, `www.` and `@` of GFM's bare links; a list item or
 * a heading's underline at the start of the line).
 */
export function markdownText(text: string): string {
  return terminalText(shownPart(text))
    .replace(/[\\`*_[\]<>#|~&@]|:(?=\/\/)|(?<=\bwww)\./gi, '\\$&')
    .replace(/^(\s*)([-+=])|^(\s*\d{1,9})([.)])(?=\s|$)/, '$1$3\\$2$4');
}

/**
 * A message of phonedoc's on stderr (an error, a warning, a note), which may quote an input
 * (a file name from the command line, a capture's field): `phonedoc: ` and the text as a
 * terminal shows it, on one line.
 */
export function messageLine(text: string): string {
  return `phonedoc: ${terminalText(text)}\n`;
}

/** `JSON.stringify` with every character of the set written as `\uNNNN` (JSON itself escapes only C0). */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_AFTER_JSON, (c) => {
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/**
 * A member of the object `jsonTextPieces` writes that is made only when its turn comes: an
 * array given as an iterable (a site's phones, analysed one at a time) or a value that is
 * known only once the members before it were written (totals).
 */
export class JsonLater {
  constructor(readonly make: () => unknown) {}
}

/**
 * `jsonText(value, indent)` followed by a newline, in pieces: a top-level array member at a
 * time, so that a site's report is written without being held whole as one string.
 */
export function* jsonTextPieces(value: object, indent: number): Generator<string> {
  const pad = ' '.repeat(indent);
  const nested = (v: unknown, depth: number): string => jsonText(v, indent).replace(/\n/g, `\n${pad.repeat(depth)}`);
  const members = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (members.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (const [i, [key, member]] of members.entries()) {
    yield `${i ? ',' : ''}\n${pad}${jsonText(key)}: `;
    const v = member instanceof JsonLater ? member.make() : member;
    const later = member instanceof JsonLater && typeof v === 'object' && v !== null && Symbol.iterator in v;
    if (Array.isArray(v) || later) {
      let j = 0;
      for (const item of v as Iterable<unknown>)
        yield `${j++ ? ',' : '['}\n${pad}${pad}${item === undefined ? 'null' : nested(item, 2)}`;
      yield j ? `\n${pad}]` : '[]';
    } else {
      yield nested(v, 1);
    }
  }
  yield '\n}\n';
}

/**
 * Shown escaped as for a terminal, then `& < > " '` as character references (safe in content and quoted attributes).
 */
export function htmlText(text: string): string {
  return terminalText(shownPart(text)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * For the live console screen, which echoes what the phone sends: tab and backspace pass
 * (a phone erases typed characters with them), other C0 as `^X`, DEL as `^?`, and the rest
 * of the set as `terminalText` shows it.
 */
export function consoleScreenText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    if (c === '\t' || c === '\b') return c;
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    if (code === 0x7f) return '^?';
    return terminalText(c);
  });
}

/**
 * A console log line in its escaped form, so that the file holds exactly what the phone
 * sent and can be turned back into it (`consoleLogBytes` in parsers/console/log-lines.ts):
 * `\\` is a backslash, `\xNN` is the byte NN, every other character stands for its UTF-8
 * bytes. Written as `\xNN`: each byte that is not part of valid UTF-8, and each byte of a
 * character of the set above (tab stays: it only moves to the next column).
 */
export function escapeConsoleBytes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      out += byteEscape(byteAt(bytes, i));
      i += 1;
      continue;
    }
    const char = length === 1 ? String.fromCharCode(byteAt(bytes, i)) : UTF8.decode(bytes.subarray(i, i + length));
    if (char === '\\') out += '\\\\';
    else if (char !== '\t' && char.replace(UNSAFE, '') === '')
      for (let k = 0; k < length; k++) out += byteEscape(byteAt(bytes, i + k));
    else out += char;
    i += length;
  }
  return out;
}

/**
 * A line the phone sent, in the escaped form: as `escapeConsoleBytes`, and a `#` starting it
 * written `\x23`, so that no line of the phone's reads back as one of phonedoc's own
 * `# phonedoc console …` lines (which would turn the escaped form off, or mark the log as
 * the simulator's). phonedoc's own lines are written with `escapeConsoleBytes`.
 */
export function escapeConsoleLine(bytes: Uint8Array): string {
  const escaped = escapeConsoleBytes(bytes);
  return escaped.startsWith('#') ? `\\x23${escaped.slice(1)}` : escaped;
}

const UTF8 = new TextDecoder();

function byteEscape(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** The length of the valid UTF-8 sequence (RFC 3629 §4) starting at `i`, 0 when none starts there. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const lead = byteAt(bytes, i);
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  if (i + length > bytes.length) return 0;
  const second = byteAt(bytes, i + 1);
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) if ((byteAt(bytes, i + k) & 0xc0) !== 0x80) return 0;
  return length;
}
