/**
 * The TUI's keys for a live console, through the real console session and recorder with a
 * link in memory: `s` sends a line (logged as sent and shown as a note), `b` on a port that
 * cannot send a break says so in one sentence, `M` writes a marker into the console log;
 * both reach the analysis (the timeline) as the log's reader would give them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import type { ConsoleEndpoint, LinkHandlers } from '../../src/console/transport.js';
import { OpenFailure } from '../../src/console/transport.js';
import { TuiSession } from '../../src/tui/session.js';
import type { ConsoleNote } from '../../src/tui/session.js';
import type { SourceStatus } from '../../src/tui/state.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { until } from '../helpers.js';

/** A port that takes bytes, refuses a break as a pseudo-terminal does, and lets the test play the phone. */
function memoryPort(received: string[], phone: { say?: (text: string) => void }): ConsoleEndpoint {
  return {
    label: '/dev/pts/9',
    logFields: { port: '/dev/pts/9' },
    logName: 'pts-9',
    settings: '9600 8N1, no flow control',
    defaultEnter: 'cr',
    connect: async (handlers) => {
      phone.say = (text) => handlers.data(Buffer.from(text, 'latin1'));
      return {
        write: (bytes) => {
          received.push(Buffer.from(bytes).toString('latin1'));
        },
        sendBreak: () => Promise.reject(new Error('Error: Inappropriate ioctl for device, cannot set')),
        close: async () => undefined,
      };
    },
  };
}

describe('tui keys on a live console', () => {
  it('s sends the line and logs it, b refused is one sentence, M notes a marker in the log', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tui-console-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const received: string[] = [];
    const phone: { say?: (text: string) => void } = {};
    const notes: ConsoleNote[] = [];
    const notices: string[] = [];
    let sources: readonly SourceStatus[] = [];
    const session = new TuiSession({
      inputs: { captures: [], consoles: [], serverLogs: [] },
      console: { endpoint: memoryPort(received, phone) },
      sessionDir: dir,
      engine: { version: PHONEDOC_VERSION },
      onAnalysis: () => undefined,
      onSources: (s) => {
        sources = s;
      },
      onNotice: (text) => notices.push(text),
      onNote: (note) => notes.push(note),
    });
    session.start();
    try {
      await until('the console open', () => sources.some((s) => s.state === 'open'));
      assert.ok(
        !notices.some((n) => /menu|Ctrl-\]/.test(n)),
        `no notice names the console's own menu: ${notices.join(' | ')}`,
      );
      assert.equal(await session.sendLine('show config'), 'sent "show config" to the console');
      assert.deepEqual(received, ['show config', '\r']);
      const refused = await session.sendBreak();
      assert.match(
        refused,
        /^No break was sent: \/dev\/pts\/9 refused it \(Inappropriate ioctl for device, cannot set\); [^.]+\.$/,
      );
      assert.ok(!refused.includes('Error:'));
      phone.say!('DHCP INIT\r\nSEP000E84C060A6.cnf.xml\r\n');
      assert.match(session.mark('pressed reset'), /noted in the console log/);
      assert.deepEqual(notes, [], 'with a live console both go through its log, not the screen alone');
      await until('the analysis to hold both', () => {
        const timeline = session.analysis().phones[0]?.timeline ?? [];
        return (
          timeline.some((e) => e.note === 'sent' && e.text === '→ sent: show config') &&
          timeline.some((e) => e.note === 'marker' && e.text === '■ marker: pressed reset')
        );
      });
    } finally {
      await session.stop();
    }
    const [log] = readdirSync(dir).filter((f) => f.endsWith('.log'));
    const text = readFileSync(path.join(dir, log!), 'latin1');
    const { header, lines } = readConsoleLog(text);
    assert.ok(
      header.some((h) => /# phonedoc console sent/.test(h.text) && h.fields.text === 'show config'),
      'the sent line is in the log',
    );
    assert.ok(
      header.some((h) => /# phonedoc console marker/.test(h.text) && h.fields.note === 'pressed reset'),
      'the marker is in the log',
    );
    assert.deepEqual(
      lines.map((l) => l.text),
      ['DHCP INIT', 'SEP000E84C060A6.cnf.xml'],
      'neither is taken for a line from the phone',
    );
  });

  it('the console source shows the wait and its reason while the link is lost, and is open again once it is back', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tui-console-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    let handlers: LinkHandlers | undefined;
    let plugged = true;
    const endpoint: ConsoleEndpoint = {
      ...memoryPort([], {}),
      connect: async (h) => {
        if (!plugged) throw new OpenFailure('/dev/pts/9 does not exist');
        handlers = h;
        return { write: () => undefined, sendBreak: async () => undefined, close: async () => undefined };
      },
    };
    let source: SourceStatus | undefined;
    const session = new TuiSession({
      inputs: { captures: [], consoles: [], serverLogs: [] },
      console: { endpoint },
      sessionDir: dir,
      engine: { version: PHONEDOC_VERSION },
      onAnalysis: () => undefined,
      onSources: (s) => {
        source = s.find((x) => x.kind === 'console');
      },
      onNotice: () => undefined,
    });
    session.start();
    try {
      await until('the console open', () => source?.state === 'open');
      plugged = false;
      handlers?.lost('the adapter was unplugged');
      assert.deepEqual(
        { state: source?.state, detail: source?.detail },
        { state: 'reconnecting', detail: 'the adapter was unplugged' },
      );
      assert.equal(
        await session.sendLine('show config'),
        'not sent: the console is not connected (waiting for /dev/pts/9)',
      );
      plugged = true;
      await until('the console open again', () => source?.state === 'open');
    } finally {
      await session.stop();
    }
  });
});
