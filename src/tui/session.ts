/**
 * A TUI session: every source feeding one diagnosis engine (with its window of newest
 * events), each in its own task, and the analysis handed to the screen at most every
 * ANALYSIS_MS. Saved captures and console logs are read at once, or played with their
 * original timing on one clock with the server logs (`replay`); otherwise server logs are
 * followed as they grow; the TFTP root is linted at start and again when its files change; a
 * live console (serial or telnet) goes through the console session with its reconnect and
 * log; a live capture runs tcpdump with its bytes kept in the session folder. A capture being
 * read live or replayed also hands the engine, every PENDING_MS, what it has open. A source
 * that fails is shown as failed; the others go on.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import path from 'node:path';
import { frameTimestamp, secondsTimestamp, timestampSeconds } from '../../parsers/capture/frame.js';
import type { CapturedFrame } from '../../parsers/capture/frame.js';
import type { CaptureDecoder } from '../../parsers/capture/decoder.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { isoMillis } from '../../parsers/time/iso.js';
import { openRecorder } from '../console/recorder.js';
import { ConsoleSession, connectedNotice } from '../console/session.js';
import type { ConsoleLogMark, ConsoleStatus } from '../console/session.js';
import type { ConsoleEndpoint } from '../console/transport.js';
import { sleep } from '../console/reconnect.js';
import type { Analysis } from '../engine/analysis.js';
import { LIVE_WINDOW } from '../engine/engine.js';
import type { DiagnosisEngine, EngineSetup } from '../engine/engine.js';
import type { EngineEvent } from '../engine/events.js';
import type { AnalyzeInputs } from '../engine/input-events.js';
import { analyzeFiles, engineCaptureDecoder, readInputEvents } from '../engine/input-events.js';
import { WHOLE_SECOND_END, wholeSecond } from '../engine/timeline.js';
import { parseRoot } from '../lint/parsed-root.js';
import { readTftpRoot } from '../lint/tftp-root.js';
import { describeCaptureProblem, firstFrameSeconds } from '../sources/capture-file.js';
import { readCaptureInto } from '../sources/capture-input.js';
import { followServerLogFile } from '../sources/server-log-file.js';
import { phoneFilter, runLiveCapture } from '../sources/live-capture.js';
import type { CaptureProgram } from '../sources/live-capture.js';
import type { TicketBundleInputs } from '../views/ticket-bundle.js';
import { engineFor, sourcesOf } from './inputs.js';
import { NO_LIVE_CONSOLE } from './keys.js';
import type { SourceStatus } from './state.js';

export interface LiveConsole {
  readonly endpoint: ConsoleEndpoint;
  readonly baudRate?: number;
}

export interface SessionSetup {
  /** Saved captures and console logs, server logs to follow, the TFTP root to lint. */
  readonly inputs: AnalyzeInputs;
  readonly console?: LiveConsole;
  readonly iface?: string;
  readonly captureProgram?: CaptureProgram;
  /** Saved files played with their original timing, `speed` times faster. */
  readonly replay?: { readonly speed: number };
  /** Where the live console log and the live capture are written. */
  readonly sessionDir: string;
  readonly engine: Omit<EngineSetup, 'inputs'>;
  readonly onAnalysis: (analysis: Analysis) => void;
  readonly onSources: (sources: readonly SourceStatus[]) => void;
  /** phonedoc's own words for the engineer (a console notice, a capture problem). */
  readonly onNotice: (text: string) => void;
  /** A line typed to the phone or a marker, for the console pane. */
  readonly onNote?: (note: ConsoleNote) => void;
}

/** What the engineer put into the session: a line sent to the phone, or a marker's note. */
export interface ConsoleNote {
  readonly kind: 'sent' | 'marker';
  /** Seconds since the epoch, the wall clock. */
  readonly time: number;
  readonly text: string;
}

