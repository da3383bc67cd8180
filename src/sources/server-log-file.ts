/**
 * A DHCP- or TFTP-server log read into engine events: a whole file (`analyze`, the TUI's
 * --replay, the ticket export) or a file followed as it grows (the TUI). One decoding (each
 * line UTF-8 when it is valid UTF-8, else Latin-1; a byte-order mark dropped), one year rule
 * (a line without a year takes the one that puts it nearest the capture's first packet, else
 * the file's modification time) and one line-joining rule (parsers/server-log/joining.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { createServerLogReader, serverLogLines } from '../../parsers/server-log/parse.js';
import type { ServerLogContext } from '../../parsers/server-log/parse.js';
import type { EngineEvent } from '../engine/events.js';
import { InputError } from '../exit-codes.js';
import { followText } from './follow-text.js';

/** What `--server-log` reads, for the options' help. */
export const SERVER_LOG_FORMATS =
  'dnsmasq (DHCP and TFTP), ISC dhcpd, Kea, tftpd-hpa, atftpd, tftpd32/64, Cisco IOS; as syslog (rsyslog, syslog-ng, BusyBox/OpenWrt logread, RFC 5424), journalctl (short, -precise, -iso, json) or the program\'s own file';

/** A growing file with no new line for this long: the line held back (it might have continued) is given. */
const HELD_LINE_MS = 500;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** One line's bytes as text: UTF-8 when valid, else Latin-1 (a Windows server's code page keeps its bytes). */
export function decodeLogLine(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/**
 * The context lines without year or zone are read in: `yearFrom` (seconds, the capture's first
 * packet) when known, else the file's modification time; times without a zone are UTC.
 */
export function serverLogContext(yearFrom: number | undefined, modified: Date): ServerLogContext {
  return { referenceTime: yearFrom !== undefined ? new Date(yearFrom * 1000) : modified, utcOffsetMinutes: 0 };
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

/** Reads a whole server log; each event goes to `sink` in file order. Resolves to the number of non-blank lines. */
export async function readServerLogFile(file: string, sink: (event: EngineEvent) => void, yearFrom?: number): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read server log ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code ?? String(error)}`);
  }
  let lines = 0;
  const reader = createServerLogReader(serverLogContext(yearFrom, await modifiedTime(file)), (event) => {
    if (event.raw.trim() !== '') lines += 1 + (event.joined ?? 0);
    sink(engineEvent(file, event));
  });
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : undefined;
  if (text !== undefined) {
    serverLogLines(text).forEach((line, i) => reader.push(line, i + 1));
  } else {
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let line = 0;
    for (let from = start; from < bytes.length;) {
      const lf = bytes.indexOf(0x0a, from);
      const end = lf < 0 ? bytes.length : lf;
      const cut = end > from && bytes[end - 1] === 0x0d ? end - 1 : end;
      reader.push(decodeLogLine(bytes.subarray(from, cut)), ++line);
      from = end + 1;
    }
  }
  reader.flush();
  return lines;
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
export async function followServerLogFile(file: string, sink: (event: EngineEvent) => void, options: FollowServerLogOptions): Promise<void> {
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
    await followText(file, (text, line) => {
      reader.push(decodeLogLine(Buffer.from(line === 1 ? text.replace(/^\xef\xbb\xbf/, '') : text, 'latin1')), line);
      clearTimeout(held);
      held = setTimeout(() => reader.flush(), HELD_LINE_MS);
      options.progress?.(line);
    }, { signal: options.signal, restarted });
  } finally {
    clearTimeout(held);
    reader.flush();
  }
}
