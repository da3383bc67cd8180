/**
 * `npm run bench:console`: 50,000 console lines at 115200 baud through the whole console
 * pipeline (serialport on a socat pty pair, line splitter, console parser, recorder,
 * screen), the far end paced at the baud rate as a real UART sends. Reports lines lost
 * and doubled, first-byte-to-event latency, and heap/RSS sampled every 5,000 lines after a
 * garbage collection (run with --expose-gc, as the npm script does) to show memory flat.
 * Then, without I/O: the splitter beside @serialport/parser-readline on the same lines,
 * and both fed 32 MB of noise without a line end (a wrong baud rate). A benchmark, not a
 * test: it prints figures and fails only when a line is lost or doubled.
 *
 *   npm run bench:console -- [--lines N] [--baud B] [--unpaced]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { createLineSplitter } from '../../parsers/console/line-splitter.js';
import { openRecorder } from '../../src/console/recorder.js';
import { createScreen } from '../../src/console/screen.js';
import { serialEndpoint } from '../../src/console/serial-link.js';
import { DEFAULT_SERIAL_SETTINGS } from '../../src/console/serial-settings.js';
import { ConsoleSession } from '../../src/console/session.js';
import { runConsoleTerminal } from '../../src/console/terminal.js';
import { nth } from '../helpers.js';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '50000' },
    baud: { type: 'string', default: '115200' },
    unpaced: { type: 'boolean', default: false },
  },
});
const LINES = Number(args.lines);
const BAUD = Number(args.baud);
const SAMPLE_EVERY = 5000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Texts a phone prints (phone-facts 1.2, 2.3, 3.2), numbered so that a lost or doubled line shows. */
const TEXTS = [
  'DHCP INIT',
  'DHCP REQUESTING',
  'DHCP BOUND',
  'SEP000E84C060A6.cnf.xml',
  '[17:00:53:148185] sipTransportSendMessage: Closed a one-time UDP send channel handle = 3',
  'User-Agent: Cisco-CP7960G/8.0',
  'TFTP Timeout',
];
const lineText = (n: number): string => `${TEXTS[n % TEXTS.length]} #${n}`;

