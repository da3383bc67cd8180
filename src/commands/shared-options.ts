import type { Command } from 'commander';
import { InputError } from '../exit-codes.js';
import { DEFAULT_SERIAL_SETTINGS, FLOW_CONTROLS, PARITIES } from '../console/serial-settings.js';

/** `--w210-limit BYTES` of `lint` and `analyze`: a whole number of bytes above 0. */
export function readW210Limit(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1)
    throw new InputError(`--w210-limit "${text}" is not a number of bytes (a whole number above 0).`);
  return Number(text);
}

/** Collects a repeatable option (`--console a --console b`) into a list. */
export const repeat = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * The serial line options `console` and `tui` share. The 7940/7960 console settings are not
 * documented, so every one can be set; `readSerialSettings` checks the words given.
 */
export function addSerialOptions(command: Command): Command {
  const d = DEFAULT_SERIAL_SETTINGS;
  return command
    .option('--baud <rate>', `serial baud rate (default ${d.baudRate}; the 7940/7960 rate is not documented)`)
    .option('--data-bits <bits>', `serial data bits: 5, 6, 7, 8 (default ${d.dataBits})`)
    .option('--parity <parity>', `serial parity: ${PARITIES.join(', ')} (default ${d.parity})`)
    .option('--stop-bits <bits>', `serial stop bits: 1, 2 (default ${d.stopBits})`)
    .option('--flow <flow>', `serial flow control: ${FLOW_CONTROLS.join(', ')} (default ${d.flow})`);
}
