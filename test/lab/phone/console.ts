/**
 * The simulated phone's console, written as phonedoc's recorder writes a console log: a header
 * `# phonedoc console log simulated=yes ...` (so nobody takes it for a real phone's output),
 * then one `<ISO 8601 UTC> <text>` line per message. The path may be a file or one end of a
 * socat pty pair. Only texts a 7940/7960 (or, marked [X] in phone-facts, its family) is known
 * to show are written: DHCP state words, the config file name, and the documented error texts.
 */
import { appendFileSync, writeFileSync } from 'node:fs';

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

export class PhoneConsole {
  readonly lines: string[] = [];

  /** `clockOffsetMs`: how far the clock of the PC recording the console is off (added to every time). */
  constructor(
    private readonly file: string | undefined,
    header: Readonly<Record<string, string>>,
    private readonly clockOffsetMs = 0,
  ) {
    const words = Object.entries(header).map(([k, v]) => `${k}=${/\s/.test(v) ? `"${v}"` : v}`);
    this.put(`# phonedoc console log simulated=yes ${words.join(' ')}`, true);
  }

  private put(text: string, first = false): void {
    const line = `${new Date(Date.now() + this.clockOffsetMs).toISOString()} ${text}\n`;
    this.lines.push(line);
    if (this.file === undefined) return;
    if (first) writeFileSync(this.file, line);
    else appendFileSync(this.file, line);
  }

  /** A status or error text the phone shows. */
  show(text: ConsoleText): void {
    this.put(text);
  }

  /** The config file name, shown as a status message (phone-facts 3.2). */
  configFile(name: string): void {
    this.put(name);
  }
}
