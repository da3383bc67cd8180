import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { CaptureDecoder } from '../../parsers/capture/decoder.js';
import { followText } from '../../src/sources/follow-text.js';
import {
  explainCaptureFailure,
  interfaceNames,
  LiveCaptureError,
  phoneFilter,
  runLiveCapture,
} from '../../src/sources/live-capture.js';
import { requireTool, until } from '../helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('followText', () => {
  it('gives the lines there are, then each line as it is written, and starts over when the file is truncated', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'follow-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'tftpd.log');
    writeFileSync(file, 'one\r\ntwo\n');
    const seen: string[] = [];
    let restarts = 0;
    const stop = new AbortController();
    const done = followText(file, (text, line) => seen.push(`${line}:${text}`), {
      signal: stop.signal,
      pollMs: 20,
      restarted: () => restarts++,
    });
    await until('the first lines', () => seen.length === 2);
    appendFileSync(file, 'thr');
    await sleep(80);
    assert.deepEqual(seen, ['1:one', '2:two'], 'a partial line waits for its end');
    appendFileSync(file, 'ee\n');
    await until('the third line', () => seen.length === 3);
    writeFileSync(file, 'new\n');
    await until('the rotated file', () => seen.length === 4);
    stop.abort();
    await done;
    assert.deepEqual(seen, ['1:one', '2:two', '3:three', '1:new']);
    assert.equal(restarts, 1);
  });

  it('waits for a file that does not exist yet', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'follow-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'later.log');
    const seen: string[] = [];
    const stop = new AbortController();
    const done = followText(file, (text) => seen.push(text), { signal: stop.signal, pollMs: 20 });
    await sleep(60);
    writeFileSync(file, 'RRQ from 192.0.2.10 filename OS79XX.TXT\n');
    await until('the line', () => seen.length === 1);
    stop.abort();
    await done;
  });
});

