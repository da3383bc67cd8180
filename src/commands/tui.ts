/**
 * `phonedoc tui [--capture FILE] [--console-file FILE] [--server-log FILE] [--tftp-root DIR]`:
 * the bench screen: the phone's console, its DHCP/TFTP traffic and the diagnosis side by
 * side. With no source it shows the bundled sample and says so.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import type { AnalyzeInputs } from '../engine/offline.js';
import { InputError } from '../exit-codes.js';
import { initialState } from '../tui/state.js';
import { TuiScreen, terminalName } from '../tui/screen.js';
import { bundledSampleBanner, bundledSampleInputs, hasInputs, readSavedFiles } from '../tui/saved-files.js';
import { writeTicketBundle } from '../views/ticket-bundle.js';
import { PHONEDOC_VERSION } from '../version.js';

interface TuiOptions {
  readonly capture: readonly string[];
  readonly consoleFile: readonly string[];
  readonly serverLog: readonly string[];
  readonly tftpRoot?: string;
  readonly phone?: string;
  readonly outDir?: string;
}

const repeat = (value: string, previous: string[]): string[] => [...previous, value];

const NO_LIVE_CONSOLE = 'no live console in this session: give --port or --telnet to type to the phone';

export function registerTuiCommand(program: Command): void {
  program
    .command('tui')
    .description('The bench screen: the phone\'s console, its DHCP/TFTP traffic and the diagnosis on one screen, with the evidence of each finding highlighted. With no source, shows the bundled sample.')
    .option('--capture <file>', 'a pcap or pcapng capture (repeatable)', repeat, [] as string[])
    .option('--console-file <file>', 'a recorded console log (repeatable)', repeat, [] as string[])
    .option('--server-log <file>', 'a TFTP-server log: tftpd-hpa syslog, tftpd32, atftpd, IOS (repeatable)', repeat, [] as string[])
    .option('--tftp-root <dir>', 'the directory the TFTP server serves (linted)')
    .option('--phone <mac>', 'only this phone: 000E84C060A6 or 00:0e:84:c0:60:a6')
    .option('--out-dir <dir>', 'where e writes ticket bundles (default: the current directory)')
    .action(async (options: TuiOptions) => {
      if (!process.stdout.isTTY || !process.stdin.isTTY) throw new InputError('tui needs a terminal on standard input and output; for a report in a file or a pipe use "phonedoc analyze".');
      const phone = options.phone === undefined ? undefined : parseMac(options.phone);
      if (options.phone !== undefined && !phone) throw new InputError(`--phone "${options.phone}" is not a MAC address: give 12 hex digits (000E84C060A6) or 00:0e:84:c0:60:a6.`);
      const given: AnalyzeInputs = { captures: options.capture, consoles: options.consoleFile, serverLogs: options.serverLog, ...(options.tftpRoot ? { tftpRoot: options.tftpRoot } : {}) };
      const sample = !hasInputs(given);
      const inputs = sample ? bundledSampleInputs() : given;
      const view = await readSavedFiles(inputs, { version: PHONEDOC_VERSION, ...(phone ? { phone } : {}) });
      const state = initialState(view.analysis, view.sources, sample ? bundledSampleBanner() : undefined);
      await new Promise<void>((resolve) => {
        const screen: TuiScreen = new TuiScreen({ input: process.stdin, output: process.stdout, terminal: terminalName(process.env.TERM) }, view.warnings[0] ? { ...state, status: view.warnings[0] } : state, {
          exportBundle: async (analysis) => {
            const dir = path.join(options.outDir ?? '.', `phonedoc-ticket-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
            const bundle = await writeTicketBundle(dir, analysis, { captures: inputs.captures, ...(inputs.consoles[0] ? { console: inputs.consoles[0] } : {}) });
            return `ticket bundle: ${bundle.files.length} files in ${dir}${bundle.problems.length ? `; ${bundle.problems[0]}` : ''}`;
          },
          sendLine: () => Promise.resolve(NO_LIVE_CONSOLE),
          sendBreak: () => Promise.resolve(NO_LIVE_CONSOLE),
          quit: () => {
            screen.destroy();
            resolve();
          },
        });
      });
      for (const warning of view.warnings) process.stderr.write(`phonedoc: ${warning}\n`);
    });
}
