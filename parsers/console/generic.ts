/**
 * Lines no known recogniser matched, read by their words: the 7940/7960 serial output is not
 * documented (phone-facts 2.3), so a console in a shape never seen before still says which
 * file the phone asked for and how that ended, its DHCP steps and its TFTP server, and the
 * screen state an engineer noted by hand. File names are recognised by the one file-name
 * module; events made here are marked `generic`.
 */
import { classifyFileName } from '../provisioning/file-names.js';
import type { ConsolePayload, ScreenState, TftpOutcomeWord } from './events.js';

export interface GenericMatch {
  readonly id: string;
  readonly payload: ConsolePayload;
}

const REQUEST_WORDS =
  /\b(?:requesting|requested|request|get|getting|fetch|fetching|download|downloading|loading|load)\b/i;
// Failure words first: "error: file not found" is not-found, "download complete" is done.
const OUTCOME_WORDS: readonly (readonly [RegExp, TftpOutcomeWord])[] = [
  [/\bnot found\b|\bno such file\b/i, 'not-found'],
  [/\b(?:access )?denied\b|\bnot permitted\b/i, 'denied'],
  [/\btime ?out\b|\btimed out\b/i, 'timeout'],
  [/\bfail(?:ed|ure|s)?\b/i, 'failed'],
  [/\berror\b/i, 'error'],
  [/\b(?:received|rcvd|done|finished|complete|completed|success(?:ful)?|ok)\b/i, 'done'],
];
// A DHCP step: the word after DHCP (`DHCPDISCOVER`, `dhcp: got offer`) on a line that speaks of DHCP.
const DHCP_LINE = /\bdhcp/i;
const DHCP_WORDS: readonly (readonly [RegExp, string])[] = [
  [/discover/i, 'DHCP DISCOVER'],
  [/\boffer/i, 'DHCP OFFER'],
  [/\bnak\b|dhcpnak/i, 'DHCP NAK'],
  [/\back\b|dhcpack|\backnowledg/i, 'DHCP ACK'],
  [/\bbound\b/i, 'DHCP BOUND'],
  [/\blease/i, 'DHCP LEASE'],
  [/\brequest/i, 'DHCP REQUEST'],
];
const TFTP_WORD = /\btftp\b/i;
const IPV4 = /\b((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})\b/;
// What a token may be wrapped in: quotes, brackets, a trailing colon or full stop.
const TOKEN_EDGES = /^["'`<([{]+|["'`>)\]},;:.]+$/g;

// A file the phone asks for has an extension; addresses and numbers are no file names.
const MAY_BE_FILE = /^[\w./-]*[A-Za-z_][\w-]*\.[\w.-]*$/;

/** The first word of the message that the file-name module knows as a phone's provisioning or firmware file. */
export function fileNamed(message: string): string | undefined {
  if (!message.includes('.')) return undefined;
  for (const word of message.split(/[\s=]+/)) {
    const token = word.replace(TOKEN_EDGES, '');
    if (token.length < 5 || token.length > 255 || !MAY_BE_FILE.test(token)) continue;
    if (classifyFileName(token).kind !== 'other') return token;
  }
  return undefined;
}

export function genericPayload(message: string): GenericMatch | undefined {
  const file = fileNamed(message);
  if (file !== undefined) {
    const outcome = OUTCOME_WORDS.find(([pattern]) => pattern.test(message));
    if (outcome) return { id: 'generic-file-outcome', payload: { kind: 'tftp-outcome', file, outcome: outcome[1] } };
    if (REQUEST_WORDS.test(message)) return { id: 'generic-file-request', payload: { kind: 'tftp-request', file } };
    return undefined;
  }
  if (DHCP_LINE.test(message)) {
    const step = DHCP_WORDS.find(([pattern]) => pattern.test(message.replace(/\bdhcp(?=[a-z])/gi, 'DHCP ')));
    if (step) return { id: 'generic-dhcp', payload: { kind: 'dhcp', state: step[1] } };
  }
  if (TFTP_WORD.test(message)) {
    const address = IPV4.exec(message)?.[1];
    if (address)
      return { id: 'generic-tftp-server', payload: { kind: 'tftp-server', setBy: 'named on the console', address } };
  }
  return undefined;
}

const SCREEN_STATES: readonly (readonly [RegExp, ScreenState])[] = [
  [/protocol application invalid/i, 'application-invalid'],
  [/tftp\s*time\s*-?\s*out/i, 'tftp-timeout'],
  [/configuring\s+vlan|\bcdp\b/i, 'configuring-vlan'],
  [
    /(?:configuring|requesting|obtaining|getting|waiting for)\s+(?:an?\s+)?(?:ip\b|dhcp|address|network)/i,
    'configuring-ip',
  ],
  [
    /(?:requesting|loading|getting|downloading|reading)\s+(?:the\s+)?(?:config|cfg|configuration)\b/i,
    'requesting-config',
  ],
  [
    /upgrad|updating|(?:loading|downloading|verifying|writing|erasing)\s+(?:the\s+)?(?:software|firmware|image|load|application|flash)/i,
    'upgrading',
  ],
];

/** The screen state a text shows (as the phone shows it, or as noted from its screen), if any. */
export function screenStateOf(message: string): ScreenState | undefined {
  return SCREEN_STATES.find(([pattern]) => pattern.test(message))?.[1];
}
