/**
 * gzip-compressed captures (.pcap.gz, .pcapng.gz, or any name: recognised by content) are read
 * as they are decompressed, with the same output as the plain file; a cut .gz is damage named
 * with the file and the offset reached, after everything before it was shown (exit 2). zstd is
 * refused in one sentence that says how to decompress it. Concatenated members and zero padding read
 * as gunzip reads them; trailing garbage, a bad trailer and a compression bomb are named after what
 * came before was shown.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../helpers.js';
import { runCli } from '../run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-compressed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const phonedoc = runCli;

const bundle = (name: string, file: string): string => path.join(repoRoot, 'captures', name, file);

describe('gzip-compressed captures', () => {
  for (const [name, file] of [
    ['loads-part-missing', 'capture.pcap'],
    ['capture-snaplen-cut', 'capture.pcapng'],
  ] as const) {
    it(`${name}/${file}.gz decodes and analyses as the plain file does`, async () => {
      const plain = bundle(name, file);
      const gz = path.join(dir, `${name}-${file}.gz`);
      writeFileSync(gz, gzipSync(readFileSync(plain)));
      for (const command of [['decode', '--format', 'jsonl'], ['transfers'], ['analyze', '--format', 'json']]) {
        const expected = await phonedoc(...command, plain);
        const got = await phonedoc(...command, gz);
        assert.equal(got.stderr, '', command.join(' '));
        assert.equal(got.status, expected.status, command.join(' '));
        // analyze names its inputs: the only difference allowed is the file name.
        assert.equal(got.stdout.split(gz).join(plain), expected.stdout, command.join(' '));
      }
    });
  }

  it('a .gz cut in the middle: the packets before are printed, the error names the file and the offset, exit 2', async () => {
    const whole = gzipSync(readFileSync(bundle('loads-part-missing', 'capture.pcap')));
    const cut = path.join(dir, 'cut.pcap.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const all = (await phonedoc('decode', bundle('loads-part-missing', 'capture.pcap'))).stdout
      .split('\n')
      .filter(Boolean);
    const run = await phonedoc('decode', cut);
    assert.equal(run.status, 2);
    const shown = run.stdout.split('\n').filter(Boolean);
    assert.ok(shown.length > 0 && shown.length < all.length, `${shown.length} of ${all.length} packets`);
    assert.deepEqual(shown, all.slice(0, shown.length));
    assert.match(
      run.stderr,
      new RegExp(
        `^phonedoc: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ` +
          `error at byte offset \\d+: the gzip file ends early, after \\d+ compressed bytes`,
      ),
    );
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  });

  describe('gzip members and what follows them, as gunzip reads them', () => {
    const plain = bundle('loads-part-missing', 'capture.pcap');
    const bytes = readFileSync(plain);
    const whole = gzipSync(bytes);
    const shown = async (file: string): Promise<{ status: number; stdout: string; stderr: string }> =>
      phonedoc('decode', file);

    for (const [what, gz] of [
      [
        'two members (a file compressed in two parts)',
        () => Buffer.concat([gzipSync(bytes.subarray(0, 3000)), gzipSync(bytes.subarray(3000))]),
      ],
      ['zero bytes after the data (padding)', () => Buffer.concat([whole, Buffer.alloc(4096)])],
    ] as const) {
      it(`${what}: the same as the plain file`, async () => {
        const file = path.join(dir, 'members.pcap.gz');
        writeFileSync(file, gz());
        const [got, expected] = [await shown(file), await shown(plain)];
        assert.equal(got.stderr, '');
        assert.equal(got.status, expected.status);
        assert.equal(got.stdout, expected.stdout);
      });
    }

    for (const [what, gz, message, compressedAt] of [
      [
        'bytes that are not gzip after the data',
        () => Buffer.concat([whole, Buffer.from('trailing garbage')]),
        `the bytes after the gzip data (from compressed byte ${whole.length}) are not gzip data (trailing garbage)`,
        whole.length,
      ],
      [
        'a CRC-32 that does not match',
        () => {
          const damaged = Buffer.from(whole);
          damaged.writeUInt32LE((damaged.readUInt32LE(damaged.length - 8) ^ 1) >>> 0, damaged.length - 8);
          return damaged;
        },
        'the gzip data is damaged (its CRC-32 or length does not match)',
        // Where its trailer starts.
        whole.length - 8,
      ],
    ] as const) {
      it(`${what}: every packet is shown, then the damage is named, exit 2`, async () => {
        const file = path.join(dir, 'trailing.pcap.gz');
        writeFileSync(file, gz());
        const [got, expected] = [await shown(file), await shown(plain)];
        assert.equal(got.status, 2);
        assert.equal(got.stdout, expected.stdout);
        assert.equal(
          got.stderr,
          `phonedoc: ${file}: error at byte offset ${bytes.length}: ${message}, after ${compressedAt} compressed bytes; ` +
            'byte offsets count in the decompressed capture, and what came before was read\n',
        );
      });
    }

    it('a compression bomb (a capture header, then 320 MiB of zeros) is stopped with a clear message', async () => {
      const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
      const file = path.join(dir, 'bomb.pcap.gz');
      writeFileSync(file, Buffer.concat([gzipSync(bytes.subarray(0, 24)), ...Array.from({ length: 20 }, () => zeros)]));
      const run = await phonedoc('decode', file);
      assert.equal(run.status, 2);
      assert.match(
        run.stderr,
        /the gzip data inflates more than 200-fold \(\d+ bytes from \d+ compressed bytes\), which no capture or ticket does/,
      );
    });
  });

  it('zstd: one sentence saying how to decompress it, exit 2', async () => {
    const zst = path.join(dir, 'capture.pcap.zst');
    writeFileSync(zst, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    const run = await phonedoc('decode', zst);
    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      `phonedoc: cannot read capture ${zst}: it is zstd-compressed, ` +
        `which Node 20 cannot decompress; run zstd -d ${zst} and give the decompressed file\n`,
    );
  });
});
