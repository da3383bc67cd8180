/**
 * One console session: the link's bytes through the line splitter to the log, the console
 * parser and the screen; typed keys to the phone or the escape menu; a lost link waited
 * for and reopened, with the gap marked in the log.
 */
import type { ConsoleEvent } from '../../parsers/console/events.js';
import type { SplitLine } from '../../parsers/console/line-splitter.js';
import { createLineSplitter } from '../../parsers/console/line-splitter.js';
import type { ConsoleParserOptions } from '../../parsers/console/parse.js';
import { isoMillis } from '../../parsers/time/iso.js';
import { createConsoleParser } from '../../parsers/console/parse.js';
import { InputError } from '../exit-codes.js';
import { createBaudCheck } from './baud-check.js';
import type { KeyAction, MenuCommand } from './key-menu.js';
import { ENTER_WORDS, ESCAPE_KEY_NAME, createKeyMenu, enterBytes, mapEnter, menuText, nextEnter } from './key-menu.js';
import type { PhoneStatus } from './phone-status.js';
import { foldPhoneStatus, phoneStatusText } from './phone-status.js';
import { reconnect } from './reconnect.js';
import type { ConsoleRecorder } from './recorder.js';
import type { ConsoleScreen } from './screen.js';
import type { ConsoleEndpoint, ConsoleLink, EnterMapping, LinkHandlers } from './transport.js';

export interface ConsoleSessionOptions {
  readonly endpoint: ConsoleEndpoint;
  /** Opened once the first connection stands (a port that cannot be opened leaves no empty log). */
  readonly openRecorder: (startedAt: number) => ConsoleRecorder;
  readonly screen: ConsoleScreen;
  /** Typed keys (stdin). */
  readonly keys?: NodeJS.ReadableStream;
  readonly parser?: ConsoleParserOptions;
  /** The phone's login password (phone_password), sent when it asks `Password :`. */
  readonly password?: string;
  /** Commands sent once, in order, after connecting: each when the phone shows a prompt or goes quiet. */
  readonly send?: readonly string[];
  readonly enter?: EnterMapping;
  /** Used for the wrong-baud-rate hint (serial only). */
  readonly baudRate?: number;
  readonly reconnectIntervalMs?: number;
  readonly idleMs?: number;
  readonly maxLineBytes?: number;
  /** Ends the session (SIGINT/SIGTERM in the CLI). */
  readonly signal?: AbortSignal;
  /** Every console line, with the event it became (tests, the engine). */
  readonly onEvent?: (event: ConsoleEvent, line: SplitLine) => void;
  /** Called once the first connection stands, with what a caller other than the keyboard can do (the TUI's keys). */
  readonly onControl?: (control: ConsoleControl) => void;
  readonly clock?: () => number;
}

/** A running session driven from outside the keyboard stream. */
export interface ConsoleControl {
  /**
   * Sends `text` and the Enter mapping to the phone and logs it (`# phonedoc console sent
   * text=… time=…`); returns the log's line, or undefined when not connected.
   */
  sendLine(text: string, at: number): ConsoleLogMark | undefined;
  /** Rejects with the port's reason when the break cannot be sent or the link is down. */
  sendBreak(): Promise<void>;
  /** Logs the engineer's note (`# phonedoc console marker note=… time=…`) at the time given. */
  mark(note: string, at: number): ConsoleLogMark | undefined;
}

/** A line the session wrote into its log: its number and its `key=value` words (the time too: header lines are read without their stamp). */
export interface ConsoleLogMark {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Its `time=` word, in seconds since the epoch. */
  readonly time: number;
}

export interface ConsoleSessionResult {
  readonly logFile: string;
  readonly lines: number;
  readonly reconnects: number;
}

/** An idle timer later than this did not measure the phone's silence but our own delay. */
const LATE_TIMER_MS = 50;
/** Quiet time after which the next `--send` command goes even without a prompt. */
const SEND_QUIET_MS = 1000;

/** A clock that never goes back (the wall clock may be stepped by NTP): line times stay in order. */
function monotonicClock(clock: () => number): () => number {
  let last = 0;
  return () => {
    last = Math.max(last, clock());
    return last;
  };
}