function mb(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

function gcNow(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function pipeline(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-bench-console-'));
  const consolePath = path.join(dir, 'console');
  const phonePath = path.join(dir, 'phone');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${consolePath}`, `pty,raw,echo=0,link=${phonePath}`], {
    stdio: 'ignore',
  });
  try {
    while (!existsSync(consolePath) || !existsSync(phonePath)) await sleep(10);
    const settings = { ...DEFAULT_SERIAL_SETTINGS, baudRate: BAUD };
    const logFile = path.join(dir, 'bench.log');
    const firstByteSent = new Float64Array(LINES);
    const latency = new Float64Array(LINES);
    let events = 0;
    const samples: { lines: number; heap: number; rss: number }[] = [];
    const stop = new AbortController();
    const consoleSession = new ConsoleSession({
      endpoint: serialEndpoint(consolePath, settings),
      openRecorder: (at) => openRecorder(logFile, { port: consolePath, bench: 'yes' }, at),
      signal: stop.signal,
    });
    consoleSession.on('event', (event, line) => {
      const n = Number(/#(\d+)$/.exec(event.raw)?.[1]);
      if (Number.isInteger(n) && n < LINES) latency[n] = line.firstByteAt - nth(firstByteSent, n);
      events++;
      if (events % SAMPLE_EVERY === 0) {
        gcNow();
        const m = process.memoryUsage();
        samples.push({ lines: events, heap: m.heapUsed, rss: m.rss });
      }
    });
    const session = runConsoleTerminal(consoleSession, createScreen({ out: { write: () => true }, tty: false }));

    const far = new SerialPort({ path: phonePath, baudRate: BAUD, autoOpen: false });
    await new Promise<void>((resolve, reject) => far.open((err) => (err ? reject(err) : resolve())));
    await sleep(200);
    // 10 bits a byte on the wire (start, 8 data, stop): 115200 baud is 11,520 bytes/s.
    const bytesPerMs = BAUD / 10 / 1000;
    const start = Date.now();
    let sent = 0;
    let next = 0;
    // Whole lines only: a UART sends a line without pausing, and a pause longer than the
    // idle time inside a line would (rightly) end it as a prompt.
    while (next < LINES) {
      const due = args.unpaced ? Infinity : (Date.now() - start) * bytesPerMs;
      let chunk = '';
      while (next < LINES && chunk.length < 65536) {
        const text = `${lineText(next)}\r\n`;
        if (sent + chunk.length + text.length > due) break;
        firstByteSent[next++] = Date.now();
        chunk += text;
      }
      if (chunk.length > 0) {
        sent += chunk.length;
        await new Promise<void>((resolve) => {
          if (far.write(Buffer.from(chunk, 'latin1'))) resolve();
          else far.once('drain', () => resolve());
        });
      }
      if (!args.unpaced) await sleep(5);
    }
    const wireSeconds = (Date.now() - start) / 1000;
    const deadline = Date.now() + 30_000;
    while (events < LINES && Date.now() < deadline) await sleep(50);
    stop.abort();
    const result = await session;
    await new Promise<void>((resolve) => far.close(() => resolve()));

    const recorded = readConsoleLog(readFileSync(logFile, 'utf8')).lines.map((l) => l.text);
    const seen = new Map<string, number>();
    for (const text of recorded) seen.set(text, (seen.get(text) ?? 0) + 1);
    let lost = 0;
    let doubled = 0;
    let outOfOrder = 0;
    for (let n = 0; n < LINES; n++) {
      const count = seen.get(lineText(n)) ?? 0;
      if (count === 0) lost++;
      if (count > 1) doubled++;
      if (recorded[n] !== lineText(n)) outOfOrder++;
    }
    const sorted = Array.from(latency).sort((a, b) => a - b);
    const pct = (p: number): number => nth(sorted, Math.min(sorted.length - 1, Math.floor(p * sorted.length)));
    const afterWarmup = samples.slice(1);
    const heaps = afterWarmup.map((s) => s.heap);
    const rsses = afterWarmup.map((s) => s.rss);
    console.log(
      `pipeline: ${LINES} lines, ` +
        `${mb(sent)} MB at ${args.unpaced ? 'full speed (unpaced)' : `${BAUD} baud`} in ${wireSeconds.toFixed(1)} s`,
    );
    console.log(
      `  recorded ${recorded.length} lines (session counted ${result.lines}); ` +
        `lost ${lost}, doubled ${doubled}, out of order ${outOfOrder}`,
    );
    console.log(
      `  first byte sent -> event: median ${pct(0.5).toFixed(0)} ms, ` +
        `p99 ${pct(0.99).toFixed(0)} ms, max ${nth(sorted, sorted.length - 1).toFixed(0)} ms`,
    );
    if (samples.length > 0)
      console.log(`  heap after gc every ${SAMPLE_EVERY} lines: ${samples.map((s) => mb(s.heap)).join(' ')} MB`);
    if (heaps.length > 0) {
      console.log(
        `  heap after warm-up: min ${mb(Math.min(...heaps))} MB, max ${mb(Math.max(...heaps))} MB; ` +
          `RSS min ${mb(Math.min(...rsses))} MB, max ${mb(Math.max(...rsses))} MB`,
      );
    }
    if (!(typeof (globalThis as { gc?: unknown }).gc === 'function'))
      console.log('  (run with node --expose-gc for heap figures after a collection)');
    if (lost > 0 || doubled > 0 || outOfOrder > 0) process.exitCode = 1;
  } finally {
    socat.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The splitters alone, same input, no I/O. */
function splitters(): void {
  const text = Array.from({ length: LINES }, (_, n) => `${lineText(n)}\r\n`).join('');
  const input = Buffer.from(text, 'latin1');
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += 64) chunks.push(input.subarray(i, i + 64));

  let oursMs = 0;
  let theirsMs = 0;
  let ourLines = 0;
  let theirLines = 0;
  // The second of two rounds, so that both are compiled by then.
  for (let round = 0; round < 2; round++) {
    let t = process.hrtime.bigint();
    const ours = createLineSplitter();
    ourLines = 0;
    for (const c of chunks) ourLines += ours.push(c, 0).length;
    oursMs = Number(process.hrtime.bigint() - t) / 1e6;

    t = process.hrtime.bigint();
    const readline = new ReadlineParser({ delimiter: '\r\n' });
    theirLines = 0;
    readline.on('data', () => theirLines++);
    for (const c of chunks) readline.write(c);
    theirsMs = Number(process.hrtime.bigint() - t) / 1e6;
  }
  console.log(
    `splitters, ${LINES} lines in 64-byte chunks: ours ${oursMs.toFixed(0)} ms (${ourLines} lines), ` +
      `parser-readline ${theirsMs.toFixed(0)} ms (${theirLines} lines)`,
  );

  // Noise at a wrong baud rate: 32 MB without a line end, in 1 MB chunks.
  const noise = Buffer.alloc(1048576, 0xa5);
  const noisySplitter = createLineSplitter();
  let cut = 0;
  for (let i = 0; i < 32; i++) cut += noisySplitter.push(noise, 0).length;
  gcNow();
  const before = process.memoryUsage().arrayBuffers;
  const noisyReadline = new ReadlineParser({ delimiter: '\r\n' });
  noisyReadline.on('data', () => undefined);
  for (let i = 0; i < 32; i++) noisyReadline.write(noise);
  gcNow();
  const theirsHeld = process.memoryUsage().arrayBuffers - before;
  console.log(
    `32 MB of noise without a line end: ` +
      `ours holds ${noisySplitter.pendingText().length} bytes (cut into ${cut} lines of 4096 bytes), ` +
      `parser-readline holds ${mb(theirsHeld)} MB`,
  );
}

await pipeline();
splitters();
