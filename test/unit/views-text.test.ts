import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { causalOrder } from '../../src/findings/causal-order.js';
import type { Analysis, TimelineEntry } from '../../src/engine/analysis.js';
import type { Finding } from '../../src/findings/finding.js';
import { renderAnalysisText } from '../../src/views/analysis-text.js';
import { fixtureAnalysis } from './views-fixture.js';
import { first, nth, utcSeconds } from '../helpers.js';

const HOSTILE = `\u001b[2J\u001b]0;owned\u0007${'x'.repeat(120)}\r\nEVIL\u202e.exe`;

function withTimeline(analysis: Analysis, extra: (timeline: readonly TimelineEntry[]) => TimelineEntry[]): Analysis {
  const phone = first(analysis.phones, 'a phone');
  return { ...analysis, phones: [{ ...phone, timeline: extra(phone.timeline) }] };
}

describe('analysis text view', () => {
  const text = renderAnalysisText(fixtureAnalysis());
  const lines = text.split('\n');

  it('starts each phone with its verdict line', () => {
    const phone = lines.findIndex((l) => l.startsWith('Phone '));
    assert.ok(phone > 0, text);
    assert.equal(lines[phone - 1], '');
    assert.match(
      `${lines[phone]} ${nth(lines, phone + 1).trim()}`,
      /^Phone 00:0e:84:c0:60:a6 \(7960, 192\.0\.2\.20\): SCCP 8\.1\(2\) → SIP 8\.12: stopped, the \.sb2 is missing from the TFTP root$/,
    );
  });

  it('fits 80 columns, even with long untrusted text', () => {
    const hostile = renderAnalysisText(
      fixtureAnalysis({ hostileName: `${'P0S3-8-12-00'.repeat(30)}.sb2 and ${'word '.repeat(40)}` }),
    );
    for (const line of [...lines, ...hostile.split('\n')])
      assert.ok([...line].length <= 80, `${[...line].length} columns: ${line}`);
  });

  it('shows the timeline in order with time and lane, marking the entries findings cite with their numbers', () => {
    const timeline = lines.filter((l) => /^ {2}[> ] \d{2}:\d{2}:\d{2}\.\d{3} /.test(l));
    assert.equal(timeline.length, first(fixtureAnalysis().phones, 'a phone').timeline.length);
    const times = timeline.map((l) => l.slice(4, 16));
    assert.deepEqual(times, [...times].sort());
    const sb2 = timeline.find((l) => l.includes('File not found: P0S3-8-12-00.sb2'));
    assert.match(sb2 ?? '', /^ {2}> 07:42:12\.500 network +File not found: P0S3-8-12-00\.sb2 \[1\]$/);
    const bound = timeline.find((l) => l.includes('DHCP BOUND'));
    assert.match(bound ?? '', /^ {4}07:42:11\.050 console +DHCP BOUND/);
    // Finding 1 is the one those marks point at.
    assert.match(text, /\n {2}1\. ERROR LOADS_PART_MISSING: /);
  });

  it('lists root causes first, consequences indented under their cause, with evidence and numbered fix steps', () => {
    const cause = lines.findIndex((l) => l.includes('ERROR LOADS_PART_MISSING'));
    const consequence = lines.findIndex((l) => l.includes('ERROR PROTOCOL_APPLICATION_INVALID'));
    const other = lines.findIndex((l) => l.includes('ERROR IMAGE_NOT_FOUND'));
    assert.ok(cause >= 0 && cause < consequence && consequence < other, text);
    const indent = (l: string) => l.length - l.trimStart().length;
    assert.ok(indent(nth(lines, consequence)) > indent(nth(lines, cause)));
    assert.equal(indent(nth(lines, other)), indent(nth(lines, cause)));
    assert.match(nth(lines, consequence + 2) + nth(lines, consequence + 1), /A consequence of LOADS_PART_MISSING/);
    const block = lines.slice(cause, consequence).join('\n');
    assert.match(
      block,
      /Evidence:\n(.*\n)* +capture\.pcap frame 8, 07:42:12\.500: File not found: P0S3-8-12-00\.sb2\n/,
    );
    assert.match(block, /Fix:\n +1\. Copy P0S3-8-12-00\.sb2 from the firmware zip into the TFTP root\.\n +2\. /);
  });

  it('shows control characters and direction overrides from the inputs as escapes, never raw', () => {
    const out = renderAnalysisText(fixtureAnalysis({ hostileName: HOSTILE }));
    assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    assert.match(out, /\\x1b\[2J\\x1b\]0;owned\\x07/);
    assert.match(out, /\\u\{202e\}/);
  });

  it('shows repeated entries once with a count, unless a finding cites them', () => {
    const discover = (i: number): TimelineEntry => ({
      anchor: `capture:capture.pcap#${100 + i}`,
      time: utcSeconds(`2026-11-26T07:42:10.${i}00Z`),
      source: 'capture',
      file: 'capture.pcap',
      frame: 100 + i,
      lane: 'network',
      kind: 'dhcp',
      text: 'DHCP DISCOVER from 00:0e:84:c0:60:a6',
      findingIds: [],
    });
    const out = renderAnalysisText(
      withTimeline(fixtureAnalysis(), (t) => [discover(1), discover(2), discover(3), ...t]),
    );
    assert.match(
      out,
      /\n {4}07:42:10\.100 network +DHCP DISCOVER from 00:0e:84:c0:60:a6 \(x3\)\n {4}07:42:11\.050 console/,
    );
  });

  it('loses no finding whose causes form a cycle, and shows findings of no phone on their own', () => {
    const analysis = fixtureAnalysis();
    const phone = first(analysis.phones, 'a phone');
    const cycle: Finding[] = phone.findings.map((f) =>
      f.id === 'LOADS_PART_MISSING' ? { ...f, causedBy: 'PROTOCOL_APPLICATION_INVALID' } : f,
    );
    const shared: Finding = {
      ...nth(phone.findings, 0),
      id: 'TFTP_PRODUCTION_SERVER',
      phone: undefined,
      severity: 'warning',
      title: 'Driven from the production server',
    };
    const out = renderAnalysisText({
      ...analysis,
      report: { ...analysis.report, findings: [...cycle, shared] },
      phones: [{ ...phone, findings: cycle, placed: causalOrder(cycle) }],
      findingsOfNoPhone: causalOrder([shared]),
    });
    for (const f of cycle) assert.ok(out.includes(`${f.severity.toUpperCase()} ${f.id}:`), f.id);
    assert.match(
      out,
      /\nEvery phone \(the TFTP root and the inputs\)\n\n {2}1\. WARNING TFTP_PRODUCTION_SERVER: Driven from the production server\n/,
    );
  });

  it('says so when a phone has no event and no finding', () => {
    const analysis = fixtureAnalysis();
    const out = renderAnalysisText({
      ...analysis,
      report: { ...analysis.report, findings: [] },
      phones: [{ ...first(analysis.phones, 'a phone'), timeline: [], findings: [], placed: [] }],
    });
    assert.match(out, /Timeline: no event of this phone was seen\./);
    assert.match(out, /Findings: no problem found\./);
  });
});
