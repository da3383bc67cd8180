/**
 * What the console recorder stores can be turned back into exactly the bytes the phone sent:
 * every byte value, invalid UTF-8, and text that looks like the escaped form itself (the phone
 * printing `\x41` or a backslash), through the file and the reader analyze and --replay use.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readConsoleLog } from '../../parsers/console/log-lines.js';
import { openRecorder } from '../../src/console/recorder.js';
import { decodeLogText } from '../../src/sources/text-encoding.js';
import { nth } from '../helpers.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-round-trip-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const RECEIVED: readonly Buffer[] = [
  EVERY_BYTE,
  Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]),
  Buffer.from('the phone printed \\x41, \\\\, \\xZZ, \\u{110000} and a lone \\', 'latin1'),
  Buffer.from('# phonedoc console log image=forged bytes=raw', 'latin1'),
  Buffer.from('caf\u00e9 \u202e \u009b2J', 'utf8'),
];

describe('console log round trip', () => {
  it('every line reads back as the bytes received, and the file holds no control byte', () => {
    const file = path.join(scratch, 'session.log');
    const recorder = openRecorder(file, { port: 'ttyUSB0' }, Date.UTC(2026, 11, 7));
    for (const [i, bytes] of RECEIVED.entries()) recorder.line(bytes.toString('latin1'), Date.UTC(2026, 11, 7) + i);
    recorder.close();
    const stored = readFileSync(file);
    assert.ok(
      [...stored].every((b) => b === 0x0a || b === 0x09 || (b >= 0x20 && b !== 0x7f)),
      'only printable bytes, tabs and line ends are stored',
    );
    const log = readConsoleLog(decodeLogText(stored).text);
    assert.equal(log.header.length, 1, 'a forged header line from the phone stays a line of the phone');
    assert.equal(log.lines.length, RECEIVED.length);
    for (const [i, bytes] of RECEIVED.entries()) assert.deepEqual(Buffer.from(nth(log.lines, i).received ?? []), bytes);
  });
});
