/** Terminal width the text views are written for. */
export const TEXT_WIDTH = 80;

/** The width to write for: the terminal's when the output is one, else TEXT_WIDTH. */
export function outputWidth(stream: { readonly isTTY?: boolean; readonly columns?: number }): number {
  return stream.isTTY && stream.columns && stream.columns >= 40 ? stream.columns : TEXT_WIDTH;
}

/** Columns a line keeps for words however deep its indent. */
const MIN_ROOM = 20;

/**
 * Wraps `text` at spaces to `width` columns: the first line starts with `first`, the
 * following ones with `rest` (a hanging indent). A word longer than a line is cut.
 */
export function wrap(
  text: string,
  first: string,
  rest: string = ' '.repeat(first.length),
  width: number = TEXT_WIDTH,
): string[] {
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  const room = (): number => Math.max(width - prefix.length, MIN_ROOM);
  const flush = (): void => {
    lines.push(`${prefix}${line}`.trimEnd());
    prefix = rest;
    line = '';
  };
  for (let word of text.split(' ').filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > room()) flush();
    while (word.length > room()) {
      if (line !== '') flush();
      line = word.slice(0, room());
      word = word.slice(line.length);
      flush();
    }
    if (word !== '') line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || lines.length === 0) flush();
  return lines;
}

/**
 * As `wrap`, but a run of blanks inside the text is kept as it is (quoted input such as
 * `"POS3-08-12-00.bin   "` must not lose its blanks) and never becomes a line break.
 */
export function wrapVerbatim(
  text: string,
  first: string,
  rest: string = ' '.repeat(first.length),
  width: number = TEXT_WIDTH,
): string[] {
  const HELD = '\uE000'; // a private-use character: never in the text wrapped
  return wrap(
    text.replace(/ {2,}/g, (run) => HELD.repeat(run.length)),
    first,
    rest,
    width,
  ).map((line) => line.split(HELD).join(' '));
}

/** Cuts one line to `width` columns with an ellipsis. */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0))}…`;
}
