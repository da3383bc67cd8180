/**
 * Runs a few lab scenarios live in network namespaces (needs root: CI runs it as root) and
 * checks the capture with tshark: the phone's DHCP with option 60 and the server's answers,
 * every read request the phone reports is on the wire and answered (DATA or ERROR), and the
 * tftpd-hpa syslog names the same requests as the capture. A phone that remembers an address
 * from another subnet is refused it (NAK) by the real dnsmasq and starts over; a transfer the
 * lab stalls ends on the wire at the block the scenario names. The log the real dnsmasq wrote
 * (--log-dhcp) is read whole: no line left not understood, each phone's ACK among its lines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { requireTool } from '../helpers.js';
import { loadScenario, runScenario } from '../lab/run-scenario.js';
import { renderAnalysisText } from '../../src/views/analysis-text.js';

const LIVE = [
  'sip-812-boot',
  'loads-part-missing',
  'site-three-phones-one-fails',
  'dhcp-nak-init-reboot',
  'tftp-transfer-stalls',
  'console-time-zone-behind',
  'console-screen-notes-ahead',
];

/** The read requests of the real SIP 8.12 boot in the tftpd-hpa log of phone-facts 2.1, in order. */
const REAL_812_BOOT = [
  'CTLSEP000E84C060A6.tlv',
  'SEP000E84C060A6.cnf.xml',
  'P0S3-8-12-00.loads',
  'SIPDefault.cnf',
  './SIP000E84C060A6.cnf',
  'RINGLIST.DAT',
  'dialplan.xml',
];

