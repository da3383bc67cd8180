/**
 * A ticket folder (or an archive of one) given to `analyze`: its inputs found by content, and
 * the analysis the same as with the files listed; phonedoc's own bundle reads back; two TFTP
 * roots are a question; archives unpack nothing outside their folder.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyzeFiles, type AnalyzeInputs } from '../../src/engine/input-events.js';
import { archiveKind, unpackArchive } from '../../src/sources/ticket-archive.js';
import { readTicketFolder } from '../../src/sources/ticket-folder.js';
import { tarEntry, zipOf } from '../archive-bytes.js';
import { repoRoot } from '../helpers.js';
import { runCli } from '../run-cli.js';

const CAPTURES = path.join(repoRoot, 'captures');
const bundles = readdirSync(CAPTURES)
  .filter((d) => existsSync(path.join(CAPTURES, d, 'expected.json')))
  .sort();
const work = mkdtempSync(path.join(tmpdir(), 'phonedoc-ticket-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

const phonedoc = runCli;

/**
 * The bundle's inputs as its README lists them: captures, console logs, the server
 * logs that have lines (tftpd-hpa's, dnsmasq's), the TFTP root.
 */
function listedInputs(dir: string): AnalyzeInputs {
  const files = readdirSync(dir).sort();
  const tftpd = path.join(dir, 'tftpd.log');
  const dnsmasq = path.join(dir, 'dnsmasq.log');
  return {
    captures: files.filter((f) => /^capture\.pcap(ng)?$/.test(f)).map((f) => path.join(dir, f)),
    consoles: files.filter((f) => /^console-.*\.log$/.test(f)).map((f) => path.join(dir, f)),
    serverLogs: [tftpd, dnsmasq].filter((log) => existsSync(log) && readFileSync(log).length > 0),
    tftpRoot: path.join(dir, 'tftp-root'),
  };
}

const sorted = (inputs: AnalyzeInputs): AnalyzeInputs => ({
  captures: [...inputs.captures].sort(),
  consoles: [...inputs.consoles].sort(),
  serverLogs: [...inputs.serverLogs].sort(),
  ...(inputs.tftpRoot ? { tftpRoot: inputs.tftpRoot } : {}),
});

async function findings(inputs: AnalyzeInputs): Promise<unknown> {
  const { analysis } = await analyzeFiles(inputs, { version: 'test' }, () => undefined);
  return analysis.report.findings;
}

describe('every bundle of captures/ read from its folder', () => {
  it('finds the bundles', () => assert.ok(bundles.length > 0));
  for (const name of bundles) {
    it(`${name}: the inputs found by content are the ones listed, and the findings the same`, async () => {
      const dir = path.join(CAPTURES, name);
      const ticket = await readTicketFolder(dir);
      const listed = listedInputs(dir);
      assert.deepEqual(sorted(ticket.inputs), sorted(listed));
      assert.deepEqual(await findings(ticket.inputs), await findings(listed));
      const unused = ticket.entries.filter((e) => !e.as).map((e) => path.basename(e.path));
      for (const f of ['expected.json', 'tftp-root.txt'])
        if (existsSync(path.join(dir, f))) assert.ok(unused.includes(f), `${f} not left out`);
    });
  }
});

