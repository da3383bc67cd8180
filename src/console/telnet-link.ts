/**
 * The telnet side of the console: the 7940/7960 SIP firmware's CLI (phone-facts 1.1,
 * enabled by `telnet_level`), over node:net.
 */
import { connect } from 'node:net';
import { InputError } from '../exit-codes.js';
import type { ConsoleEndpoint, ConsoleLink } from './transport.js';
import { OpenFailure } from './transport.js';
import { BRK, IAC, createTelnetReader, telnetEscape } from './telnet-protocol.js';

export const TELNET_PORT = 23;
const CONNECT_TIMEOUT_MS = 5000;

export interface TelnetAddress {
  readonly host: string;
  readonly port: number;
}

/** `HOST`, `HOST:PORT`, `[v6]` or `[v6]:PORT`. */
export function readTelnetAddress(text: string): TelnetAddress {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  const port = m?.[2] === undefined ? TELNET_PORT : Number(m[2]);
  if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(`--telnet "${text}" is not HOST or HOST:PORT (e.g. 192.0.2.10 or 192.0.2.10:23).`);
  }
  return { host: m[1], port };
}

export function telnetEndpoint(address: TelnetAddress): ConsoleEndpoint {
  const label = address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  return {
    label,
    logFields: { telnet: label },
    logName: `telnet-${address.host.replace(/[^\w.-]/g, '_')}-${address.port}`,
    settings: 'telnet',
    defaultEnter: 'crlf',
    connect: (handlers) =>
      new Promise<ConsoleLink>((resolve, reject) => {
        const socket = connect({ host: address.host, port: address.port });
        const reader = createTelnetReader();
        let open = false;
        let closing = false;
        socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error('no answer (timed out)')));
        socket.on('error', (err: NodeJS.ErrnoException) => {
          if (!open) reject(new OpenFailure(telnetFailureSentence(label, err)));
        });
        socket.on('close', () => {
          if (open && !closing) handlers.lost('the phone closed the telnet connection');
        });
        socket.on('data', (chunk: Buffer) => {
          const { data, reply } = reader.receive(chunk);
          if (reply.length > 0) socket.write(reply);
          if (data.length > 0) handlers.data(data);
        });
        socket.on('connect', () => {
          open = true;
          socket.setTimeout(0);
          resolve({
            write: (bytes) => {
              if (!socket.destroyed) socket.write(telnetEscape(bytes));
            },
            sendBreak: async () => {
              if (!socket.destroyed) socket.write(Uint8Array.of(IAC, BRK));
            },
            close: () =>
              new Promise<void>((done) => {
                closing = true;
                if (socket.destroyed) done();
                else socket.end(() => done());
                socket.destroy();
              }),
          });
        });
      }),
  };
}

function telnetFailureSentence(label: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `${label} refused the telnet connection: set telnet_level: 1 (or 2) in the phone's SIP configuration file and reboot the phone.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${label} cannot be reached: check the phone's IP address (Settings > Network Configuration) and the network between.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${label}: the host name does not resolve; give the phone's IP address.`;
    default:
      return `${label}: ${err.message}; check the phone's IP address and that telnet_level is 1 or 2 in its configuration.`;
  }
}
