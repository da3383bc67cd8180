/**
 * A saved session folder (what a live `phonedoc tui` leaves: the console log and the capture)
 * or a ticket bundle, as the inputs of a replay: its captures (`*.pcap`, `*.pcapng`), its
 * console logs (`console*.log`), the other `*.log` files as server logs, and `tftp-root/` when
 * there is one.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzeInputs } from '../engine/input-events.js';
import { InputError } from '../exit-codes.js';

export function savedSessionInputs(dir: string): AnalyzeInputs {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    throw new InputError(
      `--session ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give a session folder or a ticket bundle.`,
    );
  }
  const file = (name: string): boolean => statSync(path.join(dir, name)).isFile();
  const files = names.filter(file);
  const inputs: AnalyzeInputs = {
    captures: files.filter((f) => /\.pcap(ng)?$/i.test(f)).map((f) => path.join(dir, f)),
    consoles: files.filter((f) => /^console.*\.log$/i.test(f)).map((f) => path.join(dir, f)),
    serverLogs: files.filter((f) => /\.log$/i.test(f) && !/^console/i.test(f)).map((f) => path.join(dir, f)),
    ...(names.includes('tftp-root') && !file('tftp-root') ? { tftpRoot: path.join(dir, 'tftp-root') } : {}),
  };
  if (inputs.captures.length + inputs.consoles.length + inputs.serverLogs.length === 0 && !inputs.tftpRoot) {
    throw new InputError(
      `--session ${dir} holds no capture (.pcap, .pcapng), console log (console*.log), server log (.log) or tftp-root folder: give a session folder or a ticket bundle.`,
    );
  }
  return inputs;
}
