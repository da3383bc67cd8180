/**
 * A console log file as engine events: phonedoc's own recording (its `# phonedoc console log`
 * header and ISO time on every line) or a foreign log in any shape the console parser reads
 * (a terminal paste, the phone's own times, a screen noted by hand). `analyze`, the TUI and
 * the ticket export read consoles only through this module.
 */
import type { ConsoleParserOptions } from '../../parsers/console/parse.js';
import { createConsoleParser } from '../../parsers/console/parse.js';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import type { EngineEvent } from '../engine/events.js';
import { InputError } from '../exit-codes.js';
import type { ReportInputDamage } from '../findings/report-schema.js';
import { findTextDamage } from './text-damage.js';
import type { DecodedLog } from './text-encoding.js';
import { readWholeLog } from './text-file.js';

export interface ConsoleFileSummary {
  /** Lines of text (header lines not counted). */
  readonly lines: number;
  /** Lines a known recogniser or the generic rules made an event of. */
  readonly understood: number;
  /** Of those, the ones recognised generically (by their words). */
  readonly generic: number;
  /** A damaged stretch (left out) or a cut last line; also handed to `sink` as a `damage` event. */
  readonly damage?: ReportInputDamage;
}

/** Every event of a console log's text, handed to `sink` in line order. */
export function consoleTextEvents(
  file: string,
  text: string | DecodedLog,
  sink: (event: EngineEvent) => void,
  options: ConsoleParserOptions = {},
): ConsoleFileSummary {
  const decoded: DecodedLog = typeof text === 'string' ? { text, encoding: 'utf8', markBytes: 0 } : text;
  const log = readConsoleLog(decoded.text);
  if (log.lines.length === 0 && log.header.length === 0)
    throw new InputError(`console log ${file} is empty: give the text the phone printed on its console`);
  // A recording writes each line whole with its time: a last line without line end was cut.
  const recorded =
    log.header.length > 0 || log.lines.filter((l) => l.hostTime !== undefined).length * 2 > log.lines.length;
  // In the recorder's escaped form the file holds no control byte: the bytes received are judged.
  const received = new Map(log.lines.filter((l) => l.received).map((l) => [l.line, l.text]));
  const { damagedLines, damage } = findTextDamage(decoded, 'any', recorded, received);
  for (const h of log.header)
    sink({
      source: 'console',
      file,
      kind: 'console-header',
      line: h.line,
      text: h.text,
      fields: h.fields,
      ...(h.time !== undefined ? { time: h.time } : {}),
    });
  const parser = createConsoleParser(options);
  let understood = 0;
  let generic = 0;
  for (const line of log.lines) {
    if (damagedLines.has(line.line)) continue;
    const event = parser.parse(line);
    if (event.kind !== 'raw') understood++;
    if (event.generic) generic++;
    sink({ source: 'console', file, kind: 'console', event });
  }
  if (damage) sink({ source: 'console', file, kind: 'damage', damage });
  return { lines: log.lines.length, understood, generic, ...(damage ? { damage } : {}) };
}

export async function readConsoleFile(
  file: string,
  sink: (event: EngineEvent) => void,
  options: ConsoleParserOptions = {},
): Promise<ConsoleFileSummary> {
  return consoleTextEvents(file, await readWholeLog(file, 'console log'), sink, options);
}
