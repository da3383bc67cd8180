/**
 * Provisioning files arrive as bytes (from a TFTP root or rebuilt from a capture) or as
 * text. Bytes are decoded as UTF-8 keeping a byte-order mark, because a BOM written by a
 * Windows editor is part of what the phone reads.
 */
export type ProvisioningText = string | Uint8Array;

export interface DecodedText {
  readonly text: string;
  /** Size in bytes as served by TFTP (UTF-8 length when text was given). */
  readonly byteSize: number;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export function decodeText(input: ProvisioningText): DecodedText {
  if (typeof input === 'string') return { text: input, byteSize: encoder.encode(input).length };
  return { text: utf8.decode(input), byteSize: input.length };
}

/** Said where a file holds a NUL: no configuration file does, UTF-16 text and binary data do. */
export const NUL_MESSAGE =
  'a NUL character: this is not a text file (UTF-16 text, or binary data) and the phone reads text; what follows is not read';

/**
 * The lines before the one holding the text's first NUL character, and where that NUL is:
 * the line it is on is not text either (a UTF-16 file's first line is its byte-order mark and
 * one letter), so what it would say about that line is left to the NUL.
 */
export function textBeforeNul(text: string): {
  readonly text: string;
  readonly nul?: { line: number; column: number };
} {
  const at = text.indexOf('\0');
  if (at < 0) return { text };
  return {
    text: text.slice(0, text.lastIndexOf('\n', at) + 1),
    nul: new LineIndex(text.slice(0, at + 1)).position(at),
  };
}

export type LineEnding = '\n' | '\r\n' | '';

export interface TextLine {
  /** 1-based. */
  readonly number: number;
  /** The line without its ending; a lone CR not followed by LF stays in the text. */
  readonly text: string;
  readonly ending: LineEnding;
  /** Offset of the first character of the line in the whole text. */
  readonly offset: number;
}

/** Splits at LF, taking a CR just before the LF as part of the line ending. A text ending in LF has no empty last line. */
export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  while (start < text.length) {
    const lf = text.indexOf('\n', start);
    if (lf < 0) {
      lines.push({ number: lines.length + 1, text: text.slice(start), ending: '', offset: start });
      break;
    }
    const crlf = lf > start && text[lf - 1] === '\r';
    lines.push({
      number: lines.length + 1,
      text: text.slice(start, crlf ? lf - 1 : lf),
      ending: crlf ? '\r\n' : '\n',
      offset: start,
    });
    start = lf + 1;
  }
  return lines;
}

/** Offsets of line starts, to turn an offset into a 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const start = this.starts[mid];
      if (start !== undefined && start <= offset) lo = mid;
      else hi = mid - 1;
    }
    // `starts` begins with 0 and `lo` stays among its indexes.
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}
