import type { Command } from 'commander';
import { jsonText, terminalText } from '../views/escape.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { InputError } from '../exit-codes.js';
import { refuseKernelFolder } from '../extract/output-folders.js';
import { writeTransferFiles } from '../extract/write-transfers.js';
import { byFirstTime, exchangeRecord, exchangeText, transferRecord, transferText } from '../views/conversation-rows.js';
import { LineOutput } from '../views/line-output.js';
import { formatOption, phoneOption, readPhoneOption, runCapture, type TextOrJsonl } from './capture-command.js';
import { PhoneFilter } from './phone-filter.js';

interface TransfersOptions {
  format: TextOrJsonl;
  phone?: string;
  extract?: string;
}

export function registerTransfers(program: Command): void {
  program
    .command('transfers')
    .description('one row per TFTP transfer and per DHCP exchange of captures; --extract writes the rebuilt files')
    .argument('<captures...>', 'capture files, or - for standard input')
    .addOption(formatOption())
    .addOption(phoneOption())
    .option('--extract <dir>', 'write every completely rebuilt file into DIR (names made safe, nothing overwritten)')
    .action(async (captures: string[], options: TransfersOptions) => {
      const mac = readPhoneOption(options.phone);
      if (options.extract !== undefined) refuseKernelFolder(options.extract, 'the --extract folder');
      const transfers: TftpTransfer[] = [];
      const out = new LineOutput();
      const jsonl = options.format === 'jsonl';
      const several = captures.length > 1;
      for (const capture of captures) {
        const found: TftpTransfer[] = [];
        const exchanges: DhcpExchange[] = [];
        const filter = mac ? new PhoneFilter(mac) : undefined;
        await runCapture(
          capture,
          {
            transfer: (t) => found.push(t),
            exchange: (e) => exchanges.push(e),
            ...(filter ? { packet: (p) => void filter.packet(p) } : {}),
          },
          {
            maxTransferContentBytes: options.extract === undefined ? 0 : undefined,
          },
        );
        const kept = filter ? found.filter((t) => filter.transfer(t)) : found;
        kept.sort((a, b) => a.id - b.id);
        exchanges.sort(byFirstTime);
        // Several captures: text gets a heading per file, JSONL a `file` field on each row.
        if (several && !jsonl) out.line(`==> ${capture} <==`);
        const record = (r: ReturnType<typeof exchangeRecord>): string =>
          jsonText(several ? { file: capture, ...r } : r);
        for (const e of exchanges)
          if (!filter || filter.exchange(e)) out.line(jsonl ? record(exchangeRecord(e)) : exchangeText(e));
        for (const t of kept) out.line(jsonl ? record(transferRecord(t)) : transferText(t));
        transfers.push(...kept);
      }
      await out.flush(true);
      if (options.extract !== undefined) await extract(options.extract, transfers);
    });
}

async function extract(dir: string, transfers: readonly TftpTransfer[]): Promise<void> {
  let result: Awaited<ReturnType<typeof writeTransferFiles>>;
  try {
    result = await writeTransferFiles(dir, transfers);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `cannot write extracted files into ${dir}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  for (const file of result.written)
    process.stderr.write(
      `${terminalText(`extracted ${jsonText(file.original)} -> ${file.path} (${file.bytes} bytes)`)}\n`,
    );
  for (const file of result.skipped)
    process.stderr.write(`not extracted ${jsonText(file.original)}: ${terminalText(file.reason)}\n`);
}
