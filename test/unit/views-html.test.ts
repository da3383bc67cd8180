import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { causalOrder } from '../../src/findings/causal-order.js';
import type { Analysis } from '../../src/engine/analysis.js';
import { htmlText } from '../../src/views/escape.js';
import { html } from '../../src/views/html-markup.js';
import { renderAnalysisHtml } from '../../src/views/analysis-html.js';
import { fixtureAnalysis } from './views-fixture.js';
import { first, nth, utcSeconds } from '../helpers.js';

const HOSTILE =
  '<script>document.title="pwned"</script><img src=x ' +
  'onerror=alert(1)>"\'&amp;<a href="https://evil.invalid/">x</a><style>@import url(//evil.invalid)</style>';

/** Every string of the analysis that could come from the inputs, replaced by `text`. */
function everywhere(text: string): Analysis {
  const a = fixtureAnalysis({ hostileName: text, captureFile: `${text}.pcap`, consoleFile: `${text}.log` });
  const findings = nth(a.phones, 0).findings.map((f) => ({
    ...f,
    title: `${f.title} ${text}`,
    explanation: `${f.explanation} ${text}`,
    fix: [...f.fix, text],
    evidence: f.evidence.map((e) => ({ ...e, text: `${e.text} ${text}` })),
  }));
  const phone = { ...nth(a.phones, 0).phone, lastStep: text, flow: text };
  return {
    report: { ...a.report, findings, phones: [phone], assumptions: [{ id: text, text }] },
    phones: [
      {
        ...first(a.phones, 'a phone'),
        phone,
        verdict: text,
        findings,
        placed: causalOrder(findings),
        timeline: nth(a.phones, 0).timeline.map((e) => ({ ...e, text: `${e.text} ${text}` })),
      },
    ],
    clocks: a.clocks.map((c) => ({ ...c, detail: text })),
    findingsOfNoPhone: [],
  };
}

const TAGS = new Set([
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'header',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'p',
  'span',
  'ul',
  'ol',
  'li',
  'code',
  'nav',
  'a',
  'main',
  'section',
  'article',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'footer',
]);

function tagsOf(page: string): string[] {
  return [...page.matchAll(/<\/?([!a-zA-Z][^\s>/]*)/g)].map((m) => nth(m, 1).toLowerCase());
}

/** The start tags of the page, attributes included (text from the inputs cannot hold a raw `<`). */
function startTags(page: string): string[] {
  return [...page.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
}

function styleSheets(page: string): string[] {
  return [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => nth(m, 1));
}

function attribute(page: string, name: string): string[] {
  return [...page.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => nth(m, 1));
}

describe('html markup', () => {
  it('escapes every interpolated string and only markup made by html passes as is', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(
      html`<p title="${'"x"'}">${inner}${[html`<u>${'<'}</u>`]}${undefined}${7}</p>`.text,
      '<p title="&#34;x&#34;"><b>&#60;i&#62;</b><u>&#60;</u>7</p>',
    );
    assert.equal(htmlText(`&<>"'`), '&#38;&#60;&#62;&#34;&#39;');
  });
});

