/**
 * `npm run bench:serverlog`: the server-log shapes of test/bench/server-log-shapes.ts, each
 * through `phonedoc analyze --server-log` as a child process, beside `grep -c dnsmasq` and
 * `wc -l` on the same file (what finding the few lines by hand costs): seconds, peak memory
 * (GNU time's maximum resident set), exit code, phonedoc's time as a multiple of grep's, and
 * whether each phone's story came out. `-- --scale 0.1` for smaller files, `-- --shapes syslog,leases` to pick.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { MEMORY_TARGET_MB, benchDir as dir, cli, option, scaleOption, repoRoot } from './bench-places.js';
import { commandLine, hasGnuTime, measure } from './measure.js';
import { serverLogShapes, writeServerLogShape } from './server-log-shapes.js';

function row(tool: string, seconds: number, peakKib: number | undefined, end: string, line: string): string {
  const peak = peakKib === undefined ? '?' : (peakKib / 1024).toFixed(1);
  return `  ${tool.padEnd(14)} ${seconds.toFixed(2).padStart(7)} s  peak ${peak.padStart(6)} MB  ${end.padEnd(7)}  (${line})\n`;
}

async function main(): Promise<number> {
  if (!hasGnuTime()) process.stderr.write('note: /usr/bin/time missing (Debian package time): no peak memory\n');
  mkdirSync(dir, { recursive: true });
  const s = scaleOption();
  const picked = option('--shapes')?.split(',');
  let ok = true;
  for (const shape of serverLogShapes(s).filter((h) => !picked || picked.includes(h.name))) {
    const file = path.join(dir, `server-log-${shape.name}${s === 1 ? '' : `-x${s}`}.log`);
    if (!existsSync(file)) process.stderr.write(`wrote ${file}: ${writeServerLogShape(file, shape)} lines\n`);
    process.stdout.write(`${shape.name}: ${shape.what}\n`);
    const args = [cli, 'analyze', '--server-log', file, '--format', 'json'];
    const phonedoc = await measure(process.execPath, args, { captureStdout: true });
    const grep = await measure('grep', ['-c', 'dnsmasq', file], { captureStdout: false });
    const wc = await measure('wc', ['-l', file], { captureStdout: false });
    const phones = phonedoc.exitCode === 2 ? 0 : (JSON.parse(phonedoc.stdout) as { phones: unknown[] }).phones.length;
    const peakMb = (phonedoc.peakRssKib ?? 0) / 1024;
    const right = phones === shape.phones && phonedoc.exitCode !== null && phonedoc.exitCode <= 2;
    if (!right || peakMb >= MEMORY_TARGET_MB) ok = false;
    const shown = args.map((a) => (a.startsWith(repoRoot) ? path.relative(repoRoot, a) : a));
    process.stdout.write(
      row(
        'phonedoc',
        phonedoc.seconds,
        phonedoc.peakRssKib,
        `exit ${phonedoc.exitCode}`,
        commandLine('node', shown, true),
      ),
    );
    process.stdout.write(
      row('grep -c', grep.seconds, grep.peakRssKib, `exit ${grep.exitCode}`, `grep -c dnsmasq ${file}`),
    );
    process.stdout.write(row('wc -l', wc.seconds, wc.peakRssKib, `exit ${wc.exitCode}`, `wc -l ${file}`));
    process.stdout.write(
      `  phonedoc / grep ${(phonedoc.seconds / grep.seconds).toFixed(0)}×, / wc ${(phonedoc.seconds / wc.seconds).toFixed(0)}×; phones ${phones} of ${shape.phones}\n`,
    );
  }
  process.stdout.write(
    `phonedoc: every phone's story out, exit 0-2, peak under ${MEMORY_TARGET_MB} MB: ${ok ? 'yes' : 'NO'}\n`,
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench:serverlog: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
