/**
 * `phonedoc explain ID`: a finding of the catalog in plain words, with the fix. The ID may be
 * typed in any letter case, with `-` or spaces for `_`. An unknown ID exits 2 naming the
 * IDs that are close to it (or all of them when none is).
 */
import { jsonText } from '../views/escape.js';
import type { Command } from 'commander';
import { catalog, type CatalogEntry, catalogEntry, isFindingId } from '../findings/catalog.js';
import { InputError } from '../exit-codes.js';
import { wrap } from '../views/wrap-text.js';

const TOPIC_TITLE: Readonly<Record<CatalogEntry['topic'], string>> = {
  dhcp: 'DHCP and reaching the TFTP server',
  files: 'the files the phone asks for',
  firmware: 'firmware and conversion path',
  evidence: 'about the evidence itself',
};

const SEVERITY_MEANING: Readonly<Record<CatalogEntry['severity'], string>> = {
  error: 'error: the conversion cannot succeed until it is fixed',
  warning: 'warning: likely to bite, or risky',
  info: 'info: normal behaviour, explained so nobody chases it',
};

/** Close IDs shown at most. */
const MAX_SUGGESTIONS = 6;

export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('Explain a finding ID (as lint and analyze report it) in plain words, with the fix.')
    .argument('[id]', 'a finding ID, e.g. LOADS_PART_MISSING')
    .option('--list', 'list every finding ID with its severity and title')
    .action((id: string | undefined, options: { list?: boolean }) => {
      if (options.list) {
        if (id !== undefined) throw new InputError('explain takes an ID or --list, not both.');
        process.stdout.write(renderCatalogList());
        return;
      }
      if (id === undefined)
        throw new InputError('explain needs a finding ID (e.g. LOADS_PART_MISSING), or --list for all of them.');
      process.stdout.write(renderExplanation(findEntry(id)));
    });
}

function normalize(id: string): string {
  return id
    .trim()
    .toUpperCase()
    .replace(/[-\s]+/g, '_');
}

export function findEntry(id: string): CatalogEntry {
  const wanted = normalize(id);
  if (isFindingId(wanted)) return catalogEntry(wanted);
  const close = closeIds(wanted);
  const shown = jsonText(id);
  throw new InputError(
    close.length
      ? `${shown} is not a finding ID. Close: ${close.join(', ')}.`
      : `${shown} is not a finding ID. The IDs are: ${[...catalog.keys()].join(', ')}.`,
  );
}

/**
 * IDs that contain what was typed (or are contained in it), share a word
 * with it, or are a few edits away; closest first.
 */
function closeIds(wanted: string): string[] {
  const words = new Set(wanted.split('_').filter((w) => w.length >= 3));
  const scored: { id: string; score: number }[] = [];
  for (const id of catalog.keys()) {
    const distance = editDistance(wanted, id);
    const contains = wanted.length >= 3 && (id.includes(wanted) || wanted.includes(id));
    const shared = id.split('_').filter((w) => words.has(w)).length;
    if (contains || shared > 0 || distance <= Math.max(2, Math.floor(id.length / 4))) {
      scored.push({ id, score: (contains ? 0 : 1000) - shared * 100 + distance });
    }
  }
  return scored
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.id);
}

/** Levenshtein distance (insertions, deletions, substitutions), one row of the table at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let distance = b.length;
  for (let i = 0; i < a.length; i++) {
    // Walking the row: `diagonal` is previous[j], `above` previous[j + 1], `left` current[j].
    let diagonal = i;
    let left = i + 1;
    const current = [left];
    for (const [j, above] of previous.slice(1).entries()) {
      left = Math.min(above + 1, left + 1, diagonal + (a.charAt(i) === b.charAt(j) ? 0 : 1));
      current.push(left);
      diagonal = above;
    }
    previous = current;
    distance = left;
  }
  return distance;
}

/** One line per ID of the catalog: ID, severity, title. */
export function renderCatalogList(): string {
  const entries = [...catalog.values()];
  const idWidth = Math.max(...entries.map((e) => e.id.length));
  return entries.map((e) => `${e.id.padEnd(idWidth)}  ${e.severity.padEnd(7)}  ${e.title}\n`).join('');
}

export function renderExplanation(entry: CatalogEntry): string {
  const out = [
    ...wrap(`${entry.id}: ${entry.title}`, '', '  '),
    ...wrap(`${SEVERITY_MEANING[entry.severity]}. Topic: ${TOPIC_TITLE[entry.topic]}.`, '  '),
    '',
    ...wrap(entry.explanation, ''),
    '',
    'Fix:',
  ];
  entry.fix.forEach((step, i) => {
    out.push(...wrap(step, `  ${i + 1}. `));
  });
  if (entry.causes?.length) {
    out.push(
      '',
      ...wrap(
        `Can follow from: ${entry.causes.join(', ')}. ` +
          `When phonedoc reports one of them too, this finding names it and takes its fix.`,
        '',
      ),
    );
  }
  out.push('', ...wrap(`Source: ${entry.source}`, ''));
  return `${out.join('\n')}\n`;
}
