import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeDhcp,
  dhcpOptionStrings,
  dhcpOptionText,
  dhcpOptionsToJson,
  dhcpSummary,
  type DhcpMessage,
  type DhcpOption,
} from '../../parsers/dhcp/decode.js';
import { DHCP_OPTIONS } from '../../parsers/dhcp/options.js';
import { nth } from '../helpers.js';

// Hand-built DHCP payloads (RFC 2131 section 2 layout). Addresses from RFC 5737.
const PHONE_MAC = [0x00, 0x03, 0x6b, 0x12, 0x34, 0x56];
const COOKIE = [99, 130, 83, 99];
const CISCO_7960 = 'Cisco Systems, Inc. IP Phone CP-7960G\0';

interface Header {
  op?: number;
  htype?: number;
  hlen?: number;
  hops?: number;
  xid?: number;
  secs?: number;
  flags?: number;
  ciaddr?: number[];
  yiaddr?: number[];
  siaddr?: number[];
  giaddr?: number[];
  chaddr?: number[];
  sname?: Uint8Array | string;
  file?: Uint8Array | string;
  cookie?: number[];
}

const text = (s: string): number[] => [...Buffer.from(s, 'latin1')];
const opt = (code: number, ...data: number[]): number[] => [code, data.length, ...data];

function field(value: Uint8Array | string | undefined, size: number): Uint8Array {
  const out = new Uint8Array(size);
  if (value !== undefined) out.set(typeof value === 'string' ? text(value) : value);
  return out;
}

function dhcp(h: Header, options: number[] = []): Uint8Array {
  const b: number[] = [
    h.op ?? 1,
    h.htype ?? 1,
    h.hlen ?? 6,
    h.hops ?? 0,
    ...[24, 16, 8, 0].map((s) => ((h.xid ?? 0x12345678) >>> s) & 255),
    (h.secs ?? 0) >> 8,
    (h.secs ?? 0) & 255,
    (h.flags ?? 0) >> 8,
    (h.flags ?? 0) & 255,
    ...(h.ciaddr ?? [0, 0, 0, 0]),
    ...(h.yiaddr ?? [0, 0, 0, 0]),
    ...(h.siaddr ?? [0, 0, 0, 0]),
    ...(h.giaddr ?? [0, 0, 0, 0]),
    ...field(Uint8Array.from(h.chaddr ?? PHONE_MAC), 16),
    ...field(h.sname, 64),
    ...field(h.file, 128),
    ...(h.cookie ?? COOKIE),
    ...options,
  ];
  return Uint8Array.from(b);
}

const discover = (...options: number[][]): DhcpMessage => decodeDhcp(dhcp({}, [...opt(53, 1), ...options.flat(), 255]));
const option = (m: DhcpMessage, code: number): DhcpOption | undefined => m.options.find((o) => o.code === code);
const value = (m: DhcpMessage, code: number): unknown => option(m, code)?.value;

