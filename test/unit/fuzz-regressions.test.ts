/**
 * Every input the fuzz suite (test/slow/fuzz-captures.test.ts) found a bug with, kept in
 * test/fixtures/fuzz/ (README.md there says what each exercises), run again through the same
 * properties: in-process in one piece and in odd chunks, through the CLI, and with the checks
 * that pin down what each bug got wrong.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CaptureDecoder } from '../../parsers/capture/decoder.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { TimeBudget } from '../fuzz/budget.js';
import { checkCliRun, checkDecodeOutput, checkTransfersOutput, runCli } from '../fuzz/cli-check.js';
import { captureLayout } from '../fuzz/layout.js';
import { checkCase, runPipeline } from '../fuzz/properties.js';
import { fixture, requireTool } from '../helpers.js';

const DIR = fixture('fuzz');
const FIXTURES = readdirSync(DIR)
  .filter((n) => /\.(pcap|pcapng)$/.test(n))
  .sort();
const CLI_TIMEOUT_MS = 30_000;
const budget = new TimeBudget();

const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(DIR, name)));

// A full GC on demand, to measure memory still held rather than garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heldBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/**
 * CPU milliseconds of this process for the fastest of three runs: CPU time, unlike the clock,
 * does not grow when other work shares the machine, and the fastest run is the least disturbed.
 */
function decodeMs(bytes: Uint8Array): number {
  return Math.min(
    ...[0, 1, 2].map(() => {
      const before = process.cpuUsage();
      runPipeline(bytes, [], true);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    }),
  );
}

/** The jsonl record of the first packet `phonedoc decode` prints. */
async function firstPacket(name: string): Promise<Record<string, unknown>> {
  const run = await runCli(['decode', path.join(DIR, name), '--format', 'jsonl'], { timeoutMs: CLI_TIMEOUT_MS });
  assert.deepEqual(checkCliRun('decode', run), []);
  return JSON.parse(run.stdout.split('\n')[0]!) as Record<string, unknown>;
}

describe('fuzz regressions: every fixture', () => {
  test('there are fixtures', () => assert.ok(FIXTURES.length > 0));

  for (const name of FIXTURES) {
    test(`${name}: in-process properties, whole and in odd chunks`, () => {
      const bytes = bytesOf(name);
      for (const chunkSizes of [[], [7, 4096, 1, 65536, 13]]) {
        assert.deepEqual(
          checkCase(bytes, { chunkSizes, budgetMs: budget.forBytes(bytes.length) }),
          [],
          `chunks ${chunkSizes.join(',') || 'one'}`,
        );
      }
    });

    test(`${name}: the CLI decodes it (exit 0 or 2, what the pipeline decodes, bounded RSS)`, async () => {
      const bytes = bytesOf(name);
      const expected = runPipeline(bytes, [], true);
      const file = path.join(DIR, name);
      // Three processes side by side: each is measured on its own (exit, output, peak RSS).
      const [decode, viaStdin, transfers] = await Promise.all([
        runCli(['decode', file, '--format', 'jsonl'], { timeoutMs: CLI_TIMEOUT_MS }),
        runCli(['decode', '-', '--format', 'jsonl'], { timeoutMs: CLI_TIMEOUT_MS, stdin: bytes }),
        runCli(['transfers', file, '--format', 'jsonl'], { timeoutMs: CLI_TIMEOUT_MS }),
      ]);
      assert.deepEqual(
        [
          ...checkCliRun('decode', decode),
          ...checkDecodeOutput('decode', decode, expected),
          ...checkCliRun('decode -', viaStdin),
          ...checkDecodeOutput('decode -', viaStdin, expected),
          ...checkCliRun('transfers', transfers),
          ...checkTransfersOutput('transfers', transfers, expected),
        ],
        [],
      );
    });

    const units = captureLayout(bytesOf(name)).units;
    if (units.length >= 100) {
      test(`${name}: decoding time grows linearly (all of it within 8 times its first quarter)`, () => {
        const bytes = bytesOf(name);
        const quarter = bytes.subarray(0, units[Math.floor(units.length / 4)]!.end);
        decodeMs(bytes); // JIT warm-up
        const part = decodeMs(quarter);
        const whole = decodeMs(bytes);
        assert.ok(
          whole <= 8 * part + 25,
          `${whole.toFixed(1)} ms for all, ${part.toFixed(1)} ms for the first quarter`,
        );
      });
    }
  }
});