/** How often, at most, the analysis is recomputed while events arrive. */
export const ANALYSIS_MS = 250;
/**
 * The engine derives the analysis from every event in its window, so a busy session costs
 * more: the next one waits this many times as long as the last took, which keeps the event
 * loop free for keys, the console and the capture pipe most of the time.
 */
const ANALYSIS_COST_FACTOR = 4;
const ROOT_SETTLE_MS = 300;
/** How often what a capture has open (transfers under way, exchanges not settled) is shown. */
const PENDING_MS = 1000;
/** A replay reads this much of a capture at a time, and holds its frames until they are due. */
const REPLAY_CHUNK_BYTES = 64 * 1024;
const STOP_WAIT_MS = 3000;

export class TuiSession {
  /** Replaced by a fresh one when a replay seeks back. */
  private engine: DiagnosisEngine;
  private readonly abort = new AbortController();
  private readonly tasks: Promise<void>[] = [];
  private sources: SourceStatus[];
  private timer: NodeJS.Timeout | undefined;
  private lastAnalysisMs = 0;
  /** The live console once its first connection stands, until it stops. */
  private liveConsole: ConsoleSession | undefined;
  private consoleLog: string | undefined;
  private captureFile: string | undefined;
  private watcher: FSWatcher | undefined;
  private replay: Replay | undefined;
  /** The TFTP root's latest lint, given again to an engine that starts afresh. */
  private rootEvent: EngineEvent | undefined;

  constructor(private readonly setup: SessionSetup) {
    const { inputs } = setup;
    this.engine = engineFor(inputs, { ...setup.engine, window: LIVE_WINDOW });
    this.sources = [
      ...(setup.console
        ? [
            {
              kind: 'console' as const,
              name: setup.console.endpoint.label,
              state: 'reconnecting' as const,
              detail: 'opening',
            },
          ]
        : []),
      ...(setup.iface
        ? [{ kind: 'capture' as const, name: setup.iface, state: 'reconnecting' as const, detail: 'starting' }]
        : []),
      ...sourcesOf({ ...inputs, serverLogs: [] }, setup.replay ? 'replaying' : 'read').filter(
        (s) => s.kind !== 'tftp-root',
      ),
      ...inputs.serverLogs.map((name) => ({
        kind: 'server-log' as const,
        name,
        state: setup.replay ? ('replaying' as const) : ('following' as const),
      })),
      ...(inputs.tftpRoot
        ? [{ kind: 'tftp-root' as const, name: inputs.tftpRoot, state: 'read' as const, detail: 'linting' }]
        : []),
    ];
  }

  /** What the engine knows now. */
  analysis(): Analysis {
    return this.engine.analysis();
  }

  start(): void {
    const { inputs, replay } = this.setup;
    this.setup.onSources(this.sources);
    const firstFrames = Promise.all(inputs.captures.map(firstFrameSeconds));
    // Syslog lines lack a year: the saved capture's first packet gives it, else the present.
    const yearFrom = firstFrames.then((times) => times[0]);
    if (replay) {
      this.run([...inputs.captures, ...inputs.consoles, ...inputs.serverLogs], () =>
        this.replaySaved(inputs, replay.speed, firstFrames),
      );
    } else {
      this.run([...inputs.captures, ...inputs.consoles], () =>
        this.readSaved({ captures: inputs.captures, consoles: inputs.consoles, serverLogs: [] }),
      );
      for (const log of inputs.serverLogs) this.run([log], () => this.followServerLog(log, yearFrom));
    }
    const { tftpRoot } = inputs;
    const { console: live, iface } = this.setup;
    if (tftpRoot) this.run([tftpRoot], () => this.watchRoot(tftpRoot));
    if (live) this.run([live.endpoint.label], () => this.runConsole(live));
    if (iface) this.run([iface], () => this.runCapture(iface));
  }

