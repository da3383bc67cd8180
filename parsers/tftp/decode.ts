/**
 * TFTP messages as RFC 1350 defines them, with the option extension of RFC 2347 and the
 * options of RFC 2348 (blksize), RFC 2349 (timeout, tsize) and RFC 7440 (windowsize).
 *
 * `decodeTftp` never throws: an unknown opcode, a packet cut short or a string without its
 * NUL comes back as a value carrying warnings, so one odd datagram cannot stop a capture.
 * Which datagrams are TFTP at all is decided elsewhere (conversations.ts).
 */
import { bytesText, readU16 } from '../capture/bytes.js';
import { tftpErrorName } from './errors.js';

/** RFC 1350 section 5 and RFC 2347: opcode number -> name used in events and JSON. */
const OPCODES = {
  1: 'RRQ',
  2: 'WRQ',
  3: 'DATA',
  4: 'ACK',
  5: 'ERROR',
  6: 'OACK',
} as const;

export type TftpOpcode = (typeof OPCODES)[keyof typeof OPCODES];

/** RFC 1350 transfer modes (compared without regard to case). */
const MODES = ['netascii', 'octet', 'mail'];

/** Options this decoder reads a number from, with the range their RFC allows. */
const KNOWN_OPTIONS = {
  /** RFC 2348: "valid values range between 8 and 65464 octets, inclusive". */
  blksize: { min: 8, max: 65464 },
  /** RFC 2349: size of the file in octets; 0 in a read request asks the server for it. */
  tsize: { min: 0, max: Number.MAX_SAFE_INTEGER },
  /** RFC 2349: "valid values range between 1 and 255 seconds, inclusive". */
  timeout: { min: 1, max: 255 },
  /** RFC 7440: "valid values range MUST be between 1 and 65535 blocks, inclusive". */
  windowsize: { min: 1, max: 65535 },
} as const;

export type TftpKnownOption = keyof typeof KNOWN_OPTIONS;

/** Problems a TFTP packet can have, each with how bad it is (Wireshark's "expert info"). */
export const TFTP_PROBLEMS = {
  truncated: { severity: 'error', text: 'packet too short for its opcode' },
  unknownOpcode: { severity: 'error', text: 'unknown opcode' },
  unterminatedString: { severity: 'error', text: 'string not terminated by a NUL byte' },
  optionWithoutValue: { severity: 'error', text: 'option name without a value (odd option list)' },
  badOptionValue: { severity: 'warning', text: 'option value not a number in its RFC range' },
  duplicateOption: { severity: 'warning', text: 'option given twice' },
  emptyOptionName: { severity: 'warning', text: 'empty option name' },
  emptyOack: { severity: 'warning', text: 'OACK without any option' },
  unknownMode: { severity: 'warning', text: 'transfer mode is not netascii, octet or mail' },
  unknownErrorCode: { severity: 'warning', text: 'error code not defined by RFC 1350 or RFC 2347' },
  trailingBytes: { severity: 'info', text: 'bytes after the end of the message' },
} as const;

export type TftpProblemId = keyof typeof TFTP_PROBLEMS;

export interface TftpWarning {
  readonly id: TftpProblemId;
  readonly severity: (typeof TFTP_PROBLEMS)[TftpProblemId]['severity'];
  /** The problem and the offending detail, e.g. `option value not a number in its RFC range: blksize=4`. */
  readonly message: string;
}

export interface TftpOption {
  /** As sent (RFC 2347 option names are case-insensitive). */
  readonly name: string;
  readonly value: string;
}

/** The options of a request or OACK in wire order, with the values of the known ones read as numbers. */
export interface TftpOptions {
  readonly list: readonly TftpOption[];
  readonly blksize?: number;
  readonly tsize?: number;
  readonly timeout?: number;
  readonly windowsize?: number;
}

interface TftpPacketBase {
  readonly warnings: readonly TftpWarning[];
}

export interface TftpRequest extends TftpPacketBase {
  readonly opcode: 'RRQ' | 'WRQ';
  readonly file: string;
  readonly mode: string;
  readonly options: TftpOptions;
}

