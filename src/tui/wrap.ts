/**
 * Wrapping of blessed-tagged text at word and token boundaries, never inside a word or a
 * quoted string (a tshark filter `-Y "frame.number == 26"` stays whole, so it can be copied);
 * only a word longer than the whole width is cut. Tags are kept: those open at the end of a
 * line are closed there and opened again on the next, so each line stands alone.
 */

interface Piece {
  /** The piece as tagged text. */
  readonly tagged: string;
  /** Columns on screen. */
  readonly width: number;
  readonly space: boolean;
}

const TAG = /\{(\/?)([a-z-]+)\}/y;
/** blessed.escape writes braces as these; each is one column. */
const ESCAPED: ReadonlyMap<string, string> = new Map([
  ['open', '{'],
  ['close', '}'],
]);

/** The tag starting at `i` in `text` (its name and length), or undefined when none does. */
function tagAt(text: string, i: number): { readonly name: string; readonly length: number } | undefined {
  TAG.lastIndex = i;
  const match = TAG.exec(text);
  const name = match?.[2];
  return match && name !== undefined ? { name, length: match[0].length } : undefined;
}

/** Splits one line into words, runs of spaces and quoted strings; tags ride with the piece they precede. */
function pieces(line: string): Piece[] {
  const out: Piece[] = [];
  let tagged = '';
  let width = 0;
  let space: boolean | undefined;
  let quoted = false;
  const flush = (): void => {
    if (width > 0) out.push({ tagged, width, space: space ?? false });
    else if (tagged) out.push({ tagged, width: 0, space: false });
    tagged = '';
    width = 0;
    space = undefined;
  };
  for (let i = 0; i < line.length; ) {
    const tag = tagAt(line, i);
    const escaped = tag && ESCAPED.get(tag.name);
    if (tag && escaped === undefined) {
      tagged += line.slice(i, i + tag.length);
      i += tag.length;
      continue;
    }
    const text = escaped ?? line.charAt(i);
    const length = tag?.length ?? 1;
    const isSpace = text === ' ' && !quoted;
    if (space !== undefined && isSpace !== space) flush();
    space = isSpace;
    if (text === '"') quoted = !quoted;
    tagged += line.slice(i, i + length);
    width++;
    i += length;
  }
  flush();
  return out;
}

/** The tags still open after `tagged`, in order. */
function openTags(tagged: string, open: string[]): string[] {
  const stack = [...open];
  for (const [, closing, name] of tagged.matchAll(/\{(\/?)([a-z-]+)\}/g)) {
    if (name === undefined || ESCAPED.has(name)) continue;
    if (closing) {
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.splice(at, 1);
    } else stack.push(name);
  }
  return stack;
}

/** A piece wider than `width` cut into parts of `width` columns. */
function cut(piece: Piece, width: number): Piece[] {
  const parts: Piece[] = [];
  let tagged = '';
  let used = 0;
  for (let i = 0; i < piece.tagged.length; ) {
    const tag = tagAt(piece.tagged, i);
    const length = tag?.length ?? 1;
    const visible = !tag || ESCAPED.has(tag.name);
    if (visible && used === width) {
      parts.push({ tagged, width: used, space: false });
      tagged = '';
      used = 0;
    }
    tagged += piece.tagged.slice(i, i + length);
    if (visible) used++;
    i += length;
  }
  parts.push({ tagged, width: used, space: false });
  return parts;
}

function leadingSpaces(text: string): string {
  let n = 0;
  while (text.charAt(n) === ' ') n++;
  return text.slice(0, n);
}

/**
 * `tagged` (which may hold several lines) as lines of at most `width` columns; continuation
 * lines start with `indent` (plain spaces), after the source line's own leading spaces when
 * `hanging`.
 */
export function wrapTagged(tagged: string, width: number, extraIndent = '', hanging = false): string[] {
  const room = Math.max(1, width);
  const lines: string[] = [];
  let open: string[] = [];
  for (const source of tagged.split('\n')) {
    const own = hanging ? leadingSpaces(source.replace(/\{\/?[a-z-]+\}/g, '')) : '';
    const indent = (own + extraIndent).slice(0, Math.floor(room / 2));
    let atStart = open;
    let body = '';
    let used = 0;
    let continuation = false;
    const end = (): void => {
      const still = openTags(body, atStart);
      lines.push(
        `${continuation ? indent : ''}${atStart.map((t) => `{${t}}`).join('')}${body}${[...still]
          .reverse()
          .map((t) => `{/${t}}`)
          .join('')}`,
      );
      atStart = still;
      body = '';
      continuation = true;
      used = indent.length;
    };
    // Spaces go in only once a word follows them on the same line: no line ends in spaces.
    let spaces: Piece | undefined;
    for (const piece of pieces(source)) {
      const empty = continuation ? used === indent.length : used === 0;
      if (piece.space) {
        if (!(continuation && empty)) spaces = piece;
        continue;
      }
      const gap = spaces?.width ?? 0;
      if (used + gap + piece.width <= room) {
        body += (spaces?.tagged ?? '') + piece.tagged;
        used += gap + piece.width;
        spaces = undefined;
        continue;
      }
      spaces = undefined;
      if (!empty) end();
      for (const part of piece.width > room - used ? cut(piece, Math.max(1, room - used)) : [piece]) {
        if (used + part.width > room && used > (continuation ? indent.length : 0)) end();
        body += part.tagged;
        used += part.width;
      }
    }
    const still = openTags(body, atStart);
    lines.push(
      `${continuation ? indent : ''}${atStart.map((t) => `{${t}}`).join('')}${body}${[...still]
        .reverse()
        .map((t) => `{/${t}}`)
        .join('')}`,
    );
    open = still;
  }
  return lines;
}
