import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLineSplitter } from '../../parsers/console/line-splitter.js';
import type { SplitLine } from '../../parsers/console/line-splitter.js';
import { first, nth } from '../helpers.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const texts = (lines: readonly SplitLine[]): string[] => lines.map((l) => l.text);

describe('console line splitter', () => {
  it('ends lines at CR, LF and CRLF alike, one line each, raw bytes kept with their line end', () => {
    const s = createLineSplitter();
    const lines = s.push(bytes('DHCP INIT\r\nDHCP REQUESTING\nDHCP BOUND\rTFTP Timeout\r\n'), 1000);
    assert.deepEqual(texts(lines), ['DHCP INIT', 'DHCP REQUESTING', 'DHCP BOUND', 'TFTP Timeout']);
    assert.deepEqual(
      lines.map((l) => l.ending),
      ['crlf', 'lf', 'cr', 'crlf'],
    );
    assert.deepEqual(
      lines.map((l) => Buffer.from(l.raw).toString('latin1')),
      ['DHCP INIT\r\n', 'DHCP REQUESTING\n', 'DHCP BOUND\r', 'TFTP Timeout\r\n'],
    );
  });

  it('keeps CRLF one line end when the CR and the LF arrive in different chunks', () => {
    const s = createLineSplitter();
    assert.deepEqual(s.push(bytes('DHCP BOUND\r'), 1000), []);
    const lines = s.push(bytes('\nnext'), 1005);
    assert.deepEqual(texts(lines), ['DHCP BOUND']);
    assert.equal(nth(lines, 0).ending, 'crlf');
    assert.equal(s.pendingText(), 'next');
  });

  it('stamps each line with the arrival of its FIRST byte, not of its end', () => {
    const s = createLineSplitter();
    s.push(bytes('Protocol App'), 1000);
    s.push(bytes('lication Inv'), 1100);
    const line = first(s.push(bytes('alid\r\nX'), 1200), 'the completed line');
    assert.equal(line.text, 'Protocol Application Invalid');
    assert.equal(line.firstByteAt, 1000);
    const next = first(s.push(bytes('\n'), 1300), 'the line the LF ends');
    assert.equal(next.firstByteAt, 1200);
  });

  it('flushes a prompt without a line end after the idle time, not before', () => {
    const s = createLineSplitter({ idleMs: 200 });
    s.push(bytes('\r\n\r\nPassword :'), 5000);
    assert.equal(s.idleDeadline(), 5200);
    assert.equal(s.flushIdle(5199), undefined);
    const prompt = s.flushIdle(5200);
    assert.deepEqual(prompt && { text: prompt.text, ending: prompt.ending, at: prompt.firstByteAt }, {
      text: 'Password :',
      ending: 'idle',
      at: 5000,
    });
    assert.equal(s.idleDeadline(), undefined);
    assert.equal(s.flushIdle(9999), undefined);
  });

  it('a lone CR at the end of the input ends its line as CR once idle (no LF came)', () => {
    const s = createLineSplitter({ idleMs: 200 });
    s.push(bytes('SIP Phone>\r'), 0);
    assert.equal(s.flushIdle(300)?.ending, 'cr');
  });

  it('cuts a line at the maximum length and holds no more than that (noise at a wrong baud rate)', () => {
    const s = createLineSplitter({ maxLineBytes: 8 });
    const lines = s.push(bytes('0123456789abcdefXYZ\r\n'), 0);
    assert.deepEqual(texts(lines), ['01234567', '89abcdef', 'XYZ']);
    assert.deepEqual(
      lines.map((l) => l.ending),
      ['max-length', 'max-length', 'crlf'],
    );
  });

  it('keeps every byte: high bytes read as Latin-1, control bytes kept, nothing replaced', () => {
    const s = createLineSplitter();
    const noise = Uint8Array.from([0x00, 0x1b, 0x7f, 0x80, 0xfe, 0xff, 0x0a]);
    const line = first(s.push(noise, 0), 'the noise line');
    assert.deepEqual([...Buffer.from(line.text, 'latin1')], [0x00, 0x1b, 0x7f, 0x80, 0xfe, 0xff]);
  });

  it('gives the partial line at the end of the input, and nothing when there is none', () => {
    const s = createLineSplitter();
    s.push(bytes('a\nhalf a li'), 0);
    assert.deepEqual(s.end(), {
      text: 'half a li',
      raw: Uint8Array.from(bytes('half a li')),
      firstByteAt: 0,
      ending: 'end',
    });
    assert.equal(s.end(), undefined);
  });

  it('gives the same lines however the bytes are cut into chunks', () => {
    const text = 'DHCP INIT\r\n\r\nSEP000E84C060A6.cnf.xml\rTFTP Error\n\nPassword :';
    const whole = createLineSplitter();
    const expected = [...whole.push(bytes(text), 0), whole.end()].map((l) => l && [l.text, l.ending]);
    for (let size = 1; size <= 7; size++) {
      const s = createLineSplitter();
      const got: SplitLine[] = [];
      for (let i = 0; i < text.length; i += size) got.push(...s.push(bytes(text.slice(i, i + size)), 0));
      const last = s.end();
      assert.deepEqual(
        [...got, last].map((l) => l && [l.text, l.ending]),
        expected,
        `chunks of ${size}`,
      );
    }
  });
});
