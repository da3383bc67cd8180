/**
 * Where phonedoc writes, attacked: an output folder that is a link (to a folder, to `/`,
 * dangling), a file, or under a file; a console log that is a link, a FIFO, a folder or a
 * device; a read-only or full file system (in a private mount namespace, when the test runs
 * as root with unshare). Every case: exit 2 with the path and the reason, nothing written
 * outside, nothing left behind.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { makeSessionDir } from '../../src/commands/tui.js';
import { checkConsoleLogFile, openRecorder } from '../../src/console/recorder.js';
import { InputError } from '../../src/exit-codes.js';
import { makeFolder, refuseOutputFolder } from '../../src/extract/output-folders.js';
import { writeSiteCapture } from '../bench/site-capture.js';
import { writeTicketBundle } from '../../src/views/ticket-bundle.js';
import { cliPath } from '../helpers.js';
import { runCli } from '../run-cli.js';
import { fixtureAnalysis, fixturePcap } from './views-fixture.js';

let scratch: string;
let capture: string;
before(() => {
  scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'phonedoc-places-')));
  capture = path.join(scratch, 'capture.pcap');
  writeFileSync(capture, fixturePcap('SIPDefault.cnf'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder of its own under scratch, with `outside` beside it to see that nothing reaches it. */
function place(name: string): { dir: string; outside: string } {
  const dir = path.join(scratch, name);
  mkdirSync(dir);
  const outside = path.join(dir, 'outside');
  mkdirSync(outside);
  return { dir, outside };
}

describe('output folders', () => {
  it('refuses a link as the folder, whatever it points to, naming the link and its target', async () => {
    const { dir, outside } = place('links');
    const targets = { folder: outside, root: '/', dangling: path.join(dir, 'missing') };
    for (const [name, target] of Object.entries(targets)) {
      const link = path.join(dir, name);
      symlinkSync(target, link);
      for (const args of [
        ['transfers', capture, '--extract', link],
        ['analyze', capture, '--out', link],
        ['transfers', capture, '--extract', `${link}/`],
      ]) {
        const run = await runCli(...args);
        assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, new RegExp(`is a symbolic link \\(to ${target.replace(/\//g, '\\/')}\\)`));
        assert.ok(run.stderr.includes(link), run.stderr);
      }
    }
    assert.deepEqual(readdirSync(outside), []);
    assert.equal(existsSync(targets.dangling), false);
    assert.deepEqual(readdirSync(dir).sort(), ['dangling', 'folder', 'outside', 'root']);
  });

  it('refuses a file as the folder, or a file on its path, before reading the capture', async () => {
    const { dir } = place('files');
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'kept');
    for (const [option, target, expected] of [
      ['--extract', file, `${file} exists and is a file, not a folder`],
      ['--out', file, `${file} exists and is a file, not a folder`],
      ['--extract', path.join(file, 'sub'), `${file} is a file, not a folder`],
      ['--out', path.join(file, 'sub', 'deeper'), `${file} is a file, not a folder`],
    ] as const) {
      const run = await runCli(option === '--out' ? 'analyze' : 'transfers', capture, option, target);
      assert.equal(run.status, 2);
      assert.ok(run.stderr.includes(expected), run.stderr);
      assert.equal(run.stdout, '', 'nothing is read or shown before the folder is refused');
    }
    assert.equal(readFileSync(file, 'utf8'), 'kept');
  });

  it('a link as the session folder is not written through: the session goes to a temporary folder and says why', () => {
    const { dir, outside } = place('session');
    const link = path.join(dir, 'session-link');
    symlinkSync(outside, link);
    const notices: string[] = [];
    const made = makeSessionDir(link, (text) => notices.push(text));
    try {
      assert.notEqual(made, outside);
      assert.match(
        notices.join('\n'),
        /session-link is a symbolic link \(to .+outside\): the session folder must be a real folder/,
      );
      assert.ok(notices.join('\n').includes(made));
    } finally {
      rmSync(made, { recursive: true, force: true });
    }
    assert.deepEqual(readdirSync(outside), []);
  });

  it('refuses an empty folder name instead of writing into the current folder', async () => {
    for (const args of [
      ['transfers', capture, '--extract', ''],
      ['analyze', capture, '--out', ''],
      ['analyze', '--each', capture, '--out', ' '],
    ]) {
      const run = await runCli(...args);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /the (--extract|--out) folder is given as an empty name: give a folder\./);
      assert.equal(run.stdout, '');
    }
    assert.throws(() => checkConsoleLogFile(''), /--log is given as an empty name/);
  });

  it('makes a missing folder component by component, naming a dangling link on the way', () => {
    const { dir } = place('make');
    const made = path.join(dir, 'a', 'b', 'c');
    makeFolder(made, 'the --extract folder');
    assert.equal(refuseOutputFolder(made, 'the --extract folder'), true);
    symlinkSync(path.join(dir, 'gone'), path.join(dir, 'broken'));
    assert.throws(
      () => makeFolder(path.join(dir, 'broken', 'x'), 'the --extract folder'),
      (e: unknown) =>
        e instanceof InputError &&
        e.message.includes(
          `${path.join(dir, 'broken')} is a symbolic link to ${path.join(dir, 'gone')}, which is missing`,
        ),
    );
    assert.equal(existsSync(path.join(dir, 'gone')), false);
  });
});

