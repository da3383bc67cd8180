/**
 * Console lines to typed events. `createConsoleParser` is fed one line at a time (from a
 * file or, later, from the serial line splitter); `parseConsoleLog` reads a whole log text.
 */
import { readEnvelope } from './envelope.js';
import type { ConsoleEvent, ConsoleEventContext } from './events.js';
import { genericPayload, screenStateOf } from './generic.js';
import type { ConsoleLogHeader, ConsoleLogLine } from './log-lines.js';
import { printedText, readConsoleLog } from './log-lines.js';
import type { ConsoleRecogniser } from './recognisers.js';
import { CONSOLE_RECOGNISERS, OBSERVED_PROMPTS, payloadOf, promptRecognisers } from './recognisers.js';

export interface ConsoleParserOptions {
  /** `phone_prompt` values configured on the phones (without `>`/`#`), besides the prompts seen in real sessions. */
  readonly phonePrompts?: readonly string[];
  /** Recognisers from a user file (`parseUserRecognisers`); tried before the built-in ones. */
  readonly userRecognisers?: readonly ConsoleRecogniser[];
}

export interface ConsoleParser {
  /** The event for the next line. Lines must come in file order (SIP message lines refer back to their start line). */
  parse(line: ConsoleLogLine): ConsoleEvent;
}

export interface ParsedConsoleLog {
  readonly header: readonly ConsoleLogHeader[];
  readonly simulated: boolean;
  readonly events: readonly ConsoleEvent[];
}

// A SIP request or status line (RFC 3261 7.1/7.2); the header lines after it come without a prefix (phone-facts 1.2).
const SIP_START_LINE = /^(?:[A-Z]+ sips?:\S+ SIP\/2\.0|SIP\/2\.0 \d{3}(?: .*)?)$/;

export function createConsoleParser(options: ConsoleParserOptions = {}): ConsoleParser {
  const recognisers: readonly ConsoleRecogniser[] = [
    ...(options.userRecognisers ?? []),
    ...promptRecognisers([...OBSERVED_PROMPTS, ...(options.phonePrompts ?? [])]),
    ...CONSOLE_RECOGNISERS,
  ];
  let sipMessageStart: number | undefined;

  return {
    parse({ line, text, hostTime }: ConsoleLogLine): ConsoleEvent {
      const envelope = readEnvelope(printedText(text));
      const screen = screenStateOf(envelope.message);
      const context: ConsoleEventContext = {
        line,
        raw: text,
        format: envelope.format,
        message: envelope.message,
        ...(envelope.phoneTime ? { phoneTime: envelope.phoneTime } : {}),
        ...(hostTime !== undefined ? { hostTime } : {}),
        ...(envelope.severity ? { severity: envelope.severity } : {}),
        ...(envelope.seq !== undefined ? { seq: envelope.seq } : {}),
        ...(envelope.module ? { module: envelope.module } : {}),
        ...(screen ? { screen } : {}),
      };

      let event: ConsoleEvent = { ...context, kind: 'raw' };
      for (const recogniser of recognisers) {
        const match = recogniser.pattern.exec(envelope.message);
        const payload = match && payloadOf(recogniser, match);
        if (payload) {
          event = { ...context, recogniser: recogniser.id, ...payload };
          break;
        }
      }
      // The known recognisers keep priority; then the words of the line, then a screen state.
      if (event.kind === 'raw') {
        const generic = genericPayload(envelope.message);
        if (generic) event = { ...context, recogniser: generic.id, generic: true, ...generic.payload };
        else if (screen)
          event = { ...context, recogniser: 'screen-state', generic: true, kind: 'status', text: envelope.message };
      }

      // Unprefixed lines after a SIP start line are that message's headers and body,
      // until the next prefixed line or a prompt.
      if (envelope.format !== 'plain' || event.kind === 'prompt') sipMessageStart = undefined;
      else if (sipMessageStart !== undefined) event = { ...event, continuationOf: sipMessageStart };
      if (SIP_START_LINE.test(envelope.message)) sipMessageStart = line;
      return event;
    },
  };
}

export function parseConsoleLog(text: string, options: ConsoleParserOptions = {}): ParsedConsoleLog {
  const log = readConsoleLog(text);
  const parser = createConsoleParser(options);
  return { header: log.header, simulated: log.simulated, events: log.lines.map((l) => parser.parse(l)) };
}
