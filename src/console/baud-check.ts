/**
 * A wrong baud rate shows as bytes that are mostly not printable text. After a sample of
 * bytes, says so once with the common rates to try (phone-facts 1.4: the 7940/7960 rate is
 * not documented).
 */
import { COMMON_BAUD_RATES } from './serial-settings.js';

/** Bytes looked at before judging; a boot prints far more than this. */
export const BAUD_SAMPLE_BYTES = 256;
/** Below this share of printable bytes, the rate is likely wrong (text at the right rate is ~100 %). */
export const PRINTABLE_SHARE = 0.75;

export interface BaudCheck {
  /** A sentence to show, once, when the sample is mostly not printable; undefined otherwise. */
  feed(chunk: Uint8Array): string | undefined;
}

function printable(byte: number): boolean {
  return (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x08;
}

export function createBaudCheck(baudRate: number): BaudCheck {
  let seen = 0;
  let good = 0;
  let done = false;
  return {
    feed(chunk) {
      if (done) return undefined;
      for (const byte of chunk) {
        seen++;
        if (printable(byte)) good++;
        if (seen === BAUD_SAMPLE_BYTES) break;
      }
      if (seen < BAUD_SAMPLE_BYTES) return undefined;
      done = true;
      if (good / seen >= PRINTABLE_SHARE) return undefined;
      const others = COMMON_BAUD_RATES.filter((r) => r !== baudRate);
      return (
        `Most of what arrives is not printable text (${seen - good} of the first ${seen} bytes): the baud rate may be wrong. ` +
        `It is ${baudRate} now; try --baud ${others.join(', ')}.`
      );
    },
  };
}
