/**
 * `phonedoc analyze --format json` a phone at a time: the report's phones and findings
 * written as the engine analyses them, its summary and assumptions after them, the bytes
 * those of `jsonText(report, 2)` and a line end.
 */
import type { AnalysisInParts } from '../engine/analysis.js';
import { JsonLater, jsonTextPieces } from './escape.js';

export function analysisJsonPieces(analysis: AnalysisInParts): Iterable<string> {
  return jsonTextPieces(
    {
      ...analysis.report,
      phones: new JsonLater(function* () {
        for (const p of analysis.phones()) yield p.phone;
      }),
      findings: new JsonLater(() => analysis.findings()),
      summary: new JsonLater(() => analysis.totals().summary),
      assumptions: new JsonLater(() => analysis.totals().assumptions),
    },
    2,
  );
}