export interface TftpData extends TftpPacketBase {
  readonly opcode: 'DATA';
  /** 16-bit block number as sent (wraps past 65535). */
  readonly block: number;
  /** A view into the datagram payload: copy what you keep. */
  readonly data: Uint8Array;
}

export interface TftpAck extends TftpPacketBase {
  readonly opcode: 'ACK';
  readonly block: number;
}

export interface TftpError extends TftpPacketBase {
  readonly opcode: 'ERROR';
  readonly errorCode: number;
  /** RFC name of the code; undefined for codes above 8. */
  readonly errorName: string | undefined;
  readonly errorMessage: string;
}

export interface TftpOack extends TftpPacketBase {
  readonly opcode: 'OACK';
  readonly options: TftpOptions;
}

/** An opcode no RFC defines. */
export interface TftpUnknown extends TftpPacketBase {
  readonly opcode: 'UNKNOWN';
  readonly opcodeNumber: number;
  readonly length: number;
}

/** Too short to hold the fixed fields of its opcode (or no opcode at all). */
export interface TftpMalformed extends TftpPacketBase {
  readonly opcode: 'MALFORMED';
  readonly opcodeNumber: number | undefined;
  readonly length: number;
}

export type TftpPacket = TftpRequest | TftpData | TftpAck | TftpError | TftpOack | TftpUnknown | TftpMalformed;

export function decodeTftp(payload: Uint8Array): TftpPacket {
  const warnings: TftpWarning[] = [];
  if (payload.length < 2) {
    warn(warnings, 'truncated', `${payload.length} byte(s), no opcode`);
    return { opcode: 'MALFORMED', opcodeNumber: undefined, length: payload.length, warnings };
  }
  const opcodeNumber = readU16(payload, 0, false);
  const name = OPCODES[opcodeNumber as keyof typeof OPCODES];
  switch (name) {
    case 'RRQ':
    case 'WRQ':
      return readRequest(name, payload, warnings);
    case 'DATA':
      return readData(payload, warnings);
    case 'ACK':
      return readAck(payload, warnings);
    case 'ERROR':
      return readError(payload, warnings);
    case 'OACK':
      return readOack(payload, warnings);
    default:
      warn(warnings, 'unknownOpcode', String(opcodeNumber));
      return { opcode: 'UNKNOWN', opcodeNumber, length: payload.length, warnings };
  }
}

//  RFC 1350 figure 5-1, RRQ/WRQ packet, with the RFC 2347 options appended:
//
//   2 bytes     string    1 byte     string   1 byte
//   ------------------------------------------------
//  | Opcode |  Filename  |   0  |    Mode    |   0  |
//   ------------------------------------------------
//
//  +-------+---~~---+---+---~~---+---+---~~---+---+---~~---+---+-->
//  |  opc  |filename| 0 |  mode  | 0 |  opt1  | 0 | value1 | 0 | <
//  +-------+---~~---+---+---~~---+---+---~~---+---+---~~---+---+-->
//     >-------+---+---~~---+---+
//    <  optN  | 0 | valueN | 0 |
//     >-------+---+---~~---+---+
function readRequest(opcode: 'RRQ' | 'WRQ', payload: Uint8Array, warnings: TftpWarning[]): TftpRequest {
  const reader = new StringReader(payload, 2, warnings);
  const file = reader.next('file name') ?? '';
  const mode = reader.next('mode') ?? '';
  if (!MODES.includes(mode.toLowerCase())) warn(warnings, 'unknownMode', JSON.stringify(mode));
  const options = readOptions(reader, warnings);
  return { opcode, file, mode, options, warnings };
}

//  RFC 1350 figure 5-2, DATA packet:
//
//   2 bytes     2 bytes      n bytes
//   ----------------------------------
//  | Opcode |   Block #  |   Data     |
//   ----------------------------------
function readData(payload: Uint8Array, warnings: TftpWarning[]): TftpData | TftpMalformed {
  if (payload.length < 4) return truncated(3, payload, warnings);
  return { opcode: 'DATA', block: readU16(payload, 2, false), data: payload.subarray(4), warnings };
}

