/**
 * The ticket bundle's report.html opened in headless Chromium (Debian's chromium): it renders,
 * runs nothing and requests nothing, even when the capture's TFTP file name is
 * `<script>alert(1)</script>`. Control pages show the harness would see a script run, a CSP
 * violation and a request.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { writeTicketBundle } from '../../src/views/ticket-bundle.js';
import { cliPath, first, nth, requireTool } from '../helpers.js';
import { fixtureAnalysis, fixtureConsole, fixturePcap } from '../unit/views-fixture.js';

const ALERT = '<script>alert(1)</script>';
/** Would mark the page if it ran. */
const MARKING =
  `<script>document.documentElement.setAttribute('data-pwned','script')</script><img ` +
  `src=x onerror="document.documentElement.setAttribute('data-pwned','img')">`;
/** Never resolved (--host-resolver-rules), but logged by the NetLog if requested. */
const CONTROL_URL = 'http://phonedoc-control.invalid/x.png';

interface ChromiumRun {
  readonly stdout: string;
  readonly stderr: string;
  /** URLs the page itself requested (the browser's own update and account checks left out). */
  readonly pageRequests: readonly string[];
}

let scratch: string;
let runs = 0;

/** Runs headless Chromium on `file` with a fresh profile, no DNS, a NetLog, and `extra` flags. */
function chromium(file: string, extra: readonly string[]): Promise<ChromiumRun> {
  runs++;
  const profile = path.join(scratch, `profile-${runs}`);
  const netLog = path.join(scratch, `netlog-${runs}.json`);
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--enable-logging=stderr',
    '--v=0',
    `--log-net-log=${netLog}`,
    '--net-log-capture-mode=Everything',
    ...extra,
    pathToFileURL(file).href,
  ];
  return new Promise((resolve, reject) => {
    execFile('chromium', args, { timeout: 60_000, maxBuffer: 64 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`chromium failed: ${error.message}\n${stderr}`));
        return;
      }
      readFile(netLog, 'utf8').then((text) => resolve({ stdout, stderr, pageRequests: pageRequests(text) }), reject);
    });
  });
}

/** URL_REQUEST_START_JOB events whose initiator is a page (the browser's own requests have none). */
function pageRequests(netLogText: string): string[] {
  const log = JSON.parse(netLogText) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: { url?: string; initiator?: string } }[];
  };
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === start && e.params?.url !== undefined && e.params.initiator !== 'not an origin')
    .map((e) => e.params!.url!);
}

/** Messages Chromium logs when a Content-Security-Policy blocks something. */
const CSP_VIOLATION = /violates the following Content Security Policy directive/;

