/**
 * Any input may be missing but one: a capture alone, a console log alone, a server log alone
 * or a TFTP root alone each give what can be known from it. And only phones are diagnosed:
 * a host that never presents itself as a Cisco IP phone nor asks for a phone's file is ignored.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Timestamp } from '../../parsers/capture/frame.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { DiagnosisEngine } from '../../src/engine/engine.js';
import { analyzeFiles, readInputEvents } from '../../src/engine/input-events.js';
import type { AnalyzeInputs } from '../../src/engine/input-events.js';
import { fixture, nth, repoRoot } from '../helpers.js';

const dir = path.join(repoRoot, 'captures', 'loads-part-missing');
const none: AnalyzeInputs = { captures: [], consoles: [], serverLogs: [] };
const MAC = '00:0e:84:c0:60:a6';

async function ids(inputs: AnalyzeInputs) {
  const { analysis } = await analyzeFiles(inputs, { version: 'test' }, () => {});
  return { analysis, ids: analysis.report.findings.map((f) => f.id) };
}

async function readTransfers(): Promise<TftpTransfer[]> {
  const transfers: TftpTransfer[] = [];
  await readInputEvents(
    { ...none, captures: [path.join(dir, 'capture.pcap')] },
    (e) => {
      if (e.source === 'capture' && e.kind === 'tftp') transfers.push(e.transfer);
    },
    () => {},
  );
  return transfers;
}

describe('engine: each input alone', () => {
  it('a capture alone: the missing part, the phone by its DHCP MAC and address', async () => {
    const { analysis, ids: found } = await ids({ ...none, captures: [path.join(dir, 'capture.pcap')] });
    assert.ok(found.includes('LOADS_PART_MISSING'));
    assert.equal(nth(analysis.phones, 0).phone.mac, MAC);
    assert.equal(nth(analysis.phones, 0).phone.ip, '192.0.2.106');
    assert.equal(nth(analysis.phones, 0).phone.model, '7960');
    assert.equal(nth(analysis.phones, 0).phone.target?.image, 'P0S3-8-12-00');
    // Its frames, for the per-phone export, hold each transfer whole (every DATA and ACK).
    const frames = new Set(nth(analysis.phones, 0).frames);
    const sbn = (await readTransfers()).find((t) => t.file === 'P003-8-12-00.sbn')!;
    for (let f = nth(sbn.frames.requests, 0); f <= sbn.frames.finalAck!; f++) assert.ok(frames.has(f), `frame ${f}`);
    // Nothing says which image is in flash: the verdict says what the order of requests shows.
    assert.match(nth(analysis.phones, 0).verdict, /loader-era image .* → SIP 8\.12: stopped/);
  });

  it('a server log alone: the same, the phone by the MAC in the file names it asks for', async () => {
    const { analysis, ids: found } = await ids({ ...none, serverLogs: [path.join(dir, 'tftpd.log')] });
    assert.ok(found.includes('LOADS_PART_MISSING'));
    assert.equal(nth(analysis.phones, 0).phone.mac, MAC);
    assert.equal(nth(analysis.phones, 0).phone.ip, '192.0.2.106');
  });

  it('a console log alone: what the phone showed', async () => {
    const { analysis, ids: found } = await ids({ ...none, consoles: [path.join(dir, 'console-sep000e84c060a6.log')] });
    assert.deepEqual(found, ['PROTOCOL_APPLICATION_INVALID']);
    assert.equal(nth(analysis.phones, 0).phone.mac, MAC);
    assert.equal(nth(analysis.phones, 0).phone.lastStep, 'Shows "Protocol Application Invalid".');
  });

  it('a TFTP root alone: what a phone would find there', async () => {
    const { ids: found } = await ids({ ...none, tftpRoot: path.join(dir, 'tftp-root') });
    assert.ok(found.includes('LOADS_PART_MISSING'));
  });

  it('the same traffic in two captures (a pcap and its pcapng copy) counts once', async () => {
    const snap = path.join(repoRoot, 'captures', 'capture-snaplen-cut');
    const one = await ids({ ...none, captures: [path.join(snap, 'capture.pcap')] });
    const two = await ids({ ...none, captures: [path.join(snap, 'capture.pcap'), path.join(snap, 'capture.pcapng')] });
    assert.deepEqual(
      two.analysis.phones.map((p) => p.phone.requests),
      one.analysis.phones.map((p) => p.phone.requests),
    );
    assert.deepEqual(two.ids, one.ids);
  });

  it('a capture alone shows the loader in flash finding no load', async () => {
    const loader = path.join(repoRoot, 'captures', 'loader-no-load-specified');
    const { analysis, ids: found } = await ids({ ...none, captures: [path.join(loader, 'capture.pcap')] });
    assert.ok(found.includes('NO_LOAD_SPECIFIED'), found.join(', '));
    assert.match(nth(analysis.phones, 0).phone.lastStep ?? '', /loader 8\.12/);
  });

  it('a capture alone: a name not found that was served in other letter case is FILE_NAME_CASE', async () => {
    const { analysis, ids: found } = await ids({
      ...none,
      captures: [fixture('captures', 'tftp-file-not-found.pcap')],
    });
    assert.deepEqual(found, ['FILE_NAME_CASE']);
    assert.match(
      nth(analysis.report.findings, 0)
        .evidence.map((e) => e.text)
        .join('\n'),
      /sip000e84c060a6\.cnf[\s\S]*SIP000E84C060A6\.cnf/,
    );
  });

  it('--phone keeps one phone of several', async () => {
    const site = path.join(repoRoot, 'captures', 'site-three-phones-one-fails');
    const { analysis } = await analyzeFiles(
      { ...none, captures: [path.join(site, 'capture.pcap')] },
      { version: 'test', phone: { canonical: '00:0d:bc:50:00:03', file: '000DBC500003' } },
      () => {},
    );
    assert.deepEqual(
      analysis.phones.map((p) => p.phone.mac),
      ['00:0d:bc:50:00:03'],
    );
    assert.ok(analysis.report.findings.some((f) => f.id === 'SIP_MAC_CONFIG_MISSING'));
  });
});

describe('engine: other hosts', () => {
  const t = (seconds: number): Timestamp => ({ seconds, nanos: 0, digits: 6 });
  /** A PXE client that gets no offer: not a phone, so no DHCP_NO_OFFER. */
  const pxe: DhcpExchange = {
    client: '52:54:00:12:34:56',
    xid: 1,
    vendorClass: 'PXEClient:Arch:00000:UNDI:002001',
    clientMessages: [{ type: 'DISCOVER', frame: 1, time: t(1), message: { options: [], warnings: [] } }],
    offers: [],
    answers: [],
    firstTime: t(1),
    lastTime: t(1),
    frames: [1],
    outcome: 'no-offer',
  };

  it('are ignored beside a phone', async () => {
    const engine = new DiagnosisEngine({ version: 'test', inputs: [] });
    engine.add({ source: 'capture', file: 'pxe.pcap', kind: 'dhcp', exchange: pxe });
    await readInputEvents(
      { ...none, captures: [fixture('captures', 'phone-boot-7960-sip.pcap')] },
      (e) => engine.add(e),
      () => {},
    );
    const analysis = engine.analysis();
    assert.deepEqual(
      analysis.phones.map((p) => p.phone.mac),
      [MAC],
    );
    assert.ok(!analysis.report.findings.some((f) => f.id === 'DHCP_NO_OFFER'));
  });

  it('the same DISCOVERs from a Cisco phone are DHCP_NO_OFFER', () => {
    const engine = new DiagnosisEngine({ version: 'test', inputs: [] });
    engine.add({
      source: 'capture',
      file: 'phone.pcap',
      kind: 'dhcp',
      exchange: { ...pxe, client: MAC, vendorClass: 'Cisco Systems, Inc. IP Phone CP-7960G\u0000' },
    });
    const analysis = engine.analysis();
    assert.deepEqual(
      analysis.report.findings.map((f) => [f.id, f.phone?.mac]),
      [['DHCP_NO_OFFER', MAC]],
    );
    assert.equal(nth(analysis.phones, 0).phone.model, '7960');
  });
});
