#!/usr/bin/env node
import { terminalText } from './views/escape.js';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { EXIT_BAD_INPUT, InputError } from './exit-codes.js';
import { PHONEDOC_VERSION } from './version.js';

const program = new Command('phonedoc')
  .description('Explains Cisco 7940/7960 SCCP <-> SIP conversions from captures, console logs, TFTP-server logs and TFTP roots.')
  .version(PHONEDOC_VERSION)
  .exitOverride()
  .showHelpAfterError();
registerCommands(program);

// A reader of our output may close the pipe early (`phonedoc decode x | head`): that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // Help and version exit 0; commander already printed usage errors.
    return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  }
  if (err instanceof InputError) {
    // The message may quote an input (a file name in a TFTP root): escaped like every output.
    process.stderr.write(`phonedoc: ${terminalText(err.message)}\n`);
    return EXIT_BAD_INPUT;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`phonedoc: internal error: ${terminalText(message)}\n`);
  if (process.env.PHONEDOC_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  return 70;
}
