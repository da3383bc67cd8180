/**
 * The one way a server log is read, whole (analyze, --replay, the ticket) or followed (the
 * TUI): the same events either way, for a file with a byte-order mark, a Latin-1 line among
 * UTF-8 ones, a line broken in two and lines without a year.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { EngineEvent } from '../../src/engine/events.js';
import { followServerLogFile, readServerLogFile } from '../../src/sources/server-log-file.js';
import { until, utcIso } from '../helpers.js';

const LINES = [
  Buffer.from(
    '\xef\xbb\xbfDec 31 23:59:59 gw in.tftpd[1]: RRQ from 192.0.2.10 filename SEP000E84C060A6.cnf.xml\n',
    'latin1',
  ),
  Buffer.from('Jan  1 00:00:01 gw in.tftpd[2]: RRQ from 192.0.2.10 filename caf\xe9.cnf\n', 'latin1'),
  Buffer.from('Jan  1 00:00:02 gw in.tftpd[3]: RRQ from 192.0.2.10 filename \u00fcml.cnf\r\n', 'utf8'),
  Buffer.from('Jan  1 00:00:03 gw in.tftpd[4]: RRQ from 192.0.2.10 filename\nP0S3-8-12-00.loads\n', 'latin1'),
];

function summary(events: readonly EngineEvent[]): string[] {
  return events.map((e) =>
    e.source === 'server-log' && e.kind === 'server'
      ? `${e.event.line} ${e.event.kind} ${'file' in e.event ? e.event.file : ''} ${e.event.time === undefined ? '' : utcIso(e.event.time)}`
      : e.source,
  );
}

const EXPECTED = [
  '1 request SEP000E84C060A6.cnf.xml 2026-12-31T23:59:59.000Z',
  '2 request caf\u00e9.cnf 2027-01-01T00:00:01.000Z',
  '3 request \u00fcml.cnf 2027-01-01T00:00:02.000Z',
  '4 request P0S3-8-12-00.loads 2027-01-01T00:00:03.000Z',
];

describe('server-log file source', () => {
  it('reads a whole file: BOM dropped, each line UTF-8 or else Latin-1, a broken line joined, the year nearest the capture', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'server-log-file-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'tftpd.log');
    writeFileSync(file, Buffer.concat(LINES));
    const events: EngineEvent[] = [];
    await readServerLogFile(file, (e) => events.push(e), Date.parse('2027-01-01T00:00:00Z') / 1000);
    assert.deepEqual(summary(events), EXPECTED);
  });

  it("without a capture, takes the year from the file's modification time", async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'server-log-file-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'tftpd.log');
    writeFileSync(file, LINES[0]!);
    const written = new Date('2024-01-02T00:00:00Z');
    utimesSync(file, written, written);
    const events: EngineEvent[] = [];
    await readServerLogFile(file, (e) => events.push(e));
    assert.deepEqual(summary(events), ['1 request SEP000E84C060A6.cnf.xml 2023-12-31T23:59:59.000Z']);
  });

  it('gives the same events when the file is followed as it grows', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'server-log-file-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'tftpd.log');
    writeFileSync(file, Buffer.concat(LINES.slice(0, 2)));
    const events: EngineEvent[] = [];
    const stop = new AbortController();
    const done = followServerLogFile(file, (e) => events.push(e), {
      signal: stop.signal,
      yearFrom: Date.parse('2027-01-01T00:00:00Z') / 1000,
    });
    await until('the first lines', () => events.length === 2);
    appendFileSync(file, Buffer.concat(LINES.slice(2)));
    await until('the line held back, given after a pause', () => events.length === 4);
    stop.abort();
    await done;
    assert.deepEqual(summary(events), EXPECTED);
  });
});
