/**
 * The table of console recognisers: what a phone prints, what event it becomes, and where
 * the string comes from (section of ../shared/phone-facts.md). Recognisers match the
 * line's message (the line without its time/severity prefix, trimmed); the first match
 * wins, so specific patterns sit above generic ones.
 *
 * A recogniser names its event kind and fills the event's fields from `fields` (a constant,
 * or a template where `$<name>` inserts a named group) or else from a named group of the
 * same name; `text` fields default to the matched text. Users add recognisers in the same
 * shape from a JSON file (see user-recognisers.ts).
 */
import type { ConsoleEventKind, ConsolePayload } from './events.js';
import { CONSOLE_ERROR_CODES, TFTP_OUTCOME_WORDS } from './events.js';

export type RecognisedKind = Exclude<ConsoleEventKind, 'raw'>;

export interface ConsoleRecogniser {
  readonly id: string;
  readonly pattern: RegExp;
  readonly kind: RecognisedKind;
  readonly fields?: Readonly<Record<string, string>>;
  /** Where the string is documented or was seen. */
  readonly source: string;
}

interface FieldSpec {
  readonly type: 'string' | 'number' | 'error-code' | 'outcome-word';
  readonly required?: true;
  /** Filled with the matched text when neither `fields` nor a named group gives a value. */
  readonly fromMatch?: true;
  readonly normalise?: (value: string) => string;
}

const dhcpState = (value: string): string => value.replace(/\.+$/, '').replace(/\s+/g, ' ').toUpperCase();

/** The fields each event kind has (besides `kind`), and how they are read. */
export const KIND_FIELDS: Readonly<Record<RecognisedKind, Readonly<Record<string, FieldSpec>>>> = {
  'tftp-request': {
    file: { type: 'string', required: true },
    server: { type: 'string' },
    sizeLimit: { type: 'number' },
    transfer: { type: 'number' },
  },
  'tftp-finished': { bytes: { type: 'number', required: true }, transfer: { type: 'number' } },
  'tftp-outcome': { file: { type: 'string', required: true }, outcome: { type: 'outcome-word', required: true } },
  'tftp-server': { setBy: { type: 'string', required: true }, option: { type: 'number' }, address: { type: 'string' } },
  error: { code: { type: 'error-code', required: true }, text: { type: 'string', required: true, fromMatch: true } },
  dhcp: { state: { type: 'string', required: true, normalise: dhcpState } },
  version: { version: { type: 'string', required: true }, protocol: { type: 'string' }, model: { type: 'string' } },
  prompt: { text: { type: 'string', required: true, fromMatch: true }, command: { type: 'string' } },
  status: { text: { type: 'string', required: true, fromMatch: true }, file: { type: 'string' } },
};

const ERROR_CODES: ReadonlySet<string> = new Set(CONSOLE_ERROR_CODES);
const OUTCOME_WORDS: ReadonlySet<string> = new Set(TFTP_OUTCOME_WORDS);

function escapeText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, '\\s+');
}

/** A status text that is the whole message (optionally in quotes, as the tech note's titles write it), any case. */
function wholeText(text: string): RegExp {
  return new RegExp(`^["']?${escapeText(text)}["']?$`, 'i');
}

/** A status text distinctive enough to be recognised inside a longer line, any case. */
function withinText(text: string): RegExp {
  return new RegExp(`\\b${escapeText(text)}\\b`, 'i');
}

const TN5455 = 'phone-facts 2.3: TN5455 section title';
const STATUS_TABLE = 'phone-facts 3.2: Cisco status-message table (3905 guide) [X]';

// phone-facts 3.2: network-statistics DHCP state words (3905 guide) [X].
const DHCP_STATE_WORDS = [
  'CDP BOUND',
  'CDP INIT',
  'DHCP BOUND',
  'DHCP DISABLED',
  'DHCP INIT',
  'DHCP INVALID',
  'DHCP REBINDING',
  'DHCP REBOOT',
  'DHCP RENEWING',
  'DHCP REQUESTING',
  'DHCP RESYNC',
  'DHCP UNRECOGNIZED',
  'DHCP WAITING COLDBOOT TIMEOUT',
  'SET DHCP COLDBOOT',
  'SET DHCP DISABLED',
  'DISABLED DUPLICATE IP',
  'SET DHCP FAST',
];

