/**
 * One console session: the link's bytes through the line splitter to the log and the console
 * parser, each line handed to whoever subscribes (the `phonedoc console` screen, the TUI);
 * lines, breaks and markers sent on their behalf; a lost link waited for and reopened, with
 * the gap marked in the log.
 */
import { EventEmitter } from 'node:events';
import type { ConsoleEvent, ConsoleEventKind } from '../../parsers/console/events.js';
import type { LineSplitter, SplitLine } from '../../parsers/console/line-splitter.js';
import { createLineSplitter, lineEndText } from '../../parsers/console/line-splitter.js';
import type { ConsoleParser, ConsoleParserOptions } from '../../parsers/console/parse.js';
import { createConsoleParser } from '../../parsers/console/parse.js';
import { isoMillis } from '../../parsers/time/iso.js';
import { InputError } from '../exit-codes.js';
import type { BaudCheck } from './baud-check.js';
import { createBaudCheck } from './baud-check.js';
import { enterBytes, mapEnter, nextEnter } from './key-menu.js';
import type { PhoneStatus } from './phone-status.js';
import { foldPhoneStatus, phoneStatusText } from './phone-status.js';
import { reconnect } from './reconnect.js';
import type { ConsoleRecorder } from './recorder.js';
import { SendQueue } from './send-queue.js';
import type { ConsoleEndpoint, ConsoleLink, EnterMapping, LinkHandlers } from './transport.js';

export interface ConsoleSessionOptions {
  readonly endpoint: ConsoleEndpoint;
  /** Opened once the first connection stands (a port that cannot be opened leaves no empty log). */
  readonly openRecorder: (startedAt: number) => ConsoleRecorder;
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
  /** Ends the session (SIGINT/SIGTERM in the CLI, the TUI quitting). */
  readonly signal?: AbortSignal;
  readonly clock?: () => number;
}

/** Whether the link stands (else why it was lost), and what the console has said about the phone so far. */
export interface ConsoleStatus {
  readonly connected: boolean;
  readonly lostBecause?: string;
  readonly phone: PhoneStatus;
}

/** What a session emits, for its subscribers. */
export interface ConsoleSessionEvents {
  /** The line so far, as its bytes arrive (shown live on a terminal). */
  pending: [text: string, firstByteAt: number];
  /** A complete line, logged, with the kind of event it became (for a screen to draw). */
  line: [line: SplitLine, kind: ConsoleEventKind];
  /** The event the console parser made of that line (for the engine). */
  event: [event: ConsoleEvent, line: SplitLine];
  /** phonedoc's own words: settings, disconnects, hints. */
  notice: [text: string];
  /** The link came or went, or the phone's status changed. */
  status: [status: ConsoleStatus];
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

/** A clock that never goes back (the wall clock may be stepped by NTP): line times stay in order. */
function monotonicClock(clock: () => number): () => number {
  let last = 0;
  return () => {
    last = Math.max(last, clock());
    return last;
  };
}

/** The notice for the first connection: where the session is connected and where its log goes. */
export function connectedNotice(endpoint: ConsoleEndpoint, logFile: string): string {
  return `connected to ${endpoint.label} (${endpoint.settings}); log: ${logFile}`;
}

/**
 * `start()` connects (an error there is the user's to fix, not a wait) and opens the log;
 * `untilStopped()` then waits for `stop()`, the signal, or a log that cannot be written, and
 * closes the link and the log.
 */
export class ConsoleSession extends EventEmitter<ConsoleSessionEvents> {
  readonly endpoint: ConsoleEndpoint;
  private readonly now: () => number;
  private readonly splitter: LineSplitter;
  private readonly parser: ConsoleParser;
  private readonly baudCheck: BaudCheck | undefined;
  private readonly sendQueue: SendQueue;
  /** Calls off the wait for a lost link when the session stops. */
  private readonly waiting = new AbortController();
  private readonly stopRequested: Promise<void>;
  private requestStop: () => void = () => undefined;
  private enterMapping: EnterMapping;
  private phone: PhoneStatus = {};
  private link: ConsoleLink | undefined;
  private recorder: ConsoleRecorder | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly counts = { lines: 0, reconnects: 0 };
  /** Why the link was lost, until it is back. */
  private lostBecause: string | undefined;
  /** The password goes once per connection: a second prompt means it was refused. */
  private passwordSent = false;
  private stopped = false;
  /** Why the session stopped on its own (the log could not be written), if it did. */
  private failure: InputError | undefined;
  private readonly handlers: LinkHandlers = {
    data: (chunk) => this.received(chunk),
    lost: (why) => this.lost(why),
  };

