/**
 * Child process of the bench: counts the packets of a capture with pcap-parser 0.2.1, the
 * package the design card named, to show the speed and memory it would have given.
 * Prints one JSON line (`PcapParserReport`).
 *
 * Usage: node dist/test/bench/pcap-parser-count.js FILE
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

export interface PcapParserReport {
  readonly packets: number;
  readonly seconds: number;
  /** The error pcap-parser emitted, if any (it emits 'end' after it). */
  readonly error?: string;
  /** process.resourceUsage().maxRSS, in KiB. */
  readonly maxRssKib: number;
}

// pcap-parser is CommonJS without type declarations.
const pcapParser = createRequire(import.meta.url)('pcap-parser') as { parse(input: string): EventEmitter };

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: pcap-parser-count.js FILE\n');
  process.exit(2);
}
const started = process.hrtime.bigint();
let packets = 0;
let error: string | undefined;
const parser = pcapParser.parse(file);
parser.on('packet', () => {
  packets++;
});
parser.on('error', (err: Error) => {
  error = err.message;
});
parser.on('end', () => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const report: PcapParserReport = {
    packets,
    seconds,
    ...(error === undefined ? {} : { error }),
    maxRssKib: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
});
