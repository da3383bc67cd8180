import type { Command } from 'commander';
import { registerDecode } from './decode.js';
import { registerLintCommand } from './lint.js';
import { registerPathCommand } from './path.js';
import { registerTransfers } from './transfers.js';

/** Every subcommand registers itself here, one line each. */
export function registerCommands(program: Command): void {
  registerDecode(program);
  registerTransfers(program);
  registerPathCommand(program);
  registerLintCommand(program);
}
