/**
 * Server logs in an analysis: the lab bundles' dnsmasq.log (real dnsmasq, --log-dhcp) as DHCP
 * evidence when no capture holds the exchange and as clock marks when one does; dnsmasq's TFTP
 * lines and rsyslog-escaped names merged with the capture's transfers; and the line counts
 * every report format shows, with INPUT_NOT_UNDERSTOOD for an input nothing of which is read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import type { AnalyzeInputs } from '../../src/engine/input-events.js';
import { validateAgainstSchema } from '../../src/findings/report-schema.js';
import { renderAnalysisHtml } from '../../src/views/analysis-html.js';
import { renderAnalysisMarkdown } from '../../src/views/analysis-markdown.js';
import { renderAnalysisText } from '../../src/views/analysis-text.js';
import { repoRoot, utcIso } from '../helpers.js';

const bundle = (scenario: string, file: string): string => path.join(repoRoot, 'captures', scenario, file);
const work = mkdtempSync(path.join(tmpdir(), 'phonedoc-server-logs-'));
after(() => rmSync(work, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(work, name);
  writeFileSync(file, text);
  return file;
}

async function analyse(inputs: Partial<AnalyzeInputs>) {
  const { analysis } = await analyzeFiles(
    { captures: [], consoles: [], serverLogs: [], ...inputs },
    { version: 'test' },
    () => {},
  );
  assert.deepEqual(validateAgainstSchema(JSON.parse(JSON.stringify(analysis.report))), []);
  return analysis;
}

describe('a DHCP server log as evidence', () => {
  it('alone, gives DHCP_NAK citing the NAK line and its reason (dnsmasq, INIT-REBOOT for a foreign address)', async () => {
    const log = bundle('dhcp-nak-init-reboot', 'dnsmasq.log');
    const analysis = await analyse({ serverLogs: [log] });
    const nak = analysis.report.findings.find((f) => f.id === 'DHCP_NAK');
    assert.ok(nak, 'DHCP_NAK from the log alone');
    assert.equal(nak.phone?.mac, '00:0e:84:c0:60:a6');
    const lines = readFileSync(log, 'utf8').split('\n');
    const cited = nak.evidence.find((e) => e.source === 'server-log');
    assert.ok(cited?.line && lines[cited.line - 1]!.includes('DHCPNAK') && cited.text.includes('wrong network'));
  });

  it('alone, gives DHCP_MULTIPLE_SERVERS from the offers of two dnsmasq processes in one file', async () => {
    const analysis = await analyse({ serverLogs: [bundle('dhcp-two-servers-disagree', 'dnsmasq.log')] });
    const many = analysis.report.findings.find((f) => f.id === 'DHCP_MULTIPLE_SERVERS');
    assert.ok(many);
    const offers = many.evidence.filter((e) => /DHCPOFFER/.test(e.text));
    assert.equal(offers.length, 2);
    assert.ok(
      offers.some((e) => e.text.includes('192.0.2.1:')) && offers.some((e) => e.text.includes('192.0.2.2:')),
      'each offer names its server',
    );
    assert.ok(
      !analysis.report.findings.some((f) => f.id === 'DHCP_NAK'),
      "the NAK to the REQUEST for the other server's offer is not the phone's NAK",
    );
  });

  it('without --log-dhcp (no xid), still tells the rival server\'s NAK ("wrong server-ID") from the phone\'s own', async () => {
    const original = readFileSync(bundle('dhcp-two-servers-disagree', 'dnsmasq.log'), 'utf8');
    const plain = write(
      'two-servers-plain.log',
      original
        .split('\n')
        .filter((l) => !/\]: \d+ (?!DHCP)/.test(l))
        .map((l) => l.replace(/\]: \d+ /, ']: '))
        .join('\n'),
    );
    // Without --log-dhcp dnsmasq logs no vendor class: --phone names the phone.
    const { analysis } = await analyzeFiles(
      { captures: [], consoles: [], serverLogs: [plain] },
      { version: 'test', phone: parseMac('000E84C060A6')! },
      () => {},
    );
    const ids = analysis.report.findings.map((f) => f.id);
    assert.ok(ids.includes('DHCP_MULTIPLE_SERVERS') && !ids.includes('DHCP_NAK'), ids.join(', '));
  });

  it('an ISC dhcpd log names no vendor class: --phone says which client is the phone', async () => {
    const log = write(
      'dhcpd.log',
      [
        'Dec  7 06:00:04 vm dhcpd[11479]: DHCPREQUEST for 10.9.9.9 from 00:0e:84:c0:60:a6 via eth0: wrong network.',
        'Dec  7 06:00:04 vm dhcpd[11479]: DHCPNAK on 10.9.9.9 to 00:0e:84:c0:60:a6 via eth0',
        'Dec  7 06:00:05 vm dhcpd[11479]: DHCPREQUEST for 10.9.9.9 from 00:0e:84:c0:60:a7 via eth0: wrong network.',
        'Dec  7 06:00:05 vm dhcpd[11479]: DHCPNAK on 10.9.9.9 to 00:0e:84:c0:60:a7 via eth0',
        '',
      ].join('\n'),
    );
    const { analysis } = await analyzeFiles(
      { captures: [], consoles: [], serverLogs: [log] },
      { version: 'test', phone: parseMac('000E84C060A6')! },
      () => {},
    );
    const nak = analysis.report.findings.filter((f) => f.id === 'DHCP_NAK');
    assert.deepEqual(
      nak.map((f) => [f.phone?.mac, f.evidence.map((e) => e.line)]),
      [['00:0e:84:c0:60:a6', [2]]],
    );
  });

  it('alone, gives DHCP_NO_OFFER for a phone whose DISCOVERs got no OFFER', async () => {
    const log = write(
      'no-offer.log',
      [
        'Dec  7 05:59:00 gw dnsmasq-dhcp[7]: 101 vendor class: Cisco Systems, Inc. IP Phone CP-7960G',
        'Dec  7 05:59:00 gw dnsmasq-dhcp[7]: 101 DHCPDISCOVER(eth0) 00:0e:84:c0:60:a6 no address available',
        'Dec  7 05:59:04 gw dnsmasq-dhcp[7]: 101 vendor class: Cisco Systems, Inc. IP Phone CP-7960G',
        'Dec  7 05:59:04 gw dnsmasq-dhcp[7]: 101 DHCPDISCOVER(eth0) 00:0e:84:c0:60:a6 no address available',
        '',
      ].join('\n'),
    );
    const analysis = await analyse({ serverLogs: [log] });
    const none = analysis.report.findings.find((f) => f.id === 'DHCP_NO_OFFER');
    assert.ok(none);
    assert.deepEqual(
      none.evidence.map((e) => e.line),
      [2, 4],
    );
    assert.equal(analysis.report.phones[0]?.model, '7960', 'the model from the logged vendor class');
  });

  it('beside the capture, lines its clock up by the DHCP messages both saw (a log an hour off)', async () => {
    const original = readFileSync(bundle('loads-part-missing', 'dnsmasq.log'), 'utf8');
    const shifted = write('dnsmasq-cet.log', original.replace(/Nov 26 08:/g, 'Nov 26 09:'));
    const analysis = await analyse({ captures: [bundle('loads-part-missing', 'capture.pcap')], serverLogs: [shifted] });
    const clock = analysis.clocks.find((c) => c.file === shifted);
    assert.equal(clock?.method, 'matched-events');
    assert.ok(Math.abs(clock.offsetSeconds + 3600) <= 1, `offset ${clock.offsetSeconds}`);
    assert.ok(clock.matches >= 4);
    const phone = analysis.phones[0]!;
    const ack = phone.timeline.find((e) => e.source === 'server-log' && e.text.includes('DHCPACK'));
    const iso = ack?.time === undefined ? undefined : utcIso(ack.time);
    assert.ok(iso?.startsWith('2026-11-26T08:03:3'), `the logged ACK on the capture's clock: ${iso}`);
  });
});

describe('TFTP server lines merged with the capture', () => {
  it('dnsmasq-tftp outcome lines join the captured transfers, not doubling them', async () => {
    const log = write(
      'dnsmasq-tftp.log',
      [
        'Nov 26 08:03:36 tftp dnsmasq[9]: TFTP root is /srv/tftp',
        'Nov 26 08:03:37 tftp dnsmasq-tftp[9]: file /srv/tftp/CTLSEP000E84C060A6.tlv not found for 192.0.2.106',
        'Nov 26 08:03:37 tftp dnsmasq-tftp[9]: sent /srv/tftp/SEP000E84C060A6.cnf.xml to 192.0.2.106',
        'Nov 26 08:03:37 tftp dnsmasq-tftp[9]: sent /srv/tftp/P0S3-8-12-00.loads to 192.0.2.106',
        'Nov 26 08:03:37 tftp dnsmasq-tftp[9]: sent /srv/tftp/P003-8-12-00.sbn to 192.0.2.106',
        'Nov 26 08:03:37 tftp dnsmasq-tftp[9]: file /srv/tftp/P0S3-8-12-00.sb2 not found for 192.0.2.106',
        '',
      ].join('\n'),
    );
    const withLog = await analyse({ captures: [bundle('loads-part-missing', 'capture.pcap')], serverLogs: [log] });
    const alone = await analyse({ captures: [bundle('loads-part-missing', 'capture.pcap')] });
    assert.deepEqual(withLog.report.phones[0]?.requests, alone.report.phones[0]?.requests);
    const ids = withLog.report.findings.map((f) => f.id);
    assert.ok(ids.includes('LOADS_PART_MISSING') && !ids.includes('CAPTURE_MISSES_PHONE'), ids.join(', '));
    const loads = withLog.report.findings.find((f) => f.id === 'LOADS_PART_MISSING')!;
    assert.ok(
      loads.evidence.some((e) => e.source === 'server-log' && e.line === 6),
      "the log's not-found line is evidence beside the packet",
    );
  });

  it("an rsyslog log with the CR of a name escaped as #015 matches the capture's request: no false CAPTURE_MISSES_PHONE", async () => {
    const escaped = write(
      'tftpd-escaped.log',
      readFileSync(bundle('os79xx-trailing-space', 'tftpd.log'), 'latin1').replace(/\r/g, '#015'),
    );
    const analysis = await analyse({
      captures: [bundle('os79xx-trailing-space', 'capture.pcap')],
      serverLogs: [escaped],
    });
    const ids = analysis.report.findings.map((f) => f.id);
    assert.ok(!ids.includes('CAPTURE_MISSES_PHONE'), ids.join(', '));
    const notFound = analysis.report.findings.find((f) => f.id === 'IMAGE_NOT_FOUND');
    assert.ok(
      notFound?.evidence.some((e) => e.source === 'server-log'),
      'the log line is evidence for the request the capture saw',
    );
  });
});

describe('line counts and INPUT_NOT_UNDERSTOOD', () => {
  it('lists lines read, used and not understood per log, in every report format', async () => {
    const log = write(
      'mixed.log',
      [
        'Nov 26 08:03:37 tftpserver in.tftpd[25763]: RRQ from 192.0.2.106 filename SEP000E84C060A6.cnf.xml',
        'Nov 26 08:03:37 tftpserver sshd[1]: Accepted publickey for root',
        '',
        'Nov 26 08:03:37 tftpserver in.tftpd[25764]: RRQ from 192.0.2.106 filename',
        'P0S3-8-12-00.loads',
        'Nov 26 08:03:38 tftpserver cron[2]: (root) CMD (true)',
      ].join('\n'),
    );
    const analysis = await analyse({ serverLogs: [log] });
    const input = analysis.report.inputs.find((i) => i.path === log);
    assert.deepEqual(input?.lines, {
      read: 5,
      used: 3,
      notUnderstood: 2,
      firstNotUnderstood: [
        { line: 2, text: 'Nov 26 08:03:37 tftpserver sshd[1]: Accepted publickey for root' },
        { line: 6, text: 'Nov 26 08:03:38 tftpserver cron[2]: (root) CMD (true)' },
      ],
    });
    assert.ok(!analysis.report.findings.some((f) => f.id === 'INPUT_NOT_UNDERSTOOD'));
    const sentence = '5 lines read, 3 used, 2 not understood (first: lines 2, 6)';
    assert.ok(renderAnalysisText(analysis).replace(/\s+/g, ' ').includes(sentence), 'text');
    assert.ok(renderAnalysisMarkdown(analysis).includes(sentence), 'markdown');
    assert.ok(renderAnalysisHtml(analysis).includes(sentence), 'html');
  });

  it('a server log of which nothing is understood is a warning naming the file, the counts and its first lines', async () => {
    const log = write('not-a-log.log', 'Subject: phone broken\nHello, the phone does not boot.\nRegards\n');
    const analysis = await analyse({ serverLogs: [log] });
    const warning = analysis.report.findings.find((f) => f.id === 'INPUT_NOT_UNDERSTOOD');
    assert.ok(warning);
    assert.equal(warning.severity, 'warning');
    assert.deepEqual(
      warning.evidence.map((e) => [e.file, e.line, e.text]),
      [
        [log, 1, 'Subject: phone broken'],
        [log, 2, 'Hello, the phone does not boot.'],
        [log, 3, 'Regards'],
      ],
    );
    assert.match(warning.explanation, /3 lines read, 0 understood/);
  });

  it('a console of which no line is recognised gets the same warning; a phone console does not', async () => {
    const text = write(
      'console-foreign.log',
      'GNU GRUB version 2.06\nBooting a command list\nLoading Linux 6.1.0 ...\n',
    );
    const foreign = await analyse({ consoles: [text] });
    assert.ok(
      foreign.report.findings.some((f) => f.id === 'INPUT_NOT_UNDERSTOOD' && f.evidence[0]?.source === 'console'),
    );
    const phone = await analyse({ consoles: [bundle('loads-part-missing', 'console-sep000e84c060a6.log')] });
    assert.ok(!phone.report.findings.some((f) => f.id === 'INPUT_NOT_UNDERSTOOD'));
    assert.ok((phone.report.inputs[0]?.lines?.used ?? 0) > 0);
  });
});