describe('fuzz regressions: what each bug got wrong', () => {
  test('a pcapng time past year 275760 (if_tsresol 0: nanosecond counts read as seconds) prints as an expanded ISO 8601 year', async () => {
    const record = await firstPacket('pcapng-timestamp-beyond-year-275760.pcapng');
    // 1.7e18 s after 1970 is in year 53,870,857,431 (Gregorian years of 365.2425 days).
    assert.match(String(record.time), /^\+53870857431-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('a pcapng time past year 9999 keeps its seconds, as tshark shows the same instant', async (t) => {
    const record = await firstPacket('pcapng-timestamp-after-year-9999.pcapng');
    if (!requireTool(t, 'tshark', 'tshark')) return;
    const epoch = execFileSync(
      'tshark',
      [
        '-n',
        '-r',
        path.join(DIR, 'pcapng-timestamp-after-year-9999.pcapng'),
        '-c',
        '1',
        '-T',
        'fields',
        '-e',
        'frame.time_epoch',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ).trim();
    const [seconds = '', fraction = ''] = epoch.split('.');
    const iso = new Date(Number(seconds) * 1000).toISOString().replace(/\.000Z$/, '');
    assert.equal(record.time, `${iso}.${fraction.slice(0, 6)}Z`);
  });

  test('option 119 whose names point at one 8000-octet name is shown as hex, not as thousands of 8000-octet names (RFC 1035: 255 octets at most)', async () => {
    const record = await firstPacket('dhcp-option-119-pointers-to-a-long-name.pcap');
    const options = record.options as Record<string, unknown>;
    assert.equal(typeof options['119'], 'string', 'hex, not a list of names');
    assert.match(String(options['119']), /^(0161)+/);
    assert.ok(
      (record.warnings as string[]).some((w) => w.startsWith('option 119 ')),
      'a warning says the bytes do not fit the format',
    );
  });

  test('TFTP blocks numbered in steps of 32767 do not make the transfers hold a bit for every block skipped', () => {
    const bytes = bytesOf('tftp-block-numbers-jumping-by-32767.pcap');
    const transfers: TftpTransfer[] = [];
    const decoder = new CaptureDecoder({ transfer: (t) => transfers.push(t), problem: () => undefined });
    const reader = new CaptureReader(decoder);
    const before = heldBytes();
    reader.feed(bytes);
    reader.end();
    // Eight open transfers, each past block 16 million after 513 DATA: 2 MiB
    // of bits each for DATA and ACKs before the fix.
    const held = heldBytes() - before;
    decoder.finish();
    assert.equal(transfers.length, 8);
    assert.ok(held < 12 * 1024 * 1024, `${(held / 1048576).toFixed(1)} MiB held by 8 open transfers of 513 DATA each`);
    // The jumps are still followed: the blocks skipped (512 x 32766 and more) are counted as missing.
    assert.ok(
      transfers.every((t) => t.blocks >= 512 && t.missingBlocks >= 512 * 32766),
      transfers.map((t) => `${t.blocks}/${t.missingBlocks}`).join(' '),
    );
  });

  test('a UDP datagram never reaches past 65535 bytes (RFC 768), even with IPv4 total length 0 and UDP length 0 in a 70,000-byte frame', async () => {
    const record = await firstPacket('udp-datagram-longer-than-65535-bytes.pcap');
    const warnings = record.warnings as string[];
    // The DHCP payload is what follows the 8-byte UDP header: 65535 - 8 = 65527 bytes.
    assert.ok(
      warnings.some((w) => w.includes('ends at offset 65527')),
      warnings.join('\n'),
    );
  });
});
