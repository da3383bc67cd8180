/**
 * The simulated phone's TFTP client (RFC 1350): a bare octet-mode RRQ (no RFC 2347 options:
 * no source shows the 7940/7960 sending any), 512-byte blocks, lock-step ACKs. A lost answer
 * is handled the RFC way: the last packet (RRQ or ACK) is sent again after `timeoutMs`, up to
 * `retries` times; then the transfer is given up. Answers are read with the product's decoder.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { decodeTftp } from '../../../parsers/tftp/decode.js';
import { TFTP_SERVER_PORT } from '../../../parsers/tftp/conversations.js';

const BLOCK_SIZE = 512;

export type TftpResult =
  | { readonly kind: 'complete'; readonly data: Buffer }
  | { readonly kind: 'error'; readonly code: number; readonly message: string; readonly afterBlocks: number }
  | { readonly kind: 'timeout'; readonly afterBlocks: number };

export interface TftpClientOptions {
  server: string;
  /** The name exactly as it goes into the RRQ (bad characters included). */
  file: string;
  /** The phone's own address, to send from. */
  localAddress: string;
  /** Wait for an answer this long before sending again (the phone's value is not documented). */
  timeoutMs?: number;
  /** Sends after the first one before giving up. */
  retries?: number;
}

export function encodeRrq(file: string): Buffer {
  return Buffer.concat([
    Buffer.from([0, 1]),
    Buffer.from(file, 'latin1'),
    Buffer.from([0]),
    Buffer.from('octet\0', 'latin1'),
  ]);
}

function encodeAck(block: number): Buffer {
  return Buffer.from([0, 4, (block >> 8) & 0xff, block & 0xff]);
}

/** Fetches one file. */
export function tftpGet(options: TftpClientOptions): Promise<TftpResult> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const retries = options.retries ?? 3;
  const socket = createSocket('udp4');
  const chunks: Buffer[] = [];
  let expected = 1;
  let peerPort: number | undefined;
  let last = encodeRrq(options.file);
  let lastPort = TFTP_SERVER_PORT;
  let tries = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<TftpResult>((resolve, reject) => {
    const finish = (r: TftpResult): void => {
      clearTimeout(timer);
      socket.close();
      resolve(r);
    };
    const transmit = (): void => {
      socket.send(last, lastPort, options.server);
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (tries >= retries) return finish({ kind: 'timeout', afterBlocks: expected - 1 });
        tries++;
        transmit();
      }, timeoutMs);
    };
    socket.on('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.on('message', (msg: Buffer, from: RemoteInfo) => {
      if (from.address !== options.server) return;
      if (peerPort === undefined) peerPort = from.port;
      else if (from.port !== peerPort) {
        // RFC 1350 section 4: a packet from another port gets ERROR 5, the transfer goes on.
        socket.send(
          Buffer.concat([Buffer.from([0, 5, 0, 5]), Buffer.from('Unknown transfer ID\0', 'latin1')]),
          from.port,
          from.address,
        );
        return;
      }
      const p = decodeTftp(msg);
      if (p.opcode === 'ERROR')
        return finish({ kind: 'error', code: p.errorCode, message: p.errorMessage, afterBlocks: expected - 1 });
      if (p.opcode !== 'DATA') return;
      if (p.block === (expected & 0xffff)) {
        chunks.push(Buffer.from(p.data));
        last = encodeAck(p.block);
        lastPort = peerPort;
        tries = 0;
        expected++;
        if (p.data.length < BLOCK_SIZE) {
          clearTimeout(timer);
          // Close only once the last ACK has left: closing at once would drop it.
          socket.send(last, lastPort, options.server, () => finish({ kind: 'complete', data: Buffer.concat(chunks) }));
          return;
        }
        transmit();
      } else if (p.block === ((expected - 1) & 0xffff)) {
        socket.send(last, lastPort, options.server); // a duplicate: our ACK was lost
      }
    });
    socket.bind(0, options.localAddress, transmit);
  });
}
