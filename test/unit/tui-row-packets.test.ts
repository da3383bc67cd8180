import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { Analysis, TimelineEntry } from '../../src/engine/analysis.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import type { AnalyzeInputs } from '../../src/engine/input-events.js';
import { readRowPackets } from '../../src/tui/row-packets.js';
import { initialState } from '../../src/tui/state.js';
import type { TuiState } from '../../src/tui/state.js';
import { focusOrder, networkRows } from '../../src/tui/view-model.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { ipv4Address, ipv4Packet, IP_PROTOCOL_UDP, udpDatagram } from '../bench/packet-builder.js';
import { classicPcap } from '../bytes.js';
import { cliPath, repoRoot, requireTool, until } from '../helpers.js';
import { run, tsharkFields } from '../tshark.js';
import { ack, data, fileContent, rrq } from './tftp-packets.js';
import { openHeadlessTui } from './tui-harness.js';
import type { HeadlessTui } from './tui-harness.js';

const capture = (scenario: string): string => path.join(repoRoot, 'captures', scenario, 'capture.pcap');

async function analysisOf(inputs: AnalyzeInputs): Promise<Analysis> {
  return (await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined)).analysis;
}

/** `phonedoc decode` of the capture: its text lines by frame number. */
async function decodeLines(file: string): Promise<Map<number, string>> {
  const result = await run('node', [cliPath, 'decode', file]);
  assert.equal(result.exitCode, 0, result.stderr);
  return new Map(
    result.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => [Number(l.slice(0, 6)), l]),
  );
}

/**
 * Opens the TUI on `state`, focuses the network pane, moves onto `row` and
 * presses Enter; resolves once the packets are read.
 */
async function openRow(state: TuiState, row: TimelineEntry, extraKeys: string[] = []): Promise<HeadlessTui> {
  const tui = await openHeadlessTui(state, 160, 48);
  const order = focusOrder(state);
  const tabs = (order.indexOf('network') - order.indexOf(state.focus) + order.length) % order.length;
  const index = networkRows(state).indexOf(row);
  assert.ok(index >= 0, `row "${row.text}" is in the network pane`);
  await tui.press(...Array<string>(tabs).fill('tab'), 'g', ...Array<string>(index).fill('down'), 'enter');
  await until('the packets of the row', () => !tui.text().includes('reading packets…'));
  if (extraKeys.length) await tui.press(...extraKeys);
  return tui;
}

/** Asserts the screen shows `phonedoc decode`'s line of each frame in `shown` and of none of the others. */
function assertPacketLines(tui: HeadlessTui, lines: Map<number, string>, shown: readonly number[]): void {
  const text = tui.text();
  for (const [frame, line] of lines) {
    // The first 100 characters fit in the overlay on one screen line; the frame number and time make 40 unique.
    if (shown.includes(frame)) assert.ok(text.includes(line.slice(0, 100)), `frame ${frame} is shown: ${line}`);
    else assert.ok(!text.includes(line.slice(0, 40)), `frame ${frame} is not the row's: ${line}`);
  }
}

