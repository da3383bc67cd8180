/**
 * `phonedoc ports` reads /dev/serial/by-id and /sys/class/tty. No USB-serial adapter exists
 * on the machines that run these tests, so each test builds a fake root: the directories,
 * files and relative symlinks the kernel and udev make for an FTDI adapter (ftdi_sio, a
 * usb-serial port), a CDC-ACM device and the PC's 8250 ports, laid out as on Debian 12.
 * This is a mock where nothing real can run; the reading code is the one the CLI uses.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { listSerialPorts, portListText, stablePathOf } from '../../src/console/ports.js';

let root = '';
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'phonedoc-sysfs-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function file(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), `${text}\n`);
}

function link(rel: string, target: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  symlinkSync(target, path.join(root, rel));
}

function dir(rel: string): void {
  mkdirSync(path.join(root, rel), { recursive: true });
}

/** An FTDI FT232R on USB port 1-2: usb device 1-2, interface 1-2:1.0, usb-serial port ttyUSB0. */
function ftdi(): void {
  const usb = 'sys/devices/pci0000:00/0000:00:14.0/usb1/1-2';
  file(`${usb}/idVendor`, '0403');
  file(`${usb}/idProduct`, '6001');
  file(`${usb}/manufacturer`, 'FTDI');
  file(`${usb}/product`, 'FT232R USB UART');
  file(`${usb}/serial`, 'A50285BI');
  dir(`${usb}/1-2:1.0/ttyUSB0/tty/ttyUSB0`);
  dir('sys/bus/usb-serial/drivers/ftdi_sio');
  link(`${usb}/1-2:1.0/ttyUSB0/driver`, '../../../../../../../bus/usb-serial/drivers/ftdi_sio');
  link(`${usb}/1-2:1.0/ttyUSB0/tty/ttyUSB0/device`, '../../../ttyUSB0');
  link('sys/class/tty/ttyUSB0', `../../devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0`);
  file('dev/ttyUSB0', '');
  link('dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', '../../ttyUSB0');
}

/** The PC's 8250 ports: ttyS0 has a UART (type 4, 16550A), ttyS1 is reserved but absent (type 0). */
function pcSerial(): void {
  for (const [name, type] of [
    ['ttyS0', '4'],
    ['ttyS1', '0'],
  ] as const) {
    const dev = `sys/devices/pnp0/00:0${name.at(-1)}/tty/${name}`;
    file(`${dev}/type`, type);
    link(`${dev}/device`, '../..');
    link(`sys/class/tty/${name}`, `../../devices/pnp0/00:0${name.at(-1)}/tty/${name}`);
  }
  // A virtual console and a pty master: no hardware behind them, no `device` link.
  dir('sys/devices/virtual/tty/tty1');
  link('sys/class/tty/tty1', '../../devices/virtual/tty/tty1');
}

describe('phonedoc ports (fake /dev and /sys tree)', () => {
  it('lists a USB adapter by its stable by-id name, with device, driver, vendor/product and serial number', () => {
    ftdi();
    pcSerial();
    assert.deepEqual(listSerialPorts(root), [
      {
        device: '/dev/ttyUSB0',
        stablePath: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0',
        driver: 'ftdi_sio',
        usb: {
          vendorId: '0403',
          productId: '6001',
          manufacturer: 'FTDI',
          product: 'FT232R USB UART',
          serialNumber: 'A50285BI',
        },
      },
      { device: '/dev/ttyS0' },
    ]);
    assert.equal(
      portListText(listSerialPorts(root)),
      '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0\n' +
        '  device /dev/ttyUSB0, driver ftdi_sio, USB 0403:6001 FTDI FT232R USB UART, serial number A50285BI\n' +
        '/dev/ttyS0\n',
    );
  });

  it('still lists by-id names when /sys is not there (a container)', () => {
    file('dev/ttyACM0', '');
    link('dev/serial/by-id/usb-Prolific_PL2303-if00', '../../ttyACM0');
    assert.deepEqual(listSerialPorts(root), [
      { device: '/dev/ttyACM0', stablePath: '/dev/serial/by-id/usb-Prolific_PL2303-if00' },
    ]);
  });

  it('says plainly when there are none', () => {
    pcSerial();
    rmSync(path.join(root, 'sys/class/tty/ttyS0'));
    assert.deepEqual(listSerialPorts(root), []);
    assert.match(portListText([]), /^No serial ports found: .*Plug in the USB-serial adapter/);
  });

  it('finds the stable name of /dev/ttyUSB0 to wait for after an unplug', () => {
    ftdi();
    assert.equal(stablePathOf('/dev/ttyUSB0', root), '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0');
    assert.equal(stablePathOf('/dev/ttyS0', root), '/dev/ttyS0');
  });
});
