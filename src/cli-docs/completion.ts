/**
 * Shell completion scripts for bash, zsh and fish, generated from the command definitions:
 * subcommands, their options, and the choices of options that have them.
 */
import type { Command } from 'commander';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

interface CommandWords {
  readonly name: string;
  readonly description: string;
  readonly options: readonly { long: string; short?: string; description: string; choices?: readonly string[] }[];
}

function words(program: Command): CommandWords[] {
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    options: [...program.options, ...c.options]
      .filter((o) => o.long && o.long !== '--version')
      .map((o) => ({
        long: o.long!,
        ...(o.short ? { short: o.short } : {}),
        description: o.description,
        ...(o.argChoices ? { choices: o.argChoices } : {}),
      })),
  }));
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const firstSentence = (s: string): string => (s.split(/(?<=[.:;])\s/, 1)[0] ?? s).replace(/[.:;]$/, '');

function bash(commands: readonly CommandWords[]): string {
  const cases = commands.map((c) => {
    const choiceCases = c.options
      .filter((o) => o.choices)
      .map((o) => `      ${o.long}) COMPREPLY=($(compgen -W ${quote(o.choices!.join(' '))} -- "$cur")); return ;;`);
    const flags = c.options.flatMap((o) => (o.short ? [o.short, o.long] : [o.long])).join(' ');
    return [
      `    ${c.name})`,
      '      case "$prev" in',
      ...choiceCases.map((l) => `  ${l}`),
      '      esac',
      `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${quote(flags)} -- "$cur")); ` +
        `else COMPREPLY=($(compgen -f -- "$cur")); fi`,
      '      ;;',
    ].join('\n');
  });
  return `# bash completion for phonedoc (source it, or put it in /etc/bash_completion.d/phonedoc)
_phonedoc() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) command="\${COMP_WORDS[i]}"; break ;; esac
  done
  if [[ -z "$command" ]]; then
    COMPREPLY=($(compgen -W ${quote(commands.map((c) => c.name).join(' '))} -- "$cur"))
    return
  fi
  case "$command" in
${cases.join('\n')}
  esac
}
complete -o filenames -F _phonedoc phonedoc
`;
}

function zsh(commands: readonly CommandWords[]): string {
  const list = commands
    .map((c) => `    ${quote(`${c.name}:${firstSentence(c.description).replace(/:/g, '\\:')}`)}`)
    .join('\n');
  const cases = commands.map((c) => {
    const specs = c.options.map((o) => {
      const text = firstSentence(o.description).replace(/[[\]:]/g, ' ');
      const action = o.choices ? `:value:(${o.choices.join(' ')})` : '';
      return `        ${quote(`${o.long}[${text}]${action}`)}`;
    });
    return `    ${c.name})\n      _arguments \\\n${specs.join(' \\\n')} \\\n        '*:file:_files' ;;`;
  });
  return `#compdef phonedoc
# zsh completion for phonedoc (put it as _phonedoc in a directory of $fpath)
_phonedoc() {
  local -a commands
  commands=(
${list}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case "$words[2]" in
${cases.join('\n')}
  esac
}
compdef _phonedoc phonedoc
`;
}

function fish(commands: readonly CommandWords[]): string {
  const lines = [
    '# fish completion for phonedoc (put it in ~/.config/fish/completions/phonedoc.fish)',
    'complete -c phonedoc -f',
  ];
  const names = commands.map((c) => c.name).join(' ');
  for (const c of commands) {
    lines.push(
      `complete -c phonedoc -n "not __fish_seen_subcommand_from ${names}" ` +
        `-a ${c.name} -d ${quote(firstSentence(c.description))}`,
    );
    for (const o of c.options) {
      const short = o.short ? ` -s ${o.short.replace(/^-/, '')}` : '';
      const choices = o.choices ? ` -x -a ${quote(o.choices.join(' '))}` : '';
      lines.push(
        `complete -c phonedoc -n "__fish_seen_subcommand_from ${c.name}" -l ` +
          `${o.long.replace(/^--/, '')}${short}${choices} -d ${quote(firstSentence(o.description))}`,
      );
    }
    lines.push(`complete -c phonedoc -n "__fish_seen_subcommand_from ${c.name}" -F`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(program: Command, shell: CompletionShell): string {
  const commands = words(program);
  return { bash, zsh, fish }[shell](commands);
}
