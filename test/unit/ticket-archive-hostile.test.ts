/**
 * Hostile ticket archives: names that leave the folder or that the file system cannot hold,
 * clashing entries, links and devices, lying tar headers and zip directories, bombs. Every
 * entry not written is listed with its reason, nothing is written outside the temporary folder,
 * and every failure is exit 2 naming the archive, the entry or offset and what was wrong.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { MAX_ENTRIES, MAX_UNPACKED_BYTES } from '../../src/sources/archive-unpacker.js';
import { type ArchiveKind, unpackArchive } from '../../src/sources/ticket-archive.js';
import { paxEntry, TAR_END, tarEntry, zipOf, type ZipEntry } from '../archive-bytes.js';
import { cliPath, repoRoot, until } from '../helpers.js';
import { runCli } from '../run-cli.js';

const work = mkdtempSync(path.join(tmpdir(), 'phonedoc-archive-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const capture = readFileSync(path.join(repoRoot, 'captures', 'loads-part-missing', 'capture.pcap'));
const regexp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function write(name: string, bytes: Buffer): string {
  const file = path.join(work, name);
  writeFileSync(file, bytes);
  return file;
}

/** Unpacks, gives the files written (relative, sorted) and the skipped list; removes the folder. */
async function unpacked(file: string, kind: ArchiveKind): Promise<{ files: string[]; skipped: readonly string[] }> {
  const archive = await unpackArchive(file, kind);
  try {
    const files = readdirSync(archive.dir, { recursive: true })
      .map(String)
      .filter((f) => lstatSync(path.join(archive.dir, f)).isFile())
      .sort();
    return { files, skipped: archive.skipped };
  } finally {
    await archive.remove();
  }
}

const tarOf = (...entries: Buffer[]): Buffer => Buffer.concat([...entries, TAR_END]);

describe('entry names', () => {
  const refused: [string, RegExp][] = [
    ['../../escaped', /points outside the folder/],
    ['a/../../escaped', /points outside the folder/],
    [`${work}/escaped`, /an absolute name/],
    ['C:\\escaped', /an absolute name/],
    ['\\\\server\\escaped', /an absolute name/],
    ['', /an empty name/],
    ['./.', /an empty name/],
    ['a\u0000b', /control characters/],
    ['a\u001b[2Jb', /control characters/],
    ['a\nFAKE LINE', /control characters/],
    ['x'.repeat(256), /a name part longer than 255 bytes/],
    [Array.from({ length: 20 }, () => 'y'.repeat(200)).join('/'), /a name longer than 3072 bytes/],
    [`${'d/'.repeat(40)}f`, /more than 32 folders deep/],
  ];
  for (const kind of ['tar', 'zip'] as const) {
    it(`a ${kind}: each refused name is listed with its reason, the capture beside them unpacked`, async () => {
      const entries = [...refused.map(([name]) => name), 'capture.pcap'];
      const bytes =
        kind === 'zip'
          ? zipOf(entries.map((name) => ({ name, data: name === 'capture.pcap' ? capture : Buffer.from('x') })))
          : tarOf(
              ...entries.map((name) =>
                // Names over 100 bytes go in a pax record, as tar writes them (and a NUL would end the header's).
                Buffer.byteLength(name) > 100 || name.includes('\u0000')
                  ? Buffer.concat([paxEntry({ path: name }), tarEntry('long', Buffer.from('x'))])
                  : tarEntry(name, name === 'capture.pcap' ? capture : Buffer.from('x')),
              ),
            );
      const { files, skipped } = await unpacked(write(`names.${kind}`, bytes), kind);
      assert.deepEqual(files, ['capture.pcap']);
      assert.equal(existsSync(path.join(work, 'escaped')), false);
      assert.equal(skipped.length, refused.length, skipped.join('\n'));
      for (const [i, [, reason]] of refused.entries()) assert.match(skipped[i]!, reason);
    });
  }

  it('bidirectional and C1 characters are written (they are escaped wherever a name is shown)', async () => {
    const names = ['rtl-\u202efdp.exe', 'csi-\u009b31m'];
    const { files, skipped } = await unpacked(
      write(
        'shown.tar',
        tarOf(
          paxEntry({ path: names[0]! }),
          tarEntry('a', Buffer.from('x')),
          paxEntry({ path: names[1]! }),
          tarEntry('b', Buffer.from('x')),
        ),
      ),
      'tar',
    );
    assert.deepEqual(skipped, []);
    assert.deepEqual(files, [...names].sort());
  });
});

