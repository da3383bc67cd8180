/**
 * The serial ports of this machine, read from the file system, not from udevadm (which
 * `SerialPort.list()` spawns and which containers and CI lack, library-notes):
 * - `/dev/serial/by-id/*`: udev's stable names, which survive an unplug and a replug;
 * - `/sys/class/tty/<name>/device`: the tty's hardware; its USB parent in sysfs has
 *   `idVendor`, `idProduct`, `manufacturer`, `product` and `serial`.
 * `root` puts the whole tree elsewhere (tests build a fake one).
 */
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';

export interface UsbIdentity {
  /** Four hex digits, e.g. `0403`. */
  readonly vendorId: string;
  readonly productId: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly serialNumber?: string;
}

export interface SerialPortInfo {
  /** `/dev/ttyUSB0` */
  readonly device: string;
  /** `/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0`, when udev made one. */
  readonly stablePath?: string;
  /** The kernel driver (`ftdi_sio`, `pl2303`, `cp210x`, `ch341`, `cdc_acm`, `serial8250`). */
  readonly driver?: string;
  readonly usb?: UsbIdentity;
}

const BY_ID = 'dev/serial/by-id';
const CLASS_TTY = 'sys/class/tty';

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The USB device above a tty's device directory in sysfs (the first ancestor with `idVendor`). */
function usbIdentity(deviceDir: string, sysRoot: string): UsbIdentity | undefined {
  for (let dir = deviceDir; dir.startsWith(sysRoot) && dir !== sysRoot; dir = path.dirname(dir)) {
    const vendorId = readText(path.join(dir, 'idVendor'));
    const productId = readText(path.join(dir, 'idProduct'));
    if (vendorId && productId) {
      const manufacturer = readText(path.join(dir, 'manufacturer'));
      const product = readText(path.join(dir, 'product'));
      const serialNumber = readText(path.join(dir, 'serial'));
      return {
        vendorId,
        productId,
        ...(manufacturer ? { manufacturer } : {}),
        ...(product ? { product } : {}),
        ...(serialNumber ? { serialNumber } : {}),
      };
    }
  }
  return undefined;
}

/** The stable by-id names, by the device they point to (`/dev/ttyUSB0`). */
function stableNames(root: string): Map<string, string> {
  const byDevice = new Map<string, string>();
  const dir = path.join(root, BY_ID);
  for (const name of listDir(dir)) {
    const target = realpathOrUndefined(path.join(dir, name));
    if (!target) continue;
    const device = `/${path.relative(root, target)}`;
    if (!byDevice.has(device)) byDevice.set(device, `/${BY_ID}/${name}`);
  }
  return byDevice;
}

export function listSerialPorts(root = '/'): SerialPortInfo[] {
  const byDevice = stableNames(root);
  const sysRoot = path.join(root, 'sys');
  const ports = new Map<string, SerialPortInfo>();
  for (const name of listDir(path.join(root, CLASS_TTY))) {
    const ttyDir = path.join(root, CLASS_TTY, name);
    const deviceDir = realpathOrUndefined(path.join(ttyDir, 'device'));
    // Virtual consoles and pseudo-terminals have no hardware behind them.
    if (!deviceDir) continue;
    // An 8250 port the kernel reserves but found no UART for has type 0 (PORT_UNKNOWN).
    if (readText(path.join(ttyDir, 'type')) === '0') continue;
    const device = `/dev/${name}`;
    const driverDir = realpathOrUndefined(path.join(deviceDir, 'driver'));
    const usb = usbIdentity(deviceDir, sysRoot);
    const stablePath = byDevice.get(device);
    ports.set(device, {
      device,
      ...(stablePath ? { stablePath } : {}),
      ...(driverDir ? { driver: path.basename(driverDir) } : {}),
      ...(usb ? { usb } : {}),
    });
  }
  // A by-id name whose tty sysfs does not show (no /sys in a container): still a port.
  for (const [device, stablePath] of byDevice) {
    if (!ports.has(device)) ports.set(device, { device, stablePath });
  }
  return [...ports.values()].sort(
    (a, b) =>
      Number(!a.stablePath) - Number(!b.stablePath) || a.device.localeCompare(b.device, 'en', { numeric: true }),
  );
}

/**
 * The stable name to wait for after an unplug: the path itself when it is already a
 * by-id name (or anything else that is not a plain /dev/ttyXXX), else the by-id name
 * pointing to that device, else the path.
 */
export function stablePathOf(devicePath: string, root = '/'): string {
  if (devicePath.startsWith(`/${BY_ID}/`)) return devicePath;
  const target = realpathOrUndefined(path.join(root, devicePath));
  if (!target) return devicePath;
  return stableNames(root).get(`/${path.relative(root, target)}`) ?? devicePath;
}

export function describePort(p: SerialPortInfo): string[] {
  const lines = [p.stablePath ?? p.device];
  const facts = [p.stablePath ? `device ${p.device}` : undefined, p.driver ? `driver ${p.driver}` : undefined];
  if (p.usb) {
    const name = [p.usb.manufacturer, p.usb.product].filter(Boolean).join(' ');
    facts.push(`USB ${p.usb.vendorId}:${p.usb.productId}${name ? ` ${name}` : ''}`);
    facts.push(`serial number ${p.usb.serialNumber ?? '(none: the adapter has no serial number)'}`);
  }
  const shown = facts.filter((f): f is string => f !== undefined);
  if (shown.length > 0) lines.push(`  ${shown.join(', ')}`);
  return lines;
}

export const NO_PORTS_TEXT =
  'No serial ports found: /dev/serial/by-id has no entries and /sys/class/tty shows no serial hardware. ' +
  'Plug in the USB-serial adapter, then run "phonedoc ports" again ("dmesg | tail" shows whether the kernel saw it).';

export function portListText(ports: readonly SerialPortInfo[]): string {
  if (ports.length === 0) return `${NO_PORTS_TEXT}\n`;
  return `${ports.flatMap(describePort).join('\n')}\n`;
}
