#!/usr/bin/env node
import { runProgram } from './program.js';

let hungUp = false;

/**
 * A reader of our output may close the pipe early (`phonedoc decode x | head`): that is not an
 * error. A terminal that went away (its window closed, tmux killed: EIO) ends phonedoc as the
 * hangup it is, once, so the TUI and the console close their sources and logs; their last writes
 * to the lost terminal fail the same way and are let go.
 */
function onStandardStreamError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  if (err.code !== 'EIO') throw err;
  if (hungUp) return;
  hungUp = true;
  process.kill(process.pid, 'SIGHUP');
}

for (const stream of [process.stdin, process.stdout, process.stderr]) stream.on('error', onStandardStreamError);

process.exitCode = await runProgram(process.argv.slice(2));
