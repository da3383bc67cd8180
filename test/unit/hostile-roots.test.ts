/**
 * Hostile TFTP roots and provisioning files: what lint and analyze --tftp-root must survive
 * without exit 70, a hang or unbounded output, and without reading outside the root. The
 * roots are made here at run time (links, modes and sizes cannot be kept in git).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_PROBLEMS_PER_CODE } from '../../parsers/provisioning/problem.js';
import { MAX_LOAD_ELEMENTS, parseSccpXml } from '../../parsers/provisioning/sccp-xml.js';
import { parseSipCnf } from '../../parsers/provisioning/sip-cnf.js';
import { MAX_XML_ATTRIBUTES, MAX_XML_DEPTH, readXml } from '../../parsers/provisioning/xml-reader.js';
import { InputError } from '../../src/exit-codes.js';
import { readTftpRoot } from '../../src/lint/tftp-root.js';
import { tftpRootListing } from '../../src/views/root-listing.js';
import { cliPath } from '../helpers.js';
import { spawnCli, type SpawnedRun } from '../run-cli.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-hostile-roots-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const MAC = '000E84C060A6';

function phonedoc(args: readonly string[], asUser?: number): SpawnedRun {
  return spawnCli(
    args,
    asUser === undefined ? [] : ['setpriv', `--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups'],
  );
}

/** Ended as lint ends on a root it could read: 0 or 1 (findings), never 2 or 70. */
function assertRan(run: { status: number | null; stderr: string }): void {
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
}

/** A root holding `files` (name → content). */
function rootWith(name: string, files: Readonly<Record<string, string>>): string {
  const root = path.join(scratch, name);
  mkdirSync(root);
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(root, file), content);
  return root;
}

