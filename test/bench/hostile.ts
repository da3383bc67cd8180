/**
 * `npm run bench:hostile`: the capture shapes of test/bench/hostile-shapes.ts (floods, one
 * phone booting or asking again and again, clocks jumping, time going backwards), each run
 * through `phonedoc analyze`, `decode` and `transfers` as child processes, with tshark's
 * packet count on the same file for a peer when it is installed: seconds, peak memory (GNU
 * time's maximum resident set) and exit code. `-- --scale 0.1` for smaller files,
 * `-- --shapes reboots,arp-flood` to pick.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { hostileShapes, writeShape } from './hostile-shapes.js';
import { MEMORY_TARGET_MB, benchDir as dir, cli, option, scaleOption, repoRoot } from './bench-places.js';
import { commandLine, hasGnuTime, measure, onPath } from './measure.js';

async function main(): Promise<number> {
  if (!hasGnuTime()) process.stderr.write('note: /usr/bin/time missing (Debian package time): no peak memory\n');
  mkdirSync(dir, { recursive: true });
  const s = scaleOption();
  const picked = option('--shapes')?.split(',');
  type Run = [tool: string, command: (file: string) => [string, string[]]];
  const runs: Run[] = [
    ['analyze', (f) => [process.execPath, [cli, 'analyze', f, '--format', 'json']]],
    ['decode', (f) => [process.execPath, [cli, 'decode', f, '--format', 'jsonl']]],
    ['transfers', (f) => [process.execPath, [cli, 'transfers', f]]],
  ];
  if (onPath('tshark')) runs.push(['tshark', (f) => ['tshark', ['-n', '-r', f, '-q', '-z', 'io,stat,0']]]);
  let ok = true;
  for (const shape of hostileShapes(s).filter((h) => !picked || picked.includes(h.name))) {
    const file = path.join(dir, `hostile-${shape.name}${s === 1 ? '' : `-x${s}`}.pcap`);
    if (!existsSync(file)) {
      const made = await writeShape(file, shape);
      process.stderr.write(`wrote ${file}: ${made.packets} packets, ${made.bytes} bytes\n`);
    }
    process.stdout.write(`${shape.name}: ${shape.what}\n`);
    for (const [tool, command] of runs) {
      const [program, args] = command(file);
      const m = await measure(program, args, { captureStdout: false });
      const peak = m.peakRssKib === undefined ? undefined : m.peakRssKib / 1024;
      const failed = tool !== 'tshark' && (m.exitCode === null || m.exitCode > 2);
      if (failed || (tool !== 'tshark' && peak !== undefined && peak >= MEMORY_TARGET_MB)) ok = false;
      process.stdout.write(
        `  ${tool.padEnd(9)} ${m.seconds.toFixed(2).padStart(7)} s  peak ${peak === undefined ? '?' : peak.toFixed(1).padStart(6)} MB  ${m.signal ?? `exit ${m.exitCode}`}   (${commandLine(
          tool === 'tshark' ? program : 'node',
          args.map((a) => (a.startsWith(repoRoot) ? path.relative(repoRoot, a) : a)),
          true,
        )})\n`,
      );
    }
  }
  process.stdout.write(
    `phonedoc: every run ended with exit 0, 1 or 2 and peaked under ${MEMORY_TARGET_MB} MB: ${ok ? 'yes' : 'NO'}\n`,
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench:hostile: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
