/**
 * Texts that repeat across a phone's requests (a transfer's evidence line and outcome, the
 * peers of a timeline row) kept once: one phone asking for the same file 100,000 times would
 * otherwise hold 100,000 copies of the same line, each a tree of the pieces it was built from.
 * Bounded: when full it starts again, so a flood of distinct texts costs no more than before.
 */
const MAX_TEXTS = 4096;
const texts = new Map<string, string>();

export function sharedText(text: string): string {
  const known = texts.get(text);
  if (known !== undefined) return known;
  if (texts.size >= MAX_TEXTS) texts.clear();
  texts.set(text, text);
  return text;
}

/**
 * `text` as one flat string. A string built from pieces (a template, `+`) is a tree of them
 * until something reads its characters, and V8 then flattens it in place: for a short line
 * kept per request (a formatted time, an anchor) the tree costs several times the line.
 */
export function flatText(text: string): string {
  void text.charCodeAt(0);
  return text;
}
