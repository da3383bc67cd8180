/**
 * Colour in phonedoc's output, decided and declared once: whether an output gets colour at all
 * (`--color never|auto|always`; auto means a terminal and no NO_COLOR in the environment,
 * https://no-color.org: any non-empty value turns colour off), and the colours it draws with,
 * of each kind of console line and of each finding severity. The terminal views use them as SGR, the TUI as blessed tags, so DHCP,
 * TFTP, errors and severities look the same everywhere.
 * Only the eight basic colours: they read on light and dark backgrounds, in 16 and 256 colours.
 * The TUI takes the colour only: bold marks the rows a selected finding cites there.
 */
import type { ConsoleEventKind } from '../../parsers/console/events.js';
import type { Severity } from '../findings/finding.js';

export type ColourName = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan';

export interface KindColour {
  readonly colour: ColourName;
  readonly bold?: boolean;
}

export const CONSOLE_KIND_COLOUR: Readonly<Partial<Record<ConsoleEventKind, KindColour>>> = {
  error: { colour: 'red', bold: true },
  'tftp-request': { colour: 'cyan' },
  'tftp-finished': { colour: 'cyan' },
  'tftp-outcome': { colour: 'cyan' },
  'tftp-server': { colour: 'cyan' },
  dhcp: { colour: 'green' },
  prompt: { colour: 'yellow', bold: true },
  version: { colour: 'magenta' },
  status: { colour: 'magenta' },
};

export const SEVERITY_COLOUR: Readonly<Record<Severity, KindColour>> = {
  error: { colour: 'red', bold: true },
  warning: { colour: 'yellow' },
  info: { colour: 'cyan' },
};

const SGR_COLOUR: Readonly<Record<ColourName, number>> = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
};

/** The SGR sequence (ECMA-48 8.3.117) that ends coloured text. */
export const SGR_RESET = '\x1b[0m';

/** The SGR sequence (ECMA-48 8.3.117) that starts text in `style`. */
export function sgrOf(style: KindColour): string {
  return `\x1b[${style.bold ? '1;' : ''}${SGR_COLOUR[style.colour]}m`;
}

export const COLOR_CHOICES = ['never', 'auto', 'always'] as const;
export type ColorWhen = (typeof COLOR_CHOICES)[number];

export function useColor(
  when: ColorWhen | undefined,
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (when === 'always') return true;
  if (when === 'never') return false;
  return stream.isTTY === true && !env.NO_COLOR;
}