  /** The files a ticket bundle is made from: saved and live captures, the first console log, the server logs, the TFTP root. */
  bundleInputs(): TicketBundleInputs {
    const { inputs } = this.setup;
    const consoleLog = this.consoleLog ?? inputs.consoles[0];
    return {
      captures: [...inputs.captures, ...(this.captureFile ? [this.captureFile] : [])],
      ...(consoleLog ? { console: consoleLog } : {}),
      serverLogs: inputs.serverLogs,
      ...(inputs.tftpRoot ? { tftpRoot: inputs.tftpRoot } : {}),
    };
  }

  /**
   * The analysis a ticket bundle is written from: the current one, unless the window let older
   * events go; then the session's files are analysed again whole, as `analyze` would.
   */
  async analysisForExport(current: Analysis): Promise<Analysis> {
    if (!current.forgotten) return current;
    const files = this.bundleInputs();
    const { inputs } = this.setup;
    const whole = {
      captures: files.captures,
      consoles: files.console ? [files.console] : [],
      serverLogs: inputs.serverLogs,
      ...(inputs.tftpRoot ? { tftpRoot: inputs.tftpRoot } : {}),
    };
    return (await analyzeFiles(whole, this.setup.engine, (line) => this.setup.onNotice(line))).analysis;
  }

  sendLine(text: string): Promise<string> {
    const live = this.liveConsole;
    if (!live) return Promise.resolve(NO_LIVE_CONSOLE);
    const logged = live.send(text, Date.now());
    if (!logged) return Promise.resolve(`not sent: the console is not connected (waiting for ${live.endpoint.label})`);
    this.addLogMark(logged);
    return Promise.resolve(`sent "${text}" to the console`);
  }

  sendBreak(): Promise<string> {
    const live = this.liveConsole;
    if (!live) return Promise.resolve(NO_LIVE_CONSOLE);
    return live.sendBreak().then(
      () => 'break sent',
      (error: unknown) =>
        `No break was sent: ${live.endpoint.label} refused it (${(error instanceof Error ? error.message : String(error)).replace(/^Error: /, '').replace(/[.\s]+$/, '')}); some USB serial adapters and every pseudo-terminal cannot send one.`,
    );
  }

  /**
   * The engineer's note, with the time: with a live console, a line of its log the analysis
   * reads (timeline, report, a frame comment in the ticket's capture); else on screen only.
   */
  mark(text: string): string {
    const at = Date.now();
    const logged = this.liveConsole?.mark(text, at);
    if (logged) {
      this.addLogMark(logged);
      return `marker "${text}" noted in the console log`;
    }
    this.setup.onNote?.({ kind: 'marker', time: at / 1000, text });
    return `marker "${text}" noted on screen only (no live console log to write it to)`;
  }

  /** A line the console session wrote into its log (sent, marker), handed to the engine as the log's reader would. */
  private addLogMark(mark: ConsoleLogMark): void {
    this.add({
      source: 'console',
      file: mark.file,
      kind: 'console-header',
      line: mark.line,
      text: mark.text,
      fields: mark.fields,
      time: mark.time,
    });
  }

  /** Where a replay is: its clock (capture time), start and end, and whether it is paused; undefined when not replaying. */
  replayPosition(): ReplayPosition | undefined {
    const c = this.replay?.run.clock;
    return c ? { now: c.now(), start: c.start, end: c.end, paused: c.paused } : undefined;
  }

  /** Pauses or resumes a replay: nothing more is played while paused. */
  setReplayPaused(paused: boolean): void {
    this.replay?.run.clock.setPaused(paused);
  }

  /** A paused replay plays its next event. */
  stepReplay(): void {
    this.replay?.run.clock.step();
  }

  /**
   * Moves a replay by `seconds` of capture time: ahead, what lies between is played at once;
   * back, the engine starts afresh and the replay plays again from its start, at once up to the
   * time sought.
   */
  seekReplay(seconds: number): ReplaySeek {
    const replay = this.replay;
    if (!replay) return { back: false, message: 'the replay has not started yet' };
    const now = Math.min(replay.run.clock.now(), replay.run.clock.end);
    return this.seekTo(replay, now + seconds);
  }

