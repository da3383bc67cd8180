/**
 * Recognisers a user adds from a JSON file, for console strings we have no source for
 * (the 7940/7960 serial output is not documented). The file holds an array of entries:
 *
 *   [{ "id": "upgrade-failed", "pattern": "^Upgrade Failed: (?<file>\\S+)", "flags": "i",
 *      "kind": "error", "fields": { "code": "OTHER" }, "source": "seen on the bench" }]
 *
 * - `id`: letters, digits, `.`, `_`, `-`; unique, and not the id of a built-in recogniser.
 * - `pattern`: a JavaScript regular expression matched against the line's message (the
 *   line without its time/severity prefix, trimmed). `flags`: any of `i`, `m`, `s`, `u`.
 * - `kind` and `fields`: as in the built-in table (recognisers.ts `KIND_FIELDS`); a field
 *   value is a constant or a template where `$<name>` inserts a named group; a named group
 *   with a field's name fills that field. An error `code` must be a constant from
 *   `CONSOLE_ERROR_CODES` (`OTHER` for an error of your own).
 * - `source`: optional, where the string was seen; shown with the evidence.
 *
 * Reading the file is the caller's business: this validates the parsed JSON value.
 */
import { CONSOLE_ERROR_CODES, TFTP_OUTCOME_WORDS } from './events.js';
import type { ConsoleRecogniser, RecognisedKind } from './recognisers.js';
import { CONSOLE_RECOGNISERS, KIND_FIELDS } from './recognisers.js';

export interface RecogniserFileError {
  /** 0-based index of the entry in the array; -1 when the whole value is wrong. */
  readonly index: number;
  readonly id?: string;
  /** What is wrong, and what was expected. */
  readonly message: string;
}

export type UserRecognisersResult =
  | { readonly ok: true; readonly recognisers: readonly ConsoleRecogniser[] }
  | { readonly ok: false; readonly errors: readonly RecogniserFileError[] };