//  RFC 1350 figure 5-3, ACK packet:
//
//   2 bytes     2 bytes
//   ---------------------
//  | Opcode |   Block #  |
//   ---------------------
function readAck(payload: Uint8Array, warnings: TftpWarning[]): TftpAck | TftpMalformed {
  if (payload.length < 4) return truncated(4, payload, warnings);
  if (payload.length > 4) warn(warnings, 'trailingBytes', `${payload.length - 4} byte(s)`);
  return { opcode: 'ACK', block: readU16(payload, 2, false), warnings };
}

//  RFC 1350 figure 5-4, ERROR packet:
//
//   2 bytes     2 bytes      string    1 byte
//   -----------------------------------------
//  | Opcode |  ErrorCode |   ErrMsg   |   0  |
//   -----------------------------------------
function readError(payload: Uint8Array, warnings: TftpWarning[]): TftpError | TftpMalformed {
  if (payload.length < 4) return truncated(5, payload, warnings);
  const errorCode = readU16(payload, 2, false);
  const errorName = tftpErrorName(errorCode);
  if (errorName === undefined) warn(warnings, 'unknownErrorCode', String(errorCode));
  const reader = new StringReader(payload, 4, warnings);
  const errorMessage = reader.next('error message') ?? '';
  if (!reader.atEnd()) warn(warnings, 'trailingBytes', `${payload.length - reader.offset} byte(s)`);
  return { opcode: 'ERROR', errorCode, errorName, errorMessage, warnings };
}

//  RFC 2347, OACK packet:
//
//  +-------+---~~---+---+---~~---+---+---~~---+---+---~~---+---+
//  |  opc  |  opt1  | 0 | value1 | 0 |  optN  | 0 | valueN | 0 |
//  +-------+---~~---+---+---~~---+---+---~~---+---+---~~---+---+
function readOack(payload: Uint8Array, warnings: TftpWarning[]): TftpOack {
  const options = readOptions(new StringReader(payload, 2, warnings), warnings);
  if (options.list.length === 0) warn(warnings, 'emptyOack', `${payload.length} byte(s)`);
  return { opcode: 'OACK', options, warnings };
}

function readOptions(reader: StringReader, warnings: TftpWarning[]): TftpOptions {
  const list: TftpOption[] = [];
  const known: { -readonly [K in TftpKnownOption]?: number } = {};
  const seen = new Set<string>();
  while (!reader.atEnd()) {
    const name = reader.next('option name');
    if (name === undefined) break;
    if (reader.atEnd()) {
      warn(warnings, 'optionWithoutValue', JSON.stringify(name));
      break;
    }
    const value = reader.next(`value of option ${JSON.stringify(name)}`) ?? '';
    list.push({ name, value });
    const key = name.toLowerCase();
    if (key === '') warn(warnings, 'emptyOptionName', `value ${JSON.stringify(value)}`);
    else if (seen.has(key)) warn(warnings, 'duplicateOption', name);
    seen.add(key);
    if (Object.hasOwn(KNOWN_OPTIONS, key)) {
      const option = key as TftpKnownOption;
      const range = KNOWN_OPTIONS[option];
      const number = /^[0-9]{1,16}$/.test(value) ? Number(value) : NaN;
      if (number >= range.min && number <= range.max) known[option] ??= number;
      else warn(warnings, 'badOptionValue', `${name}=${value}`);
    }
  }
  return { list, ...known };
}

/** Reads NUL-terminated strings; a string running to the end of the packet is taken with a warning. */
class StringReader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset: number,
    private readonly warnings: TftpWarning[],
  ) {}

  atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** The next string, or undefined when the packet has ended (the missing field is reported). */
  next(what: string): string | undefined {
    if (this.atEnd()) {
      warn(this.warnings, 'unterminatedString', `${what} missing`);
      return undefined;
    }
    const end = this.bytes.indexOf(0, this.offset);
    const stop = end < 0 ? this.bytes.length : end;
    // RFC 1350 says netascii; real clients send UTF-8 or a local code page.
    const text = bytesText(this.bytes.subarray(this.offset, stop));
    if (end < 0) warn(this.warnings, 'unterminatedString', `${what} ${JSON.stringify(text)}`);
    this.offset = stop + 1;
    return text;
  }
}

