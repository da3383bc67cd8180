import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import { runningRelease } from '../../src/flows/phone.js';
import type { PhoneSpec } from '../../src/flows/phone.js';
import { predictBoot } from '../../src/flows/predict.js';
import type { BootPrediction } from '../../src/flows/predict.js';
import { memoryLookup } from '../../src/flows/tftp-lookup.js';
import { fixture } from '../helpers.js';

const running = (spec: string) => runningRelease(parseProtocolVersion(spec)!);
const mac = parseMac('000E84C060A6')!;
const requests = (p: BootPrediction): string[] => p.boots.flatMap((b) => b.requests.map((r) => r.file));
const answered = (p: BootPrediction): string[] =>
  p.boots.flatMap((b) => b.requests.map((r) => `${r.file} ${r.answer}`));

/** The LKML-TEO configuration files (test/fixtures/provisioning/lkml-teo) and stand-ins for the SIP 8.12 zip. */
function lkmlFiles(): Record<string, string | Uint8Array> {
  const dir = fixture('provisioning', 'lkml-teo');
  const files: Record<string, string | Uint8Array> = {};
  for (const name of readdirSync(dir)) if (name !== 'SOURCE.md') files[name] = readFileSync(`${dir}/${name}`);
  for (const name of ['P0S3-8-12-00.loads', 'P0S3-8-12-00.sb2', 'P003-8-12-00.bin', 'P003-8-12-00.sbn'])
    files[name] = 'image';
  return files;
}

// phone-facts 2.1: tftpd-hpa log of the 7960 booting SIP 8.12 with these very files.
const LKML_LOG = `
RRQ from 192.168.1.130 filename CTLSEP000E84C060A6.tlv
Client 192.168.1.130 File not found CTLSEP000E84C060A6.tlv
RRQ from 192.168.1.130 filename SEP000E84C060A6.cnf.xml
RRQ from 192.168.1.130 filename P0S3-8-12-00.loads
RRQ from 192.168.1.130 filename SIPDefault.cnf
RRQ from 192.168.1.130 filename ./SIP000E84C060A6.cnf
RRQ from 192.168.1.130 filename RINGLIST.DAT
RRQ from 192.168.1.130 filename dialplan.xml`;

