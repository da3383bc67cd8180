import { Argument } from 'commander';
import type { Command } from 'commander';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../cli-docs/completion.js';

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script: phonedoc completion bash > /etc/bash_completion.d/phonedoc')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(COMPLETION_SHELLS))
    .action((shell: CompletionShell) => {
      process.stdout.write(completionScript(program, shell));
    });
}
