/**
 * The serial side of the console, over serialport. Opening errors become one sentence with
 * the fix (tio #81/#105: users want to know WHY a port cannot be opened). An unplugged
 * adapter shows as `close` with `err.disconnected` (library-notes, serialport 13); a
 * hung-up pseudo-terminal does not (its poller never wakes), so the path is watched too:
 * when it goes away or points to another device, the link is lost.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
// Loaded when a port is opened: the native binding costs every other command nothing.
import type { SerialPort } from 'serialport';
import type { ConsoleEndpoint, ConsoleLink, LinkHandlers } from './transport.js';
import { OpenFailure } from './transport.js';
import type { SerialSettings } from './serial-settings.js';
import { COMMON_BAUD_RATES, describeSettings } from './serial-settings.js';

/** How long the line is held in break (tio and picocom use 0.25 s, as tcsendbreak does). */
const BREAK_MS = 250;
/** How often the path is checked while the port is open. */
const PRESENCE_POLL_MS = 250;

export function serialEndpoint(path: string, settings: SerialSettings): ConsoleEndpoint {
  return {
    label: path,
    logFields: { port: path, settings: describeSettings(settings) },
    logName: path.split('/').pop() ?? 'serial',
    settings: describeSettings(settings),
    defaultEnter: 'cr',
    connect: (handlers) => openSerial(path, settings, handlers),
  };
}

async function openSerial(path: string, s: SerialSettings, handlers: LinkHandlers): Promise<ConsoleLink> {
  const { SerialPort: Port } = await import('serialport');
  return new Promise((resolve, reject) => {
    let port: SerialPort;
    try {
      port = new Port({
        path,
        baudRate: s.baudRate,
        dataBits: s.dataBits,
        parity: s.parity,
        stopBits: s.stopBits,
        rtscts: s.flow === 'rtscts',
        xon: s.flow === 'xonxoff',
        xoff: s.flow === 'xonxoff',
        autoOpen: false,
      });
    } catch (err) {
      reject(new OpenFailure(openFailureSentence(path, s, errorMessage(err))));
      return;
    }
    port.open((err) => {
      if (err) {
        reject(new OpenFailure(openFailureSentence(path, s, err.message)));
        return;
      }
      let closing = false;
      const lose = (why: string): void => {
        if (closing) return;
        closing = true;
        clearInterval(watch);
        handlers.lost(why);
        if (port.isOpen) port.close();
      };
      const device = targetOf(path);
      const watch = setInterval(() => {
        if (targetOf(path) !== device) lose('the adapter was unplugged');
      }, PRESENCE_POLL_MS);
      port.on('data', (chunk: Buffer) => handlers.data(chunk));
      port.on('close', (closeErr: (Error & { disconnected?: boolean }) | null) => {
        lose(closeErr?.disconnected ? 'the adapter was unplugged' : 'the port was closed');
      });
      // Errors after opening (a failed write) end in `close` too; the session reports that.
      port.on('error', () => undefined);
      resolve({
        write: (bytes) => {
          port.write(Buffer.from(bytes));
        },
        sendBreak: async () => {
          await setBreak(port, true);
          await new Promise((r) => setTimeout(r, BREAK_MS));
          await setBreak(port, false);
        },
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            clearInterval(watch);
            if (!port.isOpen) {
              done();
              return;
            }
            port.close(() => done());
          }),
      });
    });
  });
}

function targetOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function setBreak(port: SerialPort, brk: boolean): Promise<void> {
  return new Promise((resolve, reject) => port.set({ brk }, (err) => (err ? reject(err) : resolve())));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * One sentence with the fix for serialport's opening errors (their texts come from
 * @serialport/bindings-cpp serialport_unix.cpp: `Error: %s, cannot open %s`,
 * `Error %s Cannot lock port`, `... setting custom baud rate of %d`).
 */
export function openFailureSentence(
  path: string,
  s: SerialSettings,
  message: string,
  groupOf: (path: string) => string | undefined = deviceGroup,
): string {
  if (/No such file or directory|ENOENT/.test(message)) {
    return `${path} does not exist: plug in the USB-serial adapter, or run "phonedoc ports" to see the serial ports there are.`;
  }
  if (/Permission denied|EACCES|EPERM/.test(message)) {
    const group = groupOf(path) ?? 'dialout';
    if (group === 'root') {
      return `Permission denied on ${path}: only root may open it; run phonedoc with sudo, or give the device to the dialout group (a udev rule with GROUP="dialout").`;
    }
    return `Permission denied on ${path}: add yourself to the ${group} group (sudo usermod -aG ${group} $USER), then log out and in again.`;
  }
  if (/Cannot lock port|Resource temporarily unavailable|Device or resource busy|EBUSY/.test(message)) {
    return `${path} is in use by another program (tio, picocom, minicom, screen or ModemManager): close that program and try again.`;
  }
  if (/baud rate/i.test(message)) {
    return `The adapter on ${path} refused ${s.baudRate} baud: use a standard rate such as ${COMMON_BAUD_RATES.join(', ')}.`;
  }
  if (/Not a typewriter|ENOTTY|Inappropriate ioctl/.test(message)) {
    return `${path} is not a serial port: give the adapter's path, e.g. one that "phonedoc ports" lists.`;
  }
  return `Cannot open ${path} (${message.replace(/^Error:? ?/, '')}): check the path and the adapter, then try again.`;
}

/** The group that owns the device (dialout on Debian, uucp on Arch), from /etc/group. */
function deviceGroup(path: string): string | undefined {
  try {
    const gid = statSync(path).gid;
    for (const row of readFileSync('/etc/group', 'utf8').split('\n')) {
      const [name, , id] = row.split(':');
      if (Number(id) === gid && name) return name;
    }
  } catch {
    // No group to name: the sentence says dialout, the usual one.
  }
  return undefined;
}
