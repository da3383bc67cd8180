/**
 * `phonedoc console --replay FILE [--speed X]`: a recorded console log played to the screen
 * with its original timing (the gaps between the recorder's timestamps, divided by the
 * speed), through the same parser and colours as a live session. A bare log (no
 * timestamps, a HyperTerminal paste) plays without pauses.
 */
import type { ConsoleLogHeader, ConsoleLogLine } from '../../parsers/console/log-lines.js';
import { readConsoleLog, receivedWithLineEnd } from '../../parsers/console/log-lines.js';
import type { ConsoleParserOptions } from '../../parsers/console/parse.js';
import { createConsoleParser } from '../../parsers/console/parse.js';
import { foldPhoneStatus, phoneStatusText } from './phone-status.js';
import type { PhoneStatus } from './phone-status.js';
import type { ConsoleScreen } from './screen.js';

export interface ReplayOptions {
  readonly screen: ConsoleScreen;
  /** 2 plays twice as fast; 0 or Infinity plays without pauses. */
  readonly speed?: number;
  readonly parser?: ConsoleParserOptions;
  readonly signal?: AbortSignal;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ReplayResult {
  readonly lines: number;
  /** False when the signal stopped the replay early. */
  readonly complete: boolean;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** A line's bytes for the hex view: as received with its line end when the log keeps them, else with an LF. */
function rawOf(line: ConsoleLogLine): Uint8Array {
  const received = receivedWithLineEnd(line);
  if (received) return received;
  return line.received ? Buffer.concat([line.received, Buffer.of(0x0a)]) : Buffer.from(`${line.text}\n`, 'latin1');
}

type Entry = { readonly header: ConsoleLogHeader } | { readonly line: ConsoleLogLine };

export async function replayConsoleLog(text: string, options: ReplayOptions): Promise<ReplayResult> {
  const log = readConsoleLog(text);
  const entries: Entry[] = [...log.header.map((header) => ({ header })), ...log.lines.map((line) => ({ line }))].sort(
    (a, b) => ('header' in a ? a.header.line : a.line.line) - ('header' in b ? b.header.line : b.line.line),
  );
  const parser = createConsoleParser(options.parser ?? {});
  const speed = options.speed ?? 1;
  const sleep = options.sleep ?? defaultSleep;
  const { screen } = options;
  let status: PhoneStatus = {};
  let first: number | undefined;
  const started = Date.now();
  let lines = 0;
  if (log.simulated) screen.notice('this log comes from the lab simulator, not from a phone');
  for (const entry of entries) {
    if (options.signal?.aborted) return { lines, complete: false };
    if ('header' in entry) {
      screen.notice(entry.header.text.replace(/^# phonedoc\s*/, ''));
      continue;
    }
    const { line } = entry;
    // Whole milliseconds, as the recorder wrote them.
    const at = line.hostTime !== undefined ? Math.round(line.hostTime * 1000) : undefined;
    if (at !== undefined && speed > 0 && Number.isFinite(speed)) {
      first ??= at;
      const wait = started + (at - first) / speed - Date.now();
      if (wait > 0) await sleep(wait, options.signal);
      if (options.signal?.aborted) return { lines, complete: false };
    }
    const event = parser.parse(line);
    screen.line(
      {
        text: line.text,
        raw: rawOf(line),
        firstByteAt: at ?? Date.now(),
        ending: 'lf',
      },
      event.kind,
    );
    status = foldPhoneStatus(status, event);
    screen.status(`replay · ${phoneStatusText(status) || 'phone not identified yet'}`);
    lines++;
  }
  return { lines, complete: true };
}