  constructor(private readonly options: ConsoleSessionOptions) {
    super();
    this.endpoint = options.endpoint;
    this.now = monotonicClock(options.clock ?? Date.now);
    this.splitter = createLineSplitter({
      ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
      ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
    });
    this.parser = createConsoleParser(options.parser ?? {});
    this.baudCheck = options.baudRate !== undefined ? createBaudCheck(options.baudRate) : undefined;
    this.sendQueue = new SendQueue(options.send ?? [], (command) => this.sendCommand(command));
    this.enterMapping = options.enter ?? options.endpoint.defaultEnter;
    this.stopRequested = new Promise<void>((resolve) => {
      this.requestStop = resolve;
    });
  }

  /** Connects and opens the log; rejects with the endpoint's OpenFailure. Resolves with the log file. */
  async start(): Promise<string> {
    const link = await this.endpoint.connect(this.handlers);
    this.link = link;
    const startedAt = this.now();
    let recorder: ConsoleRecorder;
    try {
      recorder = this.options.openRecorder(startedAt);
    } catch (err) {
      await link.close();
      throw err;
    }
    this.recorder = recorder;
    this.options.signal?.addEventListener('abort', () => this.stop(), { once: true });
    if (this.options.signal?.aborted) this.stop();
    this.emitStatus();
    this.sendQueue.heard();
    return recorder.file;
  }

  /** Asks the session to end; `untilStopped()` finishes it. */
  stop(): void {
    this.requestStop();
  }

  /** After `start()`: waits until the session is asked to stop, then closes the link and the log; rejects when the log could not be written. */
  async untilStopped(): Promise<ConsoleSessionResult> {
    const recorder = this.recorder;
    if (!recorder) throw new Error('the console session was not started');
    await this.stopRequested;
    this.stopped = true;
    this.waiting.abort();
    clearTimeout(this.idleTimer);
    this.sendQueue.stop();
    const rest = this.splitter.end();
    if (rest) this.takeLine(rest);
    await this.link?.close();
    this.record(() => recorder.mark('closed', {}, this.now()));
    recorder.close();
    if (this.failure) throw this.failure;
    return { logFile: recorder.file, ...this.counts };
  }

  get connected(): boolean {
    return this.link !== undefined;
  }

  /** What the Enter key sends to the phone. */
  get enter(): EnterMapping {
    return this.enterMapping;
  }

  /** The Enter key sends the next line end of CR, LF, CR LF; returns it. */
  cycleEnter(): EnterMapping {
    this.enterMapping = nextEnter(this.enterMapping);
    return this.enterMapping;
  }

  /** Typed keys, to the phone as typed (Enter as the chosen line end); false when not connected. */
  typeKeys(keys: Uint8Array): boolean {
    if (!this.link) return false;
    this.link.write(mapEnter(keys, this.enterMapping));
    return true;
  }

  /**
   * Sends `text` and the Enter mapping to the phone and logs it (`# phonedoc console sent
   * text=… time=…`); returns the log's line, or undefined when not connected.
   */
  send(text: string, at: number): ConsoleLogMark | undefined {
    if (!this.writeLine(text)) return undefined;
    return this.logMark('sent', { text, time: isoMillis(at / 1000) }, at);
  }

  /** Rejects with the port's reason when the break cannot be sent or the link is down. */
  sendBreak(): Promise<void> {
    return this.link
      ? this.link.sendBreak()
      : Promise.reject(new Error(`not connected (waiting for ${this.endpoint.label})`));
  }

  /** Logs the engineer's note (`# phonedoc console marker note=… time=…`) at the time given. */
  mark(note: string, at: number): ConsoleLogMark | undefined {
    return this.logMark('marker', { note, time: isoMillis(at / 1000) }, at);
  }

  private emitStatus(): void {
    const link = this.link ? { connected: true } : { connected: false, lostBecause: this.lostBecause };
    this.emit('status', { ...link, phone: this.phone });
  }

  private writeLine(text: string): boolean {
    if (!this.link) return false;
    this.link.write(new TextEncoder().encode(text));
    this.link.write(enterBytes(this.enterMapping));
    return true;
  }

  private sendCommand(command: string): boolean {
    if (!this.link) return false;
    this.emit('notice', `sending "${command}"`);
    return this.writeLine(command);
  }

  private received(chunk: Uint8Array): void {
    if (this.stopped) return;
    const at = this.now();
    const hint = this.baudCheck?.feed(chunk);
    for (const line of this.splitter.push(chunk, at)) this.takeLine(line);
    if (hint) this.emit('notice', hint);
    this.emit('pending', this.splitter.pendingText(), at);
    this.armIdle();
    this.sendQueue.heard();
  }

