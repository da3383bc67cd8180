/**
 * `phonedoc analyze CAPTURE... [--console FILE] [--server-log FILE] [--tftp-root DIR]
 * [--phone MAC] [--format text|md|html|json] [--out DIR] [--console-offset S] [--log-offset S]`:
 * one timeline per phone from every input, what it runs and where it is going, and the root
 * cause with evidence. Any input may be missing but one. Exit 0, 1 when an error finding is
 * reported, 2 for unusable input.
 */
import { keepHeapNearLiveSize } from './heap-settings.js';
import { makeFolder } from '../extract/output-folders.js';
import path from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Analysis, AnalysisInParts } from '../engine/analysis.js';
import type { Finding } from '../findings/finding.js';
import { analyzeFiles, analyzeFilesInParts, type AnalyzeInputs } from '../engine/input-events.js';
import { openTicketInputs } from '../sources/ticket-inputs.js';
import { renderSummary, ticketNames, ticketRow, unreadableRow, type TicketRow } from '../views/ticket-summary.js';
import { EXIT_BAD_INPUT, InputError } from '../exit-codes.js';
import { exitCodeFor, exitCodeOfSummary } from '../findings/report.js';
import { checkInputKinds } from '../sources/input-kind.js';
import { SERVER_LOG_FORMATS } from '../sources/server-log-file.js';
import { W210_SIPDEFAULT_LIMIT_BYTES } from '../flows/assumptions.js';
import { analysisHtmlPieces, renderAnalysisHtml } from '../views/analysis-html.js';
import { analysisMarkdownPieces, renderAnalysisMarkdown } from '../views/analysis-markdown.js';
import { jsonText, jsonTextPieces, messageLine } from '../views/escape.js';
import { analysisJsonPieces } from '../views/analysis-json.js';
import {
  analysisTextPieces,
  renderAnalysisText,
  renderVerdictLines,
  verdictLinePieces,
} from '../views/analysis-text.js';
import { useColor, type ColorWhen } from '../views/colours.js';
import { refuseBundleFolder, writeTicketBundle } from '../views/ticket-bundle.js';
import { PHONEDOC_VERSION } from '../version.js';
import { readPhoneOption } from './capture-command.js';
import { readW210Limit, repeat } from './shared-options.js';

interface AnalyzeOptions {
  readonly each?: boolean;
  readonly console: readonly string[];
  readonly serverLog: readonly string[];
  readonly tftpRoot?: string;
  readonly phone?: string;
  readonly format: 'text' | 'md' | 'markdown' | 'html' | 'json';
  readonly quiet?: boolean;
  readonly out?: string;
  readonly consoleOffset?: string;
  readonly logOffset?: string;
  readonly w210Limit?: string;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description(
      'Diagnose each phone from captures, console logs, TFTP-server logs and a TFTP root: ' +
        'merged timeline, what it runs and where it is going, findings with evidence and fix steps.',
    )
    .argument(
      '[inputs...]',
      'captures (pcap, pcapng, gzip-compressed too), ticket folders, ' +
        "or .zip/.tar/.tar.gz archives of one; a folder's inputs are found by content",
    )
    .option('--console <file>', "a phone's console log (repeatable)", repeat, [] as string[])
    .option(
      '--server-log <file>',
      `a DHCP- or TFTP-server log (repeatable): ${SERVER_LOG_FORMATS}`,
      repeat,
      [] as string[],
    )
    .option('--tftp-root <dir>', 'the directory the TFTP server serves')
    .option('--phone <mac>', 'only this phone: 000E84C060A6 or 00:0e:84:c0:60:a6')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'md', 'markdown', 'html', 'json'])
        .default('text'),
    )
    .option('-q, --quiet', "print only each phone's verdict line (for scripts; the exit code says the rest)")
    .option(
      '--out <dir>',
      'also write a ticket bundle (report.md/html/json, console.log, one pcapng per phone) into this new directory',
    )
    .option(
      '--console-offset <seconds>',
      "seconds to add to console times to put them on the capture's clock (instead of matching events)",
    )
    .option('--log-offset <seconds>', 'seconds to add to server-log times (instead of matching events)')
    .option(
      '--w210-limit <bytes>',
      `SIPDefault.cnf size a SIP 2.x phone is taken to risk "W210 buffer full" on (not documented; ` +
        `default ${W210_SIPDEFAULT_LIMIT_BYTES})`,
    )
    .option(
      '--each',
      'one analysis per capture, folder or archive given, then a summary table (input, ' +
        'phones, verdict, worst finding); with --out, one bundle each under DIR/<name>',
    )
    .action(runAnalyze);
}

