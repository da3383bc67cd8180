/**
 * `analyze` (from what a phone asked for) and `lint` (from what it will ask of the TFTP root)
 * report a fault they both see in the same words: on a lab bundle, the finding analyze makes
 * and the one lint makes of the bundle's TFTP root have the same explanation and fix.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import type { Finding } from '../../src/findings/finding.js';
import { runningRelease } from '../../src/flows/phone.js';
import type { RunningImage } from '../../src/flows/phone.js';
import { lintTftpRoot } from '../../src/lint/lint.js';
import { repoRoot } from '../helpers.js';

const release = (text: string): RunningImage => {
  const parsed = parseProtocolVersion(text);
  assert.ok(parsed, text);
  return runningRelease(parsed);
};

async function analyzed(bundle: string, id: string): Promise<Finding | undefined> {
  const dir = path.join(repoRoot, 'captures', bundle);
  const files = readdirSync(dir);
  const { analysis } = await analyzeFiles(
    {
      captures: files.filter((f) => /^capture\.pcap$/.test(f)).map((f) => path.join(dir, f)),
      consoles: files.filter((f) => /^console-.*\.log$/.test(f)).map((f) => path.join(dir, f)),
      serverLogs: ['tftpd.log', 'dnsmasq.log'].filter((f) => files.includes(f)).map((f) => path.join(dir, f)),
      tftpRoot: path.join(dir, 'tftp-root'),
    },
    { version: 'test' },
    () => {},
  );
  return analysis.report.findings.find((f) => f.id === id);
}

describe('analyze and lint tell a fault they both see in the same words', () => {
  it('OS79XX.TXT missing for a phone to convert: the same file to create, with the same line', async () => {
    const seen = await analyzed('os79xx-missing', 'OS79XX_MISSING');
    const mac = parseMac('000E84C060A6');
    assert.ok(mac);
    const predicted = lintTftpRoot(path.join(repoRoot, 'captures', 'os79xx-missing', 'tftp-root'), {
      macs: [mac],
      current: release('SCCP 3.3(3)'),
      target: release('SIP 2.3'),
    }).findings.find((f) => f.id === 'OS79XX_MISSING');
    assert.ok(seen && predicted);
    assert.match(seen.fix[0] ?? '', /^Create OS79XX\.TXT holding the single line P0S30203/);
    assert.deepEqual(predicted.fix, seen.fix);
    assert.equal(predicted.explanation, seen.explanation);
  });

  it('SIPDefault.cnf too large for SIP 2.2: the same file to cut down, to the same image line', async () => {
    const seen = await analyzed('sip-22-w210-risk', 'BUFFER_FULL_W210_RISK');
    const predicted = lintTftpRoot(path.join(repoRoot, 'captures', 'sip-22-w210-risk', 'tftp-root'), {
      current: release('SIP 2.2'),
    }).findings.find((f) => f.id === 'BUFFER_FULL_W210_RISK');
    assert.ok(seen && predicted);
    assert.match(seen.fix[0] ?? '', /^Reduce SIPDefault\.cnf to the single line image_version: P0S30202/);
    assert.deepEqual(predicted.fix, seen.fix);
    assert.equal(predicted.explanation, seen.explanation);
  });
});
