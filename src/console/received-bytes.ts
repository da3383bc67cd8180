/**
 * `phonedoc console --replay FILE --raw`: the bytes a recorded console log says the phone
 * sent, in order, line ends included (the inverse of the recorder's escaped form). Only the
 * recorder's own lines (`# phonedoc console …`) are left out.
 */
import { readConsoleLog, receivedWithLineEnd } from '../../parsers/console/log-lines.js';

export interface ReceivedBytes {
  readonly bytes: Buffer;
  readonly lines: number;
  /** Lines whose line end the log does not hold (written before line ends were kept, or not in escaped form). */
  readonly guessedEnds?: { readonly count: number; readonly firstLine: number };
}

const LF = Buffer.of(0x0a);

/** `encoding`: the file's, for lines not in escaped form (a paste), given back as the file held them (UTF-16 and UTF-32 as UTF-8). */
export function receivedConsoleBytes(text: string, encoding: 'utf8' | 'latin1'): ReceivedBytes {
  const parts: Uint8Array[] = [];
  let count = 0;
  let firstLine = 0;
  const log = readConsoleLog(text);
  for (const line of log.lines) {
    const exact = receivedWithLineEnd(line);
    if (exact) {
      parts.push(exact);
      continue;
    }
    // Given back as its bytes (or its text) and an LF, as it was read.
    parts.push(line.received ?? Buffer.from(line.text, encoding), LF);
    if (count++ === 0) firstLine = line.line;
  }
  return {
    bytes: Buffer.concat(parts),
    lines: log.lines.length,
    ...(count > 0 ? { guessedEnds: { count, firstLine } } : {}),
  };
}
