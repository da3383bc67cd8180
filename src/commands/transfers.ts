import type { Command } from 'commander';
import { jsonText, terminalText } from '../views/escape.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { InputError } from '../exit-codes.js';
import { refuseKernelFolder } from '../extract/output-folders.js';
import { writeTransferFiles } from '../extract/write-transfers.js';
import { byFirstTime, exchangeRecord, exchangeText, transferRecord, transferText } from '../views/conversation-rows.js';
import { LineOutput } from '../views/line-output.js';
import { formatOption, runCapture, type TextOrJsonl } from './capture-command.js';

interface TransfersOptions {
  format: TextOrJsonl;
  extract?: string;
}

export function registerTransfers(program: Command): void {
  program
    .command('transfers')
    .description('one row per TFTP transfer and per DHCP exchange of a capture; --extract writes the rebuilt files')
    .argument('<capture>', 'capture file, or - for standard input')
    .addOption(formatOption())
    .option('--extract <dir>', 'write every completely rebuilt file into DIR (names made safe, nothing overwritten)')
    .action(async (capture: string, options: TransfersOptions) => {
      if (options.extract !== undefined) refuseKernelFolder(options.extract, 'the --extract folder');
      const transfers: TftpTransfer[] = [];
      const exchanges: DhcpExchange[] = [];
      await runCapture(capture, { transfer: (t) => transfers.push(t), exchange: (e) => exchanges.push(e) }, {
        maxTransferContentBytes: options.extract === undefined ? 0 : undefined,
      });
      transfers.sort((a, b) => a.id - b.id);
      exchanges.sort(byFirstTime);
      const out = new LineOutput();
      const jsonl = options.format === 'jsonl';
      for (const e of exchanges) out.line(jsonl ? jsonText(exchangeRecord(e)) : exchangeText(e));
      for (const t of transfers) out.line(jsonl ? jsonText(transferRecord(t)) : transferText(t));
      await out.flush(true);
      if (options.extract !== undefined) await extract(options.extract, transfers);
    });
}

async function extract(dir: string, transfers: readonly TftpTransfer[]): Promise<void> {
  let result;
  try {
    result = await writeTransferFiles(dir, transfers);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write extracted files into ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const file of result.written) process.stderr.write(`extracted ${jsonText(file.original)} -> ${file.path} (${file.bytes} bytes)\n`);
  for (const file of result.skipped) process.stderr.write(`not extracted ${jsonText(file.original)}: ${terminalText(file.reason)}\n`);
}