describe('clashing entries', () => {
  for (const kind of ['tar', 'zip'] as const) {
    it(`a ${kind}: a second entry of a name, a file and a folder of one name: the first kept, the others listed`, async () => {
      const entries: [string, string][] = [
        ['same', 'first'],
        ['same', 'second'],
        ['file', 'a file'],
        ['file/below', 'below a file'],
        ['folder/inside', 'in a folder'],
        ['folder', 'a file named as the folder'],
        ['Case', 'upper'],
        ['case', 'lower'],
      ];
      const bytes =
        kind === 'zip'
          ? zipOf(entries.map(([name, text]) => ({ name, data: Buffer.from(text) })))
          : tarOf(...entries.map(([name, text]) => tarEntry(name, Buffer.from(text))));
      const file = write(`clash.${kind}`, bytes);
      const archive = await unpackArchive(file, kind);
      try {
        assert.equal(readFileSync(path.join(archive.dir, 'same'), 'utf8'), 'first');
        assert.equal(readFileSync(path.join(archive.dir, 'file'), 'utf8'), 'a file');
        assert.equal(readFileSync(path.join(archive.dir, 'folder', 'inside'), 'utf8'), 'in a folder');
        assert.deepEqual(archive.skipped, [
          '"same": a second entry of this name (the first is kept)',
          '"file/below": a name below a file of the same name as its folder',
          '"folder": a file where the archive has a folder of this name',
        ]);
      } finally {
        await archive.remove();
      }
    });
  }
});

