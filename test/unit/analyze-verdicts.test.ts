/**
 * Verdicts a support engineer can sign (issue 13): a damaged or cut input is in the report
 * (inputs[].damage, INPUT_DAMAGED, the verdict says what is unknown after it) in every format
 * and in the ticket bundle, and exits 2; an input given with the wrong option is refused in one
 * sentence naming the option that fits; nothing analysed is not "nothing wrong"; a conversion
 * seen whole is CONVERSION_SUCCEEDED even when the start image is unknown; a Cisco phone of
 * another model is PHONE_NOT_COVERED with no 7940/7960 finding. The inputs are the lab
 * bundles of captures/, cut or changed here the way the issue describes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeFiles } from '../../src/engine/input-events.js';
import type { AnalyzeInputs } from '../../src/engine/input-events.js';
import type { Report } from '../../src/findings/report-schema.js';
import { validateAgainstSchema } from '../../src/findings/report-schema.js';
import { cliPath, nth, repoRoot } from '../helpers.js';

const bundle = (name: string, file: string): string => path.join(repoRoot, 'captures', name, file);
const work = mkdtempSync(path.join(tmpdir(), 'phonedoc-verdicts-'));
after(() => rmSync(work, { recursive: true, force: true }));

function analyze(...args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, 'analyze', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function written(name: string, content: Uint8Array | string): string {
  const file = path.join(work, name);
  writeFileSync(file, content);
  return file;
}

/**
 * Classic pcap: where each record starts, read from the record headers (24-byte file header, 16-byte record headers).
 */
function recordStarts(pcap: Buffer): number[] {
  const little = pcap.readUInt32LE(0) === 0xa1b2c3d4;
  const starts: number[] = [];
  for (let at = 24; at + 16 <= pcap.length; ) {
    starts.push(at);
    at += 16 + (little ? pcap.readUInt32LE(at + 8) : pcap.readUInt32BE(at + 8));
  }
  return starts;
}

const FLAT = (text: string): string => text.replace(/\s+/g, ' ');
/** What a verdict says when it speaks for the phone's whole story. */
const CONFIDENT = /: converted\b|\bruns \S+ \S+ after \d+ boots?\b|no problem found/;

