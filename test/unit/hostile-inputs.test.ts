/**
 * Hostile inputs through every command: one string with terminal escapes, bidi overrides and
 * forged line ends through every output format; a TFTP root with links leading out of it and
 * special files; files far larger than any real one; output folders on /proc and /sys and
 * non-empty ones. The fixtures are test/fixtures/hostile/ (made by its generate.ts); links,
 * FIFOs, sparse giants and names holding the string are made here at run time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { bytesText } from '../../parsers/capture/bytes.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { initialState } from '../../src/tui/state.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { consoleLogBytes, readConsoleLog } from '../../parsers/console/log-lines.js';
import {
  escapeConsoleBytes,
  escapeConsoleLine,
  jsonText,
  markdownText,
  SHOWN_CHARS,
  terminalText,
} from '../../src/views/escape.js';
import {
  HOSTILE_NO_NUL,
  HOSTILE_SHOWN,
  MARKDOWN_OPENERS,
  MARKUP,
  RAW_UNSAFE,
} from '../fixtures/hostile/hostile-text.js';
import { fixture, nth } from '../helpers.js';
import { spawnCli, type SpawnedRun } from '../run-cli.js';
import { openHeadlessTui } from './tui-harness.js';

const capture = fixture('hostile', 'capture.pcap');
const consoleLog = fixture('hostile', 'console.log');
const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-hostile-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function phonedoc(...args: string[]): SpawnedRun {
  return spawnCli(args);
}

/** No raw control, C1, format or separator character but LF. */
function assertNoRaw(label: string, text: string): void {
  const m = RAW_UNSAFE.exec(text);
  assert.equal(
    m,
    null,
    `${label} holds U+${(m?.[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')} raw near ` +
      `${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 30), (m?.index ?? 0) + 10))}`,
  );
}

/** Terminal output: nothing raw, the string shown (escaped), and no output row forged by its CR LF. */
function assertTerminal(label: string, run: SpawnedRun, forgedRowsMatter = true): void {
  assert.notEqual(run.status, 70, `${label}: ${run.stderr}`);
  assertNoRaw(`${label} stdout`, run.stdout);
  assertNoRaw(`${label} stderr`, run.stderr);
  assert.match(run.stdout, HOSTILE_SHOWN, `${label} shows the string, escaped`);
  if (forgedRowsMatter) assert.ok(!/^FAKE LINE/m.test(run.stdout), `${label}: a row begins with the forged text`);
}

/** JSON: nothing raw, valid, and the decoded values give the string's characters back (escaped, not dropped). */
function assertJson(
  label: string,
  text: string,
  docs: readonly string[],
  characters = ['\u202e', '\u009b', '\x1b'],
): void {
  assertNoRaw(label, text);
  assert.match(text, /\\u001b\]52/, `${label} holds the string, escaped`);
  const decoded = docs.map((doc) => collectStrings(JSON.parse(doc) as unknown)).join('\n');
  for (const c of characters)
    assert.ok(decoded.includes(c), `${label}: U+${c.codePointAt(0)!.toString(16)} comes back from its \\u escape`);
}

/** Markdown that GitHub would render as HTML, a link, an image or code: none from the input. */
function assertMarkdownInert(label: string, text: string): void {
  const m = MARKDOWN_OPENERS.exec(text);
  assert.equal(m, null, `${label} holds ${JSON.stringify(m?.[0])} unescaped`);
  assert.ok(text.includes(markdownText(MARKUP)), `${label} shows the markup as text`);
}

/** HTML: the input's markup is text (character references), never a tag, comment or link. */
function assertHtmlInert(label: string, text: string): void {
  assert.ok(!/<b>|<!--c|href="javascript|src="http/.test(text), `${label} holds markup from the input`);
  assert.ok(text.includes('&#60;b&#62;B&#60;/b&#62;'), `${label} shows the markup as text`);
}

