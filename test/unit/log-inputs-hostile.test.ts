/**
 * Logs that arrive as something other than a file: a device, a pipe, a procfs file that fails
 * to read, and a server log of many short lines after one known line. Each ends with a message
 * naming the file (exit 2), or is read to its end once, in bounded time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { parseServerLog } from '../../parsers/server-log/parse.js';
import { decodeLogText, encodedLength } from '../../src/sources/text-encoding.js';
import { cliPath, repoRoot } from '../helpers.js';
import { spawnCli, type SpawnedRun } from '../run-cli.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-log-inputs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const SAMPLE = path.join(repoRoot, 'captures', 'sip-812-boot');
const CONSOLE = path.join(SAMPLE, 'console-sep000e84c060a6.log');

function analyze(args: readonly string[]): SpawnedRun {
  return spawnCli(['analyze', ...args]);
}

/** analyze with `file` piped into its standard input (a pipe, as `cat file |` makes). */
function analyzePiped(file: string, args: readonly string[]): { status: number | null; stdout: string } {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const run = spawnSync('sh', ['-c', `cat '${file}' | '${process.execPath}' '${cliPath}' analyze ${quoted}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout + run.stderr };
}

describe('a log given as something other than a file', () => {
  for (const option of ['--console', '--server-log']) {
    it(`${option} /dev/zero is refused as a device (a device never ends), exit 2`, () => {
      const run = analyze([option, '/dev/zero']);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /cannot read (console|server) log \/dev\/zero: it is a character device, not a file/);
    });

    it(`${option} /proc/self/mem, whose read fails, exits 2 naming the file and the byte`, () => {
      const run = analyze([option, '/proc/self/mem']);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /cannot read (console|server) log \/proc\/self\/mem at byte 0: EIO/);
    });
  }

  it('a console log on standard input (a pipe) is read to its end', () => {
    const run = analyzePiped(CONSOLE, ['--console', '/dev/stdin', '-q']);
    assert.equal(run.status, 0, run.stdout);
    assert.match(run.stdout, /00:0e:84:c0:60:a6 \(7960\): SIP 8\.12/);
  });

  it('a console log read from a pipe is in the ticket bundle too (a pipe gives its bytes once)', () => {
    const out = path.join(scratch, 'bundle');
    const run = analyzePiped(CONSOLE, [
      path.join(SAMPLE, 'capture.pcap'),
      '--console',
      '/dev/stdin',
      '--out',
      out,
      '-q',
    ]);
    assert.equal(run.status, 0, run.stdout);
    const bundled = readFileSync(path.join(out, 'console.log'), 'utf8');
    assert.match(bundled, /DHCP BOUND/);
    assert.doesNotMatch(run.stdout, /no line has a time/);
  });
});

describe('a recorded console session in which the phone printed nothing', () => {
  const header = `2026-12-07T13:04:03.902Z # phonedoc console log port=/dev/ttyUSB0 settings="9600 8N1, no flow control" started=2026-12-07T13:04:03.902Z bytes=escaped line-ends=kept`;

  for (const [label, text] of [
    ['its header line alone', `${header}\n`],
    ['its header cut part-way', header.slice(0, 60)],
  ] as const) {
    it(`${label}: nothing was analysed, exit 2 (no phone said to have "no problem")`, () => {
      const file = path.join(scratch, `silent-${label.length}.log`);
      writeFileSync(file, text);
      const run = analyze(['--console', file]);
      assert.equal(run.status, 2, run.stdout);
      assert.equal(run.stderr, `phonedoc: nothing was analysed: ${file} names no phone.\n`);
      assert.doesNotMatch(run.stdout, /no problem found/);
    });
  }

  it("beside a capture of one phone, that phone's verdict is given", () => {
    const file = path.join(scratch, 'silent-beside.log');
    writeFileSync(file, `${header}\n`);
    const run = analyze([path.join(SAMPLE, 'capture.pcap'), '--console', file, '-q']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /00:0e:84:c0:60:a6 \(7960, 192\.0\.2\.106\): SIP 8\.12: runs SIP 8\.12/);
  });
});

describe('a server log of many short lines after one known line', () => {
  const known = 'Dec  7 10:00:00 host dnsmasq-tftp[1]: sent /srv/tftp/OS79XX.TXT to 192.0.2.10';

  it('the short lines are lines of their own, not a client address going on', () => {
    const events = parseServerLog([known, ...Array<string>(5000).fill('hello')].join('\n'), {
      referenceTime: Date.UTC(2026, 11, 7) / 1000,
      utcOffsetMinutes: 0,
    });
    const sent = events.find((e): e is Extract<ServerLogEvent, { kind: 'finished' }> => e.kind === 'finished');
    assert.equal(sent?.client, '192.0.2.10');
    assert.equal(events.length, 5001);
  });

  it('analyze names the phone by its address and ends (the joins are bounded)', () => {
    const file = path.join(scratch, 'short-lines.log');
    writeFileSync(file, `${known}\n${'hello\n'.repeat(20_000)}`);
    const run = analyze(['--server-log', file, '-q']);
    assert.match(run.stdout, /^Phone 192\.0\.2\.10: /);
    assert.doesNotMatch(run.stdout, /hello/);
  });
});

describe('a log saved as UTF-16 or UTF-32, with or without a byte-order mark', () => {
  const text = readFileSync(CONSOLE, 'utf8');
  const forms: Record<string, Buffer> = {
    'UTF-16LE without mark': Buffer.from(text, 'utf16le'),
    'UTF-16BE without mark': Buffer.from(text, 'utf16le').swap16(),
    'UTF-32LE with mark': utf32(`\ufeff${text}`, true),
    'UTF-32BE with mark': utf32(`\ufeff${text}`, false),
    'UTF-32BE without mark': utf32(text, false),
  };

  for (const [name, bytes] of Object.entries(forms)) {
    it(`${name}: read as the text it holds`, () => {
      const log = decodeLogText(bytes);
      assert.equal(log.text, text);
      assert.equal(encodedLength(log.text, log.encoding) + log.markBytes, bytes.length);
    });
  }

  it('a server log in UTF-16 without a mark is read by analyze', () => {
    const file = path.join(scratch, 'dnsmasq-utf16.log');
    writeFileSync(file, Buffer.from(readFileSync(path.join(SAMPLE, 'dnsmasq.log'), 'utf8'), 'utf16le'));
    const run = analyze(['--server-log', file, '-q']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Phone 00:0e:84:c0:60:a6 \(7960, 192\.0\.2\.106\)/);
  });
});

function utf32(text: string, littleEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0) ?? 0);
  const bytes = Buffer.alloc(points.length * 4);
  for (const [i, p] of points.entries()) {
    if (littleEndian) bytes.writeUInt32LE(p, i * 4);
    else bytes.writeUInt32BE(p, i * 4);
  }
  return bytes;
}

