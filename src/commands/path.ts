/**
 * `phonedoc path --from IMAGE_OR_VERSION --to IMAGE_OR_VERSION [--format text|json]`: the
 * legal chain of images between two firmware loads, with the files each step needs.
 */
import { jsonText } from '../views/escape.js';
import { Option } from 'commander';
import type { Command } from 'commander';
import { formatVersion, parseImageName, parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import type { ImageName, ProtocolVersion } from '../../parsers/firmware/image-name.js';
import { EXIT_OK, EXIT_PROBLEMS, InputError } from '../exit-codes.js';
import { findUpgradePath, ruleWhy } from '../upgrade/find-path.js';
import type { UpgradePath, UpgradeStep } from '../upgrade/find-path.js';
import { applicationOf, firmwareLabel } from '../upgrade/firmware.js';
import { outputWidth, TEXT_WIDTH, wrapVerbatim } from '../views/wrap-text.js';
import type { Firmware } from '../upgrade/firmware.js';

const ACCEPTED =
  'Give an image name (P0S3-8-12-00, P0S3-07-5-00, P0S30203, P00308010200, ' +
  'P0030801SR02; an extension .bin/.sbn/.loads/.sb2 may follow) ' +
  'or a protocol and version ("SIP 8.12", "sip8.12", "SCCP 8.1(2)SR2", "SCCP 7.2(3)").';

interface PathOptions {
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly format: 'text' | 'json';
  readonly release: readonly string[];
}

export function registerPathCommand(program: Command): void {
  program
    .command('path')
    .description(
      'Plan the legal chain of firmware images from what a 7940/7960 runs to what it should run, ' +
        'with the files each step needs in the TFTP root.',
    )
    .requiredOption(
      '--from <image-or-version...>',
      'what the phone runs: P0S3-8-12-00, P00308010200, "SIP 8.12", "SCCP 8.1(2)SR2"',
    )
    .requiredOption('--to <image-or-version...>', 'what the phone should run, in the same forms')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--release <version>',
      'a release to plan through that phonedoc does not know, e.g. "SCCP 4.1(3)" (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action((options: PathOptions) => {
      const from = resolve('--from', options.from.join(' '));
      const to = resolve('--to', options.to.join(' '));
      const releases = options.release.map((text) => {
        const release = parseProtocolVersion(text);
        if (!release)
          throw new InputError(`--release "${text}" is not a protocol and version such as "SCCP 4.1(3)" or "SIP 6.1".`);
        return release;
      });
      const path = findUpgradePath(from, to, { releases });
      process.stdout.write(
        options.format === 'json' ? `${jsonText(pathJson(path), 2)}\n` : pathText(path, outputWidth(process.stdout)),
      );
      process.exitCode = path.legal ? EXIT_OK : EXIT_PROBLEMS;
    });
}

/** A version (`SIP 8.12`) or an application image name; anything else is an InputError saying what is accepted. */
function resolve(option: string, text: string): ImageName | ProtocolVersion {
  const trimmed = text.trim();
  const version = parseProtocolVersion(trimmed);
  if (version) return version;
  const name = parseImageName(trimmed);
  const app = applicationOf(name);
  if ('refused' in app) throw new InputError(`${option} "${trimmed}": ${app.refused}. ${ACCEPTED}`);
  // Case does not matter on the command line, and a real name with an extension this
  // release lacks still says which release is meant.
  const wrong = name.problems.filter(
    (p) => p.severity === 'error' && p.code !== 'letter-case' && p.code !== 'extension-not-in-release',
  );
  if (wrong.length) {
    const hint = name.suggestion ? ` Did you mean ${name.suggestion}?` : '';
    throw new InputError(`${option} "${trimmed}": ${wrong.map((p) => p.message).join('; ')}.${hint} ${ACCEPTED}`);
  }
  return name;
}

