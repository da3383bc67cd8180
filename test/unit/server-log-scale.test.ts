/**
 * A busy host's syslog as a server log: thousands of lines of other programs around the few
 * about a phone. The phone's story comes out whole; the other lines are counted, the first few
 * listed, never kept; lines cut at the line cap are counted with the first few named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { LINE_CAP_BYTES } from '../../src/sources/text-file.js';

const work = mkdtempSync(path.join(tmpdir(), 'phonedoc-server-log-scale-'));
after(() => rmSync(work, { recursive: true, force: true }));

const PHONE_LINES = [
  'dnsmasq-dhcp[811]: DHCPDISCOVER(eth1) 00:0e:84:c0:60:a6',
  'dnsmasq-dhcp[811]: DHCPOFFER(eth1) 192.0.2.106 00:0e:84:c0:60:a6',
  'dnsmasq-dhcp[811]: DHCPREQUEST(eth1) 192.0.2.106 00:0e:84:c0:60:a6',
  'dnsmasq-dhcp[811]: DHCPACK(eth1) 192.0.2.106 00:0e:84:c0:60:a6 SEP000E84C060A6',
  'dnsmasq-tftp[811]: sent /srv/tftp/OS79XX.TXT to 192.0.2.106',
  'dnsmasq-tftp[811]: sent /srv/tftp/SIP000E84C060A6.cnf to 192.0.2.106',
];
const OTHER_PROGRAMS = [
  (i: number) => `kernel: [${i}.000000] IPv4: martian source 10.0.0.${i % 250} from 10.0.1.9, on dev eth0`,
  (i: number) => `CRON[${1000 + i}]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)`,
  (i: number) => `sshd[${2000 + i}]: Accepted publickey for admin from 198.51.100.${i % 250} port ${40000 + i} ssh2`,
  (i: number) => `systemd[1]: Started Session ${i} of user admin.`,
];

function syslog(others: number): string {
  const lines: string[] = [];
  const stamp = (i: number) =>
    `Dec  7 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} gw`;
  for (let i = 0; i < others; i++) {
    if (i === others / 2) for (const line of PHONE_LINES) lines.push(`${stamp(i)} ${line}`);
    lines.push(`${stamp(i)} ${OTHER_PROGRAMS[i % OTHER_PROGRAMS.length]!(i)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function analyse(file: string, warnings: string[] = []) {
  const { analysis } = await analyzeFiles(
    { captures: [], consoles: [], serverLogs: [file] },
    { version: 'test' },
    (w) => warnings.push(w),
  );
  return analysis;
}

describe('a busy host syslog as the server log', () => {
  it("tells the phone's story and counts the other programs' lines, listing only the first few", async () => {
    const others = 4000;
    const file = path.join(work, 'syslog');
    writeFileSync(file, syslog(others));
    const { report, phones } = await analyse(file);
    assert.deepEqual(
      report.phones.map((p) => p.mac),
      ['00:0e:84:c0:60:a6'],
    );
    const timeline = phones[0]?.timeline.map((row) => row.text) ?? [];
    for (const line of ['DHCPACK(eth1) 192.0.2.106', 'sent /srv/tftp/SIP000E84C060A6.cnf'])
      assert.ok(
        timeline.some((text) => text.includes(line)),
        `timeline holds ${line}`,
      );
    assert.ok(!timeline.some((text) => /sshd|CRON|martian/.test(text)), 'no line of another program in the timeline');
    const lines = report.inputs.find((i) => i.kind === 'server-log')?.lines;
    assert.equal(lines?.read, others + PHONE_LINES.length);
    assert.equal(lines?.notUnderstood, others);
    assert.ok(lines && lines.firstNotUnderstood.length <= 5 && lines.firstNotUnderstood.length > 0);
    assert.equal(lines?.firstNotUnderstood[0]?.line, 1);
  });

  it('counts every line cut at the line cap and names only the first few', async () => {
    const file = path.join(work, 'long-lines');
    const long = `Dec  7 10:00:00 gw sshd[1]: ${'x'.repeat(LINE_CAP_BYTES + 10)}`;
    writeFileSync(file, `${[PHONE_LINES[0], ...Array.from({ length: 8 }, () => long)].join('\n')}\n`);
    const warnings: string[] = [];
    await analyse(file, warnings);
    assert.ok(
      warnings.some((w) => w.includes('8 line(s) longer than') && w.includes('(line 2, 3, 4, 5, 6, ...)')),
      warnings.join('\n'),
    );
  });
});