export const CONSOLE_RECOGNISERS: readonly ConsoleRecogniser[] = [
  // 79x1/79x2 family log lines (phone-facts 1.5) [X]
  {
    id: 'dload-tftp-server',
    pattern: /^DLoad: TFTP Svr set by (?<setBy>opt(?<option>\d+)|\S+)/,
    kind: 'tftp-server',
    source: 'phone-facts 1.5/7.2: 7941 console (Cisco Community) [X]',
  },
  {
    id: 'tftp-requesting',
    pattern:
      /^TFTP: \[(?<transfer>\d+)\]:Requesting (?<file>\S+) from (?<server>\S+?)(?: with size limit of (?<sizeLimit>\d+))?$/,
    kind: 'tftp-request',
    source: 'phone-facts 1.5: 7942 /FS/cache/log (pastebin zBmWvQm5) [X]',
  },
  {
    id: 'tftp-finished',
    pattern: /^TFTP: \[(?<transfer>\d+)\]:Finished --> rcvd (?<bytes>\d+) bytes/,
    kind: 'tftp-finished',
    source: 'phone-facts 1.5: 7942 /FS/cache/log (pastebin zBmWvQm5) [X]',
  },
  {
    id: 'dhcp-step',
    pattern: /^DHCP: (?<state>DHCP enabled|Sending Discover|Sending Request|ACK received|Succeeded)\b/,
    kind: 'dhcp',
    source: 'phone-facts 1.5: 7941 console (Cisco Community) [X]',
  },
  // 7940/7960 SIP firmware
  {
    id: 'sip-user-agent',
    pattern: /^User-Agent:\s*Cisco-CP(?<model>79\d\d)G?\/(?<version>\S+)/i,
    kind: 'version',
    fields: { protocol: 'SIP' },
    source: 'phone-facts 1.2: SIP User-Agent of 7940/7960 (NAT blog; pastebin rqH7bQ8s)',
  },
  {
    id: 'debug-enabled',
    pattern: /^Enabling bug logging on this terminal - use 'tty mon 0' to disable/,
    kind: 'status',
    source: 'phone-facts 1.1: 7940 SIP 8.0 after debug on telnet (NAT blog)',
  },
  {
    id: 'password-prompt',
    pattern: /^(?<text>Password :)/,
    kind: 'prompt',
    source: 'phone-facts 1.1: resiprocate tfm/TelnetClient.cxx waits for "Password :"',
  },
  // Error texts: distinctive ones anywhere in the line, generic ones only as the whole line.
  {
    id: 'w210-buffer-full',
    pattern: /W210 TFTP Error\s*:\s*buffer full/i,
    kind: 'error',
    fields: { code: 'W210_BUFFER_FULL' },
    source: TN5455,
  },
  {
    id: 'protocol-application-invalid',
    pattern: withinText('Protocol Application Invalid'),
    kind: 'error',
    fields: { code: 'PROTOCOL_APPLICATION_INVALID' },
    source: `${TN5455}; LCD text (voip-info, cat24.net, cisco-voip 2005-01, adrianandgenese)`,
  },
  {
    id: 'image-authentication-failed',
    pattern: withinText('Image Authentication Failed'),
    kind: 'error',
    fields: { code: 'IMAGE_AUTHENTICATION_FAILED' },
    source: TN5455,
  },
  {
    id: 'no-load-specified',
    pattern: withinText('No Load Specified'),
    kind: 'error',
    fields: { code: 'NO_LOAD_SPECIFIED' },
    source: TN5455,
  },
  {
    id: 'unprovisioned',
    pattern: withinText('Unprovisioned'),
    kind: 'error',
    fields: { code: 'UNPROVISIONED' },
    source: `${TN5455} "IP Phones go to Unprovisioned State"; README "Cisco7960 Setup with FreePBX"`,
  },
  {
    id: 'cfg-file-not-found',
    pattern: withinText('CFG file not found'),
    kind: 'error',
    fields: { code: 'CFG_FILE_NOT_FOUND' },
    source: STATUS_TABLE,
  },
  {
    id: 'cfg-tftp-size-error',
    pattern: withinText('CFG TFTP Size Error'),
    kind: 'error',
    fields: { code: 'CFG_TFTP_SIZE_ERROR' },
    source: STATUS_TABLE,
  },
  {
    id: 'tftp-file-not-found',
    pattern: withinText('TFTP file not found'),
    kind: 'error',
    fields: { code: 'TFTP_FILE_NOT_FOUND' },
    source: STATUS_TABLE,
  },
  {
    id: 'tftp-access-error',
    pattern: withinText('TFTP access error'),
    kind: 'error',
    fields: { code: 'TFTP_ACCESS_ERROR' },
    source: STATUS_TABLE,
  },
  {
    id: 'load-id-incorrect',
    pattern: withinText('Load ID incorrect'),
    kind: 'error',
    fields: { code: 'LOAD_ID_INCORRECT' },
    source: STATUS_TABLE,
  },
  {
    id: 'load-rejected-hc',
    pattern: withinText('Load rejected HC'),
    kind: 'error',
    fields: { code: 'LOAD_REJECTED_HC' },
    source: STATUS_TABLE,
  },
  {
    id: 'dns-unknown-host',
    pattern: withinText('DNS unknown host'),
    kind: 'error',
    fields: { code: 'DNS_UNKNOWN_HOST' },
    source: STATUS_TABLE,
  },
  {
    id: 'no-default-router',
    pattern: withinText('No default router'),
    kind: 'error',
    fields: { code: 'NO_DEFAULT_ROUTER' },
    source: STATUS_TABLE,
  },
  {
    id: 'no-dns-server-ip',
    pattern: withinText('No DNS server IP'),
    kind: 'error',
    fields: { code: 'NO_DNS_SERVER_IP' },
    source: STATUS_TABLE,
  },
  {
    id: 'tftp-timeout',
    pattern: wholeText('TFTP Timeout'),
    kind: 'error',
    fields: { code: 'TFTP_TIMEOUT' },
    source: `phone-facts 2.3/7.3: LCD text (Cisco Community "flashing 7940 phone"); ${STATUS_TABLE}`,
  },
  {
    id: 'tftp-error',
    pattern: wholeText('TFTP Error'),
    kind: 'error',
    fields: { code: 'TFTP_ERROR' },
    source: `phone-facts 2.3: LCD text (Cisco Community "flashing 7940 phone"); ${STATUS_TABLE}`,
  },
  {
    id: 'file-not-found',
    pattern: wholeText('File not found'),
    kind: 'error',
    fields: { code: 'FILE_NOT_FOUND' },
    source: STATUS_TABLE,
  },
  {
    id: 'checksum-error',
    pattern: wholeText('Checksum Error'),
    kind: 'error',
    fields: { code: 'CHECKSUM_ERROR' },
    source: STATUS_TABLE,
  },
  {
    id: 'version-error',
    pattern: wholeText('Version error'),
    kind: 'error',
    fields: { code: 'VERSION_ERROR' },
    source: STATUS_TABLE,
  },
  {
    id: 'dhcp-timeout',
    pattern: wholeText('DHCP timeout'),
    kind: 'error',
    fields: { code: 'DHCP_TIMEOUT' },
    source: STATUS_TABLE,
  },
  {
    id: 'dns-timeout',
    pattern: wholeText('DNS timeout'),
    kind: 'error',
    fields: { code: 'DNS_TIMEOUT' },
    source: STATUS_TABLE,
  },
  {
    id: 'duplicate-ip',
    pattern: wholeText('Duplicate IP'),
    kind: 'error',
    fields: { code: 'DUPLICATE_IP' },
    source: STATUS_TABLE,
  },
  {
    id: 'timed-out',
    pattern: wholeText('Timed Out'),
    kind: 'error',
    fields: { code: 'TIMED_OUT' },
    source: STATUS_TABLE,
  },
  {
    id: 'rejected',
    pattern: wholeText('Rejected'),
    kind: 'error',
    fields: { code: 'REJECTED' },
    source: 'phone-facts 2.3: 7960 LCD against FreePBX (buba0/Cisco-7900-and-8800-series-freepbx-setup #8)',
  },
  // Status texts
  {
    id: 'loading-cm-list',
    pattern: wholeText('Loading CM list'),
    kind: 'status',
    source: 'phone-facts 2.3: LCD text before reboot, SCCP P0030801SR02 (chan-sccp #412)',
  },
  { id: 'ip-address-released', pattern: wholeText('IP address released'), kind: 'status', source: STATUS_TABLE },
  {
    id: 'factory-reset-keep-network',
    pattern: /^Keep network cfg\? 1 = yes 2 = no/i,
    kind: 'status',
    source: 'phone-facts 2.3/7.5: Cisco doc 15254 factory reset prompt',
  },
  {
    id: 'config-file-name',
    pattern: /^(?<file>(?:XmlDefault|SEP[0-9A-F]{12})\.cnf\.xml)$/i,
    kind: 'status',
    source: `${STATUS_TABLE}: the config file name is shown as a status message`,
  },
  {
    id: 'dhcp-state-word',
    pattern: new RegExp(`^(?<state>${DHCP_STATE_WORDS.map(escapeText).join('|')})$`, 'i'),
    kind: 'dhcp',
    source: STATUS_TABLE,
  },
];