describe('DHCP fixed header', () => {
  const m = decodeDhcp(
    dhcp(
      {
        op: 2,
        htype: 1,
        hlen: 6,
        hops: 3,
        xid: 0xdeadbeef,
        secs: 513,
        flags: 0x8000,
        ciaddr: [192, 0, 2, 10],
        yiaddr: [192, 0, 2, 11],
        siaddr: [192, 0, 2, 12],
        giaddr: [198, 51, 100, 1],
        sname: 'tftp.example',
        file: 'SIPDefault.cnf',
      },
      [...opt(53, 5), 255],
    ),
  );

  it('reads every field', () => {
    assert.equal(m.op, 2);
    assert.equal(m.htype, 1);
    assert.equal(m.hlen, 6);
    assert.equal(m.hops, 3);
    assert.equal(m.xid, 0xdeadbeef);
    assert.equal(m.secs, 513);
    assert.equal(m.flags, 0x8000);
    assert.equal(m.broadcast, true);
    assert.equal(m.ciaddr, '192.0.2.10');
    assert.equal(m.yiaddr, '192.0.2.11');
    assert.equal(m.siaddr, '192.0.2.12');
    assert.equal(m.giaddr, '198.51.100.1');
    assert.equal(m.chaddr, '00:03:6b:12:34:56');
    assert.equal(m.sname, 'tftp.example');
    assert.equal(m.file, 'SIPDefault.cnf');
    assert.equal(m.magicCookie, 0x63825363);
    assert.equal(m.messageType, 5);
    assert.deepEqual(m.warnings, []);
  });

  it('broadcast flag clear', () => {
    assert.equal(decodeDhcp(dhcp({ flags: 0x0001 }, [255])).broadcast, false);
  });

  it('chaddr uses hlen bytes', () => {
    assert.equal(decodeDhcp(dhcp({ hlen: 3 }, [255])).chaddr, '00:03:6b');
    const long = decodeDhcp(dhcp({ hlen: 20 }, [255]));
    assert.equal(long.chaddr?.split(':').length, 16);
    assert.match(nth(long.warnings, 0), /hlen 20 at offset 2/);
  });

  it('sname and file stop at the first NUL', () => {
    const file = new Uint8Array(128);
    file.set(text('P0S3-08-12-00.loads\0garbage'));
    assert.equal(decodeDhcp(dhcp({ file }, [255])).file, 'P0S3-08-12-00.loads');
  });

  it('BOOTP without a cookie: fixed header only, no message type, no warning', () => {
    const bootp = decodeDhcp(Uint8Array.from([...dhcp({ cookie: [0, 0, 0, 0] }), ...new Uint8Array(60)]));
    assert.equal(bootp.xid, 0x12345678);
    assert.equal(bootp.messageType, undefined);
    assert.deepEqual(bootp.options, []);
    assert.deepEqual(bootp.warnings, []);
    const noVend = decodeDhcp(dhcp({}).subarray(0, 236));
    assert.equal(noVend.chaddr, '00:03:6b:12:34:56');
    assert.deepEqual(noVend.warnings, []);
  });

  it('a bad cookie: header kept, options not decoded, warning with the offset', () => {
    const m2 = decodeDhcp(dhcp({ cookie: [99, 130, 83, 98] }, [...opt(53, 1), 255]));
    assert.equal(m2.xid, 0x12345678);
    assert.equal(m2.messageType, undefined);
    assert.deepEqual(m2.options, []);
    assert.equal(m2.warnings.length, 1);
    assert.match(nth(m2.warnings, 0), /bad magic cookie 0x63825362 at offset 236/);
  });

  it('a truncated header: the fields present, a warning where it ends', () => {
    const cut = decodeDhcp(dhcp({ yiaddr: [192, 0, 2, 11] }).subarray(0, 54)); // what a 96-byte snap length leaves
    assert.equal(cut.op, 1);
    assert.equal(cut.xid, 0x12345678);
    assert.equal(cut.yiaddr, '192.0.2.11');
    assert.equal(cut.chaddr, '00:03:6b:12:34:56');
    assert.equal(cut.sname, undefined);
    assert.equal(cut.file, undefined);
    assert.equal(cut.magicCookie, undefined);
    assert.equal(cut.messageType, undefined);
    assert.deepEqual(cut.warnings, ['the DHCP payload ends at offset 54, inside the 236-byte fixed header']);
    const tiny = decodeDhcp(Uint8Array.from([1, 1]));
    assert.equal(tiny.op, 1);
    assert.equal(tiny.hlen, undefined);
    assert.equal(tiny.chaddr, undefined);
  });
});