function tshark(file: string, filter: string, fields: string[]): string[][] {
  const out = execFileSync(
    'tshark',
    ['-n', '-r', file, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

for (const name of LIVE) {
  test(`live scenario ${name}`, { timeout: 120_000 }, async (t) => {
    if (process.getuid?.() !== 0) {
      if (process.env.CI === 'true') throw new Error('the live lab needs root under CI');
      t.skip('needs root (network namespaces)');
      return;
    }
    for (const [tool, pkg] of [
      ['tshark', 'tshark'],
      ['dnsmasq', 'dnsmasq-base'],
      ['in.tftpd', 'tftpd-hpa'],
      ['tcpdump', 'tcpdump'],
    ] as const) {
      if (!requireTool(t, tool, pkg)) return;
    }
    const out = mkdtempSync(path.join(os.tmpdir(), 'lab-live-'));
    try {
      const scenario = await loadScenario(name);
      const run = await runScenario(scenario, out);
      const cap = path.join(out, 'capture.pcap');

      // DHCP: each phone's DISCOVER carries option 60 of its model, and a server answered with an ACK.
      for (const phone of scenario.phones) {
        const discovers = tshark(cap, `dhcp.option.dhcp == 1 && eth.src == ${phone.mac}`, [
          'dhcp.option.vendor_class_id',
        ]);
        assert.ok(discovers.length > 0, `${phone.name}: no DISCOVER`);
        assert.match(discovers[0]?.[0] ?? '', new RegExp(`Cisco Systems, Inc\\. IP Phone CP-${phone.model}G`));
        assert.ok(
          tshark(cap, `dhcp.option.dhcp == 5 && dhcp.hw.mac_addr == ${phone.mac}`, ['frame.number']).length > 0,
          `${phone.name}: no ACK`,
        );
      }

      // TFTP: what the phones report having asked for is what tshark sees, each answered.
      const rrqs = tshark(cap, 'tftp.opcode == 1', ['ip.src', 'tftp.source_file']);
      const reported = run.reports.flatMap((r) => r.requests.map((q) => `${r.address} ${q.file}`)).sort();
      assert.deepEqual(rrqs.map(([ip, f]) => `${ip} ${f}`).sort(), reported);
      const answers = tshark(cap, 'tftp.opcode == 3 || tftp.opcode == 5', ['ip.dst']);
      for (const r of run.reports) {
        if (r.requests.length > 0)
          assert.ok(
            answers.some(([dst]) => dst === r.address),
            `${r.name}: the server never answered`,
          );
      }
      for (const r of run.reports) {
        for (const q of r.requests.filter((x) => x.outcome.startsWith('error'))) {
          const code = q.outcome.split(' ')[1];
          assert.ok(
            tshark(cap, `tftp.opcode == 5 && tftp.error.code == ${code} && ip.dst == ${r.address}`, ['frame.number'])
              .length > 0,
            `${q.file}: no ERROR ${code}`,
          );
        }
      }

      // The phone follows the boot-flow model; on the 8.12 boot that is the real log's order.
      if (name === 'sip-812-boot')
        assert.deepEqual(
          rrqs.map(([, f]) => f),
          REAL_812_BOOT,
        );

      // INIT-REBOOT (RFC 2131 4.3.2): a REQUEST for the old address with no server identifier, a NAK, then DISCOVER.
      for (const phone of scenario.phones.filter((p) => p.previousAddress)) {
        const dhcp = tshark(cap, `dhcp && dhcp.hw.mac_addr == ${phone.mac}`, [
          'frame.number',
          'dhcp.option.dhcp',
          'dhcp.option.requested_ip_address',
          'dhcp.option.dhcp_server_id',
        ]);
        assert.deepEqual(
          dhcp[0]?.slice(1),
          ['3', phone.previousAddress, ''],
          `${phone.name}: not an INIT-REBOOT request first`,
        );
        assert.equal(dhcp[1]?.[1], '6', `${phone.name}: no NAK to the INIT-REBOOT request`);
        assert.equal(dhcp[2]?.[1], '1', `${phone.name}: no DISCOVER after the NAK`);
      }

      // The stalled transfer: DATA goes up to the block named and no further; the phone gives up.
      if (scenario.tftpStallAfterBlock !== undefined) {
        const blocks = tshark(cap, 'tftp.opcode == 3', ['tftp.block']).map(([b]) => Number(b));
        assert.equal(Math.max(...blocks), scenario.tftpStallAfterBlock);
        const stalled = run.reports.flatMap((r) => r.requests).filter((q) => q.outcome === 'timeout');
        assert.equal(stalled.length, 1, 'one transfer given up');
        const acks = tshark(cap, `tftp.opcode == 4 && tftp.block == ${scenario.tftpStallAfterBlock}`, ['frame.number']);
        assert.ok(acks.length > 1, 'the phone did not resend its last ACK');
      }

      // The server log names the same requests as the capture.
      const log = readFileSync(path.join(out, 'tftpd.log'), 'utf8');
      const logged = [...log.matchAll(/RRQ from (\S+) filename (.+)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
      assert.deepEqual(logged, rrqs.map(([ip, f]) => `${ip} ${f}`).sort());

      // A console in another zone or noted from the screen: lined up, and said so.
      const want = scenario.expect.consoleOffset;
      if (want) {
        const consoles = run.files.filter((f) => /^console-.*\.log$/.test(f)).map((f) => path.join(out, f));
        const { analysis } = await analyzeFiles(
          { captures: [cap], consoles, serverLogs: [path.join(out, 'tftpd.log')] },
          { version: 'test' },
          () => {},
        );
        const clock = analysis.clocks.find((c) => c.source === 'console')!;
        assert.equal(clock.method, want.method, clock.detail);
        assert.ok(
          Math.abs(clock.offsetSeconds - want.seconds) <= want.within,
          `offset ${clock.offsetSeconds}, expected ${want.seconds} ± ${want.within}`,
        );
        assert.ok(analysis.report.findings.some((f) => f.id === 'CLOCKS_UNALIGNED'));
        assert.ok(!/^\s+[> ] \?/m.test(renderAnalysisText(analysis)), 'no line without a time in the timeline');
      }
      // The real dnsmasq's log: every line understood, and its DHCP lines placed on the capture's clock.
      const dnsmasqLog = path.join(out, 'dnsmasq.log');
      const { analysis } = await analyzeFiles(
        { captures: [cap], consoles: [], serverLogs: [dnsmasqLog] },
        { version: 'test' },
        () => {},
      );
      const lines = analysis.report.inputs.find((i) => i.path === dnsmasqLog)?.lines;
      assert.ok(lines && lines.read > 0, 'dnsmasq wrote its log');
      assert.deepEqual(lines.firstNotUnderstood, [], 'every line of the real dnsmasq log is understood');
      assert.ok(!analysis.report.findings.some((f) => f.id === 'INPUT_NOT_UNDERSTOOD'));
      assert.equal(
        analysis.clocks.find((c) => c.file === dnsmasqLog)?.method,
        'matched-events',
        'the log lines up with the capture by its DHCP messages',
      );
      for (const phone of scenario.phones) {
        const mac = phone.mac.toLowerCase();
        const timeline = analysis.phones.find((p) => p.phone.mac === mac)?.timeline ?? [];
        assert.ok(
          timeline.some((e) => e.source === 'server-log' && /DHCPACK/.test(e.text)),
          `${phone.name}: the logged ACK is in its timeline`,
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