  /** A complete line: logged, parsed, handed to the subscribers, and a prompt answered. */
  private takeLine(line: SplitLine): void {
    const recorder = this.recorder;
    if (!recorder || this.failure) return;
    const number = this.record(() => recorder.line(line.text, line.firstByteAt, lineEndText(line)));
    if (number === undefined) return;
    this.counts.lines++;
    const event = this.parser.parse({
      line: number,
      text: line.text,
      hostTime: line.firstByteAt / 1000,
    });
    this.emit('line', line, event.kind);
    const before = phoneStatusText(this.phone);
    this.phone = foldPhoneStatus(this.phone, event);
    if (phoneStatusText(this.phone) !== before) this.emitStatus();
    this.emit('event', event, line);
    if (event.kind === 'prompt') this.answerPrompt(event);
  }

  private answerPrompt(prompt: ConsoleEvent): void {
    const { password } = this.options;
    if (prompt.recogniser !== 'password-prompt' || password === undefined) {
      this.sendQueue.next();
    } else if (this.passwordSent) {
      // Sending it again would only repeat the refusal.
      this.emit(
        'notice',
        'the phone asks for the password again: the one given was refused (phone_password in its configuration); type it yourself',
      );
    } else {
      this.passwordSent = true;
      this.writeLine(password);
    }
  }

  /** A write to the log; when it fails (disk full, folder gone) the session stops and says why. */
  private record<T>(write: () => T): T | undefined {
    if (!this.recorder || this.failure) return undefined;
    try {
      return write();
    } catch (err) {
      this.failure = new InputError(
        `The console log ${this.recorder.file} cannot be written (${err instanceof Error ? err.message : String(err)}): the session stopped; free some space or give another file with --log.`,
      );
      this.stop();
      return undefined;
    }
  }

  private logMark(event: 'sent' | 'marker', fields: Record<string, string>, at: number): ConsoleLogMark | undefined {
    const recorder = this.recorder;
    const line = recorder ? this.record(() => recorder.mark(event, fields, at)) : undefined;
    return recorder && line !== undefined
      ? { file: recorder.file, line, text: `# phonedoc console ${event}`, fields, time: at / 1000 }
      : undefined;
  }

  /** A line the phone leaves open (a prompt) ends once it has been quiet for the splitter's idle time. */
  private armIdle(): void {
    clearTimeout(this.idleTimer);
    const deadline = this.splitter.idleDeadline();
    if (deadline === undefined) return;
    this.idleTimer = setTimeout(
      () => {
        // A timer that fires late means this process was held up: bytes that arrived
        // meanwhile may still wait to be read, so let reading catch up before deciding.
        if (this.now() - deadline > LATE_TIMER_MS)
          this.idleTimer = setTimeout(() => this.flushIfIdle(deadline), LATE_TIMER_MS);
        else this.flushIfIdle(deadline);
      },
      Math.max(0, deadline - this.now()),
    );
  }

  private flushIfIdle(deadline: number): void {
    const line = this.splitter.idleDeadline() === deadline ? this.splitter.flushIdle(this.now()) : undefined;
    if (line) this.takeLine(line);
    else this.armIdle();
  }

  private lost(why: string): void {
    if (this.stopped) return;
    this.link = undefined;
    clearTimeout(this.idleTimer);
    const rest = this.splitter.end();
    if (rest) this.takeLine(rest);
    const at = this.now();
    this.lostBecause = why;
    this.record(() => this.recorder?.mark('disconnected', { why }, at));
    this.emit('notice', `disconnected, waiting for ${this.endpoint.label} (${why}); the log stays open`);
    this.emitStatus();
    void this.reconnect(at);
  }

  /** Waits for the link lost at `lostAt` to come back. */
  private async reconnect(lostAt: number): Promise<void> {
    const again = await reconnect(this.endpoint, this.handlers, {
      ...(this.options.reconnectIntervalMs !== undefined ? { intervalMs: this.options.reconnectIntervalMs } : {}),
      signal: this.waiting.signal,
      onWaiting: (reason) => this.emit('notice', `still waiting: ${reason}`),
    });
    if (!again) return;
    this.link = again;
    this.lostBecause = undefined;
    this.passwordSent = false;
    this.counts.reconnects++;
    const at = this.now();
    this.record(() => this.recorder?.mark('reconnected', { 'gap-ms': String(at - lostAt) }, at));
    this.emit('notice', `reconnected to ${this.endpoint.label} after ${((at - lostAt) / 1000).toFixed(1)} s`);
    this.emitStatus();
  }
}
