/**
 * `phonedoc console`: the phone's serial console or telnet CLI as an interactive terminal,
 * every line timestamped into a log; `--replay` plays such a log back.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isoMillis } from '../../parsers/time/iso.js';
import { readWholeLog } from '../sources/text-file.js';
import type { Command } from 'commander';
import { InputError } from '../exit-codes.js';
import { refuseKernelFolder } from '../extract/output-folders.js';
import { ESCAPE_KEY_NAME } from '../console/key-menu.js';
import { NO_PORTS_TEXT, listSerialPorts, stablePathOf } from '../console/ports.js';
import { checkConsoleLogFile, defaultConsoleDir, defaultLogFile, openRecorder } from '../console/recorder.js';
import { receivedConsoleBytes } from '../console/received-bytes.js';
import { replayConsoleLog } from '../console/replay.js';
import { createScreen } from '../console/screen.js';
import { openFailureSentence, serialEndpoint } from '../console/serial-link.js';
import { describeSettings, readSerialSettings } from '../console/serial-settings.js';
import type { SerialSettings, SerialSettingsInput } from '../console/serial-settings.js';
import { ConsoleSession } from '../console/session.js';
import { readTelnetAddress, telnetEndpoint } from '../console/telnet-link.js';
import { runConsoleTerminal } from '../console/terminal.js';
import type { ConsoleEndpoint } from '../console/transport.js';
import { OpenFailure } from '../console/transport.js';
import { useColor, type ColorWhen } from '../views/colours.js';
import { messageLine, terminalText } from '../views/escape.js';
import { addSerialOptions, repeat } from './shared-options.js';

interface ConsoleOptions extends SerialSettingsInput {
  readonly port?: string;
  readonly log?: string;
  readonly telnet?: string;
  readonly passwordEnv?: string;
  readonly send: readonly string[];
  readonly prompt: readonly string[];
  readonly replay?: string;
  readonly speed?: string;
  readonly raw?: boolean;
  /** The global --color. */
  readonly color?: ColorWhen;
}

export function registerConsoleCommand(program: Command): void {
  addSerialOptions(program.command('console'))
    .description(
      `Talk to the phone's serial console (or its telnet CLI): keys go to the phone as typed, ${ESCAPE_KEY_NAME} opens a menu ` +
        '(quit, break, timestamps, hex view, local echo, Enter mapping); every line is logged with its UTC time; ' +
        'an unplugged adapter is waited for and reopened.',
    )
    .option(
      '--port <path>',
      'serial port, best its /dev/serial/by-id/ name (default: the only port "phonedoc ports" lists)',
    )
    .option(
      '--log <file>',
      'console log (default: a file per session in $PHONEDOC_CONSOLE_DIR, else $XDG_STATE_HOME/phonedoc/console, else ~/.local/state/phonedoc/console)',
    )
    .option('--telnet <host[:port]>', "the SIP firmware's telnet CLI instead of a serial port (port 23 unless given)")
    .option(
      '--password-env <var>',
      'environment variable holding the phone_password, sent when the phone asks "Password :"',
    )
    .option(
      '--send <command>',
      'a command sent after connecting, when the phone shows a prompt or goes quiet (repeatable)',
      repeat,
      [] as string[],
    )
    .option(
      '--prompt <phone_prompt>',
      'the phone_prompt configured on the phone, so its prompt is recognised (repeatable)',
      repeat,
      [] as string[],
    )
    .option('--replay <file>', 'play a recorded console log with its original timing instead of connecting')
    .option('--speed <x>', 'replay speed: 2 plays twice as fast, 0 without pauses (default 1)')
    .option('--raw', 'with --replay: write the bytes the phone sent, exactly as received, to standard output')
    .action(async (_options: ConsoleOptions, command: Command) => {
      const options = command.optsWithGlobals<ConsoleOptions>();
      if (options.raw && options.replay === undefined)
        throw new InputError('--raw gives back the bytes of a recorded log: give it with --replay FILE.');
      if (options.replay !== undefined) await (options.raw ? writeReceivedBytes(options) : replay(options));
      else await live(options);
    });
}

async function replay(options: ConsoleOptions): Promise<void> {
  const file = options.replay as string;
  if (options.port !== undefined || options.telnet !== undefined)
    throw new InputError('--replay plays a log: give it without --port or --telnet.');
  const speed = options.speed === undefined ? 1 : Number(options.speed);
  if (!Number.isFinite(speed) || speed < 0)
    throw new InputError(
      `--speed "${options.speed}" is not a speed: give a number such as 1, 2 or 0.5 (0: no pauses).`,
    );
  // The one reader of logs: the cap, pipes, devices refused, UTF-16 and UTF-32.
  const { text } = await readWholeLog(file, 'console log');
  const screen = terminalScreen(options.color);
  const stop = stopOnSignals();
  let result: Awaited<ReturnType<typeof replayConsoleLog>>;
  try {
    result = await replayConsoleLog(text, {
      screen: screen.screen,
      speed,
      parser: { phonePrompts: options.prompt },
      signal: stop.signal,
    });
  } finally {
    screen.close();
    stop.release();
  }
  process.stdout.write(
    `${result.complete ? 'replayed' : 'stopped after'} ${result.lines} lines of ${terminalText(file)}\n`,
  );
}

