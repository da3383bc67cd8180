import type { Command } from 'commander';
import type { DecodedPacket } from '../../parsers/capture/decoder.js';
import { jsonText } from '../views/escape.js';
import { LineOutput } from '../views/line-output.js';
import { packetRecord, packetText } from '../views/packet-line.js';
import { formatOption, phoneOption, readPhoneOption, runCapture, type TextOrJsonl } from './capture-command.js';
import { PhoneFilter } from './phone-filter.js';

export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description(
      'one line per DHCP or TFTP packet of captures (pcap or pcapng, gzip-compressed too; - reads standard input)',
    )
    .argument('<captures...>', 'capture files, or - for standard input')
    .addOption(formatOption())
    .addOption(phoneOption())
    .action(async (captures: string[], options: { format: TextOrJsonl; phone?: string }) => {
      const mac = readPhoneOption(options.phone);
      const out = new LineOutput();
      const several = captures.length > 1;
      for (const capture of captures) {
        const filter = mac ? new PhoneFilter(mac) : undefined;
        // Several captures: text gets a heading per file, JSONL a `file` field on each record.
        const render =
          options.format === 'jsonl'
            ? (p: DecodedPacket) => jsonText(several ? { file: capture, ...packetRecord(p) } : packetRecord(p))
            : packetText;
        if (several && options.format === 'text') out.line(`==> ${capture} <==`);
        await runCapture(
          capture,
          {
            packet: (packet) => {
              if (!filter || filter.packet(packet)) out.line(render(packet));
            },
          },
          {
            maxTransferContentBytes: 0,
            afterChunk: () => out.flush(),
          },
        );
      }
      await out.flush(true);
    });
}