describe('DHCP options', () => {
  it('53: every message type name, RFC 2132 and the leasequery family', () => {
    const names: [number, string][] = [
      [1, 'DISCOVER'],
      [2, 'OFFER'],
      [3, 'REQUEST'],
      [4, 'DECLINE'],
      [5, 'ACK'],
      [6, 'NAK'],
      [7, 'RELEASE'],
      [8, 'INFORM'],
      [10, 'LEASEQUERY'],
      [11, 'LEASEUNASSIGNED'],
      [12, 'LEASEUNKNOWN'],
      [13, 'LEASEACTIVE'],
    ];
    for (const [type, name] of names) {
      const m = decodeDhcp(dhcp({}, [...opt(53, type), 255]));
      assert.equal(m.messageType, type);
      assert.equal(value(m, 53), name);
      assert.equal(dhcpOptionsToJson(m)['53'], name);
    }
    const odd = decodeDhcp(dhcp({}, [...opt(53, 106), 255]));
    assert.equal(odd.messageType, 106);
    assert.equal(value(odd, 53), 106);
  });

  it('addresses, times and sizes', () => {
    const m = discover(
      opt(54, 192, 0, 2, 1),
      opt(50, 192, 0, 2, 10),
      opt(51, 0, 1, 81, 128),
      opt(58, 0, 0, 0x0e, 0x10),
      opt(59, 0, 0, 0x18, 0x9c),
      opt(1, 255, 255, 255, 0),
      opt(3, 192, 0, 2, 254),
      opt(6, 192, 0, 2, 53, 198, 51, 100, 53),
      opt(57, 0x05, 0xdc),
    );
    assert.equal(value(m, 54), '192.0.2.1');
    assert.equal(value(m, 50), '192.0.2.10');
    assert.equal(value(m, 51), 86400);
    assert.equal(value(m, 58), 3600);
    assert.equal(value(m, 59), 6300);
    assert.equal(value(m, 1), '255.255.255.0');
    assert.deepEqual(value(m, 3), ['192.0.2.254']);
    assert.deepEqual(value(m, 6), ['192.0.2.53', '198.51.100.53']);
    assert.equal(value(m, 57), 1500);
    assert.deepEqual(
      m.options.map((o) => o.code),
      [53, 54, 50, 51, 58, 59, 1, 3, 6, 57],
      'wire order',
    );
    assert.equal(option(m, 54)?.name, 'Server Identifier');
    assert.equal(option(m, 54)?.offset, 243);
    assert.deepEqual(m.warnings, []);
  });

  it('text options: 12, 15, 66, 67, and 60 with its trailing NUL kept', () => {
    const m = discover(
      opt(12, ...text('SEP00036B123456')),
      opt(15, ...text('example.com')),
      opt(60, ...text(CISCO_7960)),
      opt(66, ...text('192.0.2.5')),
      opt(67, ...text('OS79XX.TXT')),
    );
    assert.equal(value(m, 12), 'SEP00036B123456');
    assert.equal(value(m, 15), 'example.com');
    assert.equal(value(m, 60), CISCO_7960);
    assert.equal(value(m, 66), '192.0.2.5');
    assert.equal(value(m, 67), 'OS79XX.TXT');
    assert.match(JSON.stringify(dhcpOptionsToJson(m)), /"60":"Cisco Systems, Inc\. IP Phone CP-7960G\\u0000"/);
  });

  it('55: parameter request list as numbers', () => {
    assert.deepEqual(value(discover(opt(55, 1, 3, 6, 15, 66, 150)), 55), [1, 3, 6, 15, 66, 150]);
  });

  it('61: client identifier, Ethernet MAC or hex', () => {
    assert.deepEqual(value(discover(opt(61, 1, ...PHONE_MAC)), 61), { type: 1, id: '00:03:6b:12:34:56' });
    assert.deepEqual(value(discover(opt(61, 0, ...text('cisco'))), 61), { type: 0, id: '636973636f' });
  });

  it('150: one or several TFTP server addresses', () => {
    assert.deepEqual(value(discover(opt(150, 192, 0, 2, 10)), 150), ['192.0.2.10']);
    const m = discover(opt(150, 192, 0, 2, 10, 192, 0, 2, 11));
    assert.deepEqual(value(m, 150), ['192.0.2.10', '192.0.2.11']);
    assert.equal(option(m, 150)?.name, 'TFTP Server Address');
  });

  it('43: vendor specific as hex', () => {
    assert.equal(value(discover(opt(43, 1, 4, 0xc0, 0, 2, 1)), 43), '0104c0000201');
  });

  it('82: relay agent information sub-options', () => {
    const m = discover(opt(82, 1, 4, ...text('Gi01'), 2, 6, ...PHONE_MAC, 9, 2, 0xab, 0xcd));
    assert.deepEqual(value(m, 82), [
      { code: 1, name: 'Agent Circuit ID', hex: '47693031' },
      { code: 2, name: 'Agent Remote ID', hex: '00036b123456' },
      { code: 9, name: 'Vendor-Specific Information', hex: 'abcd' },
    ]);
  });

  it('125: V-I vendor-specific, per enterprise', () => {
    // Enterprise 9 is Cisco (IANA private enterprise numbers).
    const m = discover(opt(125, 0, 0, 0, 9, 3, 1, 1, 0xff, 0, 0, 0x0d, 0xe9, 0));
    assert.deepEqual(value(m, 125), [
      { enterprise: 9, hex: '0101ff' },
      { enterprise: 3561, hex: '' },
    ]);
  });

  it('81: client FQDN, ASCII and DNS wire format', () => {
    assert.deepEqual(value(discover(opt(81, 0x01, 0, 0, ...text('phone.example'))), 81), {
      flags: 1,
      name: 'phone.example',
    });
    assert.deepEqual(value(discover(opt(81, 0x05, 0, 0, 5, ...text('phone'), 7, ...text('example'), 0)), 81), {
      flags: 5,
      name: 'phone.example',
    });
  });

  it('119: domain search with a compression pointer (RFC 3397)', () => {
    const m = discover(opt(119, 3, ...text('eng'), 7, ...text('example'), 0, 5, ...text('sales'), 0xc0, 4));
    assert.deepEqual(value(m, 119), ['eng.example', 'sales.example']);
  });

  it('121: classless static routes (RFC 3442)', () => {
    const m = discover(opt(121, 24, 198, 51, 100, 192, 0, 2, 1, 0, 192, 0, 2, 254));
    assert.deepEqual(value(m, 121), ['198.51.100.0/24 via 192.0.2.1', '0.0.0.0/0 via 192.0.2.254']);
  });

  it('anything else by number as hex, with the registry name where known', () => {
    const m = discover(opt(77, 4, ...text('iPXE')), opt(224, 1, 2, 3));
    assert.deepEqual(option(m, 77), {
      code: 77,
      name: 'User Class',
      offset: 243,
      field: 'options',
      data: Uint8Array.from([4, ...text('iPXE')]),
      instances: 1,
      value: '0469505845',
    });
    assert.equal(option(m, 224)?.name, 'Option 224');
    assert.equal(value(m, 224), '010203');
  });

  it('the table has one entry per code, none for pad or end', () => {
    assert.ok(!DHCP_OPTIONS.has(0) && !DHCP_OPTIONS.has(255));
    for (const [code, spec] of DHCP_OPTIONS) assert.equal(spec.code, code);
  });

  it('a value that does not fit its format is shown as hex with a warning', () => {
    const m = discover(opt(54, 192, 0, 2));
    assert.equal(value(m, 54), 'c00002');
    assert.deepEqual(m.warnings, [
      'option 54 (Server Identifier) at offset 243: 3 bytes do not fit its format (ipv4); shown as hex',
    ]);
    assert.equal(value(discover(opt(150, 192, 0, 2, 10, 1)), 150), 'c000020a01');
  });

  it('52: options continue in file, then sname (RFC 2131 order); those fields are not names then', () => {
    const sname = Uint8Array.from([...opt(66, ...text('tftp.example')), 255]);
    const file = Uint8Array.from([0, ...opt(67, ...text('SIPDefault.cnf')), 255]);
    const m = decodeDhcp(dhcp({ sname, file }, [...opt(53, 2), ...opt(52, 3), 255]));
    assert.deepEqual(
      m.options.map((o) => [o.code, o.field, o.offset]),
      [
        [53, 'options', 240],
        [52, 'options', 243],
        [67, 'file', 109],
        [66, 'sname', 44],
      ],
    );
    assert.equal(value(m, 66), 'tftp.example');
    assert.equal(value(m, 67), 'SIPDefault.cnf');
    assert.equal(m.sname, undefined);
    assert.equal(m.file, undefined);
    assert.deepEqual(m.warnings, []);
  });

  it('52 = 1 or 2 gives only that field to options', () => {
    const file = Uint8Array.from([...opt(67, ...text('a.cnf')), 255]);
    const onlyFile = decodeDhcp(dhcp({ sname: 'server1', file }, [...opt(53, 2), ...opt(52, 1), 255]));
    assert.equal(value(onlyFile, 67), 'a.cnf');
    assert.equal(onlyFile.sname, 'server1');
    assert.equal(onlyFile.file, undefined);
    const sname = Uint8Array.from([...opt(66, ...text('t')), 255]);
    const onlySname = decodeDhcp(dhcp({ sname, file: 'boot.bin' }, [...opt(53, 2), ...opt(52, 2), 255]));
    assert.equal(value(onlySname, 66), 't');
    assert.equal(onlySname.file, 'boot.bin');
    assert.equal(onlySname.sname, undefined);
  });

  it('RFC 3396: instances of one option are concatenated in order, before interpretation', () => {
    const m = discover(
      opt(150, 192, 0, 2, 10),
      opt(60, ...text('Cisco Systems, Inc. ')),
      opt(150, 192, 0, 2, 11),
      opt(60, ...text('IP Phone CP-7960G\0')),
    );
    assert.deepEqual(value(m, 150), ['192.0.2.10', '192.0.2.11']);
    assert.equal(value(m, 60), CISCO_7960);
    assert.equal(option(m, 150)?.instances, 2);
    assert.deepEqual(
      m.options.map((o) => o.code),
      [53, 150, 60],
      'at the place of the first instance',
    );
    // An address split across two instances is whole after concatenation.
    assert.deepEqual(value(discover(opt(150, 192, 0), opt(150, 2, 10)), 150), ['192.0.2.10']);
  });

  it('RFC 3396 across the options field and an overloaded file field', () => {
    const file = Uint8Array.from([...opt(150, 192, 0, 2, 11), 255]);
    const m = decodeDhcp(dhcp({ file }, [...opt(53, 5), ...opt(52, 1), ...opt(150, 192, 0, 2, 10), 255]));
    assert.deepEqual(value(m, 150), ['192.0.2.10', '192.0.2.11']);
  });

  it('option 52 outside the options field is ignored with a warning', () => {
    const file = Uint8Array.from([...opt(52, 2), 255]);
    const m = decodeDhcp(dhcp({ sname: 'keep', file }, [...opt(53, 1), ...opt(52, 1), 255]));
    assert.equal(m.sname, 'keep');
    assert.equal(value(m, 52), 1);
    assert.match(m.warnings.join(), /option 52 \(overload\) at offset 108 in the file field/);
  });
});