/** Prompts seen in real sessions (phone-facts 1.1); a configured `phone_prompt` adds its own. */
export const OBSERVED_PROMPTS: readonly string[] = ['SIP Phone', 'Cisco7940'];

/**
 * One recogniser per prompt: the `phone_prompt` value followed by `>` or `#` (which one
 * goes with which telnet_level is not verified, phone-facts 1.1), then an optional command.
 */
export function promptRecognisers(prompts: readonly string[]): ConsoleRecogniser[] {
  return [...new Set(prompts)].map((prompt) => ({
    id: `prompt:${prompt}`,
    pattern: new RegExp(`^(?<text>${escapeText(prompt)}[>#])[ \\t]*(?<command>.*)$`),
    kind: 'prompt',
    source: OBSERVED_PROMPTS.includes(prompt)
      ? 'phone-facts 1.1: prompt seen in real sessions'
      : 'phone_prompt configured by the user',
  }));
}

/** `$<name>` inserts a named group (empty when it did not take part); `$$` is a dollar sign. */
function expand(template: string, groups: Readonly<Record<string, string | undefined>>): string {
  return template.replace(/\$\$|\$<([^>]+)>/g, (_whole: string, name: string | undefined) =>
    name === undefined ? '$' : (groups[name] ?? ''),
  );
}

