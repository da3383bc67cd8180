/**
 * `phonedoc transfers CAPTURE --extract DIR` against `tshark --export-objects tftp,DIR`, end
 * to end: the same files with the same bytes, on every capture of the shared corpus and of
 * the repository. And a capture built here with hostile file names, whose files must all
 * land inside DIR.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { safeFileName, withDuplicateSuffix } from '../../src/extract/safe-file-names.js';
import { cliPath, requireTool } from '../helpers.js';
import { agreementCaptures, mapLimit, run, tftpStringBytes, tsharkAscii, tsharkExportObjects, type CaptureFile } from '../tshark.js';
import { ack, data } from '../unit/tftp-packets.js';

interface Explained {
  readonly file: string;
  /** The request's file name as phonedoc printed it, or tshark's file name for a file only tshark wrote. */
  readonly name: string;
  readonly difference: 'only phonedoc' | 'only tshark' | 'bytes';
  readonly why: string;
}

const EXPLAINED: readonly Explained[] = [];

interface Difference {
  readonly file: string;
  readonly name: string;
  readonly difference: Explained['difference'];
  readonly text: string;
}

interface FileResult {
  readonly transfers: number;
  readonly matched: number;
  readonly bytes: number;
  readonly differences: readonly Difference[];
}

interface Written {
  readonly original: string;
  readonly name: string;
  readonly sha256: string;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The `extracted "NAME" -> PATH (N bytes)` lines `phonedoc transfers --extract` prints on stderr. */
function extractedLines(stderr: string): { original: string; path: string; bytes: number }[] {
  return [...stderr.matchAll(/^extracted ("(?:[^"\\]|\\.)*") -> (.+) \((\d+) bytes\)$/gm)].map((m) => ({
    original: JSON.parse(m[1]) as string,
    path: m[2],
    bytes: Number(m[3]),
  }));
}

/**
 * Runs `phonedoc transfers --extract DIR` and checks what it wrote: exactly the files its
 * stderr lists, plain files in DIR, each named by `safeFileName` of its request (with a
 * `~N` suffix for a name already taken).
 */