describe('damaged input in the verdict', () => {
  const whole = readFileSync(bundle('sip-812-boot', 'capture.pcap'));
  const cut = written('cut.pcap', whole.subarray(0, 3000));
  const starts = recordStarts(whole);
  const cutFrame = starts.filter((s) => s < 3000).length; // the frame the cut falls in
  const cutOffset = nth(starts, cutFrame - 1);

  it('JSON: inputs[] names the damage, INPUT_DAMAGED is reported, no confident verdict, exit 2', () => {
    const r = analyze(cut, '--format', 'json');
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(validateAgainstSchema(report), []);
    const damage = nth(report.inputs, 0).damage;
    assert.ok(damage, 'the capture input carries its damage');
    assert.equal(damage.frame, cutFrame);
    assert.equal(damage.offset, cutOffset);
    assert.equal(damage.framesRead, cutFrame - 1);
    assert.equal(damage.endsInput, true);
    const found = report.findings.find((f) => f.id === 'INPUT_DAMAGED');
    assert.ok(found, 'INPUT_DAMAGED');
    assert.equal(found.phone?.mac, '00:0e:84:c0:60:a6');
    assert.equal(nth(found.evidence, 0).frame, cutFrame);
    // The phone's last step is where the evidence ends, not where it settled.
    assert.doesNotMatch(nth(report.phones, 0).lastStep ?? '', /^Runs/);
  });

  it('text, md and html say in the verdict what is unknown after the damage', () => {
    for (const format of ['text', 'md', 'html']) {
      const r = analyze(cut, '--format', format);
      assert.equal(r.code, 2, `${format}: ${r.stderr}`);
      const flat = FLAT(r.stdout);
      assert.match(
        flat,
        new RegExp(`cannot be read beyond frame ${cutFrame} \\(byte ${cutOffset}\\): what happened after is unknown`),
        format,
      );
      assert.match(flat, /INPUT\\?_DAMAGED/, format);
      assert.match(flat, new RegExp(`damaged: ${cutFrame - 1} frames read`), format);
      assert.doesNotMatch(flat, CONFIDENT, format);
    }
  });

  it('the ticket bundle shows it in report.md, report.html and report.json', () => {
    const out = path.join(work, 'ticket');
    const r = analyze(cut, '--out', out);
    assert.equal(r.code, 2, r.stderr);
    for (const name of ['report.md', 'report.html', 'report.json']) {
      const text = readFileSync(path.join(out, name), 'utf8');
      assert.match(text, /INPUT\\?_DAMAGED/, name);
      assert.match(FLAT(text), /what happened after is unknown/, name);
    }
  });

  it('a console log with a damaged stretch: the stretch is left out and named, the rest still read', () => {
    const lines = readFileSync(bundle('loads-part-missing', 'console-sep000e84c060a6.log'), 'latin1').split('\n');
    const before = `${lines.slice(0, 3).join('\n')}\n`;
    const garbage = '\0\0\x01\x02\x03\0\xff\0\0\0';
    const damaged = written(
      'console-sep000e84c060a6.log',
      `${before}${garbage}\n${garbage}\n${lines.slice(3).join('\n')}`,
    );
    const r = analyze('--console', damaged, '--format', 'json');
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const damage = nth(report.inputs, 0).damage!;
    assert.equal(damage.line, 4);
    assert.equal(damage.lastLine, 5);
    assert.equal(damage.offset, Buffer.byteLength(before, 'latin1'));
    assert.equal(damage.endsInput, false);
    const ids = report.findings.map((f) => f.id).sort();
    assert.deepEqual(
      ids,
      ['INPUT_DAMAGED', 'PROTOCOL_APPLICATION_INVALID'],
      'the lines after the damage are read; the garbage adds nothing',
    );
    assert.match(
      FLAT(analyze('--console', damaged).stdout),
      /lines 4-5 \(from byte \d+\) are damaged: what the phone printed there is unknown/,
    );
  });

  it('a server log with NUL bytes in the middle: named, left out, the rest still read', () => {
    const lines = readFileSync(bundle('loads-part-missing', 'tftpd.log'), 'latin1').split('\n');
    const before = `${lines.slice(0, 4).join('\n')}\n`;
    const damaged = written(
      'tftpd-nul.log',
      Buffer.from(`${before}${'\0'.repeat(40)}\n${lines.slice(4).join('\n')}`, 'latin1'),
    );
    const r = analyze('--server-log', damaged, '--format', 'json');
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(nth(report.inputs, 0).damage?.line, 5);
    assert.equal(nth(report.inputs, 0).damage?.offset, Buffer.byteLength(before, 'latin1'));
    const ids = report.findings.map((f) => f.id);
    assert.ok(ids.includes('INPUT_DAMAGED') && ids.includes('LOADS_PART_MISSING'), ids.join(', '));
  });

  it('a recorded console whose last line is cut', () => {
    const text = readFileSync(bundle('sip-812-boot', 'console-sep000e84c060a6.log'), 'utf8');
    const cutText = text.slice(0, text.trimEnd().length - 6);
    const lineCount = cutText.split('\n').length;
    const r = analyze('--console', written('console-cut.log', cutText), '--format', 'json');
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(nth(report.inputs, 0).damage?.line, lineCount);
    assert.equal(nth(report.inputs, 0).damage?.endsInput, true);
    assert.ok(report.findings.some((f) => f.id === 'INPUT_DAMAGED'));
  });

  it('a console saved as UTF-16 with its byte-order mark is read as the same log; a damaged line is placed in its bytes', () => {
    const text = readFileSync(bundle('loads-part-missing', 'console-sep000e84c060a6.log'), 'utf8');
    const utf16 = (s: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
    const plain = JSON.parse(
      analyze('--console', bundle('loads-part-missing', 'console-sep000e84c060a6.log'), '--format', 'json').stdout,
    ) as Report;
    const wide = analyze('--console', written('console-utf16.log', utf16(text)), '--format', 'json');
    assert.equal(wide.code, 1, wide.stderr);
    assert.deepEqual(
      (JSON.parse(wide.stdout) as Report).findings.map((f) => f.id),
      plain.findings.map((f) => f.id),
    );
    const [first, ...rest] = text.split('\n');
    const damaged = analyze(
      '--console',
      written('console-utf16-nul.log', utf16(`${first}\n\0\0\0\0\n${rest.join('\n')}`)),
      '--format',
      'json',
    );
    assert.equal(damaged.code, 2, damaged.stderr);
    assert.equal((JSON.parse(damaged.stdout) as Report).inputs[0]!.damage?.offset, 2 + 2 * (first!.length + 1));
  });

  it('a whole input has no damage and exits as before', () => {
    const r = analyze(
      bundle('sip-812-boot', 'capture.pcap'),
      '--console',
      bundle('sip-812-boot', 'console-sep000e84c060a6.log'),
      '--format',
      'json',
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.inputs.every((i) => i.damage === undefined));
    assert.ok(!report.findings.some((f) => f.id === 'INPUT_DAMAGED'));
  });
});

describe('every bundle cut to its first half', () => {
  const capturesDir = path.join(repoRoot, 'captures');
  const bundles = readdirSync(capturesDir)
    .filter((d) => existsSync(path.join(capturesDir, d, 'expected.json')))
    .sort();
  it('finds the bundles', () => assert.ok(bundles.length > 0));
  for (const name of bundles) {
    it(`${name}: no confident verdict without INPUT_DAMAGED, and no finding the whole capture does not give`, async () => {
      const dir = path.join(capturesDir, name);
      const capture = ['capture.pcapng', 'capture.pcap'].map((f) => path.join(dir, f)).find((f) => existsSync(f))!;
      const bytes = readFileSync(capture);
      const half = written(`${name}-half${path.extname(capture)}`, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const run = async (inputs: AnalyzeInputs) => await analyzeFiles(inputs, { version: 'test' }, () => {});
      const cutResult = await run({ captures: [half], consoles: [], serverLogs: [] });
      const wholeIds = new Set(
        (await run({ captures: [capture], consoles: [], serverLogs: [] })).analysis.report.findings.map((f) => f.id),
      );
      assert.equal(cutResult.damaged, true);
      const { analysis } = cutResult;
      assert.ok(
        analysis.report.findings.some((f) => f.id === 'INPUT_DAMAGED'),
        'INPUT_DAMAGED',
      );
      for (const phone of analysis.phones) {
        assert.ok(
          phone.findings.some((f) => f.id === 'INPUT_DAMAGED'),
          `${phone.phone.mac}: INPUT_DAMAGED`,
        );
        assert.match(phone.verdict, /unknown/, `${phone.phone.mac}: ${phone.verdict}`);
        assert.doesNotMatch(phone.verdict, /\bruns \S+ \S+ after \d+ boots?|no problem found/, phone.verdict);
      }
      const invented = analysis.report.findings
        .map((f) => f.id)
        .filter((id) => id !== 'INPUT_DAMAGED' && !wholeIds.has(id));
      assert.deepEqual(invented, [], 'the cut invents no finding');
    });
  }
});

describe('each input is what its option says', () => {
  const pcap = bundle('sip-812-boot', 'capture.pcap');
  const consoleLog = bundle('sip-812-boot', 'console-sep000e84c060a6.log');
  const tftpdLog = bundle('sip-812-boot', 'tftpd.log');
  const readme = path.join(repoRoot, 'README.md');
  const cases: { args: string[]; says: RegExp }[] = [
    {
      args: ['--console', pcap],
      says: /capture\.pcap is not a console log .*looks like a packet capture \(pcap\); give it as a capture/,
    },
    {
      args: ['--server-log', pcap],
      says: /capture\.pcap is not a server log .*looks like a packet capture \(pcap\); give it as a capture/,
    },
    {
      args: [consoleLog],
      says: /is not a pcap or pcapng capture: it looks like a phone's console log; give it with --console /,
    },
    {
      args: [tftpdLog],
      says: /tftpd\.log is not a pcap or pcapng capture: it looks like a TFTP or DHCP server's log; give it with --server-log /,
    },
    { args: ['--console', tftpdLog], says: /tftpd\.log is not a console log .*give it with --server-log / },
    {
      args: ['--server-log', consoleLog],
      says: /is not a server log .*looks like a phone's console log; give it with --console /,
    },
    { args: ['--console', readme], says: /README\.md is not a console log .*looks like a document/ },
    { args: ['--server-log', readme], says: /README\.md is not a server log .*looks like a document/ },
    {
      args: ['--tftp-root', pcap],
      says: /capture\.pcap is not a directory \(--tftp-root\): it looks like a packet capture \(pcap\); give it as a capture/,
    },
    {
      args: ['--tftp-root', tftpdLog],
      says: /tftpd\.log is not a directory \(--tftp-root\): .*give it with --server-log /,
    },
    {
      args: ['--console', path.dirname(pcap)],
      says: /sip-812-boot is a directory, not a console log \(--console\): .*give it with --tftp-root /,
    },
  ];
  for (const { args, says } of cases) {
    it(`analyze ${args.map((a) => path.basename(a)).join(' ')}: one sentence, exit 2, no report`, () => {
      const r = analyze(...args);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, says);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '', 'no finding is made from it');
    });
  }
  it('a mix-up among good inputs is refused too, before anything is read', () => {
    const r = analyze(pcap, '--console', readme, '--server-log', tftpdLog);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /README\.md is not a console log/);
    assert.equal(r.stdout, '');
  });
});

