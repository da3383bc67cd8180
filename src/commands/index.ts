import type { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerCompletionCommand } from './completion.js';
import { registerConsoleCommand } from './console.js';
import { registerDecode } from './decode.js';
import { registerExplainCommand } from './explain.js';
import { registerLintCommand } from './lint.js';
import { registerPathCommand } from './path.js';
import { registerPortsCommand } from './ports.js';
import { registerTransfers } from './transfers.js';
import { registerTuiCommand } from './tui.js';

/** Every subcommand registers itself here, one line each. */
export function registerCommands(program: Command): void {
  registerDecode(program);
  registerTransfers(program);
  registerPathCommand(program);
  registerLintCommand(program);
  registerAnalyze(program);
  registerConsoleCommand(program);
  registerPortsCommand(program);
  registerExplainCommand(program);
  registerTuiCommand(program);
  registerCompletionCommand(program);
}