  /**
   * Moves a replay to the start of the next (`1`) or previous (`-1`) boot of the phone whose MAC
   * (else IP) is `phone`, or of any phone: the phone's DHCP exchange, else its first request.
   * Back within BOOT_GRACE_SECONDS of a boot's start goes to the boot before it.
   */
  seekBoot(direction: 1 | -1, phone?: string): ReplaySeek {
    const replay = this.replay;
    if (!replay) return { back: false, message: 'the replay has not started yet' };
    const own = replay.boots.filter((b) => b.phone === phone);
    const boots = (own.length ? own : replay.boots).map((b) => b.at);
    const now = Math.min(replay.run.clock.now(), replay.run.clock.end);
    // The clock stands at a boot it was moved to give or take rounding: the next is a later one.
    const target =
      direction > 0
        ? boots.find((t) => t > now + BOOT_MARGIN_SECONDS / 2)
        : [...boots].reverse().find((t) => t < now - BOOT_GRACE_SECONDS);
    if (target === undefined)
      return {
        back: false,
        message: direction > 0 ? 'no later boot in this replay' : 'no earlier boot in this replay',
      };
    const seek = this.seekTo(replay, target);
    const which = boots.filter((t) => t <= target).length;
    return {
      ...seek,
      message: `boot ${which} of ${boots.length}, ${isoMillis(target).slice(11, 21)}`,
    };
  }

  private seekTo(replay: Replay, target: number): ReplaySeek {
    const { clock } = replay.run;
    const now = Math.min(clock.now(), clock.end);
    if (target >= now) {
      const by = target - clock.now();
      if (by > 0) clock.skip(by);
      return { back: false };
    }
    if (this.setup.console || this.setup.iface)
      return {
        back: false,
        message: 'a replay beside a live source cannot go back: what the live source gave would be lost',
      };
    // Everything the engine has is from the replay (and the root's lint): a fresh engine is given it again.
    replay.run.stop.abort();
    this.engine = engineFor(this.setup.inputs, { ...this.setup.engine, window: LIVE_WINDOW });
    if (this.rootEvent) this.engine.add(this.rootEvent);
    // Shown even when nothing lies before the time sought.
    this.scheduleAnalysis();
    replay.run = newReplayRun(
      replay.start,
      replay.end,
      replay.speed,
      this.abort.signal,
      Math.max(replay.start, target),
      clock.paused,
    );
    replay.restart?.();
    return { back: true };
  }

