/**
 * `npm run bench:site`: site captures of 1,000 and 10,000 phones booting together (each:
 * DHCP, CTL request, config transfer), `phonedoc analyze` on each as a child process, time
 * per phone for both, their ratio and the peak memory (GNU time's maximum resident set).
 * `-- --phones 500,2000` for other sizes, `-- --format text` (or md) for another report format.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { MEMORY_TARGET_MB, benchDir as dir, cli, repoRoot } from './bench-places.js';
import { commandLine, hasGnuTime, lastErrorLine, measure } from './measure.js';
import { writeSiteCapture } from './site-capture.js';

const RATIO_TARGET = 1.5;

function sizes(): number[] {
  const at = process.argv.indexOf('--phones');
  const text = at < 0 ? '1000,10000' : (process.argv[at + 1] ?? '');
  const list = text.split(',').map(Number);
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--phones wants a comma-separated list of phone counts, got "${text}"`);
  return list;
}

function format(): string {
  const at = process.argv.indexOf('--format');
  const name = at < 0 ? 'json' : (process.argv[at + 1] ?? '');
  if (!['json', 'text', 'md'].includes(name)) throw new Error(`--format wants json, text or md, got "${name}"`);
  return name;
}

async function main(): Promise<number> {
  if (!hasGnuTime()) process.stderr.write('note: /usr/bin/time missing (Debian package time): no peak memory\n');
  mkdirSync(dir, { recursive: true });
  const rows: { phones: number; perPhoneMs: number; peakMb: number | undefined }[] = [];
  for (const phones of sizes()) {
    const file = path.join(dir, `site-${phones}.pcap`);
    if (!existsSync(file)) {
      const made = await writeSiteCapture(file, phones);
      process.stderr.write(`wrote ${file}: ${made.packets} packets, ${made.bytes} bytes\n`);
    }
    const args = [cli, 'analyze', file, '--format', format()];
    const m = await measure(process.execPath, args, { captureStdout: false });
    if (m.exitCode !== 0 && m.exitCode !== 1) {
      process.stderr.write(
        `analyze failed on ${phones} phones: ${m.signal ?? `exit ${m.exitCode}`}: ${lastErrorLine(m.stderrTail)}\n`,
      );
      return 1;
    }
    const peakMb = m.peakRssKib === undefined ? undefined : m.peakRssKib / 1024;
    rows.push({ phones, perPhoneMs: (m.seconds * 1000) / phones, peakMb });
    process.stdout.write(
      `${phones} phones: ${m.seconds.toFixed(2)} s, ${((m.seconds * 1000) / phones).toFixed(3)} ms per phone, peak ${peakMb === undefined ? '?' : peakMb.toFixed(1)} MB   (${commandLine(
        'node',
        args.map((a) => (a.startsWith(repoRoot) ? path.relative(repoRoot, a) : a)),
        true,
      )})\n`,
    );
  }
  let ok = true;
  if (rows.length >= 2) {
    const ratio = rows.at(-1)!.perPhoneMs / rows[0]!.perPhoneMs;
    ok = ratio <= RATIO_TARGET;
    process.stdout.write(
      `time per phone, ${rows.at(-1)!.phones} against ${rows[0]!.phones} phones: ` +
        `${ratio.toFixed(2)}x (target at most ${RATIO_TARGET}x: ${ok ? 'met' : 'NOT met'})\n`,
    );
  }
  const peak = Math.max(...rows.map((r) => r.peakMb ?? 0));
  const memoryOk = peak < MEMORY_TARGET_MB;
  process.stdout.write(
    `peak memory ${peak.toFixed(1)} MB (target under ${MEMORY_TARGET_MB} MB: ${memoryOk ? 'met' : 'NOT met'})\n`,
  );
  return ok && memoryOk ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench:site: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
