/**
 * The command definitions: the CLI runs them, and the man page and the shell completions are
 * generated from them, so the three never disagree.
 */
import { Command, CommanderError, Option } from 'commander';
import { registerCommands } from './commands/index.js';
import { optionErrorSentence } from './commands/option-errors.js';
import { EXIT_BAD_INPUT, EXIT_OK, InputError } from './exit-codes.js';
import { messageLine } from './views/escape.js';
import { COLOR_CHOICES } from './views/colours.js';
import { PHONEDOC_VERSION } from './version.js';

export const PROGRAM_DESCRIPTION =
  'Explains Cisco 7940/7960 SCCP <-> SIP conversions from captures, console logs, TFTP-server logs and TFTP roots.';

export function createProgram(): Command {
  const program = new Command('phonedoc')
    .description(PROGRAM_DESCRIPTION)
    .version(PHONEDOC_VERSION)
    .addOption(
      new Option('--color <when>', 'colour: auto is on a terminal when NO_COLOR is not set')
        .choices(COLOR_CHOICES)
        .default('auto'),
    )
    .exitOverride()
    // Option errors are printed by the CLI as one sentence with a hint, not commander's text and the help.
    .configureOutput({ outputError: () => undefined });
  registerCommands(program);
  return program;
}

/** Exit code for real bugs (EX_SOFTWARE, sysexits.h). */
const EXIT_BUG = 70;

/**
 * Runs one command line (the arguments after `phonedoc`) and returns its exit code: what the
 * command set, 2 with one sentence on stderr for bad usage or input, 70 for a bug. The CLI's
 * entry point, and the tests' way to run a command in their own process.
 */
export async function runProgram(args: readonly string[]): Promise<number> {
  const program = createProgram();
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...args], { from: 'user' });
    return Number(process.exitCode ?? EXIT_OK);
  } catch (err) {
    return exitCodeFor(err, args, program);
  } finally {
    process.exitCode = before;
  }
}

function exitCodeFor(err: unknown, args: readonly string[], program: Command): number {
  if (err instanceof CommanderError) {
    // Help and version exit 0 (commander printed them); `phonedoc` alone printed the help.
    if (err.exitCode === 0) return EXIT_OK;
    if (err.code === 'commander.help') return EXIT_BAD_INPUT;
    process.stderr.write(messageLine(optionErrorSentence(err, args, program)));
    return EXIT_BAD_INPUT;
  }
  if (err instanceof InputError) {
    // The message may quote an input (a file name in a TFTP root): escaped like every output.
    process.stderr.write(messageLine(err.message));
    return EXIT_BAD_INPUT;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(messageLine(`internal error: ${message}`));
  if (process.env.PHONEDOC_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  return EXIT_BUG;
}
