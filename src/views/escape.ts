/**
 * The one escaping rule for text that came from an input (capture fields, log and console
 * text, file names, header fields): the characters that can act on a terminal or hide or
 * reorder text never reach an output raw. They are C0 controls, DEL, C1 controls (U+009B
 * is a CSI on many terminals), format characters (the bidirectional overrides such as
 * U+202E, zero-width characters, U+FEFF), the line and paragraph separators, and lone
 * surrogates. Each output shows them in its own escaped form: `terminalText` for a
 * terminal, text and Markdown files, `jsonText` for JSON, `htmlText` for HTML.
 */

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

/** `JSON.stringify` with every character of the set written as `\uNNNN` (JSON itself escapes only C0). */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_AFTER_JSON, (c) => {
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/** Shown escaped as for a terminal, then `& < > " '` as character references (safe in content and quoted attributes). */
export function htmlText(text: string): string {
  return terminalText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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
