/**
 * `phonedoc analyze --out DIR`: the files an engineer attaches to a ticket. `report.md`,
 * `report.html`, `report.json`, `console.log` (the console log with a time on every line, on
 * the capture's clock) and per phone `<SEP…>.pcapng` (that phone's frames, with a comment
 * on each frame a finding cites, so Wireshark shows why it matters).
 *
 * Everything is written into a new temporary folder beside DIR, renamed to DIR once complete
 * (an empty DIR is replaced, a non-empty one, a link or a mount point refused before anything
 * is written; on failure, SIGINT, SIGTERM or SIGHUP the temporary folder is removed): DIR holds
 * the whole bundle or nothing. Names that come
 * from the inputs (a MAC) pass through `safeFileName`, and each file is created with
 * O_CREAT|O_EXCL ('wx'), which fails on any existing entry: nothing is followed or overwritten.
 */
import { isUtf8 } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import { constants, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { CapturedFrame } from '../../parsers/capture/frame.js';
import { PcapngWriter } from '../../parsers/capture/pcapng-writer.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { isoMillis } from '../../parsers/time/iso.js';
import { ESCAPED_FORM, readConsoleLog, receivedWithLineEnd } from '../../parsers/console/log-lines.js';
import type { Analysis, PhoneAnalysis } from '../engine/analysis.js';
import { InputError } from '../exit-codes.js';
import {
  entryKind,
  fileSystemReason,
  isFileSystemError,
  makeFolder,
  refuseOutputFolder,
} from '../extract/output-folders.js';
import { removedOnSignal } from '../extract/removed-on-signal.js';
import { safeFileName, withDuplicateSuffix } from '../extract/safe-file-names.js';
import { readCaptureInto } from '../sources/capture-input.js';
import { describeCaptureProblem } from '../sources/capture-file.js';
import { readWholeBytes } from '../sources/text-file.js';
import { renderAnalysisHtml } from './analysis-html.js';
import { renderAnalysisMarkdown } from './analysis-markdown.js';
import { escapeConsoleBytes, escapeConsoleLine, jsonText } from './escape.js';
import { tftpRootListing } from './root-listing.js';

export interface TicketBundleInputs {
  /** The capture files the analysis read, as given on the command line. */
  readonly captures: readonly string[];
  /** The console log the analysis read. */
  readonly console?: string;
  /** Server logs the analysis read: copied as read, `server-<name>`. */
  readonly serverLogs?: readonly string[];
  /** The TFTP root: listed (mode, size, time, name) in `tftp-root.txt`. */
  readonly tftpRoot?: string;
}

export interface TicketBundle {
  /** Paths of the files written, in the order written. */
  readonly files: readonly string[];
  /** What could not be done as asked (damaged capture, frames not found, a console log without any time). */
  readonly problems: readonly string[];
}

/** The capture path that means standard input (see readCaptureInto). */
const STANDARD_INPUT = '-';

export const BUNDLE_FILES = {
  markdown: 'report.md',
  html: 'report.html',
  json: 'report.json',
  console: 'console.log',
  rootListing: 'tftp-root.txt',
} as const;

/**
 * Throws an InputError unless DIR is new or an empty real folder (not a link, not on /proc or
 * /sys) that can be replaced by a rename: not a mount point.
 */
export function refuseBundleFolder(dir: string): void {
  if (!refuseOutputFolder(dir, 'the --out folder')) return;
  if (readdirSync(dir).length > 0)
    throw new InputError(`${dir} is not empty: give --out a new or empty folder (nothing was written).`);
  if (statSync(dir).dev !== statSync(path.dirname(path.resolve(dir))).dev)
    throw new InputError(
      `${dir} is a mount point: the bundle is written beside it and renamed into place, which cannot replace a ` +
        `mount point; give a new folder inside it, such as ${path.join(dir, 'ticket')} (nothing was written).`,
    );
}

export async function writeTicketBundle(
  dir: string,
  analysis: Analysis,
  inputs: TicketBundleInputs,
): Promise<TicketBundle> {
  refuseBundleFolder(dir);
  const plans = analysis.phones.map((phone, i) => planPhoneCapture(phone, i, inputs.captures));
  const problems: string[] = [];
  let consoleLog: string | undefined;
  if (inputs.console !== undefined) {
    const bytes = await readWholeBytes(inputs.console, 'console log');
    // Read as analyze reads it (decodeText), so that each line's bytes come back exactly.
    const encoding = isUtf8(bytes) ? 'utf8' : 'latin1';
    const aligned = alignedConsoleLog(bytes.toString(encoding), encoding, inputs.console, analysis);
    if (!aligned.timed)
      problems.push(
        `${inputs.console}: no line has a time (no recorder stamps, ` +
          `no aligned event): ${BUNDLE_FILES.console} is written without times`,
      );
    consoleLog = aligned.text;
  }
  // The signal handlers are in place before the temporary folder exists: no moment leaves it behind.
  const guard = removedOnSignal();
  try {
    const work = makeWorkFolder(dir);
    guard.path = work;
    const files = await writeIntoPlace(work, dir, () =>
      writeBundleFiles(work, analysis, inputs, plans, consoleLog, problems),
    );
    return { files, problems };
  } finally {
    guard.release();
  }
}

/** Fills `work`, renames it to DIR and gives the files' paths in DIR; on any failure removes `work`. */
async function writeIntoPlace(work: string, dir: string, fill: () => Promise<string[]>): Promise<string[]> {
  try {
    const files = await fill();
    try {
      await rename(work, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(
        code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR'
          ? `${dir} was filled while the bundle was written: give --out a new or empty folder (nothing was written).`
          : `cannot move the ticket bundle into ${dir}: ${fileSystemReason(error)} (nothing was written).`,
      );
    }
    return files.map((f) => path.join(dir, path.relative(work, f)));
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    if (!isFileSystemError(error)) throw error;
    throw new InputError(`cannot write the ticket bundle ${dir}: ${fileSystemReason(error)} (nothing was written).`);
  }
}

/** The temporary folder beside DIR (`.DIR.partial-XXXXXX`) the bundle is written into. */
function makeWorkFolder(dir: string): string {
  const parent = path.dirname(path.resolve(dir));
  makeFolder(parent, 'the folder to hold the --out folder');
  try {
    return mkdtempSync(path.join(parent, `.${path.basename(dir)}.partial-`));
  } catch (error) {
    throw new InputError(
      `cannot write the ticket bundle ${dir}: it is first written into a temporary folder beside it, ` +
        `in ${parent}, and that cannot be made: ${fileSystemReason(error)} (nothing was written).`,
    );
  }
}

async function writeBundleFiles(
  dir: string,
  analysis: Analysis,
  inputs: TicketBundleInputs,
  plans: readonly (PhonePlan | undefined)[],
  consoleLog: string | undefined,
  problems: string[],
): Promise<string[]> {
  const files: string[] = [];
  const write = fileWriter(dir, files);
  await write(BUNDLE_FILES.markdown, renderAnalysisMarkdown(analysis));
  await write(BUNDLE_FILES.html, renderAnalysisHtml(analysis));
  await write(BUNDLE_FILES.json, `${jsonText(analysis.report, 2)}\n`);
  if (consoleLog !== undefined) await write(BUNDLE_FILES.console, consoleLog);
  await copyServerLogs(dir, inputs.serverLogs ?? [], files, problems);
  if (inputs.tftpRoot !== undefined) await writeRootListing(inputs.tftpRoot, write, problems);
  await writePhoneCaptures(dir, analysis, plans, files, problems);
  return files;
}

type WriteFile = (name: string, content: string | Uint8Array) => Promise<void>;

/** Writes a new file of the bundle (never over one) and adds it to `files`. */
function fileWriter(dir: string, files: string[]): WriteFile {
  return async (name, content) => {
    const { file, handle } = await createNew(dir, name);
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    files.push(file);
  };
}

/**
 * Copies each server log as `server-<name>`, streamed (a log may be large); one that cannot be
 * read, or is not a regular file (a FIFO or a device would never end), is listed in `problems`.
 */
async function copyServerLogs(
  dir: string,
  logs: readonly string[],
  files: string[],
  problems: string[],
): Promise<void> {
  const copies = new Map<string, number>();
  for (const log of logs) {
    const source = await openServerLog(log, problems);
    if (source === undefined) continue;
    const name = `server-${safeFileName(path.basename(log))}`;
    const copy = (copies.get(name) ?? 0) + 1;
    copies.set(name, copy);
    try {
      const { file, handle } = await createNew(dir, withDuplicateSuffix(name, copy));
      files.push(file);
      await pipeline(source.createReadStream(), handle.createWriteStream());
    } finally {
      await source.close();
    }
  }
}

async function openServerLog(log: string, problems: string[]): Promise<FileHandle | undefined> {
  let source: FileHandle;
  try {
    source = await open(log, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    problems.push(`server log ${log} could not be copied: ${fileSystemReason(error)}`);
    return undefined;
  }
  const stats = await source.stat();
  if (stats.isFile()) return source;
  await source.close();
  problems.push(`server log ${log} is ${entryKind(stats)}, not a file: not copied`);
  return undefined;
}

async function writeRootListing(root: string, write: WriteFile, problems: string[]): Promise<void> {
  let listing: string | undefined;
  try {
    listing = tftpRootListing(root);
  } catch (error) {
    problems.push(`the TFTP root ${root} could not be listed: ${(error as Error).message}`);
  }
  if (listing !== undefined) await write(BUNDLE_FILES.rootListing, listing);
}

/** One pcapng per phone, holding its frames copied from the capture they are in. */
async function writePhoneCaptures(
  dir: string,
  analysis: Analysis,
  plans: readonly (PhonePlan | undefined)[],
  files: string[],
  problems: string[],
): Promise<void> {
  const names = new Set<string>();
  const outputs: PhoneOutput[] = [];
  try {
    for (const plan of plans) {
      if (plan === undefined) continue;
      if (plan.capture === STANDARD_INPUT) {
        problems.push(`the capture came from standard input, which cannot be read twice: no pcapng of ${plan.name}`);
        continue;
      }
      const base = safeFileName(plan.name);
      let copy = 1;
      while (names.has(withDuplicateSuffix(`${base}.pcapng`, copy).toLowerCase())) copy++;
      const name = withDuplicateSuffix(`${base}.pcapng`, copy);
      names.add(name.toLowerCase());
      const { file, handle } = await createNew(dir, name);
      files.push(file);
      outputs.push({
        ...plan,
        file,
        handle,
        writer: new PcapngWriter(`phonedoc ${analysis.report.version}`),
        pending: [],
        seen: new Set(),
      });
    }
    for (const capture of new Set(outputs.map((o) => o.capture))) {
      problems.push(
        ...(await copyPhoneFrames(
          capture,
          outputs.filter((o) => o.capture === capture),
        )),
      );
    }
    for (const o of outputs) {
      o.pending.push(...o.writer.finish());
      await flush(o);
      const missing = o.frames.size - o.seen.size;
      if (missing > 0)
        problems.push(
          `${o.capture}: ${missing} of the ${o.frames.size} frames of ${o.name} were not found; ` +
            `${path.basename(o.file)} holds ${o.seen.size}`,
        );
    }
  } finally {
    for (const o of outputs) await o.handle.close();
  }
}

/** Which capture holds a phone's frames, what its file is named after, and the comments for cited frames. */
interface PhonePlan {
  readonly name: string;
  readonly capture: string;
  readonly frames: ReadonlySet<number>;
  readonly comments: ReadonlyMap<number, readonly string[]>;
}

interface PhoneOutput extends PhonePlan {
  readonly file: string;
  readonly handle: FileHandle;
  readonly writer: PcapngWriter;
  readonly pending: Uint8Array[];
  readonly seen: Set<number>;
}

/** `SEP000E84C060A6`, the phone's IP, or `phone-N`: as engineers name a phone. */
function phoneFileName(phone: PhoneAnalysis, index: number): string {
  if (phone.phone.mac) return `SEP${phone.phone.mac.replace(/:/g, '').toUpperCase()}`;
  return phone.phone.ip ?? `phone-${index + 1}`;
}

/** An input file as the analysis names it: the path given, or its base name. */
function namesInput(file: string, input: string): boolean {
  return file === input || file === path.basename(input);
}

/**
 * Frame numbers alone do not say which capture they are in: with one capture it is that one;
 * with several, the one the phone's timeline cites. A phone with no frames gets no file.
 */
function planPhoneCapture(phone: PhoneAnalysis, index: number, captures: readonly string[]): PhonePlan | undefined {
  const name = phoneFileName(phone, index);
  if (phone.frames.length === 0 || captures.length === 0) return undefined;
  const cited = captures.filter((c) => phone.timeline.some((e) => e.source === 'capture' && namesInput(e.file, c)));
  const [capture, ...others] = captures.length === 1 ? captures : cited;
  if (capture === undefined || others.length > 0) {
    throw new Error(
      `the frames of ${name} cannot be placed: the analysis read ${captures.length} captures ` +
        `and the phone's timeline cites ${cited.length} of them`,
    );
  }
  const comments = new Map<number, string[]>();
  for (const finding of phone.findings) {
    for (const e of finding.evidence) {
      if (e.source !== 'capture' || e.frame === undefined || !namesInput(e.file, capture)) continue;
      const comment = `phonedoc: ${finding.id}: ${finding.title}`;
      const list = comments.get(e.frame) ?? [];
      if (!list.includes(comment)) list.push(comment);
      comments.set(e.frame, list);
    }
  }
  // A marker goes on the first of the phone's frames at or after its time.
  const framed = phone.timeline.filter(
    (e) => e.source === 'capture' && e.frame !== undefined && e.time !== undefined && namesInput(e.file, capture),
  );
  for (const m of phone.timeline) {
    if (m.note !== 'marker' || m.time === undefined) continue;
    const at = framed.find((e) => e.time! >= m.time!) ?? framed.at(-1);
    if (!at) continue;
    comments.set(at.frame!, [
      ...(comments.get(at.frame!) ?? []),
      `phonedoc marker at ${isoMillis(m.time)}: ${m.text.replace(/^■ marker: /, '')}`,
    ]);
  }
  return { name, capture, frames: new Set(phone.frames), comments };
}

/** Reads `capture` once and appends each phone's frames to its file; returns the capture's problems. */
async function copyPhoneFrames(capture: string, outputs: readonly PhoneOutput[]): Promise<string[]> {
  const problems: string[] = [];
  const reader: CaptureReader = new CaptureReader({
    frame(frame: CapturedFrame) {
      for (const o of outputs) {
        if (!o.frames.has(frame.frame)) continue;
        o.seen.add(frame.frame);
        const snapLength = reader.interfaces[frame.interfaceId]?.snapLength ?? 0;
        const comments = [...(frame.comments ?? []), ...(o.comments.get(frame.frame) ?? [])];
        o.pending.push(...o.writer.frame(frame, snapLength, comments));
      }
    },
    problem(problem) {
      if (problem.severity === 'error') problems.push(describeCaptureProblem(capture, problem));
    },
  });
  await readCaptureInto(capture, reader, {
    afterChunk: async () => {
      for (const o of outputs) await flush(o);
    },
  });
  return problems;
}

async function flush(o: PhoneOutput): Promise<void> {
  if (o.pending.length === 0) return;
  const blocks = o.pending.splice(0);
  await o.handle.writev(blocks);
}

/** Opens DIR/name for writing, refusing any existing entry. */
async function createNew(dir: string, name: string): Promise<{ file: string; handle: FileHandle }> {
  const file = path.join(dir, name);
  try {
    return { file, handle: await open(file, 'wx', 0o644) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new InputError(`${file} already exists: give --out a new or empty folder`);
    }
    throw new InputError(`cannot create ${file}: ${fileSystemReason(error)}`);
  }
}

/**
 * The console log with an ISO 8601 time before every line, line for line (line N is the
 * input's line N, so evidence line numbers still point right): the aligned time of the
 * timeline entry for that line, else the recorder's time shifted by the console's clock
 * offset, else the time of the line before (the first timed line's for the lines before it).
 * `timed` is false when no line has any time: the lines are then written without one. Lines
 * are in the console recorder's escaped form (escapeConsoleBytes), the bytes the phone sent
 * when the input held them, and a session's first header line says so (`bytes=escaped`).
 */
function alignedConsoleLog(
  text: string,
  encoding: 'utf8' | 'latin1',
  consolePath: string,
  analysis: Analysis,
): { text: string; timed: boolean } {
  const log = readConsoleLog(text);
  const aligned = new Map<number, string>();
  for (const phone of analysis.phones) {
    for (const e of phone.timeline) {
      if (e.source === 'console' && e.line !== undefined && e.time !== undefined && namesInput(e.file, consolePath))
        aligned.set(e.line, isoMillis(e.time));
    }
  }
  const offset =
    analysis.clocks.find((c) => c.source === 'console' && namesInput(c.file, consolePath))?.offsetSeconds ?? 0;
  const lines: { text: string; time?: string }[] = [];
  for (const h of log.header) {
    const marked =
      /^# phonedoc console log\b/.test(h.text) && h.fields[ESCAPED_FORM.field] !== ESCAPED_FORM.value
        ? `${h.text} ${ESCAPED_FORM.field}=${ESCAPED_FORM.value}`
        : h.text;
    lines[h.line - 1] = { text: escapeConsoleBytes(Buffer.from(marked, encoding)), time: aligned.get(h.line) };
  }
  for (const l of log.lines) {
    const time = aligned.get(l.line) ?? (l.hostTime === undefined ? undefined : shifted(l.hostTime, offset));
    lines[l.line - 1] = {
      text: escapeConsoleLine(receivedWithLineEnd(l) ?? l.received ?? Buffer.from(l.text, encoding)),
      time,
    };
  }
  let last = lines.find((l) => l?.time !== undefined)?.time;
  if (last === undefined) return { text: lines.map((l) => `${l?.text ?? ''}\n`).join(''), timed: false };
  return {
    text: lines
      .map((l) => {
        if (l?.time !== undefined) last = l.time;
        return `${last} ${l?.text ?? ''}\n`;
      })
      .join(''),
    timed: true,
  };
}

/** The recorder's time of a line (whole milliseconds) moved by `seconds`, in ISO 8601 as the log writes it. */
function shifted(hostTime: number, seconds: number): string {
  return isoMillis((Math.round(hostTime * 1000) + Math.round(seconds * 1000)) / 1000);
}