describe('console log file', () => {
  it('refuses a link, a folder and a FIFO before connecting, and never waits on the FIFO', (t) => {
    const { dir } = place('logs');
    const real = path.join(dir, 'real.log');
    writeFileSync(real, 'earlier\n');
    const link = path.join(dir, 'link.log');
    symlinkSync(real, link);
    const fifo = path.join(dir, 'fifo.log');
    if (spawnSync('mkfifo', [fifo]).status !== 0) t.diagnostic('mkfifo missing: no FIFO case');
    const cases: [string, RegExp][] = [
      [link, /link\.log is a symbolic link \(to .+real\.log\): the console log must be a file/],
      [dir, /logs is a folder: the console log must be a file/],
      ...(existsSync(fifo)
        ? [[fifo, /fifo\.log is a FIFO \(named pipe\): the console log must be a file/] as [string, RegExp]]
        : []),
    ];
    for (const [file, expected] of cases) {
      assert.throws(
        () => checkConsoleLogFile(file),
        (e: unknown) => e instanceof InputError && expected.test(e.message),
      );
      // The same rule holds when the file appears between the check and the open.
      assert.throws(
        () => openRecorder(file, {}, 0),
        (e: unknown) => e instanceof InputError && expected.test(e.message),
      );
    }
    assert.equal(readFileSync(real, 'utf8'), 'earlier\n');
  });

  it('says that an existing log is appended to, and keeps what it holds', () => {
    const { dir } = place('append');
    const file = path.join(dir, 'console.log');
    assert.equal(checkConsoleLogFile(file), undefined);
    writeFileSync(file, 'earlier\n');
    assert.equal(checkConsoleLogFile(file), `${file} exists: this session is appended to it (its 8 bytes are kept)`);
    const recorder = openRecorder(file, {}, 0);
    assert.equal(recorder.line('DHCP BOUND', 0), 3);
    recorder.close();
    assert.match(readFileSync(file, 'utf8'), /^earlier\n.+# phonedoc console log .*\n.+ DHCP BOUND\n$/);
  });

  it('writes to a character device without reading it (/dev/null), and says when it is full (/dev/full)', () => {
    assert.equal(checkConsoleLogFile('/dev/null'), undefined);
    const sink = openRecorder('/dev/null', {}, 0);
    assert.equal(sink.line('DHCP BOUND', 0), 2);
    sink.close();
    if (!existsSync('/dev/full')) return;
    assert.throws(
      () => openRecorder('/dev/full', {}, 0),
      (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOSPC',
    );
  });
});

/** Runs `script` (sh) in a private mount namespace, where mounting a tmpfs touches no one else; undefined when that is not possible here. */
function inMountNamespace(
  t: TestContext,
  script: string,
  ...args: string[]
): { status: number; stderr: string } | undefined {
  const probe = spawnSync('unshare', ['-m', 'true']);
  if (probe.status !== 0) {
    t.skip('needs unshare -m (root)');
    return undefined;
  }
  const run = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', ...args], { encoding: 'utf8' });
  return { status: run.status ?? -1, stderr: run.stderr };
}

describe('read-only and full file systems', () => {
  it('says the file system is read-only, and refuses a mount point as --out', (t) => {
    const { dir } = place('read-only');
    const script =
      'mount -t tmpfs -o ro tmpfs "$1" && ' +
      'node "$2" transfers "$3" --extract "$1/x"; echo "exit $?" >&2; ' +
      'node "$2" analyze "$3" --out "$1/x" >/dev/null; echo "exit $?" >&2; ' +
      'node "$2" analyze "$3" --out "$1" >/dev/null; echo "exit $?" >&2';
    const run = inMountNamespace(t, script, dir, cliPath, capture);
    if (run === undefined) return;
    const lines = run.stderr.trim().split('\n');
    assert.deepEqual(
      lines.filter((l) => l.startsWith('exit')),
      ['exit 2', 'exit 2', 'exit 2'],
      run.stderr,
    );
    assert.ok(run.stderr.includes(`cannot create the --extract folder ${dir}/x: the file system is read-only (EROFS)`));
    assert.ok(run.stderr.includes(`in ${dir}, and that cannot be made: the file system is read-only (EROFS)`));
    assert.ok(run.stderr.includes(`${dir} is a mount point`));
    assert.deepEqual(
      readdirSync(dir),
      ['outside'],
      'the mount is gone with its namespace; nothing was written under it',
    );
  });

  it('a full file system: extract names the file it could not write, removes it and keeps the ones before; the bundle leaves nothing', (t) => {
    const { dir } = place('full');
    // A 4 KiB tmpfs holds one small file: the second transfer's file finds no room.
    const script =
      'mount -t tmpfs -o size=4k tmpfs "$1" && ' +
      'node "$2" transfers "$3" --extract "$1/e" >/dev/null; echo "exit $?" >&2; ls "$1/e" >&2; rm -r "$1/e"; ' +
      'node "$2" analyze "$3" --out "$1/b" >/dev/null; echo "exit $?" >&2; ls -A "$1" >&2; echo end >&2';
    const run = inMountNamespace(t, script, dir, cliPath, capture);
    if (run === undefined) return;
    assert.match(
      run.stderr,
      /extracted "SEP000E84C060A6\.cnf\.xml" -> .+\/e\/SEP000E84C060A6\.cnf\.xml \(\d+ bytes\)\n/,
    );
    assert.ok(
      run.stderr.includes(
        `cannot write ${dir}/e/P0S3-8-12-00.loads (34 bytes): no space left on the device (ENOSPC); it was removed; 1 file was written before it.\nexit 2\nSEP000E84C060A6.cnf.xml\n`,
      ),
      run.stderr,
    );
    assert.ok(
      run.stderr.includes(
        `cannot write the ticket bundle ${dir}/b: no space left on the device (ENOSPC) (nothing was written).\nexit 2\nend\n`,
      ),
      run.stderr,
    );
  });
});

describe('the server logs a bundle copies', () => {
  it('streams a regular log byte for byte, and lists a FIFO or a missing log instead of waiting on it', async (t) => {
    const { dir } = place('server-logs');
    const log = path.join(dir, 'dnsmasq.log');
    const bytes = Buffer.concat([
      Buffer.from('dnsmasq-dhcp[1]: DHCPACK(eth0) 192.0.2.106\n'),
      Buffer.alloc(3 * 1024 * 1024, 0x41),
    ]);
    writeFileSync(log, bytes);
    const fifo = path.join(dir, 'fifo.log');
    if (spawnSync('mkfifo', [fifo]).status !== 0) t.diagnostic('mkfifo missing: no FIFO case');
    const missing = path.join(dir, 'missing.log');
    const out = path.join(dir, 'bundle');
    const bundle = await writeTicketBundle(out, fixtureAnalysis(), {
      captures: [capture],
      serverLogs: [log, ...(existsSync(fifo) ? [fifo] : []), missing],
    });
    assert.deepEqual(readFileSync(path.join(out, 'server-dnsmasq.log')), bytes);
    if (existsSync(fifo))
      assert.ok(bundle.problems.includes(`server log ${fifo} is a FIFO (named pipe), not a file: not copied`));
    assert.ok(
      bundle.problems.some((p) =>
        p.startsWith(`server log ${missing} could not be copied: no such file or folder (ENOENT)`),
      ),
    );
  });
});

describe('work removed on a signal', () => {
  const module = path.join(path.dirname(cliPath), 'src', 'extract', 'removed-on-signal.js');
  const script = (otherListener: boolean): string =>
    `import { removedOnSignal } from ${JSON.stringify(module)};
     import { writeFileSync } from 'node:fs';
     ${otherListener ? "process.on('SIGTERM', () => { console.log('the other listener quits'); });" : ''}
     const guard = removedOnSignal();
     writeFileSync(process.argv[1], 'part of a file');
     guard.path = process.argv[1];
     process.kill(process.pid, 'SIGTERM');
     setTimeout(() => console.log('still running'), 200);`;

  it('removes the file part-way and ends by the signal; with another listener, leaves the ending to it', () => {
    const { dir } = place('guard');
    const file = path.join(dir, 'partial.bin');
    const alone = spawnSync(process.execPath, ['--input-type=module', '-e', script(false), file], { encoding: 'utf8' });
    assert.equal(alone.signal, 'SIGTERM');
    assert.equal(existsSync(file), false);
    const shared = spawnSync(process.execPath, ['--input-type=module', '-e', script(true), file], { encoding: 'utf8' });
    assert.equal(shared.status, 0);
    assert.equal(shared.stdout, 'the other listener quits\nstill running\n');
    assert.equal(existsSync(file), false);
  });
});

describe('a ticket bundle raced', () => {
  it('DIR made and filled by another process while the bundle is written is not replaced: exit 2, nothing left', async () => {
    const { dir } = place('raced');
    const big = path.join(dir, 'site.pcap');
    await writeSiteCapture(big, 1000);
    const out = path.join(dir, 'bundle');
    const run = spawn(process.execPath, [cliPath, 'analyze', big, '--out', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    run.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const ended = new Promise<number | null>((resolve) => run.on('close', (code) => resolve(code)));
    while (!readdirSync(dir).some((n) => n.startsWith('.bundle.partial-')) && run.exitCode === null)
      await new Promise((r) => setTimeout(r, 5));
    mkdirSync(out);
    writeFileSync(path.join(out, 'theirs.txt'), 'theirs');
    assert.equal(await ended, 2, stderr);
    assert.ok(stderr.includes(`${out} was filled while the bundle was written`), stderr);
    assert.deepEqual(readdirSync(out), ['theirs.txt']);
    assert.deepEqual(readdirSync(dir).sort(), ['bundle', 'outside', 'site.pcap']);
  });
});

describe('a ticket bundle stopped by a signal', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while the bundle is written removes the temporary folder and ends by the signal`, async () => {
      const { dir } = place(`signal-${signal}`);
      // A site of 1,000 phones: the bundle takes long enough to be stopped part-way.
      const big = path.join(dir, 'site.pcap');
      await writeSiteCapture(big, 1000);
      const run = spawn(process.execPath, [cliPath, 'analyze', big, '--out', path.join(dir, 'bundle')], {
        stdio: 'ignore',
      });
      const ended = new Promise<NodeJS.Signals | null>((resolve) => run.on('exit', (_code, s) => resolve(s)));
      const partial = (): boolean => readdirSync(dir).some((n) => n.startsWith('.bundle.partial-'));
      while (!partial() && run.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      run.kill(signal);
      assert.equal(await ended, signal);
      assert.deepEqual(readdirSync(dir), ['outside', 'site.pcap']);
    });
  }
});