describe('analysis HTML view', () => {
  const page = renderAnalysisHtml(fixtureAnalysis());

  it('holds only the elements of a report: no script, no embedded content, no event handler', () => {
    const hostilePage = renderAnalysisHtml(everywhere(HOSTILE));
    for (const p of [page, hostilePage]) {
      assert.deepEqual(
        tagsOf(p).filter((t) => !TAGS.has(t)),
        [],
      );
      for (const tag of startTags(p)) assert.doesNotMatch(tag, /\son[a-z]+\s*=/i);
      assert.doesNotMatch(p, /<script|<img|<iframe|<object|<embed|<link|<base|<form|<svg/i);
    }
  });

  it('refers to nothing outside itself: every link is an #anchor to an element of the page, no src, no url() nor @import', () => {
    const hostilePage = renderAnalysisHtml(everywhere(HOSTILE));
    for (const p of [page, hostilePage]) {
      const ids = attribute(p, 'id');
      assert.equal(new Set(ids).size, ids.length, 'ids are unique');
      const hrefs = attribute(p, 'href');
      assert.ok(hrefs.length > 0);
      for (const href of hrefs) {
        assert.match(href, /^#[\w-]+$/);
        assert.ok(ids.includes(href.slice(1)), `${href} has a target`);
      }
      for (const tag of startTags(p))
        assert.doesNotMatch(tag, /\s(src|srcset|action|formaction|background|poster|data)=/i);
      const sheets = styleSheets(p);
      assert.equal(sheets.length, 1);
      assert.doesNotMatch(nth(sheets, 0), /url\(|@import|\/\//i);
    }
  });

  it('forbids scripts and fetches with a Content-Security-Policy in the page', () => {
    assert.match(
      page,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;[^"]*">/,
    );
    assert.ok(page.indexOf('Content-Security-Policy') < page.indexOf('<style>'), 'the policy comes before any content');
  });

  it('shows every input string as text, escaped', () => {
    const hostilePage = renderAnalysisHtml(everywhere(HOSTILE));
    assert.ok(!hostilePage.includes(HOSTILE));
    const shown = htmlText(HOSTILE);
    // verdict, lastStep, flow, titles, explanations, fixes, evidence, timeline, inputs, clock, assumption
    assert.ok(hostilePage.split(shown).length - 1 >= 20, 'the text is shown in each place');
  });

  it('puts the verdict first and links each piece of evidence to its timeline row, and rows back to findings', () => {
    assert.ok(page.indexOf('class="verdict error"') < page.indexOf('<h3>Findings</h3>'));
    assert.match(
      page,
      /<p class="verdict error">SCCP 8\.1\(2\) → SIP 8\.12: stopped, the \.sb2 is missing from the TFTP root<\/p>/,
    );
    const evidence = /<a href="#(p1-e\d+)">capture\.pcap frame 8<\/a>/.exec(page);
    assert.ok(evidence, 'the sb2 evidence is a link');
    const row = new RegExp(`<tr id="${evidence[1]}" class="cited">(.*?)</tr>`).exec(page);
    assert.ok(row, 'the row exists and is marked as cited');
    assert.match(nth(row, 1), /File not found: P0S3-8-12-00\.sb2/);
    const back = /<a href="#(p1-f\d+)">\[1\]<\/a>/.exec(nth(row, 1));
    assert.ok(back);
    assert.match(
      page,
      new RegExp(
        `<article class="finding error depth-0" id="${back[1]}">\\s*<h4>1\\. ` +
          `<span class="badge">ERROR</span> <code>LOADS_PART_MISSING</code>`,
      ),
    );
  });

  it('lays the timeline out in lanes side by side: console, then network', () => {
    assert.match(
      page,
      /<th class="time">Time \(UTC\)<\/th><th class="lane">Console<\/th><th class="lane">Network<\/th><\/tr>/,
    );
    const console =
      /<tr[^>]*><td class="time">07:42:12\.700<\/td><td class="lane event kind-status">Protocol Application Invalid/.test(
        page,
      );
    const network =
      /<tr[^>]*><td class="time">07:42:12\.500<\/td><td class="lane"><\/td><td class="lane event kind-error">File not found: P0S3-8-12-00\.sb2/.test(
        page,
      );
    assert.ok(console && network);
    assert.doesNotMatch(page, />Server log</, 'no empty server lane');
  });

  it('indents a consequence under its cause and links back to the cause', () => {
    assert.match(
      page,
      /<article class="finding error depth-1" id="p1-f2">[\s\S]*?<p class="because">A consequence of <a href="#p1-f1">1\. LOADS_PART_MISSING<\/a>\.<\/p>/,
    );
  });

  it('adds the server-log lane when the timeline has one, and a table of contents for several phones', () => {
    const a = fixtureAnalysis();
    const phone = first(a.phones, 'a phone');
    const served = {
      anchor: 'server-log:tftpd.log:7',
      time: utcSeconds('2026-11-26T07:42:12.501Z'),
      source: 'server-log' as const,
      file: 'tftpd.log',
      line: 7,
      lane: 'server' as const,
      kind: 'server' as const,
      text: 'tftpd: RRQ from 192.0.2.20 filename P0S3-8-12-00.sb2: File not found',
      findingIds: [],
    };
    const second = {
      ...phone,
      phone: { mac: '00:0d:bc:50:00:02' },
      verdict: 'SIP 8.12: booted',
      findings: [],
      placed: [],
      timeline: [served],
    };
    const out = renderAnalysisHtml({ ...a, phones: [{ ...phone, timeline: [...phone.timeline, served] }, second] });
    assert.match(out, /<th class="lane">Console<\/th><th class="lane">Network<\/th><th class="lane">Server log<\/th>/);
    assert.match(
      out,
      /<td class="time">07:42:12\.501<\/td><td class="lane"><\/td><td class="lane"><\/td><td class="lane event kind-server">tftpd: RRQ/,
    );
    assert.match(
      out,
      /<nav><ul><li><a href="#p1">00:0e:84:c0:60:a6 \(7960, 192\.0\.2\.20\)<\/a>: SCCP 8\.1\(2\)[^<]*<\/li><li><a href="#p2">00:0d:bc:50:00:02<\/a>: SIP 8\.12: booted<\/li><\/ul><\/nav>/,
    );
    assert.match(out, /<section class="phone" id="p2">[\s\S]*<p>No problem found\.<\/p>/);
  });
});