  /** Stops every source; the console log and the capture file are flushed and closed. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.watcher?.close();
    clearTimeout(this.timer);
    await Promise.race([
      Promise.allSettled(this.tasks),
      new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref()),
    ]);
  }

  private run(names: readonly string[], task: () => Promise<void>): void {
    this.tasks.push(
      task().catch((error: unknown) => {
        const why = error instanceof Error ? error.message : String(error);
        for (const name of names) this.setState(name, 'failed', why);
        this.setup.onNotice(why);
      }),
    );
  }

  private setState(name: string, state: SourceStatus['state'], detail?: string): void {
    this.sources = this.sources.map((s) =>
      s.name === name ? { kind: s.kind, name, state, ...(detail ? { detail } : {}) } : s,
    );
    this.setup.onSources(this.sources);
  }

  private add(event: EngineEvent): void {
    this.engine.add(event);
    this.scheduleAnalysis();
  }

  private scheduleAnalysis(): void {
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        if (this.abort.signal.aborted) return;
        const started = performance.now();
        const analysis = this.engine.analysis();
        this.lastAnalysisMs = performance.now() - started;
        this.setup.onAnalysis(analysis);
      },
      Math.max(ANALYSIS_MS, this.lastAnalysisMs * ANALYSIS_COST_FACTOR),
    );
  }

  private async readSaved(inputs: AnalyzeInputs): Promise<void> {
    await readInputEvents(
      inputs,
      (event) => this.add(event),
      (line) => this.setup.onNotice(line),
    );
  }

  /**
   * Saved files played with their original timing: capture frames go through a decoder as
   * their time comes (so transfers run and exchanges open as they did), console and server-log
   * lines likewise; lines without a time come first.
   */
  private async replaySaved(
    inputs: AnalyzeInputs,
    speed: number,
    captureStarts: Promise<readonly (number | undefined)[]>,
  ): Promise<void> {
    const firstFrames = await captureStarts;
    // The replay runs on the capture's clock: console and server-log lines are played at their
    // times shifted by the offsets the engine's clock alignment finds on the whole files.
    const { analysis: whole } = await analyzeFiles(inputs, this.setup.engine, () => undefined);
    const offsets = new Map(whole.clocks.map((c) => [c.file, c.offsetSeconds]));
    const lines: ReplayLine[] = [];
    await readInputEvents(
      { captures: [], consoles: inputs.consoles, serverLogs: inputs.serverLogs },
      (event) => {
        const at = eventTime(event);
        lines.push({ at: at === undefined ? -Infinity : at + (offsets.get(event.file) ?? 0), event });
      },
      (line) => this.setup.onNotice(line),
      firstFrames[0],
    );
    lines.sort((a, b) => a.at - b.at);
    const starts = [...firstFrames, lines.find((l) => Number.isFinite(l.at))?.at].filter(
      (t): t is number => t !== undefined,
    );
    const ends = [lines.at(-1)?.at, ...whole.phones.flatMap((p) => p.timeline.map((e) => e.time))].filter(
      (t): t is number => t !== undefined && Number.isFinite(t),
    );
    const start = starts.length ? Math.min(...starts) : 0;
    const end = ends.length ? Math.max(...ends) : start;
    // A boot's first packet is at its start: a seek a millisecond past it plays it whatever the clock's rounding.
    const boots = whole.phones
      .flatMap((p) =>
        (p.bootStarts ?? []).map((t) => ({
          phone: p.phone.mac ?? p.phone.ip,
          at: t + BOOT_MARGIN_SECONDS,
        })),
      )
      .sort((a, b) => a.at - b.at);
    const replay: Replay = { start, end, speed, boots, run: newReplayRun(start, end, speed, this.abort.signal) };
    this.replay = replay;
    const names = [...inputs.captures, ...inputs.consoles, ...inputs.serverLogs];
    for (;;) {
      const { run } = replay;
      await this.playReplay(inputs, lines, run);
      if (this.abort.signal.aborted) return;
      if (replay.run !== run) continue; // sought back: played again from the start
      for (const name of names) this.setState(name, 'read', 'replayed');
      // A seek back after the end plays again.
      const waited = new AbortController();
      await new Promise<void>((resolve) => {
        replay.restart = resolve;
        this.abort.signal.addEventListener('abort', () => resolve(), { once: true, signal: waited.signal });
      });
      waited.abort();
      delete replay.restart;
      if (this.abort.signal.aborted) return;
      for (const name of names) this.setState(name, 'replaying');
    }
  }

  /** One pass of a replay: its lines and captures played on its clock; its events reach the engine until it is stopped. */
  private async playReplay(inputs: AnalyzeInputs, lines: readonly ReplayLine[], run: ReplayRun): Promise<void> {
    const add = (event: EngineEvent): void => {
      if (!run.stop.signal.aborted) this.add(event);
    };
    const playLines = async (): Promise<void> => {
      for (const { at, event } of lines) {
        if (!(await run.clock.until(at))) return;
        add(event);
      }
    };
    await Promise.all([
      playLines(),
      ...inputs.captures.map((file) => this.replayCapture(file, run.clock, run.stop.signal, add)),
    ]);
  }

