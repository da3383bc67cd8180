/** The keys of the bench TUI, declared once: the screen dispatches on them and help lists them. */
export type TuiAction =
  | 'next-pane' | 'previous-pane' | 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom'
  | 'filter' | 'details' | 'close' | 'timeline' | 'export' | 'send-line' | 'send-break' | 'pause' | 'help' | 'quit';

export interface KeyBinding {
  /** blessed key names (`tab`, `S-tab`, `up`, `enter`, `/`). */
  readonly keys: readonly string[];
  readonly action: TuiAction;
  /** As help shows the key. */
  readonly label: string;
  readonly help: string;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['tab', 'right'], action: 'next-pane', label: 'Tab →', help: 'next pane' },
  { keys: ['S-tab', 'left'], action: 'previous-pane', label: 'S-Tab ←', help: 'previous pane' },
  { keys: ['up', 'k'], action: 'up', label: '↑ k', help: 'move up (in the phone list: switch phone)' },
  { keys: ['down', 'j'], action: 'down', label: '↓ j', help: 'move down' },
  { keys: ['pageup'], action: 'page-up', label: 'PgUp', help: 'page up' },
  { keys: ['pagedown'], action: 'page-down', label: 'PgDn', help: 'page down' },
  { keys: ['home', 'g'], action: 'top', label: 'Home g', help: 'first row' },
  { keys: ['end', 'S-g'], action: 'bottom', label: 'End G', help: 'last row (follows new rows)' },
  { keys: ['enter'], action: 'details', label: 'Enter', help: 'details: a finding\'s explanation, evidence and fix; a row\'s source, the findings citing it and its packets' },
  { keys: ['escape'], action: 'close', label: 'Esc', help: 'close the details, clear the selected finding' },
  { keys: ['/'], action: 'filter', label: '/', help: 'filter console and network rows (empty: no filter)' },
  { keys: ['t'], action: 'timeline', label: 't', help: 'merged timeline of the phone (console, network, server log)' },
  { keys: ['e'], action: 'export', label: 'e', help: 'export the ticket bundle (as analyze --out)' },
  { keys: ['s'], action: 'send-line', label: 's', help: 'type a line to the phone\'s console' },
  { keys: ['b'], action: 'send-break', label: 'b', help: 'send a break to the phone\'s console' },
  { keys: ['p'], action: 'pause', label: 'p', help: 'pause / resume the screen (sources keep reading)' },
  { keys: ['?'], action: 'help', label: '?', help: 'this help' },
  { keys: ['q', 'C-c'], action: 'quit', label: 'q', help: 'quit (logs and capture files are flushed)' },
];

const BY_KEY = new Map(KEY_BINDINGS.flatMap((b) => b.keys.map((k) => [k, b.action] as const)));

export function actionFor(keyName: string): TuiAction | undefined {
  return BY_KEY.get(keyName);
}

/** The footer's reminder; it fits in 80 columns. */
export const FOOTER_HINT = 'Tab ↑↓ Enter / filter t timeline e export s send b break p pause ? help q quit';