let report: string;
let capture: string;
before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'phonedoc-chromium-'));
  capture = path.join(scratch, 'capture.pcap');
  const consoleLog = path.join(scratch, 'console-sep000e84c060a6.log');
  await writeFile(capture, fixturePcap(ALERT));
  await writeFile(consoleLog, fixtureConsole());
  const analysis = fixtureAnalysis({ hostileName: ALERT });
  const phone = first(analysis.phones, 'a phone in the fixture analysis');
  const hostile = { ...analysis, phones: [{ ...phone, verdict: `${phone.verdict} ${MARKING}` }] };
  const dir = path.join(scratch, 'bundle');
  await writeTicketBundle(dir, hostile, { captures: [capture], console: consoleLog });
  report = path.join(dir, 'report.html');
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('control: the harness sees a script run, a blocked script and a page request', async (t) => {
    if (!requireTool(t, 'chromium', 'chromium')) return;
    const open = path.join(scratch, 'control-open.html');
    await writeFile(
      open,
      `<!DOCTYPE html><html><body><p>control</p>${MARKING}<img src="${CONTROL_URL}"></body></html>`,
    );
    const ran = await chromium(open, ['--dump-dom']);
    assert.match(ran.stdout, /<html data-pwned="(script|img)">/);
    assert.deepEqual(ran.pageRequests, [CONTROL_URL]);

    const guarded = path.join(scratch, 'control-csp.html');
    await writeFile(
      guarded,
      `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" ` +
        `content="default-src 'none'"></head><body>${MARKING}</body></html>`,
    );
    const blocked = await chromium(guarded, ['--dump-dom']);
    assert.doesNotMatch(blocked.stdout, /data-pwned=/);
    assert.match(blocked.stderr, CSP_VIOLATION);
  });

  it('renders the report, shows the hostile file name as text, runs nothing and requests nothing', async (t) => {
    if (!requireTool(t, 'chromium', 'chromium')) return;
    const source = await readFile(report, 'utf8');
    for (const m of source.matchAll(/\s(?:src|href)="([^"]*)"/g)) assert.match(nth(m, 1), /^#[\w-]+$/, 'only #anchors');

    const run = await chromium(report, ['--dump-dom']);
    const dom = run.stdout;
    assert.match(dom, /<h1>phonedoc analyze<\/h1>/);
    assert.match(dom, /SCCP 8\.1\(2\) → SIP 8\.12: stopped, the \.sb2 is missing from the TFTP root/);
    // The DOM serialiser writes text nodes escaped: the name is there as text, in the timeline and the findings.
    const asText = ALERT.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    assert.ok(dom.split(`RRQ ${asText}`).length - 1 >= 1, 'the request is in the timeline');
    assert.ok(dom.split(`File not found: ${asText}`).length - 1 >= 2, 'and cited by a finding');
    assert.doesNotMatch(dom, /data-pwned=/);
    assert.doesNotMatch(dom, /<script|<img/i);
    assert.doesNotMatch(run.stderr, CSP_VIOLATION, 'nothing even tried to run or load');
    assert.deepEqual(run.pageRequests, []);
  });

  it('makes a screenshot an engineer can attach', async (t) => {
    if (!requireTool(t, 'chromium', 'chromium')) return;
    const png = path.join(scratch, 'report.png');
    const run = await chromium(report, [`--screenshot=${png}`, '--window-size=1280,2000', '--hide-scrollbars']);
    assert.deepEqual(run.pageRequests, []);
    const bytes = await readFile(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(bytes.readUInt32BE(16), 1280);
    assert.equal(bytes.readUInt32BE(20), 2000);
    assert.ok(bytes.length > 20_000, `${bytes.length} bytes: a page with text, not a blank one`);
  });

  it('prints to PDF', async (t) => {
    if (!requireTool(t, 'chromium', 'chromium')) return;
    const pdf = path.join(scratch, 'report.pdf');
    const run = await chromium(report, [`--print-to-pdf=${pdf}`, '--no-pdf-header-footer']);
    assert.deepEqual(run.pageRequests, []);
    const bytes = await readFile(pdf);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
    assert.ok(
      pages.length >= 2,
      `${pages.length} pages: the findings and the timeline of one phone take more than one`,
    );
  });

  it('phonedoc analyze --out on a capture whose TFTP file name is <script>alert(1)</script>: the report shows it and runs nothing', async (t) => {
    if (!requireTool(t, 'chromium', 'chromium')) return;
    if (!existsSync(cliPath)) assert.fail(`${cliPath} is missing: run "npx tsc -p ." first (npm run test:slow does)`);
    const dir = path.join(scratch, 'cli-bundle');
    const analyze = spawnSync(process.execPath, [cliPath, 'analyze', capture, '--out', dir], { encoding: 'utf8' });
    assert.ok(analyze.status === 0 || analyze.status === 1, analyze.stderr);
    const run = await chromium(path.join(dir, 'report.html'), ['--dump-dom']);
    assert.match(run.stdout, /<h1>phonedoc analyze<\/h1>/);
    assert.ok(run.stdout.includes(ALERT.replace(/</g, '&lt;').replace(/>/g, '&gt;')), 'the file name is shown as text');
    assert.doesNotMatch(run.stdout, /<script/i);
    assert.doesNotMatch(run.stderr, CSP_VIOLATION);
    assert.deepEqual(run.pageRequests, []);
  });
});
