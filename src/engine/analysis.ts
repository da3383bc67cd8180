/**
 * What `phonedoc analyze` (and the TUI) know after the engine has seen the inputs: the
 * report (the JSON contract shared with `lint`), and per phone a merged timeline whose
 * entries the findings' evidence points at. Views render this and never re-derive it.
 */
import type { DhcpServerReply } from '../../parsers/dhcp/exchanges.js';
import type { PlacedFinding } from '../findings/causal-order.js';
import type { FindingId } from '../findings/catalog.js';
import type { Evidence, Finding } from '../findings/finding.js';
import type { Report, ReportAnswer, ReportPhone } from '../findings/report-schema.js';
import type { EngineWindow } from './model.js';
import type { TransferProgress } from './observations.js';
import type { ReportTotals } from './report-tally.js';

export type TimelineLane = 'console' | 'network' | 'server';

export interface TimelineEntry {
  /** Stable anchor, the same string `evidenceAnchor` gives for evidence citing this entry. */
  readonly anchor: string;
  /** Seconds since the epoch on the capture's clock (console and server-log times shifted by their offset); absent when unknown. */
  readonly time?: number;
  readonly source: Evidence['source'];
  readonly file: string;
  readonly frame?: number;
  readonly line?: number;
  /** Where a side-by-side view puts it. */
  readonly lane: TimelineLane;
  readonly kind: 'dhcp' | 'tftp' | 'console' | 'status' | 'error' | 'server' | 'other';
  /** One line, as the engineer would read it (untrusted text from the inputs: views escape it). */
  readonly text: string;
  /** IDs of the findings whose evidence cites this entry. */
  readonly findingIds: readonly FindingId[];
  /** A TFTP transfer under way (live capture): bytes so far and, when the server told it, the file's size. */
  readonly progress?: TransferProgress;
  /** A TFTP request from the capture, in parts, for views that lead with the file and its outcome. */
  readonly request?: TimelineRequest;
  /** Anchors of the server-log lines about the same request: a view may fold them into this row. */
  readonly merged?: readonly string[];
  /** A line the engineer sent to the phone, or a marker's note (the console recording's own lines). */
  readonly note?: 'sent' | 'marker';
  /** A DHCP server's reply: who answered, and where it sends the phone for TFTP. */
  readonly dhcpReply?: DhcpServerReply;
}

export interface TimelineRequest {
  /** As the phone asked for it, control characters shown (`\r`). */
  readonly file: string;
  /** `found` only for a transfer the capture shows complete. */
  readonly answer: ReportAnswer | 'unknown';
  /** `complete, 97 bytes`, `error 1 "File not found" from the server`. */
  readonly outcome: string;
  /** `192.0.2.119 → 192.0.2.1` */
  readonly peers: string;
  /** The TFTP server asked. */
  readonly server: string;
}

export interface ClockAlignment {
  readonly source: 'console' | 'server-log';
  readonly file: string;
  /** Seconds added to this source's times to put them on the capture's clock. */
  readonly offsetSeconds: number;
  /**
   * `matched-events`: the same file requests or DHCP steps seen in both; `screen-states`: only
   * the screen states a console shows (Configuring IP, Upgrading, …) matched to network events,
   * approximate; `override`: --console-offset/--log-offset; `none`: nothing to match, times left as they are.
   */
  readonly method: 'matched-events' | 'screen-states' | 'override' | 'none';
  /** How many event pairs supported the offset. */
  readonly matches: number;
  /** For an approximate alignment: the offset is right to within this many seconds either way. */
  readonly uncertaintySeconds?: number;
  /** A clock that runs fast or slow: seconds it gains per second, counted from `from` (seconds on the source's clock), where `offsetSeconds` holds. */
  readonly drift?: { readonly perSecond: number; readonly from: number };
  /** One sentence: how the offset was found. */
  readonly detail: string;
}

export interface PhoneAnalysis {
  readonly phone: ReportPhone;
  /** One line, e.g. `SCCP 8.1(2) → SIP 8.12: stopped, the .sb2 is missing from the TFTP root`. */
  readonly verdict: string;
  readonly timeline: readonly TimelineEntry[];
  /** This phone's findings, root causes first. */
  readonly findings: readonly Finding[];
  /** The same findings in causal order, each with its depth under its cause and the number views show it by. */
  readonly placed: readonly PlacedFinding[];
  /** Capture frames that belong to this phone (for the per-phone pcapng of the ticket bundle). */
  readonly frames: readonly number[];
  /** When each of its boots began (seconds since the epoch, the capture's clock): its DHCP exchange, else its first request. */
  readonly bootStarts?: readonly number[];
}

export interface Analysis {
  readonly report: Report;
  readonly phones: readonly PhoneAnalysis[];
  readonly clocks: readonly ClockAlignment[];
  /** The report's findings that no phone holds (about the TFTP root, the inputs, or no phone known), placed in causal order. */
  readonly findingsOfNoPhone: readonly PlacedFinding[];
  /** With a window (a long live session): how many of the oldest events of each kind are no longer in the analysis. */
  readonly forgotten?: Readonly<Partial<Record<keyof EngineWindow, number>>>;
}

/**
 * The analysis as views render it, phone by phone: what comes before the phones, each phone's
 * analysis in turn, and the totals over all of them. From the engine (`analysisInParts`), a
 * pass over a site's phones makes each one's analysis anew and holds none of them.
 */
export interface AnalysisInParts {
  readonly report: Pick<Report, 'tool' | 'version' | 'command' | 'inputs'>;
  readonly clocks: readonly ClockAlignment[];
  readonly phoneCount: number;
  phones(): Iterable<PhoneAnalysis>;
  /** The report's findings in its order (each phone's, then those about no phone), made as they are written. */
  findings(): Iterable<Finding>;
  /** Over all phones (a pass over them, unless one was already made to its end). */
  totals(): ReportTotals;
}

/** A whole analysis in parts, for the views that render one phone at a time. */
export function inParts(analysis: Analysis): AnalysisInParts {
  const { tool, version, command, inputs, summary, assumptions } = analysis.report;
  return {
    report: { tool, version, command, inputs },
    clocks: analysis.clocks,
    phoneCount: analysis.phones.length,
    phones: () => analysis.phones,
    findings: () => analysis.report.findings,
    totals: () => ({ summary, assumptions, findingsOfNoPhone: analysis.findingsOfNoPhone }),
  };
}

/** The anchor of the timeline entry a piece of evidence cites: `capture:<file>#<frame>`, `console:<file>:<line>`, … */
export function evidenceAnchor(evidence: Pick<Evidence, 'source' | 'file' | 'frame' | 'line'>): string {
  if (evidence.frame !== undefined) return `${evidence.source}:${evidence.file}#${evidence.frame}`;
  if (evidence.line !== undefined) return `${evidence.source}:${evidence.file}:${evidence.line}`;
  return `${evidence.source}:${evidence.file}`;
}
