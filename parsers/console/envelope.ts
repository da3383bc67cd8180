import type { ConsoleLineFormat, ConsoleSeverity, PhoneClock } from './events.js';

/** A console line split into its frame (time, severity, module) and the message recognisers match. */
export interface ConsoleEnvelope {
  readonly format: ConsoleLineFormat;
  readonly message: string;
  readonly phoneTime?: PhoneClock;
  readonly severity?: ConsoleSeverity;
  readonly seq?: number;
  readonly module?: string;
}

// phone-facts 1.2: `[17:00:53:148185] sipTransportSendMessage: ...` (colon before the fraction).
const SIP_DEBUG = /^\[(\d{2}):(\d{2}):(\d{2}):(\d{6})\] ?(.*)$/;
// phone-facts 1.5: `531: NOT 03:43:03.308495 tftpClient: ...` (79x1/79x2 family).
const LATER_FAMILY = /^(?:(\d+): )?(NOT|INF|WRN|ERR) (\d{2}):(\d{2}):(\d{2})\.(\d{6}) (.*)$/;
const MODULE = /^([A-Za-z][\w.-]*):/;

function clock(text: string, hh: string, mm: string, ss: string, micros: string): PhoneClock | undefined {
  const [h, m, s] = [Number(hh), Number(mm), Number(ss)];
  if (h > 23 || m > 59 || s > 59) return undefined;
  return { text, microsOfDay: ((h * 60 + m) * 60 + s) * 1_000_000 + Number(micros) };
}

function moduleOf(message: string): string | undefined {
  return MODULE.exec(message)?.[1];
}

export function readEnvelope(line: string): ConsoleEnvelope {
  const debug = SIP_DEBUG.exec(line);
  if (debug) {
    const phoneTime = clock(`${debug[1]}:${debug[2]}:${debug[3]}:${debug[4]}`, debug[1], debug[2], debug[3], debug[4]);
    if (phoneTime) {
      const message = debug[5].trim();
      const module = moduleOf(message);
      return { format: '7940-sip-debug', message, phoneTime, ...(module ? { module } : {}) };
    }
  }
  const later = LATER_FAMILY.exec(line);
  if (later) {
    const [, seq, severity, hh, mm, ss, micros, rest] = later;
    const phoneTime = clock(`${hh}:${mm}:${ss}.${micros}`, hh, mm, ss, micros);
    if (phoneTime) {
      const message = rest.trim();
      const module = moduleOf(message);
      return {
        format: '79x1-79x2',
        message,
        phoneTime,
        severity: severity as ConsoleSeverity,
        ...(seq !== undefined ? { seq: Number(seq) } : {}),
        ...(module ? { module } : {}),
      };
    }
  }
  return { format: 'plain', message: line.trim() };
}
