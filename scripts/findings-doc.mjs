#!/usr/bin/env node
/**
 * `npm run docs:findings`: writes docs/findings.md from the finding catalog (src/views/findings-doc.ts,
 * run from the build in dist/). test/unit/findings-doc.test.ts fails when the file is not what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { FINDINGS_DOC_PATH, findingsDoc } = await import(
  pathToFileURL(path.join(root, 'dist', 'src', 'views', 'findings-doc.js')).href
);
const target = path.join(root, FINDINGS_DOC_PATH);
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, findingsDoc());
process.stdout.write(`wrote ${FINDINGS_DOC_PATH}\n`);