describe('a decoded message kept', () => {
  it('holds its own copy of the options: the capture buffer reused afterwards changes nothing', () => {
    const payload = dhcp({}, [...opt(53, 2), ...opt(54, 192, 0, 2, 1), ...opt(66, ...text('tftp.example')), 255]);
    const m = decodeDhcp(payload);
    payload.fill(0xee);
    assert.equal(m.messageType, 2);
    assert.equal(dhcpOptionText(m, 54), '192.0.2.1');
    assert.equal(value(m, 66), 'tftp.example');
    assert.deepEqual(option(m, 66)?.data, Uint8Array.from(text('tftp.example')));
  });

  it('keeps a long option whole: 300 instances of option 43 (RFC 3396), 63,000 bytes in one datagram', () => {
    const instances = Array.from({ length: 300 }, (_, i) => opt(43, ...new Array<number>(210).fill(i % 251)));
    const m = decodeDhcp(dhcp({}, [...opt(53, 5), ...instances.flat(), 255]));
    const vendor = option(m, 43);
    assert.equal(vendor?.instances, 300);
    assert.equal(vendor?.data.length, 300 * 210);
    assert.equal(vendor?.data[299 * 210], 299 % 251);
    assert.equal(vendor?.offset, 243);
    assert.equal(m.messageType, 5);
  });

  it('reads one option as the list of all of them has it, concatenated instances included', () => {
    const m = discover(opt(150, 192, 0), opt(66, ...text('tftp')), opt(150, 2, 10), opt(6, 198, 51, 100, 53));
    assert.deepEqual(dhcpOptionStrings(m, 150), ['192.0.2.10']);
    assert.equal(dhcpOptionText(m, 66), 'tftp');
    assert.deepEqual(dhcpOptionStrings(m, 6), ['198.51.100.53']);
    assert.equal(dhcpOptionText(m, 67), undefined);
    assert.deepEqual(
      m.options.map((o) => [o.code, o.instances]),
      [
        [53, 1],
        [150, 2],
        [66, 1],
        [6, 1],
      ],
    );
  });
});

