/**
 * SIPDefault.cnf and SIP<MAC>.cnf, the text configuration of 7940/7960 SIP images.
 *
 * Cisco: `variable-name : value ; optional comments` (facts 5.1). Seen in real files: `#`
 * comment lines, values bare or in double quotes, `""` for empty, spaces or none around
 * the colon (`cnf_join_enable : 1`, `proxy1_port:"5060"`), tabs before `;`, a `;` with
 * nothing after it (`line1_name: "+441516606281";`), CRLF line ends.
 */
import { checkImageReference, type ImageReference } from './image-reference.js';
import { problemAt, type ProvisioningProblem, type SourcePosition, ProblemList } from './problem.js';
import { isKnownCnfKey, numberedKey, suggestCnfKey } from './sip-cnf-keys.js';
import {
  decodeText,
  NUL_MESSAGE,
  type ProvisioningText,
  splitLines,
  type TextLine,
  textBeforeNul,
} from './text-lines.js';

/** One `name: value` line. Its position (file, line, column) is the key's. */
export interface CnfSetting extends SourcePosition {
  readonly key: string;
  /** The value without its quotes. */
  readonly value: string;
  readonly quoted: boolean;
  /** The value as written (quotes included), without the comment. */
  readonly raw: string;
  /** 1-based column where the value (or its opening quote) starts. */
  readonly valueColumn: number;
  /** Text after `;`, trimmed; '' for a lone `;`. */
  readonly comment?: string;
}

export interface SipLineConfig {
  /** 1..6 */
  readonly index: number;
  readonly name?: CnfSetting;
  readonly authname?: CnfSetting;
  readonly password?: CnfSetting;
  readonly displayname?: CnfSetting;
  readonly shortname?: CnfSetting;
}

export interface SipProxyConfig {
  /** 1..6 */
  readonly index: number;
  readonly address?: CnfSetting;
  readonly port?: CnfSetting;
}

export interface SipCnf {
  readonly file: string;
  /** Bytes as served; SIP 2.x phones fail on a large SIPDefault.cnf ("W210 TFTP Error : buffer full"). */
  readonly byteSize: number;
  readonly lineEndings: 'lf' | 'crlf' | 'mixed' | 'none';
  /** The setting that takes effect for each key: the last one in the file [I] (not documented by Cisco). */
  readonly effective: ReadonlyMap<string, CnfSetting>;
  /** `image_version`, when set. */
  readonly imageVersion?: ImageReference;
  /** `tftp_cfg_dir`, when set: its value is put literally in front of `SIP<MAC>.cnf` (LKML-TEO, `./`). */
  readonly tftpCfgDir?: CnfSetting;
  /** `proxy<N>_*`, by N. */
  readonly proxies: readonly SipProxyConfig[];
  /** `line<N>_*`, by N. */
  readonly lines: readonly SipLineConfig[];
  readonly problems: readonly ProvisioningProblem[];
}

const KEY = /^[A-Za-z0-9_]+$/;
const TYPOGRAPHIC_QUOTES = '\u201C\u201D\u201E\u201F\u2033';

export function parseSipCnf(input: ProvisioningText, file: string): SipCnf {
  const decoded = decodeText(input);
  const { byteSize } = decoded;
  const { text, nul } = textBeforeNul(decoded.text);
  const problems = new ProblemList();
  const effective = new Map<string, CnfSetting>();
  const lines = splitLines(text);
  for (const line of lines) {
    const setting = readSettingLine(line, file, problems);
    if (setting === undefined) continue;
    checkKey(setting, effective.get(setting.key), problems);
    effective.set(setting.key, setting);
  }
  if (nul) problems.push(problemAt('CNF_LINE_SYNTAX', { file, ...nul }, NUL_MESSAGE));
  const imageVersion = readImageVersion(effective, problems);
  const tftpCfgDir = effective.get('tftp_cfg_dir');
  return {
    file,
    byteSize,
    lineEndings: lineEndingsOf(lines),
    effective,
    ...(imageVersion ? { imageVersion } : {}),
    ...(tftpCfgDir ? { tftpCfgDir } : {}),
    proxies: groupNumbered(effective, 'proxy').map(([index, f]) => ({
      index,
      address: f.get('address'),
      port: f.get('port'),
    })),
    lines: groupNumbered(effective, 'line').map(([index, f]) => ({
      index,
      name: f.get('name'),
      authname: f.get('authname'),
      password: f.get('password'),
      displayname: f.get('displayname'),
      shortname: f.get('shortname'),
    })),
    problems: problems.list(),
  };
}

function lineEndingsOf(lines: readonly TextLine[]): SipCnf['lineEndings'] {
  const crlf = lines.filter((line) => line.ending === '\r\n').length;
  const lf = lines.filter((line) => line.ending === '\n').length;
  return crlf === 0 ? (lf === 0 ? 'none' : 'lf') : lf === 0 ? 'crlf' : 'mixed';
}