describe('live capture', () => {
  it('follows the phone by MAC and keeps IP fragments, rather than filtering on port 69', () => {
    const filter = phoneFilter('00:0e:84:c0:60:a6');
    assert.match(filter, /ether host 00:0e:84:c0:60:a6/);
    assert.match(filter, /ip\[6:2\] & 0x3fff != 0/);
    assert.doesNotMatch(filter, /port 69/);
    for (const f of [filter, phoneFilter()]) {
      // tcpdump compiles it (-d prints the BPF program without capturing).
      execFileSync('tcpdump', ['-d', '-y', 'EN10MB', f], { stdio: 'ignore' });
    }
  });

  it('explains a missing permission with the fixes, and a missing interface with the ones there are', () => {
    const denied = explainCaptureFailure(
      'tcpdump',
      'eth0',
      "tcpdump: eth0: You don't have permission to perform this " +
        'capture on that device\n(socket: Operation not permitted)\n',
    );
    assert.match(denied ?? '', /setcap cap_net_raw/);
    assert.match(denied ?? '', /wireshark group/);
    assert.match(denied ?? '', /sudo/);
    const missing = explainCaptureFailure(
      'tcpdump',
      'nosuch0',
      'tcpdump: nosuch0: No such device exists\n(No such device exists)\n',
    );
    for (const name of interfaceNames()) assert.ok(missing?.includes(name), `${name} is listed`);
    assert.ok(interfaceNames().includes('lo'));
  });

  it('names the Debian package when the capture program is not installed', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'live-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const pathBefore = process.env.PATH;
    process.env.PATH = dir;
    t.after(() => {
      process.env.PATH = pathBefore;
    });
    const decoder = new CaptureDecoder({ problem: () => undefined });
    await assert.rejects(
      runLiveCapture(
        {
          iface: 'lo',
          filter: 'udp',
          file: path.join(dir, 'c.pcap'),
          signal: new AbortController().signal,
          program: 'dumpcap',
        },
        new CaptureReader(decoder),
      ),
      (error: unknown) => error instanceof LiveCaptureError && /wireshark-common/.test(error.message),
    );
  });

  it('keeps the capture only in a new file: an earlier capture or a planted link is refused, not written over', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'live-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // A stand-in for tcpdump: says it listens, writes a pcap header and waits to be stopped.
    const fake = path.join(dir, 'tcpdump');
    writeFileSync(
      fake,
      "#!/bin/sh\necho 'listening on lo' >&2\nprintf '\\324\\303\\262\\241\\002\\000\\004\\000\\000\\000\\000\\000\\000\\000\\000\\000\\377\\377\\000\\000\\001\\000\\000\\000'\nexec sleep 30\n",
      { mode: 0o755 },
    );
    const pathBefore = process.env.PATH;
    process.env.PATH = `${dir}:${pathBefore}`;
    t.after(() => {
      process.env.PATH = pathBefore;
    });
    const earlier = path.join(dir, 'earlier.pcap');
    writeFileSync(earlier, 'earlier capture');
    const planted = path.join(dir, 'planted.pcap');
    const target = path.join(dir, 'target.txt');
    writeFileSync(target, 'not a capture');
    symlinkSync(target, planted);
    for (const file of [earlier, planted]) {
      await assert.rejects(
        runLiveCapture(
          { iface: 'lo', filter: 'udp', file, signal: new AbortController().signal },
          new CaptureReader(new CaptureDecoder({ problem: () => undefined })),
        ),
        (error: unknown) =>
          error instanceof LiveCaptureError &&
          error.message.startsWith(
            `the capture cannot be kept in ${file}: it already exists (EEXIST) (give a new --session-dir)`,
          ),
      );
    }
    assert.equal(readFileSync(earlier, 'utf8'), 'earlier capture');
    assert.equal(readFileSync(target, 'utf8'), 'not a capture');
  });

  it('an interface that does not exist fails with the list of interfaces', async (t) => {
    if (!requireTool(t, 'tcpdump', 'tcpdump')) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'live-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const decoder = new CaptureDecoder({ problem: () => undefined });
    await assert.rejects(
      runLiveCapture(
        { iface: 'nosuch0', filter: 'udp', file: path.join(dir, 'c.pcap'), signal: new AbortController().signal },
        new CaptureReader(decoder),
      ),
      (error: unknown) =>
        error instanceof LiveCaptureError &&
        /no network interface "nosuch0"/.test(error.message) &&
        /\blo\b/.test(error.message),
    );
  });

  it('captures on loopback as it happens, keeps every byte in the session file, and stops cleanly', async (t) => {
    if (!requireTool(t, 'tcpdump', 'tcpdump') || !requireTool(t, 'socat', 'socat')) return;
    if (process.getuid?.() !== 0) {
      if (process.env.CI === 'true') throw new Error('live capture needs root under CI');
      t.skip('needs root (capture permission)');
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'live-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'capture.pcap');
    const stop = new AbortController();
    let tftp = 0;
    let started = false;
    const decoder = new CaptureDecoder({
      problem: () => undefined,
      packet: (p) => {
        if (p.proto === 'tftp') tftp++;
      },
    });
    const running = runLiveCapture(
      {
        iface: 'lo',
        filter: 'udp port 69',
        file,
        signal: stop.signal,
        onStarted: () => {
          started = true;
        },
      },
      new CaptureReader(decoder),
    );
    await until('tcpdump to listen', () => started);
    // Read requests to port 69 on loopback (nobody answers): the TFTP decoder sees them while the capture runs.
    const rrq = Buffer.concat([Buffer.from([0, 1]), Buffer.from('OS79XX.TXT\0octet\0', 'latin1')]).toString('hex');
    for (let i = 0; i < 5; i++)
      execFileSync('sh', ['-c', `printf '${rrq.replace(/(..)/g, '\\x$1')}' | socat - UDP-SENDTO:127.0.0.1:69`]);
    await until('the requests decoded live', () => tftp === 5);
    stop.abort();
    await running;
    const frames = execFileSync('tcpdump', ['-r', file, '-n'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n');
    assert.equal(frames.length, 5, 'the kept file holds what was decoded');
    assert.ok(readFileSync(file).length > 24);
  });
});
