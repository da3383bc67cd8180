/** The keys of the bench TUI, declared once: the screen dispatches on them and help lists them. */
export type TuiAction =
  | 'next-pane'
  | 'previous-pane'
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'top'
  | 'bottom'
  | 'filter'
  | 'details'
  | 'close'
  | 'timeline'
  | 'servers'
  | 'messages'
  | 'marker'
  | 'export'
  | 'send-line'
  | 'send-break'
  | 'pause'
  | 'step'
  | 'skip'
  | 'skip-back'
  | 'next-boot'
  | 'previous-boot'
  | 'help'
  | 'quit';

export interface KeyBinding {
  /** blessed key names (`tab`, `S-tab`, `up`, `enter`, `/`). */
  readonly keys: readonly string[];
  readonly action: TuiAction;
  /** As help shows the key. */
  readonly label: string;
  readonly help: string;
  /** Works only with a live console (`--port`, `--telnet`). */
  readonly needsConsole?: boolean;
  /** Works only in a replay. */
  readonly needsReplay?: boolean;
  /** Named in the footer, in this order. */
  readonly footer?: string;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['tab', 'right'], action: 'next-pane', label: 'Tab →', help: 'next pane', footer: 'Tab ↑↓ Enter' },
  { keys: ['S-tab', 'left'], action: 'previous-pane', label: 'S-Tab ←', help: 'previous pane' },
  { keys: ['up', 'k'], action: 'up', label: '↑ k', help: 'move up (in the phone list: switch phone)' },
  { keys: ['down', 'j'], action: 'down', label: '↓ j', help: 'move down' },
  { keys: ['pageup'], action: 'page-up', label: 'PgUp', help: 'page up' },
  { keys: ['pagedown'], action: 'page-down', label: 'PgDn', help: 'page down' },
  { keys: ['home', 'g'], action: 'top', label: 'Home g', help: 'first row' },
  { keys: ['end', 'S-g'], action: 'bottom', label: 'End G', help: 'last row (follows new rows)' },
  {
    keys: ['enter'],
    action: 'details',
    label: 'Enter',
    help: "details: a finding's explanation, evidence and fix; a row's source, the findings citing it and its packets",
  },
  { keys: ['escape'], action: 'close', label: 'Esc', help: 'close the details, clear the selected finding' },
  {
    keys: ['/'],
    action: 'filter',
    label: '/',
    help: 'filter console and network rows (empty: no filter)',
    footer: '/ filter',
  },
  {
    keys: ['t'],
    action: 'timeline',
    label: 't',
    help: 'merged timeline of the phone (console, network, server log)',
    footer: 't timeline',
  },
  {
    keys: ['v'],
    action: 'servers',
    label: 'v',
    help: 'servers: which DHCP servers answered with what (options 66, 150, 67, siaddr) and which TFTP server answered each request',
    footer: 'v servers',
  },
  {
    keys: ['m'],
    action: 'messages',
    label: 'm',
    help: 'every message of the session, with its time',
    footer: 'm msgs',
  },
  {
    keys: ['S-m'],
    action: 'marker',
    label: 'M',
    help: 'a marker: a note with the time ("pressed reset") in the console log and the console pane',
    footer: 'M mark',
  },
  {
    keys: ['e'],
    action: 'export',
    label: 'e',
    help: 'export the ticket bundle (as analyze --out)',
    footer: 'e export',
  },
  {
    keys: ['s'],
    action: 'send-line',
    label: 's',
    help: "type a line to the phone's console",
    needsConsole: true,
    footer: 's send',
  },
  {
    keys: ['b'],
    action: 'send-break',
    label: 'b',
    help: "send a break to the phone's console",
    needsConsole: true,
    footer: 'b break',
  },
  {
    keys: ['p', 'space'],
    action: 'pause',
    label: 'p Space',
    help: 'pause / resume: a replay stops playing; live, the screen holds still while the sources keep reading',
    footer: 'p pause',
  },
  { keys: ['.'], action: 'step', label: '.', help: 'replay, paused: play the next event', needsReplay: true },
  {
    keys: ['['],
    action: 'skip-back',
    label: '[',
    help: 'replay: 10 s back (played again from the start, at once up to there)',
    needsReplay: true,
    footer: '[ ] ±10s',
  },
  {
    keys: [']'],
    action: 'skip',
    label: ']',
    help: 'replay: 10 s ahead (what lies between is played at once)',
    needsReplay: true,
  },
  {
    keys: ['{'],
    action: 'previous-boot',
    label: '{',
    help: 'replay: back to the start of this boot of the phone (its DHCP, else its first request), or the one before',
    needsReplay: true,
    footer: '{ } boot',
  },
  {
    keys: ['}'],
    action: 'next-boot',
    label: '}',
    help: "replay: on to the start of the phone's next boot",
    needsReplay: true,
  },
  { keys: ['?'], action: 'help', label: '?', help: 'this help', footer: '? help' },
  {
    keys: ['q', 'C-c'],
    action: 'quit',
    label: 'q',
    help: 'quit (logs and capture files are flushed)',
    footer: 'q quit',
  },
];

const BY_KEY = new Map(KEY_BINDINGS.flatMap((b) => b.keys.map((k) => [k, b.action] as const)));

export function actionFor(keyName: string): TuiAction | undefined {
  return BY_KEY.get(keyName);
}

/** What `s` and `b` say when there is no console to type to. */
export const NO_LIVE_CONSOLE = 'no live console in this session: give --port or --telnet to type to the phone';

/** Whether `action` does something in this session (`s` and `b` need a live console, `[ ] { }` a replay). */
export function keyWorks(action: TuiAction, liveConsole: boolean, replay = false): boolean {
  return !KEY_BINDINGS.some(
    (b) => b.action === action && ((b.needsConsole && !liveConsole) || (b.needsReplay && !replay)),
  );
}

/** What the footer leaves out first when the line is too narrow (`?` lists every key). */
const FOOTER_DROPS: readonly TuiAction[] = [
  'previous-boot',
  'skip-back',
  'next-pane',
  'servers',
  'timeline',
  'marker',
  'pause',
  'filter',
];

/** The footer's reminder: only keys that work here, within `width` columns. */
export function footerHint(liveConsole: boolean, width: number, replay = false): string {
  let shown = KEY_BINDINGS.filter((b) => b.footer && keyWorks(b.action, liveConsole, replay));
  const text = (): string => shown.map((b) => b.footer).join(' ');
  for (const drop of FOOTER_DROPS) {
    if (text().length <= width) break;
    shown = shown.filter((b) => b.action !== drop);
  }
  return text();
}
