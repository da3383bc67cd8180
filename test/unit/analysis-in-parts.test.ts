/**
 * `analyze` renders a site a phone at a time (the engine's analysis in parts, each phone's
 * record and analysis made as it is written): what it writes is what the whole analysis
 * gives, in every format, and what a phone's findings need of the other phones is still seen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeFiles, analyzeFilesInParts } from '../../src/engine/input-events.js';
import type { AnalyzeInputs } from '../../src/engine/input-events.js';
import { openTicketInputs } from '../../src/sources/ticket-inputs.js';
import { analysisJsonPieces } from '../../src/views/analysis-json.js';
import { analysisMarkdownPieces, renderAnalysisMarkdown } from '../../src/views/analysis-markdown.js';
import { analysisHtmlPieces, renderAnalysisHtml } from '../../src/views/analysis-html.js';
import {
  analysisTextPieces,
  renderAnalysisText,
  renderVerdictLines,
  verdictLinePieces,
} from '../../src/views/analysis-text.js';
import { jsonText } from '../../src/views/escape.js';
import { repoRoot } from '../helpers.js';

const work = mkdtempSync(path.join(tmpdir(), 'phonedoc-in-parts-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function bundleInputs(scenario: string): Promise<{ inputs: AnalyzeInputs; cleanup: () => Promise<void> }> {
  const ticket = await openTicketInputs(
    [path.join(repoRoot, 'captures', scenario)],
    { captures: [], consoles: [], serverLogs: [] },
    () => {},
  );
  return { inputs: ticket.inputs, cleanup: ticket.cleanup };
}

/** Each format written a phone at a time, and from the whole analysis. */
async function bothWays(inputs: AnalyzeInputs) {
  const setup = { version: 'test' };
  const { analysis: whole } = await analyzeFiles(inputs, setup, () => {});
  const { analysis: parts } = await analyzeFilesInParts(inputs, setup, () => {});
  return {
    whole: {
      text: renderAnalysisText(whole),
      md: renderAnalysisMarkdown(whole),
      json: `${jsonText(whole.report, 2)}\n`,
      verdicts: renderVerdictLines(whole),
      html: renderAnalysisHtml(whole),
    },
    inParts: {
      json: [...analysisJsonPieces(parts)].join(''),
      text: [...analysisTextPieces(parts)].join(''),
      md: [...analysisMarkdownPieces(parts)].join(''),
      verdicts: [...verdictLinePieces(parts)].join(''),
      html: [...analysisHtmlPieces(parts)].join(''),
    },
    analysis: whole,
  };
}

describe('analyze a phone at a time', () => {
  for (const scenario of [
    'site-three-phones-one-fails',
    'capture-cut-short',
    'console-clock-offset',
    'dhcp-two-servers-disagree',
    'xmldefault-malformed',
  ]) {
    it(`${scenario}: text, Markdown, HTML, JSON and --quiet written a phone at a time are those of the whole analysis`, async () => {
      const { inputs, cleanup } = await bundleInputs(scenario);
      try {
        const { whole, inParts, analysis } = await bothWays(inputs);
        assert.ok(analysis.phones.length > 0);
        assert.equal(inParts.json, whole.json);
        assert.equal(inParts.text, whole.text);
        assert.equal(inParts.md, whole.md);
        assert.equal(inParts.verdicts, whole.verdicts);
        assert.equal(inParts.html, whole.html);
      } finally {
        await cleanup();
      }
    });
  }

  it('a TFTP root alone (the prediction) is written the same way a phone at a time', async () => {
    const root = path.join(repoRoot, 'captures', 'os79xx-missing', 'tftp-root');
    const { whole, inParts } = await bothWays({ captures: [], consoles: [], serverLogs: [], tftpRoot: root });
    assert.equal(inParts.json, whole.json);
    assert.equal(inParts.text, whole.text);
  });

  it("a name refused to one phone but served to another in other letter case is FILE_NAME_CASE, citing the other phone's serving", async () => {
    const log = path.join(work, 'dnsmasq-tftp.log');
    writeFileSync(
      log,
      [
        'Nov 26 08:03:37 tftp dnsmasq-tftp[9]: sent /srv/tftp/SEP000E84C060A6.cnf.xml to 192.0.2.106',
        'Nov 26 08:03:38 tftp dnsmasq-tftp[9]: sent /srv/tftp/SIPDefault.cnf to 192.0.2.106',
        'Nov 26 08:03:40 tftp dnsmasq-tftp[9]: sent /srv/tftp/SEP000E84C060A7.cnf.xml to 192.0.2.107',
        'Nov 26 08:03:41 tftp dnsmasq-tftp[9]: file /srv/tftp/sipdefault.cnf not found for 192.0.2.107',
        '',
      ].join('\n'),
    );
    const { whole, inParts, analysis } = await bothWays({ captures: [], consoles: [], serverLogs: [log] });
    assert.equal(inParts.json, whole.json);
    const byPhone = (mac: string) =>
      analysis.report.findings.filter((f) => f.id === 'FILE_NAME_CASE' && f.phone?.mac === mac);
    const [refused] = byPhone('00:0e:84:c0:60:a7');
    assert.ok(refused, 'the refused phone gets FILE_NAME_CASE');
    assert.ok(
      refused.evidence.some((e) => e.line === 2 && e.text.endsWith(': served under this spelling')),
      "its evidence cites the other phone's SIPDefault.cnf",
    );
    assert.deepEqual(byPhone('00:0e:84:c0:60:a6'), [], 'the served phone has no such finding');
  });
});
