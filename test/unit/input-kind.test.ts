/**
 * What an input holds, from its content alone (src/sources/input-kind.ts): the capture
 * magics, a console log, a server log, a syslog of another program, a document, binary data;
 * and the sentence for each mix-up names the option that fits.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { kindMismatch, sniffContent } from '../../src/sources/input-kind.js';
import { repoRoot } from '../helpers.js';

const bundle = (name: string, file: string): Buffer => readFileSync(path.join(repoRoot, 'captures', name, file));
const text = (s: string): Uint8Array => Buffer.from(s, 'utf8');

describe('input kind from content', () => {
  it('capture magics: pcap (either byte order, micro or nano) and pcapng', () => {
    for (const magic of ['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d']) {
      assert.equal(sniffContent(Buffer.from(`${magic}02000400`, 'hex')).content, 'pcap', magic);
    }
    assert.equal(sniffContent(bundle('sip-812-boot', 'capture.pcap')).content, 'pcap');
    assert.equal(sniffContent(bundle('capture-snaplen-cut', 'capture.pcapng')).content, 'pcapng');
  });

  it("the lab bundles' console and tftpd-hpa logs", () => {
    assert.equal(sniffContent(bundle('loads-part-missing', 'console-sep000e84c060a6.log')).content, 'console');
    assert.equal(sniffContent(bundle('loads-part-missing', 'tftpd.log')).content, 'server-log');
  });

  it('a console whose lines start with a bracket (seconds since boot, the 7940 debug time) is a console log, not a JSON document', () => {
    assert.equal(
      sniffContent(text('[    1.234] DHCP BOUND\n[    1.300] requesting SEP000E84C060A6.cnf.xml\n')).content,
      'console',
    );
    assert.equal(
      sniffContent(text('[17:00:53:148185] DHCP BOUND\n[17:00:53:200000] SEP000E84C060A6.cnf.xml\n')).content,
      'console',
    );
    assert.equal(sniffContent(text('{\n  "report": ["Protocol Application Invalid"]\n}\n')).content, 'document');
  });

  it('a bare console paste without timestamps is a console log', () => {
    assert.equal(
      sniffContent(text('DHCP BOUND\nSEP000E84C060A6.cnf.xml\nProtocol Application Invalid\n')).content,
      'console',
    );
  });

  it('a syslog file of another program is a syslog, not a document or a console', () => {
    assert.equal(
      sniffContent(
        text(
          'Nov 26 08:03:48 host sshd[26336]: Accepted publickey for root from 198.51.100.7 port ' +
            '50522 ssh2\nNov 26 08:03:49 host CRON[26340]: (root) CMD (run-parts /etc/cron.hourly)\n',
        ),
      ).content,
      'syslog',
    );
  });

  it('a Markdown document that quotes console messages is a document', () => {
    // The TUI's page shows a screen of console lines.
    const sniffed = sniffContent(readFileSync(path.join(repoRoot, 'docs', 'tui.md')));
    assert.equal(sniffed.content, 'document');
    assert.ok(sniffed.consoleLines > 0, 'it does quote console messages, and is still a document');
  });

  it('binary data, gzip, empty', () => {
    assert.equal(sniffContent(Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 32)).content, 'binary');
    assert.equal(sniffContent(Buffer.from('1f8b0800000000000003', 'hex')).content, 'gzip');
    assert.equal(sniffContent(new Uint8Array(0)).content, 'empty');
    assert.equal(sniffContent(text('\n\n  \n')).content, 'empty');
  });

  it('a log with a damaged stretch is still the log it is', () => {
    const log = Buffer.concat([
      bundle('loads-part-missing', 'console-sep000e84c060a6.log'),
      Buffer.alloc(400),
      Buffer.from('\nProtocol Application Invalid\n'),
    ]);
    assert.equal(sniffContent(log).content, 'console');
  });

  it('each mix-up names the option that fits; a fitting input passes', () => {
    const pcap = sniffContent(bundle('sip-812-boot', 'capture.pcap'));
    const consoleLog = sniffContent(bundle('sip-812-boot', 'console-sep000e84c060a6.log'));
    const serverLog = sniffContent(bundle('sip-812-boot', 'tftpd.log'));
    assert.equal(kindMismatch('c.pcap', 'capture', pcap), undefined);
    assert.equal(kindMismatch('c.log', 'console', consoleLog), undefined);
    assert.equal(kindMismatch('t.log', 'server-log', serverLog), undefined);
    assert.match(kindMismatch('c.pcap', 'console', pcap)!, /give it as a capture \(phonedoc analyze c\.pcap\)/);
    assert.match(kindMismatch('c.log', 'capture', consoleLog)!, /give it with --console c\.log/);
    assert.match(kindMismatch('t.log', 'capture', serverLog)!, /give it with --server-log t\.log/);
    assert.match(kindMismatch('t.log', 'console', serverLog)!, /give it with --server-log t\.log/);
    assert.match(
      kindMismatch('README.md', 'console', sniffContent(readFileSync(path.join(repoRoot, 'README.md'))))!,
      /looks like a document .*holds no line a 7940\/7960 console prints/,
    );
  });
});