const ENTRY_KEYS = new Set(['id', 'pattern', 'flags', 'kind', 'fields', 'source']);
const ID = /^[A-Za-z0-9._-]+$/;
const FLAGS = /^[imsu]*$/;
const NAMED_GROUP = /(?<!\\)\(\?<([A-Za-z_$][\w$]*)>/g;
const TEMPLATE_REFERENCE = /\$<([^>]*)>/g;
const BUILT_IN_IDS: ReadonlySet<string> = new Set(CONSOLE_RECOGNISERS.map((r) => r.id));
const KINDS = Object.keys(KIND_FIELDS) as RecognisedKind[];
const ERROR_CODES: ReadonlySet<string> = new Set(CONSOLE_ERROR_CODES);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKind(value: unknown): value is RecognisedKind {
  return typeof value === 'string' && (KINDS as string[]).includes(value);
}

type FieldSpec = (typeof KIND_FIELDS)[RecognisedKind][string];

/** Problems of one entry, in plain words; empty when the entry is good. */
function entryProblems(
  entry: Record<string, unknown>,
  seenIds: Set<string>,
): { problems: string[]; recogniser?: ConsoleRecogniser } {
  const problems: string[] = [];
  for (const key of Object.keys(entry)) {
    if (!ENTRY_KEYS.has(key)) problems.push(`unknown key "${key}" (expected ${[...ENTRY_KEYS].join(', ')})`);
  }

  const { id, pattern, flags, kind, fields, source } = entry;
  problems.push(...idProblems(id, seenIds));
  const regex = compilePattern(pattern, flags, problems);
  const groups = new Set(
    typeof pattern === 'string' ? [...pattern.matchAll(NAMED_GROUP)].flatMap((m) => m[1] ?? []) : [],
  );

  if (!isKind(kind)) {
    problems.push(`"kind" must be one of ${KINDS.join(', ')}`);
  }
  if (fields !== undefined && !isRecord(fields)) problems.push('"fields" must be an object of field names to strings');
  if (source !== undefined && typeof source !== 'string') problems.push('"source" must be a string');

  const given: Record<string, string> = {};
  if (isKind(kind) && (fields === undefined || isRecord(fields)))
    readFields(kind, isRecord(fields) ? fields : {}, groups, given, problems);

  if (problems.length > 0 || !regex || !isKind(kind) || typeof id !== 'string') return { problems };
  return {
    problems,
    recogniser: {
      id,
      pattern: regex,
      kind,
      ...(Object.keys(given).length > 0 ? { fields: given } : {}),
      source: typeof source === 'string' ? source : 'user recogniser file',
    },
  };
}

function idProblems(id: unknown, seenIds: ReadonlySet<string>): string[] {
  if (typeof id !== 'string' || !ID.test(id))
    return ['"id" must be a non-empty string of letters, digits, ".", "_" or "-"'];
  if (BUILT_IN_IDS.has(id)) return [`id "${id}" is already used by a built-in recogniser; choose another`];
  if (seenIds.has(id)) return [`id "${id}" is used by an earlier entry`];
  return [];
}

/** The entry's pattern with its flags; undefined when either is wrong (said in `problems`). */
function compilePattern(pattern: unknown, flags: unknown, problems: string[]): RegExp | undefined {
  if (flags !== undefined && (typeof flags !== 'string' || !FLAGS.test(flags))) {
    problems.push('"flags" must be a string of the letters i, m, s, u');
  }
  if (typeof pattern !== 'string' || pattern === '') {
    problems.push('"pattern" must be a non-empty string holding a regular expression');
    return undefined;
  }
  try {
    return new RegExp(pattern, typeof flags === 'string' && FLAGS.test(flags) ? flags : '');
  } catch (error) {
    problems.push(`"pattern" is not a valid regular expression: ${(error as Error).message}`);
    return undefined;
  }
}

/** Reads the entry's `fields` into `given`, checking each against its kind; then the kind's required fields. */
function readFields(
  kind: RecognisedKind,
  fields: Record<string, unknown>,
  groups: ReadonlySet<string>,
  given: Record<string, string>,
  problems: string[],
): void {
  const spec = KIND_FIELDS[kind];
  for (const [name, value] of Object.entries(fields)) {
    const field = spec[name];
    if (!field) {
      problems.push(`field "${name}" does not belong to kind "${kind}" (it has ${Object.keys(spec).join(', ')})`);
      continue;
    }
    const text = typeof value === 'number' && field.type === 'number' ? String(value) : value;
    if (typeof text !== 'string') {
      problems.push(`field "${name}" must be a string${field.type === 'number' ? ' or a number' : ''}`);
      continue;
    }
    problems.push(...fieldValueProblems(name, field, text, groups));
    given[name] = text;
  }
  for (const [name, field] of Object.entries(spec)) {
    if (field.required && !field.fromMatch && given[name] === undefined && !groups.has(name)) {
      problems.push(`kind "${kind}" needs field "${name}": give it in "fields" or as a named group (?<${name}>...)`);
    }
  }
}

function fieldValueProblems(name: string, field: FieldSpec, text: string, groups: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [, group] of text.matchAll(TEMPLATE_REFERENCE)) {
    if (group === undefined || !groups.has(group))
      problems.push(`field "${name}" refers to $<${group}>, which is not a named group of the pattern`);
  }
  if (field.type === 'error-code' && !ERROR_CODES.has(text)) {
    problems.push(`field "code" must be one of ${CONSOLE_ERROR_CODES.join(', ')}`);
  }
  if (
    field.type === 'outcome-word' &&
    !text.includes('$<') &&
    !(TFTP_OUTCOME_WORDS as readonly string[]).includes(text)
  ) {
    problems.push(`field "${name}" must be one of ${TFTP_OUTCOME_WORDS.join(', ')}`);
  }
  if (field.type === 'number' && !text.includes('$<') && !Number.isSafeInteger(Number(text))) {
    problems.push(`field "${name}" must be a whole number or a $<group>`);
  }
  return problems;
}

export function parseUserRecognisers(value: unknown): UserRecognisersResult {
  if (!Array.isArray(value)) {
    return { ok: false, errors: [{ index: -1, message: 'expected a JSON array of recogniser entries' }] };
  }
  const errors: RecogniserFileError[] = [];
  const recognisers: ConsoleRecogniser[] = [];
  const seenIds = new Set<string>();
  value.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) {
      errors.push({ index, message: 'expected an object with "id", "pattern" and "kind"' });
      return;
    }
    const id = typeof entry.id === 'string' ? entry.id : undefined;
    const { problems, recogniser } = entryProblems(entry, seenIds);
    for (const message of problems) errors.push({ index, ...(id !== undefined ? { id } : {}), message });
    if (id !== undefined) seenIds.add(id);
    if (recogniser) recognisers.push(recogniser);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, recognisers };
}