/**
 * The event payload a recogniser makes of a match, or undefined when a required field is
 * empty or a number field does not read as a number (the next recogniser is tried then).
 */
export function payloadOf(recogniser: ConsoleRecogniser, match: RegExpExecArray): ConsolePayload | undefined {
  const groups = match.groups ?? {};
  const payload: Record<string, string | number> = { kind: recogniser.kind };
  for (const [name, spec] of Object.entries(KIND_FIELDS[recogniser.kind])) {
    const template = recogniser.fields?.[name];
    let value = template !== undefined ? expand(template, groups) : groups[name];
    if ((value === undefined || value === '') && spec.fromMatch) value = match[0].trim();
    if (value === undefined || value === '') {
      if (spec.required) return undefined;
      continue;
    }
    if (spec.type === 'number') {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) return undefined;
      payload[name] = n;
    } else if (
      (spec.type === 'error-code' && !ERROR_CODES.has(value)) ||
      (spec.type === 'outcome-word' && !OUTCOME_WORDS.has(value))
    ) {
      return undefined;
    } else {
      payload[name] = spec.normalise ? spec.normalise(value) : value;
    }
  }
  // Safe by construction: the keys and value types are those KIND_FIELDS declares for this kind.
  return payload as unknown as ConsolePayload;
}
