/**
 * `phonedoc analyze --format html` and the ticket bundle's `report.html`: one self-contained
 * page (inline CSS, no script, no URL but `#anchors`), under a Content-Security-Policy that
 * forbids scripts and every fetch, so even a mistake in escaping could not run anything or
 * reach the network. Per phone: the verdict, the findings (root causes first, consequences
 * indented under them) linking to the timeline rows they cite, and the timeline with the
 * console, network and server-log lanes side by side. Prints on paper as it reads on screen.
 * Every string from the inputs goes through `html` (html-markup.ts), which escapes it.
 */
import type { Analysis, AnalysisInParts, PhoneAnalysis, TimelineEntry, TimelineLane } from '../engine/analysis.js';
import { evidenceAnchor, inParts } from '../engine/analysis.js';
import type { PlacedFinding } from '../findings/causal-order.js';
import type { Evidence } from '../findings/finding.js';
import {
  citingNumbers,
  clockSentence,
  clockTime,
  dayOf,
  evidencePlace,
  inputDamageNote,
  inputLinesSentence,
  lastStepBeyondVerdict,
  phoneFacts,
  phoneName,
  SEVERITY_WORD,
  shortPlace,
  summaryLine,
  worstSeverity,
} from './analysis-parts.js';
import { html, type Markup } from './html-markup.js';

const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const LANE_TITLE: Readonly<Record<TimelineLane, string>> = {
  console: 'Console',
  network: 'Network',
  server: 'Server log',
};

