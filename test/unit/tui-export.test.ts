/**
 * What `e` exports besides the reports: the server logs as they were read, byte for byte,
 * and a listing of the TFTP root with every file's mode, size and time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFiles } from '../../src/engine/offline.js';
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
    const bundle = await writeTicketBundle(dir, analysis, { captures: inputs.captures, console: inputs.consoles[0]!, serverLogs: inputs.serverLogs, tftpRoot: inputs.tftpRoot! });
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
    const bundle = await writeTicketBundle(path.join(out, 'bundle'), analysis, { captures: inputs.captures, serverLogs: [missing] });
    assert.ok(bundle.problems.some((p) => p.includes(missing)));
  });
});
