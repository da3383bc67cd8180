/**
 * What `phonedoc decode --format jsonl` and `phonedoc transfers --format jsonl` print for a
 * capture, computed in this process through the same pipeline and record functions: for tests
 * about what a capture holds (the CLI's own behaviour is tested through the CLI elsewhere).
 */
import type { DhcpExchange } from '../parsers/dhcp/exchanges.js';
import type { JsonValue } from '../parsers/dhcp/options.js';
import { DECODED_LINK_TYPES } from '../parsers/net/link.js';
import type { TftpTransfer } from '../parsers/tftp/transfers.js';
import { decodeCaptureFile, describeCaptureProblem, type DecodedCapture } from '../src/sources/capture-file.js';
import { byFirstTime, exchangeRecord, transferRecord } from '../src/views/conversation-rows.js';
import { packetRecord } from '../src/views/packet-line.js';

export interface InProcessRun {
  readonly records: Record<string, JsonValue>[];
  /** What the command would print on stderr: problems, and frames of a link type not decoded. */
  readonly problems: string[];
  readonly damaged: boolean;
}

function problemsOf(file: string, result: DecodedCapture, problems: string[]): string[] {
  const skipped = [...result.summary.net.framesByLinkType].filter(([linkType]) => !DECODED_LINK_TYPES.has(linkType));
  return skipped.length ? [...problems, `${file}: frames not decoded: ${JSON.stringify(skipped)}`] : problems;
}

export async function decodeInProcess(file: string): Promise<InProcessRun> {
  const records: Record<string, JsonValue>[] = [];
  const problems: string[] = [];
  const result = await decodeCaptureFile(
    file,
    {
      packet: (p) => records.push(packetRecord(p)),
      problem: (p) => problems.push(describeCaptureProblem(file, p)),
    },
    { maxTransferContentBytes: 0 },
  );
  return { records, problems: problemsOf(file, result, problems), damaged: result.damaged };
}

export async function transfersInProcess(file: string): Promise<InProcessRun> {
  const transfers: TftpTransfer[] = [];
  const exchanges: DhcpExchange[] = [];
  const problems: string[] = [];
  const result = await decodeCaptureFile(
    file,
    {
      transfer: (t) => transfers.push(t),
      exchange: (e) => exchanges.push(e),
      problem: (p) => problems.push(describeCaptureProblem(file, p)),
    },
    { maxTransferContentBytes: 0 },
  );
  transfers.sort((a, b) => a.id - b.id);
  exchanges.sort(byFirstTime);
  return {
    records: [...exchanges.map(exchangeRecord), ...transfers.map(transferRecord)],
    problems: problemsOf(file, result, problems),
    damaged: result.damaged,
  };
}
