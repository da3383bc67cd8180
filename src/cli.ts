#!/usr/bin/env node
import { runProgram } from './program.js';

// A reader of our output may close the pipe early (`phonedoc decode x | head`): that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await runProgram(process.argv.slice(2));