const STYLE = html`
:root { --error: #a4161a; --error-bg: #fdecec; --warning: #8a4b00; --warning-bg: #fff3e0; --info: #0b4f8a; --info-bg: #e8f1fb;
  --ok: #1e6b34; --ok-bg: #e7f5ea; --line: #d0d4d9; --muted: #5b6169; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1c1f23; margin: 0 auto;
  padding: 1.5rem 2rem 3rem; max-width: 1400px; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .5rem; padding-top: .75rem; border-top: 2px solid #1c1f23; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .35rem; }
h5 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: .6rem 0 .2rem; }
p { margin: .3rem 0; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .92em; }
a { color: #0b57a4; }
.meta { color: var(--muted); margin: 0; }
.meta li { margin: 0; }
.counts span { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; margin-right: .3rem; font-weight: 600; }
.badge { display: inline-block; font-size: .72rem; font-weight: 700; padding: .05rem .45rem; border-radius: .25rem; vertical-align: .1em;
  letter-spacing: .03em; }
.error .badge, .counts .error { background: var(--error); color: #fff; }
.warning .badge, .counts .warning { background: var(--warning); color: #fff; }
.info .badge, .counts .info { background: var(--info); color: #fff; }
nav ul { margin: .5rem 0 0; padding-left: 1.2rem; }
.verdict { font-size: 1.1rem; font-weight: 600; padding: .6rem .8rem; border-left: 6px solid var(--ok); background: var(--ok-bg); margin: .5rem 0; }
.verdict.error { border-color: var(--error); background: var(--error-bg); }
.verdict.warning { border-color: var(--warning); background: var(--warning-bg); }
.verdict.info { border-color: var(--info); background: var(--info-bg); }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--info); border-radius: .3rem; padding: .7rem .9rem; margin: .6rem 0;
  break-inside: avoid; }
.finding.error { border-left-color: var(--error); }
.finding.warning { border-left-color: var(--warning); }
.finding.depth-1 { margin-left: 2rem; }
.finding.depth-2 { margin-left: 4rem; }
.finding.depth-3 { margin-left: 6rem; }
.finding .because { color: var(--muted); font-size: .9rem; }
.finding ul.evidence { margin: 0; padding-left: 1.1rem; }
.finding ol { margin: 0; padding-left: 1.6rem; }
.finding:target, tr:target { outline: 3px solid #f2b705; outline-offset: 1px; }
table.timeline { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: .85rem; }
.timeline th, .timeline td { border-bottom: 1px solid var(--line); padding: .2rem .4rem; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; }
.timeline thead th { background: #eef0f2; position: sticky; top: 0; }
.timeline th.time { width: 7.5rem; }
.timeline td.time { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: nowrap; color: var(--muted); }
.timeline td.lane + td.lane, .timeline th.lane + th.lane { border-left: 1px dashed var(--line); }
.timeline tr.day td { background: #f6f7f8; font-weight: 600; }
.timeline tr.cited td.event { background: #fff8d6; }
.timeline .kind-error, .timeline .kind-status { font-weight: 600; }
.timeline .where { display: block; color: var(--muted); font-size: .75rem; font-weight: normal; }
.timeline .cites a { font-weight: 700; margin-left: .3rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; }
@media print {
  body { font-size: 10pt; padding: 0; max-width: none; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  section.phone ~ section > h2 { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  .timeline thead { display: table-header-group; }
  .timeline thead th { position: static; }
  .timeline tr { break-inside: avoid; }
  .verdict, .finding, .badge, .counts span, .timeline tr.cited td.event { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** Ids of one phone's findings and timeline rows: `p1-f2`, `p1-e17`. */
interface PageIds {
  readonly finding: (number: number) => string;
  /** The id of timeline row `index`: the first row of each anchor has one. */
  readonly row: (index: number) => string | undefined;
  /** The row id of the timeline entry a piece of evidence cites, when the timeline holds it. */
  readonly entry: (evidence: Pick<Evidence, 'source' | 'file' | 'frame' | 'line'>) => string | undefined;
}

function pageIds(prefix: string, timeline: readonly TimelineEntry[]): PageIds {
  const firstRow = new Map<string, number>();
  timeline.forEach((entry, i) => {
    if (!firstRow.has(entry.anchor)) firstRow.set(entry.anchor, i);
  });
  const firstRows = new Set(firstRow.values());
  const rowId = (i: number | undefined): string | undefined => (i === undefined ? undefined : `${prefix}-e${i + 1}`);
  return {
    finding: (n) => `${prefix}-f${n}`,
    row: (i) => (firstRows.has(i) ? rowId(i) : undefined),
    entry: (e) => rowId(firstRow.get(evidenceAnchor(e))),
  };
}

export function renderAnalysisHtml(analysis: Analysis): string {
  return [...analysisHtmlPieces(inParts(analysis))].join('');
}

/** The page a phone at a time: the head (it needs the totals), the list of phones, each phone's section, the rest. */
export function* analysisHtmlPieces(analysis: AnalysisInParts): Generator<string> {
  const { report } = analysis;
  const totals = analysis.totals();
  const title = `phonedoc ${report.command}: ${summaryLine(totals.summary)}`;
  const { error, warning, info } = totals.summary;
  yield html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="phonedoc ${report.version}">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>phonedoc ${report.command}</h1>
<p class="counts"><span class="error">${error} error${error === 1 ? '' : 's'}</span><span class="warning">${warning} warning${warning === 1 ? '' : 's'}</span><span class="info">${info} info</span></p>
<ul class="meta">${report.inputs.map((i) => html`<li>${i.kind}: <code>${i.path}</code>${inputLinesSentence(i) ? html` (${inputLinesSentence(i)})` : ''}${inputDamageNote(i) ? html` <strong>(${inputDamageNote(i)})</strong>` : ''}</li>`)}${analysis.clocks.map((c) => html`<li>Clock: ${clockSentence(c)}</li>`)}</ul>
`.text;
  if (analysis.phoneCount > 1) {
    yield '<nav><ul>';
    let index = 0;
    for (const p of analysis.phones())
      yield html`<li><a href="#p${index + 1}">${phoneName(p.phone, index++)}</a>: ${p.verdict}</li>`.text;
    yield '</ul></nav>';
  }
  yield '\n</header>\n<main>\n';
  let index = 0;
  for (const phone of analysis.phones()) yield phoneSection(phone, index++).text;
  const shared = totals.findingsOfNoPhone;
  yield html`
${shared.length ? html`<section id="all"><h2>Every phone (the TFTP root and the inputs)</h2>${findingsList(shared, pageIds('all', []))}</section>` : ''}
${totals.assumptions.length ? html`<section id="assumptions"><h2>Assumed where the firmware's behaviour is not documented</h2><ul>${totals.assumptions.map((a) => html`<li>${a.text} <span class="meta">(${a.id})</span></li>`)}</ul></section>` : ''}
</main>
<footer>Made by phonedoc ${report.version} from the inputs listed above. Times are UTC on the capture's clock; console and server-log times are shifted by the offsets stated.</footer>
</body>
</html>
`.text;
}

function phoneSection(phone: PhoneAnalysis, index: number): Markup {
  const prefix = `p${index + 1}`;
  const ids = pageIds(prefix, phone.timeline);
  const { placed } = phone;
  const facts = phoneFacts(phone.phone);
  const step = lastStepBeyondVerdict(phone);
  return html`<section class="phone" id="${prefix}">
