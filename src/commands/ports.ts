/** `phonedoc ports`: the serial ports here, by their stable /dev/serial/by-id/ names, without udevadm. */
import { jsonText, terminalText } from '../views/escape.js';
import { Option } from 'commander';
import type { Command } from 'commander';
import { listSerialPorts, portListText } from '../console/ports.js';

export function registerPortsCommand(program: Command): void {
  program
    .command('ports')
    .description(
      'List the serial ports (USB-serial adapters) ' +
        'with their stable /dev/serial/by-id/ names, USB vendor/product and serial number.',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { format: 'text' | 'json' }) => {
      const ports = listSerialPorts();
      // Names and serial numbers come from the USB device: escaped like any input.
      process.stdout.write(
        options.format === 'json'
          ? `${jsonText(ports, 2)}\n`
          : portListText(ports).split('\n').map(terminalText).join('\n'),
      );
    });
}
