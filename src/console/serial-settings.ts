/**
 * Serial line settings of the console. The 7940/7960 console settings are not documented
 * (phone-facts 1.4: 9600 8N1 was seen on a 7941 only), so the defaults are a guess that is
 * always shown, and every setting has an option.
 */
import { InputError } from '../exit-codes.js';

export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';
export type FlowControl = 'none' | 'rtscts' | 'xonxoff';
export type DataBits = 5 | 6 | 7 | 8;
export type StopBits = 1 | 2;

export interface SerialSettings {
  readonly baudRate: number;
  readonly dataBits: DataBits;
  readonly parity: Parity;
  readonly stopBits: StopBits;
  readonly flow: FlowControl;
}

export const DEFAULT_SERIAL_SETTINGS: SerialSettings = {
  baudRate: 9600,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  flow: 'none',
};

/** Rates suggested when what arrives looks like a wrong baud rate, most likely first. */
export const COMMON_BAUD_RATES: readonly number[] = [9600, 115200, 57600, 38400, 19200, 4800, 2400];

export const PARITIES: readonly Parity[] = ['none', 'even', 'odd', 'mark', 'space'];
export const FLOW_CONTROLS: readonly FlowControl[] = ['none', 'rtscts', 'xonxoff'];

const FLOW_WORDS: Readonly<Record<FlowControl, string>> = {
  none: 'no flow control',
  rtscts: 'RTS/CTS flow control',
  xonxoff: 'XON/XOFF flow control',
};

/** The parity's letter in the `8N1` shorthand. */
const PARITY_LETTER: Readonly<Record<Parity, string>> = { none: 'N', even: 'E', odd: 'O', mark: 'M', space: 'S' };

/** `9600 8N1, no flow control`. */
export function describeSettings(s: SerialSettings): string {
  return `${s.baudRate} ${s.dataBits}${PARITY_LETTER[s.parity]}${s.stopBits}, ${FLOW_WORDS[s.flow]}`;
}

export interface SerialSettingsInput {
  readonly baud?: string;
  readonly dataBits?: string;
  readonly parity?: string;
  readonly stopBits?: string;
  readonly flow?: string;
}

/** Settings from the command line's words; an InputError names the option and what it accepts. */
export function readSerialSettings(input: SerialSettingsInput): SerialSettings {
  const d = DEFAULT_SERIAL_SETTINGS;
  const baudRate = input.baud === undefined ? d.baudRate : wholeNumber('--baud', input.baud);
  const dataBits =
    input.dataBits === undefined
      ? d.dataBits
      : oneOf('--data-bits', Number(input.dataBits), [5, 6, 7, 8] as const, input.dataBits);
  const parity =
    input.parity === undefined ? d.parity : oneOf('--parity', input.parity.toLowerCase(), PARITIES, input.parity);
  const stopBits =
    input.stopBits === undefined
      ? d.stopBits
      : oneOf('--stop-bits', Number(input.stopBits), [1, 2] as const, input.stopBits);
  const flow = input.flow === undefined ? d.flow : oneOf('--flow', input.flow.toLowerCase(), FLOW_CONTROLS, input.flow);
  return { baudRate, dataBits, parity, stopBits, flow };
}

function wholeNumber(option: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 50) {
    throw new InputError(
      `${option} "${text}" is not a baud rate: give a whole number such as ${COMMON_BAUD_RATES.join(', ')}.`,
    );
  }
  return n;
}

function oneOf<T extends string | number>(
  option: string,
  value: string | number,
  allowed: readonly T[],
  text: string,
): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new InputError(`${option} "${text}" is not accepted: give one of ${allowed.join(', ')}.`);
  return found;
}