/** The setting a line holds; undefined for a blank or comment line and for one the phone cannot read (said in `problems`). */
function readSettingLine(line: TextLine, file: string, problems: ProblemList): CnfSetting | undefined {
  const where = (column: number): SourcePosition => ({ file, line: line.number, column });
  let body = line.text;
  let skipped = 0;
  if (line.number === 1 && body.startsWith('\uFEFF')) {
    problems.push(
      problemAt(
        'CNF_BYTE_ORDER_MARK',
        where(1),
        'the file starts with a UTF-8 byte-order mark (EF BB BF, written by some Windows editors); the phone may read it as part of the first name [I]. Save the file without BOM.',
      ),
    );
    body = body.slice(1);
    skipped = 1;
  }
  const trimmed = body.trim();
  // `#` starts a comment line (Cisco); a line holding only a `;` comment is taken as one too [I].
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return undefined;

  const keyColumn = skipped + body.length - body.trimStart().length + 1;
  const colon = body.indexOf(':');
  if (colon < 0) {
    problems.push(
      problemAt(
        'CNF_LINE_SYNTAX',
        where(keyColumn),
        `expected "name: value", found "${trimmed}" (no colon); the line is skipped`,
      ),
    );
    return undefined;
  }
  const key = body.slice(0, colon).trim();
  if (!KEY.test(key)) {
    problems.push(
      problemAt(
        'CNF_LINE_SYNTAX',
        where(keyColumn),
        key === ''
          ? 'a value with no name before the colon; the line is skipped'
          : `"${key}" is not a parameter name (letters, digits and _ only); the line is skipped`,
      ),
    );
    return undefined;
  }
  return readValue(key, body, colon, where(keyColumn), skipped, problems);
}

/** A key set twice (the last value wins [I]) or one the phone does not know, said once at its first setting. */
function checkKey(setting: CnfSetting, earlier: CnfSetting | undefined, problems: ProblemList): void {
  const { key } = setting;
  if (earlier) {
    problems.push(
      problemAt(
        'CNF_DUPLICATE_KEY',
        setting,
        `${key} is set again (first on line ${earlier.line}); phonedoc assumes the phone keeps the last value, "${setting.value}" [I]`,
      ),
    );
    return;
  }
  if (isKnownCnfKey(key)) return;
  const suggestion = suggestCnfKey(key);
  problems.push(
    suggestion === undefined
      ? problemAt(
          'CNF_UNKNOWN_KEY',
          setting,
          `${key} is not a parameter phonedoc knows; the phone ignores names it does not know [I]`,
        )
      : problemAt('CNF_UNKNOWN_KEY_TYPO', setting, `${key} is not a known parameter; did you mean ${suggestion}?`),
  );
}

function readImageVersion(
  effective: ReadonlyMap<string, CnfSetting>,
  problems: ProblemList,
): ImageReference | undefined {
  const setting = effective.get('image_version');
  if (!setting) return undefined;
  // An unclosed quote is part of what the phone reads [I].
  const written = setting.quoted && !setting.raw.endsWith('"') ? setting.raw : setting.value;
  const checked = checkImageReference(written, { ...setting, column: setting.valueColumn }, 'image_version');
  problems.push(...checked.problems);
  return checked.reference;
}

function readValue(
  key: string,
  body: string,
  colon: number,
  at: SourcePosition,
  skipped: number,
  problems: ProblemList,
): CnfSetting {
  let start = colon + 1;
  while (start < body.length && (body[start] === ' ' || body[start] === '\t')) start++;
  const valueColumn = skipped + start + 1;
  const where = (column: number): SourcePosition => ({ file: at.file, line: at.line, column });
  const base = { file: at.file, line: at.line, column: at.column, key, valueColumn };
  const commentAfter = (from: number): { comment?: string } => {
    const semi = body.indexOf(';', from);
    return semi < 0 ? {} : { comment: body.slice(semi + 1).trim() };
  };

  if (body[start] === '"') {
    const close = body.indexOf('"', start + 1);
    if (close < 0) {
      const semi = body.indexOf(';', start);
      const value = body.slice(start + 1, semi < 0 ? body.length : semi).trim();
      problems.push(
        problemAt('CNF_UNCLOSED_QUOTE', where(valueColumn), `the value of ${key} opens a " and never closes it`),
      );
      return {
        ...base,
        value,
        quoted: true,
        raw: body.slice(start, semi < 0 ? body.length : semi).trimEnd(),
        ...commentAfter(start),
      };
    }
    const value = body.slice(start + 1, close);
    const rest = body.slice(close + 1);
    const extra = rest.trimStart();
    if (extra !== '' && !extra.startsWith(';')) {
      const column = skipped + close + 2 + rest.length - extra.length;
      problems.push(
        problemAt(
          'CNF_TEXT_AFTER_VALUE',
          where(column),
          `"${extra}" after the quoted value of ${key}: expected ";" before a comment`,
        ),
      );
    }
    return { ...base, value, quoted: true, raw: body.slice(start, close + 1), ...commentAfter(close + 1) };
  }

  const semi = body.indexOf(';', start);
  const value = body.slice(start, semi < 0 ? body.length : semi).trimEnd();
  if (value !== '' && TYPOGRAPHIC_QUOTES.includes(value[0]!)) {
    problems.push(
      problemAt(
        'CNF_TYPOGRAPHIC_QUOTE',
        where(valueColumn),
        `the value of ${key} is quoted with ${value[0]} instead of a plain "; the phone probably takes the marks as part of the value [I]`,
      ),
    );
  }
  return { ...base, value, quoted: false, raw: value, ...commentAfter(start) };
}

/** Effective `line<N>_*` / `proxy<N>_*` settings grouped by N, in order of N. */
function groupNumbered(
  effective: ReadonlyMap<string, CnfSetting>,
  family: 'line' | 'proxy',
): Array<[number, Map<string, CnfSetting>]> {
  const byIndex = new Map<number, Map<string, CnfSetting>>();
  for (const [key, setting] of effective) {
    const n = numberedKey(key);
    if (n?.family !== family) continue;
    const fields = byIndex.get(n.index) ?? new Map();
    byIndex.set(n.index, fields);
    fields.set(n.field, setting);
  }
  return [...byIndex].sort((a, b) => a[0] - b[0]);
}
