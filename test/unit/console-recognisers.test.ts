import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ConsoleEvent } from '../../parsers/console/events.js';
import { createConsoleParser, parseConsoleLog } from '../../parsers/console/parse.js';
import { nth, sharedDir, utcSeconds } from '../helpers.js';

/** Each text parsed as a line of its own (no SIP-message state carried between them). */
function one(text: string, phonePrompts: string[] = []): ConsoleEvent {
  return createConsoleParser({ phonePrompts }).parse({ line: 1, text });
}

function micros(h: number, m: number, s: number, us: number): number {
  return ((h * 60 + m) * 60 + s) * 1_000_000 + us;
}

// phone-facts 1.2: 7940 SIP 8.0 telnet output after `debug sip-messages` (NAT blog).
const SIP_DEBUG = [
  '[17:00:53:148185] sipTransportSendMessage: Closed a one-time UDP send channel handle = 3',
  '[17:00:53:148194] sipTransportSendMessage: ccb <7>: config <5.79.5.158>:<5060> - remote <5.79.5.158>:<5060>',
  '[17:00:53:148194] sipTransportSendMessage: ' +
    'Opened a one-time UDP send channel to server <5.79.5.158>:<5060>, handle = 3 local port= 5060',
  '[17:00:53:148195] sipTransportSendMessage:Sent SIP message to <5.79.5.158>:<5060>, ' +
    'handle=<3>, length=<567>, message=',
  '[17:00:53:148195] REGISTER sip:3cx.voiceflare.co.uk SIP/2.0',
];

// phone-facts 1.5 [X]: 7941 console and 7942 /FS/cache/log.
const FAMILY_7941 = [
  "WRN 04:51:18.209781 image: Invalid default load name -> 'FCH1101963K'(255)@pos=0",
  'NOT 04:51:27.181249 DHCP: DHCP enabled...',
  'NOT 04:51:28.180140 DHCP: Sending Discover...',
  'NOT 04:51:28.927988 DHCP: Sending Request...',
  'NOT 04:51:32.213124 DHCP: ACK received',
  'NOT 04:51:32.213972 DHCP: Succeeded',
  'INF 04:51:33.232453 DLoad: TFTP Svr set by opt150',
];
const FAMILY_7942 = [
  '531: NOT 03:43:03.308495 tftpClient: Non secure file approved -- cisco_dialplan.xml',
  '532: NOT 03:43:03.333301 TFTP: [28]:Requesting cisco_dialplan.xml from 192.168.1.125 with size limit of 550001',
  '533: NOT 03:43:03.336858 TFTP: [28]:Finished --> rcvd 134 bytes',
  '540: WRN 03:43:03.453394 SECD: WARN:lookupCTL: ** no CTL, assume TFTP NONSECURE',
];

describe('7940 SIP debug lines (phone-facts 1.2)', () => {
  it('reads the phone clock with its colon before the microseconds, and the function', () => {
    const events = parseConsoleLog(SIP_DEBUG.join('\n')).events;
    assert.equal(events.length, SIP_DEBUG.length);
    for (const e of events) assert.equal(e.format, '7940-sip-debug');
    assert.deepEqual(nth(events, 0).phoneTime, {
      text: '17:00:53:148185',
      microsOfDay: micros(17, 0, 53, 148185),
      resolutionSeconds: 1e-6,
    });
    assert.deepEqual(
      events.slice(0, 4).map((e) => e.module),
      Array(4).fill('sipTransportSendMessage'),
    );
    assert.equal(nth(events, 4).module, undefined, 'a SIP request line is not a function');
    assert.deepEqual(
      events.map((e) => e.raw),
      SIP_DEBUG,
    );
  });

  it('ties the unprefixed SIP message lines to their start line, until the next prompt', () => {
    const text = [
      ...SIP_DEBUG,
      'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1',
      'User-Agent: Cisco-CP7940G/8.0',
      'Contact: <sip:100@192.0.2.10:5060>;+u.sip!model.ccm.cisco.com="8"',
      '',
      'SIP Phone>undebug sip-messages',
      'Unprovisioned',
    ].join('\r\n');
    const events = parseConsoleLog(text).events;
    assert.deepEqual(
      events.map((e) => e.continuationOf),
      [undefined, undefined, undefined, undefined, undefined, 5, 5, 5, 5, undefined, undefined],
    );
    const userAgent = nth(events, 6);
    assert.deepEqual(
      {
        kind: userAgent.kind,
        ...(userAgent.kind === 'version'
          ? { protocol: userAgent.protocol, version: userAgent.version, model: userAgent.model }
          : {}),
      },
      { kind: 'version', protocol: 'SIP', version: '8.0', model: '7940' },
    );
    assert.equal(nth(events, 7).kind, 'raw', 'a header we do not read is kept raw');
    assert.equal(nth(events, 7).raw, 'Contact: <sip:100@192.0.2.10:5060>;+u.sip!model.ccm.cisco.com="8"');
  });

  it("reads the 7960's User-Agent as a SIP version event (pastebin rqH7bQ8s)", () => {
    const e = one('User-Agent: Cisco-CP7960G/8.0');
    assert.equal(e.kind, 'version');
    if (e.kind === 'version') assert.deepEqual([e.protocol, e.version, e.model], ['SIP', '8.0', '7960']);
  });

  it('reads the debug banner as a status', () => {
    const e = one("Enabling bug logging on this terminal - use 'tty mon 0' to disable");
    assert.deepEqual([e.kind, e.recogniser], ['status', 'debug-enabled']);
  });
});