async function runAnalyze(given: string[], options: AnalyzeOptions, command: Command): Promise<void> {
  keepHeapNearLiveSize();
  if (options.quiet && options.format !== 'text')
    throw new InputError(`--quiet prints verdict lines as text: drop --format ${options.format}.`);
  if (given.length + options.console.length + options.serverLog.length === 0 && !options.tftpRoot) {
    throw new InputError(
      'analyze needs at least one input: a capture or ticket folder, ' +
        '--console FILE, --server-log FILE or --tftp-root DIR.',
    );
  }
  const setup = setupOf(options);
  const color = useColor(command.optsWithGlobals<{ color?: ColorWhen }>().color, process.stdout);
  const format = options.format === 'markdown' ? 'md' : options.format;
  if (options.out !== undefined) refuseBundleFolder(options.out);
  if (options.each) {
    process.exitCode = await analyzeEach(given, options, setup, format, color);
    return;
  }
  const named = {
    captures: [],
    consoles: options.console,
    serverLogs: options.serverLog,
    ...(options.tftpRoot ? { tftpRoot: options.tftpRoot } : {}),
  };
  if (options.out) {
    const { exitCode } = await analyzeTicket(given, named, setup, options.out, (analysis) => {
      if (options.quiet) process.stdout.write(renderVerdictLines(analysis, { color }));
      else if (format === 'json') for (const piece of jsonTextPieces(analysis.report, 2)) process.stdout.write(piece);
      else process.stdout.write(RENDER[format](analysis, color));
    });
    process.exitCode = exitCode;
    return;
  }
  // A site is analysed, written and let go a phone at a time: no phone's analysis is held until the end.
  process.exitCode = await analyzeTicketInParts(given, named, setup, (analysis) => {
    const pieces = options.quiet ? verdictLinePieces(analysis, { color }) : PIECES[format](analysis, color);
    for (const piece of pieces) process.stdout.write(piece);
  });
}

function setupOf(options: AnalyzeOptions): AnalysisSetup {
  const phone = readPhoneOption(options.phone);
  const consoleOffset = seconds('--console-offset', options.consoleOffset);
  const logOffset = seconds('--log-offset', options.logOffset);
  return {
    version: PHONEDOC_VERSION,
    ...(phone ? { phone } : {}),
    ...(consoleOffset !== undefined ? { consoleOffsetSeconds: consoleOffset } : {}),
    ...(logOffset !== undefined ? { logOffsetSeconds: logOffset } : {}),
    ...(options.w210Limit !== undefined ? { w210LimitBytes: readW210Limit(options.w210Limit) } : {}),
  };
}

type AnalysisSetup = Parameters<typeof analyzeFiles>[1];
type Format = 'text' | 'md' | 'html' | 'json';

const RENDER: Readonly<Record<Format, (analysis: Analysis, color: boolean) => string>> = {
  text: (a, color) => renderAnalysisText(a, { color }),
  md: (a) => renderAnalysisMarkdown(a),
  html: (a) => renderAnalysisHtml(a),
  json: (a) => `${jsonText(a.report, 2)}\n`,
};

const PIECES: Readonly<Record<Format, (analysis: AnalysisInParts, color: boolean) => Iterable<string>>> = {
  text: (a, color) => analysisTextPieces(a, { color }),
  md: (a) => analysisMarkdownPieces(a),
  html: (a) => analysisHtmlPieces(a),
  json: (a) => analysisJsonPieces(a),
};

const warn = (line: string): void => {
  process.stderr.write(messageLine(line));
};

/**
 * One analysis of everything given (captures, ticket folders, archives) and named by options,
 * of every phone at once; `show` prints it, and a ticket bundle is written when `out` is given.
 */
async function analyzeTicket(
  given: readonly string[],
  named: AnalyzeInputs,
  setup: AnalysisSetup,
  out: string | undefined,
  show: (analysis: Analysis) => void,
): Promise<{ analysis: Analysis; exitCode: number }> {
  return await withTicketInputs(given, named, async (inputs) => {
    const { analysis, damaged } = await analyzeFiles(inputs, setup, warn);
    refuseNothingAnalysed(setup, analysis.phones.length, analysis.report.findings, inputs);
    show(analysis);
    if (out) {
      const bundle = await writeTicketBundle(out, analysis, {
        captures: inputs.captures,
        ...(inputs.consoles[0] ? { console: inputs.consoles[0] } : {}),
      });
      for (const problem of bundle.problems) warn(`${out}: ${problem}`);
    }
    return { analysis, exitCode: damaged ? EXIT_BAD_INPUT : exitCodeFor(analysis.report.findings) };
  });
}

/** As `analyzeTicket` without a bundle, the analysis a phone at a time as `show` writes it; gives the exit code. */
async function analyzeTicketInParts(
  given: readonly string[],
  named: AnalyzeInputs,
  setup: AnalysisSetup,
  show: (analysis: AnalysisInParts) => void,
): Promise<number> {
  return await withTicketInputs(given, named, async (inputs) => {
    const { analysis, damaged } = await analyzeFilesInParts(inputs, setup, warn);
    refuseNothingAnalysed(setup, analysis.phoneCount, analysis.findings(), inputs);
    show(analysis);
    return damaged ? EXIT_BAD_INPUT : exitCodeOfSummary(analysis.totals().summary);
  });
}

