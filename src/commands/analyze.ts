/**
 * `phonedoc analyze CAPTURE... [--console FILE] [--server-log FILE] [--tftp-root DIR]
 * [--phone MAC] [--format text|md|html|json] [--out DIR] [--console-offset S] [--log-offset S]`:
 * one timeline per phone from every input, what it runs and where it is going, and the root
 * cause with evidence. Any input may be missing but one. Exit 0, 1 when an error finding is
 * reported, 2 for unusable input.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import { analyzeFiles } from '../engine/offline.js';
import { EXIT_BAD_INPUT, InputError } from '../exit-codes.js';
import { exitCodeFor } from '../findings/report.js';
import { W210_SIPDEFAULT_LIMIT_BYTES } from '../flows/assumptions.js';
import { renderAnalysisHtml } from '../views/analysis-html.js';
import { renderAnalysisMarkdown } from '../views/analysis-markdown.js';
import { renderAnalysisText } from '../views/analysis-text.js';
import { writeTicketBundle } from '../views/ticket-bundle.js';
import { PHONEDOC_VERSION } from '../version.js';
import { readW210Limit, repeat } from './shared-options.js';

interface AnalyzeOptions {
  readonly console: readonly string[];
  readonly serverLog: readonly string[];
  readonly tftpRoot?: string;
  readonly phone?: string;
  readonly format: 'text' | 'md' | 'html' | 'json';
  readonly out?: string;
  readonly consoleOffset?: string;
  readonly logOffset?: string;
  readonly w210Limit?: string;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('Diagnose each phone from captures, console logs, TFTP-server logs and a TFTP root: merged timeline, what it runs and where it is going, findings with evidence and fix steps.')
    .argument('[captures...]', 'pcap or pcapng files')
    .option('--console <file>', 'a phone\'s console log (repeatable)', repeat, [] as string[])
    .option('--server-log <file>', 'a TFTP-server log: tftpd-hpa syslog, tftpd32, atftpd, IOS (repeatable)', repeat, [] as string[])
    .option('--tftp-root <dir>', 'the directory the TFTP server serves')
    .option('--phone <mac>', 'only this phone: 000E84C060A6 or 00:0e:84:c0:60:a6')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'md', 'html', 'json']).default('text'))
    .option('--out <dir>', 'also write a ticket bundle (report.md/html/json, console.log, one pcapng per phone) into this new directory')
    .option('--console-offset <seconds>', 'seconds to add to console times to put them on the capture\'s clock (instead of matching events)')
    .option('--log-offset <seconds>', 'seconds to add to server-log times (instead of matching events)')
    .option('--w210-limit <bytes>', `SIPDefault.cnf size a SIP 2.x phone is taken to risk "W210 buffer full" on (not documented; default ${W210_SIPDEFAULT_LIMIT_BYTES})`)
    .action(async (captures: string[], options: AnalyzeOptions) => {
      if (captures.length + options.console.length + options.serverLog.length === 0 && !options.tftpRoot) {
        throw new InputError('analyze needs at least one input: a capture, --console FILE, --server-log FILE or --tftp-root DIR.');
      }
      const phone = options.phone === undefined ? undefined : parseMac(options.phone);
      if (options.phone !== undefined && !phone) throw new InputError(`--phone "${options.phone}" is not a MAC address: give 12 hex digits (000E84C060A6) or 00:0e:84:c0:60:a6.`);
      const consoleOffset = seconds('--console-offset', options.consoleOffset);
      const logOffset = seconds('--log-offset', options.logOffset);
      const { analysis, damaged } = await analyzeFiles(
        { captures, consoles: options.console, serverLogs: options.serverLog, ...(options.tftpRoot ? { tftpRoot: options.tftpRoot } : {}) },
        {
          version: PHONEDOC_VERSION,
          ...(phone ? { phone } : {}),
          ...(consoleOffset !== undefined ? { consoleOffsetSeconds: consoleOffset } : {}),
          ...(logOffset !== undefined ? { logOffsetSeconds: logOffset } : {}),
          ...(options.w210Limit !== undefined ? { w210LimitBytes: readW210Limit(options.w210Limit) } : {}),
        },
        (line) => process.stderr.write(`phonedoc: ${line}\n`),
      );
      if (phone && analysis.phones.length === 0) process.stderr.write(`phonedoc: no phone with MAC ${phone.canonical} in the inputs\n`);
      const render = { text: renderAnalysisText, md: renderAnalysisMarkdown, html: renderAnalysisHtml, json: (a: typeof analysis) => `${JSON.stringify(a.report, null, 2)}\n` }[options.format];
      process.stdout.write(render(analysis));
      if (options.out) {
        const bundle = await writeTicketBundle(options.out, analysis, { captures, ...(options.console[0] ? { console: options.console[0] } : {}) });
        for (const problem of bundle.problems) process.stderr.write(`phonedoc: ${options.out}: ${problem}\n`);
      }
      process.exitCode = damaged ? EXIT_BAD_INPUT : exitCodeFor(analysis.report.findings);
    });
}

function seconds(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new InputError(`${option} "${text}" is not a number of seconds (e.g. 3600 or -12.5).`);
  return n;
}