describe('prompts and commands (phone-facts 1.1, 1.2)', () => {
  it('knows the telnet password prompt with its space before the colon', () => {
    const e = one('Password :');
    assert.equal(e.kind, 'prompt');
    if (e.kind === 'prompt') assert.equal(e.text, 'Password :');
    assert.equal(one('Password:').kind, 'raw', 'without the space it is not what the 7960 prints');
  });

  it('reads the seen prompts and the commands typed after them', () => {
    const commands = [
      'debug sip-messages',
      'undebug sip-messages',
      'debug sip-state sip-reg-state',
      'show register',
      'register 1 2',
      'reg 1 2',
      'reg 0 2',
      'test open',
      'test close',
      'test onhook',
      'test offhook',
      'test key line1',
      'test key 1234',
      'test key soft2',
      'reset',
      'erase protflash',
      'exit',
      'tty mon 0',
    ];
    for (const [prompt, command] of commands.flatMap((c) => [
      ['SIP Phone>', c],
      ['Cisco7940#', c],
    ])) {
      const e = one(`${prompt}${command}`);
      assert.equal(e.kind, 'prompt', `${prompt}${command}`);
      if (e.kind === 'prompt') assert.deepEqual([e.text, e.command], [prompt, command]);
    }
    const bare = one('SIP Phone>');
    assert.ok(bare.kind === 'prompt' && bare.command === undefined);
  });

  it('reads a configured phone_prompt, and only when configured', () => {
    assert.equal(one('lab-7960> show register').kind, 'raw');
    const e = one('lab-7960> show register', ['lab-7960']);
    assert.ok(e.kind === 'prompt' && e.text === 'lab-7960>' && e.command === 'show register');
  });
});

