/**
 * Child process of the bench: phonedoc's `parsers/` pipeline in process, without output
 * formatting, fed by phonedoc's own file input (`readCaptureInto`, 1 MiB reads).
 * `reader`: the capture reader alone, frames counted. `decoder`: the reader and the
 * `CaptureDecoder` that `phonedoc decode` uses (network decoder, DHCP and TFTP decoders,
 * transfer and exchange trackers), packets counted instead of printed. Prints one JSON
 * line (`PipelineReport`); the timed part starts after the modules are loaded.
 *
 * Usage: node dist/test/bench/phonedoc-pipeline.js reader|decoder FILE
 */
import { CaptureDecoder } from '../../parsers/capture/decoder.js';
import { CaptureReader, type CaptureSink } from '../../parsers/capture/reader.js';
import { readCaptureInto } from '../../src/sources/capture-input.js';

export type PipelineStage = 'reader' | 'decoder';

export interface PipelineReport {
  readonly stage: PipelineStage;
  readonly frames: number;
  /** Decoded DHCP and TFTP packets (decoder stage only). */
  readonly dhcpTftpPackets: number | undefined;
  readonly problems: number;
  readonly seconds: number;
  /** process.resourceUsage().maxRSS, in KiB. */
  readonly maxRssKib: number;
}

async function run(stage: PipelineStage, file: string): Promise<PipelineReport> {
  let frames = 0;
  let packets = 0;
  let problems = 0;
  const countProblem = (): void => {
    problems++;
  };
  const decoder =
    stage === 'decoder'
      ? new CaptureDecoder(
          {
            packet: () => {
              packets++;
            },
            problem: countProblem,
          },
          { maxTransferContentBytes: 0 },
        )
      : undefined;
  const sink: CaptureSink = decoder ?? {
    frame: () => {
      frames++;
    },
    problem: countProblem,
  };
  const started = process.hrtime.bigint();
  await readCaptureInto(file, new CaptureReader(sink));
  if (decoder !== undefined) frames = decoder.finish().frames;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    stage,
    frames,
    dhcpTftpPackets: decoder === undefined ? undefined : packets,
    problems,
    seconds,
    maxRssKib: process.resourceUsage().maxRSS,
  };
}

const [stage, file] = process.argv.slice(2);
if ((stage !== 'reader' && stage !== 'decoder') || file === undefined) {
  process.stderr.write('usage: phonedoc-pipeline.js reader|decoder FILE\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await run(stage, file))}\n`);