async function phonedocExtract(capture: string, dir: string): Promise<{ written: Written[]; transfers: number }> {
  const result = await run(process.execPath, [cliPath, 'transfers', capture, '--extract', dir, '--format', 'jsonl']);
  assert.ok(result.exitCode === 0 || result.exitCode === 2, `${capture}: phonedoc transfers exit code ${result.exitCode}: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, `${capture}: phonedoc printed a stack trace`);
  const records = result.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string });
  const transfers = records.filter((r) => r.type === 'tftp-transfer').length;
  const lines = extractedLines(result.stderr);
  const listed = readdirSync(dir).sort();
  assert.deepEqual(lines.map((l) => path.relative(dir, l.path)).sort(), listed, `${capture}: the files in DIR are the ones reported`);
  const written = lines.map((line) => {
    const name = path.basename(line.path);
    assert.ok(lstatSync(line.path).isFile(), `${line.path} is a plain file`);
    const copies = Array.from({ length: lines.length }, (_, i) => withDuplicateSuffix(safeFileName(line.original), i + 1));
    assert.ok(copies.includes(name), `${name} is the safe name of ${JSON.stringify(line.original)}`);
    const bytes = readFileSync(line.path);
    assert.equal(bytes.length, line.bytes, `${name}: size reported`);
    return { original: line.original, name, sha256: sha256(bytes) };
  });
  return { written, transfers };
}

/**
 * The names tshark 4.0 may give the object of a request: g_path_get_basename of the name (as
 * tshark read it: ASCII, U+FFFD for other bytes), with `<>:"/\|?*` and bytes 0x01-0x1f as
 * `%xx` (eo_massage_str); when that name exists in DIR, "(N)" goes before the last dot
 * (eo_rename). `copies` bounds N.
 */
function tsharkObjectNames(original: string, copies: number): string[] {
  const trimmed = tsharkAscii(tftpStringBytes(original)).replace(/\/+$/, '');
  const base = trimmed === '' ? (original.startsWith('/') ? '/' : '.') : trimmed.slice(trimmed.lastIndexOf('/') + 1);
  const massaged = base.replace(/[<>:"/\\|?*\x01-\x1f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const dot = massaged.lastIndexOf('.');
  const names = [massaged];
  for (let n = 1; n <= copies; n++) names.push(dot < 0 ? `${massaged}(${n})` : `${massaged.slice(0, dot)}(${n})${massaged.slice(dot)}`);
  return names;
}

async function compareFile(capture: CaptureFile, scratch: string): Promise<FileResult> {
  const ours = path.join(scratch, 'phonedoc');
  const theirs = path.join(scratch, 'tshark');
  mkdirSync(theirs, { recursive: true });
  const { written, transfers } = await phonedocExtract(capture.path, ours);
  const exported = await tsharkExportObjects(capture.path, 'tftp', theirs);
  const tshark = readdirSync(theirs).sort().map((name) => ({ name, sha256: sha256(readFileSync(path.join(theirs, name))) }));
  const differences: Difference[] = [];
  let matched = 0;
  let bytes = 0;
  // Pair each file phonedoc wrote with a tshark object of the same request name: same bytes first, then any.
  const unpaired = [...tshark];
  const candidates = written.map((w) => tsharkObjectNames(w.original, tshark.length));
  const take = (i: number, sameBytes: boolean): (typeof tshark)[number] | undefined => {
    const at = unpaired.findIndex((t) => candidates[i].includes(t.name) && (!sameBytes || t.sha256 === written[i].sha256));
    return at < 0 ? undefined : unpaired.splice(at, 1)[0];
  };
  const left: number[] = [];
  written.forEach((w, i) => {
    if (take(i, true) === undefined) left.push(i);
    else {
      matched++;
      bytes += readFileSync(path.join(ours, w.name)).length;
    }
  });
  for (const i of left) {
    const w = written[i];
    const other = take(i, false);
    differences.push({
      file: capture.label, name: w.original, difference: other === undefined ? 'only phonedoc' : 'bytes',
      text: other === undefined ? `only phonedoc extracts ${JSON.stringify(w.original)} (as ${w.name})`
        : `${JSON.stringify(w.original)}: phonedoc ${w.name} sha256 ${w.sha256}, tshark ${other.name} sha256 ${other.sha256}`,
    });
  }
  for (const t of unpaired) {
    differences.push({ file: capture.label, name: t.name, difference: 'only tshark', text: `only tshark exports ${JSON.stringify(t.name)}` });
  }
  if (exported.exitCode !== 0 && tshark.length === 0 && transfers > 0) {
    differences.push({ file: capture.label, name: '', difference: 'only phonedoc', text: `tshark failed: ${exported.stderr.trim()}` });
  }
  return { transfers, matched, bytes, differences };
}

function judge(results: readonly FileResult[], explained: readonly Explained[]): { unexplained: string[]; stale: string[]; seen: number } {
  const seen = new Set<Explained>();
  const unexplained: string[] = [];
  for (const d of results.flatMap((r) => r.differences)) {
    const e = explained.find((x) => x.file === d.file && x.name === d.name && x.difference === d.difference);
    if (e === undefined) unexplained.push(`${d.file}: ${d.text}`);
    else seen.add(e);
  }
  const stale = explained.filter((e) => !seen.has(e)).map((e) => `${e.file} ${JSON.stringify(e.name)} ${e.difference}: ${e.why}`);
  return { unexplained, stale, seen: seen.size };
}

test('phonedoc transfers --extract writes the files tshark exports, byte for byte', { timeout: 15 * 60_000 }, async (t) => {
  if (!requireTool(t, 'tshark', 'tshark')) return;
  const captures = agreementCaptures();
  assert.ok(captures.length > 0, 'no capture found');
  const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-extract-tshark-'));
  try {
    const results = await mapLimit(captures, 2, (capture) => compareFile(capture, path.join(scratch, String(captures.indexOf(capture)))));
    const { unexplained, stale, seen } = judge(results, EXPLAINED);
    const withTftp = results.filter((r) => r.transfers > 0 || r.matched > 0 || r.differences.length > 0).length;
    const sum = (f: (r: FileResult) => number): number => results.reduce((n, r) => n + f(r), 0);
    t.diagnostic(`${captures.length} captures, ${withTftp} with TFTP transfers (${sum((r) => r.transfers)} transfers); ` +
      `${sum((r) => r.matched)} files identical (${sum((r) => r.bytes)} bytes), ${seen} explained differences, ${unexplained.length} unexplained`);
    assert.deepEqual(unexplained, [], 'differences with tshark that EXPLAINED does not list');
    assert.deepEqual(stale, [], 'explained differences that no longer occur');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
