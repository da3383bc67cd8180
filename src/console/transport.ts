/**
 * What the console session needs from a serial port or a telnet connection, and nothing
 * more: bytes in, bytes out, a break, and word when the link is lost.
 */

export interface LinkHandlers {
  /** Bytes from the phone, in order. */
  data(chunk: Uint8Array): void;
  /** The link went away on its own (adapter unplugged, phone rebooted): `why` in plain words. */
  lost(why: string): void;
}

export interface ConsoleLink {
  write(bytes: Uint8Array): void;
  /** Sends a break (serial) or the telnet BREAK command. */
  sendBreak(): Promise<void>;
  close(): Promise<void>;
}

/** Why opening failed, as one sentence with the fix. */
export class OpenFailure extends Error {
  override readonly name = 'OpenFailure';
}

export interface ConsoleEndpoint {
  /** What the user reads: the stable serial path, or HOST:PORT. */
  readonly label: string;
  /** Words for the log's file name and header (`port=...` or `telnet=...`). */
  readonly logFields: Readonly<Record<string, string>>;
  /** A file-name-safe name of the endpoint for the default log file. */
  readonly logName: string;
  /** The settings line shown at start (`9600 8N1, no flow control`). */
  readonly settings: string;
  /** What Enter sends by default (`\r` on serial; CR LF on telnet, RFC 854's end of line). */
  readonly defaultEnter: EnterMapping;
  /** One attempt; rejects with an OpenFailure. */
  connect(handlers: LinkHandlers): Promise<ConsoleLink>;
}

export type EnterMapping = 'cr' | 'lf' | 'crlf';
