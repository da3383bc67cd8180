import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTftp, tftpJson, tftpSummary, type TftpPacket } from '../../parsers/tftp/decode.js';
import { ack, data, error, oack, raw, rrq, wrq } from './tftp-packets.js';

function ids(packet: TftpPacket): string[] {
  return packet.warnings.map((w) => w.id);
}

describe('TFTP decoder: one branch per RFC 1350 / 2347 opcode', () => {
  it('reads a plain read request as a 7960 sends it', () => {
    const p = decodeTftp(rrq('SEP000E84C060A6.cnf.xml'));
    assert.equal(p.opcode, 'RRQ');
    if (p.opcode !== 'RRQ') return;
    assert.equal(p.file, 'SEP000E84C060A6.cnf.xml');
    assert.equal(p.mode, 'octet');
    assert.deepEqual(p.options.list, []);
    assert.deepEqual(p.warnings, []);
    assert.deepEqual(tftpJson(p), { opcode: 'RRQ', file: 'SEP000E84C060A6.cnf.xml', mode: 'octet', options: {} });
    assert.equal(tftpSummary(p), 'RRQ "SEP000E84C060A6.cnf.xml" octet');
  });

  it('reads a write request in netascii mode', () => {
    const p = decodeTftp(wrq('zz.bin', 'netascii'));
    assert.equal(p.opcode, 'WRQ');
    if (p.opcode !== 'WRQ') return;
    assert.equal(p.file, 'zz.bin');
    assert.equal(p.mode, 'netascii');
    assert.deepEqual(p.warnings, []);
  });

  it('reads blksize, tsize, timeout and windowsize as numbers, case-insensitively, and keeps unknown options by name as sent', () => {
    const p = decodeTftp(
      rrq('pxelinux.0', 'OCTET', [
        ['BLKSIZE', '1468'],
        ['tsize', '0'],
        ['timeout', '5'],
        ['windowsize', '4'],
        ['msftwindow', '31416'],
      ]),
    );
    assert.equal(p.opcode, 'RRQ');
    if (p.opcode !== 'RRQ') return;
    assert.equal(p.options.blksize, 1468);
    assert.equal(p.options.tsize, 0);
    assert.equal(p.options.timeout, 5);
    assert.equal(p.options.windowsize, 4);
    assert.deepEqual(
      p.options.list.map((o) => o.name),
      ['BLKSIZE', 'tsize', 'timeout', 'windowsize', 'msftwindow'],
    );
    assert.deepEqual(p.warnings, [], 'OCTET is a valid mode: modes are case-insensitive');
    assert.deepEqual(tftpJson(p).options, {
      BLKSIZE: '1468',
      tsize: '0',
      timeout: '5',
      windowsize: '4',
      msftwindow: '31416',
    });
    assert.equal(tftpSummary(p), 'RRQ "pxelinux.0" OCTET BLKSIZE=1468 tsize=0 timeout=5 windowsize=4 msftwindow=31416');
  });

  it('reads DATA as a block number and a view of the bytes after the 4-byte header', () => {
    const payload = data(7, raw(1, 2, 3));
    const p = decodeTftp(payload);
    assert.equal(p.opcode, 'DATA');
    if (p.opcode !== 'DATA') return;
    assert.equal(p.block, 7);
    assert.deepEqual([...p.data], [1, 2, 3]);
    assert.equal(p.data.buffer, payload.buffer, 'a view, not a copy');
    assert.deepEqual(tftpJson(p), { opcode: 'DATA', block: 7 });
    assert.equal(tftpSummary(p), 'DATA block 7, 3 bytes');
  });

  it('accepts an empty DATA block (the end of a file whose size is a multiple of the block size)', () => {
    const p = decodeTftp(data(65535, new Uint8Array(0)));
    assert.equal(p.opcode, 'DATA');
    if (p.opcode !== 'DATA') return;
    assert.equal(p.block, 65535);
    assert.equal(p.data.length, 0);
    assert.deepEqual(p.warnings, []);
  });

  it('reads ACK', () => {
    const p = decodeTftp(ack(0));
    assert.deepEqual(tftpJson(p), { opcode: 'ACK', block: 0 });
    assert.equal(tftpSummary(p), 'ACK block 0');
  });

  it('names error codes 0 to 8 as RFC 1350 and RFC 2347 do, and keeps the message text', () => {
    const names = [
      'Not defined, see error message (if any)',
      'File not found',
      'Access violation',
      'Disk full or allocation exceeded',
      'Illegal TFTP operation',
      'Unknown transfer ID',
      'File already exists',
      'No such user',
      'Transfer terminated due to option negotiation',
    ];
    names.forEach((name, code) => {
      const p = decodeTftp(error(code, 'server text'));
      assert.equal(p.opcode, 'ERROR');
      if (p.opcode !== 'ERROR') return;
      assert.equal(p.errorCode, code);
      assert.equal(p.errorName, name);
      assert.equal(p.errorMessage, 'server text');
      assert.deepEqual(p.warnings, []);
    });
    const ios = decodeTftp(error(1, 'No such file'));
    assert.deepEqual(tftpJson(ios), { opcode: 'ERROR', errorCode: 1, errorMessage: 'No such file' });
    assert.equal(tftpSummary(ios), 'ERROR 1 (File not found) "No such file"');
  });

  it('keeps an error code no RFC defines, with a warning', () => {
    const p = decodeTftp(error(62620, 'x'));
    assert.equal(p.opcode, 'ERROR');
    if (p.opcode !== 'ERROR') return;
    assert.equal(p.errorCode, 62620);
    assert.equal(p.errorName, undefined);
    assert.deepEqual(ids(p), ['unknownErrorCode']);
  });

  it('reads OACK options', () => {
    const p = decodeTftp(
      oack([
        ['blksize', '1450'],
        ['tsize', '905216'],
      ]),
    );
    assert.equal(p.opcode, 'OACK');
    if (p.opcode !== 'OACK') return;
    assert.equal(p.options.blksize, 1450);
    assert.equal(p.options.tsize, 905216);
    assert.deepEqual(tftpJson(p), { opcode: 'OACK', options: { blksize: '1450', tsize: '905216' } });
    assert.equal(tftpSummary(p), 'OACK blksize=1450 tsize=905216');
  });
});