describe('tui: Enter on a network row shows its packets', () => {
  const sample = { captures: [capture('loads-part-missing')], consoles: [], serverLogs: [] };
  let analysis: Analysis;
  let lines: Map<number, string>;
  before(async () => {
    analysis = await analysisOf(sample);
    lines = await decodeLines(capture('loads-part-missing'));
  });

  for (const [kind, what] of [
    ['error', 'a request answered "File not found"'],
    ['tftp', 'a complete transfer'],
  ] as const) {
    it(`a TFTP row (${what}): every datagram of that transfer, as decode prints them, and no other`, async (t) => {
      if (!requireTool(t, 'tshark', 'tshark')) return;
      const state = initialState(analysis, []);
      const row = networkRows(state).find((e) => e.kind === kind && e.frame !== undefined && / asks /.test(e.text))!;
      assert.ok(row, `the sample has ${what}`);
      // The transfer as tshark sees it: the client's port and the server, from the request on.
      const request = (
        await tsharkFields(row.file, `frame.number == ${row.frame}`, [
          'ip.src',
          'ip.dst',
          'udp.srcport',
          'tftp.source_file',
        ])
      ).rows[0]!;
      const conversation = await tsharkFields(
        row.file,
        `udp.port == ${request.text('udp.srcport')} && ip.addr == ` +
          `${request.text('ip.dst')} && ip.addr == ${request.text('ip.src')}`,
        ['tftp.opcode'],
      );
      const frames = conversation.rows.map((r) => r.frame);
      assert.ok(frames.length >= 2, 'the request was answered');
      const tui = await openRow(state, row);
      t.after(() => tui.close());
      assertPacketLines(tui, lines, frames);
      assert.ok(tui.text().includes(`RRQ "${request.text('tftp.source_file')}"`), 'the request names the file');
      if (kind === 'error') assert.match(tui.text(), /TFTP ERROR 1 \(File not found\)/);
      else
        assert.ok(
          tui.text().includes('TFTP DATA block 1, ') && tui.text().includes('TFTP ACK block 1'),
          'the DATA and ACK of the first block',
        );
      await tui.press('escape');
      assert.ok(!tui.text().includes(lines.get(row.frame!)!.slice(0, 40)), 'Esc closes the packets');
    });
  }

  it('a DHCP row: the DISCOVER, OFFER, REQUEST and ACK of its exchange, not those of the other phones', async (t) => {
    if (!requireTool(t, 'tshark', 'tshark')) return;
    const file = capture('site-three-phones-one-fails');
    const site = await analysisOf({ captures: [file], consoles: [], serverLogs: [] });
    const siteLines = await decodeLines(file);
    const phone = site.phones.find((p) => p.timeline.some((e) => e.kind === 'dhcp' && e.text.startsWith('DHCP ACK')))!;
    const state = { ...initialState(site, []), phone: phone.phone.mac! };
    const row = networkRows(state).find((e) => e.kind === 'dhcp' && e.text.startsWith('DHCP REQUEST'))!;
    const message = (await tsharkFields(file, `frame.number == ${row.frame}`, ['dhcp.id', 'dhcp.hw.mac_addr']))
      .rows[0]!;
    const exchange = await tsharkFields(
      file,
      `dhcp.id == ${message.text('dhcp.id')} && dhcp.hw.mac_addr == ${message.values('dhcp.hw.mac_addr')[0]}`,
      ['dhcp.option.dhcp'],
    );
    const frames = exchange.rows.map((r) => r.frame);
    assert.deepEqual(
      exchange.rows.map((r) => r.text('dhcp.option.dhcp')),
      ['1', '2', '3', '5'],
      'tshark: DISCOVER, OFFER, REQUEST, ACK',
    );
    assert.ok(
      [...siteLines.values()].filter((l) => / DHCP /.test(l)).length > frames.length,
      'the capture has other exchanges',
    );
    const tui = await openRow(state, row);
    t.after(() => tui.close());
    assertPacketLines(tui, siteLines, frames);
    for (const type of ['DISCOVER', 'OFFER', 'REQUEST', 'ACK'])
      assert.match(tui.text(), new RegExp(`DHCP ${type} xid ${message.text('dhcp.id')}`));
  });

  it('a row whose capture cannot be read says so in one line', async (t) => {
    const missing = path.join(tmpdir(), 'phonedoc-no-such-dir', 'capture.pcap');
    const phone = analysis.phones[0]!;
    const moved = {
      ...analysis,
      phones: [
        { ...phone, timeline: phone.timeline.map((e) => (e.source === 'capture' ? { ...e, file: missing } : e)) },
      ],
    };
    const state = initialState(moved, []);
    const tui = await openRow(state, networkRows(state).find((e) => e.kind === 'dhcp')!);
    t.after(() => tui.close());
    const said = tui.lines().filter((l) => l.includes(missing) && /cannot read/.test(l));
    assert.equal(said.length, 1, tui.text());
    assert.match(said[0]!, /no such file/);
  });

  it("a request's server-log lines are folded into its packet row, and its details name them", async (t) => {
    const withLog = await analysisOf({
      ...sample,
      serverLogs: [path.join(repoRoot, 'captures', 'loads-part-missing', 'tftpd.log')],
    });
    const state = initialState(withLog, []);
    assert.ok(
      !networkRows(state).some((e) => e.source === 'server-log'),
      'every log line of the sample is about a request the capture shows: no row of its own',
    );
    const row = networkRows(state).find((e) => e.request?.file === 'P0S3-8-12-00.sb2')!;
    const logLines = withLog.phones[0]!.timeline.filter((e) => row.merged?.includes(e.anchor));
    assert.ok(logLines.length > 0, 'the .sb2 request has its log lines');
    const tui = await openRow(state, row);
    t.after(() => tui.close());
    for (const line of logLines)
      assert.ok(
        tui.text().includes(`tftpd.log line ${line.line}`),
        `log line ${line.line} is named in the row's details`,
      );
  });
});

/**
 * A read of `blocks` full 512-byte blocks and a short last one by 192.0.2.10:40000 (frame 1,
 * then DATA/ACK pairs), with another client's whole transfer in the middle of it.
 */
