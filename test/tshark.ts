/**
 * tshark as the oracle of the agreement tests: running it, reading `-T fields` output, and
 * turning a string phonedoc decoded into the form tshark prints. Checked against TShark 4.0
 * (Debian 12); see ../shared/pcaps/README.md for the reference commands.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { nth, repoRoot, sharedDir } from './helpers.js';

export interface ProcessResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status; tshark exits non-zero on a capture cut short, after printing what it read. */
  readonly exitCode: number;
}

/** Runs a program to its end without throwing on a non-zero exit (the output is still the answer). */
export function run(program: string, args: readonly string[]): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { maxBuffer: 256 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ stdout, stderr, exitCode: error === null ? 0 : Number(error.code) });
    });
  });
}

/**
 * Separates the values of a field that occurs several times in a frame: a comma (tshark's
 * default) occurs in file names and error messages. tshark prints a 0x1f inside a string as
 * it is, so a single-valued string field is read whole with `text`, not split.
 */
const AGGREGATOR = '\x1f';

/** One frame of `tshark -T fields`: each field's values in wire order (empty when absent). */
export interface TsharkRow {
  readonly frame: number;
  values(field: string): readonly string[];
  /** The field's cell as printed: '' when absent, several values joined by the aggregator (0x1f). */
  text(field: string): string;
}

export interface TsharkFields {
  readonly rows: readonly TsharkRow[];
  /** What tshark said on stderr (the root warning removed), e.g. "cut short in the middle of a packet". */
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * `tshark -n -r FILE -Y FILTER -T fields -e frame.number -e ...`, one row per matching frame.
 * `prefs` are `-o name:value` preferences.
 */
export async function tsharkFields(
  file: string,
  filter: string,
  fields: readonly string[],
  prefs: readonly string[] = [],
): Promise<TsharkFields> {
  const all = ['frame.number', ...fields];
  const result = await run('tshark', [
    '-n',
    '-r',
    file,
    ...prefs.flatMap((p) => ['-o', p]),
    '-Y',
    filter,
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-E',
    'quote=n',
    '-E',
    'occurrence=a',
    '-E',
    `aggregator=${AGGREGATOR}`,
    ...all.flatMap((f) => ['-e', f]),
  ]);
  const rows: TsharkRow[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line === '') continue;
    const cells = line.split('\t');
    if (cells.length !== all.length)
      throw new Error(`tshark ${file}: ${cells.length} columns for ${all.length} fields: ${JSON.stringify(line)}`);
    const cell = (field: string): string => {
      const i = all.indexOf(field);
      if (i < 0) throw new Error(`field ${field} was not asked of tshark`);
      return nth(cells, i);
    };
    rows.push({
      frame: Number(cells[0]),
      values: (field) => (cell(field) === '' ? [] : cell(field).split(AGGREGATOR)),
      text: cell,
    });
  }
  return { rows, stderr: withoutRootWarning(result.stderr), exitCode: result.exitCode };
}

/** `tshark -G values`: the names tshark gives the values of an integer field (e.g. `dhcp.option.dhcp` 5 -> "ACK"). */
export async function tsharkValueNames(field: string): Promise<Map<number, string>> {
  const { stdout } = await run('tshark', ['-G', 'values']);
  const names = new Map<number, string>();
  for (const line of stdout.split('\n')) {
    const [kind, name, value, text] = line.split('\t');
    if (kind === 'V' && name === field && text !== undefined) names.set(Number(value), text);
  }
  return names;
}

/** `tshark -n -r FILE --export-objects PROTOCOL,DIR`: writes the objects tshark rebuilt into DIR. */
export async function tsharkExportObjects(file: string, protocol: string, dir: string): Promise<ProcessResult> {
  const result = await run('tshark', ['-n', '-r', file, '-Q', '--export-objects', `${protocol},${dir}`]);
  return { ...result, stderr: withoutRootWarning(result.stderr) };
}

function withoutRootWarning(stderr: string): string {
  return stderr.replace(/^Running as user "root" and group "root"\. This could be dangerous\.\n/m, '');
}

/**
 * A TFTP or DHCP string as tshark 4.0 holds it (both dissect them as ASCII): cut at the first
 * NUL, each byte above 0x7f replaced by U+FFFD. `bytes` are the string's bytes on the wire.
 */
export function tsharkAscii(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return Array.from(nul < 0 ? bytes : bytes.subarray(0, nul), (b) =>
    b > 0x7f ? '\ufffd' : String.fromCharCode(b),
  ).join('');
}

/**
 * The characters tshark 4.0 escapes when it prints a string with `-T fields`
 * (print_escaped_bare); others go out as they are.
 */
const ESCAPED: Readonly<Record<string, string>> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/**
 * A string field as `tshark -T fields` prints it: `tsharkAscii`, then backspace, tab, line
 * feed, form feed and carriage return escaped C-style; any other byte, a backslash or BEL
 * included, as it is.
 */
export function tsharkString(bytes: Uint8Array): string {
  return tsharkAscii(bytes).replace(/[\b\t\n\f\r]/g, (c) => ESCAPED[c] ?? c);
}

/**
 * The wire bytes of a string phonedoc's TFTP decoder returned (a file name, mode, option or
 * error message in the JSONL): it reads UTF-8 when the bytes are valid UTF-8, else one
 * character per byte. So a string of characters up to U+00FF whose one-byte form is not
 * valid UTF-8 came from that form; any other came from its UTF-8 form.
 */
export function tftpStringBytes(s: string): Uint8Array {
  if (/^[\0-\xff]*$/.test(s)) {
    const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0));
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return bytes;
    }
  }
  return new TextEncoder().encode(s);
}

/**
 * Why tshark leaves the rest of some TFTP transfers undissected (checked with 4.0.17): it opens
 * the conversation that takes in the server's answers only for a request whose bytes after the
 * opcode are all printable ASCII or NUL, with an even number of NULs and a mode of netascii,
 * octet or mail (packet-tftp.c, is_valid_request_body).
 */
export const TSHARK_REQUEST_CHECK =
  'tshark opens a TFTP conversation only for a request whose bytes are all printable ASCII or NUL, ' +
  'with an even number of NULs and a mode of netascii, ' +
  'octet or mail (packet-tftp.c, is_valid_request_body): the answers ' +
  "from the server's new port are plain UDP for it; phonedoc follows any request to port 69, as RFC 1350 does";

/**
 * Runs `work` on every item, at most `limit` at a time, results in the items' order. After a
 * failure no new item starts, and the ones running are waited for before the first error is
 * thrown (so a caller's cleanup does not race them).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await work(nth(items, i));
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
  return results;
}

export interface CaptureFile {
  /**
   * The name in reports and explained-difference lists: the file name for the
   * shared corpus, else the path from the repository root.
   */
  readonly label: string;
  readonly path: string;
}

/**
 * The captures the tshark agreement tests read, listed when the test runs: every *.pcap and
 * *.pcapng of ../shared/pcaps (when there), of test/fixtures/captures and of captures/.
 */
export function agreementCaptures(): CaptureFile[] {
  const files: CaptureFile[] = [];
  const shared = sharedDir();
  if (shared !== undefined)
    files.push(
      ...capturesUnder(path.join(shared, 'pcaps')).map((f) => ({ label: f, path: path.join(shared, 'pcaps', f) })),
    );
  for (const dir of [path.join('test', 'fixtures', 'captures'), 'captures']) {
    files.push(
      ...capturesUnder(path.join(repoRoot, dir)).map((f) => ({
        label: path.join(dir, f),
        path: path.join(repoRoot, dir, f),
      })),
    );
  }
  return files;
}

function capturesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort();
}
