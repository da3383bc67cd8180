/**
 * The packets behind one network row of the bench TUI, read again from the row's capture
 * file and printed as `phonedoc decode` prints them: every datagram of the TFTP transfer, or
 * every message of the DHCP exchange, the row's frame belongs to.
 *
 * Two passes over the file: the first finds the transfer or exchange (the decoder only knows
 * one when it has ended), the second keeps its packets. A transfer of a whole image can be
 * thousands of packets: the first and last lines are kept and those between only counted.
 * A file still being written (a live session's capture) is read as far as it goes now.
 */
import type { CaptureDecoderHandlers, DecodedPacket } from '../../parsers/capture/decoder.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import { HeadAndTail } from '../../parsers/capture/head-and-tail.js';
import type { HeadAndTailLimits } from '../../parsers/capture/head-and-tail.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import { InputError } from '../exit-codes.js';
import { decodeCaptureFile, describeCaptureProblem } from '../sources/capture-file.js';
import { packetText } from '../views/packet-line.js';

/** Lines kept from the start of the transfer or exchange and from its end. */
export const ROW_PACKETS_LIMITS: HeadAndTailLimits = { head: 200, tail: 50 };

export interface RowPackets {
  /** What the packets are, e.g. `TFTP read of "SEP….cnf.xml", 192.0.2.106:54218 <-> 192.0.2.1 (port 56613)`; undefined when the frame belongs to none. */
  readonly title: string | undefined;
  /** The first packets, one `phonedoc decode` text line each. */
  readonly head: readonly string[];
  /** Packets between `head` and `tail`, counted, not kept. */
  readonly omitted: number;
  /** The last packets. */
  readonly tail: readonly string[];
  /** Set when damage (or the end of a file still being written) stopped the reading: one line saying where and why. */
  readonly stopped?: string;
}

/** The transfer or exchange a frame belongs to, and the last frame that can be one of its packets. */
type Found =
  | { readonly kind: 'tftp'; readonly transfer: TftpTransfer; readonly lastFrame: number }
  | { readonly kind: 'dhcp'; readonly exchange: DhcpExchange; readonly lastFrame: number };

/**
 * The packets of the TFTP transfer or DHCP exchange that frame `frame` of `file` belongs to
 * (for a TFTP row, the frame of a request; for a DHCP row, the frame of one message).
 * Rejects with an `InputError` when the file cannot be opened.
 */
export async function readRowPackets(
  file: string,
  frame: number,
  limits: HeadAndTailLimits = ROW_PACKETS_LIMITS,
): Promise<RowPackets> {
  // '-' would read standard input, which is the terminal here and was consumed long ago.
  if (file === '-') throw new InputError('the capture came from standard input: its packets cannot be read again');

  // Pass 1: which transfer or exchange holds the frame, and where it ends.
  let target: DecodedPacket | undefined;
  let lastSeen = 0;
  let found = undefined as Found | undefined;
  const search = new AbortController();
  // A transfer or exchange is emitted before the packet that ended it (a final ACK, a new request, a later message) is handed on.
  const lastFrameOf = (frames: readonly (number | undefined)[]): number =>
    Math.max(lastSeen, ...frames.filter((f) => f !== undefined));
  const searchStopped = await decodePass(
    file,
    {
      packet: (p) => {
        lastSeen = p.frame;
        if (p.frame === frame) target = p;
      },
      transfer: (transfer) => {
        if (found) return;
        const f = transfer.frames;
        const lastFrame = lastFrameOf([
          ...f.requests,
          f.oack,
          f.firstData,
          f.lastData,
          f.finalAck,
          f.error,
          f.unreachable,
        ]);
        if (f.requests.includes(frame) || (target !== undefined && inTransfer(transfer, lastFrame, target))) {
          found = { kind: 'tftp', transfer, lastFrame };
          search.abort();
        }
      },
      exchange: (exchange) => {
        if (found) return;
        const lastFrame = lastFrameOf(exchange.frames);
        if (exchange.frames.includes(frame) || (target !== undefined && inExchange(exchange, lastFrame, target))) {
          found = { kind: 'dhcp', exchange, lastFrame };
          search.abort();
        }
      },
    },
    search.signal,
  );
  if (!found)
    return { title: undefined, head: [], omitted: 0, tail: [], ...(searchStopped ? { stopped: searchStopped } : {}) };

  // Pass 2: its packets, up to the last frame that can be one of them.
  const hit: Found = found;
  const { lastFrame } = hit;
  const belongs = (p: DecodedPacket): boolean =>
    hit.kind === 'tftp' ? inTransfer(hit.transfer, lastFrame, p) : inExchange(hit.exchange, lastFrame, p);
  const lines = new HeadAndTail<string>(limits);
  const done = new AbortController();
  const stopped = await decodePass(
    file,
    {
      packet: (p) => {
        if (p.frame > lastFrame) done.abort();
        else if (belongs(p)) lines.add(packetText(p));
      },
    },
    done.signal,
  );
  const title = hit.kind === 'tftp' ? transferTitle(hit.transfer) : exchangeTitle(hit.exchange);
  return { title, head: lines.head(), omitted: lines.omitted, tail: lines.tail(), ...(stopped ? { stopped } : {}) };
}

/** One read of the file; resolves to what stopped it early (damage, a cut-short end), if anything did before `signal` aborted. */
async function decodePass(
  file: string,
  handlers: Omit<CaptureDecoderHandlers, 'problem'>,
  signal: AbortSignal,
): Promise<string | undefined> {
  let stopped: string | undefined;
  await decodeCaptureFile(
    file,
    {
      ...handlers,
      problem: (p) => {
        if (p.severity === 'error' && !signal.aborted) stopped ??= describeCaptureProblem(file, p);
      },
    },
    { maxTransferContentBytes: 0, signal },
  );
  return stopped;
}

/**
 * A datagram of the transfer: between the client's port and the server (port 69, the port it
 * answered from, or a second port answering a retried request), from the first request on.
 * An ICMP error is placed by the datagram it quotes.
 */
function inTransfer(t: TftpTransfer, lastFrame: number, p: DecodedPacket): boolean {
  if (p.proto !== 'tftp' || p.frame < (t.frames.requests[0] ?? Infinity) || p.frame > lastFrame) return false;
  return (
    (p.src === t.client && p.sport === t.clientPort && p.dst === t.server) ||
    (p.dst === t.client && p.dport === t.clientPort && p.src === t.server)
  );
}

/** A message of the exchange: same client hardware address and transaction id, within its frames. */
function inExchange(e: DhcpExchange, lastFrame: number, p: DecodedPacket): boolean {
  if (p.proto !== 'dhcp' || p.frame < (e.frames[0] ?? Infinity) || p.frame > lastFrame) return false;
  return p.dhcp.xid === e.xid && p.dhcp.chaddr?.toLowerCase() === e.client;
}

function transferTitle(t: TftpTransfer): string {
  const request = t.direction === 'read' ? 'read' : 'write';
  return `TFTP ${request} of "${t.file}", ${t.client}:${t.clientPort} <-> ${t.server}${t.serverPort === undefined ? '' : ` (port ${t.serverPort})`}`;
}

function exchangeTitle(e: DhcpExchange): string {
  return `DHCP exchange xid 0x${e.xid.toString(16).padStart(8, '0')} of ${e.client}`;
}