describe('tar entries that are not regular files, and tar headers', () => {
  it('links, devices, FIFOs and sparse files are listed by kind; a file "through" a link lands in the folder', async () => {
    const target = path.join(work, 'link-target');
    mkdirSync(target);
    const file = write(
      'kinds.tar',
      tarOf(
        tarEntry('link', Buffer.alloc(0), { type: '2', link: target }),
        tarEntry('link/evil', Buffer.from('x')),
        tarEntry('hard', Buffer.alloc(0), { type: '1', link: '/etc/passwd' }),
        tarEntry('tty', Buffer.alloc(0), { type: '3' }),
        tarEntry('disk', Buffer.alloc(0), { type: '4' }),
        tarEntry('fifo', Buffer.alloc(0), { type: '6' }),
        tarEntry('holes', Buffer.from('sparse map'), { type: 'S' }),
        paxEntry({ 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'pax-holes' }),
        tarEntry('GNUSparseFile.0/pax-holes', Buffer.from('map and data')),
      ),
    );
    const archive = await unpackArchive(file, 'tar');
    try {
      assert.deepEqual(readdirSync(target), []);
      assert.ok(lstatSync(path.join(archive.dir, 'link')).isDirectory());
      assert.deepEqual(archive.skipped, [
        '"link": a symbolic link',
        '"hard": a hard link',
        '"tty": a character device',
        '"disk": a block device',
        '"fifo": a FIFO',
        '"holes": a sparse file',
        '"pax-holes": a sparse file',
      ]);
    } finally {
      await archive.remove();
    }
  });

  it('a pax size, a GNU long name and a base-256 size are read', async () => {
    const longName = `${'n'.repeat(150)}/capture.pcap`;
    const base256 = Buffer.alloc(12);
    base256[0] = 0x80;
    base256.writeUInt32BE(capture.length, 8);
    const file = write(
      'sizes.tar',
      tarOf(
        paxEntry({ size: String(capture.length) }),
        tarEntry('pax-sized.pcap', Buffer.alloc(0)).subarray(0, 512),
        capture,
        Buffer.alloc((512 - (capture.length % 512)) % 512),
        tarEntry('././@LongLink', Buffer.from(`${longName}\0`), { type: 'L' }),
        tarEntry('short', capture),
        tarEntry('base256.pcap', capture, { sizeField: base256 }),
      ),
    );
    const { files, skipped } = await unpacked(file, 'tar');
    assert.deepEqual(skipped, []);
    assert.deepEqual(files, ['base256.pcap', longName, 'pax-sized.pcap'].sort());
  });

  it('a tar.gz followed by bytes that are not gzip: the tar is read to its end, the bytes after it are not', async () => {
    const file = write(
      'trailing.tar.gz',
      Buffer.concat([
        gzipSync(tarOf(tarEntry('./', Buffer.alloc(0), { type: '5' }), tarEntry('./capture.pcap', capture))),
        Buffer.from('garbage'),
      ]),
    );
    assert.deepEqual(await unpacked(file, 'tar.gz'), { files: ['capture.pcap'], skipped: [] });
  });

  it('a tar.gz cut short: exit 2 naming the archive, the entry and the cut', async () => {
    const whole = gzipSync(tarOf(tarEntry('capture.pcap', capture)));
    const file = write('cut.tar.gz', whole.subarray(0, whole.length - 200));
    const run = await runCli('analyze', file);
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      new RegExp(`^phonedoc: ${regexp(file)}: the entry "capture\\.pcap" cannot be read \\(the gzip file ends early`),
    );
  });

  it('a tar without its two closing zero blocks is read to its last whole entry', async () => {
    const file = write(
      'unended.tar',
      Buffer.concat([tarEntry('capture.pcap', capture), tarEntry('b', Buffer.from('x'))]),
    );
    assert.deepEqual(await unpacked(file, 'tar'), { files: ['b', 'capture.pcap'], skipped: [] });
  });

  const damaged: [string, () => Buffer, RegExp][] = [
    [
      'a bad checksum',
      () => tarOf(tarEntry('capture.pcap', capture), tarEntry('next', Buffer.from('x'), { badChecksum: true })),
      /the tar header at byte 6656 is damaged: its checksum does not match/,
    ],
    [
      'a negative base-256 size',
      () => tarOf(tarEntry('neg', Buffer.alloc(0), { sizeField: Buffer.alloc(12, 0xff) })),
      /the tar header at byte 0 is damaged: a negative size/,
    ],
    [
      'a size that is not octal',
      () => tarOf(tarEntry('text', Buffer.alloc(0), { sizeField: Buffer.from('12345678abc\0') })),
      /the tar header at byte 0 is damaged: "12345678abc" where an octal size was expected/,
    ],
    [
      'a 512 MB long name record',
      () => tarOf(tarEntry('././@LongLink', Buffer.alloc(0), { type: 'L', sizeField: Buffer.from('03641100000\0') })),
      /the tar header at byte 0 has 512000000 bytes of long name or pax records/,
    ],
    [
      'a pax record longer than its header',
      () => tarOf(tarEntry('PaxHeader', Buffer.from('99999 path=x\n'), { type: 'x' }), tarEntry('x', capture)),
      /the tar header at byte 0 is damaged: a pax extended header with a damaged record/,
    ],
    [
      'a folder entry of 8 GiB, cut',
      () => tarOf(tarEntry('d/', Buffer.alloc(0), { type: '5', sizeField: Buffer.from('77777777777\0') })),
      /the tar archive ends in the middle of "d\/"/,
    ],
  ];
  for (const [what, bytes, message] of damaged) {
    it(`${what}: exit 2 naming the archive and where`, async () => {
      const file = write('damaged.tar', bytes());
      const run = await runCli('analyze', file);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^phonedoc: ${regexp(file)}: `));
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    });
  }
});

describe('zip directories', () => {
  const ok: [string, () => Buffer][] = [
    [
      'bytes before the zip (self-extracting)',
      () =>
        Buffer.from(
          zipOf([{ name: 'capture.pcap', data: capture }], { prefix: Buffer.from('MZ#!/bin/sh\nexit 0\n'.repeat(50)) }),
        ),
    ],
    [
      'a fake end record inside the comment',
      () => {
        const fake = Buffer.alloc(22);
        fake.writeUInt32LE(0x06054b50, 0);
        fake.writeUInt16LE(1, 10);
        fake.writeUInt32LE(46, 12);
        return zipOf([{ name: 'capture.pcap', data: capture }], {
          comment: Buffer.concat([Buffer.from('note '), fake]),
        });
      },
    ],
    [
      'a deflated entry with its real CRC-32',
      () => zipOf([{ name: 'capture.pcap', data: capture, deflate: true, crc: 'real' }]),
    ],
  ];
  for (const [what, bytes] of ok) {
    it(`${what}: the capture is unpacked and analysed`, async () => {
      const file = write('ok.zip', bytes());
      const run = await runCli('analyze', '--format', 'json', file);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`${regexp(file)}: a zip archive, 1 files unpacked into`));
      assert.equal(JSON.parse(run.stdout).inputs.length, 1);
    });
  }

  const damaged: [string, () => Buffer, RegExp][] = [
    [
      'a CRC-32 that does not match',
      () => zipOf([{ name: 'capture.pcap', data: capture, crc: 0x12345678 }]),
      /the entry "capture\.pcap" is damaged \(its CRC-32 does not match its directory entry\)/,
    ],
    [
      'an entry inflating past its declared size (a bomb that lies)',
      () => zipOf([{ name: 'big', data: Buffer.alloc(10_000_000), deflate: true, declaredSize: 1000 }]),
      /the entry "big" is damaged \(it holds more than the 1000 bytes its directory entry declares\)/,
    ],
    [
      'a deflate stream cut short',
      () =>
        zipOf([
          {
            name: 'capture.pcap',
            data: deflateRawSync(capture).subarray(0, 500),
            method: 8,
            declaredSize: capture.length,
          },
        ]),
      /the entry "capture\.pcap" cannot be read \(unexpected end of file\)/,
    ],
    [
      'a central directory said to lie beyond the file',
      () => zipOf([{ name: 'capture.pcap', data: capture }], { directoryOffset: 1_000_000_000 }),
      /the zip end record puts the central directory \(\d+ bytes at offset 1000000000\) outside the file/,
    ],
    [
      'a central directory of 4 GiB',
      () => zipOf([{ name: 'capture.pcap', data: capture }], { directorySize: 0xfffffff0 }),
      /the zip end record puts the central directory \(4294967280 bytes at offset \d+\) outside the file/,
    ],
    [
      'a zip64 end record',
      () => zipOf([{ name: 'capture.pcap', data: capture }], { count: 0xffff }),
      /a zip64 archive; unpack it yourself and give the folder/,
    ],
    [
      'one part of a split zip',
      () => {
        const zip = zipOf([{ name: 'capture.pcap', data: capture }]);
        zip.writeUInt16LE(1, zip.length - 22 + 4);
        return zip;
      },
      /one part of a zip split over several files; join the parts \(zip -s 0\) and give the whole/,
    ],
    [
      `more than ${MAX_ENTRIES} entries`,
      () => zipOf(Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => ({ name: `e${i}`, data: Buffer.alloc(0) }))),
      new RegExp(`more than ${MAX_ENTRIES} entries; unpack it yourself and give the folder`),
    ],
    [
      'entries declaring more than the cap in all (a bomb refused before a byte is written)',
      () =>
        zipOf(
          Array.from({ length: 3 }, (_, i) => ({
            name: `part${i}`,
            data: Buffer.alloc(0),
            deflate: true,
            declaredSize: MAX_UNPACKED_BYTES / 2,
          })),
        ),
      /unpacks to more than 1024 MiB; unpack it yourself and give the folder/,
    ],
  ];
  for (const [what, bytes, message] of damaged) {
    it(`${what}: exit 2 naming the archive and what is wrong`, async () => {
      const file = write('damaged.zip', bytes());
      const run = await runCli('analyze', file);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^phonedoc: ${regexp(file)}: `));
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    });
  }

  it('encrypted entries, bzip2 and LZMA are listed as not unpacked', async () => {
    const entries: ZipEntry[] = [
      { name: 'capture.pcap', data: capture },
      { name: 'secret.pcap', data: capture, flags: 1 },
      { name: 'bzip2.pcap', data: capture, method: 12 },
      { name: 'lzma.pcap', data: capture, method: 14 },
    ];
    const { files, skipped } = await unpacked(write('methods.zip', zipOf(entries)), 'zip');
    assert.deepEqual(files, ['capture.pcap']);
    assert.deepEqual(skipped, [
      '"secret.pcap": encrypted',
      '"bzip2.pcap": compression method 12 (phonedoc reads stored and deflated entries)',
      '"lzma.pcap": compression method 14 (phonedoc reads stored and deflated entries)',
    ]);
  });
});

