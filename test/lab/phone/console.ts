/**
 * The simulated phone's console, written as phonedoc's recorder writes a console log: a header
 * `# phonedoc console log simulated=yes ...` (so nobody takes it for a real phone's output),
 * then one `<ISO 8601 UTC> <text>` line per message. The path may be a file or one end of a
 * socat pty pair. Only texts a 7940/7960 (or, marked [X] in phone-facts, its family) is known
 * to show are written: DHCP state words, the config file name, and the documented error texts.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import type { ConsoleStyle } from './spec.js';

/** Texts the phone shows (phone-facts 2.3, 3.2, 7.3); the console recognisers know each. */
export const CONSOLE_TEXT = {
  dhcpInit: 'DHCP INIT',
  dhcpRequesting: 'DHCP REQUESTING',
  dhcpBound: 'DHCP BOUND',
  dhcpTimeout: 'DHCP timeout',
  tftpTimeout: 'TFTP Timeout',
  tftpError: 'TFTP Error',
  protocolApplicationInvalid: 'Protocol Application Invalid',
  imageAuthenticationFailed: 'Image Authentication Failed',
  noLoadSpecified: 'No Load Specified',
  unprovisioned: 'Unprovisioned',
  w210: 'W210 TFTP Error : buffer full',
} as const;

export type ConsoleText = (typeof CONSOLE_TEXT)[keyof typeof CONSOLE_TEXT];

/**
 * What an engineer noting the screen writes for a console text: the screen shows
 * "Configuring IP" while DHCP runs (the startup messages of the Cisco 7970G admin guide,
 * phone-facts 7.4, a later model of the family) and the error texts as they are; the DHCP state
 * words and the config file name are console output, not screen text.
 */
const SCREEN_TEXT: Readonly<Partial<Record<ConsoleText, string>>> = {
  [CONSOLE_TEXT.dhcpInit]: 'Configuring IP',
};
const NOT_ON_SCREEN: ReadonlySet<string> = new Set([CONSOLE_TEXT.dhcpRequesting, CONSOLE_TEXT.dhcpBound]);

/**
 * Text as it arrives over a cable set to the wrong speed: each character becomes a high-bit
 * one (U+00A0-U+00FF), the same for the same character, so no word of it can be read.
 */
function wrongBaud(text: string): string {
  return [...text].map((c) => String.fromCharCode(0xa0 + ((c.charCodeAt(0) * 37) % 0x60))).join('');
}

export class PhoneConsole {
  readonly lines: string[] = [];
  private lastScreen: string | undefined;

  /** `clockOffsetMs`: how far the clock the times are written by is off (added to every time). */
  constructor(
    private readonly file: string | undefined,
    header: Readonly<Record<string, string>>,
    private readonly clockOffsetMs = 0,
    private readonly style: ConsoleStyle = 'recorder',
  ) {
    const words = Object.entries(header).map(([k, v]) => `${k}=${/\s/.test(v) ? `"${v}"` : v}`);
    this.put(
      `# phonedoc console log simulated=yes ${style === 'recorder' ? '' : `console=${style} `}${words.join(' ')}`,
      true,
    );
  }

  private put(text: string, first = false): void {
    const at = new Date(Date.now() + this.clockOffsetMs);
    const recorded = this.style === 'recorder' || this.style === 'wrong-baud';
    const time = recorded
      ? `${at.toISOString()} `
      : first
        ? ''
        : `${at.toISOString().slice(11, this.style === 'phone-clock' ? 23 : 19)} `;
    const line = `${time}${this.style === 'wrong-baud' && !first ? wrongBaud(text) : text}\n`;
    this.lines.push(line);
    if (this.file === undefined) return;
    if (first) writeFileSync(this.file, line);
    else appendFileSync(this.file, line);
  }

  /** A status or error text the phone shows. */
  show(text: ConsoleText): void {
    if (this.style !== 'screen-notes') {
      this.put(text);
      return;
    }
    if (NOT_ON_SCREEN.has(text)) return;
    const screen = SCREEN_TEXT[text] ?? text;
    // A note is taken when the screen changes.
    if (screen !== this.lastScreen) this.put(screen);
    this.lastScreen = screen;
  }

  /** The config file name, shown as a status message (phone-facts 3.2). */
  configFile(name: string): void {
    if (this.style !== 'screen-notes') this.put(name);
  }
}
