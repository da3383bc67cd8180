/**
 * dialplan.xml of the SIP images (`dial_template: "dialplan"`): `<DIALTEMPLATE>` with
 * `<TEMPLATE MATCH="*" Timeout="5"/>` entries (LKML-TEO), or an empty
 * `<dialplan></dialplan>` used only so the phone finds a file (DE-BLOG).
 */
import { located, problemAt, type Located, type ProvisioningProblem, listedProblems } from './problem.js';
import { decodeText, type ProvisioningText } from './text-lines.js';
import { attribute, readXml, type XmlAttribute } from './xml-reader.js';

export interface DialTemplate {
  readonly line: number;
  readonly column: number;
  readonly match?: Located<string>;
  /** Seconds, when `Timeout` is a whole number. */
  readonly timeout?: Located<number>;
  /** Every attribute as written. */
  readonly attributes: readonly XmlAttribute[];
}

export interface DialPlan {
  readonly file: string;
  /** Name of the root element (`DIALTEMPLATE`, `dialplan`), when there is one. */
  readonly root?: Located<string>;
  readonly templates: readonly DialTemplate[];
  readonly problems: readonly ProvisioningProblem[];
}

const ROOTS = ['DIALTEMPLATE', 'dialplan'];

export function parseDialPlan(input: ProvisioningText, file: string): DialPlan {
  const doc = readXml(decodeText(input).text, file);
  const problems = [...doc.problems];
  const root = doc.roots[0];
  if (!root) {
    problems.push(
      problemAt('XML_EMPTY', { file, line: 1, column: 1 }, 'no XML element: expected <DIALTEMPLATE> or <dialplan>'),
    );
    return { file, templates: [], problems: listedProblems(problems) };
  }
  if (!ROOTS.includes(root.name)) {
    problems.push(
      problemAt(
        'DIALPLAN_ROOT',
        root,
        `the root element is <${root.name}>, expected <DIALTEMPLATE> (or an empty <dialplan>)`,
      ),
    );
  }
  const templates: DialTemplate[] = [];
  for (const element of root.children) {
    if (element.name !== 'TEMPLATE') {
      problems.push(
        problemAt(
          'DIALPLAN_TEMPLATE',
          element,
          `<${element.name}> inside <${root.name}>: expected <TEMPLATE MATCH="..." Timeout="..."/>`,
        ),
      );
      continue;
    }
    const match = attribute(element, 'MATCH');
    const timeout = attribute(element, 'Timeout');
    if (!match) problems.push(problemAt('DIALPLAN_TEMPLATE', element, '<TEMPLATE> without a MATCH attribute'));
    let seconds: Located<number> | undefined;
    if (timeout) {
      if (/^\s*\d+\s*$/.test(timeout.value)) seconds = located(Number(timeout.value), timeout);
      else
        problems.push(problemAt('DIALPLAN_TEMPLATE', timeout, `Timeout="${timeout.value}" is not a number of seconds`));
    }
    templates.push({
      line: element.line,
      column: element.column,
      ...(match ? { match: located(match.value, match) } : {}),
      ...(seconds ? { timeout: seconds } : {}),
      attributes: element.attributes,
    });
  }
  return { file, root: located(root.name, root), templates, problems: listedProblems(problems) };
}
