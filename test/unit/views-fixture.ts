/**
 * A hand-made `Analysis` of one 7960 stopped half-way through an SCCP 8.1(2) → SIP 8.12
 * conversion (the .sb2 is missing), with the capture and console log it describes, for the
 * view, bundle and Chromium tests. `hostileName` is a TFTP file name the phone requests
 * (untrusted text that reaches every view).
 */
import type { Analysis, PhoneAnalysis, TimelineEntry } from '../../src/engine/analysis.js';
import { evidenceAnchor } from '../../src/engine/analysis.js';
import type { Evidence, Finding } from '../../src/findings/finding.js';
import { causalOrder } from '../../src/findings/causal-order.js';
import { catalogFinding } from '../../src/findings/catalog-finding.js';
import { summarize } from '../../src/findings/report.js';
import type { ReportPhone } from '../../src/findings/report-schema.js';
import {
  ETHERTYPE_IPV4,
  IP_PROTOCOL_UDP,
  ethernetFrame,
  ipv4Address,
  ipv4Packet,
  udpDatagram,
} from '../bench/packet-builder.js';
import { globalHeader, LINKTYPE_ETHERNET } from '../bench/classic-pcap.js';
import { ack, data, error, rrq } from './tftp-packets.js';
import { nth, utcSeconds } from '../helpers.js';

export const PHONE_MAC = '00:0e:84:c0:60:a6';
export const PHONE_IP = '192.0.2.20';
const SERVER_IP = '192.0.2.1';
const OTHER_IP = '192.0.2.21';
/** 2026-11-26T07:42:11Z */
export const CAPTURE_START_SECONDS = 1795678931;
/** Seconds added to the console's recorder times to put them on the capture's clock. */
export const CONSOLE_OFFSET_SECONDS = 2.5;

export interface FixtureFrame {
  readonly frame: number;
  /** Microseconds after CAPTURE_START_SECONDS. */
  readonly micros: number;
  readonly data: Uint8Array;
  /** Part of the phone's exchange (the last frame belongs to another phone). */
  readonly phone: boolean;
}

const macBytes = (mac: string): Uint8Array => Uint8Array.from(mac.split(':').map((h) => parseInt(h, 16)));
const PHONE = macBytes(PHONE_MAC);
const SERVER = macBytes('02:00:00:00:00:01');
const OTHER = macBytes('00:0d:bc:50:00:02');

function udpFrame(
  srcMac: Uint8Array,
  dstMac: Uint8Array,
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  payload: Uint8Array,
  id: number,
): Uint8Array {
  const s = ipv4Address(src);
  const d = ipv4Address(dst);
  return ethernetFrame(
    { src: srcMac, dst: dstMac, etherType: ETHERTYPE_IPV4 },
    ipv4Packet({ src: s, dst: d, protocol: IP_PROTOCOL_UDP, id }, udpDatagram(s, d, srcPort, dstPort, payload)),
  );
}

/**
 * The frames of the capture: the phone fetches its SEP file and the .loads, then
 * gets File not found for the .sb2 and for `hostileName`.
 */
export function fixtureFrames(hostileName: string): FixtureFrame[] {
  const up = (payload: Uint8Array, port: number, serverPort: number, id: number) =>
    udpFrame(PHONE, SERVER, PHONE_IP, SERVER_IP, port, serverPort, payload, id);
  const down = (payload: Uint8Array, port: number, serverPort: number, id: number) =>
    udpFrame(SERVER, PHONE, SERVER_IP, PHONE_IP, serverPort, port, payload, id);
  const cnf = new TextEncoder().encode('<device><loadInformation>P0S3-8-12-00</loadInformation></device>\n');
  const loads = new TextEncoder().encode('P003-8-12-00.sbn\nP0S3-8-12-00.sb2\n');
  const list: Omit<FixtureFrame, 'frame'>[] = [
    { micros: 100_000, data: up(rrq('SEP000E84C060A6.cnf.xml'), 50001, 69, 1), phone: true },
    { micros: 101_000, data: down(data(1, cnf), 50001, 40001, 2), phone: true },
    { micros: 101_400, data: up(ack(1), 50001, 40001, 3), phone: true },
    { micros: 900_000, data: up(rrq('P0S3-8-12-00.loads'), 50002, 69, 4), phone: true },
    { micros: 901_000, data: down(data(1, loads), 50002, 40002, 5), phone: true },
    { micros: 901_300, data: up(ack(1), 50002, 40002, 6), phone: true },
    { micros: 1_500_000, data: up(rrq('P0S3-8-12-00.sb2'), 50003, 69, 7), phone: true },
    { micros: 1_500_900, data: down(error(1, 'File not found'), 50003, 40003, 8), phone: true },
    { micros: 1_700_000, data: up(rrq(hostileName), 50004, 69, 9), phone: true },
    { micros: 1_700_800, data: down(error(1, 'File not found'), 50004, 40004, 10), phone: true },
    {
      micros: 1_800_000,
      data: udpFrame(OTHER, SERVER, OTHER_IP, SERVER_IP, 50005, 69, rrq('SEP000DBC500002.cnf.xml'), 11),
      phone: false,
    },
  ];
  return list.map((f, i) => ({ ...f, frame: i + 1 }));
}