/** Runs until the user quits from the menu or the signal fires; rejects with the first connection's OpenFailure. */
export async function runConsoleSession(options: ConsoleSessionOptions): Promise<ConsoleSessionResult> {
  const { endpoint, screen } = options;
  const now = monotonicClock(options.clock ?? Date.now);
  const splitter = createLineSplitter({
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
    ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
  });
  const parser = createConsoleParser(options.parser ?? {});
  const baudCheck = options.baudRate !== undefined ? createBaudCheck(options.baudRate) : undefined;
  const menu = createKeyMenu();
  const sendQueue = [...(options.send ?? [])];
  let enter: EnterMapping = options.enter ?? endpoint.defaultEnter;
  let localEcho = false;
  let timestamps = true;
  let hex = false;
  let status: PhoneStatus = {};
  let link: ConsoleLink | undefined;
  let recorder: ConsoleRecorder | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let sendTimer: NodeJS.Timeout | undefined;
  let lines = 0;
  let reconnects = 0;
  let lostAt = 0;
  let passwordSent = false;
  let finished = false;
  const waiting = new AbortController();
  let quit: () => void = () => undefined;
  /** Why the session stopped on its own (the log could not be written), if it did. */
  let failure: InputError | undefined;
  const done = new Promise<void>((resolve) => {
    quit = resolve;
  });

  const showStatus = (): void => {
    const phone = phoneStatusText(status);
    const line = link ? `${endpoint.label} ${endpoint.settings}` : `DISCONNECTED, waiting for ${endpoint.label}`;
    screen.status([line, phone || 'phone not identified yet', `${ESCAPE_KEY_NAME} menu`].join(' · '));
  };

  function takeLine(line: SplitLine): void {
    if (!recorder || failure) return;
    const log = recorder;
    const number = record(() => log.line(line.text, line.firstByteAt));
    if (number === undefined) return;
    lines++;
    const event = parser.parse({ line: number, text: line.text, hostTime: line.firstByteAt / 1000 });
    screen.line(line, event.kind);
    const before = phoneStatusText(status);
    status = foldPhoneStatus(status, event);
    if (phoneStatusText(status) !== before) showStatus();
    options.onEvent?.(event, line);
    if (event.kind === 'prompt') {
      if (event.recogniser === 'password-prompt' && options.password !== undefined) {
        // Once per connection: a second prompt means the password was refused, and sending
        // it again would only repeat that.
        if (passwordSent) {
          screen.notice(
            'the phone asks for the password again: the one given was refused (phone_password in its configuration); type it yourself',
          );
        } else {
          passwordSent = true;
          link?.write(new TextEncoder().encode(options.password));
          link?.write(enterBytes(enter));
        }
      } else {
        sendNext();
      }
    }
  }

  /** A write to the log; when it fails (disk full, folder gone) the session stops and says why. */
  function record<T>(write: () => T): T | undefined {
    if (!recorder || failure) return undefined;
    try {
      return write();
    } catch (err) {
      failure = new InputError(
        `The console log ${recorder.file} cannot be written (${err instanceof Error ? err.message : String(err)}): the session stopped; free some space or give another file with --log.`,
      );
      quit();
      return undefined;
    }
  }

  function logMark(event: 'sent' | 'marker', fields: Record<string, string>, at: number): ConsoleLogMark | undefined {
    const log = recorder;
    const line = log ? record(() => log.mark(event, fields, at)) : undefined;
    return log && line !== undefined
      ? { file: log.file, line, text: `# phonedoc console ${event}`, fields, time: at / 1000 }
      : undefined;
  }

  function sendNext(): void {
    clearTimeout(sendTimer);
    const command = sendQueue.shift();
    if (command === undefined || !link) return;
    screen.notice(`sending "${command}"`);
    link.write(new TextEncoder().encode(command));
    link.write(enterBytes(enter));
    if (sendQueue.length > 0) sendTimer = setTimeout(sendNext, SEND_QUIET_MS);
  }

  function armIdle(): void {
    clearTimeout(idleTimer);
    const deadline = splitter.idleDeadline();
    if (deadline === undefined) return;
    idleTimer = setTimeout(
      () => {
        // A timer that fires late means this process was held up: bytes that arrived
        // meanwhile may still wait to be read, so let reading catch up before deciding.
        if (now() - deadline > LATE_TIMER_MS) idleTimer = setTimeout(() => flushIfIdle(deadline), LATE_TIMER_MS);
        else flushIfIdle(deadline);
      },
      Math.max(0, deadline - now()),
    );
  }

  function flushIfIdle(deadline: number): void {
    const line = splitter.idleDeadline() === deadline ? splitter.flushIdle(now()) : undefined;
    if (line) takeLine(line);
    else armIdle();
  }

  const handlers: LinkHandlers = {
    data(chunk) {
      if (finished) return;
      const at = now();
      const hint = baudCheck?.feed(chunk);
      for (const line of splitter.push(chunk, at)) takeLine(line);
      if (hint) screen.notice(hint);
      screen.pending(splitter.pendingText(), at);
      armIdle();
      if (sendQueue.length > 0) {
        clearTimeout(sendTimer);
        sendTimer = setTimeout(sendNext, SEND_QUIET_MS);
      }
    },
    lost(why) {
      if (finished) return;
      link = undefined;
      clearTimeout(idleTimer);
      const rest = splitter.end();
      if (rest) takeLine(rest);
      lostAt = now();
      record(() => recorder?.mark('disconnected', { why }, lostAt));
      screen.notice(`disconnected, waiting for ${endpoint.label} (${why}); the log stays open`);
      showStatus();
      void reconnect(endpoint, handlers, {
        ...(options.reconnectIntervalMs !== undefined ? { intervalMs: options.reconnectIntervalMs } : {}),
        signal: waiting.signal,
        onWaiting: (reason) => screen.notice(`still waiting: ${reason}`),
      }).then((again) => {
        if (!again) return;
        link = again;
        passwordSent = false;
        reconnects++;
        const at = now();
        record(() => recorder?.mark('reconnected', { 'gap-ms': String(at - lostAt) }, at));
        screen.notice(`reconnected to ${endpoint.label} after ${((at - lostAt) / 1000).toFixed(1)} s`);
        showStatus();
      });
    },
  };

  function command(name: MenuCommand): void {
    switch (name) {
      case 'quit':
        quit();
        return;
      case 'break':
        if (!link) screen.notice('not connected: no break sent');
        else
          void link.sendBreak().then(
            () => screen.notice('break sent'),
            (err: unknown) =>
              screen.notice(`the break could not be sent: ${err instanceof Error ? err.message : String(err)}`),
          );
        return;
      case 'timestamps':
        timestamps = !timestamps;
        screen.setTimestamps(timestamps);
        screen.notice(`timestamps on screen ${timestamps ? 'on' : 'off'} (the log always has them)`);
        return;
      case 'hex':
        hex = !hex;
        screen.setHex(hex);
        screen.notice(`hex view ${hex ? 'on' : 'off'}`);
        return;
      case 'echo':
        localEcho = !localEcho;
        screen.notice(`local echo ${localEcho ? 'on' : 'off'}`);
        return;
      case 'enter':
        enter = nextEnter(enter);
        screen.notice(`the Enter key now sends ${ENTER_WORDS[enter]} to the phone`);
        return;
    }
  }

  function act(action: KeyAction): void {
    switch (action.kind) {
      case 'send': {
        if (!link) {
          screen.notice(`not connected: keys not sent (waiting for ${endpoint.label})`);
          return;
        }
        link.write(mapEnter(action.bytes, enter));
        if (localEcho) screen.echo(action.bytes);
        return;
      }
      case 'menu':
        for (const row of menuText({ enter, timestamps, hex, echo: localEcho })) screen.notice(row);
        return;
      case 'menu-closed':
        screen.notice('menu closed');
        return;
      case 'command':
        command(action.command);
        return;
    }
  }

  const onKeys = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    for (const action of menu.feed(bytes)) act(action);
  };

  // The first connection: an error here is the user's to fix (exit 2), not a wait.
  link = await endpoint.connect(handlers);
  const startedAt = now();
  try {
    recorder = options.openRecorder(startedAt);
  } catch (err) {
    await link.close();
    throw err;
  }
  screen.notice(
    `connected to ${endpoint.label} (${endpoint.settings}); log: ${recorder.file}${options.keys ? `; ${ESCAPE_KEY_NAME} opens the menu` : ''}`,
  );
  options.onControl?.({
    sendLine: (text, at) => {
      if (!link) return undefined;
      link.write(new TextEncoder().encode(text));
      link.write(enterBytes(enter));
      return logMark('sent', { text, time: isoMillis(at / 1000) }, at);
    },
    sendBreak: () =>
      link ? link.sendBreak() : Promise.reject(new Error(`not connected (waiting for ${endpoint.label})`)),
    mark: (note, at) => logMark('marker', { note, time: isoMillis(at / 1000) }, at),
  });
  showStatus();
  options.keys?.on('data', onKeys);
  options.signal?.addEventListener('abort', () => quit(), { once: true });
  if (options.signal?.aborted) quit();
  if (sendQueue.length > 0) sendTimer = setTimeout(sendNext, SEND_QUIET_MS);

  await done;
  finished = true;
  options.keys?.off('data', onKeys);
  waiting.abort();
  clearTimeout(idleTimer);
  clearTimeout(sendTimer);
  const rest = splitter.end();
  if (rest) takeLine(rest);
  await link?.close();
  record(() => recorder?.mark('closed', {}, now()));
  recorder.close();
  if (failure) throw failure;
  return { logFile: recorder.file, lines, reconnects };
}