describe('TFTP decoder: odd packets come back with warnings, never an exception', () => {
  it('an unknown opcode (0xBEEF)', () => {
    const p = decodeTftp(raw(0xbe, 0xef, 1, 2, 3));
    assert.equal(p.opcode, 'UNKNOWN');
    if (p.opcode !== 'UNKNOWN') return;
    assert.equal(p.opcodeNumber, 0xbeef);
    assert.deepEqual(ids(p), ['unknownOpcode']);
    assert.deepEqual(tftpJson(p), { opcode: 'UNKNOWN' });
  });

  it('packets too short for their opcode', () => {
    for (const bytes of [raw(), raw(0), raw(0, 3, 1), raw(0, 4), raw(0, 5, 0)]) {
      const p = decodeTftp(bytes);
      assert.equal(p.opcode, 'MALFORMED', `${[...bytes]}`);
      assert.deepEqual(ids(p), ['truncated']);
    }
  });

  it('a request whose file name has no NUL', () => {
    const p = decodeTftp(raw(0, 1, 0x61, 0x62));
    assert.equal(p.opcode, 'RRQ');
    if (p.opcode !== 'RRQ') return;
    assert.equal(p.file, 'ab');
    assert.equal(p.mode, '');
    assert.ok(ids(p).includes('unterminatedString'));
  });

  it('a request whose mode has no NUL', () => {
    const p = decodeTftp(raw(0, 1, 0x61, 0, 0x6f, 0x63, 0x74, 0x65, 0x74));
    assert.equal(p.opcode, 'RRQ');
    if (p.opcode !== 'RRQ') return;
    assert.equal(p.file, 'a');
    assert.equal(p.mode, 'octet');
    assert.deepEqual(ids(p), ['unterminatedString']);
  });

  it('an odd option list (a name without its value)', () => {
    const bytes = rrq('a', 'octet', [['blksize', '1024']]);
    const odd = new Uint8Array([...bytes, ...new TextEncoder().encode('tsize'), 0]);
    const p = decodeTftp(odd);
    assert.equal(p.opcode, 'RRQ');
    if (p.opcode !== 'RRQ') return;
    assert.equal(p.options.blksize, 1024);
    assert.equal(p.options.list.length, 1);
    assert.deepEqual(ids(p), ['optionWithoutValue']);
  });

  it('option values outside their RFC range or not numbers', () => {
    const p = decodeTftp(
      rrq('a', 'octet', [
        ['blksize', '4'],
        ['timeout', '0'],
        ['windowsize', '70000'],
        ['tsize', 'big'],
      ]),
    );
    assert.equal(p.opcode, 'RRQ');
    if (p.opcode !== 'RRQ') return;
    assert.equal(p.options.blksize, undefined);
    assert.equal(p.options.timeout, undefined);
    assert.equal(p.options.windowsize, undefined);
    assert.equal(p.options.tsize, undefined);
    assert.equal(p.options.list.length, 4, 'kept as sent all the same');
    assert.deepEqual(ids(p), ['badOptionValue', 'badOptionValue', 'badOptionValue', 'badOptionValue']);
  });

  it('an unknown mode, a repeated option and an empty OACK', () => {
    const r = decodeTftp(
      rrq('a', 'binary', [
        ['blksize', '512'],
        ['BlkSize', '1024'],
      ]),
    );
    assert.equal(r.opcode, 'RRQ');
    if (r.opcode !== 'RRQ') return;
    assert.equal(r.options.blksize, 512, 'the first value counts');
    assert.deepEqual(ids(r), ['unknownMode', 'duplicateOption']);
    assert.deepEqual(tftpJson(r).options, { blksize: '512', BlkSize: '1024' });
    assert.deepEqual(ids(decodeTftp(raw(0, 6))), ['emptyOack']);
  });

  it('an ERROR without the NUL after its message, and one with bytes after it', () => {
    const p = decodeTftp(raw(0, 5, 0, 1, 0x6e, 0x6f));
    assert.equal(p.opcode, 'ERROR');
    if (p.opcode !== 'ERROR') return;
    assert.equal(p.errorMessage, 'no');
    assert.deepEqual(ids(p), ['unterminatedString']);
    assert.deepEqual(ids(decodeTftp(raw(0, 5, 0, 1, 0x6e, 0, 0, 0))), ['trailingBytes']);
  });

  it('an option named __proto__ is an ordinary JSON key', () => {
    const json = tftpJson(decodeTftp(rrq('a', 'octet', [['__proto__', 'x']])));
    assert.deepEqual(Object.keys(json.options ?? {}), ['__proto__']);
    assert.equal(JSON.stringify(json.options), '{"__proto__":"x"}');
  });

  it('the text summary carries the warnings', () => {
    assert.match(tftpSummary(decodeTftp(raw(0xbe, 0xef))), /^opcode 48879, 2 bytes \[unknown opcode: 48879\]$/);
  });

  it('file names: UTF-8 when valid, one character per byte otherwise', () => {
    const utf8 = decodeTftp(rrq('ça.cnf'));
    assert.equal(utf8.opcode === 'RRQ' && utf8.file, 'ça.cnf');
    const latin = decodeTftp(raw(0, 1, 0xe7, 0x61, 0, 0x6f, 0x63, 0x74, 0x65, 0x74, 0));
    assert.equal(latin.opcode === 'RRQ' && latin.file, '\u00e7a');
  });
});