describe('boot-flow model', () => {
  it('predicts the real SIP 8.12 boot of facts 2.1, request for request, with the CTL miss', () => {
    const prediction = predictBoot({ mac, model: '7960', running: running('SIP 8.12') }, memoryLookup(lkmlFiles()));
    const logged = LKML_LOG.trim()
      .split('\n')
      .filter((l) => l.startsWith('RRQ'))
      .map((l) => l.split('filename ')[1]);
    assert.deepEqual(requests(prediction), logged);
    assert.equal(prediction.boots[0]!.requests[0]!.answer, 'not-found');
    assert.equal(prediction.end, 'settled');
    assert.equal(prediction.flow, 'sip-boot');
    assert.equal(prediction.decision, undefined, 'the phone already runs the image the files name');
  });

  it("follows the seed's flow 1 (old SCCP to SIP): OS79XX.TXT, <content>.bin, then SIPDefault.cnf and SIP<MAC>.cnf on the new image", () => {
    const files = {
      'OS79XX.TXT': 'P0S30203\n',
      'P0S30203.bin': 'image',
      'SIPDefault.cnf': 'image_version: P0S30203\n',
      'SIP000E84C060A6.cnf': 'line1_name: "1"\n',
    };
    const prediction = predictBoot({ mac, running: running('SCCP 3.3(3)') }, memoryLookup(files));
    assert.deepEqual(requests(prediction).slice(0, 5), [
      'OS79XX.TXT',
      'P0S30203.bin',
      'OS79XX.TXT',
      'SIPDefault.cnf',
      'SIP000E84C060A6.cnf',
    ]);
    assert.equal(prediction.flow, 'sccp-to-sip-os79xx');
    assert.equal(prediction.final?.image, 'P0S30203');
    assert.equal(prediction.decision?.source.file, 'OS79XX.TXT');
    assert.equal(prediction.decision?.legalStep, true);
  });

  it("asks for OS79XX.TXT's line exactly as written, blanks and CR included (CSCdv19260)", () => {
    const files = { 'OS79XX.TXT': 'P0S30203 \r\n', 'P0S30203.bin': 'image' };
    const prediction = predictBoot({ mac, running: running('SCCP 3.3(3)') }, memoryLookup(files));
    assert.deepEqual(answered(prediction), ['OS79XX.TXT found', 'P0S30203 \r.bin not-found']);
    assert.equal(prediction.end, 'image-not-found');
  });

  it("goes through the loader named in OS79XX.TXT: loader .bin, then the loader's hunt, the .loads and the .sb2", () => {
    const prediction = predictBoot({ mac, model: '7960', running: running('SCCP 5.0(2)') }, memoryLookup(lkmlFiles()));
    assert.deepEqual(requests(prediction).slice(0, 6), [
      'OS79XX.TXT',
      'P003-8-12-00.bin',
      'CTLSEP000E84C060A6.tlv',
      'SEP000E84C060A6.cnf.xml',
      'P0S3-8-12-00.loads',
      'P0S3-8-12-00.sb2',
    ]);
    assert.deepEqual(
      prediction.boots.map((b) => b.running.protocol),
      ['SCCP', 'loader', 'SIP'],
    );
    assert.equal(prediction.flow, 'sccp-to-sip-loader');
    assert.equal(prediction.final?.image, 'P0S3-8-12-00');
  });

  it('converts SIP 8.12 to SCCP by loadInformation: the .loads, the signed loader (.sbn), the .sb2, then the SCCP boot', () => {
    const files = {
      'SEP000E84C060A6.cnf.xml':
        '<device><loadInformation7 model="IP Phone 7960">P00308010200</loadInformation7></device>',
      'P00308010200.loads': 'x',
      'P00308010200.sbn': 'x',
      'P00308010200.bin': 'x',
      'P00308010200.sb2': 'x',
    };
    const prediction = predictBoot({ mac, model: '7960', running: running('SIP 8.12') }, memoryLookup(files));
    assert.deepEqual(requests(prediction).slice(1, 5), [
      'SEP000E84C060A6.cnf.xml',
      'P00308010200.loads',
      'P00308010200.sbn',
      'P00308010200.sb2',
    ]);
    assert.equal(prediction.flow, 'sip-to-sccp-config');
    assert.equal(prediction.final?.protocol, 'SCCP');
    // A 7940 reads loadInformation8 only: this file names nothing for it.
    const for7940 = predictBoot({ mac, model: '7940', running: running('SIP 8.12') }, memoryLookup(files));
    assert.equal(for7940.flow, 'sip-boot');
  });

  it('reads gkdefault.cfg on SIP 6.x and fetches the upgradecode image (seed "SIP 5.x, 6.x to SCCP")', () => {
    const files = {
      'gkdefault.cfg': new Uint8Array([0, 1, 2]),
      'gkdefault.txt': 'upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x051117a,CP7940080001SCCP051117A.sbin\n',
      'CP7940080001SCCP051117A.sbin': 'x',
      'SIPDefault.cnf': 'proxy1_address: "192.0.2.10"\n',
    };
    const prediction = predictBoot({ mac, running: running('SIP 6.3') }, memoryLookup(files));
    const first = prediction.boots[0]!;
    assert.deepEqual(
      first.requests.map((r) => r.file),
      ['OS79XX.TXT', 'SIPDefault.cnf', 'SIP000E84C060A6.cnf', 'gkdefault.cfg', 'CP7940080001SCCP051117A.sbin'],
    );
    assert.equal(first.decision?.file, 'gkdefault.txt');
    assert.equal(prediction.flow, 'sip-to-sccp-gkdefault');
    assert.ok(prediction.assumptions.includes('GKDEFAULT_AFTER_SIP_CONFIG'));
  });

  it('before the loader era OS79XX.TXT wins; from SIP 7.x it is not even asked for', () => {
    const files = {
      'OS79XX.TXT': 'P0S3-07-5-00\n',
      'P0S3-07-5-00.bin': 'x',
      'P0S3-07-5-00.loads': 'x',
      'P0S3-07-5-00.sb2': 'x',
      'P003-07-5-00.sbn': 'x',
      'SIPDefault.cnf': 'image_version: "P0S3-07-4-00"\n',
      'P0S3-07-4-00.loads': 'x',
      'P0S3-07-4-00.sb2': 'x',
      'P003-07-4-00.sbn': 'x',
    };
    const old = predictBoot({ mac, running: running('SIP 6.3') }, memoryLookup(files));
    assert.equal(old.decision?.source.file, 'OS79XX.TXT');
    assert.equal(old.boots[0]!.next?.image, 'P0S3-07-5-00');
    const recent = predictBoot({ mac, running: running('SIP 7.5') }, memoryLookup(files));
    assert.ok(!requests(recent).includes('OS79XX.TXT'));
    assert.equal(recent.decision?.source.file, 'SIPDefault.cnf');
    assert.equal(recent.decision?.to?.image, 'P0S3-07-4-00');
  });

  it('sees that SIP 6.3 cannot load 8.12 directly and names 7.x as the step between (CME sequence, facts 4.3)', () => {
    const prediction = predictBoot({ mac, model: '7960', running: running('SIP 6.3') }, memoryLookup(lkmlFiles()));
    assert.equal(prediction.end, 'refused');
    assert.equal(prediction.refusal?.kind, 'not-a-legal-step');
    assert.equal(prediction.decision?.legalStep, false);
    assert.match(prediction.decision!.path!.steps[0]!.image, /^P0S3-07-/);
  });

  it('refuses a long SCCP name on SIP 2.1 (seed: 8.3 names only)', () => {
    const files = { 'OS79XX.TXT': 'P00308010200\n', 'P00308010200.bin': 'x' };
    const prediction = predictBoot({ mac, running: running('SIP 2.1') }, memoryLookup(files));
    assert.equal(prediction.refusal?.kind, 'name-not-8.3');
    assert.equal(prediction.refusal?.to.protocol, 'SCCP');
    const short = predictBoot(
      { mac, running: running('SIP 2.1') },
      memoryLookup({ 'OS79XX.TXT': 'P0S30203\n', 'P0S30203.bin': 'x' }),
    );
    assert.equal(short.end, 'settled');
  });

  it('on SIP 2.x a SIPDefault.cnf above the W210 limit is not read, so its image_version is not seen', () => {
    const big = `image_version: P0S30203\n${'# padding line of a long Cisco sample file\n'.repeat(40)}`;
    const files = { 'SIPDefault.cnf': big, 'P0S30203.bin': 'x' };
    // 1.7 KB: below the default limit (real SIP 2.2 phones ran with several KB), above a stricter one.
    assert.equal(
      predictBoot({ running: running('SIP 2.2') }, memoryLookup(files)).boots[0]!.requests.find(
        (r) => r.file === 'SIPDefault.cnf',
      )?.answer,
      'found',
    );
    const limited = predictBoot({ running: running('SIP 2.2') }, memoryLookup(files), { w210LimitBytes: 1024 });
    assert.equal(limited.boots[0]!.requests.find((r) => r.file === 'SIPDefault.cnf')?.answer, 'too-large');
    assert.equal(limited.decision, undefined);
    const roomy = predictBoot({ running: running('SIP 2.2') }, memoryLookup(files), { w210LimitBytes: big.length });
    assert.equal(roomy.decision?.source.file, 'SIPDefault.cnf');
    const newer = predictBoot({ running: running('SIP 4.4') }, memoryLookup({ ...files, 'P0S30203.bin': 'x' }), {
      w210LimitBytes: 1024,
    });
    assert.equal(newer.boots[0]!.requests.find((r) => r.file === 'SIPDefault.cnf')?.answer, 'found');
  });

  it("stops the loader's hunt on an error other than File not found (CSCee31047)", () => {
    const files = { 'SEP000E84C060A6.cnf.xml': '<device/>', 'SIPDefault.cnf': 'image_version: "P0S3-8-12-00"\n' };
    const denied = predictBoot(
      { mac, running: running('SCCP 8.0(5)') },
      memoryLookup(files, ['SEP000E84C060A6.cnf.xml']),
    );
    assert.equal(denied.end, 'hunt-stopped');
    assert.ok(!requests(denied).includes('SIPDefault.cnf'));
    const missing = predictBoot(
      { mac, running: running('SCCP 8.0(5)') },
      memoryLookup({ 'SIPDefault.cnf': files['SIPDefault.cnf'] }),
    );
    assert.deepEqual(requests(missing).slice(1, 5), [
      'SEP000E84C060A6.cnf.xml',
      'XMLDefault.cnf.xml',
      'SIPDefault.cnf',
      'SIP000E84C060A6.cnf',
    ]);
  });

  it('finds a loop when each image reads a different file first', () => {
    const files = {
      'OS79XX.TXT': 'P0S3-07-5-00\n',
      'P0S3-07-5-00.bin': 'x',
      'SEP000E84C060A6.cnf.xml':
        '<device><loadInformation7 model="IP Phone 7960">P0S3-06-3-00</loadInformation7></device>',
      'P0S3-06-3-00.loads': 'x',
      'P0S3-06-3-00.sb2': 'x',
      'P003-06-3-00.sbn': 'x',
    };
    const prediction = predictBoot({ mac, model: '7960', running: running('SIP 6.3') }, memoryLookup(files));
    assert.equal(prediction.end, 'loop');
    assert.deepEqual(
      prediction.boots.map((b) => b.running.image),
      ['P0S3-06-3-00', 'P0S3-07-5-00'],
    );
  });

  it('with the image unknown, boots the image the root names; with none named, says so and what it looked for', () => {
    const prediction = predictBoot({ mac, model: '7960' }, memoryLookup(lkmlFiles()));
    assert.equal(prediction.startAssumed, true);
    assert.equal(prediction.start?.image, 'P0S3-8-12-00');
    assert.equal(prediction.end, 'settled');
    const empty = predictBoot({ mac }, memoryLookup({}));
    assert.equal(empty.end, 'no-load');
    assert.equal(empty.flow, 'no-load');
    assert.deepEqual(
      empty.lookedFor?.map((l) => l.file),
      ['SEP000E84C060A6.cnf.xml', 'XMLDefault.cnf.xml', 'SIPDefault.cnf', 'SIP000E84C060A6.cnf', 'OS79XX.TXT'],
    );
  });

  it('without a MAC, asks for no file named after the MAC', () => {
    const phone: PhoneSpec = { running: running('SIP 8.12') };
    const prediction = predictBoot(phone, memoryLookup(lkmlFiles()));
    assert.ok(requests(prediction).every((f) => !f.includes('000E84C060A6')));
    assert.deepEqual(requests(prediction), [
      'XMLDefault.cnf.xml',
      'P0S3-8-12-00.loads',
      'SIPDefault.cnf',
      'RINGLIST.DAT',
      'dialplan.xml',
    ]);
  });
});
