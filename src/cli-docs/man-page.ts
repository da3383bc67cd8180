/**
 * phonedoc(1) in man(7) format, written at build time from the command definitions (the same
 * ones the CLI parses), so the page always lists the options the CLI accepts.
 */
import type { Command, Option } from 'commander';
import { createProgram, PROGRAM_DESCRIPTION } from '../program.js';
import { PHONEDOC_VERSION } from '../version.js';

/** Escapes text for roff: backslashes, and a leading dot or quote that would start a request. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

function optionLines(options: readonly Option[]): string[] {
  return options.flatMap((o) => ['.TP', `.B ${roff(o.flags)}`, roff(describeOption(o))]);
}

function describeOption(o: Option): string {
  const choices = o.argChoices ? ` (${o.argChoices.join(', ')})` : '';
  const fallback =
    o.defaultValue !== undefined && !Array.isArray(o.defaultValue) ? ` Default: ${String(o.defaultValue)}.` : '';
  return `${o.description}${choices}.${fallback}`.replace(/\.\./g, '.');
}

export function manPage(program: Command = createProgram()): string {
  const out = [
    `.TH PHONEDOC 1 "" "phonedoc ${roff(PHONEDOC_VERSION)}" "User Commands"`,
    '.SH NAME',
    `phonedoc \\- ${roff(PROGRAM_DESCRIPTION)}`,
    '.SH SYNOPSIS',
    ...program.commands.flatMap((c) => ['.B phonedoc', `${roff(c.name())} ${roff(c.usage())}`, '.br']),
    '.SH GLOBAL OPTIONS',
    ...optionLines(program.options),
    '.SH COMMANDS',
  ];
  for (const command of program.commands) {
    out.push(`.SS "${roff(command.name())} ${roff(command.usage())}"`, roff(command.description()));
    for (const argument of command.registeredArguments) {
      if (argument.description) out.push('.TP', `.I ${roff(argument.name())}`, roff(argument.description));
    }
    out.push(...optionLines(command.options));
  }
  out.push(
    '.SH EXIT STATUS',
    '.TP',
    '.B 0',
    'nothing wrong',
    '.TP',
    '.B 1',
    'problems found (an error finding; path: no legal chain)',
    '.TP',
    '.B 2',
    'bad usage, or input that cannot be read (the message names the file, the offset or line, and what was expected)',
    '.SH ENVIRONMENT',
    '.TP',
    '.B NO_COLOR',
    'when set and not empty, no colour unless \\-\\-color always.',
    '.SH SEE ALSO',
    'tshark(1), tcpdump(8), dnsmasq(8), in.tftpd(8)',
  );
  return `${out.join('\n')}\n`;
}
