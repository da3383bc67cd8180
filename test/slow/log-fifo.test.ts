/**
 * A log given as a named pipe (FIFO): read as it is written when a program writes it, and
 * given up on, exit 2 naming the FIFO, when no program opens it for writing (never a hang).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FIFO_WRITER_WAIT_MS } from '../../src/sources/text-file.js';
import { cliPath, repoRoot } from '../helpers.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-fifo-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function fifo(name: string): string {
  const file = path.join(scratch, name);
  assert.equal(spawnSync('mkfifo', [file]).status, 0);
  return file;
}

describe('a log given as a FIFO', () => {
  it('no program writes to it: exit 2 naming the FIFO once the wait is over', () => {
    const file = fifo('nobody.log');
    const run = spawnSync(process.execPath, [cliPath, 'analyze', '--server-log', file], {
      encoding: 'utf8',
      timeout: FIFO_WRITER_WAIT_MS + 30_000,
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /nobody\.log: it is a named pipe \(FIFO\) and no program opened it for writing/);
  });

  it('a program writes the console log into it: read to its end', async () => {
    const file = fifo('console.log');
    const reader = spawn(process.execPath, [cliPath, 'analyze', '--console', file, '-q']);
    let out = '';
    reader.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const console = path.join(repoRoot, 'captures', 'sip-812-boot', 'console-sep000e84c060a6.log');
    spawnSync('sh', ['-c', `cat '${console}' > '${file}'`]);
    const status = await new Promise<number | null>((resolve) => reader.on('close', resolve));
    assert.equal(status, 0);
    assert.match(out, /SIP 8\.12/);
  });
});