/** The frames as a classic microsecond pcap file. */
export function fixturePcap(hostileName: string): Buffer {
  const parts: Buffer[] = [globalHeader(LINKTYPE_ETHERNET)];
  for (const f of fixtureFrames(hostileName)) {
    const header = Buffer.alloc(16);
    const total = CAPTURE_START_SECONDS * 1e6 + f.micros;
    header.writeUInt32LE(Math.floor(total / 1e6), 0);
    header.writeUInt32LE(total % 1e6, 4);
    header.writeUInt32LE(f.data.length, 8);
    header.writeUInt32LE(f.data.length, 12);
    parts.push(header, Buffer.from(f.data));
  }
  return Buffer.concat(parts);
}

/** ISO time of a capture frame. */
export function frameIso(f: FixtureFrame): string {
  return new Date(CAPTURE_START_SECONDS * 1000 + f.micros / 1000)
    .toISOString()
    .replace('Z', `${String(f.micros % 1000).padStart(3, '0')}Z`);
}

/**
 * The console log: a header and two lines stamped by our recorder (on the console's own
 * clock, CONSOLE_OFFSET_SECONDS behind the capture), then lines pasted without times.
 */
export const CONSOLE_LINES = [
  '2026-11-26T07:42:08.000Z # phonedoc console log model=CP-7960G mac=000E84C060A6',
  '2026-11-26T07:42:08.550Z DHCP BOUND 192.0.2.20',
  '2026-11-26T07:42:08.600Z SEP000E84C060A6.cnf.xml',
  'P0S3-8-12-00.loads',
  'Protocol Application Invalid',
  'File not found : P0S3-8-12-00.sb2',
  '',
];

export function fixtureConsole(): string {
  return `${CONSOLE_LINES.join('\r\n')}\r\n`;
}

export interface FixtureOptions {
  readonly hostileName?: string;
  /** The capture and console names the analysis cites (as the engine names its inputs). */
  readonly captureFile?: string;
  readonly consoleFile?: string;
}

