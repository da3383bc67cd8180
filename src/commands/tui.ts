/**
 * `phonedoc tui`: the bench screen an engineer leaves open while the phone reboots: the
 * phone's console (serial, telnet or a saved log), its DHCP/TFTP traffic (live or a saved
 * capture), the TFTP server's log and root, and the diagnosis on one screen. With no source
 * it replays the bundled sample and says so.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { Option } from 'commander';
import { isoMillis } from '../../parsers/time/iso.js';
import type { Command } from 'commander';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import type { Mac } from '../../parsers/provisioning/file-names.js';
import { stablePathOf } from '../console/ports.js';
import { openFailureSentence, serialEndpoint } from '../console/serial-link.js';
import { readSerialSettings, type SerialSettingsInput } from '../console/serial-settings.js';
import { readTelnetAddress, telnetEndpoint } from '../console/telnet-link.js';
import { fileSystemReason, makeFolder, refuseKernelFolder, refuseOutputFolder } from '../extract/output-folders.js';
import type { AnalyzeInputs } from '../engine/input-events.js';
import { InputError } from '../exit-codes.js';
import type { CaptureProgram } from '../sources/live-capture.js';
import { SERVER_LOG_FORMATS } from '../sources/server-log-file.js';
import { bundledSampleBanner, bundledSampleInputs, hasInputs } from '../tui/inputs.js';
import { REFRESH_MS, TuiScreen, terminalName } from '../tui/screen.js';
import type { TuiHandlers } from '../tui/screen.js';
import type { LiveConsole } from '../tui/session.js';
import { savedSessionInputs } from '../tui/saved-session.js';
import { TuiSession } from '../tui/session.js';
import { initialState } from '../tui/state.js';
import { useColor } from '../views/colours.js';
import { messageLine } from '../views/escape.js';
import type { ColorWhen } from '../views/colours.js';
import { writeTicketBundle } from '../views/ticket-bundle.js';
import { PHONEDOC_VERSION } from '../version.js';
import { addSerialOptions, repeat } from './shared-options.js';

interface TuiOptions extends SerialSettingsInput {
  readonly port?: string;
  readonly telnet?: string;
  readonly consoleFile: readonly string[];
  readonly iface?: string;
  readonly captureProgram: CaptureProgram;
  readonly capture: readonly string[];
  readonly serverLog: readonly string[];
  readonly tftpRoot?: string;
  readonly replay?: boolean;
  readonly speed?: string;
  readonly phone?: string;
  readonly sessionDir?: string;
  readonly session?: string;
  readonly exportDir?: string;
}

export function registerTuiCommand(program: Command): void {
  addSerialOptions(program.command('tui'))
    .description(
      "The bench screen: the phone's console, its DHCP/TFTP traffic (live or saved) and the diagnosis on one screen; selecting a finding highlights its evidence. With no source, replays the bundled sample.",
    )
    .option('--port <path>', "the phone's serial console (reconnects when the adapter comes back)")
    .option('--telnet <host[:port]>', "the SIP firmware's telnet CLI instead of a serial port")
    .option('--console-file <file>', 'a recorded console log (repeatable)', repeat, [] as string[])
    .option('--iface <interface>', 'capture live on this interface (tcpdump; the bytes are kept in the session folder)')
    .addOption(
      new Option('--capture-program <program>', 'the live capture program')
        .choices(['tcpdump', 'dumpcap'])
        .default('tcpdump'),
    )
    .option('--capture <file>', 'a pcap or pcapng capture (repeatable)', repeat, [] as string[])
    .option(
      '--server-log <file>',
      `a DHCP- or TFTP-server log, followed as it grows (repeatable): ${SERVER_LOG_FORMATS}`,
      repeat,
      [] as string[],
    )
    .option('--tftp-root <dir>', 'the directory the TFTP server serves: linted at start and when its files change')
    .option(
      '--session <dir>',
      'reopen a saved session folder or a ticket bundle: its captures, console and server logs and TFTP root, replayed as they were',
    )
    .option('--replay', 'play the saved capture, console logs and server logs with their original timing')
    .option('--speed <x>', 'replay speed: 2 plays twice as fast, 0 without pauses (default 1)')
    .option('--phone <mac>', 'only this phone (and the live capture follows it): 000E84C060A6 or 00:0e:84:c0:60:a6')
    .option(
      '--session-dir <dir>',
      'where the live console log, the capture and ticket bundles are kept (default: a new folder under ~/.local/state/phonedoc/sessions; a temporary folder when that cannot be made)',
    )
    .option('--export-dir <dir>', 'where e writes ticket bundles (default: the session folder)')
    .action(async (_options: TuiOptions, command: Command) => {
      await runTui(command.optsWithGlobals<TuiOptions & { readonly color?: ColorWhen }>());
    });
}

/** What the options ask for, checked: the phone, the replay speed, the sources. */
interface TuiPlan {
  readonly phone: Mac | undefined;
  readonly speed: number;
  readonly liveConsole: LiveConsole | undefined;
  readonly inputs: AnalyzeInputs;
  /** No source given: the bundled sample, replayed. */
  readonly sample: boolean;
  readonly replay: boolean;
  /** A live console or a live capture. */
  readonly live: boolean;
}

