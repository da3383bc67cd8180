/**
 * The command definitions: the CLI runs them, and the man page and the shell completions are
 * generated from them, so the three never disagree.
 */
import { Command, Option } from 'commander';
import { registerCommands } from './commands/index.js';
import { COLOR_CHOICES } from './views/color.js';
import { PHONEDOC_VERSION } from './version.js';

export const PROGRAM_DESCRIPTION =
  'Explains Cisco 7940/7960 SCCP <-> SIP conversions from captures, console logs, TFTP-server logs and TFTP roots.';

export function createProgram(): Command {
  const program = new Command('phonedoc')
    .description(PROGRAM_DESCRIPTION)
    .version(PHONEDOC_VERSION)
    .addOption(new Option('--color <when>', 'colour: auto (when the output is a terminal and NO_COLOR is not set), never or always').choices(COLOR_CHOICES).default('auto'))
    .exitOverride()
    // Option errors are printed by the CLI as one sentence with a hint, not commander's text and the help.
    .configureOutput({ outputError: () => undefined });
  registerCommands(program);
  return program;
}