/** Checks every input is of the kind it was given as, opens ticket folders and archives, and analyses what they hold. */
async function withTicketInputs<T>(
  given: readonly string[],
  named: AnalyzeInputs,
  analyse: (inputs: AnalyzeInputs) => Promise<T>,
): Promise<T> {
  await checkInputKinds([
    ...named.consoles.map((path) => ({ kind: 'console' as const, path })),
    ...named.serverLogs.map((path) => ({ kind: 'server-log' as const, path })),
    ...(named.tftpRoot ? [{ kind: 'tftp-root' as const, path: named.tftpRoot }] : []),
  ]);
  const ticket = await openTicketInputs(given, named, warn);
  try {
    // Folders' files were taken by their content; a file given by name is checked against what it was given as.
    await checkInputKinds(
      ticket.inputs.captures.filter((c) => given.includes(c)).map((path) => ({ kind: 'capture' as const, path })),
    );
    return await analyse(ticket.inputs);
  } finally {
    await ticket.cleanup();
  }
}

/** An analysis of no phone is refused when --phone named one, or when nothing was said but that inputs were not understood. */
function refuseNothingAnalysed(
  setup: AnalysisSetup,
  phoneCount: number,
  findings: Iterable<Finding>,
  inputs: AnalyzeInputs,
): void {
  if (phoneCount > 0) return;
  if (setup.phone) {
    throw new InputError(
      `--phone ${setup.phone.canonical}: no phone with this MAC is in the inputs, ` +
        `so nothing was analysed (run without --phone to see the phones there are).`,
    );
  }
  if ([...findings].every((f) => f.id === 'INPUT_NOT_UNDERSTOOD')) throw new InputError(nothingAnalysed(inputs));
}

/** `--each`: every input on its own, then the summary; the exit code is the worst of all. */
async function analyzeEach(
  given: readonly string[],
  options: AnalyzeOptions,
  setup: AnalysisSetup,
  format: Format,
  color: boolean,
): Promise<number> {
  if (options.console.length || options.serverLog.length || options.tftpRoot) {
    throw new InputError(
      '--each analyses each capture or ticket folder on its own: put the console and server logs ' +
        'and the TFTP root in the folders instead of --console, --server-log and --tftp-root.',
    );
  }
  if (given.length === 0)
    throw new InputError('--each needs the captures, ticket folders or archives to analyse one by one.');
  if (format === 'html' && !options.out)
    throw new InputError('--each --format html writes one page per input: give --out DIR for them.');
  if (options.out) makeFolder(options.out, 'the --out folder');
  const names = ticketNames(given);
  const rows: TicketRow[] = [];
  const reports: { input: string; report: Analysis['report'] }[] = [];
  for (const [i, input] of given.entries()) {
    const out = options.out ? path.join(options.out, names[i]!) : undefined;
    try {
      const { analysis, exitCode } = await analyzeTicket(
        [input],
        { captures: [], consoles: [], serverLogs: [] },
        setup,
        out,
        (analysis) => {
          if (format === 'json') reports.push({ input, report: analysis.report });
          else if (!options.out) {
            const text = options.quiet ? renderVerdictLines(analysis, { color }) : RENDER[format](analysis, color);
            process.stdout.write(`${i > 0 ? '\n' : ''}${text}`);
          }
        },
      );
      rows.push(ticketRow(input, analysis, exitCode, out));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      warn(error.message);
      rows.push(unreadableRow(input, error.message));
    }
  }
  process.stdout.write(
    format === 'json'
      ? `${jsonText({ analyses: reports, summary: rows }, 2)}\n`
      : `\n${renderSummary(rows, format === 'md' ? 'md' : 'text')}`,
  );
  return Math.max(...rows.map((r) => r.exitCode));
}

/** Inputs were read and none showed a phone or a problem: say so rather than "0 errors". */
function nothingAnalysed(inputs: AnalyzeInputs): string {
  const what = [
    ...inputs.captures.map((c) => `${c} holds no DHCP or TFTP traffic of a Cisco phone`),
    ...inputs.consoles.map((c) => `${c} names no phone`),
    ...inputs.serverLogs.map((c) => `${c} holds no request of a phone that phonedoc understands`),
    ...(inputs.tftpRoot ? [`${inputs.tftpRoot} names no phone`] : []),
  ];
  return `nothing was analysed: ${what.join('; ')}.`;
}

function seconds(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new InputError(`${option} "${text}" is not a number of seconds (e.g. 3600 or -12.5).`);
  return n;
}