function bigTransfer(blocks: number): { pcap: Buffer; frames: number[]; other: number[] } {
  const client = ipv4Address('192.0.2.10');
  const other = ipv4Address('192.0.2.11');
  const server = ipv4Address('192.0.2.1');
  const datagrams: {
    src: Uint8Array;
    dst: Uint8Array;
    sport: number;
    dport: number;
    payload: Uint8Array;
    big: boolean;
  }[] = [];
  const add = (
    big: boolean,
    src: Uint8Array,
    sport: number,
    dst: Uint8Array,
    dport: number,
    payload: Uint8Array,
  ): void => {
    datagrams.push({ src, dst, sport, dport, payload, big });
  };
  add(true, client, 40000, server, 69, rrq('P003-8-12-00.sbn'));
  for (let block = 1; block <= blocks + 1; block++) {
    add(true, server, 50000, client, 40000, data(block, fileContent(block <= blocks ? 512 : 100, block)));
    add(true, client, 40000, server, 50000, ack(block));
    if (block === Math.floor(blocks / 2)) {
      add(false, other, 40001, server, 69, rrq('SEP000E84C060A6.cnf.xml'));
      add(false, server, 50001, other, 40001, data(1, fileContent(10)));
      add(false, other, 40001, server, 50001, ack(1));
    }
  }
  const LINKTYPE_IPV4 = 228;
  const pcap = classicPcap(
    LINKTYPE_IPV4,
    datagrams.map((d, i) =>
      ipv4Packet(
        { src: d.src, dst: d.dst, protocol: IP_PROTOCOL_UDP, id: i },
        udpDatagram(d.src, d.dst, d.sport, d.dport, d.payload),
      ),
    ),
  );
  const framesOf = (big: boolean): number[] => datagrams.flatMap((d, i) => (d.big === big ? [i + 1] : []));
  return { pcap, frames: framesOf(true), other: framesOf(false) };
}

describe('readRowPackets', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-row-packets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const built = bigTransfer(300);
  const file = path.join(dir, 'big.pcap');
  writeFileSync(file, built.pcap);

  it('keeps the first 200 and the last 50 packets of a long transfer and counts those between', async () => {
    const lines = await decodeLines(file);
    const expected = built.frames.map((f) => lines.get(f)!);
    assert.equal(expected.length, 603);
    const packets = await readRowPackets(file, 1);
    assert.deepEqual(packets.head, expected.slice(0, 200));
    assert.deepEqual(packets.tail, expected.slice(-50));
    assert.equal(packets.omitted, 603 - 250);
    assert.match(packets.title ?? '', /P003-8-12-00\.sbn/);
  });

  it('finds the transfer from a retry or a later frame of it too, and gives the other transfer alone', async () => {
    const lines = await decodeLines(file);
    const otherPackets = await readRowPackets(file, built.other[0]!);
    assert.deepEqual(
      otherPackets.head,
      built.other.map((f) => lines.get(f)!),
    );
    assert.equal(otherPackets.omitted, 0);
    const fromData = await readRowPackets(file, built.frames[100]!, { head: 1, tail: 1 });
    assert.deepEqual(
      [...fromData.head, ...fromData.tail],
      [lines.get(built.frames[0]!), lines.get(built.frames.at(-1)!)],
    );
  });

  it('a capture cut inside a frame (a file still being written): the packets before the cut, and one line saying where it stopped', async (t: TestContext) => {
    const cut = path.join(dir, 'cut.pcap');
    writeFileSync(cut, built.pcap.subarray(0, built.pcap.length - 20));
    t.after(() => rmSync(cut));
    const lines = await decodeLines(file);
    const packets = await readRowPackets(cut, 1, { head: 5, tail: 5 });
    assert.deepEqual(
      packets.head,
      built.frames.slice(0, 5).map((f) => lines.get(f)!),
    );
    assert.deepEqual(
      packets.tail,
      built.frames.slice(-6, -1).map((f) => lines.get(f)!),
      'all but the cut last frame',
    );
    assert.match(
      packets.stopped ?? '',
      new RegExp(`^${cut.replace(/[.]/g, '\\.')}: error .*frame ${built.frames.at(-1)}`),
    );
  });

  it('a file that is not there: rejected with an error naming the file', async () => {
    await assert.rejects(
      readRowPackets(path.join(dir, 'gone.pcap'), 1),
      /cannot read capture .*gone\.pcap: no such file/,
    );
  });
});

describe('tui: the packets of a long transfer scroll', () => {
  it('PgDn reaches the count of packets left out and the last packets', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phonedoc-row-packets-tui-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const built = bigTransfer(300);
    const file = path.join(dir, 'big.pcap');
    writeFileSync(file, built.pcap);
    const lines = await decodeLines(file);
    const sample = await analysisOf({ captures: [capture('loads-part-missing')], consoles: [], serverLogs: [] });
    const row: TimelineEntry = {
      anchor: `capture:${file}#1`,
      source: 'capture',
      file,
      frame: 1,
      lane: 'network',
      kind: 'tftp',
      text: 'a long read',
      findingIds: [],
    };
    const state = initialState({ ...sample, phones: [{ ...sample.phones[0]!, timeline: [row] }] }, []);
    const tui = await openRow(state, row);
    t.after(() => tui.close());
    assert.ok(tui.text().includes(lines.get(1)!.slice(0, 100)), 'the request is shown first');
    assert.ok(!tui.text().includes('more packets'));
    const omitted = `… ${(603 - 250).toLocaleString('en-US')} more packets …`;
    const last = lines.get(built.frames.at(-1)!)!.slice(0, 100);
    const seen = { omitted: false, last: false };
    for (let page = 0; page < 12 && !seen.last; page++) {
      await tui.press('\x1b[6~');
      seen.omitted ||= tui.text().includes(omitted);
      seen.last ||= tui.text().includes(last);
    }
    assert.ok(seen.omitted, 'the packets left out are counted');
    assert.ok(seen.last, 'the last ACK is reached');
  });
});
