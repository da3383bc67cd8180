/**
 * The console source: a console log file read once into engine events, the recording's header
 * as its own event, UTF-8 or Latin-1 read as such, and what was understood counted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { EngineEvent } from '../../src/engine/events.js';
import { InputError } from '../../src/exit-codes.js';
import { consoleTextEvents, readConsoleFile } from '../../src/sources/console-file.js';
import { analyzeFiles } from '../../src/engine/input-events.js';

function file(bytes: Buffer | string): string {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'phonedoc-console-file-')), 'console.log');
  writeFileSync(f, bytes);
  return f;
}

describe('sources: console file', () => {
  it('a phonedoc recording: header event, then one event per line with its receipt time', async () => {
    const events: EngineEvent[] = [];
    const summary = await readConsoleFile(
      file(
        '2026-11-26T08:03:37.018Z # phonedoc console log ' +
          'mac=000E84C060A6\n2026-11-26T08:03:37.028Z DHCP INIT\n2026-11-26T08:03:37.030Z what\n',
      ),
      (e) => events.push(e),
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['console-header', 'console', 'console'],
    );
    const first = events[1]!;
    assert.ok(
      first.kind === 'console' &&
        first.event.hostTime === Date.UTC(2026, 10, 26, 8, 3, 37, 28) / 1000 &&
        first.event.kind === 'dhcp',
    );
    assert.deepEqual(summary, { lines: 2, understood: 1, generic: 0 });
  });

  it('a foreign log: Latin-1 bytes read as Latin-1, generic lines counted', async () => {
    const events: EngineEvent[] = [];
    const bytes = Buffer.concat([
      Buffer.from('14:02:11 Configuring IP\n14:02:12 caf'),
      Buffer.from([0xe9]),
      Buffer.from(' requesting SIPDefault.cnf\n'),
    ]);
    const summary = await readConsoleFile(file(bytes), (e) => events.push(e));
    const last = events[1]!;
    assert.ok(last.kind === 'console' && last.event.raw.includes('café'), 'é from Latin-1');
    assert.ok(last.kind === 'console' && last.event.kind === 'tftp-request' && last.event.generic);
    assert.deepEqual(summary, { lines: 2, understood: 2, generic: 2 });
  });

  it('an empty log or a missing file is an input error naming the file', async () => {
    assert.throws(
      () => consoleTextEvents('x.log', '', () => {}),
      (e: unknown) => e instanceof InputError && /console log x\.log is empty/.test(e.message),
    );
    await assert.rejects(
      readConsoleFile('/nonexistent/console.log', () => {}),
      (e: unknown) =>
        e instanceof InputError && /cannot read console log \/nonexistent\/console\.log: no such file/.test(e.message),
    );
  });

  it('a foreign console alone: requests read by their words, each with the outcome line that follows it', async () => {
    const console = file(
      [
        '14:02:11 dhcp: lease obtained 192.0.2.106',
        '14:02:12 tftp: requesting SEP000E84C060A6.cnf.xml',
        '14:02:12 tftp: received SEP000E84C060A6.cnf.xml (123 bytes)',
        '14:02:13 tftp: requesting P0S3-8-12-00.loads',
        '14:02:13 tftp: P0S3-8-12-00.loads: File not found',
        '14:02:14 OS79XX.TXT access denied',
      ].join('\n'),
    );
    const { analysis } = await analyzeFiles(
      { captures: [], consoles: [console], serverLogs: [] },
      { version: 'test' },
      () => {},
    );
    const requests = (analysis.report.phones[0]!.requests ?? [])
      .filter((r) => !r.predicted)
      .map((r) => [r.file, r.answer]);
    assert.deepEqual(requests, [
      ['SEP000E84C060A6.cnf.xml', 'found'],
      ['P0S3-8-12-00.loads', 'not-found'],
      ['OS79XX.TXT', 'denied'],
    ]);
    assert.equal(analysis.report.phones[0]!.mac, '00:0e:84:c0:60:a6', 'the phone named by the file it asked for');
  });
});
