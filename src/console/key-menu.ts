/**
 * Keys typed in the console go to the phone as typed, except the escape key, which opens a
 * small menu (tio's and telnet's Ctrl-]). Pure: bytes in, actions out.
 */
import type { EnterMapping } from './transport.js';

/** Ctrl-] (GS, 0x1d), as telnet and tio use. */
export const ESCAPE_KEY = 0x1d;
export const ESCAPE_KEY_NAME = 'Ctrl-]';

export type MenuCommand = 'quit' | 'break' | 'timestamps' | 'hex' | 'echo' | 'enter';

/** The menu: one table for the keys, the words shown and what they do. */
export const MENU_ITEMS: readonly { readonly key: string; readonly command: MenuCommand; readonly label: string }[] = [
  { key: 'q', command: 'quit', label: 'quit' },
  { key: 'b', command: 'break', label: 'send a break to the phone' },
  { key: 't', command: 'timestamps', label: 'timestamps on screen' },
  { key: 'x', command: 'hex', label: 'hex view' },
  { key: 'e', command: 'echo', label: 'local echo' },
  { key: 'n', command: 'enter', label: 'Enter key sends to the phone' },
];

export type KeyAction =
  | { readonly kind: 'send'; readonly bytes: Uint8Array }
  | { readonly kind: 'menu' }
  | { readonly kind: 'command'; readonly command: MenuCommand }
  | { readonly kind: 'menu-closed' };

export interface KeyMenu {
  feed(keys: Uint8Array): KeyAction[];
}

export function createKeyMenu(): KeyMenu {
  let menuOpen = false;
  return {
    feed(keys) {
      const actions: KeyAction[] = [];
      let run: number[] = [];
      const flush = (): void => {
        if (run.length > 0) actions.push({ kind: 'send', bytes: Uint8Array.from(run) });
        run = [];
      };
      for (const byte of keys) {
        if (menuOpen) {
          menuOpen = false;
          if (byte === ESCAPE_KEY) {
            run.push(byte);
            continue;
          }
          const item = MENU_ITEMS.find((i) => i.key === String.fromCharCode(byte).toLowerCase());
          actions.push(item ? { kind: 'command', command: item.command } : { kind: 'menu-closed' });
        } else if (byte === ESCAPE_KEY) {
          flush();
          menuOpen = true;
          actions.push({ kind: 'menu' });
        } else {
          run.push(byte);
        }
      }
      flush();
      return actions;
    },
  };
}

export interface MenuState {
  readonly enter: EnterMapping;
  readonly timestamps: boolean;
  readonly hex: boolean;
  readonly echo: boolean;
}

/** The menu as shown: one row per key, with the current setting. */
export function menuText(state: MenuState): string[] {
  const onOff = (on: boolean): string => (on ? 'on' : 'off');
  const now: Partial<Record<MenuCommand, string>> = {
    timestamps: onOff(state.timestamps),
    hex: onOff(state.hex),
    echo: onOff(state.echo),
    enter: `${ENTER_WORDS[state.enter]} (next: ${ENTER_WORDS[nextEnter(state.enter)]})`,
  };
  return [
    'menu, press a key:',
    ...MENU_ITEMS.map((i) => `  ${i.key}       ${i.label}${now[i.command] ? `: ${now[i.command]}` : ''}`),
    `  ${ESCAPE_KEY_NAME}  send ${ESCAPE_KEY_NAME} itself to the phone`,
    '  (from the phone: CR, LF and CR LF each end a line)',
  ];
}

export const ENTER_WORDS: Readonly<Record<EnterMapping, string>> = { cr: 'CR', lf: 'LF', crlf: 'CR LF' };
const ENTER_BYTES: Readonly<Record<EnterMapping, readonly number[]>> = { cr: [0x0d], lf: [0x0a], crlf: [0x0d, 0x0a] };
/** The menu's `n` steps through the line ends in this order. */
const NEXT_ENTER: Readonly<Record<EnterMapping, EnterMapping>> = { cr: 'lf', lf: 'crlf', crlf: 'cr' };

export function nextEnter(enter: EnterMapping): EnterMapping {
  return NEXT_ENTER[enter];
}

/** Typed bytes as sent: the Enter key (CR from a terminal in raw mode) becomes the chosen line end. */
export function mapEnter(keys: Uint8Array, enter: EnterMapping): Uint8Array {
  if (!keys.includes(0x0d) || enter === 'cr') return keys;
  const out: number[] = [];
  for (const byte of keys) out.push(...(byte === 0x0d ? ENTER_BYTES[enter] : [byte]));
  return Uint8Array.from(out);
}

export function enterBytes(enter: EnterMapping): Uint8Array {
  return Uint8Array.from(ENTER_BYTES[enter]);
}
