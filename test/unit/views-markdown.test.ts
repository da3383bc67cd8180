import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderAnalysisMarkdown } from '../../src/views/analysis-markdown.js';
import { markdownText } from '../../src/views/escape.js';
import { fixtureAnalysis } from './views-fixture.js';

const HOSTILE = '<script>alert(1)</script> [click](https://evil.invalid) ![i](x.png) a|b `code` *em* _u_ &lt; \\';

/** The characters of a Markdown line once a CommonMark reader has taken its backslash escapes. */
const unescaped = (text: string): string => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('analysis Markdown view', () => {
  const md = renderAnalysisMarkdown(fixtureAnalysis());

  it('gives each phone a heading, the verdict in bold, then findings with evidence and numbered fixes, then the timeline', () => {
    const heading = md.indexOf('## Phone 00:0e:84:c0:60:a6 (7960, 192.0.2.20)');
    const verdict = md.indexOf('**SCCP 8.1(2) → SIP 8.12: stopped, the .sb2 is missing from the TFTP root**');
    const cause = md.indexOf('#### 1. ERROR LOADS\\_PART\\_MISSING: ');
    const consequence = md.indexOf('#### 2. ERROR PROTOCOL\\_APPLICATION\\_INVALID: ');
    const timeline = md.indexOf('### Timeline');
    assert.ok(
      heading >= 0 && heading < verdict && verdict < cause && cause < consequence && consequence < timeline,
      md,
    );
    assert.match(md, /\n#### 2\. ERROR PROTOCOL\\_APPLICATION\\_INVALID: .*\(because of LOADS\\_PART\\_MISSING\)\n/);
    assert.match(md, /\n- capture.pcap frame 8, 07:42:12.500: File not found: P0S3-8-12-00.sb2\n/);
    assert.match(md, /\nFix:\n\n1\. Copy P0S3-8-12-00.sb2 from the firmware zip into the TFTP root.\n2\. /);
    assert.match(
      md,
      /\n\| 07:42:12.500 \| network \| File not found: P0S3-8-12-00.sb2 \| capture.pcap frame 8 \| \[1\] \|\n/,
    );
  });

  it('keeps text from the inputs literal: no HTML, link, image, emphasis or extra table cell', () => {
    const out = renderAnalysisMarkdown(fixtureAnalysis({ hostileName: HOSTILE }));
    assert.doesNotMatch(out, /(?<!\\)[<>]/);
    assert.doesNotMatch(out, /(?<!\\)\]\(/);
    const rows = out.split('\n').filter((l) => l.startsWith('| ') && l.includes('evil'));
    assert.ok(rows.length >= 2);
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 7, row);
    assert.ok(out.includes(markdownText(HOSTILE)));
    assert.equal(unescaped(markdownText(HOSTILE)), HOSTILE);
  });

  it('shows line ends and control characters escaped on a single line, as the text report does (none is lost)', () => {
    assert.equal(markdownText('a\r\nb\u001b[1m'), 'a\\\\r\\\\nb\\\\x1b\\[1m');
  });
});
