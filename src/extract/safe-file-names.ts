/**
 * A file name taken from a capture is untrusted: it may climb out of the output directory
 * (`../../etc/passwd`), be absolute (`/etc/shadow`, `C:\x`), hold NUL or control bytes,
 * be empty, `.` or `..`, be too long, or be a Windows device name. `safeFileName` turns it
 * into one plain file name that stays recognisable:
 *
 * 1. split on `/` and `\`, drop empty, `.` and `..` parts and a drive's colon (`C:`),
 *    and join the rest with `_`: `../../etc/passwd` -> `etc_passwd`,
 *    `./SIP000E84C060A6.cnf` -> `SIP000E84C060A6.cnf`, `C:\x` -> `C_x`;
 * 2. replace every character outside `A-Z a-z 0-9 . _ - + @ = ,` (spaces, control bytes,
 *    NUL, `~`, non-ASCII) with `_`;
 * 3. drop leading dots (no hidden files, no `..`) and trailing dots (Windows drops them);
 * 4. prefix `_` to a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or
 *    without extension): `con.txt` -> `_con.txt`, and to a name starting with `-` (which
 *    shell tools would take for an option): `-rf` -> `_-rf`;
 * 5. cut to 200 bytes, keeping an extension of up to 16 characters (and no trailing dot);
 * 6. nothing left -> `unnamed`.
 *
 * `~` is kept out so that the `~2`, `~3` suffixes `withDuplicateSuffix` adds are ours.
 */

export const MAX_SAFE_NAME_BYTES = 200;
const MAX_KEPT_EXTENSION = 16;
const EMPTY_NAME = 'unnamed';
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)/i;

export function safeFileName(original: string): string {
  const parts = original
    .split(/[/\\]/)
    .map((part) => (/^[A-Za-z]:$/.test(part) ? part.slice(0, 1) : part))
    .filter((part) => part !== '' && part !== '.' && part !== '..');
  let name = parts.join('_').replace(/[^A-Za-z0-9._\-+@=,]/g, '_');
  name = name.replace(/^\.+/, '').replace(/\.+$/, '');
  if (WINDOWS_DEVICE.test(name) || name.startsWith('-')) name = `_${name}`;
  name = shorten(name, MAX_SAFE_NAME_BYTES).replace(/\.+$/, '');
  return name === '' ? EMPTY_NAME : name;
}

/** `name` for the first copy, then `name~2`, `name~3`... before the extension: `a.cnf` -> `a~2.cnf`. */
export function withDuplicateSuffix(name: string, copy: number): string {
  if (copy <= 1) return name;
  const dot = name.lastIndexOf('.');
  const suffix = `~${copy}`;
  return dot > 0 ? `${name.slice(0, dot)}${suffix}${name.slice(dot)}` : `${name}${suffix}`;
}

/** Cuts an ASCII name to `max` characters, keeping a short extension. */
function shorten(name: string, max: number): string {
  if (name.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= MAX_KEPT_EXTENSION ? name.slice(dot) : '';
  return name.slice(0, max - extension.length) + extension;
}