describe('phonedoc analyze FOLDER', () => {
  const dir = path.join(CAPTURES, 'loads-part-missing');
  const listed = listedInputs(dir);
  const listedArgs = [
    ...listed.captures,
    ...listed.consoles.flatMap((c) => ['--console', c]),
    ...listed.serverLogs.flatMap((s) => ['--server-log', s]),
    '--tftp-root',
    listed.tftpRoot!,
  ];

  it('prints what was taken as what on stderr, and the report of the files listed', async () => {
    const fromFolder = await phonedoc('analyze', '--format', 'json', `${dir}/`);
    const fromFiles = await phonedoc('analyze', '--format', 'json', ...listedArgs);
    assert.equal(fromFolder.status, fromFiles.status);
    assert.deepEqual(JSON.parse(fromFolder.stdout).findings, JSON.parse(fromFiles.stdout).findings);
    assert.match(fromFolder.stderr, /capture\.pcap: taken as a capture\n/);
    assert.match(fromFolder.stderr, /console-sep000e84c060a6\.log: taken as a console log\n/);
    assert.match(fromFolder.stderr, /tftpd\.log: taken as a DHCP- or TFTP-server log\n/);
    assert.match(fromFolder.stderr, /tftp-root: taken as the TFTP root\n/);
    assert.match(fromFolder.stderr, /dnsmasq\.log: taken as a DHCP- or TFTP-server log\n/);
    assert.match(fromFolder.stderr, /expected\.json: not used \(/);
  });

  it('the same capture given again, in the folder and by name, is read once', async () => {
    const twice = await phonedoc('analyze', '--format', 'json', dir, path.join(dir, 'capture.pcap'));
    const once = await phonedoc('analyze', '--format', 'json', dir);
    assert.deepEqual(JSON.parse(twice.stdout).findings, JSON.parse(once.stdout).findings);
    assert.equal((JSON.parse(twice.stdout).inputs as { kind: string }[]).filter((i) => i.kind === 'capture').length, 1);
  });

  it("reads back phonedoc's own ticket bundle (--out): its pcapng and console.log, not its reports", async () => {
    const out = path.join(work, 'bundle');
    const first = await phonedoc('analyze', '--format', 'json', dir, '--out', out);
    const again = await phonedoc('analyze', '--format', 'json', out);
    assert.equal(again.status, first.status, again.stderr);
    const ids = (run: { stdout: string }): string[] =>
      (JSON.parse(run.stdout).findings as { id: string }[]).map((f) => f.id).sort();
    // The bundle holds the phone's frames and console, not the TFTP root or the server log.
    for (const id of ['LOADS_PART_MISSING', 'PROTOCOL_APPLICATION_INVALID'])
      assert.ok(ids(again).includes(id), `${id}: ${ids(again).join(', ')}`);
    assert.match(again.stderr, /SEP000E84C060A6\.pcapng: taken as a capture/);
    assert.match(again.stderr, /console\.log: taken as a console log/);
    for (const report of ['report.md', 'report.html', 'report.json'])
      assert.match(again.stderr, new RegExp(`${report.replace('.', '\\.')}: not used \\(a phonedoc report\\)`));
  });

  it("a flat folder (the TFTP root's files beside the capture and logs) is its own TFTP root", async () => {
    const flat = path.join(work, 'flat');
    cpSync(path.join(dir, 'tftp-root'), flat, { recursive: true });
    for (const f of [...listed.captures, ...listed.consoles, ...listed.serverLogs])
      cpSync(f, path.join(flat, path.basename(f)));
    const ticket = await readTicketFolder(flat);
    assert.equal(ticket.inputs.tftpRoot, flat);
    assert.deepEqual(
      sorted(ticket.inputs),
      sorted({
        captures: listed.captures.map((f) => path.join(flat, path.basename(f))),
        consoles: listed.consoles.map((f) => path.join(flat, path.basename(f))),
        serverLogs: listed.serverLogs.map((f) => path.join(flat, path.basename(f))),
        tftpRoot: flat,
      }),
    );
    const ids = async (inputs: AnalyzeInputs): Promise<string[]> =>
      ((await findings(inputs)) as { id: string }[]).map((f) => f.id);
    assert.deepEqual(await ids(ticket.inputs), await ids(listed));
  });

  it('two folders that could be the TFTP root: exit 2 naming both', async () => {
    const ticket = path.join(work, 'two-roots');
    cpSync(dir, ticket, { recursive: true });
    cpSync(path.join(dir, 'tftp-root'), path.join(ticket, 'old-root'), { recursive: true });
    const run = await phonedoc('analyze', ticket);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      new RegExp(
        `holds 2 folders that could be the TFTP root \\(${path.join(ticket, 'old-root')}, ` +
          `${path.join(ticket, 'tftp-root')}\\): give the right one with --tftp-root\\.\\n$`,
      ),
    );
  });
});