  /** One saved capture, each frame decoded when the replay clock reaches its time. */
  private async replayCapture(
    file: string,
    clock: ReplayClock,
    signal: AbortSignal,
    add: (event: EngineEvent) => void,
  ): Promise<void> {
    const decoder = engineCaptureDecoder(file, add, {
      problem: (problem) => this.setup.onNotice(describeCaptureProblem(file, problem)),
    });
    const due: CapturedFrame[] = [];
    const reader = new CaptureReader({
      frame: (frame) => due.push(frame),
      problem: (problem) => decoder.problem(problem),
    });
    const pending = setInterval(() => this.addPending(file, decoder, clock.now(), add), PENDING_MS);
    try {
      await readCaptureInto(file, reader, {
        signal,
        chunkBytes: REPLAY_CHUNK_BYTES,
        afterChunk: async () => {
          for (const frame of due.splice(0)) {
            if (!(await clock.until(timestampSeconds(frameTimestamp(frame))))) return;
            decoder.frame(frame);
          }
        },
      });
    } finally {
      clearInterval(pending);
    }
    if (signal.aborted) return;
    const summary = decoder.finish();
    this.addPending(file, decoder, clock.now(), add);
    if (summary.firstTime && summary.lastTime)
      add({
        source: 'capture',
        file,
        kind: 'span',
        first: timestampSeconds(summary.firstTime),
        last: timestampSeconds(summary.lastTime),
      });
  }

  /** What a capture being read has open now, after letting go of what has been idle too long at capture time `now`. */
  private addPending(
    file: string,
    decoder: CaptureDecoder,
    now: number,
    add: (event: EngineEvent) => void = (event) => this.add(event),
  ): void {
    decoder.advance(secondsTimestamp(now));
    add({ source: 'capture', file, kind: 'pending', at: now, ...decoder.pending() });
  }

  private async followServerLog(file: string, yearFrom: Promise<number | undefined>): Promise<void> {
    const reference = await yearFrom;
    await followServerLogFile(file, (event) => this.add(event), {
      signal: this.abort.signal,
      ...(reference !== undefined ? { yearFrom: reference } : {}),
      progress: (lines) => this.setState(file, 'following', `${lines} lines`),
      restarted: () => this.setup.onNotice(`${file} was truncated or replaced: reading it again from its start`),
    });
  }

  private async watchRoot(dir: string): Promise<void> {
    const lint = (): void => {
      this.rootEvent = { source: 'tftp-root', file: dir, kind: 'tftp-root', root: parseRoot(readTftpRoot(dir)) };
      this.add(this.rootEvent);
      this.setState(dir, 'following', `linted ${isoMillis(Date.now() / 1000).slice(11, 19)}`);
    };
    lint();
    let settle: NodeJS.Timeout | undefined;
    this.watcher = watch(dir, { recursive: true }, () => {
      clearTimeout(settle);
      settle = setTimeout(() => {
        try {
          lint();
        } catch (error) {
          this.setState(dir, 'failed', error instanceof Error ? error.message : String(error));
        }
      }, ROOT_SETTLE_MS);
    });
    this.watcher.on('error', (error) => this.setState(dir, 'failed', error.message));
  }

  private async runConsole({ endpoint, baudRate }: LiveConsole): Promise<void> {
    const file = path.join(this.setup.sessionDir, `console-${endpoint.logName.replace(/[^\w.-]/g, '_')}.log`);
    const session = new ConsoleSession({
      endpoint,
      signal: this.abort.signal,
      ...(baudRate !== undefined ? { baudRate } : {}),
      openRecorder: (at) => {
        const recorder = openRecorder(file, endpoint.logFields, at);
        this.consoleLog = recorder.file;
        return recorder;
      },
    });
    session.on('notice', (text) => this.setup.onNotice(text));
    session.on('event', (event) => this.add({ source: 'console', file, kind: 'console', event }));
    let connected = false;
    session.on('status', (status: ConsoleStatus) => {
      if (status.connected === connected) return;
      connected = status.connected;
      if (connected) this.setState(endpoint.label, 'open', endpoint.settings);
      else this.setState(endpoint.label, 'reconnecting', status.lostBecause);
    });
    const logFile = await session.start();
    this.setup.onNotice(connectedNotice(endpoint, logFile));
    this.liveConsole = session;
    try {
      await session.untilStopped();
    } finally {
      this.liveConsole = undefined;
    }
  }