describe('lines padded with NUL bytes or coloured by a terminal program', () => {
  const lines = (file: string): string[] => readFileSync(file, 'latin1').split('\n').slice(0, -1);

  it('a server log whose lines are NUL-padded (some routers) is read, nothing reported damaged', () => {
    const file = path.join(scratch, 'padded.log');
    writeFileSync(
      file,
      lines(path.join(SAMPLE, 'dnsmasq.log'))
        .map((l) => `\0\0${l}${'\0'.repeat(30)}\n`)
        .join(''),
      'latin1',
    );
    const run = analyze(['--server-log', file, '-q']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Phone 00:0e:84:c0:60:a6 \(7960, 192\.0\.2\.106\)/);
  });

  it('a console log NUL-padded, or with colour sequences, reads as the plain one', () => {
    const plain = analyze([path.join(SAMPLE, 'capture.pcap'), '--console', CONSOLE, '-q']);
    for (const [name, wrap] of [
      ['padded', (l: string) => `${l}${'\0'.repeat(20)}`],
      ['coloured', (l: string) => `\x1b[1;31m${l}\x1b[0m`],
    ] as const) {
      const file = path.join(scratch, `console-${name}.log`);
      writeFileSync(
        file,
        lines(CONSOLE)
          .map((l) => `${wrap(l)}\n`)
          .join(''),
        'latin1',
      );
      const run = analyze([path.join(SAMPLE, 'capture.pcap'), '--console', file, '-q']);
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      assert.equal(run.stdout, plain.stdout, name);
    }
  });

  it('NUL bytes inside a line are still damage, reported with the line and offset', () => {
    const file = path.join(scratch, 'inner-nul.log');
    const [first, ...rest] = lines(path.join(SAMPLE, 'dnsmasq.log'));
    writeFileSync(file, [`${first}`, 'dnsmasq\0\0garbage', ...rest].map((l) => `${l}\n`).join(''), 'latin1');
    const run = analyze(['--server-log', file, '-q']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /damaged at byte offset \d+ \(line 2\)/);
  });
});

describe("a console recorded in phonedoc's escaped form with line noise", () => {
  it('the noise is damage, named by line and byte offset (the file itself holds no control byte)', () => {
    const file = path.join(scratch, 'noisy-session.log');
    writeFileSync(
      file,
      [
        '2026-12-07T10:00:00.000Z # phonedoc console log port=ttyUSB0 bytes=escaped',
        '2026-12-07T10:00:01.000Z DHCP BOUND',
        '2026-12-07T10:00:02.000Z \\x00\\x01\\x02\\x03\\xff\\x00',
        '2026-12-07T10:00:03.000Z SEP000E84C060A6.cnf.xml',
        '',
      ].join('\n'),
    );
    const run = analyze(['--console', file, '--format', 'json']);
    assert.equal(run.status, 2, run.stderr);
    const report = JSON.parse(run.stdout) as { inputs: { damage?: { line: number; offset: number } }[] };
    assert.equal(report.inputs[0]?.damage?.line, 3);
    assert.match(run.stderr, /noisy-session\.log: damaged at byte offset 111 \(line 3\)/);
  });
});

describe('console --replay reads its log as analyze does', () => {
  const replay = (file: string) =>
    spawnSync(process.execPath, [cliPath, 'console', '--replay', file, '--speed', '0'], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('/dev/zero is refused as a device, exit 2', () => {
    const run = replay('/dev/zero');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /cannot read console log \/dev\/zero: it is a character device/);
  });

  it('a log saved as UTF-16 plays as the UTF-8 one', () => {
    const file = path.join(scratch, 'replay-utf16.log');
    writeFileSync(file, Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(readFileSync(CONSOLE, 'utf8'), 'utf16le')]));
    const run = replay(file);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.replaceAll(file, 'LOG'), replay(CONSOLE).stdout.replaceAll(CONSOLE, 'LOG'));
  });
});
