/**
 * The bench TUI under load: a console at 115200 baud (a local telnet server paced at the
 * baud rate, through the real console session) and live capture on loopback (tcpdump, the
 * real capture source) of 5,000 packets a second, all into one session drawn on a headless
 * terminal. The traffic (`--traffic`) is by default a real-looking voice VLAN replayed by
 * tcpreplay in a loop: the 20 MB capture of `npm run bench` (RTP, SIP/SCCP over TCP, ARP,
 * IPv6, with phone boots — DHCP and TFTP — inside), so the engine has phones to follow all
 * along; `udp` sends plain UDP datagrams with a TFTP read request every second instead.
 * The whole benchmark runs in a network namespace of its own (the replayed frames carry
 * addresses of a made-up site: they must not leave this host's lo).
 *
 * Every `--every` seconds: packets tcpdump counted and dropped, console lines shown, redraws
 * a second, event-loop delay (p99, max), heap (and its compiled code) and RSS (after a GC
 * with --expose-gc); at the end, how the heap moved after the first minute and from a third
 * of the way in (memory flat: the session keeps a window of events). The peer,
 * `tshark -i lo` with the same capture filter showing DHCP and TFTP (what
 * an engineer keeps open beside the console today), runs on the same traffic at the same
 * time: its CPU time and resident memory (with its dumpcap) beside phonedoc's (this process
 * with its tcpdump), as ratios. Needs root. A benchmark, not a test: it prints figures.
 *
 *   node --expose-gc dist/test/bench/tui-load.js [--seconds 30] [--every 5] [--pps 5000] [--baud 115200] [--traffic replay|udp] [--peer tshark|none] [--heap-snapshots DIR]
 *   (30 minutes: --seconds 1800 --every 60)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { telnetEndpoint } from '../../src/console/telnet-link.js';
import { LIVE_WINDOW } from '../../src/engine/engine.js';
import { phoneFilter } from '../../src/sources/live-capture.js';
import { bundledSampleInputs } from '../../src/tui/inputs.js';
import { TuiSession } from '../../src/tui/session.js';
import { initialState } from '../../src/tui/state.js';
import type { SourceStatus } from '../../src/tui/state.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { fixture } from '../helpers.js';
import { openHeadlessTui } from '../unit/tui-harness.js';
import { benchCapture } from './bench-capture.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    every: { type: 'string', default: '5' },
    peer: { type: 'string', default: 'tshark' },
    pps: { type: 'string', default: '5000' },
    baud: { type: 'string', default: '115200' },
    traffic: { type: 'string', default: 'replay' },
    'heap-snapshots': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const every = Number(values.every);
const pps = Number(values.pps);
const baud = Number(values.baud);
if (process.getuid?.() !== 0)
  throw new Error('tui-load captures on lo of a network namespace of its own: run it as root');
if (values.traffic !== 'replay' && values.traffic !== 'udp')
  throw new Error(`--traffic ${values.traffic}: replay or udp`);
for (const [tool, pkg, needed] of [
  ['tcpreplay', 'tcpreplay', values.traffic === 'replay'],
  ['tshark', 'tshark', values.peer === 'tshark'],
  ['tcpdump', 'tcpdump', true],
  ['unshare', 'util-linux', true],
] as const) {
  if (needed && spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    process.stderr.write(`tui-load: ${tool} is not installed (Debian package ${pkg})\n`);
    process.exit(2);
  }
}
if (process.env.PHONEDOC_BENCH_NETNS !== '1') {
  // Again, inside a new network namespace whose lo is up: nothing replayed can reach another host.
  const inside = spawnSync(
    'unshare',
    [
      '--net',
      '--',
      'sh',
      '-c',
      'ip link set lo up && exec "$@"',
      'sh',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, PHONEDOC_BENCH_NETNS: '1' },
    },
  );
  process.exit(inside.status ?? 1);
}
const replayFile =
  values.traffic === 'replay'
    ? (
        await benchCapture(process.env.PHONEDOC_BENCH_DIR ?? '/tmp/phonedoc-bench', 20, fixture('captures'), (line) =>
          process.stderr.write(`${line}\n`),
        )
      ).file
    : undefined;

// The phone: the sample's console lines over and over, paced as a UART at `baud` sends (10 bits a byte).
const sampleLines = readFileSync(bundledSampleInputs().consoles[0]!, 'latin1')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.replace(/^\S+Z /, ''));
const bytesPerTick = Math.max(1, Math.round(baud / 10 / 100));
let consoleBytes = 0;
const clients: Socket[] = [];
const phone = createServer((socket) => {
  socket.on('error', () => undefined); // the session closing its end first is not a fault of the bench
  clients.push(socket);
});
await new Promise<void>((resolve) => phone.listen(0, '127.0.0.1', resolve));
let pending = Buffer.alloc(0);
let lineNo = 0;
const uart = setInterval(() => {
  while (pending.length < bytesPerTick)
    pending = Buffer.concat([pending, Buffer.from(`${sampleLines[lineNo++ % sampleLines.length]}\r\n`, 'latin1')]);
  const chunk = pending.subarray(0, bytesPerTick);
  pending = pending.subarray(bytesPerTick);
  for (const c of clients) c.write(chunk);
  consoleBytes += chunk.length;
}, 10);

const dir = mkdtempSync(path.join(tmpdir(), 'tui-load-'));
let sources: readonly SourceStatus[] = [];
let screenRef: Awaited<ReturnType<typeof openHeadlessTui>> | undefined;
const session = new TuiSession({
  inputs: { captures: [], consoles: [], serverLogs: [] },
  console: { endpoint: telnetEndpoint({ host: '127.0.0.1', port: (phone.address() as AddressInfo).port }) },
  iface: 'lo',
  sessionDir: dir,
  engine: { version: PHONEDOC_VERSION },
  onAnalysis: (a) => screenRef?.screen.setAnalysis(a),
  onSources: (s) => {
    sources = s;
    screenRef?.screen.setSources(s);
  },
  onNotice: () => undefined,
});
const tui = await openHeadlessTui(initialState(session.analysis(), []), 160, 48, 100);
screenRef = tui;
let redraws = 0;
let renderMs = 0;
const render = tui.screen.render.bind(tui.screen);
tui.screen.render = () => {
  const started = performance.now();
  redraws++;
  render();
  renderMs += performance.now() - started;
};
session.start();
const peer =
  values.peer === 'tshark'
    ? spawn('tshark', ['-i', 'lo', '-n', '-l', '-f', phoneFilter(), '-Y', 'tftp || dhcp'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      })
    : undefined;
let peerSays = '';
peer?.stderr?.setEncoding('utf8').on('data', (text: string) => {
  peerSays += text;
});
await new Promise((r) => setTimeout(r, 1500));

// The network, from another process so that it does not share our event loop; it reports how many packets it sent.
let sent = 0;
const generator = replayFile
  ? spawn('tcpreplay', ['--intf1=lo', `--pps=${pps}`, '--timer=nano', '--loop=0', '--stats=1', replayFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
  : spawn(
      process.execPath,
      [
        '-e',
        `
  const udp = require('node:dgram').createSocket('udp4');
  const voice = Buffer.alloc(172);
  const rrq = Buffer.concat([Buffer.from([0, 1]), Buffer.from('SEP000E84C060A6.cnf.xml\\0octet\\0', 'latin1')]);
  let sent = 0;
  const start = Date.now();
  setInterval(() => {
    const due = Math.floor(((Date.now() - start) / 1000) * ${pps});
    for (; sent < due; sent++) udp.send(sent % ${pps} === 0 ? rrq : voice, sent % ${pps} === 0 ? 69 : 16384, '127.0.0.1');
    process.stdout.write('Actual: ' + sent + ' packets\\n');
  }, 10);
`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
generator.stdout!.setEncoding('utf8');
generator.stdout!.on('data', (text: string) => {
  const counts = [...text.matchAll(/Actual: (\d+) packets/g)];
  if (counts.length) sent = Number(counts.at(-1)![1]);
});

const gc = (globalThis as { gc?: () => void }).gc;
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const mb = (n: number): string => (n / 1048576).toFixed(1);
process.stdout.write(
  `tui-load: console ${baud} baud (${bytesPerTick * 100} B/s), ` +
    `${pps} packets/s on lo ` +
    `(${replayFile ? `tcpreplay of ${path.basename(replayFile)} in a loop` : 'UDP datagrams'}), ` +
    `${seconds} s, screen 160x48 refreshed every 100 ` +
    `ms${gc ? '' : ' (no --expose-gc: memory figures include garbage)'}\n`,
);
process.stdout.write(
  `   s  sent   capture (tcpdump)                console lines  redraws/s  ms/redraw  ms/analysis  loop p99 ` +
    `ms  max ms  heap MB  code MB  rss MB  +tcpdump MB  cpu %${peer ? '  tshark+dumpcap MB  cpu %' : ''}\n`,
);
let lastRedraws = 0;
/** `data`: the heap without compiled code, which the JIT compiler grows and shrinks on its own. */
const heaps: { t: number; heap: number; data: number; rss: number; peerRss?: number }[] = [];
/** The traffic generator and the peer are this process's children too, but not phonedoc. */
const helpers = [generator.pid, peer?.pid];
let ownCpu = processTree(process.pid, helpers).cpuSeconds;
let peerCpu = peer?.pid ? processTree(peer.pid).cpuSeconds : 0;
const firstCpu = { own: ownCpu, peer: peerCpu };
let worstDelay = 0;
/** A third of the way through: in a 30-minute run the session's event windows are full by then. */
const third = Math.ceil(seconds / 3 / every) * every;
for (let t = every; t <= seconds; t += every) {
  await new Promise((r) => setTimeout(r, every * 1000));
  gc?.();
  const capture = sources.find((s) => s.kind === 'capture')?.detail ?? '';
  const lines = tui.screen.current.analysis.phones.reduce(
    (n, p) => n + p.timeline.filter((e) => e.lane === 'console').length,
    0,
  );
  const m = process.memoryUsage();
  const code = getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code'))
    .reduce((n, space) => n + space.space_used_size, 0);
  const analysisStarted = performance.now();
  session.analysis();
  const analysisMs = performance.now() - analysisStarted;
  const perRedraw = redraws > lastRedraws ? renderMs / (redraws - lastRedraws) : 0;
  renderMs = 0;
  const own = processTree(process.pid, helpers);
  const other = peer?.pid ? processTree(peer.pid) : undefined;
  const cpu = `${(((own.cpuSeconds - ownCpu) / every) * 100).toFixed(0).padStart(5)}${other ? `  ${mb(other.rssBytes).padStart(17)}  ${(((other.cpuSeconds - peerCpu) / every) * 100).toFixed(0).padStart(5)}` : ''}`;
  ownCpu = own.cpuSeconds;
  peerCpu = other?.cpuSeconds ?? 0;
  heaps.push({
    t,
    heap: m.heapUsed,
    data: m.heapUsed - code,
    rss: own.rssBytes,
    ...(other ? { peerRss: other.rssBytes } : {}),
  });
  // For finding what grows once the windows are full: a heap snapshot a third of the way through, and at the end.
  if (values['heap-snapshots'] && (t === third || t + every > seconds))
    writeHeapSnapshot(path.join(values['heap-snapshots'], `tui-load-${t}s.heapsnapshot`));
  worstDelay = Math.max(worstDelay, delay.max / 1e6);
  process.stdout.write(
    `${String(t).padStart(4)}  ${String(sent).padStart(7)}  ${capture.padEnd(32)} ${String(lines).padStart(13)}  ` +
      `${((redraws - lastRedraws) / every).toFixed(1).padStart(9)}  ` +
      `${perRedraw.toFixed(1).padStart(9)}  ${analysisMs.toFixed(0).padStart(11)} ` +
      ` ${(delay.percentile(99) / 1e6).toFixed(1).padStart(11)}  ${(delay.max / 1e6).toFixed(0).padStart(6)}  ` +
      `${mb(m.heapUsed).padStart(7)}  ${mb(code).padStart(7)}  ` +
      `${mb(m.rss).padStart(6)}  ${mb(own.rssBytes).padStart(11)}  ${cpu}\n`,
  );
  lastRedraws = redraws;
  delay.reset();
}
generator.kill();
const warm = heaps.find((h) => h.t >= Math.min(60, seconds / 2)) ?? heaps[0]!;
const after = heaps.filter((h) => h.t >= warm.t);
const end = heaps.at(-1)!;
process.stdout.write(
  `heap after ${warm.t} s: ${mb(warm.heap)} MB; at ${end.t} s: ` +
    `${mb(end.heap)} MB (${(end.heap / warm.heap).toFixed(2)}x); ` +
    `highest after ${warm.t} s: ${mb(Math.max(...after.map((h) => h.heap)))} MB; ` +
    `worst event-loop delay ${worstDelay.toFixed(0)} ms\n`,
);
const full = heaps.filter((h) => h.t >= third);
if (full.length > 1) {
  const low = Math.min(...full.map((h) => h.heap));
  const high = Math.max(...full.map((h) => h.heap));
  process.stdout.write(
    `heap from a third of the way in (${third} s) to ${end.t} s: ` +
      `${mb(low)}–${mb(high)} MB (${(((high - low) / low) * 100).toFixed(1)} % apart)\n`,
  );
}
// Which windows were full (they have let older events go): until they all are, the heap may still grow by design.
const forgotten = session.analysis().forgotten ?? {};
const kinds = Object.keys(LIVE_WINDOW) as (keyof typeof LIVE_WINDOW)[];
process.stdout.write(
  `event windows full (events let go): ${
    kinds
      .filter((k) => forgotten[k])
      .map((k) => `${k} ${forgotten[k]!.toLocaleString('en-US')}`)
      .join(', ') || 'none'
  }; ` + `not full yet (or with no such events): ${kinds.filter((k) => !forgotten[k]).join(', ') || 'none'}\n`,
);
process.stdout.write(
  `heap without compiled code: ${mb(warm.data)} MB at ${warm.t} s, ` +
    `${mb(end.data)} MB at ${end.t} s (${(end.data / warm.data).toFixed(2)}x), ` +
    `highest after ${warm.t} s: ${mb(Math.max(...after.map((h) => h.data)))} MB\n`,
);
process.stdout.write(
  `phonedoc (this process + tcpdump) resident: ${mb(warm.rss)} MB at ${warm.t} s, ` +
    `${mb(end.rss)} MB at ${end.t} s (${(end.rss / warm.rss).toFixed(2)}x)\n`,
);
if (peer && end.peerRss !== undefined && warm.peerRss !== undefined) {
  const ownTotal = processTree(process.pid, helpers).cpuSeconds - firstCpu.own;
  const peerTotal = processTree(peer.pid!).cpuSeconds - firstCpu.peer;
  process.stdout.write(
    `tshark (+ dumpcap) resident: ${mb(warm.peerRss)} MB at ${warm.t} s, ` +
      `${mb(end.peerRss)} MB at ${end.t} s (${(end.peerRss / warm.peerRss).toFixed(2)}x); ` +
      `phonedoc/tshark: resident ${(end.rss / end.peerRss).toFixed(2)}x, ` +
      `CPU time ${(ownTotal / peerTotal).toFixed(2)}x\n`,
  );
  peer.kill('SIGINT');
  await new Promise((r) => peer.once('exit', r));
  process.stdout.write(`tshark: ${/(\d+) packets? captured/.exec(peerSays)?.[1] ?? '?'} DHCP/TFTP packets shown\n`);
}
clearInterval(uart);
const started = Date.now();
await session.stop();
process.stdout.write(
  `stopped in ${Date.now() - started} ms; console bytes sent ${consoleBytes}; ` +
    `files kept: ${statSync(path.join(dir, 'capture.pcap')).size} B capture\n`,
);
tui.close();
for (const c of clients) c.destroy();
phone.close();
rmSync(dir, { recursive: true, force: true });

/**
 * CPU seconds and resident bytes of a process and its descendants (from
 * /proc; clock ticks of 100 Hz as on Linux/x86).
 */
function processTree(
  pid: number,
  exclude: readonly (number | undefined)[] = [],
): { cpuSeconds: number; rssBytes: number } {
  let cpuSeconds = 0;
  let rssBytes = 0;
  const visit = (p: number): void => {
    if (exclude.includes(p)) return;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuSeconds += (Number(fields[11]) + Number(fields[12])) / 100;
      rssBytes += Number(fields[21]) * 4096;
      for (const child of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean))
        visit(Number(child));
    } catch {
      // Gone meanwhile.
    }
  };
  visit(pid);
  return { cpuSeconds, rssBytes };
}
