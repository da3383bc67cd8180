/**
 * `phonedoc lint TFTP_ROOT [--mac MAC]... [--model 7940|7960] [--current IMAGE] [--target IMAGE]
 * [--format text|json] [--w210-limit BYTES]`: what each phone will ask the TFTP root for, and
 * what is wrong with the root. Exit 0 when no `error` finding, 1 with one, 2 on bad input.
 */
import { jsonTextPieces, messageLine } from '../views/escape.js';
import { Option } from 'commander';
import type { Command } from 'commander';
import { parseImageName, parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import { parseMac } from '../../parsers/provisioning/file-names.js';
import type { Mac } from '../../parsers/provisioning/file-names.js';
import type { PhoneModel } from '../../parsers/provisioning/sccp-xml.js';
import { InputError } from '../exit-codes.js';
import { PHONEDOC_VERSION } from '../version.js';
import { exitCodeFor, renderText } from '../findings/report.js';
import { keepHeapNearLiveSize } from './heap-settings.js';
import { outputWidth } from '../views/wrap-text.js';
import { readW210Limit } from './shared-options.js';
import { W210_SIPDEFAULT_LIMIT_BYTES } from '../flows/assumptions.js';
import { runningRelease } from '../flows/phone.js';
import type { RunningImage } from '../flows/phone.js';
import { lintReport, lintTftpRoot } from '../lint/lint.js';
import { applicationOf } from '../upgrade/firmware.js';

interface LintCommandOptions {
  readonly mac: readonly string[];
  readonly model?: PhoneModel;
  readonly current?: string;
  readonly target?: string;
  readonly format: 'text' | 'json';
  readonly w210Limit?: string;
}

const IMAGE_FORMS =
  'an image name (P0S3-8-12-00, P0S30203, P00308010200) ' +
  'or a protocol and version in quotes ("SIP 8.12", "SCCP 8.1(2)")';

export function registerLintCommand(program: Command): void {
  program
    .command('lint')
    .description(
      'Check a TFTP root: what each phone will request, which image it will load, ' +
        'and what is wrong (names, case, permissions, images and their parts, config syntax, upgrade path).',
    )
    .argument('<tftp-root>', 'the directory the TFTP server serves')
    .option(
      '--mac <mac>',
      'a phone to predict (repeatable): 000E84C060A6 or 00:0e:84:c0:60:a6',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(new Option('--model <model>', 'phone model').choices(['7940', '7960']))
    .option('--current <image>', `the image the phones run: ${IMAGE_FORMS}`)
    .option('--target <image>', `the image the phones should end on, in the same forms`)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--w210-limit <bytes>',
      `SIPDefault.cnf size a SIP 2.x phone is taken to fail on (not documented; ` +
        `default ${W210_SIPDEFAULT_LIMIT_BYTES})`,
    )
    .action((root: string, options: LintCommandOptions) => {
      keepHeapNearLiveSize(); // a large site's root: a parsed file per phone made and dropped
      const macs = options.mac.map(readMac);
      const current = options.current === undefined ? undefined : readImage('--current', options.current);
      const target = options.target === undefined ? undefined : readImage('--target', options.target);
      const w210LimitBytes = options.w210Limit === undefined ? undefined : readW210Limit(options.w210Limit);
      const result = lintTftpRoot(root, {
        macs,
        ...(options.model ? { model: options.model } : {}),
        ...(current ? { current } : {}),
        ...(target ? { target } : {}),
        ...(w210LimitBytes !== undefined ? { w210LimitBytes } : {}),
      });
      for (const s of result.skipped)
        process.stderr.write(messageLine(`TFTP root ${root}: left out ${s.path}: ${s.reason}`));
      const report = lintReport(root, result, PHONEDOC_VERSION);
      // A large site's report is written a finding at a time, never held whole as one string.
      if (options.format === 'json') for (const piece of jsonTextPieces(report, 2)) process.stdout.write(piece);
      else process.stdout.write(renderText(report, outputWidth(process.stdout)));
      process.exitCode = exitCodeFor(report.findings);
    });
}

function readMac(text: string): Mac {
  const mac = parseMac(text);
  if (!mac)
    throw new InputError(
      `--mac "${text}" is not a MAC address: give 12 hex digits (000E84C060A6) or 00:0e:84:c0:60:a6.`,
    );
  return mac;
}

function readImage(option: string, text: string): RunningImage {
  const release = parseProtocolVersion(text);
  if (release) return runningRelease(release);
  const app = applicationOf(parseImageName(text.trim()));
  if ('refused' in app) throw new InputError(`${option} "${text}": ${app.refused}. Give ${IMAGE_FORMS}.`);
  return app;
}
