import type { Command } from 'commander';
import { jsonText, terminalText } from '../views/escape.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import type { Timestamp } from '../../parsers/capture/frame.js';
import { refuseOutputFolder } from '../extract/output-folders.js';
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
      if (options.extract !== undefined) refuseOutputFolder(options.extract, 'the --extract folder');
      const toExtract: TftpTransfer[] = [];
      const out = new LineOutput();
      const jsonl = options.format === 'jsonl';
      const several = captures.length > 1;
      for (const capture of captures) {
        const filter = mac ? new PhoneFilter(mac) : undefined;
        const record = (r: ReturnType<typeof exchangeRecord>): string =>
          jsonText(several ? { file: capture, ...r } : r);
        const rows = new CaptureRows(
          filter,
          (e) => (jsonl ? record(exchangeRecord(e)) : exchangeText(e)),
          (t) => (jsonl ? record(transferRecord(t)) : transferText(t)),
          options.extract !== undefined,
        );
        await runCapture(
          capture,
          {
            transfer: (t) => rows.transfer(t),
            exchange: (e) => rows.exchange(e),
            ...(filter ? { packet: (p) => void filter.packet(p) } : {}),
          },
          {
            maxTransferContentBytes: options.extract === undefined ? 0 : undefined,
          },
        );
        // Several captures: text gets a heading per file, JSONL a `file` field on each row.
        if (several && !jsonl) out.line(`==> ${capture} <==`);
        for (const line of rows.lines()) {
          out.line(line);
          await out.flush();
        }
        toExtract.push(...rows.extractable());
      }
      await out.flush(true);
      if (options.extract !== undefined) await extract(options.extract, toExtract);
    });
}

interface TransferRow {
  readonly id: number;
  readonly client: string;
  /** The request names the --phone MAC. */
  readonly named: boolean;
  readonly line: string;
  /** Kept only for --extract. */
  readonly transfer?: TftpTransfer;
}

/**
 * A capture's rows as their printed lines, held until the capture ends (its DHCP exchanges are
 * printed first, by first packet, then its transfers by id, and --phone knows the phone's
 * addresses only then): a line is a few hundred bytes where a transfer or exchange object with
 * its frames, options and messages is several times that.
 */
class CaptureRows {
  private readonly exchanges: { readonly firstTime: Timestamp; readonly line: string }[] = [];
  private readonly transfers: TransferRow[] = [];
  private readonly clients = new Map<string, string>();

  constructor(
    private readonly filter: PhoneFilter | undefined,
    private readonly exchangeLine: (e: DhcpExchange) => string,
    private readonly transferLine: (t: TftpTransfer) => string,
    private readonly keepForExtract: boolean,
  ) {}

  exchange(e: DhcpExchange): void {
    if (this.filter && !this.filter.exchange(e)) return;
    this.exchanges.push({ firstTime: e.firstTime, line: this.exchangeLine(e) });
  }

  transfer(t: TftpTransfer): void {
    let client = this.clients.get(t.client);
    if (client === undefined) {
      client = t.client;
      this.clients.set(client, client);
    }
    this.transfers.push({
      id: t.id,
      client,
      named: this.filter?.namedAfter(t.file) ?? true,
      line: this.transferLine(t),
      ...(this.keepForExtract && t.outcome === 'complete' ? { transfer: t } : {}),
    });
  }

  private kept(): TransferRow[] {
    const { filter } = this;
    const kept = filter ? this.transfers.filter((r) => r.named || filter.hasAddress(r.client)) : this.transfers;
    return kept.sort((a, b) => a.id - b.id);
  }

  *lines(): Iterable<string> {
    for (const e of this.exchanges.sort(byFirstTime)) yield e.line;
    for (const t of this.kept()) yield t.line;
  }

  /** The complete transfers kept, in id order, for --extract. */
  extractable(): TftpTransfer[] {
    return this.kept().flatMap((r) => (r.transfer ? [r.transfer] : []));
  }
}

/** Writes the files, saying each as it is written: a failure part-way leaves the list of what was. */
async function extract(dir: string, transfers: readonly TftpTransfer[]): Promise<void> {
  await writeTransferFiles(dir, transfers, {
    written: (file) =>
      process.stderr.write(
        `extracted ${jsonText(file.original)} -> ${terminalText(file.path)} (${file.bytes} bytes` +
          `${file.sameAsEarlier ? ', the same as an earlier transfer: not written again' : ''})\n`,
      ),
    skipped: (file) => process.stderr.write(`not extracted ${jsonText(file.original)}: ${terminalText(file.reason)}\n`),
  });
}