<h2>Phone ${phoneName(phone.phone, index)}</h2>
<p class="verdict ${worstSeverity(phone) ?? 'ok'}">${phone.verdict}</p>
${facts ? html`<p class="meta">${facts}.</p>` : ''}
${step ? html`<p>${step}</p>` : ''}
<h3>Findings</h3>
${placed.length ? findingsList(placed, ids) : html`<p>No problem found.</p>`}
<h3>Timeline</h3>
${timelineTable(phone.timeline, placed, ids)}
</section>
`;
}

function findingsList(placed: readonly PlacedFinding[], ids: PageIds): Markup {
  const numberOf = new Map<string, number>();
  for (const p of placed) if (!numberOf.has(p.finding.id)) numberOf.set(p.finding.id, p.number);
  return html`${placed.map(({ finding, depth, number }) => {
    const cause = depth > 0 && finding.causedBy ? numberOf.get(finding.causedBy) : undefined;
    return html`<article class="finding ${finding.severity} depth-${Math.min(depth, 3)}" id="${ids.finding(number)}">
<h4>${number}. <span class="badge">${SEVERITY_WORD[finding.severity]}</span> <code>${finding.id}</code> ${finding.title}</h4>
${cause !== undefined ? html`<p class="because">A consequence of <a href="#${ids.finding(cause)}">${cause}. ${finding.causedBy}</a>.</p>` : ''}
<p>${finding.explanation}</p>
<h5>Evidence</h5>
<ul class="evidence">${finding.evidence.map((e) => evidenceItem(e, ids))}</ul>
<h5>Fix</h5>
<ol>${finding.fix.map((step) => html`<li>${step}</li>`)}</ol>
</article>
`;
  })}`;
}

function evidenceItem(e: Evidence, ids: PageIds): Markup {
  const row = ids.entry(e);
  const place = row ? html`<a href="#${row}">${evidencePlace(e)}</a>` : html`<code>${evidencePlace(e)}</code>`;
  const when = clockTime(e.time);
  return html`<li>${place}${when ? html` <span class="mono">${when}</span>` : ''}: ${e.text}</li>`;
}

function timelineTable(timeline: readonly TimelineEntry[], placed: readonly PlacedFinding[], ids: PageIds): Markup {
  if (timeline.length === 0) return html`<p>No event of this phone was seen.</p>`;
  const lanes: TimelineLane[] = ['console', 'network'];
  if (timeline.some((e) => e.lane === 'server')) lanes.push('server');
  const rows: Markup[] = [];
  let day = '';
  timeline.forEach((entry, i) => {
    const entryDay = dayOf(entry.time);
    if (entryDay && entryDay !== day) {
      day = entryDay;
      rows.push(html`<tr class="day"><td colspan="${lanes.length + 1}">${entryDay}</td></tr>`);
    }
    const cited = citingNumbers(entry, placed);
    const cells = lanes.map((lane) =>
      lane === entry.lane
        ? html`<td class="lane event kind-${entry.kind}">${entry.text}<span class="where">${shortPlace(entry)}${cited.length ? html`<span class="cites">${cited.map((n) => html`<a href="#${ids.finding(n)}">[${n}]</a>`)}</span>` : ''}</span></td>`
        : html`<td class="lane"></td>`,
    );
    const id = ids.row(i);
    rows.push(
      html`<tr${id ? html` id="${id}"` : ''}${cited.length ? html` class="cited"` : ''}><td class="time">${clockTime(entry.time) || '?'}</td>${cells}</tr>`,
    );
  });
  return html`<table class="timeline">
<thead><tr><th class="time">Time (UTC)</th>${lanes.map((l) => html`<th class="lane">${LANE_TITLE[l]}</th>`)}</tr></thead>
<tbody>
${rows.map(
  (r) => html`${r}
`,
)}</tbody>
</table>`;
}
