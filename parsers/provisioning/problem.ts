/**
 * Problems found in provisioning files and file names. Every code is declared once in
 * `PROBLEM_CODES` with its severity and, where one applies, the finding ID of
 * ../shared/diagnoses.md the lint reports it under.
 */

/** Where a value or a problem sits: the file name the caller gave, 1-based line and column. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A value read from a provisioning file, with where it was read (evidence). */
export interface Located<T> extends SourcePosition {
  readonly value: T;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** Finding IDs (diagnoses.md) that provisioning problems point to. */
export type ProvisioningFindingId =
  | 'OS79XX_SYNTAX'
  | 'IMAGE_NAME_LETTER_O'
  | 'IMAGE_VERSION_SYNTAX'
  | 'GKDEFAULT_UPGRADECODE'
  | 'FILE_NAME_CASE'
  | 'CONFIG_MALFORMED';

interface ProblemKind {
  readonly severity: ProblemSeverity;
  readonly findingId?: ProvisioningFindingId;
}

export const PROBLEM_CODES = {
  // OS79XX.TXT: "must contain only the file name, without the .bin extension" (seed tech note).
  OS79XX_EMPTY: { severity: 'error', findingId: 'OS79XX_SYNTAX' },
  OS79XX_EXTENSION: { severity: 'error', findingId: 'OS79XX_SYNTAX' },
  /** CSCdv19260: a trailing space makes the phone request a file that does not exist. */
  OS79XX_TRAILING_SPACE: { severity: 'error', findingId: 'OS79XX_SYNTAX' },
  OS79XX_LEADING_SPACE: { severity: 'error', findingId: 'OS79XX_SYNTAX' },
  OS79XX_CARRIAGE_RETURN: { severity: 'error', findingId: 'OS79XX_SYNTAX' },
  OS79XX_BYTE_ORDER_MARK: { severity: 'error', findingId: 'OS79XX_SYNTAX' },
  OS79XX_EXTRA_LINES: { severity: 'error', findingId: 'OS79XX_SYNTAX' },
  OS79XX_BLANK_LINES: { severity: 'warning', findingId: 'OS79XX_SYNTAX' },
  OS79XX_NOT_IMAGE_NAME: { severity: 'error', findingId: 'OS79XX_SYNTAX' },
  OS79XX_FORM_FOR_VERSION: { severity: 'error', findingId: 'OS79XX_SYNTAX' },

  // Image names wherever they are written; the checks are ../firmware/image-name.ts's, the
  // codes say where the name was found (see image-reference.ts), severities are overridden by
  // image-name.ts's own.
  IMAGE_NAME_LETTER_O: { severity: 'error', findingId: 'IMAGE_NAME_LETTER_O' },
  IMAGE_NAME_CASE: { severity: 'error', findingId: 'FILE_NAME_CASE' },
  IMAGE_NAME_PADDING: { severity: 'warning' },
  IMAGE_NAME_WHITESPACE: { severity: 'error' },
  IMAGE_NAME_FORM_FOR_VERSION: { severity: 'error' },
  IMAGE_NAME_NOT_IN_RELEASE: { severity: 'error' },
  IMAGE_NAME_NOTE: { severity: 'info' },
  IMAGE_UNKNOWN_RELEASE: { severity: 'info' },
  IMAGE_OTHER_FAMILY: { severity: 'warning' },
  // image_version / loadInformation: "names the image with an extension, quotes wrongly, or in
  // a form that does not match any Cisco scheme" (IMAGE_VERSION_SYNTAX).
  IMAGE_VERSION_EXTENSION: { severity: 'error', findingId: 'IMAGE_VERSION_SYNTAX' },
  IMAGE_VERSION_QUOTES: { severity: 'error', findingId: 'IMAGE_VERSION_SYNTAX' },
  IMAGE_VERSION_WHITESPACE: { severity: 'error', findingId: 'IMAGE_VERSION_SYNTAX' },
  IMAGE_VERSION_UNKNOWN_FORM: { severity: 'error', findingId: 'IMAGE_VERSION_SYNTAX' },
  IMAGE_VERSION_FORM_FOR_VERSION: { severity: 'error', findingId: 'IMAGE_VERSION_SYNTAX' },
  IMAGE_VERSION_EMPTY: { severity: 'warning' },

  // SIPDefault.cnf / SIP<MAC>.cnf: `variable-name : value ; optional comments`.
  CNF_LINE_SYNTAX: { severity: 'warning', findingId: 'CONFIG_MALFORMED' },
  CNF_BYTE_ORDER_MARK: { severity: 'warning' },
  CNF_UNCLOSED_QUOTE: { severity: 'warning', findingId: 'CONFIG_MALFORMED' },
  CNF_TYPOGRAPHIC_QUOTE: { severity: 'warning' },
  CNF_TEXT_AFTER_VALUE: { severity: 'warning' },
  CNF_DUPLICATE_KEY: { severity: 'warning' },
  CNF_UNKNOWN_KEY_TYPO: { severity: 'warning' },
  CNF_UNKNOWN_KEY: { severity: 'info' },

  // SEP<MAC>.cnf.xml, XMLDefault.cnf.xml, dialplan.xml.
  XML_SYNTAX: { severity: 'error', findingId: 'CONFIG_MALFORMED' },
  XML_TYPOGRAPHIC_QUOTE: { severity: 'error', findingId: 'CONFIG_MALFORMED' },
  XML_UNCLOSED_TAG: { severity: 'error', findingId: 'CONFIG_MALFORMED' },
  XML_MISMATCHED_TAG: { severity: 'error', findingId: 'CONFIG_MALFORMED' },
  XML_STRAY_AMPERSAND: { severity: 'error', findingId: 'CONFIG_MALFORMED' },
  XML_EMPTY: { severity: 'warning' },
  XML_LOAD_MODEL_MISMATCH: { severity: 'warning' },
  DIALPLAN_ROOT: { severity: 'warning' },
  DIALPLAN_TEMPLATE: { severity: 'warning' },

  // RINGLIST.DAT: display name, then file name.
  RINGLIST_LINE_SYNTAX: { severity: 'warning' },
  RINGLIST_FILE_EXTENSION: { severity: 'info' },

  // gkdefault.txt `upgradecode:` (seed tech note, "SIP 5.x, 6.x to SCCP"; facts 5.5).
  GKDEFAULT_NO_UPGRADECODE: { severity: 'error', findingId: 'GKDEFAULT_UPGRADECODE' },
  GKDEFAULT_DUPLICATE_UPGRADECODE: { severity: 'warning', findingId: 'GKDEFAULT_UPGRADECODE' },
  GKDEFAULT_FIELD_COUNT: { severity: 'error', findingId: 'GKDEFAULT_UPGRADECODE' },
  GKDEFAULT_LITERAL_FIELD: { severity: 'error', findingId: 'GKDEFAULT_UPGRADECODE' },
  GKDEFAULT_TFTP_ADDRESS: { severity: 'error', findingId: 'GKDEFAULT_UPGRADECODE' },
  GKDEFAULT_DATE_CODE: { severity: 'error', findingId: 'GKDEFAULT_UPGRADECODE' },
  GKDEFAULT_DATE_MISMATCH: { severity: 'error', findingId: 'GKDEFAULT_UPGRADECODE' },
  GKDEFAULT_IMAGE_NAME: { severity: 'error', findingId: 'GKDEFAULT_UPGRADECODE' },

  // File names (requested by a phone or present in a TFTP root).
  FILE_NAME_CASE: { severity: 'warning', findingId: 'FILE_NAME_CASE' },
} as const satisfies Record<string, ProblemKind>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** A problem of a file name: it has no line. */
export interface NameProblem {
  readonly code: ProblemCode;
  readonly severity: ProblemSeverity;
  /** The diagnoses.md finding this problem is evidence for, when there is one. */
  readonly findingId?: ProvisioningFindingId;
  /** What was found and what was expected, in plain words, without the file name. */
  readonly message: string;
}

/** A problem inside a provisioning file, at a line and column. */
export interface ProvisioningProblem extends NameProblem, SourcePosition {
  /** Set on the one problem that stands for this many more of its code left out (ProblemList). */
  readonly leftOut?: number;
}

/** A quoted piece of a file longer than this is shown cut: a 1 MiB line quoted whole would be the whole report. */
export const MAX_QUOTED_CHARACTERS = 120;
const QUOTED_HEAD = 80;
const QUOTED_TAIL = 20;

/**
 * The message with every quoted piece longer than MAX_QUOTED_CHARACTERS cut to its head and
 * tail and its length said: messages quote the file between plain " marks.
 */
function withShortQuotes(message: string): string {
  if (message.length <= MAX_QUOTED_CHARACTERS) return message;
  return message
    .split('"')
    .map((piece, index) => {
      const chars = [...piece];
      if (index % 2 === 0 || chars.length <= MAX_QUOTED_CHARACTERS) return piece;
      const head = chars.slice(0, QUOTED_HEAD).join('');
      const tail = chars.slice(-QUOTED_TAIL).join('');
      return `${head}…[${chars.length - QUOTED_HEAD - QUOTED_TAIL} characters not shown]…${tail}`;
    })
    .join('"');
}

export function nameProblem(code: ProblemCode, text: string): NameProblem {
  const kind: ProblemKind = PROBLEM_CODES[code];
  const message = withShortQuotes(text);
  return kind.findingId === undefined
    ? { code, severity: kind.severity, message }
    : { code, severity: kind.severity, findingId: kind.findingId, message };
}

export function problemAt(code: ProblemCode, where: SourcePosition, message: string): ProvisioningProblem {
  // Built field by field, not spread from nameProblem's: a file of faulty lines makes one per line.
  const { severity, findingId }: ProblemKind = PROBLEM_CODES[code];
  const { file, line, column } = where;
  const text = withShortQuotes(message);
  return findingId === undefined
    ? { code, severity, message: text, file, line, column }
    : { code, severity, findingId, message: text, file, line, column };
}

/** The same problem with another severity (an image-name check that knows better than the code's default). */
export function withSeverity<T extends NameProblem>(problem: T, severity: ProblemSeverity): T {
  return { ...problem, severity };
}

export function located<T>(value: T, where: SourcePosition): Located<T> {
  return { value, file: where.file, line: where.line, column: where.column };
}

/**
 * Problems listed per code and file: a 1 MiB file can hold a hundred thousand faulty lines,
 * and a report (and the memory of a site's root) needs the first few and how many more.
 */
export const MAX_PROBLEMS_PER_CODE = 20;

/**
 * Where a parser puts the problems of one file as it finds them: the first
 * MAX_PROBLEMS_PER_CODE of each code are kept, the rest only counted, so a file of faulty
 * lines costs no memory per line.
 */
export class ProblemList {
  private readonly kept: ProvisioningProblem[] = [];
  private readonly keptPerCode = new Map<ProblemCode, number>();
  private readonly leftOut = new Map<ProblemCode, { first: ProvisioningProblem; count: number }>();