describe('a ticket archive', () => {
  const dir = path.join(CAPTURES, 'loads-part-missing');
  const files = [
    'capture.pcap',
    'console-sep000e84c060a6.log',
    'tftpd.log',
    ...readdirSync(path.join(dir, 'tftp-root')).map((f) => `tftp-root/${f}`),
  ];
  const entries = files.map((f) => ({ name: `ticket/${f}`, data: readFileSync(path.join(dir, f)) }));

  for (const [kind, bytes] of [
    ['zip', () => zipOf(entries)],
    ['tar.gz', () => gzipSync(Buffer.concat([...entries.map((e) => tarEntry(e.name, e.data)), Buffer.alloc(1024)]))],
  ] as const) {
    it(`a .${kind} of the folder gives the folder's findings, and its temporary folder is removed`, async () => {
      const archive = path.join(work, `ticket.${kind}`);
      writeFileSync(archive, bytes());
      const fromArchive = await phonedoc('analyze', '--format', 'json', archive);
      const fromFolder = await phonedoc('analyze', '--format', 'json', dir);
      assert.equal(fromArchive.status, fromFolder.status, fromArchive.stderr);
      const ids = (run: { stdout: string }): string[] =>
        (JSON.parse(run.stdout).findings as { id: string }[]).map((f) => f.id);
      assert.deepEqual(ids(fromArchive), ids(fromFolder));
      const unpackedInto = new RegExp(
        `${archive.replace(/[.]/g, '\\.')}: a ${kind.replace('.', '\\.')} archive, ` +
          `${files.length} files unpacked into (\\S+)\\n`,
      ).exec(fromArchive.stderr);
      assert.ok(unpackedInto, fromArchive.stderr);
      assert.equal(existsSync(unpackedInto[1]!), false, 'the unpacked folder is left behind');
    });
  }

  it('names that point outside the folder or hold a control character, and links, are skipped; nothing is written outside', async () => {
    const outside = path.join(work, 'escaped.txt');
    const tar = Buffer.concat([
      tarEntry('../escaped.txt', Buffer.from('x')),
      tarEntry(`${work}/escaped.txt`, Buffer.from('x')),
      tarEntry('link', Buffer.alloc(0), { type: '2', link: '/etc/passwd' }),
      tarEntry('ok/\x1b[2J.txt', Buffer.from('x')),
      tarEntry('ok/readme.txt', Buffer.from('fine')),
      Buffer.alloc(1024),
    ]);
    const zip = zipOf([
      { name: '..\\escaped.txt', data: Buffer.from('x') },
      { name: 'link', data: Buffer.from('/etc/passwd'), symlink: true },
      { name: 'ok/\x1b[2J.txt', data: Buffer.from('x') },
      { name: 'ok/readme.txt', data: Buffer.from('fine') },
    ]);
    for (const [kind, bytes] of [
      ['tar', tar],
      ['zip', zip],
    ] as const) {
      const file = path.join(work, `evil.${kind}`);
      writeFileSync(file, bytes);
      assert.equal(archiveKind(bytes.subarray(0, 512)), kind);
      const unpacked = await unpackArchive(file, kind);
      try {
        assert.equal(existsSync(outside), false);
        assert.deepEqual(readdirSync(unpacked.dir, { recursive: true }).map(String).sort(), ['ok', 'ok/readme.txt']);
        assert.ok(
          unpacked.skipped.some((s) => /escaped\.txt.*points outside/.test(s)),
          unpacked.skipped.join('; '),
        );
        assert.ok(
          unpacked.skipped.includes('"ok/\\u001b[2J.txt": a name holding control characters'),
          unpacked.skipped.join('; '),
        );
        assert.ok(
          unpacked.skipped.some((s) => /"link": a symbolic link/.test(s)),
          unpacked.skipped.join('; '),
        );
      } finally {
        await unpacked.remove();
      }
    }
  });

  it('a tar cut in the middle of a file: exit 2 naming the archive and the file', async () => {
    const whole = Buffer.concat(entries.map((e) => tarEntry(e.name, e.data)));
    const cut = path.join(work, 'cut.tar');
    writeFileSync(cut, whole.subarray(0, 512 + 100));
    const run = await phonedoc('analyze', cut);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, `phonedoc: ${cut}: the tar archive ends in the middle of "ticket/capture.pcap"\n`);
  });
});

it('a folder with nothing phonedoc reads', async () => {
  const empty = path.join(work, 'nothing');
  mkdirSync(empty);
  writeFileSync(path.join(empty, 'notes.txt'), 'call the customer back\n');
  const run = await phonedoc('analyze', empty);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /notes\.txt: not used \(text: no line phonedoc reads as a phone console or server log\)\n/);
  assert.match(
    run.stderr,
    /nothing: no capture, console log, TFTP-server log or TFTP root in it \(each file is listed above with why it was not used\)\.\n$/,
  );
});
