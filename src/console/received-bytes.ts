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

export function receivedConsoleBytes(text: string): ReceivedBytes {
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
    // Given back as its bytes (or its text in UTF-8) and an LF, as it was read.
    parts.push(line.received ?? Buffer.from(line.text, 'utf8'), LF);
    if (count++ === 0) firstLine = line.line;
  }
  return {
    bytes: Buffer.concat(parts),
    lines: log.lines.length,
    ...(count > 0 ? { guessedEnds: { count, firstLine } } : {}),
  };
}