  push(...problems: readonly ProvisioningProblem[]): void {
    for (const p of problems) this.add(p);
  }

  add(p: ProvisioningProblem): void {
    const kept = this.keptPerCode.get(p.code) ?? 0;
    if (p.leftOut === undefined && kept < MAX_PROBLEMS_PER_CODE) {
      this.kept.push(p);
      this.keptPerCode.set(p.code, kept + 1);
      return;
    }
    const count = p.leftOut ?? 1;
    const known = this.leftOut.get(p.code);
    if (known) known.count += count;
    else this.leftOut.set(p.code, { first: p, count });
  }

  /** In line order; what was left out of a code is counted in one more problem of that code, where the first left out was. */
  list(): ProvisioningProblem[] {
    const counted = [...this.leftOut.values()].map(({ first, count }) => ({
      code: first.code,
      severity: first.severity,
      ...(first.findingId ? { findingId: first.findingId } : {}),
      file: first.file,
      line: first.line,
      column: first.column,
      leftOut: count,
      message: `and ${count} more problem${count === 1 ? '' : 's'} of this kind from here on, not listed (phonedoc lists the first ${MAX_PROBLEMS_PER_CODE} of a file)`,
    }));
    return [...this.kept, ...counted].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}

/** `problems` as a ProblemList lists them (for a parser that gathered them in an array). */
export function listedProblems(problems: readonly ProvisioningProblem[]): ProvisioningProblem[] {
  const list = new ProblemList();
  for (const p of problems) list.add(p);
  return list.list();
}