export interface PathJson {
  readonly legal: boolean;
  readonly steps: readonly {
    image: string;
    protocol: string;
    version: string;
    files: readonly string[];
    why: string;
  }[];
  readonly reason: string | null;
  /** A shorter route through a move a source puts in doubt, when the chosen one avoids it. */
  readonly doubted?: { readonly steps: readonly PathJson['steps'][number][]; readonly doubt: string };
}

export function pathJson(path: UpgradePath): PathJson {
  return {
    legal: path.legal,
    steps: path.steps.map(stepJson),
    reason: path.reason ?? null,
    ...(path.doubted ? { doubted: { steps: path.doubted.steps.map(stepJson), doubt: path.doubted.doubt } } : {}),
  };
}

function stepJson(s: UpgradeStep): PathJson['steps'][number] {
  return {
    image: s.image,
    protocol: s.protocol,
    version: formatVersion(s.version, s.protocol),
    files: s.files,
    why: s.why,
  };
}

const described = (f: Firmware | undefined): string => (f ? `${firmwareLabel(f)} (${f.image})` : '?');

/** The text view, wrapped to `width` columns. */
export function pathText(path: UpgradePath, width: number = TEXT_WIDTH): string {
  const lines: string[] = [];
  const w = (text: string, first = '', rest = first): string[] => wrapVerbatim(text, first, rest, width);
  if (!path.legal) {
    lines.push(
      ...w(`No legal path from ${described(path.from)} to ${described(path.to)}: there is no route.`),
      '',
      ...w(path.reason ?? ''),
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    ...w(
      `${described(path.from)} → ${described(path.to)}: ` +
        `${path.steps.length} step${path.steps.length === 1 ? '' : 's'}.`,
    ),
  );
  path.steps.forEach((step, i) => {
    lines.push('', ...stepText(step, i + 1, w));
  });
  const notes = (path.notes ?? []).slice(path.steps.length ? 1 : 0);
  if (notes.length) lines.push('', ...notes.flatMap((n) => w(n)));
  if (path.doubted) {
    const { steps, doubt } = path.doubted;
    lines.push(
      '',
      ...w(
        `Alternative, in doubt: ` +
          `${steps.map((s) => `${s.protocol} ${formatVersion(s.version, s.protocol)} (${s.image})`).join(' → ')} ` +
          `in ${steps.length} step${steps.length === 1 ? '' : 's'}. ${doubt} The route above avoids it.`,
      ),
    );
    steps.forEach((step, i) => {
      lines.push('', ...stepText(step, i + 1, w));
    });
  }
  return `${lines.join('\n')}\n`;
}

function stepText(
  step: UpgradeStep,
  n: number,
  w: (text: string, first?: string, rest?: string) => string[],
): string[] {
  const pad = ' '.repeat(`${n}. `.length);
  const label = (title: string): string => `${pad}${title.padEnd(11)}`;
  const cont = `${pad}${' '.repeat(11)}`;
  const firmware = step.zip.files.map((f) => f.name).join(', ');
  const provenance = step.zip.inferred
    ? "file list inferred from the release's generation: unpack the whole zip"
    : 'as in the zip seen whole: unpack the whole zip';
  const how = step.provisioning.map((p) => p.how);
  const extra = step.files.filter(
    (f) =>
      !step.zip.files.some((z) => z.name === f) && !step.provisioning.some((p) => p.files.some((name) => name === f)),
  );
  return [
    ...w(`${step.protocol} ${formatVersion(step.version, step.protocol)}: ${step.image}`, `${n}. `, pad),
    ...w(`${firmware}${extra.length ? `, ${extra.join(', ')}` : ''}`, label('TFTP root:'), cont),
    ...w(`(${provenance})`, cont),
    ...(how.length
      ? how.flatMap((h, i) => w(h, i === 0 ? `${label('Name it:')}- ` : `${cont}- `, `${cont}  `))
      : [label('Name it:').trimEnd()]),
    ...w(ruleWhy(step.rule), label('Why:'), cont),
  ];
}