describe('bombs and nesting', () => {
  it('a tar.gz whose entry declares more than the cap stops before writing it', async () => {
    const huge = Buffer.from(`${(MAX_UNPACKED_BYTES * 2).toString(8).padStart(11, '0')}\0`);
    const file = write(
      'bomb.tar.gz',
      gzipSync(Buffer.concat([tarEntry('big', Buffer.alloc(0), { sizeField: huge }), Buffer.alloc(1024 * 1024)])),
    );
    const run = await runCli('analyze', file);
    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      `phonedoc: ${file}: unpacks to more than 1024 MiB (at the entry "big"); unpack it yourself and give the folder\n`,
    );
  });

  it('a tar.gz of a thousandfold compression is recognised as a tar.gz', async () => {
    const file = write(
      'zeros.tar.gz',
      gzipSync(tarOf(tarEntry('capture.pcap', capture), tarEntry('zeros', Buffer.alloc(2_000_000)))),
    );
    const run = await runCli('analyze', file);
    assert.match(run.stderr, /a tar\.gz archive, 2 files unpacked into/);
  });

  it('a capture whose first packet holds "ustar" where a tar header has it is read as a capture', async () => {
    const forged = Buffer.from(capture);
    forged.write('ustar', 257, 'latin1');
    for (const [name, bytes] of [
      ['ustar.pcap', forged],
      ['ustar.pcap.gz', gzipSync(forged)],
    ] as const) {
      const run = await runCli('analyze', write(name, bytes));
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stderr, '', name);
    }
  });

  it('an archive inside the ticket is named and not opened', async () => {
    const inner = zipOf([{ name: 'capture.pcap', data: capture }]);
    const file = write(
      'nested.zip',
      zipOf([
        { name: 'capture.pcap', data: capture },
        { name: 'inner.zip', data: inner },
      ]),
    );
    const run = await runCli('analyze', file);
    assert.equal(run.status, 1, run.stderr);
    assert.match(
      run.stderr,
      /inner\.zip: not used \(a zip archive inside the ticket, not opened: unpack it and give its folder\)/,
    );
  });
});