function truncated(opcodeNumber: number, payload: Uint8Array, warnings: TftpWarning[]): TftpMalformed {
  warn(
    warnings,
    'truncated',
    `${OPCODES[opcodeNumber as keyof typeof OPCODES]} of ${payload.length} byte(s), at least 4 expected`,
  );
  return { opcode: 'MALFORMED', opcodeNumber, length: payload.length, warnings };
}

function warn(warnings: TftpWarning[], id: TftpProblemId, detail: string): void {
  const problem = TFTP_PROBLEMS[id];
  warnings.push({ id, severity: problem.severity, message: `${problem.text}: ${detail}` });
}

/** The TFTP fields of a `phonedoc decode` JSONL record; a field is present only when it applies. */
export interface TftpJson {
  /** 'RRQ' … 'OACK'; 'UNKNOWN' or 'MALFORMED' for packets that are neither. */
  readonly opcode: TftpPacket['opcode'];
  readonly file?: string;
  readonly mode?: string;
  readonly block?: number;
  readonly errorCode?: number;
  readonly errorMessage?: string;
  /** Option name (as sent) -> value; a repeated name keeps its first value. */
  readonly options?: Readonly<Record<string, string>>;
}

export function tftpJson(packet: TftpPacket): TftpJson {
  switch (packet.opcode) {
    case 'RRQ':
    case 'WRQ':
      return { opcode: packet.opcode, file: packet.file, mode: packet.mode, options: optionRecord(packet.options) };
    case 'DATA':
    case 'ACK':
      return { opcode: packet.opcode, block: packet.block };
    case 'ERROR':
      return { opcode: 'ERROR', errorCode: packet.errorCode, errorMessage: packet.errorMessage };
    case 'OACK':
      return { opcode: 'OACK', options: optionRecord(packet.options) };
    case 'UNKNOWN':
    case 'MALFORMED':
      return { opcode: packet.opcode };
  }
}

function optionRecord(options: TftpOptions): Record<string, string> {
  const first = new Map<string, string>();
  for (const { name, value } of options.list) if (!first.has(name)) first.set(name, value);
  // fromEntries defines own properties: an option named `__proto__` stays an ordinary key.
  return Object.fromEntries(first);
}

/**
 * One line for the text view of `phonedoc decode`, e.g.
 * `RRQ "SEP000E84C060A6.cnf.xml" octet blksize=1024`, `DATA block 3, 512 bytes`,
 * `ERROR 1 (File not found) "No such file"`.
 */
export function tftpSummary(packet: TftpPacket): string {
  const line = summaryWithoutWarnings(packet);
  return packet.warnings.length === 0 ? line : `${line} [${packet.warnings.map((w) => w.message).join('; ')}]`;
}

function summaryWithoutWarnings(packet: TftpPacket): string {
  switch (packet.opcode) {
    case 'RRQ':
    case 'WRQ':
      return `${packet.opcode} ${JSON.stringify(packet.file)} ${packet.mode}${optionText(packet.options)}`;
    case 'DATA':
      return `DATA block ${packet.block}, ${packet.data.length} bytes`;
    case 'ACK':
      return `ACK block ${packet.block}`;
    case 'ERROR':
      return `ERROR ${packet.errorCode}${packet.errorName ? ` (${packet.errorName})` : ''} ${JSON.stringify(packet.errorMessage)}`;
    case 'OACK':
      return `OACK${optionText(packet.options)}`;
    case 'UNKNOWN':
      return `opcode ${packet.opcodeNumber}, ${packet.length} bytes`;
    case 'MALFORMED':
      return `malformed TFTP, ${packet.length} bytes`;
  }
}

function optionText(options: TftpOptions): string {
  return options.list.map(({ name, value }) => ` ${name}=${value}`).join('');
}