describe('damaged options', () => {
  it('no end option: options kept, warning', () => {
    const m = decodeDhcp(dhcp({}, [...opt(53, 3), ...opt(150, 192, 0, 2, 10)]));
    assert.equal(m.messageType, 3);
    assert.deepEqual(value(m, 150), ['192.0.2.10']);
    assert.deepEqual(m.warnings, ['no end option (255) in the options field (it ends at offset 249)']);
  });

  it('a length running past the packet: the bytes present kept, warning with offset', () => {
    const m = decodeDhcp(dhcp({}, [...opt(53, 1), 60, 40, ...text('Cisco')]));
    assert.equal(m.messageType, 1);
    assert.equal(value(m, 60), 'Cisco');
    assert.deepEqual(m.warnings, [
      'option 60 at offset 243: length 40 runs past the end of ' +
        'the options field at offset 250; kept the 5 bytes present',
    ]);
  });

  it('a length byte missing', () => {
    const m = decodeDhcp(dhcp({}, [...opt(53, 1), 150]));
    assert.deepEqual(m.warnings, ['option 150 at offset 243: the options field ends before its length byte']);
  });

  it('random bytes never throw', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    };
    const valid = dhcp({ sname: Uint8Array.from([...opt(66, 1), 255]), file: Uint8Array.from([...opt(67, 1), 255]) }, [
      ...opt(53, 1),
      ...opt(52, 3),
      ...opt(82, 1, 2, 3, 4),
      ...opt(119, 1, 97, 0xc0, 0),
      ...opt(81, 4, 0, 0, 1, 97, 0),
      ...opt(121, 33, 1),
      ...opt(125, 0, 0, 0, 9, 9),
      ...opt(61),
      255,
    ]);
    for (let i = 0; i < 20000; i++) {
      let payload: Uint8Array;
      if (i % 2 === 0) {
        payload = Uint8Array.from({ length: random() % 400 }, () => random() & 255);
      } else {
        payload = valid.slice(0, random() % (valid.length + 1));
        for (let k = 0; k < 4 && payload.length > 0; k++) payload[random() % payload.length] = random() & 255;
      }
      const m = decodeDhcp(payload);
      dhcpSummary(m);
      JSON.stringify(dhcpOptionsToJson(m));
    }
  });
});

