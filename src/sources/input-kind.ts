/**
 * What an input file holds, from its content and never from its name or the option it was
 * given with: a capture (pcap or pcapng magic), a phone's console log, a server log, a
 * document (Markdown, HTML), other text, or binary data. `analyze` checks every input with it
 * before reading, so a file given with the wrong option gets one sentence naming what it
 * looks like and the option that fits, instead of invented findings.
 */
import { open, stat } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { readU32 } from '../../parsers/capture/bytes.js';
import { isPcapMagic } from '../../parsers/capture/pcap.js';
import { SHB_BLOCK_TYPE } from '../../parsers/capture/pcapng.js';
import { readConsoleLog, withoutNulPadding } from '../../parsers/console/log-lines.js';
import { createConsoleParser } from '../../parsers/console/parse.js';
import type { ConsoleEvent, ConsoleLineFormat } from '../../parsers/console/events.js';
import { createServerLogParser } from '../../parsers/server-log/parse.js';
import { InputError } from '../exit-codes.js';
import { GZIP_MAGIC, startsWithMagic } from './capture-input.js';
import { WHOLE_TEXT_CAP_BYTES } from './text-file.js';
import { decodeLogText } from './text-encoding.js';

export type OptionKind = 'capture' | 'console' | 'server-log' | 'tftp-root';

export type Content =
  | 'pcap'
  | 'pcapng'
  | 'gzip'
  | 'console'
  | 'server-log'
  | 'syslog'
  | 'document'
  | 'text'
  | 'binary'
  | 'empty';

export interface SniffedInput {
  readonly content: Content;
  /** Lines of the sample recognised as console lines and as server-log lines. */
  readonly consoleLines: number;
  readonly serverLines: number;
}

/** How much of a file is looked at: enough lines to tell a log from a document. */
export const SNIFF_BYTES = 256 * 1024;

/** `pcap` or `pcapng` from a capture's first four bytes (the readers' own magic numbers), else undefined. */
export function captureMagic(bytes: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (bytes.length < 4) return undefined;
  const word = readU32(bytes, 0, false);
  return isPcapMagic(word) ? 'pcap' : word === SHB_BLOCK_TYPE ? 'pcapng' : undefined;
}

/**
 * The first bytes of a gzip stream, decompressed as far as the bytes given allow. Bytes that
 * inflate past SNIFF_BYTES (zeros compress a thousandfold) are cut until what they give fits.
 */
export function gunzipHead(bytes: Uint8Array): Uint8Array {
  for (let input = bytes; input.length >= 16; input = input.subarray(0, input.length >> 2)) {
    try {
      return gunzipSync(input, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: SNIFF_BYTES });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') break;
    }
  }
  return new Uint8Array(0);
}

/** The first SNIFF_BYTES of a file, enough to tell what it is. */
export async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Line framings only a phone's own log has (a time alone, ISO or syslog stamps frame any program's log). */
const PHONE_LOG_FRAMINGS: ReadonlySet<ConsoleLineFormat> = new Set(['7940-sip-debug', '79x1-79x2']);

/** Markdown headings, tables and code fences, HTML and XML markup: the marks of a document. */
const DOCUMENT_LINE =
  /^(?:#{1,6}\s+\S|\|.*\|\s*$|```|~~~|\s*<(?:!DOCTYPE|\?xml|html|head|body|div|p|h[1-6]|table|ul|li)\b)/i;
/** A syslog line (RFC 3164 `Mmm dd hh:mm:ss host prog[pid]:`, or an ISO 8601 stamp first) of any program. */
const SYSLOG_LINE =
  /^(?:<\d+>)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S*) (?:\S+ )?[\w./-]+(?:\[\d+\])?:/;

