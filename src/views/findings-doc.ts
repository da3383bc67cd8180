/**
 * docs/findings.md, written from the catalog by `npm run docs:findings` (scripts/findings-doc.mjs):
 * one row per finding ID with its severity, title and the public source it cites. A test
 * fails when the file in the tree differs from what the catalog gives now.
 */
import { catalog } from '../findings/catalog.js';
import { markdownText } from './escape.js';

export const FINDINGS_DOC_PATH = 'docs/findings.md';

export function findingsDoc(): string {
  const rows = [...catalog.values()].map(
    (e) => `| \`${e.id}\` | ${e.severity} | ${markdownText(e.title)} | ${markdownText(e.source)} |`,
  );
  return [
    '# Findings',
    '',
    '<!-- Written by `npm run docs:findings` from src/findings/catalog.ts; do not edit by hand. -->',
    '',
    'Every finding `phonedoc analyze` and `phonedoc lint` report carries one of these IDs (the JSON field `id`).',
    'An ID never changes meaning. Severity: `error`, the conversion cannot succeed until it is fixed; `warning`,',
    'likely to bite, or risky; `info`, normal behaviour explained so nobody chases it. `phonedoc explain ID` gives',
    'the explanation and the fix steps.',
    '',
    '| ID | Severity | Title | Source |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