/** A file name holding HOSTILE (a name cannot hold NUL or `/`). */
const HOSTILE_NAME = HOSTILE_NO_NUL.replace(/\//g, '');

function collectStrings(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(collectStrings).join('\n');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}\n${collectStrings(v)}`)
      .join('\n');
  return '';
}

describe('one hostile string through every command and format', () => {
  it('decode text and jsonl', () => {
    assertTerminal('decode text', phonedoc('decode', capture));
    const jsonl = phonedoc('decode', capture, '--format', 'jsonl');
    assertJson('decode jsonl', jsonl.stdout, jsonl.stdout.trim().split('\n'));
  });

  it('decode: every DHCP string field and header field, bytes not UTF-8 kept one character per byte', () => {
    const text = phonedoc('decode', capture).stdout;
    for (const field of ['domain-name=', 'message=', 'sname ', 'file ', 'domain-search=', 'host-name='])
      assert.ok(text.includes(`${field}"A\\u001b]52`), `decode text shows ${field} escaped and quoted`);
    assert.ok(
      text.includes('merit-dump-file="A\\x9b31mÿþÃ("'),
      'bytes not UTF-8: each byte one character, 0x9b escaped',
    );
    assert.ok(text.includes('sip-ua-configuration-service-domains=0141c000'), 'a pointer loop is shown as hex');
    const jsonl = phonedoc('decode', capture, '--format', 'jsonl').stdout;
    assert.ok(jsonl.includes('"14":"A\\u009b31mÿþÃ("'));
    for (const [label, out] of [
      ['text', text],
      ['jsonl', jsonl],
    ] as const)
      assert.ok(!out.includes('\ufffd'), `decode ${label}: no byte replaced by U+FFFD`);
  });

  it('transfers text and jsonl (the mode, option names and values, the ERROR message)', () => {
    const text = phonedoc('transfers', capture);
    assertTerminal('transfers text', text);
    assert.match(text.stdout, /error 1 \(File not found\) "A\\x1b\]52/);
    const jsonl = phonedoc('transfers', capture, '--format', 'jsonl');
    assertJson('transfers jsonl', jsonl.stdout, jsonl.stdout.trim().split('\n'));
  });

  it('analyze text, md, html and json', () => {
    const inputs = [capture, '--console', consoleLog, '--tftp-root', fixture('hostile', 'tftp-root')];
    assertTerminal('analyze text', phonedoc('analyze', ...inputs), false);
    const md = phonedoc('analyze', ...inputs, '--format', 'md');
    assertTerminal('analyze md', md, false);
    assertMarkdownInert('analyze md', md.stdout);
    const html = phonedoc('analyze', ...inputs, '--format', 'html');
    assertTerminal('analyze html', html, false);
    assert.ok(!html.stdout.includes('<FAKE') && !html.stdout.includes('http://x/"'), 'no markup from the input');
    assertHtmlInert('analyze html', html.stdout);
    const json = phonedoc('analyze', ...inputs, '--format', 'json');
    assertJson('analyze json', json.stdout, [json.stdout]);
  });

  it('analyze --out: every file of the bundle, the console log in its escaped form', () => {
    const dir = path.join(scratch, 'bundle');
    const run = phonedoc('analyze', capture, '--console', consoleLog, '--out', dir);
    assert.notEqual(run.status, 70, run.stderr);
    for (const name of ['report.md', 'report.html']) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      assertNoRaw(name, text);
      assert.match(text, HOSTILE_SHOWN, `${name} shows the string, escaped`);
    }
    assertMarkdownInert('report.md', readFileSync(path.join(dir, 'report.md'), 'utf8'));
    assertHtmlInert('report.html', readFileSync(path.join(dir, 'report.html'), 'utf8'));
    const json = readFileSync(path.join(dir, 'report.json'), 'utf8');
    assertJson('report.json', json, [json]);
    const log = readFileSync(path.join(dir, 'console.log'), 'utf8');
    assertNoRaw('console.log', log);
    assert.match(log, /# phonedoc console log .*bytes=escaped/);
    const lines = readConsoleLog(log).lines;
    assert.ok(
      lines.some((l) => l.text.includes(HOSTILE_NO_NUL.split('\r')[0]!)),
      "the bundle's console log reads back to the text",
    );
  });

  it('analyze --each: the Markdown summary escapes its cells like the report', () => {
    const named = path.join(scratch, `${MARKUP.replace(/\//g, '')}.pcap`);
    cpSync(capture, named);
    const run = phonedoc('analyze', '--each', named, '--format', 'md');
    assert.notEqual(run.status, 70, run.stderr);
    const row = run.stdout.trimEnd().split('\n').at(-1) ?? '';
    assert.ok(row.startsWith(`| ${markdownText(named)} |`), row.slice(0, 200));
    assertNoRaw('--each md', run.stdout);
    assert.equal(MARKDOWN_OPENERS.exec(row), null, `the summary row holds markup: ${row.slice(0, 200)}`);
  });

  it('messages naming a file given on the command line, and option errors, are escaped', () => {
    const cut = path.join(scratch, `${HOSTILE_NAME}.pcap`);
    writeFileSync(cut, readFileSync(capture).subarray(0, 600));
    const replayed = path.join(scratch, `${HOSTILE_NAME}.log`);
    cpSync(consoleLog, replayed);
    const runs: [string, SpawnedRun][] = [
      ['decode of a cut capture', phonedoc('decode', cut)],
      ['an option value', phonedoc('analyze', capture, '--format', HOSTILE_NAME)],
      ['an unknown option', phonedoc('analyze', `--x${HOSTILE_NAME}`)],
      ['a missing TFTP root', phonedoc('lint', path.join(scratch, `no-${HOSTILE_NAME}`))],
      ['the extract folder', phonedoc('transfers', capture, '--extract', path.join(scratch, `x-${HOSTILE_NAME}`))],
      ['console --replay', phonedoc('console', '--replay', replayed, '--speed', '0')],
    ];
    for (const [label, run] of runs) {
      assert.notEqual(run.status, 70, `${label}: ${run.stderr}`);
      assertNoRaw(`${label} stdout`, run.stdout);
      assertNoRaw(`${label} stderr`, run.stderr);
      assert.match(run.stdout + run.stderr, HOSTILE_SHOWN, `${label}: the name is shown, escaped`);
      assert.ok(!/^FAKE/m.test(run.stderr) && !/^FAKE LINE/m.test(run.stdout), `${label}: a forged row`);
    }
  });

  it('a megabyte console line: the text, Markdown and HTML reports and the TUI cut it and say so, JSON keeps it whole', async (t) => {
    const log = path.join(scratch, 'long-line.log');
    const long = `${'A'.repeat(1024 * 1024)}\u202e`;
    writeFileSync(
      log,
      '2023-11-14T22:13:20.000Z # phonedoc console log model=CP-7960G mac=000E84C060A6\n' +
        `2023-11-14T22:13:20.001Z DHCP BOUND 192.0.2.20\n2023-11-14T22:13:20.002Z ${long}\n` +
        // Quoted whole in the verdict and the evidence, not only in a timeline row.
        `2023-11-14T22:13:20.003Z Protocol Application Invalid ${long}\n`,
    );
    for (const format of ['text', 'md', 'html']) {
      const run = phonedoc('analyze', '--console', log, '--format', format);
      assert.notEqual(run.status, 70, run.stderr);
      assert.ok(run.stdout.length < 64 * 1024, `${format}: ${run.stdout.length} characters`);
      // The text report's timeline rows are cut at the width of the page.
      if (format !== 'text')
        assert.match(run.stdout, new RegExp(`A… \\(${long.length - SHOWN_CHARS} more characters not shown\\)`));
    }
    const json = phonedoc('analyze', '--console', log, '--format', 'json');
    assert.ok(json.stdout.includes(`${'A'.repeat(1024 * 1024)}\\u202e`), 'the JSON report holds the whole line');
    const inputs = { captures: [], consoles: [log], serverLogs: [] };
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const tui = await openHeadlessTui(initialState(analysis, []), 200, 80);
    t.after(() => tui.close());
    // The console pane, its last row opened.
    await tui.press('tab', 'down', 'down', 'enter');
    assert.match(tui.text(), /A… \(\d+ more characters not shown\)/);
  });

  it('tui: panes, the servers view and a row opened show the strings; no blessed tag from the input acts', async (t) => {
    const inputs = { captures: [capture], consoles: [consoleLog], serverLogs: [] };
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const tui = await openHeadlessTui(initialState(analysis, []), 240, 70);
    t.after(() => tui.close());
    const screens = [tui.text()];
    await tui.press('v');
    screens.push(tui.text());
    for (const [i, screen] of screens.entries()) {
      assertNoRaw(`tui screen ${i}`, screen);
      assert.match(screen, HOSTILE_SHOWN, `tui screen ${i} shows the string, escaped`);
    }
    // The network row of the request named MARKUP, opened.
    await tui.press('escape', 'tab', 'tab', 'g', ...Array<string>(9).fill('down'), 'enter');
    const row = tui.text();
    assertNoRaw('tui row', row);
    assert.ok(row.includes(`"${MARKUP}.cnf": error 1`), 'the row shows the name with its tag as text');
  });

  it('console --replay: the header fields and the lines', () => {
    const run = phonedoc('console', '--replay', consoleLog, '--speed', '0');
    assert.equal(run.status, 0, run.stderr);
    assertTerminal('console --replay', run, false);
    assert.match(run.stdout, /image=P0S3A\\x1b\]52/);
  });

  it('lint text and json (a file name and a value holding it)', () => {
    const root = path.join(scratch, 'lint-root');
    cpSync(fixture('hostile', 'tftp-root'), root, { recursive: true });
    writeFileSync(path.join(root, `${HOSTILE_NO_NUL.replace(/\//g, '')}.cnf`), 'x');
    const text = phonedoc('lint', root);
    assertTerminal('lint text', text);
    const json = phonedoc('lint', root, '--format', 'json');
    // The .cnf reader ends the value at the OSC's ';': the ESC before it is what is left.
    assertJson('lint json', json.stdout, [json.stdout], ['\x1b']);
  });
});