describe('79x1/79x2 family lines (phone-facts 1.5)', () => {
  it('labels them with the family, severity, sequence number, phone clock and module', () => {
    const events = parseConsoleLog([...FAMILY_7941, ...FAMILY_7942].join('\n')).events;
    for (const e of events) assert.equal(e.format, '79x1-79x2');
    assert.deepEqual(
      events.map((e) => e.severity),
      ['WRN', 'NOT', 'NOT', 'NOT', 'NOT', 'NOT', 'INF', 'NOT', 'NOT', 'NOT', 'WRN'],
    );
    assert.deepEqual(
      events.map((e) => e.seq),
      [...Array(7).fill(undefined), 531, 532, 533, 540],
    );
    assert.deepEqual(
      events.map((e) => e.module),
      ['image', 'DHCP', 'DHCP', 'DHCP', 'DHCP', 'DHCP', 'DLoad', 'tftpClient', 'TFTP', 'TFTP', 'SECD'],
    );
    assert.deepEqual(nth(events, 0).phoneTime, {
      text: '04:51:18.209781',
      microsOfDay: micros(4, 51, 18, 209781),
      resolutionSeconds: 1e-6,
    });
  });

  it('reads the DHCP steps, the option that set the TFTP server, and the TFTP request and its size', () => {
    const events = parseConsoleLog([...FAMILY_7941, ...FAMILY_7942].join('\n')).events;
    assert.deepEqual(
      events.filter((e) => e.kind === 'dhcp').map((e) => (e.kind === 'dhcp' ? e.state : '')),
      ['DHCP ENABLED', 'SENDING DISCOVER', 'SENDING REQUEST', 'ACK RECEIVED', 'SUCCEEDED'],
    );
    const server = events[6];
    assert.ok(server?.kind === 'tftp-server' && server.setBy === 'opt150' && server.option === 150);
    const request = events[8];
    assert.ok(request?.kind === 'tftp-request');
    if (request?.kind === 'tftp-request') {
      assert.deepEqual(
        [request.file, request.server, request.sizeLimit, request.transfer],
        ['cisco_dialplan.xml', '192.168.1.125', 550001, 28],
      );
    }
    const finished = events[9];
    assert.ok(finished?.kind === 'tftp-finished' && finished.bytes === 134 && finished.transfer === 28);
  });

  it('keeps the lines it does not read, with their frame, instead of losing them', () => {
    const events = parseConsoleLog([...FAMILY_7941, ...FAMILY_7942].join('\n')).events;
    const raw = events.filter((e) => e.kind === 'raw');
    assert.deepEqual(
      raw.map((e) => e.raw),
      [FAMILY_7941[0], FAMILY_7942[0], FAMILY_7942[3]],
    );
    assert.equal(nth(raw, 2).message, 'SECD: WARN:lookupCTL: ** no CTL, assume TFTP NONSECURE');
  });
});

describe('status and error texts (phone-facts 2.3, 3.2, 7.5)', () => {
  const errors: [string, string][] = [
    ['W210 TFTP Error : buffer full', 'W210_BUFFER_FULL'],
    ['"W210 TFTP Error : buffer full" Error', 'W210_BUFFER_FULL'],
    ['Protocol Application Invalid', 'PROTOCOL_APPLICATION_INVALID'],
    ['protocol application invalid', 'PROTOCOL_APPLICATION_INVALID'],
    ['"Protocol Application Invalid" Error', 'PROTOCOL_APPLICATION_INVALID'],
    ['"Image Authentication Failed" Error', 'IMAGE_AUTHENTICATION_FAILED'],
    ['Image Authentication Failed', 'IMAGE_AUTHENTICATION_FAILED'],
    ['"No Load Specified" Error', 'NO_LOAD_SPECIFIED'],
    ['Unprovisioned', 'UNPROVISIONED'],
    ['IP Phones go to Unprovisioned State', 'UNPROVISIONED'],
    ['TFTP Timeout', 'TFTP_TIMEOUT'],
    ['TFTP timeout', 'TFTP_TIMEOUT'],
    ['TFTP Error', 'TFTP_ERROR'],
    ['TFTP error', 'TFTP_ERROR'],
    ['File not found', 'FILE_NOT_FOUND'],
    ['CFG file not found', 'CFG_FILE_NOT_FOUND'],
    ['CFG TFTP Size Error', 'CFG_TFTP_SIZE_ERROR'],
    ['Checksum Error', 'CHECKSUM_ERROR'],
    ['DHCP timeout', 'DHCP_TIMEOUT'],
    ['DNS timeout', 'DNS_TIMEOUT'],
    ['DNS unknown host', 'DNS_UNKNOWN_HOST'],
    ['Duplicate IP', 'DUPLICATE_IP'],
    ['Load ID incorrect', 'LOAD_ID_INCORRECT'],
    ['Load rejected HC', 'LOAD_REJECTED_HC'],
    ['No default router', 'NO_DEFAULT_ROUTER'],
    ['No DNS server IP', 'NO_DNS_SERVER_IP'],
    ['TFTP access error', 'TFTP_ACCESS_ERROR'],
    ['TFTP file not found', 'TFTP_FILE_NOT_FOUND'],
    ['Timed Out', 'TIMED_OUT'],
    ['Version error', 'VERSION_ERROR'],
    ['Rejected', 'REJECTED'],
  ];
  for (const [text, code] of errors) {
    it(`"${text}" is error ${code}`, () => {
      const e = one(text);
      assert.equal(e.kind, 'error');
      if (e.kind === 'error') assert.equal(e.code, code);
    });
  }

  it('keeps the error text as printed', () => {
    const e = one('  protocol application invalid ');
    assert.ok(
      e.kind === 'error' && e.text === 'protocol application invalid' && e.raw === '  protocol application invalid ',
    );
  });

  it('does not take a generic word inside another line for a phone error', () => {
    for (const text of [
      'Reason: Rejected by policy',
      'SIP/2.0 404 File not found here',
      '[17:00:53:148185] sipSPI: TFTP Error seen earlier',
    ]) {
      assert.notEqual(one(text).kind, 'error', text);
    }
  });

  it('reads the status texts', () => {
    for (const text of ['Loading CM list', 'IP address released', 'Keep network cfg? 1 = yes 2 = no']) {
      assert.equal(one(text).kind, 'status', text);
    }
    const cfg = one('SEP000E84C060A6.cnf.xml');
    assert.ok(cfg.kind === 'status' && cfg.file === 'SEP000E84C060A6.cnf.xml');
  });

  it('reads every DHCP state word of the status table, any case', () => {
    const words = [
      'CDP BOUND',
      'CDP INIT',
      'DHCP BOUND',
      'DHCP DISABLED',
      'DHCP INIT',
      'DHCP INVALID',
      'DHCP REBINDING',
      'DHCP REBOOT',
      'DHCP RENEWING',
      'DHCP REQUESTING',
      'DHCP RESYNC',
      'DHCP UNRECOGNIZED',
      'DHCP WAITING COLDBOOT TIMEOUT',
      'SET DHCP COLDBOOT',
      'SET DHCP DISABLED',
      'DISABLED DUPLICATE IP',
      'SET DHCP FAST',
    ];
    for (const word of words) {
      const e = one(word.toLowerCase());
      assert.ok(e.kind === 'dhcp' && e.state === word, word);
    }
  });
});

