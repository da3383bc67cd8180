import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { MAX_SAFE_NAME_BYTES, safeFileName } from '../../src/extract/safe-file-names.js';
import { writeNewFile, writeTransferFiles } from '../../src/extract/write-transfers.js';

const HOSTILE_NAMES = [
  '../../etc/passwd',
  '/etc/shadow',
  'C:\\x',
  'C:\\Windows\\..\\..\\boot.ini',
  './SIP000E84C060A6.cnf',
  '..\\..\\evil.bat',
  'a\u0000b.cnf',
  'line\nbreak\r\u001b[31m.txt',
  '..',
  '.',
  '',
  '...',
  '/',
  '.hidden',
  `${'x'.repeat(300)}.cnf.xml`,
  'é'.repeat(150),
  'CON',
  'nul.txt',
  'lpt1',
  'COM9.log',
  'P0S3-8-12-00.loads ',
  '-rf',
];

let scratch: string;
before(async () => {
  scratch = await realpath(await mkdtemp(path.join(tmpdir(), 'phonedoc-extract-')));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function freshDir(name: string): Promise<string> {
  const dir = path.join(scratch, name);
  await writeFile(path.join(scratch, `${name}-outside.txt`), 'outside');
  return dir;
}

function completeTransfer(
  id: number,
  file: string,
  content: Uint8Array | undefined,
  contentOmitted?: TftpTransfer['contentOmitted'],
): TftpTransfer {
  const time = { seconds: 0, nanos: 0, digits: 6 };
  return {
    id,
    client: '192.0.2.10',
    clientPort: 50000,
    server: '192.0.2.1',
    serverPort: 40000,
    file,
    mode: 'octet',
    direction: 'read',
    optionsRequested: { list: [] },
    optionsGranted: undefined,
    blockSize: 512,
    firstTime: time,
    lastTime: time,
    packets: 3,
    blocks: 1,
    bytes: content?.length ?? 0,
    duplicateData: 0,
    duplicateAcks: 0,
    missingBlocks: 0,
    missingRanges: [],
    requestRetries: 0,
    otherServerPortPackets: 0,
    outcome: 'complete',
    error: undefined,
    unreachableCode: undefined,
    frames: { requests: [1] },
    content,
    sha256: undefined,
    size: content?.length,
    contentOmitted,
    notes: [],
  };
}

describe('safe file names', () => {
  it('keeps a plain phone file name as it is', () => {
    for (const name of [
      'SEP000E84C060A6.cnf.xml',
      'P0S3-8-12-00.sb2',
      'RINGLIST.DAT',
      'OS79XX.TXT',
      'term61.default.loads',
    ]) {
      assert.equal(safeFileName(name), name);
    }
  });

  it('turns directories, drives and dot segments into a flat recognisable name', () => {
    assert.equal(safeFileName('../../etc/passwd'), 'etc_passwd');
    assert.equal(safeFileName('/etc/shadow'), 'etc_shadow');
    assert.equal(safeFileName('C:\\x'), 'C_x');
    assert.equal(safeFileName('./SIP000E84C060A6.cnf'), 'SIP000E84C060A6.cnf');
    assert.equal(safeFileName('firmware/7941/term61.default.loads'), 'firmware_7941_term61.default.loads');
  });

  it('never gives an empty, dot, hidden, control-character, over-long or Windows device name', () => {
    for (const original of HOSTILE_NAMES) {
      const name = safeFileName(original);
      assert.match(name, /^[A-Za-z0-9_][A-Za-z0-9._\-+@=,]*$/, JSON.stringify(original));
      assert.ok(Buffer.byteLength(name) <= MAX_SAFE_NAME_BYTES, JSON.stringify(original));
      assert.doesNotMatch(name, /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\.|$)/i, JSON.stringify(original));
      assert.doesNotMatch(name, /\.$/);
    }
    assert.equal(safeFileName(''), 'unnamed');
    assert.equal(safeFileName('..'), 'unnamed');
    assert.equal(safeFileName('nul.txt'), '_nul.txt');
    assert.equal(safeFileName('-rf'), '_-rf');
    assert.equal(safeFileName('P0S3-8-12-00.loads '), 'P0S3-8-12-00.loads_');
    assert.ok(safeFileName(`${'x'.repeat(300)}.cnf.xml`).endsWith('.xml'), 'the extension survives shortening');
  });
});

describe('writing rebuilt files', () => {
  it('every hostile name lands inside DIR, and DIR holds nothing else', async () => {
    const dir = await freshDir('hostile');
    const transfers = HOSTILE_NAMES.map((name, i) =>
      completeTransfer(i + 1, name, new TextEncoder().encode(`file ${i}`)),
    );
    const { written, skipped } = await writeTransferFiles(dir, transfers);
    assert.equal(written.length, HOSTILE_NAMES.length);
    assert.deepEqual(skipped, []);
    for (const [i, file] of written.entries()) {
      assert.equal(file.original, HOSTILE_NAMES[i]);
      assert.equal(path.dirname(await realpath(file.path)), dir, JSON.stringify(file.original));
      assert.equal(await readFile(file.path, 'utf8'), `file ${i}`);
    }
    assert.equal((await readdir(dir)).length, HOSTILE_NAMES.length);
    assert.equal(await readFile(path.join(scratch, 'hostile-outside.txt'), 'utf8'), 'outside');
    assert.deepEqual(await readdir(scratch).then((names) => names.sort()), ['hostile', 'hostile-outside.txt']);
  });

  it('a second file of the same name does not overwrite the first: both survive', async () => {
    const dir = await freshDir('dupes');
    const { written } = await writeTransferFiles(dir, [
      completeTransfer(1, 'SEP000E84C060A6.cnf.xml', new TextEncoder().encode('first')),
      completeTransfer(2, './SEP000E84C060A6.cnf.xml', new TextEncoder().encode('second')),
      completeTransfer(3, 'SEP000E84C060A6.cnf.xml', new TextEncoder().encode('third')),
    ]);
    assert.deepEqual(
      written.map((w) => path.basename(w.path)),
      ['SEP000E84C060A6.cnf.xml', 'SEP000E84C060A6.cnf~2.xml', 'SEP000E84C060A6.cnf~3.xml'],
    );
    assert.deepEqual(await Promise.all(written.map((w) => readFile(w.path, 'utf8'))), ['first', 'second', 'third']);
  });

  it('writes a name and content fetched by many phones once, and a name differing only in case as that name (one file on Windows and macOS)', async () => {
    const dir = await freshDir('site');
    const same = new TextEncoder().encode('image_version: P0S3-8-12-00');
    const other = new TextEncoder().encode('image_version: P0S3-8-11-00');
    const seen: string[] = [];
    const { written } = await writeTransferFiles(
      dir,
      [
        completeTransfer(1, 'SIPDefault.cnf', same),
        completeTransfer(2, 'SIPDefault.cnf', same),
        completeTransfer(3, './SIPDefault.cnf', other),
        completeTransfer(4, 'SIPDefault.cnf', other),
        completeTransfer(5, 'sipdefault.cnf', new TextEncoder().encode('a third')),
        completeTransfer(6, 'sipdefault.cnf', same),
      ],
      { written: (file) => seen.push(`${file.transferId} ${path.basename(file.path)} ${file.sameAsEarlier}`) },
    );
    const expected = [
      '1 SIPDefault.cnf false',
      '2 SIPDefault.cnf true',
      '3 SIPDefault~2.cnf false',
      '4 SIPDefault~2.cnf true',
      '5 sipdefault~3.cnf false',
      '6 SIPDefault.cnf true',
    ];
    assert.deepEqual(seen, expected, 'each file is told as it is written');
    assert.deepEqual(
      written.map((w) => `${w.transferId} ${path.basename(w.path)} ${w.sameAsEarlier}`),
      expected,
    );
    assert.deepEqual((await readdir(dir)).sort(), ['SIPDefault.cnf', 'SIPDefault~2.cnf', 'sipdefault~3.cnf']);
  });

  it('thousands of transfers of one name with different content each get a file, numbered in order', async () => {
    const dir = await freshDir('many');
    const transfers = Array.from({ length: 3000 }, (_, i) =>
      completeTransfer(i + 1, 'SEP000E84C060A6.cnf.xml', new TextEncoder().encode(`copy ${i + 1}`)),
    );
    const { written } = await writeTransferFiles(dir, transfers);
    assert.equal((await readdir(dir)).length, 3000);
    const last = written.at(-1);
    assert.equal(last && path.basename(last.path), 'SEP000E84C060A6.cnf~3000.xml');
    assert.equal(last && (await readFile(last.path, 'utf8')), 'copy 3000');
  });

  it('does not follow a symlink planted in DIR, nor overwrite a file already there', async () => {
    const dir = await freshDir('planted');
    await writeTransferFiles(dir, []);
    const outside = path.join(scratch, 'planted-outside.txt');
    await symlink(outside, path.join(dir, 'etc_passwd'));
    await symlink(path.join(scratch, 'does-not-exist-yet'), path.join(dir, 'etc_shadow'));
    await writeFile(path.join(dir, 'OS79XX.TXT'), 'earlier run');
    const files = [
      await writeNewFile(dir, '../../etc/passwd', new TextEncoder().encode('captured')),
      await writeNewFile(dir, '/etc/shadow', new TextEncoder().encode('captured')),
      await writeNewFile(dir, 'OS79XX.TXT', new TextEncoder().encode('captured')),
    ];
    assert.deepEqual(
      files.map((f) => path.basename(f)),
      ['etc_passwd~2', 'etc_shadow~2', 'OS79XX~2.TXT'],
    );
    assert.equal(await readFile(outside, 'utf8'), 'outside');
    await assert.rejects(readFile(path.join(scratch, 'does-not-exist-yet')), { code: 'ENOENT' });
    assert.equal(await readFile(path.join(dir, 'OS79XX.TXT'), 'utf8'), 'earlier run');
  });

  it('writes complete transfers only, and lists complete ones it could not rebuild', async () => {
    const dir = await freshDir('which');
    const aborted = { ...completeTransfer(2, 'aborted.bin', new Uint8Array(3)), outcome: 'aborted' as const };
    const { written, skipped } = await writeTransferFiles(dir, [
      completeTransfer(1, 'ok.cnf', new TextEncoder().encode('ok')),
      aborted,
      completeTransfer(3, 'big.sb2', undefined, 'transfer size cap'),
    ]);
    assert.deepEqual(
      written.map((w) => [w.original, w.bytes, w.transferId]),
      [['ok.cnf', 2, 1]],
    );
    assert.deepEqual(skipped, [{ original: 'big.sb2', transferId: 3, reason: 'transfer size cap' }]);
    assert.deepEqual(await readdir(dir), ['ok.cnf']);
  });
});