describe('the escaping rule (src/views/escape.ts)', () => {
  it('terminal and JSON forms cover astral format characters and lone surrogates; JSON stays valid', () => {
    const odd = 'a\u{e0001}b\ud800c\u061cd\ufeffe';
    assert.equal(terminalText(odd), 'a\\u{e0001}b\\u{d800}c\\u{61c}d\\u{feff}e');
    const json = jsonText({ [odd]: odd });
    assertNoRaw('json', json);
    assert.deepEqual(JSON.parse(json), { [odd]: odd });
    assert.equal(jsonText('\u009b\u202e'), '"\\u009b\\u202e"');
  });

  it('Markdown: no line start, bare link or e-mail address from the input becomes markup', () => {
    assert.equal(markdownText('- item'), '\\- item');
    assert.equal(markdownText('12. item'), '12\\. item');
    assert.equal(markdownText('==='), '\\===');
    assert.equal(
      markdownText('see http://a.example and www.b.example, mail c@d.example'),
      'see http\\://a.example and www\\.b.example, mail c\\@d.example',
    );
    assert.equal(markdownText('192.0.2.1 asks 192.0.2.2'), '192.0.2.1 asks 192.0.2.2', 'an address is not a list item');
  });

  it('bytes from a capture: UTF-8 when valid, else one character per byte (not windows-1252); a BOM is kept', () => {
    assert.equal(bytesText(Uint8Array.of(0x41, 0x80, 0x9b, 0xff)), 'A\u0080\u009b\u00ff');
    assert.equal(bytesText(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41, 0xc3, 0xa9)), '\ufeffAé');
  });

  it("a phone's line that reads like phonedoc's own header line stays the phone's line", () => {
    const forged = Buffer.from('# phonedoc console log mac=000E84C0FFFF simulated bytes=raw\x1b', 'latin1');
    const line = escapeConsoleLine(forged);
    assert.equal(line, '\\x23 phonedoc console log mac=000E84C0FFFF simulated bytes=raw\\x1b');
    const log = readConsoleLog(
      '2023-11-14T22:13:20.000Z # phonedoc console log mac=000E84C060A6 bytes=escaped\n' +
        `2023-11-14T22:13:20.001Z ${line}\n2023-11-14T22:13:20.002Z a\\x1b\n`,
    );
    assert.equal(log.header.length, 1);
    assert.equal(log.simulated, false);
    assert.deepEqual(
      log.lines.map((l) => Buffer.from(l.received ?? [])),
      [forged, Buffer.from('a\x1b', 'latin1')],
      'both lines read back to the bytes the phone sent',
    );
  });

  it('console bytes: overlong forms, encoded surrogates and cut sequences are bytes, valid UTF-8 stays text', () => {
    const bytes = Buffer.from([
      0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x82, 0x41, 0xf4, 0x90, 0x80, 0x80, 0xe2, 0x82, 0xac, 0x5c,
    ]);
    const escaped = escapeConsoleBytes(bytes);
    assert.equal(escaped, '\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82A\\xf4\\x90\\x80\\x80€\\\\');
    assert.deepEqual(Buffer.from(consoleLogBytes(escaped)), bytes);
  });
});