/** Sniffs the start of a file: its first bytes, then, for text, what its lines are. */
export function sniffContent(sample: Uint8Array): SniffedInput {
  const none = { consoleLines: 0, serverLines: 0 };
  if (sample.length === 0) return { content: 'empty', ...none };
  const capture = captureMagic(sample);
  if (capture) return { content: capture, ...none };
  if (startsWithMagic(sample, GZIP_MAGIC)) return { content: 'gzip', ...none };

  const { text } = decodeLogText(sample);
  // The last line of the sample may be cut by the sample's end: leave it out.
  const cut = sample.length >= SNIFF_BYTES ? text.slice(0, Math.max(text.lastIndexOf('\n'), 0)) : text;
  const log = readConsoleLog(cut);
  const consoleParser = createConsoleParser();
  // A line in a phone's own log framing (`[HH:MM:SS:uuuuuu] function: …`,
  // `NOT 04:51:27.181249 …`) is a console line even when no recogniser knows its text.
  // Lines read only by the generic word rules (a file name beside "sent", DHCP words)
  // say nothing about the kind of file: a server log has them too.
  const consoleEvents = log.lines.map((l) => consoleParser.parse(l));
  const consoleLines = consoleEvents.filter(
    (e) => (e.kind !== 'raw' && !e.generic) || (e.kind === 'raw' && PHONE_LOG_FRAMINGS.has(e.format)),
  ).length;
  const serverParser = createServerLogParser({ referenceTime: 0, utcOffsetMinutes: 0 });
  const lines = log.lines.map((l) => withoutNulPadding(l.text));
  // Comments and a server's own notes are understood but say nothing of what the file is.
  const serverLines = lines.filter((l, i) => !['raw', 'info'].includes(serverParser.parse(l, i + 1).kind)).length;
  const nonBlank = lines.filter((l) => l.trim() !== '');
  const documentLines = nonBlank.filter((l) => DOCUMENT_LINE.test(l)).length;
  const syslogLines = nonBlank.filter((l) => SYSLOG_LINE.test(l)).length;
  const counts = { consoleLines, serverLines };
  if (nonBlank.length === 0 && log.header.length === 0) return { content: 'empty', ...counts };
  // A log with a damaged stretch is still a log: binary only when no line is recognised.
  if (consoleLines + serverLines === 0 && binaryShare(sample) > 0.1) return { content: 'binary', ...counts };
  if (documentLines >= 3 && documentLines > consoleLines + serverLines) return { content: 'document', ...counts };
  // JSON, XML and HTML documents may quote console messages: one is taken for a document when its
  // lines read as a log neither in the phone's framing nor a server's (a console may start with
  // `[ 12.345]`, journalctl -o json with `{`).
  if (/^\s*[[{<]/.test(text) && serverLines === 0 && consoleFramed(consoleEvents) === 0)
    return { content: 'document', ...counts };
  if (serverLines > consoleLines) return { content: 'server-log', ...counts };
  if (consoleLines > 0 || log.header.length > 0) return { content: 'console', ...counts };
  if (syslogLines * 2 > nonBlank.length) return { content: 'syslog', ...counts };
  return { content: 'text', ...counts };
}

/** Lines with a time or severity framing of their own at their start (a JSON document's lines have none). */
function consoleFramed(events: readonly ConsoleEvent[]): number {
  return events.filter((e) => e.format !== 'plain').length;
}

/**
 * The share of bytes that no text file holds: NUL and control characters
 * other than tab, line ends, form feed and escape.
 */
function binaryShare(sample: Uint8Array): number {
  let odd = 0;
  for (const b of sample) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) odd++;
  return odd / sample.length;
}

export async function sniffFile(path: string): Promise<SniffedInput | undefined> {
  let sample: Uint8Array;
  try {
    sample = await readHead(path);
  } catch {
    return undefined; // the reader says why it cannot be read
  }
  // Not one line end in the whole sample: there is no line to judge by; the reader says what it finds.
  if (sample.length === SNIFF_BYTES && !sample.includes(0x0a) && !sample.includes(0x0d)) return undefined;
  return sniffContent(sample);
}

export const LOOKS_LIKE: Readonly<Record<Content, string>> = {
  pcap: 'a packet capture (pcap)',
  pcapng: 'a packet capture (pcapng)',
  gzip: 'a gzip-compressed file',
  console: "a phone's console log",
  'server-log': "a TFTP or DHCP server's log",
  syslog: 'a syslog file',
  document: 'a document (Markdown, HTML, XML or JSON), not a log',
  text: 'text',
  binary: 'binary data',
  empty: 'empty',
};

const OPTION_WORDS: Readonly<Record<OptionKind, string>> = {
  capture: 'a capture',
  console: 'a console log (--console)',
  'server-log': 'a server log (--server-log)',
  'tftp-root': 'a directory (--tftp-root)',
};

/** What an empty file given with each option holds none of. */
const EMPTY_INPUT_LACKS: Readonly<Record<OptionKind, string>> = {
  capture: 'capture',
  console: 'log line',
  'server-log': 'log line',
  'tftp-root': 'TFTP root (give the directory the TFTP server serves)',
};

/** Where a file of this content goes on the command line, when it is an input phonedoc reads. */
function fittingOption(content: Content, path: string): string | undefined {
  switch (content) {
    case 'pcap':
    case 'pcapng':
      return `give it as a capture (phonedoc analyze ${path})`;
    case 'console':
      return `give it with --console ${path}`;
    case 'server-log':
    case 'syslog':
      return `give it with --server-log ${path}`;
    case 'gzip':
      return (
        'give it as a capture if it is a compressed capture, ' +
        'else unpack it first (gunzip) and give the file inside'
      );
    default:
      return undefined;
  }
}

/**
 * One sentence when the file's content does not fit the option it was given with, else
 * undefined. A capture whose magic is damaged is left to the capture reader, which names the bytes.
 */
export function kindMismatch(path: string, given: OptionKind, sniffed: SniffedInput): string | undefined {
  const { content } = sniffed;
  // A gzip file given as a capture is left to the capture reader, which decompresses it or says what it holds.
  const fits =
    given === 'capture'
      ? content === 'pcap' || content === 'pcapng' || content === 'gzip' || content === 'binary'
      : given === 'console'
        ? content === 'console'
        : given === 'server-log'
          ? content === 'server-log' || content === 'syslog'
          : false; // a TFTP root is a directory: any file is a mix-up
  if (fits) return undefined;
  if (content === 'empty') return `${path} is empty: it holds no ${EMPTY_INPUT_LACKS[given]}.`;
  const fitting = fittingOption(content, path);
  const what = given === 'capture' ? 'not a pcap or pcapng capture' : `not ${OPTION_WORDS[given]}`;
  const heldLines =
    given === 'console'
      ? ', and holds no line a 7940/7960 console prints'
      : given === 'server-log'
        ? ', and holds no TFTP or DHCP server log line phonedoc knows'
        : given === 'tftp-root'
          ? '; give the directory the TFTP server serves'
          : '';
  return fitting
    ? `${path} is ${what}: it looks like ${LOOKS_LIKE[content]}; ${fitting}.`
    : `${path} is ${what}: it looks like ${LOOKS_LIKE[content]}${heldLines}.`;
}

/** Checks every input against the option it was given with; throws the first mismatch as an InputError (exit 2). */
export async function checkInputKinds(
  inputs: readonly { readonly kind: OptionKind; readonly path: string }[],
): Promise<void> {
  for (const { kind, path } of inputs) {
    if (path === '-') continue;
    const info = await stat(path).catch(() => undefined);
    // Over its size cap a console log is refused by its reader, naming the cap.
    if (kind === 'console' && info && info.size > WHOLE_TEXT_CAP_BYTES) continue;
    // A pipe read here would lose what it holds, a device never ends: their reader says what they are.
    if (info && !info.isFile() && !info.isDirectory()) continue;
    if (info?.isDirectory()) {
      if (kind === 'tftp-root') continue;
      throw new InputError(
        `${path} is a directory, not ${OPTION_WORDS[kind]}: ` +
          `if it is the directory the TFTP server serves, give it with --tftp-root ${path}.`,
      );
    }
    const sniffed = await sniffFile(path);
    const mismatch = sniffed && kindMismatch(path, kind, sniffed);
    if (mismatch) throw new InputError(mismatch);
  }
}
