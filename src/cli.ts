#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT_BAD_INPUT, InputError } from './exit-codes.js';
import { createProgram } from './program.js';
import { optionErrorSentence } from './commands/option-errors.js';

const program = createProgram();

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
    // Help and version exit 0 (commander printed them).
    if (err.exitCode === 0) return 0;
    // `phonedoc` alone: commander printed the help.
    if (err.code === 'commander.help') return EXIT_BAD_INPUT;
    process.stderr.write(`${optionErrorSentence(err, process.argv.slice(2), program)}\n`);
    return EXIT_BAD_INPUT;
  }
  if (err instanceof InputError) {
    process.stderr.write(`phonedoc: ${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`phonedoc: internal error: ${message}\n`);
  if (process.env.PHONEDOC_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  return 70;
}