describe('lint stays inside the TFTP root', () => {
  const root = path.join(scratch, 'links');
  mkdirSync(root);
  writeFileSync(
    path.join(root, 'SEP000E84C060A6.cnf.xml'),
    '<device><loadInformation model="IP Phone 7960">P0S3-8-12-00</loadInformation></device>\n',
  );
  mkdirSync(path.join(root, 'sub'));
  symlinkSync('..', path.join(root, 'up'));
  symlinkSync('/etc/passwd', path.join(root, 'SIPDefault.cnf'));
  symlinkSync('/', path.join(root, 'rootlink'));
  symlinkSync('../../..', path.join(root, 'sub', 'far'));
  symlinkSync('SEP000E84C060A6.cnf.xml', path.join(root, 'XMLDefault.cnf.xml'));
  symlinkSync('nothing-here', path.join(root, 'dangling.cnf'));
  spawnSync('mkfifo', [path.join(root, 'OS79XX.TXT')]);
  writeFileSync(path.join(scratch, 'SIP000E84C060A6.cnf'), 'image_version: OUTSIDE-SECRET\n');

  const leftOut = (stderr: string): string[] =>
    [...stderr.matchAll(/left out (\S+): (.*)$/gm)].map((m) => `${m[1]}: ${nth(m, 2).split(' (')[0]}`);

  it('skips and lists links leading out, dangling links and special files; follows links inside', () => {
    const run = phonedoc('lint', root, '--mac', '000E84C060A6', '--format', 'json');
    assert.notEqual(run.status, 2, run.stderr);
    assert.deepEqual(leftOut(run.stderr), [
      'OS79XX.TXT: not a regular file',
      'SIPDefault.cnf: a symbolic link leading outside the root',
      'dangling.cnf: a symbolic link to nothing',
      'rootlink: a symbolic link leading outside the root',
      'sub/far: a symbolic link leading outside the root',
      'up: a symbolic link leading outside the root',
    ]);
    assert.ok(!/root:x:0|OUTSIDE-SECRET|up\/|rootlink\//.test(run.stdout), 'nothing outside the root is quoted');
    const report = JSON.parse(run.stdout) as { phones: { requests?: { file: string; answer: string }[] }[] };
    const answers = Object.fromEntries(nth(report.phones, 0).requests!.map((r) => [r.file, r.answer]));
    assert.equal(answers['SEP000E84C060A6.cnf.xml'], 'found');
    if ('SIPDefault.cnf' in answers)
      assert.equal(answers['SIPDefault.cnf'], 'not-found', 'a link leading out serves nothing');
  });

  it('analyze --tftp-root reads the same snapshot: the same entries left out, nothing outside quoted', () => {
    const run = phonedoc('analyze', '--tftp-root', root, '--format', 'json');
    assert.notEqual(run.status, 70, run.stderr);
    assert.equal(leftOut(run.stderr).length, 6, run.stderr);
    assert.ok(!/root:x:0|OUTSIDE-SECRET/.test(run.stdout));
  });
});

describe('size caps: large or strange input ends in exit 2 or a warning, never 70', () => {
  it('a 400 MB SIPDefault.cnf: lint and analyze --tftp-root name the file and the 1 MiB cap', () => {
    const root = path.join(scratch, 'giant-root');
    mkdirSync(root);
    writeFileSync(path.join(root, 'SIPDefault.cnf'), '');
    truncateSync(path.join(root, 'SIPDefault.cnf'), 400 * 1024 * 1024);
    for (const args of [
      ['lint', root],
      ['analyze', '--tftp-root', root],
    ]) {
      const run = phonedoc(...args);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /SIPDefault\.cnf is 419430400 bytes, over phonedoc's cap of 1048576 bytes \(1 MiB\)/);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    }
  });

  it('a 100 MB console log: analyze and replay refuse it naming the cap', () => {
    const log = path.join(scratch, 'giant-console.log');
    writeFileSync(log, '');
    truncateSync(log, 100 * 1024 * 1024);
    const analyze = phonedoc('analyze', '--console', log);
    assert.equal(analyze.status, 2);
    assert.match(analyze.stderr, /giant-console\.log is 104857600 bytes, over phonedoc's cap of 67108864 bytes/);
    const replay = phonedoc('console', '--replay', log);
    assert.equal(replay.status, 2);
    assert.match(replay.stderr, /over phonedoc's cap of 67108864 bytes/);
  });

  it('a server log of 100 MB without a line end is read in pieces: one line, cut, and said', () => {
    const log = path.join(scratch, 'giant-server.log');
    writeFileSync(log, '');
    truncateSync(log, 100 * 1024 * 1024);
    const run = phonedoc('analyze', '--server-log', log);
    assert.notEqual(run.status, 70, run.stderr);
    assert.match(run.stderr, /giant-server\.log: 1 line\(s\) longer than 65536 bytes, read up to there \(line 1\)/);
  });
});

describe('output folders', () => {
  it('refuses /proc and /sys up front, in one sentence, exit 2', () => {
    for (const args of [
      ['transfers', capture, '--extract', '/proc/self/x'],
      ['analyze', capture, '--out', '/sys/phonedoc-x'],
      ['transfers', capture, '--extract', '/proc/1/task/x/y'],
      ['console', '--telnet', '127.0.0.1:9', '--log', '/proc/self/x/console.log'],
    ]) {
      const run = phonedoc(...args);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(
        run.stderr,
        /^phonedoc: cannot create the (--extract|--out|console log) folder \S+: it is on a kernel file system \(\/proc or \/sys\) that takes no files; give a folder on a disk\.\n$/,
      );
      assert.equal(run.stdout, '', 'refused before anything is printed');
    }
  });

  it('analyze --out refuses a non-empty DIR before writing anything; leaves no temporary folder', () => {
    const parent = path.join(scratch, 'out-parent');
    const dir = path.join(parent, 'ticket');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const run = phonedoc('analyze', capture, '--out', dir);
    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      `phonedoc: ${dir} is not empty: give --out a new or empty folder (nothing was written).\n`,
    );
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
    assert.deepEqual(readdirSync(parent), ['ticket']);
    const fresh = path.join(parent, 'fresh');
    assert.notEqual(phonedoc('analyze', capture, '--out', fresh).status, 2);
    assert.deepEqual(
      readdirSync(parent).sort(),
      ['fresh', 'ticket'],
      'the bundle is renamed into place, no temporary folder stays',
    );
    assert.ok(readdirSync(fresh).includes('report.html'));
  });
});
