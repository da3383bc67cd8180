/** Small wording helpers for fix steps: shell commands the user can paste. */

/** Quotes a path for a POSIX shell when it needs it (blanks, CR, quotes). */
export function shellQuote(path: string): string {
  if (/^[A-Za-z0-9._/+-]+$/.test(path)) return path;
  if (/[\r\n\t]/.test(path))
    return `$'${path.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}'`;
  return `'${path.replace(/'/g, `'\\''`)}'`;
}
