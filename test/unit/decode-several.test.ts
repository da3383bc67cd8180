/**
 * decode and transfers over several captures and for one phone (--phone MAC), and DHCP
 * options named as well as numbered in their text output.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers.js';
import { runCli } from '../run-cli.js';

const capture = (name: string): string => path.join(repoRoot, 'captures', name, 'capture.pcap');
const SITE = capture('site-three-phones-one-fails');
const SITE_MACS = (
  JSON.parse(
    readFileSync(path.join(repoRoot, 'test', 'lab', 'scenarios', 'site-three-phones-one-fails.json'), 'utf8'),
  ) as { phones: { mac: string }[] }
).phones.map((p) => p.mac);

async function phonedoc(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const run = await runCli(...args);
  assert.equal(run.stderr, '', args.join(' '));
  return run;
}
const lines = (text: string): string[] => text.split('\n').filter(Boolean);
const jsonLines = (text: string): Record<string, unknown>[] =>
  lines(text).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('several captures', () => {
  const files = [capture('loads-part-missing'), capture('dhcp-no-offer')];
  for (const command of ['decode', 'transfers']) {
    it(`${command}: each capture's lines under a heading in text, with a file field in JSONL, as each alone`, async () => {
      const text = (await phonedoc(command, ...files)).stdout;
      const alone = await Promise.all(
        files.map(async (f) => ({
          f,
          text: (await phonedoc(command, f)).stdout,
          jsonl: (await phonedoc(command, '--format', 'jsonl', f)).stdout,
        })),
      );
      assert.equal(text, alone.map((a) => `==> ${a.f} <==\n${a.text}`).join(''));
      const jsonl = jsonLines((await phonedoc(command, '--format', 'jsonl', ...files)).stdout);
      assert.deepEqual(
        jsonl,
        alone.flatMap((a) => jsonLines(a.jsonl).map((r) => ({ file: a.f, ...r }))),
      );
    });
  }
});

describe('--phone MAC', () => {
  it('decode: each phone of a three-phone site gets its own packets, together all of them', async () => {
    const all = lines((await phonedoc('decode', SITE)).stdout);
    const perPhone = await Promise.all(
      SITE_MACS.map(async (mac) =>
        lines((await phonedoc('decode', '--phone', mac.replace(/:/g, '').toUpperCase(), SITE)).stdout),
      ),
    );
    for (const [i, own] of perPhone.entries()) {
      assert.ok(own.length > 0, SITE_MACS[i]);
      for (const l of own.filter((x) => / DHCP /.test(x))) assert.ok(l.includes(`chaddr ${SITE_MACS[i]}`), l);
    }
    assert.deepEqual(perPhone.flat().sort(), [...all].sort());
  });

  it("transfers: a phone's DHCP exchanges and its transfers, from the address its DHCP gave it", async () => {
    const all = jsonLines((await phonedoc('transfers', '--format', 'jsonl', SITE)).stdout);
    const perPhone = await Promise.all(
      SITE_MACS.map(async (mac) =>
        jsonLines((await phonedoc('transfers', '--format', 'jsonl', '--phone', mac, SITE)).stdout),
      ),
    );
    for (const [i, rows] of perPhone.entries()) {
      const exchanges = rows.filter((r) => r.type === 'dhcp-exchange') as {
        client: string;
        answers: { yiaddr?: string }[];
      }[];
      assert.ok(exchanges.length > 0 && exchanges.every((e) => e.client === SITE_MACS[i]));
      const address = exchanges.flatMap((e) => e.answers.map((a) => a.yiaddr)).find(Boolean);
      const transfers = rows.filter((r) => r.type === 'tftp-transfer');
      assert.ok(transfers.length > 0 && transfers.every((t) => t.client === address), `${SITE_MACS[i]}: ${address}`);
    }
    assert.equal(perPhone.flat().length, all.length);
  });
});

it('text output names DHCP options as well as numbering them, from the option table', async () => {
  const decode = (await phonedoc('decode', capture('loads-part-missing'))).stdout;
  assert.match(
    decode,
    /DHCP OFFER .*\| 54 server-identifier=192\.0\.2\.1; .*150 tftp-server-address=192\.0\.2\.1; 66 tftp-server-name="192\.0\.2\.1\\u0000"/,
  );
  const transfers = (await phonedoc('transfers', capture('loads-part-missing'))).stdout;
  assert.match(
    transfers,
    /OFFER from 192\.0\.2\.1 192\.0\.2\.\d+ \(66 tftp-server-name="192\.0\.2\.1\\u0000"; 150 tftp-server-address=192\.0\.2\.1; siaddr=192\.0\.2\.1\)/,
  );
});