describe('nothing analysed is not "nothing wrong"', () => {
  it('--phone naming a MAC that is not in the inputs: exit 2 with the reason', () => {
    const r = analyze(bundle('sip-812-boot', 'capture.pcap'), '--phone', '00:11:22:33:44:55');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--phone 00:11:22:33:44:55: no phone with this MAC is in the inputs/);
    assert.equal(r.stdout, '');
  });

  it('a syslog file of which no line is about a phone: exit 2 with the reason', () => {
    const cron = written(
      'cron.log',
      `${Array.from(
        { length: 5 },
        (_, i) => `Nov 26 08:0${i}:01 host CRON[12${i}]: (root) CMD (run-parts /etc/cron.hourly)`,
      ).join('\n')}\n`,
    );
    const r = analyze('--server-log', cron);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nothing was analysed: .*cron\.log holds no request of a phone/);
    assert.equal(r.stdout, '');
  });
});

describe('CONVERSION_SUCCEEDED as the catalog defines it', () => {
  for (const [name, target] of [
    ['sccp-to-sip-812', 'SIP 8.12'],
    ['sip-to-sccp-812', 'SCCP 8.1(2)'],
  ] as const) {
    it(`${name} without the console (no start image): converted, from an image phonedoc could not identify`, () => {
      const r = analyze(bundle(name, 'capture.pcap'), '--server-log', bundle(name, 'tftpd.log'), '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(nth(report.phones, 0).running, undefined, 'the start image is not known');
      const success = report.findings.find((f) => f.id === 'CONVERSION_SUCCEEDED');
      assert.ok(success, report.findings.map((f) => f.id).join(', '));
      assert.match(
        success.explanation,
        new RegExp(`From an image phonedoc could not identify .*→ ${target.replace(/[()]/g, '\\$&')}\\.`),
      );
      assert.match(
        FLAT(analyze(bundle(name, 'capture.pcap')).stdout),
        new RegExp(`→ ${target.replace(/[()]/g, '\\$&')}: converted`),
      );
    });
  }

  it('with the console, the start image is named with how it is known', () => {
    const r = analyze(
      bundle('sccp-to-sip-812', 'capture.pcap'),
      '--console',
      bundle('sccp-to-sip-812', 'console-sep000e84c060a6.log'),
      '--format',
      'json',
    );
    const success = (JSON.parse(r.stdout) as Report).findings.find((f) => f.id === 'CONVERSION_SUCCEEDED');
    assert.match(
      success?.explanation ?? '',
      /From SCCP 8\.1\(2\) \(the console recording's header names it\) → SIP 8\.12\./,
    );
  });

  it('a phone that fetched the image and then stopped is not a success', () => {
    const r = analyze(bundle('loads-part-missing', 'capture.pcap'), '--format', 'json');
    assert.ok(!(JSON.parse(r.stdout) as Report).findings.some((f) => f.id === 'CONVERSION_SUCCEEDED'));
  });
});

describe('Cisco phones of other models', () => {
  /** The 7960 boot of sip-812-boot as a 7942 would announce itself (option 60 "… IP Phone CP-7942G"). */
  const as7942 = written(
    '7942.pcap',
    Buffer.from(
      readFileSync(bundle('sip-812-boot', 'capture.pcap')).toString('latin1').replaceAll('CP-7960G', 'CP-7942G'),
      'latin1',
    ),
  );

  function notCovered(report: Report, evidence: RegExp): void {
    assert.deepEqual(
      report.findings.map((f) => f.id),
      ['PHONE_NOT_COVERED'],
      'no 7940/7960 finding for it',
    );
    assert.match(nth(report.findings, 0).evidence[0]!.text, evidence);
    assert.equal(nth(report.phones, 0).model, undefined);
  }

  it('option 60 of a 7942: PHONE_NOT_COVERED, and no 7940/7960 finding', () => {
    const r = analyze(as7942, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    notCovered(JSON.parse(r.stdout) as Report, /option 60 "Cisco Systems, Inc\. IP Phone CP-7942G"/);
    assert.match(FLAT(analyze(as7942).stdout), /CP-7942G: not a 7940\/7960/);
  });

  it('option 60 of a 7906, or of a 7912 written without CP- and G', () => {
    const original = readFileSync(bundle('sip-812-boot', 'capture.pcap')).toString('latin1');
    for (const [vendor, model] of [
      ['CP-7906G', 'CP-7906G'],
      ['7912\0\0\0\0', '7912'],
    ] as const) {
      const r = analyze(
        written(`${model}.pcap`, Buffer.from(original.replaceAll('CP-7960G', vendor), 'latin1')),
        '--format',
        'json',
      );
      assert.equal(r.code, 0, r.stderr);
      notCovered(JSON.parse(r.stdout) as Report, new RegExp(`IP Phone ${model}"`));
    }
  });

  it("a 7942 known only from a DHCP server's log (dnsmasq --log-dhcp logs option 60): PHONE_NOT_COVERED too", () => {
    const log = written(
      'dnsmasq-7942.log',
      readFileSync(bundle('sip-812-boot', 'dnsmasq.log'), 'latin1').replaceAll('CP-7960G', 'CP-7942G'),
    );
    const r = analyze('--server-log', log, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(
      report.findings.filter((f) => f.id !== 'INPUT_NOT_UNDERSTOOD').map((f) => f.id),
      ['PHONE_NOT_COVERED'],
    );
    assert.match(
      report.findings.find((f) => f.id === 'PHONE_NOT_COVERED')!.evidence[0]!.text,
      /option 60 "Cisco Systems, Inc\. IP Phone CP-7942G"/,
    );
  });

  it('the 7940 and 7960 themselves are covered', () => {
    const r = analyze(bundle('sip-812-boot', 'capture.pcap'), '--format', 'json');
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(nth(report.phones, 0).model, '7960');
    assert.ok(!report.findings.some((f) => f.id === 'PHONE_NOT_COVERED'));
  });

  it('a server log of a phone asking for a term42 load', () => {
    const log = readFileSync(bundle('sip-812-boot', 'tftpd.log'), 'utf8').replaceAll(
      'P0S3-8-12-00.loads',
      'term42.default.loads',
    );
    const r = analyze('--server-log', written('tftpd-7942.log', log), '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    notCovered(JSON.parse(r.stdout) as Report, /term42\.default\.loads/);
  });

  it("a host known only by a file of another family (an ATA's ata<MAC>, a term42 load) is named, not dropped", () => {
    for (const [file, says] of [
      ['ata000e08aabbcc', /a Cisco ATA/],
      ['term42.default.loads', /another family/],
    ] as const) {
      const log =
        `Nov 26 08:03:49 tftpserver in.tftpd[26363]: RRQ from 192.0.2.50 filename ${file}\nNov ` +
        `26 08:03:49 tftpserver in.tftpd[26363]: Client 192.0.2.50 finished ${file}\n`;
      const r = analyze('--server-log', written(`tftpd-${file}.log`, log), '--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as Report;
      notCovered(report, new RegExp(file));
      assert.match(nth(report.findings, 0).explanation, says);
      assert.equal(nth(report.phones, 0).ip, '192.0.2.50');
    }
  });

  it('a console in the 79x1/79x2 log format', () => {
    const lines = [
      'NOT 04:51:27.181249 DHCP: DHCP enabled...',
      'NOT 04:51:28.180140 DHCP: Sending Discover...',
      'NOT 04:51:32.213124 DHCP: ACK received',
      'INF 04:51:33.232453 DLoad: TFTP Svr set by opt150',
      'NOT 03:43:03.333301 TFTP: [28]:Requesting SEP001AA1B2C3D4.cnf.xml from 192.0.2.1 with size limit of 550001',
    ];
    const r = analyze('--console', written('console-7942.log', `${lines.join('\n')}\n`), '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    notCovered(JSON.parse(r.stdout) as Report, /79x1\/79x2 log format/);
  });
});