function planTui(options: TuiOptions): TuiPlan {
  if (!process.stdout.isTTY || !process.stdin.isTTY)
    throw new InputError(
      'tui needs a terminal on standard input and output; for a report in a file or a pipe use "phonedoc analyze".',
    );
  const phone = options.phone === undefined ? undefined : parseMac(options.phone);
  if (options.phone !== undefined && !phone)
    throw new InputError(
      `--phone "${options.phone}" is not a MAC address: give 12 hex digits (000E84C060A6) or 00:0e:84:c0:60:a6.`,
    );
  const speed = options.speed === undefined ? 1 : Number(options.speed);
  if (!Number.isFinite(speed) || speed < 0)
    throw new InputError(
      `--speed "${options.speed}" is not a speed: give a number such as 1, 2 or 0.5 (0: no pauses).`,
    );
  const liveConsole = consoleOf(options);
  const saved = options.session === undefined ? undefined : savedSessionInputs(options.session);
  const given: AnalyzeInputs = saved ?? {
    captures: options.capture,
    consoles: options.consoleFile,
    serverLogs: options.serverLog,
    ...(options.tftpRoot ? { tftpRoot: options.tftpRoot } : {}),
  };
  const sample = !hasInputs(given) && !liveConsole && !options.iface;
  return {
    phone,
    speed,
    liveConsole,
    inputs: sample ? bundledSampleInputs() : given,
    sample,
    replay: options.replay === true || sample || saved !== undefined,
    live: liveConsole !== undefined || options.iface !== undefined,
  };
}

async function runTui(options: TuiOptions & { readonly color?: ColorWhen }): Promise<void> {
  const plan = planTui(options);
  let screen: TuiScreen | undefined;
  // Notices before the screen stands (a session folder that could not be made) are shown once it does.
  const early: string[] = [];
  const notify = (text: string): void => {
    if (screen) screen.notify(text);
    else early.push(text);
  };
  // A replay needs a session folder only when a ticket is exported.
  let sessionDir = plan.live ? makeSessionDir(options.sessionDir ?? defaultSessionDir(), notify) : undefined;
  const exportBase = (): string => {
    if (options.exportDir) return options.exportDir;
    sessionDir ??= makeSessionDir(options.sessionDir ?? defaultSessionDir(), notify);
    return sessionDir;
  };
  const session = new TuiSession({
    inputs: plan.inputs,
    sessionDir: sessionDir ?? '.',
    ...(plan.liveConsole ? { console: plan.liveConsole } : {}),
    ...(options.iface ? { iface: options.iface } : {}),
    // The bundled sample is replayed as it happened, so the screen fills the way it does at the bench.
    captureProgram: options.captureProgram,
    ...(plan.replay ? { replay: { speed: plan.speed } } : {}),
    engine: { version: PHONEDOC_VERSION, ...(plan.phone ? { phone: plan.phone } : {}) },
    onAnalysis: (analysis) => screen?.setAnalysis(analysis),
    onSources: (sources) => screen?.setSources(sources),
    onNotice: notify,
    onNote: (note) => screen?.addNote(note),
  });
  let quit: () => void = () => undefined;
  const quitted = new Promise<void>((resolve) => {
    quit = resolve;
  });
  const state = initialState(
    session.analysis(),
    [],
    plan.sample ? bundledSampleBanner() : undefined,
    plan.liveConsole !== undefined,
  );
  const terminal = { input: process.stdin, output: process.stdout, terminal: terminalName(process.env.TERM) };
  const handlers = screenHandlers(session, plan.replay, exportBase, () => quit());
  const shown = new TuiScreen(terminal, state, handlers, REFRESH_MS, useColor(options.color, process.stdout));
  screen = shown;
  for (const text of early) shown.notify(text);
  process.once('SIGTERM', () => quit());
  process.once('SIGHUP', () => quit());
  session.start();
  await quitted;
  shown.destroy();
  await session.stop();
  for (const source of shown.current.sources)
    if (source.state === 'failed' && source.detail)
      process.stderr.write(messageLine(`${source.name}: ${source.detail}`));
  if (sessionDir) process.stderr.write(messageLine(`session files in ${sessionDir}`));
  // The serial port and timers of the sources are closed; nothing else keeps the process.
  process.stdin.pause();
}