describe('provisioning files built to break the parsers', () => {
  it(`XML nested 100,000 deep: read to ${MAX_XML_DEPTH} levels, one problem, no stack overflow`, () => {
    const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
    const doc = readXml(deep, 'SEP.cnf.xml');
    assert.equal(doc.problems.length, 1);
    assert.match(doc.problems[0]!.message, /nested 65 elements deep.*the rest of the file is not read/);
    assert.equal(parseSccpXml(deep, 'SEP.cnf.xml').loadInformation.length, 0);

    const root = rootWith('deep-xml', { [`SEP${MAC}.cnf.xml`]: deep });
    const run = phonedoc(['lint', root, '--mac', MAC]);
    assertRan(run);
    assert.match(run.stdout, /CONFIG_MALFORMED/);
    assert.match(run.stdout, /SEP000E84C060A6\.cnf\.xml:1 {2}column 193: <a> is nested 65 elements deep/);
  });

  it(`an element with 400,000 attributes: read to ${MAX_XML_ATTRIBUTES}, then reading stops, said once`, () => {
    const doc = readXml(
      `<d${' b="1"'.repeat(400_000)}><loadInformation>P0S3-8-12-00</loadInformation></d>`,
      'SEP.cnf.xml',
    );
    assert.equal(doc.roots[0]?.attributes.length, MAX_XML_ATTRIBUTES);
    assert.deepEqual(
      doc.problems.map((p) => p.message),
      [
        `<d> has more than ${MAX_XML_ATTRIBUTES} attributes: a phone's elements have one or two; the rest of the file is not read`,
      ],
    );
  });

  it(`${MAX_LOAD_ELEMENTS + 500} loadInformation elements: the first ${MAX_LOAD_ELEMENTS} read, the rest said once`, () => {
    const entry = '<loadInformation model="IP Phone 7960">P0S3-8-12-00</loadInformation>\n';
    const config = parseSccpXml(`<device>\n${entry.repeat(MAX_LOAD_ELEMENTS + 500)}</device>\n`, 'SEP.cnf.xml');
    assert.equal(config.loadInformation.length, MAX_LOAD_ELEMENTS);
    const said = config.problems.filter((p) => p.message.includes('loadInformation elements'));
    assert.deepEqual(
      said.map((p) => `${p.line} ${p.message}`),
      [
        `${MAX_LOAD_ELEMENTS + 2} 1500 loadInformation elements: a configuration holds one per phone model; phonedoc reads the first ${MAX_LOAD_ELEMENTS}`,
      ],
    );
  });

  it('entity declarations are not expanded, an external entity is never read', () => {
    const xml =
      '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>\n' +
      '<device><loadInformation>&b;&x;P0S3-8-12-00</loadInformation></device>\n';
    const config = parseSccpXml(xml, 'SEP.cnf.xml');
    assert.equal(config.loadInformation[0]?.load.value, '&b;&x;P0S3-8-12-00');
    assert.deepEqual(
      config.problems.map((p) => p.message.split(':')[0]),
      ['"&b;" is not an XML entity', '"&x;" is not an XML entity'],
      'the internal subset is skipped whole: no "text outside the root element"',
    );
  });

  it('200,000 faulty lines: 20 listed per kind, the rest counted in one more; lint is not exit 70', () => {
    const text = 'a b\n'.repeat(200_000);
    const cnf = parseSipCnf(text, 'SIPDefault.cnf');
    assert.equal(cnf.problems.length, MAX_PROBLEMS_PER_CODE + 1);
    assert.match(cnf.problems.at(-1)!.message, /^and 199980 more problems of this kind from here on, not listed/);
    assert.equal(cnf.problems.at(-1)!.line, MAX_PROBLEMS_PER_CODE + 1);

    const root = rootWith('many-faults', { 'SIPDefault.cnf': text });
    const run = phonedoc(['lint', root]);
    assertRan(run);
    assert.match(run.stdout, /SIPDefault\.cnf:21 {2}and 199980 more problems of this kind/);
    assert.ok(run.stdout.length < 10_000, `${run.stdout.length} bytes of report for one file`);
  });

  it('UTF-16 and binary configs: one problem at the first NUL, nothing after it read', () => {
    const utf16 = Buffer.from('\ufeffimage_version: P0S3-8-12-00\nproxy1_address: 192.0.2.1\n', 'utf16le');
    const cnf = parseSipCnf(utf16, 'SIPDefault.cnf');
    assert.deepEqual(
      cnf.problems.map((p) => `${p.line}:${p.column} ${p.message.split(':')[0]}`),
      ['1:4 a NUL character'],
    );
    assert.equal(cnf.effective.size, 0);
    const binary = Buffer.concat([
      Buffer.from('<device>\n<loadInformation>P0S3-8-12-00</loadInformation>\n'),
      Buffer.from([0, 0xff, 0x1b, 0x5b, 0x32, 0x4a]),
    ]);
    const xml = parseSccpXml(binary, 'SEP.cnf.xml');
    assert.equal(xml.loadInformation[0]?.load.value, 'P0S3-8-12-00', 'the lines before the NUL are read');
    assert.ok(xml.problems.some((p) => p.line === 3 && p.column === 1 && p.message.startsWith('a NUL character')));
  });

  it('files of 70,000 made-up keys each: what is kept per file is bounded (lint runs in a 128 MB heap)', () => {
    const madeUp = Array.from({ length: 70_000 }, (_, i) => `k${i}: v${i}\n`).join('');
    const files = Object.fromEntries([0, 1, 2, 3].map((n) => [`SIP000E84C0000${n}.cnf`, madeUp]));
    const root = rootWith('made-up-keys', files);
    const run = spawnSync(process.execPath, ['--max-old-space-size=128', cliPath, 'lint', root], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    assert.equal(run.signal, null, run.stderr);
    assertRan({ status: run.status, stderr: run.stderr });
    assert.match(run.stdout, /^phonedoc lint .*made-up-keys: /);
  });

  it('a line of 1,000,000 characters is quoted cut, with its length said', () => {
    const root = rootWith('long-line', { 'SIPDefault.cnf': `${'x'.repeat(1_000_000)}\n` });
    const run = phonedoc(['lint', root, '--format', 'json']);
    assertRan(run);
    assert.match(run.stdout, /x{80}…\[999900 characters not shown\]…x{20}\\" \(no colon\)/);
    assert.ok(run.stdout.length < 10_000, `${run.stdout.length} bytes of report`);
  });
});

describe('the root as tftpd --secure sees it', () => {
  it('link loops are said to be loops', () => {
    const root = rootWith('loops', { 'SIPDefault.cnf': 'image_version: P0S3-8-12-00\n' });
    symlinkSync('self', path.join(root, 'self'));
    symlinkSync('two', path.join(root, 'one'));
    symlinkSync('one', path.join(root, 'two'));
    const run = phonedoc(['lint', root]);
    assertRan(run);
    for (const name of ['one', 'self', 'two'])
      assert.match(run.stderr, new RegExp(`left out ${name}: a symbolic link loop`));
  });

  it('a file swapped for a link leading out after the listing is not read (checked on the descriptor)', () => {
    const secret = path.join(scratch, 'secret.cnf');
    writeFileSync(secret, 'image_version: OUTSIDE-SECRET\n');
    const root = rootWith('swapped', { 'SIPDefault.cnf': 'image_version: P0S3-8-12-00\n' });
    const listed = readTftpRoot(root);
    unlinkSync(path.join(root, 'SIPDefault.cnf'));
    symlinkSync(secret, path.join(root, 'SIPDefault.cnf'));
    assert.throws(
      () => listed.read('SIPDefault.cnf'),
      (err: unknown) =>
        err instanceof InputError &&
        /SIPDefault\.cnf cannot be read: it leads outside the root since it was listed/.test(err.message) &&
        !err.message.includes('OUTSIDE-SECRET'),
    );
  });

  it('as a user who may not read a file or list a folder: both listed as left out, the modes still checked', {
    skip: process.getuid?.() !== 0 ? 'needs root to drop to another user' : false,
  }, () => {
    const root = rootWith('modes', { 'SIPDefault.cnf': 'image_version: P0S3-8-12-00\n' });
    mkdirSync(path.join(root, 'closed'));
    writeFileSync(path.join(root, 'closed', 'SIP000E84C060A6.cnf'), 'image_version: P0S3-8-12-00\n');
    chmodSync(scratch, 0o711);
    chmodSync(root, 0o755);
    chmodSync(path.join(root, 'SIPDefault.cnf'), 0o600);
    chmodSync(path.join(root, 'closed'), 0o700);
    const run = phonedoc(['lint', root], 65534);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /left out SIPDefault\.cnf: phonedoc may not read it \(permission denied\)/);
    assert.match(run.stderr, /left out closed: a directory lint cannot list: permission denied/);
    assert.match(run.stdout, /TFTP_ACCESS_DENIED/);
    assert.match(run.stdout, /SIPDefault\.cnf {2}mode 0600/);
  });

  it('config values that climb out (image_version, tftp_cfg_dir, OS79XX.TXT: ../) are refused like tftpd, never read', () => {
    const place = path.join(scratch, 'climb');
    mkdirSync(place);
    writeFileSync(path.join(place, 'SIP000E84C060A6.cnf'), 'image_version: OUTSIDE-SECRET\n');
    writeFileSync(path.join(place, 'secret.loads'), 'OUTSIDE-SECRET\n');
    const root = path.join(place, 'root');
    mkdirSync(root);
    writeFileSync(path.join(root, 'SIPDefault.cnf'), 'image_version: ../secret\ntftp_cfg_dir: ../\n');
    writeFileSync(path.join(root, 'OS79XX.TXT'), '../secret');
    const run = phonedoc(['lint', root, '--mac', MAC, '--current', 'P0S3-07-4-00', '--format', 'json']);
    assertRan(run);
    assert.doesNotMatch(run.stdout, /OUTSIDE-SECRET/);
    const report = JSON.parse(run.stdout) as { phones: { requests: { file: string; answer: string }[] }[] };
    const answers = Object.fromEntries(report.phones[0]!.requests.map((r) => [r.file, r.answer]));
    assert.equal(answers['../SIP000E84C060A6.cnf'], 'denied');
    assert.equal(answers['../secret.loads'], 'denied');
  });

  it('an entry whose path is longer than the system allows is listed as left out, not lost', () => {
    let root = path.join(scratch, 'long');
    mkdirSync(root);
    for (let i = 0; i < 14; i++) root = path.join(root, 'L'.repeat(200));
    mkdirSync(root, { recursive: true });
    // Made a folder at a time from inside (chdir): a path this long cannot be given whole.
    const cwd = process.cwd();
    try {
      process.chdir(root);
      for (let i = 0; i < 6; i++) {
        mkdirSync('M'.repeat(250));
        process.chdir('M'.repeat(250));
      }
    } finally {
      process.chdir(cwd);
    }
    const run = phonedoc(['lint', root]);
    assertRan(run);
    assert.match(
      run.stderr,
      /left out (M{250}\/)*M{250}: phonedoc cannot look at it: the path is longer than the system allows/,
    );
    // Removed from inside too: the scratch folder's removal gives whole paths.
    try {
      process.chdir(root);
      rmSync('M'.repeat(250), { recursive: true });
    } finally {
      process.chdir(cwd);
    }
  });

  it("the ticket bundle's listing escapes names and says what was left out", () => {
    const root = rootWith('listing', { 'SIPDefault.cnf': 'image_version: P0S3-8-12-00\n', 'rtl\u202Eftxt.cnf': '' });
    symlinkSync('..', path.join(root, 'up'));
    const listing = tftpRootListing(root);
    assert.match(listing, / rtl\\u202eftxt\.cnf\n/);
    assert.doesNotMatch(listing, /\u202E/);
    assert.match(listing, /\n# left out up: a symbolic link leading outside the root/);
  });

  it('a folder that cannot be listed whole (procfs) is left out, never exit 70', () => {
    const run = phonedoc(['lint', '/proc/self']);
    assertRan(run);
    assert.doesNotMatch(run.stderr, /internal error/);
  });
});