describe('renderings', () => {
  const offer = decodeDhcp(
    dhcp({ op: 2, yiaddr: [192, 0, 2, 10], siaddr: [192, 0, 2, 1] }, [
      ...opt(53, 2),
      ...opt(54, 192, 0, 2, 1),
      ...opt(60, ...text(CISCO_7960)),
      ...opt(150, 192, 0, 2, 10, 192, 0, 2, 11),
      ...opt(55, 1, 3, 6, 15, 66, 150),
      255,
    ]),
  );

  it('JSON keyed by option number', () => {
    assert.deepEqual(dhcpOptionsToJson(offer), {
      53: 'OFFER',
      54: '192.0.2.1',
      60: CISCO_7960,
      150: ['192.0.2.10', '192.0.2.11'],
      55: [1, 3, 6, 15, 66, 150],
    });
  });

  it('one-line text summary', () => {
    const line = dhcpSummary(offer);
    assert.doesNotMatch(line, /\n/);
    assert.match(
      line,
      /^DHCP OFFER xid 0x12345678 chaddr 00:03:6b:12:34:56 yiaddr 192\.0\.2\.10 siaddr 192\.0\.2\.1 \| /,
    );
    // Options by number and by the name the option table gives them, one after the other.
    assert.match(line, /; 150 tftp-server-address=192\.0\.2\.10,192\.0\.2\.11(;|$)/);
    assert.match(line, /; 60 vendor-class-identifier="Cisco Systems, Inc\. IP Phone CP-7960G\\u0000";/);
    assert.match(line, /\| 54 server-identifier=192\.0\.2\.1;/);
    assert.match(dhcpSummary(decodeDhcp(dhcp({ cookie: [0, 0, 0, 0] }))), /^BOOTP request xid 0x12345678/);
    assert.match(dhcpSummary(decodeDhcp(dhcp({}, opt(53, 1)))), /\| warning: no end option/);
  });
});
