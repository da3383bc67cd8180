/**
 * How much of each log input was understood: lines read, used as evidence, not understood
 * (with the first few), counted as events arrive so a long live session's window does not
 * change them. An input of which nothing is used and almost nothing understood is reported
 * (INPUT_NOT_UNDERSTOOD) rather than left to add nothing in silence.
 */
import type { Finding } from '../findings/finding.js';
import { catalogFinding } from '../findings/catalog-finding.js';
import type { ReportInput, ReportInputLines } from '../findings/report-schema.js';
import type { EngineEvent } from './events.js';

/** How many lines not understood each input lists. */
const LISTED = 5;
/** Understood lines below this share of the lines read count as "almost nothing". */
const ALMOST_NOTHING = 0.05;

interface Counts {
  read: number;
  used: number;
  notUnderstood: number;
  firstNotUnderstood: { line: number; text: string }[];
  /** Lines of a recorder's own header: read and understood, but none of them is the phone's. */
  header: number;
}

/** Lines that are read and understood but say nothing about a phone. */
const UNUSED_SERVER_KINDS: ReadonlySet<string> = new Set(['info', 'server-start']);

export class InputLineCounter {
  private readonly counts = new Map<string, Counts>();

  count(event: EngineEvent): void {
    if (event.source === 'server-log' && event.kind === 'server') {
      const e = event.event;
      if (e.raw.trim() === '') return;
      const lines = 1 + (e.joined ?? 0);
      this.add(
        event.file,
        lines,
        e.kind === 'raw' ? 'not-understood' : UNUSED_SERVER_KINDS.has(e.kind) ? 'understood' : 'used',
        e.line,
        e.raw,
      );
    } else if (event.source === 'console' && event.kind === 'console') {
      const e = event.event;
      if (e.raw.trim() === '') return;
      const verdict = e.kind !== 'raw' ? 'used' : e.continuationOf !== undefined ? 'understood' : 'not-understood';
      this.add(event.file, 1, verdict, e.line, e.raw);
    } else if (event.source === 'console' && event.kind === 'console-header') {
      this.add(event.file, 1, 'understood', event.line, event.text);
      this.counts.get(event.file)!.header++;
    }
  }

  private add(
    file: string,
    lines: number,
    verdict: 'used' | 'understood' | 'not-understood',
    line: number,
    text: string,
  ): void {
    let c = this.counts.get(file);
    if (!c) {
      c = { read: 0, used: 0, notUnderstood: 0, firstNotUnderstood: [], header: 0 };
      this.counts.set(file, c);
    }
    c.read += lines;
    if (verdict === 'used') c.used += lines;
    if (verdict === 'not-understood') {
      c.notUnderstood += lines;
      if (c.firstNotUnderstood.length < LISTED) c.firstNotUnderstood.push({ line, text });
    }
  }

  /** The report's inputs, each log with its line counts. */
  inputs(inputs: readonly ReportInput[]): ReportInput[] {
    return inputs.map((input) => {
      if (input.kind !== 'console' && input.kind !== 'server-log') return input;
      const c = this.counts.get(input.path) ?? {
        read: 0,
        used: 0,
        notUnderstood: 0,
        firstNotUnderstood: [],
        header: 0,
      };
      const lines: ReportInputLines = {
        read: c.read,
        used: c.used,
        notUnderstood: c.notUnderstood,
        firstNotUnderstood: [...c.firstNotUnderstood],
      };
      return { ...input, lines };
    });
  }

  findings(inputs: readonly ReportInput[]): Finding[] {
    return this.inputs(inputs).flatMap((input) => {
      const lines = input.lines;
      if (!lines || (input.kind !== 'console' && input.kind !== 'server-log')) return [];
      const understood = lines.read - lines.notUnderstood;
      // The phone's own lines: a recorder's header understood says nothing of what the phone sent.
      const header = this.counts.get(input.path)?.header ?? 0;
      const own = lines.read - header;
      // An input with no line yet (a log followed live, a server that logged nothing) says nothing either way.
      if (own === 0 || lines.used > 0 || understood - header > own * ALMOST_NOTHING) return [];
      const source = input.kind;
      const evidence = lines.firstNotUnderstood
        .slice(0, 3)
        .map(({ line, text }) => ({ source, file: input.path, line, text: text.trim() }));
      const what =
        input.kind === 'console'
          ? 'a phone console line'
          : 'a DHCP- or TFTP-server log line phonedoc reads (tftpd-hpa, dnsmasq, ISC dhcpd, Kea, atftpd, tftpd32, IOS)';
      const first = lines.firstNotUnderstood.map((l) => l.line).join(', ');
      const detail = `${input.path}: ${lines.read} line${lines.read === 1 ? '' : 's'} read, ${understood} understood, none used as evidence; no line is ${what}${first ? ` (first lines not understood: ${first})` : ''}.`;
      return [catalogFinding('INPUT_NOT_UNDERSTOOD', { evidence, detail })];
    });
  }
}
