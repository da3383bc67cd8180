import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { classifyFileName, expectedFileName } from '../../parsers/provisioning/file-names.js';
import { parseSipCnf } from '../../parsers/provisioning/sip-cnf.js';
import { fixture } from '../helpers.js';

const lkml = (name: string): Uint8Array => readFileSync(fixture('provisioning', 'lkml-teo', name));
const codes = (problems: readonly { code: string }[]): string[] => problems.map((p) => p.code);

describe('SIPDefault.cnf / SIP<MAC>.cnf', () => {
  it("reads Cisco's own sample lines: bare values, a space before the colon, tabs before ';', empty \"\" (facts 5.1, DE-BLOG)", () => {
    const cnf = parseSipCnf(
      [
        '# Proxy Registration (0-disable (default), 1-enable)',
        'proxy_register: 1',
        'timer_t1: 500 \t\t\t\t; Default 500 msec',
        'cnf_join_enable : 1\t\t\t; 0-Disabled, 1-Enabled (default)',
        'proxy1_address: ""',
        'telnet_level: 1\t\t\t\t; 0-Disabled (default), 1-Enabled, 2-Privileged',
        'phone_password: "cisco"',
      ].join('\n'),
      'SIPDefault.cnf',
    );
    assert.deepEqual(cnf.problems, []);
    const value = (key: string) => cnf.effective.get(key)?.value;
    assert.equal(value('proxy_register'), '1');
    assert.equal(value('timer_t1'), '500');
    assert.equal(cnf.effective.get('timer_t1')?.comment, 'Default 500 msec');
    assert.equal(value('cnf_join_enable'), '1');
    assert.equal(cnf.effective.get('cnf_join_enable')?.line, 4);
    assert.equal(value('proxy1_address'), '');
    assert.equal(cnf.effective.get('proxy1_address')?.quoted, true);
    assert.equal(value('telnet_level'), '1');
    assert.equal(value('phone_password'), 'cisco');
    assert.equal(cnf.proxies[0]?.address?.value, '');
  });

  it('reads the LKML-TEO SIPDefault.cnf; its tftp_cfg_dir gives the ./SIP<MAC>.cnf the phone requested (facts 2.1)', () => {
    const cnf = parseSipCnf(lkml('SIPDefault.cnf'), 'tftpboot/SIPDefault.cnf');
    assert.deepEqual(cnf.problems, []);
    assert.equal(cnf.byteSize, lkml('SIPDefault.cnf').length);
    assert.equal(cnf.lineEndings, 'lf');
    assert.equal(cnf.imageVersion?.name, 'P0S3-8-12-00');
    assert.equal(cnf.imageVersion?.image.protocol, 'SIP');
    assert.deepEqual([cnf.imageVersion?.line, cnf.imageVersion?.file], [1, 'tftpboot/SIPDefault.cnf']);
    assert.equal(cnf.tftpCfgDir?.value, './');
    // proxy1_port:"5060" has no space after the colon.
    assert.deepEqual(
      cnf.proxies.map((p) => [p.index, p.address?.value, p.port?.value]),
      [[1, '192.168.1.9', '5060']],
    );
    assert.equal(cnf.effective.get('proxy1_port')?.line, 8);
    assert.equal(cnf.effective.get('remote_party_id')?.value, '0');
    const requested = 'RRQ from 192.168.1.130 filename ./SIP000E84C060A6.cnf'.split(' ').pop()!;
    const mac = classifyFileName('SEP000E84C060A6.cnf.xml').mac!;
    assert.equal(expectedFileName('sip-phone', mac, cnf.tftpCfgDir?.value), requested);
  });

  it('reads the LKML-TEO SIP000E84C060A6.cnf: six lines, an empty bare value, bare user_info', () => {
    const cnf = parseSipCnf(lkml('SIP000E84C060A6.cnf'), 'SIP000E84C060A6.cnf');
    assert.deepEqual(cnf.problems, []);
    assert.deepEqual(
      cnf.lines.map((l) => l.index),
      [1, 2, 3, 4, 5, 6],
    );
    const line1 = cnf.lines[0]!;
    assert.deepEqual(
      [line1.name?.value, line1.authname?.value, line1.displayname?.value, line1.shortname?.value],
      ['1600', '1600', 'TURRITOPSIS DOHRNII TEO EN MING', 'TEO EN MING'],
    );
    assert.equal(line1.password?.value, 'IP Phone Extension Password');
    const line4 = cnf.lines[3]!;
    assert.equal(line4.shortname?.value, '');
    assert.equal(line4.shortname?.quoted, false);
    assert.equal(line4.shortname?.line, 21);
    assert.equal(cnf.lines[1]!.authname?.value, 'UNPROVISIONED');
    assert.equal(cnf.effective.get('phone_label')?.value, 'TEO EN MING CORP ', 'spaces inside quotes are kept');
    assert.equal(cnf.effective.get('user_info')?.value, 'phone');
    assert.deepEqual(
      cnf.proxies.map((p) => p.index),
      [1, 2, 3, 4],
    );
  });

  it('takes a trailing ";" as an empty comment (DoES wiki: line1_name: "+441516606281";)', () => {
    const cnf = parseSipCnf('line1_name: "+441516606281";\n', 'SIP0011223344AA.cnf');
    assert.deepEqual(cnf.problems, []);
    assert.equal(cnf.lines[0]?.name?.value, '+441516606281');
    assert.equal(cnf.lines[0]?.name?.comment, '');
  });

  it('reads an SCCP load in image_version with a space before the colon (facts 5.1: image_version : "P00308010200")', () => {
    const cnf = parseSipCnf('image_version : "P00308010200"\n', 'SIPDefault.cnf');
    assert.deepEqual(cnf.problems, []);
    assert.equal(cnf.imageVersion?.name, 'P00308010200');
    assert.equal(cnf.imageVersion?.image.protocol, 'SCCP');
    assert.equal(cnf.imageVersion?.column, 17, 'the position of the value, for evidence');
  });

  it('reads CRLF files the same as LF files', () => {
    const lf = readFileSync(fixture('provisioning', 'lkml-teo', 'SIP000E84C060A6.cnf'), 'utf8');
    const crlf = parseSipCnf(lf.replace(/\n/g, '\r\n'), 'SIP000E84C060A6.cnf');
    const plain = parseSipCnf(lf, 'SIP000E84C060A6.cnf');
    assert.equal(crlf.lineEndings, 'crlf');
    assert.deepEqual(crlf.problems, []);
    assert.deepEqual(
      [...crlf.effective].map(([k, s]) => [k, s.value, s.line]),
      [...plain.effective].map(([k, s]) => [k, s.value, s.line]),
    );
    assert.equal(crlf.byteSize, plain.byteSize + lf.split('\n').length - 1, 'one CR more per line');
  });

  it('keeps the last of two settings of one key, and says the rule is an inference', () => {
    const cnf = parseSipCnf('proxy1_address: "192.0.2.1"\n# moved\nproxy1_address: "192.0.2.2"\n', 'SIPDefault.cnf');
    assert.equal(cnf.effective.get('proxy1_address')?.value, '192.0.2.2');
    assert.deepEqual(codes(cnf.problems), ['CNF_DUPLICATE_KEY']);
    assert.equal(cnf.problems[0]!.line, 3);
    assert.match(cnf.problems[0]!.message, /line 1/);
    assert.match(cnf.problems[0]!.message, /\[I\]/);
  });

  it('suggests the known key for a misspelt one and only notes keys it does not know', () => {
    const cnf = parseSipCnf(
      'proxy1_adress: "192.0.2.1"\nImage_Version: "P0S3-8-12-00"\nline7_name: "7"\nsome_vendor_option: 1\n',
      'SIPDefault.cnf',
    );
    const typo = cnf.problems.filter((p) => p.code === 'CNF_UNKNOWN_KEY_TYPO');
    assert.deepEqual(
      typo.map((p) => p.line),
      [1, 2, 3],
    );
    assert.match(typo[0]!.message, /did you mean proxy1_address\?/);
    assert.match(typo[1]!.message, /did you mean image_version\?/);
    assert.match(typo[2]!.message, /did you mean line[1-6]_name\?/);
    const unknown = cnf.problems.filter((p) => p.code === 'CNF_UNKNOWN_KEY');
    assert.deepEqual(
      unknown.map((p) => [p.line, p.severity]),
      [[4, 'info']],
    );
    assert.equal(cnf.imageVersion, undefined, 'Image_Version is not image_version');
  });

  it('reports a line that is not "name: value" with its line number and goes on', () => {
    const cnf = parseSipCnf(
      'proxy_register: 1\nthis line has no colon\n"quoted": 1\nproxy1_port: 5060\n',
      'SIPDefault.cnf',
    );
    assert.deepEqual(
      cnf.problems.map((p) => [p.code, p.line, p.column]),
      [
        ['CNF_LINE_SYNTAX', 2, 1],
        ['CNF_LINE_SYNTAX', 3, 1],
      ],
    );
    assert.equal(cnf.effective.get('proxy1_port')?.value, '5060');
  });

  it('reports an unclosed quote, text after a quoted value, and typographic quotes', () => {
    const cnf = parseSipCnf(
      'proxy1_address: "192.0.2.1\nphone_label: "a" b\nphone_prompt: \u201CCisco7960\u201D\n',
      'SIP0011223344AA.cnf',
    );
    assert.deepEqual(
      cnf.problems.map((p) => [p.code, p.line, p.column]),
      [
        ['CNF_UNCLOSED_QUOTE', 1, 17],
        ['CNF_TEXT_AFTER_VALUE', 2, 18],
        ['CNF_TYPOGRAPHIC_QUOTE', 3, 15],
      ],
    );
    assert.equal(cnf.effective.get('proxy1_address')?.value, '192.0.2.1');
  });

  it('keeps the byte size as served, for the SIP 2.x "buffer full" rule', () => {
    const text = 'image_version: "P0S30203"\nphone_label: "caf\u00e9"\n';
    assert.equal(parseSipCnf(text, 'SIPDefault.cnf').byteSize, Buffer.byteLength(text));
    assert.equal(parseSipCnf(Buffer.from(text), 'SIPDefault.cnf').byteSize, Buffer.byteLength(text));
  });

  it("reports the seed's own letter-O image_version (image_version : POS3-07-1-00) as IMAGE_NAME_LETTER_O", () => {
    const cnf = parseSipCnf('# SIP 7.1\nimage_version : POS3-07-1-00\n', 'SIPDefault.cnf');
    const o = cnf.problems.find((p) => p.code === 'IMAGE_NAME_LETTER_O');
    assert.ok(o, JSON.stringify(cnf.problems));
    assert.equal(o.findingId, 'IMAGE_NAME_LETTER_O');
    assert.deepEqual([o.file, o.line], ['SIPDefault.cnf', 2]);
  });

  it('reports an image_version with an extension as IMAGE_VERSION_SYNTAX', () => {
    const cnf = parseSipCnf('image_version: "P0S3-07-4-00.bin"\n', 'SIPDefault.cnf');
    assert.deepEqual(
      cnf.problems.map((p) => [p.code, p.findingId]),
      [['IMAGE_VERSION_EXTENSION', 'IMAGE_VERSION_SYNTAX']],
    );
  });

  it('reports quote marks that become part of image_version, and an empty image_version (IMAGE_VERSION_SYNTAX)', () => {
    const typographic = parseSipCnf('image_version: \u201DP0S3-8-12-00\u201D\n', 'SIPDefault.cnf');
    assert.deepEqual(codes(typographic.problems), ['CNF_TYPOGRAPHIC_QUOTE', 'IMAGE_VERSION_QUOTES']);
    assert.equal(typographic.problems[1]!.findingId, 'IMAGE_VERSION_SYNTAX');
    assert.equal(typographic.imageVersion?.name, 'P0S3-8-12-00');
    const unclosed = parseSipCnf('image_version: "P0S3-8-12-00\n', 'SIPDefault.cnf');
    assert.deepEqual(codes(unclosed.problems), ['CNF_UNCLOSED_QUOTE', 'IMAGE_VERSION_QUOTES']);
    const empty = parseSipCnf('image_version: ""\n', 'SIPDefault.cnf');
    assert.deepEqual(codes(empty.problems), ['IMAGE_VERSION_EMPTY']);
    assert.equal(empty.imageVersion, undefined);
    assert.equal(empty.effective.get('image_version')?.value, '');
  });

  it('flags a byte-order mark before the first name but still reads the setting', () => {
    const cnf = parseSipCnf(Buffer.from('\uFEFFimage_version: "P0S3-8-12-00"\n'), 'SIPDefault.cnf');
    assert.deepEqual(codes(cnf.problems), ['CNF_BYTE_ORDER_MARK']);
    assert.equal(cnf.imageVersion?.name, 'P0S3-8-12-00');
  });
});