/** What the screen's keys do in this session: export a ticket, type to the console, steer a replay, quit. */
function screenHandlers(session: TuiSession, replay: boolean, exportBase: () => string, quit: () => void): TuiHandlers {
  return {
    exportBundle: async (analysis) => {
      const dir = path.resolve(exportBase(), `phonedoc-ticket-${stamp()}`);
      const bundle = await writeTicketBundle(dir, await session.analysisForExport(analysis), session.bundleInputs());
      return `ticket bundle: ${bundle.files.length} files in ${dir}${bundle.problems.length ? `; ${bundle.problems[0]}` : ''}`;
    },
    sendLine: (text) => session.sendLine(text),
    sendBreak: () => session.sendBreak(),
    mark: (text) => Promise.resolve(session.mark(text)),
    ...(replay
      ? {
          replay: {
            position: () => session.replayPosition(),
            setPaused: (paused: boolean) => session.setReplayPaused(paused),
            step: () => session.stepReplay(),
            seek: (seconds: number) => session.seekReplay(seconds),
            seekBoot: (direction: 1 | -1, phone?: string) => session.seekBoot(direction, phone),
          },
        }
      : {}),
    quit,
  };
}

function consoleOf(options: TuiOptions): LiveConsole | undefined {
  if (options.port !== undefined && options.telnet !== undefined)
    throw new InputError('Give --port or --telnet, not both.');
  if (options.telnet !== undefined) return { endpoint: telnetEndpoint(readTelnetAddress(options.telnet)) };
  if (options.port === undefined) return undefined;
  const settings = readSerialSettings(options);
  if (!existsSync(options.port)) throw new InputError(openFailureSentence(options.port, settings, 'ENOENT'));
  return { endpoint: serialEndpoint(stablePathOf(options.port), settings), baudRate: settings.baudRate };
}

function stamp(): string {
  return isoMillis(Date.now() / 1000)
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** The session folder, made; when it cannot be, a new temporary folder, and `notice` says where and why. */
export function makeSessionDir(wanted: string, notice: (text: string) => void): string {
  // A folder on /proc or /sys is refused, not replaced by a temporary one.
  refuseKernelFolder(wanted, 'the session folder');
  try {
    refuseOutputFolder(wanted, 'the session folder');
    makeFolder(wanted, 'the session folder');
    return path.resolve(wanted);
  } catch (error) {
    const why = (error as Error).message.replace(/\.$/, '');
    let fallback: string;
    try {
      fallback = mkdtempSync(path.join(tmpdir(), 'phonedoc-session-'));
    } catch (again) {
      throw new InputError(
        `Neither the session folder ${wanted} (${why}) nor a temporary folder in ${tmpdir()} (${fileSystemReason(again)}) could be made: give a writable folder with --session-dir.`,
      );
    }
    notice(`${why}; this session's files go to ${fallback} instead.`);
    return fallback;
  }
}

function defaultSessionDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state');
  return path.join(state, 'phonedoc', 'sessions', stamp());
}