  private async runCapture(iface: string): Promise<void> {
    const file = path.join(this.setup.sessionDir, 'capture.pcap');
    this.captureFile = file;
    let packets = 0;
    let dropped = 0;
    // Before the program listens, the reader only sees the end of an empty output: not a problem to report.
    let started = false;
    const show = (): void => this.setState(iface, 'capturing', `${packets} packets, ${dropped} dropped`);
    const decoder = engineCaptureDecoder(file, (event) => this.add(event), {
      packet: () => {
        packets++; // DHCP and TFTP only; the program's own count (onStats) includes every frame
      },
      problem: (problem) => {
        if (started) this.setup.onNotice(describeCaptureProblem(file, problem));
      },
    });
    // The capture's clock is the kernel's: it moves on between frames as the wall clock does.
    const clock = { frame: 0, at: Date.now() };
    const progress = setInterval(() => {
      show();
      if (clock.frame > 0) this.addPending(file, decoder, clock.frame + (Date.now() - clock.at) / 1000);
    }, PENDING_MS);
    const reader = new CaptureReader({
      frame: (frame) => {
        clock.frame = timestampSeconds(frameTimestamp(frame));
        clock.at = Date.now();
        decoder.frame(frame);
      },
      problem: (problem) => decoder.problem(problem),
    });
    try {
      await runLiveCapture(
        {
          iface,
          file,
          filter: phoneFilter(this.setup.engine.phone?.canonical),
          signal: this.abort.signal,
          ...(this.setup.captureProgram ? { program: this.setup.captureProgram } : {}),
          onStarted: () => {
            started = true;
            show();
          },
          onStats: (stats) => {
            packets = Math.max(packets, stats.captured);
            dropped = stats.dropped;
            show();
          },
        },
        reader,
      );
      decoder.finish();
    } finally {
      clearInterval(progress);
    }
  }
}

/** What a seek did: `back` when the replay starts again from its start; a message for the engineer. */
export interface ReplaySeek {
  readonly back: boolean;
  readonly message?: string;
}

/** How far past a boot's start a seek to it goes, and how near the clock counts as standing at it. */
const BOOT_MARGIN_SECONDS = 0.001;
/** `{` within this many seconds after a boot's start goes to the boot before. */
const BOOT_GRACE_SECONDS = 0.5;

interface ReplayLine {
  readonly at: number;
  readonly event: EngineEvent;
}

/** One pass of a replay: its clock, and what stops it (the session's end, or a seek back). */
interface ReplayRun {
  readonly clock: ReplayClock;
  readonly stop: AbortController;
}

/** A replay of saved files: its span, the boots it holds, the pass under way, and what wakes it after its end. */
interface Replay {
  readonly start: number;
  readonly end: number;
  readonly speed: number;
  readonly boots: readonly { readonly phone?: string; readonly at: number }[];
  run: ReplayRun;
  restart?: () => void;
}

function newReplayRun(
  start: number,
  end: number,
  speed: number,
  session: AbortSignal,
  from = start,
  paused = false,
): ReplayRun {
  const stop = new AbortController();
  // Let go of the session's signal when the run stops, so seeks do not pile listeners on it.
  session.addEventListener('abort', () => stop.abort(), { once: true, signal: stop.signal });
  const clock = new ReplayClock(start, speed, stop.signal, from, paused);
  clock.end = end;
  return { clock, stop };
}

export interface ReplayPosition {
  /** Capture time, seconds since 1970. */
  readonly now: number;
  readonly start: number;
  readonly end: number;
  readonly paused: boolean;
}