/** `--replay FILE --raw`: the bytes the phone sent, as received, to standard output. */
async function writeReceivedBytes(options: ConsoleOptions): Promise<void> {
  const file = options.replay as string;
  if (options.port !== undefined || options.telnet !== undefined || options.speed !== undefined)
    throw new InputError("--replay --raw writes a log's bytes at once: give it without --port, --telnet or --speed.");
  if (process.stdout.isTTY)
    throw new InputError(
      "--raw writes the phone's bytes as received, control bytes included, which would act on this terminal: " +
        'send standard output to a file (> bytes.bin) or a program.',
    );
  const { text, encoding } = await readWholeLog(file, 'console log');
  const received = receivedConsoleBytes(text, encoding === 'latin1' ? 'latin1' : 'utf8');
  if (received.guessedEnds)
    process.stderr.write(
      messageLine(
        `${file}: ${received.guessedEnds.count} of ${received.lines} lines (the first at line ${received.guessedEnds.firstLine}) ` +
          'were recorded without their line ends (a log from before phonedoc kept them, or not in its escaped form): ' +
          'each is given back ending in LF, so this is not exactly what the phone sent.',
      ),
    );
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(received.bytes, (error) => (error ? reject(error) : resolve())),
  );
}

async function live(options: ConsoleOptions): Promise<void> {
  if (options.telnet !== undefined && options.port !== undefined)
    throw new InputError('Give --port or --telnet, not both.');
  refuseKernelFolder(path.dirname(options.log ?? defaultConsoleDir()), 'the console log folder');
  const appending = options.log === undefined ? undefined : checkConsoleLogFile(options.log);
  const password = readPassword(options.passwordEnv);
  let endpoint: ConsoleEndpoint;
  let settings: SerialSettings | undefined;
  if (options.telnet !== undefined) {
    endpoint = telnetEndpoint(readTelnetAddress(options.telnet));
  } else {
    settings = readSerialSettings(options);
    const port = options.port ?? onlyPort();
    if (!existsSync(port)) throw new InputError(openFailureSentence(port, settings, 'ENOENT'));
    endpoint = serialEndpoint(stablePathOf(port), settings);
  }
  const screen = terminalScreen(options.color);
  if (appending !== undefined) screen.screen.notice(appending);
  screen.screen.notice(
    settings
      ? `${endpoint.label} at ${describeSettings(settings)} (the 7940/7960 console settings are not documented: ` +
          'change them with --baud, --data-bits, --parity, --stop-bits, --flow)'
      : `telnet to ${endpoint.label}`,
  );
  const stop = stopOnSignals();
  const keys = process.stdin;
  if (keys.isTTY) keys.setRawMode(true);
  keys.resume();
  let closed = false;
  try {
    const session = new ConsoleSession({
      endpoint,
      openRecorder: (startedAt) => {
        const file = options.log ?? defaultLogFile(defaultConsoleDir(), endpoint.logName, startedAt);
        try {
          return openRecorder(file, { ...endpoint.logFields, started: isoMillis(startedAt / 1000) }, startedAt);
        } catch (err) {
          if (err instanceof InputError) throw err;
          throw new InputError(
            `${file}: cannot write the console log (${(err as NodeJS.ErrnoException).code ?? String(err)}); give another file with --log.`,
          );
        }
      },
      parser: { phonePrompts: options.prompt },
      ...(password !== undefined ? { password } : {}),
      send: options.send,
      ...(settings ? { baudRate: settings.baudRate } : {}),
      signal: stop.signal,
    });
    const result = await runConsoleTerminal(session, screen.screen, keys);
    screen.close();
    closed = true;
    process.stdout.write(`phonedoc console: ${result.lines} lines logged in ${terminalText(result.logFile)}\n`);
  } catch (err) {
    if (err instanceof OpenFailure) throw new InputError(err.message);
    throw err;
  } finally {
    if (!closed) screen.close();
    if (keys.isTTY) keys.setRawMode(false);
    keys.pause();
    stop.release();
  }
}

function readPassword(variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const value = process.env[variable];
  if (value === undefined) {
    throw new InputError(
      `--password-env ${variable}: the environment variable ${variable} is not set; set it first (read -rs ${variable}; export ${variable}).`,
    );
  }
  return value;
}

function onlyPort(): string {
  const ports = listSerialPorts();
  const [only] = ports;
  if (only && ports.length === 1) return only.stablePath ?? only.device;
  if (ports.length === 0) throw new InputError(`${NO_PORTS_TEXT} Or give --port PATH, or --telnet HOST.`);
  throw new InputError(
    `Several serial ports are here; choose one with --port: ${ports.map((p) => p.stablePath ?? p.device).join(', ')}.`,
  );
}

function terminalScreen(color: ColorWhen | undefined): { screen: ReturnType<typeof createScreen>; close(): void } {
  const out = process.stdout;
  const screen = createScreen({
    out,
    tty: out.isTTY === true,
    rows: out.rows ?? 24,
    columns: out.columns ?? 80,
    colour: useColor(color, out),
  });
  const onResize = (): void => screen.resize(out.rows, out.columns);
  out.on('resize', onResize);
  return {
    screen,
    close: () => {
      out.off('resize', onResize);
      screen.close();
    },
  };
}

/** SIGINT, SIGTERM and SIGHUP end the session cleanly (the log closed, the terminal restored). */
function stopOnSignals(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, stop);
  return {
    signal: controller.signal,
    release: () =>
      signals.forEach((s) => {
        process.off(s, stop);
      }),
  };
}
