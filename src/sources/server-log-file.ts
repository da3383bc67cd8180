/**
 * A DHCP- or TFTP-server log read into engine events: a whole file (`analyze`, the TUI's
 * --replay, the ticket export) or a file followed as it grows (the TUI). One decoding (each
 * line UTF-8 when it is valid UTF-8, else Latin-1; a byte-order mark dropped), one year rule
 * (a line without a year takes the one that puts it nearest the capture's first packet, else
 * the file's modification time) and one line-joining rule (parsers/server-log/joining.ts).
 */
import { stat } from 'node:fs/promises';
import { withoutNulPadding } from '../../parsers/console/log-lines.js';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { createServerLogReader, serverLogLines } from '../../parsers/server-log/parse.js';
import type { ServerLogContext } from '../../parsers/server-log/parse.js';
import type { EngineEvent } from '../engine/events.js';
import type { ReportInputDamage } from '../findings/report-schema.js';
import { followText } from './follow-text.js';
import { TextDamageTracker } from './text-damage.js';
import { decodeText, encodedLength, isWideText } from './text-encoding.js';
import { openTextLines, readWholeLog, type TextLine } from './text-file.js';

/** What `--server-log` reads, for the options' help. */
export const SERVER_LOG_FORMATS =
  'dnsmasq (DHCP and TFTP), ISC dhcpd, Kea, tftpd-hpa, atftpd, tftpd32/64, Cisco IOS; as syslog (rsyslog, syslog-ng, ' +
  "BusyBox/OpenWrt logread, RFC 5424), journalctl (short, -precise, -iso, json) or the program's own file";

/** How many of the lines cut at LINE_CAP_BYTES are named; the rest are counted. */
const CUT_LINES_LISTED = 5;

/** A growing file with no new line for this long: the line held back (it might have continued) is given. */
const HELD_LINE_MS = 500;

/**
 * The context lines without year or zone are read in: `yearFrom` (seconds, the capture's first
 * packet) when known, else the file's modification time; times without a zone are UTC.
 */
export function serverLogContext(yearFrom: number | undefined, modified: Date): ServerLogContext {
  return { referenceTime: yearFrom ?? modified.getTime() / 1000, utcOffsetMinutes: 0 };
}

function engineEvent(file: string, event: ServerLogEvent): EngineEvent {
  return { source: 'server-log', file, kind: 'server', event };
}

async function modifiedTime(file: string): Promise<Date> {
  try {
    return (await stat(file)).mtime;
  } catch {
    return new Date();
  }
}

export interface ServerLogFileSummary {
  /** Non-blank lines read. */
  readonly lines: number;
  /** How many lines were longer than LINE_CAP_BYTES (read up to there), and the first CUT_LINES_LISTED of them. */
  readonly cutLines: { readonly count: number; readonly first: readonly number[] };
  /** A damaged stretch (left out) or a cut last line; also handed to `sink` as a `damage` event. */
  readonly damage?: ReportInputDamage;
}

/**
 * Reads a whole server log line by line (never the whole file into one string); each event
 * goes to `sink` in file order. Lines end at LF: a CR inside a line is part of a file name the
 * phone asked for (CSCdv19260). A log saved as UTF-16 or UTF-32 is read whole.
 */
export async function readServerLogFile(
  file: string,
  sink: (event: EngineEvent) => void,
  yearFrom?: number,
): Promise<ServerLogFileSummary> {
  const { modified, lines } = await openTextLines(file, 'server log');
  let read = 0;
  let known = 0;
  const reader = createServerLogReader(serverLogContext(yearFrom, modified), (event) => {
    if (event.raw.trim() !== '') read += 1 + (event.joined ?? 0);
    if (event.kind !== 'raw') known++;
    sink(engineEvent(file, event));
  });
  const damage = new TextDamageTracker();
  const cutLines = { count: 0, first: [] as number[] };
  let count = 0;
  let size = 0;
  let lastEnded = true;
  for await (const { line, text, cut, offset, ended } of await utf16Lines(file, lines)) {
    count = line;
    lastEnded = ended;
    size = offset + Buffer.byteLength(text, 'latin1') + (ended ? 1 : 0);
    if (cut && cutLines.count++ < CUT_LINES_LISTED) cutLines.first.push(line);
    if (damage.line(line, text, offset)) continue;
    reader.push(withoutNulPadding(text), line);
  }
  reader.flush();
  // A server writes each log line whole: when most lines are known ones, a last line without line end was cut.
  const found = damage.finish(lastEnded, known * 2 > count, size).damage;
  if (found) sink({ source: 'server-log', file, kind: 'damage', damage: found });
  return { lines: read, cutLines, ...(found ? { damage: found } : {}) };
}

/** The lines of a UTF-16 or UTF-32 log (read whole), else `lines` as streamed. */
async function utf16Lines(
  file: string,
  lines: AsyncGenerator<TextLine>,
): Promise<AsyncIterable<TextLine> | Iterable<TextLine>> {
  const first = await lines.next();
  if (first.done) return [];
  // The first line's bytes as read (ASCII in UTF-16 or UTF-32 is valid UTF-8 or read as Latin-1: each byte one character).
  if (!isWideText(Buffer.from(`${first.value.text}\n`, 'latin1'))) {
    return (async function* () {
      yield first.value;
      yield* lines;
    })();
  }
  await lines.return(undefined);
  const log = await readWholeLog(file, 'server log');
  let offset = log.markBytes;
  return serverLogLines(log.text).map((text, i) => {
    const line = { line: i + 1, text, cut: false, offset, ended: true };
    offset += encodedLength(`${text}\n`, log.encoding);
    return line;
  });
}

export interface FollowServerLogOptions {
  readonly signal: AbortSignal;
  /** The capture's first packet (seconds), for lines without a year. */
  readonly yearFrom?: number;
  readonly restarted?: () => void;
  /** After each line: how many were read so far. */
  readonly progress?: (lines: number) => void;
}

/** Follows a server log as it grows (`tail -f`), from its start. */
export async function followServerLogFile(
  file: string,
  sink: (event: EngineEvent) => void,
  options: FollowServerLogOptions,
): Promise<void> {
  const context = serverLogContext(options.yearFrom, await modifiedTime(file));
  const newReader = () => createServerLogReader(context, (event) => sink(engineEvent(file, event)));
  let reader = newReader();
  let held: NodeJS.Timeout | undefined;
  const restarted = (): void => {
    clearTimeout(held);
    reader = newReader();
    options.restarted?.();
  };
  try {
    await followText(
      file,
      (text, line) => {
        reader.push(
          withoutNulPadding(decodeText(Buffer.from(line === 1 ? text.replace(/^\xef\xbb\xbf/, '') : text, 'latin1'))),
          line,
        );
        clearTimeout(held);
        held = setTimeout(() => reader.flush(), HELD_LINE_MS);
        options.progress?.(line);
      },
      { signal: options.signal, restarted },
    );
  } finally {
    clearTimeout(held);
    reader.flush();
  }
}