describe('the temporary folder', () => {
  it('is made for its owner alone (0700)', async () => {
    const archive = await unpackArchive(write('mode.zip', zipOf([{ name: 'capture.pcap', data: capture }])), 'zip');
    try {
      assert.equal(statSync(archive.dir).mode & 0o777, 0o700);
      assert.equal(statSync(path.join(archive.dir, 'capture.pcap')).mode & 0o077, 0);
    } finally {
      await archive.remove();
    }
  });

  it('cannot be made (TMPDIR missing): exit 2 saying so, naming the archive', () => {
    const file = write('tmpdir.zip', zipOf([{ name: 'capture.pcap', data: capture }]));
    const missing = path.join(work, 'no-such-tmp');
    const run = spawnSync(process.execPath, [cliPath, 'analyze', file], {
      env: { ...process.env, TMPDIR: missing },
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      `phonedoc: ${file}: cannot make a folder to unpack it in ${missing} (no such file or directory); ` +
        'set TMPDIR to a folder phonedoc may write in\n',
    );
  });

  it('is removed when the reader of the output closes the pipe early', async () => {
    const temp = mkdtempSync(path.join(work, 'tmp-'));
    const file = write('pipe.zip', zipOf([{ name: 'capture.pcap', data: capture }]));
    const child = spawn(process.execPath, [cliPath, 'analyze', file], {
      env: { ...process.env, TMPDIR: temp },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'exit')) as [number | null];
    // 0 when a write met the closed pipe; 1 (problems found) when the report was all written before it closed.
    assert.ok(code === 0 || code === 1, String(code));
    assert.deepEqual(readdirSync(temp), []);
  });

  it('is removed when the archive turns out damaged half-way', () => {
    const temp = mkdtempSync(path.join(work, 'tmp-'));
    const file = write(
      'half.tar',
      tarOf(tarEntry('capture.pcap', capture), tarEntry('next', Buffer.from('x'), { badChecksum: true })),
    );
    const run = spawnSync(process.execPath, [cliPath, 'analyze', file], {
      env: { ...process.env, TMPDIR: temp },
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /its checksum does not match/);
    assert.deepEqual(readdirSync(temp), []);
  });

  it('a dozen archives at once: each unpacked and removed, no warning about listeners', () => {
    const temp = mkdtempSync(path.join(work, 'tmp-'));
    const files = Array.from({ length: 12 }, (_, i) =>
      write(`many-${i}.zip`, zipOf([{ name: `capture-${i}.pcap`, data: capture }])),
    );
    const run = spawnSync(process.execPath, [cliPath, 'analyze', ...files], {
      env: { ...process.env, TMPDIR: temp },
      encoding: 'utf8',
    });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr.split(': a zip archive, 1 files unpacked into').length - 1, 12);
    assert.doesNotMatch(run.stderr, /Warning/);
    assert.deepEqual(readdirSync(temp), []);
  });

  it('an archive given twice is opened once', async () => {
    const file = write('twice.zip', zipOf([{ name: 'capture.pcap', data: capture }]));
    const run = await runCli('analyze', file, file);
    assert.equal(run.stderr.split(`${file}: a zip archive`).length - 1, 1, run.stderr);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`is removed when ${signal} ends phonedoc while it unpacks, and phonedoc ends by that signal`, async () => {
      const temp = mkdtempSync(path.join(work, 'tmp-'));
      // Slow enough to be caught unpacking: many files, each written on its own.
      const entries = Array.from({ length: 9000 }, (_, i) => tarEntry(`f${i}`, Buffer.alloc(2048, i % 256)));
      const file = write('slow.tar.gz', gzipSync(tarOf(...entries), { level: 1 }));
      const child = spawn(process.execPath, [cliPath, 'analyze', file], {
        env: { ...process.env, TMPDIR: temp },
        stdio: 'ignore',
      });
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      const unpacking = (): boolean => readdirSync(temp).some((d) => existsSync(path.join(temp, d, 'f10')));
      await until('the unpacking to start', unpacking);
      child.kill(signal);
      assert.equal(await ended, signal);
      assert.deepEqual(readdirSync(temp), []);
    });
  }
});

it('a ticket folder lists its FIFOs and sockets as not used, and reads on', async () => {
  const folder = mkdtempSync(path.join(work, 'special-'));
  writeFileSync(path.join(folder, 'capture.pcap'), capture);
  spawnSync('mkfifo', [path.join(folder, 'pipe')]);
  const server = createServer().listen(path.join(folder, 'socket'));
  await once(server, 'listening');
  try {
    const run = await runCli('analyze', folder);
    assert.equal(run.status, 1, run.stderr);
    for (const name of ['pipe', 'socket'])
      assert.match(
        run.stderr,
        new RegExp(`${regexp(path.join(folder, name))}: not used \\(a FIFO, socket or device, not a regular file\\)`),
      );
  } finally {
    server.close();
  }
});

it('a ticket folder on /proc is refused', async (t) => {
  if (!existsSync('/proc/self')) return t.skip('no /proc on this system');
  const run = await runCli('analyze', '/proc');
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'phonedoc: /proc is on a kernel file system (/proc or /sys), not a ticket\n');
});
