import type { Command } from 'commander';
import { jsonText } from '../views/escape.js';
import { LineOutput } from '../views/line-output.js';
import { packetRecord, packetText } from '../views/packet-line.js';
import { formatOption, runCapture, type TextOrJsonl } from './capture-command.js';

export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description('one line per DHCP or TFTP packet of a capture (pcap or pcapng; - reads standard input)')
    .argument('<capture>', 'capture file, or - for standard input')
    .addOption(formatOption())
    .action(async (capture: string, options: { format: TextOrJsonl }) => {
      const out = new LineOutput();
      const render = options.format === 'jsonl' ? (p: Parameters<typeof packetText>[0]) => jsonText(packetRecord(p)) : packetText;
      await runCapture(capture, { packet: (packet) => out.line(render(packet)) }, {
        maxTransferContentBytes: 0,
        afterChunk: () => out.flush(),
      });
      await out.flush(true);
    });
}