/**
 * Seconds since 1970 at which a console or server-log line was written, when it says; a log
 * line stamped to the whole second is played at the end of its second, after the packets of it.
 */
function eventTime(event: EngineEvent): number | undefined {
  switch (event.kind) {
    case 'console':
      return event.event.hostTime;
    case 'server':
      return event.event.time === undefined
        ? undefined
        : event.event.time + (wholeSecond(event.event) ? WHOLE_SECOND_END : 0);
    default:
      return undefined;
  }
}

/**
 * Capture time during a replay: `start` at the moment the replay began, running `speed` times
 * as fast (0: no waiting); it stands still while paused, and a skip moves it on at once.
 */
class ReplayClock {
  /** Wall-clock milliseconds at which capture time `start` is (moved by pauses and skips). */
  private began = Date.now();
  /** The latest time played so far. */
  private reached: number;
  private pausedAt: number | undefined;
  /** Those waiting while paused (the lines and each capture): woken on resume and on a step. */
  private waiters: (() => void)[] = [];
  /** While paused: one more event may be played (a step). */
  private stepping = false;
  private wake: AbortController | undefined;
  /** The last time the replay holds. */
  end: number;

  /** `from`: the capture time it stands at now (what lies before is played at once); `paused`: it starts paused there. */
  constructor(
    readonly start: number,
    private readonly speed: number,
    private readonly signal: AbortSignal,
    from = start,
    paused = false,
  ) {
    this.reached = from;
    this.end = start;
    if (speed > 0) this.began -= ((from - start) * 1000) / speed;
    if (paused) this.pausedAt = Date.now();
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  now(): number {
    const wall = this.pausedAt ?? Date.now();
    return this.speed > 0
      ? Math.max(this.reached, this.start + ((wall - this.began) / 1000) * this.speed)
      : this.reached;
  }

  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    if (paused) {
      this.pausedAt = Date.now();
      return;
    }
    // The clock goes on from the last event played (a step may have gone past the paused time).
    this.began = Date.now() - ((this.now() - this.start) * 1000) / Math.max(this.speed, Number.MIN_VALUE);
    this.pausedAt = undefined;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** While paused: plays the next event, and the clock stands at its time. */
  step(): void {
    if (!this.paused) return;
    this.stepping = true;
    this.wakeAll();
  }

  skip(seconds: number): void {
    if (this.speed <= 0) return;
    const ms = (seconds * 1000) / this.speed;
    this.began -= ms;
    this.wake?.abort();
    // Paused, what the skip passed is played and the clock stands at its new time.
    this.wakeAll();
  }

  /** Waits until capture time `at`; false when the session stopped meanwhile. */
  async until(at: number): Promise<boolean> {
    for (;;) {
      if (this.signal.aborted) return false;
      // Paused, what lies at or before the paused time is played (after a seek or a skip).
      if (this.pausedAt !== undefined && (!Number.isFinite(at) || at <= this.now())) break;
      if (this.pausedAt !== undefined && this.stepping) {
        this.stepping = false;
        break;
      }
      if (this.pausedAt !== undefined) {
        await new Promise<void>((resolve) => {
          this.waiters.push(resolve);
          this.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        continue;
      }
      const wait =
        this.speed > 0 && Number.isFinite(at) ? ((at - this.start) * 1000) / this.speed - (Date.now() - this.began) : 0;
      if (wait <= 0) break;
      // A pause or a skip during the wait cuts it short; the loop looks again.
      this.wake = new AbortController();
      const stop = (): void => this.wake?.abort();
      this.signal.addEventListener('abort', stop, { once: true });
      await sleep(Math.min(wait, PAUSE_CHECK_MS), this.wake.signal).catch(() => undefined);
      this.signal.removeEventListener('abort', stop);
    }
    if (Number.isFinite(at)) this.reached = Math.max(this.reached, at);
    return !this.signal.aborted;
  }
}

/** A replay waiting for its next event looks this often whether it was paused. */
const PAUSE_CHECK_MS = 200;