/** The analysis of `fixturePcap(hostileName)` and `fixtureConsole()`. */
export function fixtureAnalysis(options: FixtureOptions = {}): Analysis {
  const hostile = options.hostileName ?? 'SIPDefault.cnf';
  const capture = options.captureFile ?? 'capture.pcap';
  const consoleFile = options.consoleFile ?? 'console-sep000e84c060a6.log';
  const frames = fixtureFrames(hostile);
  const at = (n: number): string => frameIso(nth(frames, n - 1));
  const phoneRef = { mac: PHONE_MAC, ip: PHONE_IP };

  const frameEvidence = (frame: number, text: string): Evidence => ({
    source: 'capture',
    file: capture,
    frame,
    time: at(frame),
    text,
  });
  const lineEvidence = (line: number, time: string, text: string): Evidence => ({
    source: 'console',
    file: consoleFile,
    line,
    time,
    text,
  });

  const loadsPart = catalogFinding('LOADS_PART_MISSING', {
    phone: phoneRef,
    evidence: [
      frameEvidence(5, 'P0S3-8-12-00.loads served (names P003-8-12-00.sbn and P0S3-8-12-00.sb2)'),
      frameEvidence(8, 'File not found: P0S3-8-12-00.sb2'),
    ],
    fix: ['Copy P0S3-8-12-00.sb2 from the firmware zip into the TFTP root.'],
  });
  const invalid = catalogFinding('PROTOCOL_APPLICATION_INVALID', {
    phone: phoneRef,
    evidence: [lineEvidence(5, '2026-11-26T07:42:12.700Z', 'Protocol Application Invalid')],
    causedBy: 'LOADS_PART_MISSING',
    detail: 'The .sb2 the .loads file names was not on the server.',
  });
  const hostileFinding = catalogFinding('IMAGE_NOT_FOUND', {
    phone: phoneRef,
    evidence: [frameEvidence(10, `File not found: ${hostile}`)],
    detail: `The phone asked for ${hostile}.`,
  });
  const clocks = catalogFinding('CLOCKS_UNALIGNED', {
    phone: phoneRef,
    evidence: [
      lineEvidence(3, '2026-11-26T07:42:11.100Z', 'SEP000E84C060A6.cnf.xml'),
      frameEvidence(1, `RRQ SEP000E84C060A6.cnf.xml`),
    ],
    detail: `The console is ${CONSOLE_OFFSET_SECONDS} s behind the capture.`,
  });
  const findings: Finding[] = [loadsPart, invalid, hostileFinding, clocks];

  const entry = (e: Omit<TimelineEntry, 'anchor' | 'findingIds'>): TimelineEntry => {
    const anchor = evidenceAnchor(e);
    const findingIds = findings.filter((f) => f.evidence.some((ev) => evidenceAnchor(ev) === anchor)).map((f) => f.id);
    return { ...e, anchor, findingIds };
  };
  const net = (frame: number, kind: TimelineEntry['kind'], text: string): TimelineEntry =>
    entry({ source: 'capture', file: capture, frame, time: utcSeconds(at(frame)), lane: 'network', kind, text });
  const con = (line: number, time: string, kind: TimelineEntry['kind'], text: string): TimelineEntry =>
    entry({ source: 'console', file: consoleFile, line, time: utcSeconds(time), lane: 'console', kind, text });
  const timeline: TimelineEntry[] = [
    con(2, '2026-11-26T07:42:11.050Z', 'console', 'DHCP BOUND 192.0.2.20'),
    net(1, 'tftp', 'RRQ SEP000E84C060A6.cnf.xml'),
    con(3, '2026-11-26T07:42:11.100Z', 'console', 'SEP000E84C060A6.cnf.xml'),
    net(2, 'tftp', 'SEP000E84C060A6.cnf.xml served (69 bytes)'),
    net(4, 'tftp', 'RRQ P0S3-8-12-00.loads'),
    net(5, 'tftp', 'P0S3-8-12-00.loads served (names P003-8-12-00.sbn and P0S3-8-12-00.sb2)'),
    net(7, 'tftp', 'RRQ P0S3-8-12-00.sb2'),
    net(8, 'error', 'File not found: P0S3-8-12-00.sb2'),
    net(9, 'tftp', `RRQ ${hostile}`),
    net(10, 'error', `File not found: ${hostile}`),
    con(5, '2026-11-26T07:42:12.700Z', 'status', 'Protocol Application Invalid'),
  ];

  const phone: ReportPhone = {
    ...phoneRef,
    model: '7960',
    running: { protocol: 'SCCP', version: '8.1(2)', image: 'P00308010200' },
    target: { protocol: 'SIP', version: '8.12', image: 'P0S3-8-12-00' },
    flow: 'sccp-to-sip-loader',
    lastStep: 'Stopped after P0S3-8-12-00.loads: the .sb2 it names was not found.',
    requests: [
      { file: 'SEP000E84C060A6.cnf.xml', answer: 'found', predicted: false },
      { file: 'P0S3-8-12-00.loads', answer: 'found', predicted: false },
      { file: 'P0S3-8-12-00.sb2', answer: 'not-found', predicted: false },
      { file: hostile, answer: 'not-found', predicted: false },
    ],
  };
  const phoneAnalysis: PhoneAnalysis = {
    phone,
    verdict: 'SCCP 8.1(2) → SIP 8.12: stopped, the .sb2 is missing from the TFTP root',
    timeline,
    findings,
    placed: causalOrder(findings),
    frames: frames.filter((f) => f.phone).map((f) => f.frame),
  };
  return {
    report: {
      tool: 'phonedoc',
      version: '0.1.0',
      command: 'analyze',
      inputs: [
        { kind: 'capture', path: capture },
        { kind: 'console', path: consoleFile },
      ],
      phones: [phone],
      findings,
      summary: summarize(findings),
      assumptions: [],
    },
    phones: [phoneAnalysis],
    findingsOfNoPhone: [],
    clocks: [
      {
        source: 'console',
        file: consoleFile,
        offsetSeconds: CONSOLE_OFFSET_SECONDS,
        method: 'matched-events',
        matches: 1,
        detail: 'SEP000E84C060A6.cnf.xml is requested in the capture 2.5 s after the console names it.',
      },
    ],
  };
}
