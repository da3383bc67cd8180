/**
 * What `e` exports besides the reports: the server logs as they were read, byte for byte,
 * and a listing of the TFTP root with every file's mode, size and time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { bundledSampleInputs } from '../../src/tui/inputs.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { writeTicketBundle } from '../../src/views/ticket-bundle.js';

describe('ticket bundle from the TUI', () => {
  it('holds the server logs as read and a listing of the TFTP root (mode, size, time, name)', async (t) => {
    const inputs = bundledSampleInputs('loads-part-missing');
    assert.ok(inputs.serverLogs.length > 0 && inputs.tftpRoot);
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const out = mkdtempSync(path.join(tmpdir(), 'tui-export-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    const dir = path.join(out, 'bundle');
    const bundle = await writeTicketBundle(dir, analysis, {
      captures: inputs.captures,
      console: inputs.consoles[0]!,
      serverLogs: inputs.serverLogs,
      tftpRoot: inputs.tftpRoot!,
    });
    for (const log of inputs.serverLogs) {
      const copy = path.join(dir, `server-${path.basename(log)}`);
      assert.ok(bundle.files.includes(copy));
      assert.deepEqual(readFileSync(copy), readFileSync(log), `${log} is copied byte for byte`);
    }
    const listing = readFileSync(path.join(dir, 'tftp-root.txt'), 'utf8').split('\n');
    const root = inputs.tftpRoot!;
    for (const name of readdirSync(root)) {
      const stat = statSync(path.join(root, name));
      const line = listing.find((l) => l.endsWith(` ${name}${stat.isDirectory() ? '/' : ''}`));
      assert.ok(line, `${name} is listed`);
      const [mode, size, time] = line.trim().split(/\s+/);
      assert.equal(mode, (stat.mode & 0o7777).toString(8).padStart(4, '0'));
      if (stat.isFile()) assert.equal(Number(size), stat.size);
      assert.equal(time, stat.mtime.toISOString().replace(/\.\d+Z$/, 'Z'));
    }
  });

  it('a server log that cannot be read is a problem named in the bundle, not a failed export', async (t) => {
    const inputs = bundledSampleInputs('loads-part-missing');
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const out = mkdtempSync(path.join(tmpdir(), 'tui-export-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    const missing = path.join(out, 'gone.log');
    const bundle = await writeTicketBundle(path.join(out, 'bundle'), analysis, {
      captures: inputs.captures,
      serverLogs: [missing],
    });
    assert.ok(bundle.problems.some((p) => p.includes(missing)));
  });
});

describe('a marker in the console log', () => {
  it("is in the timeline, the report and, as a frame comment, the ticket's capture", async (t) => {
    const inputs = bundledSampleInputs('loads-part-missing');
    const out = mkdtempSync(path.join(tmpdir(), 'tui-marker-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    // The recorder's line for `M`, between the .loads and the .sb2 requests.
    const log = path.join(out, 'console-sep000e84c060a6.log');
    const lines = readFileSync(inputs.consoles[0]!, 'latin1').split('\n');
    const marker =
      '2026-11-26T08:03:37.575Z # phonedoc console marker note="swapped OS79XX.TXT" time=2026-11-26T08:03:37.575Z';
    writeFileSync(log, [...lines.slice(0, 5), marker, ...lines.slice(5)].join('\n'), 'latin1');
    const { analysis } = await analyzeFiles(
      { ...inputs, consoles: [log] },
      { version: PHONEDOC_VERSION },
      () => undefined,
    );
    const entry = analysis.phones[0]!.timeline.find((e) => e.note === 'marker');
    assert.ok(entry, 'the marker is a timeline entry');
    assert.equal(entry.text, '■ marker: swapped OS79XX.TXT');
    assert.equal(entry.line, 6);
    const frames = analysis.phones[0]!.timeline.filter((e) => e.frame !== undefined && e.time! >= entry.time!);
    const dir = path.join(out, 'bundle');
    await writeTicketBundle(dir, analysis, { captures: inputs.captures, console: log });
    assert.match(readFileSync(path.join(dir, 'report.md'), 'utf8'), /marker: swapped OS79XX\.TXT/);
    const pcapng = readdirSync(dir).find((f) => f.endsWith('.pcapng'))!;
    const commented: { frame: number; comments: readonly string[] }[] = [];
    let n = 0;
    const phoneFrames = analysis.phones[0]!.frames;
    const reader = new CaptureReader({
      frame: (f) => {
        commented.push({ frame: phoneFrames[n++]!, comments: f.comments ?? [] });
      },
      problem: () => undefined,
    });
    reader.feed(readFileSync(path.join(dir, pcapng)));
    reader.end();
    const withMarker = commented.filter((c) =>
      c.comments.some((x) => x.includes('phonedoc marker') && x.includes('swapped OS79XX.TXT')),
    );
    assert.deepEqual(
      withMarker.map((c) => c.frame),
      [frames[0]!.frame],
      'the first frame at or after the marker carries it',
    );
  });
});