describe('every event', () => {
  it('keeps line number, raw text, recogniser id and host time; unknown lines stay raw', () => {
    const { events } = parseConsoleLog(
      '2026-11-26T06:22:23.123Z Protocol Application Invalid\n2026-11-26T06:22:24.000Z ~~ line noise ~~\n',
    );
    assert.deepEqual(
      events.map((e) => [e.line, e.raw, e.recogniser, e.hostTime, e.kind]),
      [
        [
          1,
          'Protocol Application Invalid',
          'protocol-application-invalid',
          utcSeconds('2026-11-26T06:22:23.123Z'),
          'error',
        ],
        [2, '~~ line noise ~~', undefined, utcSeconds('2026-11-26T06:22:24.000Z'), 'raw'],
      ],
    );
  });
});

describe('the console lines quoted in ../shared/phone-facts.md', () => {
  it('are all read with their frame (sections 1.2 and 1.5)', (t) => {
    const shared = sharedDir();
    if (!shared) return t.skip('../shared is not present');
    const facts = readFileSync(path.join(shared, 'phone-facts.md'), 'utf8');
    const blocks = (heading: string): string[] => {
      const start = facts.indexOf(heading);
      const end = facts.indexOf('\n### ', start + 1);
      const section = facts.slice(start, end);
      return [...section.matchAll(/```\n([\s\S]*?)```/g)].flatMap((m) =>
        nth(m, 1)
          .split('\n')
          .filter((l) => l !== ''),
      );
    };
    const debug = blocks('### 1.2 ');
    const family = blocks('### 1.5 ');
    assert.ok(debug.length >= 5 && family.length >= 11, 'the sections still hold their blocks');
    for (const e of parseConsoleLog(debug.join('\n')).events) assert.equal(e.format, '7940-sip-debug', e.raw);
    for (const e of parseConsoleLog(family.join('\n')).events) {
      assert.equal(e.format, '79x1-79x2', e.raw);
      assert.ok(e.phoneTime !== undefined, e.raw);
    }
  });
});
