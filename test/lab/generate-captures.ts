/**
 * Regenerates every bundle in captures/ from test/lab/scenarios/ (as root), then the README
 * table. Repeatable: the same scenario gives the same requests and answers; times, ports,
 * DHCP transaction ids, leased addresses' order and tftpd pids differ between runs.
 *
 *   npx tsx test/lab/generate-captures.ts [SCENARIO ...]
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CAPTURES_DIR, loadScenario, runScenario, SCENARIO_DIR } from './run-scenario.js';

const README_HEAD = `# Lab bundles

Each folder is one scenario of \`test/lab/scenarios/\`, run by \`test/lab/run-scenario.ts\` with real
dnsmasq (DHCP) and tftpd-hpa -vvv in network namespaces (one segment, 192.0.2.0/24) and one
or more **simulated** 7940/7960 phones (\`test/lab/phone/\`). Regenerate all as root with
\`npx tsx test/lab/generate-captures.ts\`.

Files of a bundle: \`capture.pcap\` (tcpdump on the server's link, whole frames from before the
phones start, except where a scenario cuts frames with a snap length, starts the capture late or cuts
the file part-way;
\`capture.pcapng\` too where marked), \`console-<phone>.log\` (the simulated phone's console:
SIMULATED text, marked so in its header line), \`tftpd.log\` (tftpd-hpa's syslog, TZ=UTC, host
\`tftpserver\`), \`dnsmasq.log\` (--log-dhcp), \`tftp-root.txt\` (mode, size, SHA-256 of each served
file), \`tftp-root/\` (the served files; images are dummies), \`expected.json\` (finding IDs
\`phonedoc analyze\` must and must not report, and what each phone did).

| Scenario | What happens | Must report | Must not report | Phones' end |
| --- | --- | --- | --- | --- |
`;

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const all = (await readdir(SCENARIO_DIR))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${all.join(', ')}`);
  for (const name of wanted.length > 0 ? wanted : all) {
    process.stdout.write(`${name} ... `);
    const run = await runScenario(await loadScenario(name), path.join(CAPTURES_DIR, name));
    process.stdout.write(
      `${run.reports.map((r) => `${r.name}: ${r.requests.length} requests${r.stoppedWith ? `, ${r.stoppedWith}` : ''}`).join('; ')}\n`,
    );
  }
  const rows: string[] = [];
  for (const name of all) {
    const expected = JSON.parse(
      await readFile(path.join(CAPTURES_DIR, name, 'expected.json'), 'utf8').catch(() => 'null'),
    ) as {
      description: string;
      report: string[];
      notReport: string[];
      phones: { name: string; image: string; stoppedWith?: string }[];
    } | null;
    if (!expected) continue;
    const ends = expected.phones.map((p) => `${p.name}: ${p.stoppedWith ?? `runs ${p.image}`}`).join('<br>');
    rows.push(
      `| [${name}](${name}/) | ${expected.description} | ` +
        `${expected.report.join(', ')} | ${expected.notReport.join(', ')} | ${ends} |\n`,
    );
  }
  await writeFile(path.join(CAPTURES_DIR, 'README.md'), README_HEAD + rows.join(''));
}

main().catch((err: unknown) => {
  process.stderr.write(`captures: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
