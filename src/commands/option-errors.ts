import type { Command, CommanderError } from 'commander';

/**
 * A command-line mistake as one sentence in phonedoc's style, with where to look:
 * `analyze: unknown option '--fromat' (did you mean --format?); see phonedoc analyze --help`.
 * Commander's own text ("error: …" and the whole help) is not printed.
 */
export function optionErrorSentence(err: CommanderError, args: readonly string[], program: Command): string {
  const names = new Set(program.commands.map((c) => c.name()));
  const command = args.find((a) => names.has(a));
  const what = err.message
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\(Did you mean (.*)\?\)\s*$/s, ' (did you mean $1?)')
    .replace(/\.\s*$/, '')
    .replace(/\s*\n\s*/g, ' ');
  const help = command ? `phonedoc ${command} --help` : 'phonedoc --help';
  return `${command ? `${command}: ` : ''}${what}; see ${help}`;
}
