/**
 * Child process of the bench: phonedoc's `parsers/` pipeline in process, without output
 * formatting. `reader`: the capture reader alone. `decoder`: reader, network decoder
 * (link, 802.1Q, IPv4 with reassembly, UDP, ARP, ICMP) and, for the datagrams the TFTP
 * conversation table claims, the TFTP decoder. The file is read in 1 MiB chunks as the
 * CLI would. Prints one JSON line (`PipelineReport`); the timed part starts after the
 * modules are loaded.
 *
 * Usage: node dist/test/bench/phonedoc-pipeline.js reader|decoder FILE
 */
import { createReadStream } from 'node:fs';
import { frameTimestamp, timestampSeconds, type CapturedFrame } from '../../parsers/capture/frame.js';
import { CaptureReader } from '../../parsers/capture/reader.js';
import { NetworkDecoder } from '../../parsers/net/decoder.js';
import { TftpConversationTable } from '../../parsers/tftp/conversations.js';
import { decodeTftp } from '../../parsers/tftp/decode.js';

export type PipelineStage = 'reader' | 'decoder';

export interface PipelineReport {
  readonly stage: PipelineStage;
  readonly frames: number;
  readonly udpDatagrams: number;
  readonly tftpPackets: number;
  readonly problems: number;
  readonly seconds: number;
  /** process.resourceUsage().maxRSS, in KiB. */
  readonly maxRssKib: number;
}

const CHUNK_BYTES = 1 << 20;

async function run(stage: PipelineStage, file: string): Promise<PipelineReport> {
  let frames = 0;
  let udpDatagrams = 0;
  let tftpPackets = 0;
  let problems = 0;
  const decoder = new NetworkDecoder();
  const tftp = new TftpConversationTable();
  const decode = (frame: CapturedFrame): void => {
    const packet = decoder.decode(frame);
    if (packet?.kind !== 'udp') return;
    udpDatagrams++;
    const time = timestampSeconds(frameTimestamp(frame));
    const match = tftp.match(packet.srcIp, packet.srcPort, packet.dstIp, packet.dstPort, packet.payload, time);
    if (match?.conversation === undefined) return;
    decodeTftp(packet.payload);
    tftpPackets++;
  };
  const reader = new CaptureReader({
    frame: stage === 'reader' ? () => { frames++; } : (frame) => { frames++; decode(frame); },
    problem: () => { problems++; },
  });
  const started = process.hrtime.bigint();
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) reader.feed(chunk as Buffer);
  reader.end();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { stage, frames, udpDatagrams, tftpPackets, problems, seconds, maxRssKib: process.resourceUsage().maxRSS };
}

const [stage, file] = process.argv.slice(2);
if ((stage !== 'reader' && stage !== 'decoder') || file === undefined) {
  process.stderr.write('usage: phonedoc-pipeline.js reader|decoder FILE\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await run(stage, file))}\n`);
