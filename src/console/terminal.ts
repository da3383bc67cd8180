/**
 * `phonedoc console` at a terminal: a console session's lines, notices and status drawn on the
 * screen, and typed keys sent to the phone, except the escape key's menu, whose commands act
 * on the session (break, Enter mapping, quit) or on the screen (timestamps, hex, local echo).
 */
import type { KeyAction, MenuCommand } from './key-menu.js';
import { ENTER_WORDS, ESCAPE_KEY_NAME, createKeyMenu, menuText } from './key-menu.js';
import { phoneStatusText } from './phone-status.js';
import type { ConsoleScreen } from './screen.js';
import type { ConsoleSession, ConsoleSessionResult, ConsoleStatus } from './session.js';
import { connectedNotice } from './session.js';

/** Runs `session` on `screen` until it is quit from the menu (with `keys`), its signal fires or its log fails. */
export async function runConsoleTerminal(
  session: ConsoleSession,
  screen: ConsoleScreen,
  keys?: NodeJS.ReadableStream,
): Promise<ConsoleSessionResult> {
  const hide = showOnScreen(session, screen);
  try {
    const logFile = await session.start();
    screen.notice(`${connectedNotice(session.endpoint, logFile)}${keys ? `; ${ESCAPE_KEY_NAME} opens the menu` : ''}`);
    const release = keys ? takeKeys(session, screen, keys) : undefined;
    try {
      return await session.untilStopped();
    } finally {
      release?.();
    }
  } finally {
    hide();
  }
}

/** The status row: the link (or the wait for it), the phone, the menu key. */
function statusText(session: ConsoleSession, status: ConsoleStatus): string {
  const { label, settings } = session.endpoint;
  const link = status.connected ? `${label} ${settings}` : `DISCONNECTED, waiting for ${label}`;
  return [link, phoneStatusText(status.phone) || 'phone not identified yet', `${ESCAPE_KEY_NAME} menu`].join(' · ');
}

/** Subscribes the screen to the session; returns the unsubscribe. */
function showOnScreen(session: ConsoleSession, screen: ConsoleScreen): () => void {
  const pending = screen.pending.bind(screen);
  const line = screen.line.bind(screen);
  const notice = screen.notice.bind(screen);
  const status = (s: ConsoleStatus): void => screen.status(statusText(session, s));
  session.on('pending', pending).on('line', line).on('notice', notice).on('status', status);
  return () => {
    session.off('pending', pending).off('line', line).off('notice', notice).off('status', status);
  };
}

/** What the menu toggles on the screen only (the log always has the times and the bytes). */
interface ScreenToggles {
  timestamps: boolean;
  hex: boolean;
  echo: boolean;
}

/** Typed keys to the phone or the menu; returns the release of `keys`. */
function takeKeys(session: ConsoleSession, screen: ConsoleScreen, keys: NodeJS.ReadableStream): () => void {
  const menu = createKeyMenu();
  const toggles: ScreenToggles = { timestamps: true, hex: false, echo: false };
  const onKeys = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    for (const action of menu.feed(bytes)) act(action, session, screen, toggles);
  };
  keys.on('data', onKeys);
  return () => {
    keys.off('data', onKeys);
  };
}

function act(action: KeyAction, session: ConsoleSession, screen: ConsoleScreen, toggles: ScreenToggles): void {
  switch (action.kind) {
    case 'send':
      if (!session.typeKeys(action.bytes))
        screen.notice(`not connected: keys not sent (waiting for ${session.endpoint.label})`);
      else if (toggles.echo) screen.echo(action.bytes);
      return;
    case 'menu':
      for (const row of menuText({ enter: session.enter, ...toggles })) screen.notice(row);
      return;
    case 'menu-closed':
      screen.notice('menu closed');
      return;
    case 'command':
      runMenuCommand(action.command, session, screen, toggles);
      return;
  }
}

function runMenuCommand(
  command: MenuCommand,
  session: ConsoleSession,
  screen: ConsoleScreen,
  toggles: ScreenToggles,
): void {
  switch (command) {
    case 'quit':
      session.stop();
      return;
    case 'break':
      sendBreak(session, screen);
      return;
    case 'timestamps':
      toggles.timestamps = !toggles.timestamps;
      screen.setTimestamps(toggles.timestamps);
      screen.notice(`timestamps on screen ${toggles.timestamps ? 'on' : 'off'} (the log always has them)`);
      return;
    case 'hex':
      toggles.hex = !toggles.hex;
      screen.setHex(toggles.hex);
      screen.notice(`hex view ${toggles.hex ? 'on' : 'off'}`);
      return;
    case 'echo':
      toggles.echo = !toggles.echo;
      screen.notice(`local echo ${toggles.echo ? 'on' : 'off'}`);
      return;
    case 'enter':
      screen.notice(`the Enter key now sends ${ENTER_WORDS[session.cycleEnter()]} to the phone`);
      return;
  }
}

function sendBreak(session: ConsoleSession, screen: ConsoleScreen): void {
  if (!session.connected) {
    screen.notice('not connected: no break sent');
    return;
  }
  void session.sendBreak().then(
    () => screen.notice('break sent'),
    (err: unknown) => screen.notice(`the break could not be sent: ${err instanceof Error ? err.message : String(err)}`),
  );
}
