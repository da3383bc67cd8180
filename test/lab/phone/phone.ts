/**
 * A simulated 7940/7960 booting, run inside a lab namespace (`main.ts`): DHCP as a client,
 * the TFTP server taken from the answer (or the Alternate TFTP address), then the requests of
 * its boots over real UDP, deciding from the content received with the product's own parsers
 * (OS79XX.TXT, SEP<MAC>.cnf.xml, SIPDefault.cnf / SIP<MAC>.cnf, image names, zip contents,
 * legal upgrade steps).
 */
import { execFileSync } from 'node:child_process';
import { isIP } from 'node:net';
import { isSignedOnly, parseImageName } from '../../../parsers/firmware/image-name.js';
import { tftpFilesFor } from '../../../parsers/firmware/bundles.js';
import { expectedFileName } from '../../../parsers/provisioning/file-names.js';
import { parseOs79xxTxt } from '../../../parsers/provisioning/os79xx-txt.js';
import { loadsForModel, parseSccpXml } from '../../../parsers/provisioning/sccp-xml.js';
import { parseSipCnf } from '../../../parsers/provisioning/sip-cnf.js';
import { applicationOf, type Firmware } from '../../../src/upgrade/firmware.js';
import { checkMove } from '../../../src/upgrade/find-path.js';
import { CONSOLE_TEXT, PhoneConsole, type ConsoleText } from './console.js';
import { dhcpBind, vendorClassOf, type TftpHints } from './dhcp-client.js';
import { macFileForm, type BootStep, type PhoneReport, type PhoneSpec } from './spec.js';
import { tftpGet, type TftpResult } from './tftp-client.js';

const FILE_NOT_FOUND = 1;

/** Thrown to end the boot with a text on the screen. */
class Stop extends Error {
  constructor(readonly text: ConsoleText) {
    super(text);
  }
}

function tftpServerOf(spec: PhoneSpec, hints: TftpHints): { server: string; from: string } | undefined {
  if (spec.alternateTftp) return { server: spec.alternateTftp, from: 'alternate-tftp' };
  for (const field of spec.tftpFrom ?? ['150', '66', 'siaddr']) {
    if (field === '150' && hints.option150?.[0]) return { server: hints.option150[0], from: 'option 150' };
    // Option 66 may hold a host name; the lab has no DNS, so only an address is usable.
    if (field === '66' && hints.option66 && isIP(hints.option66) === 4) return { server: hints.option66, from: 'option 66' };
    if (field === 'siaddr' && hints.siaddr) return { server: hints.siaddr, from: 'siaddr' };
  }
  return undefined;
}

function runningFirmware(image: string): Firmware {
  const app = applicationOf(parseImageName(image, { context: 'image_version' }));
  if ('refused' in app) throw new Error(`phone image ${image}: ${app.refused}`);
  return app;
}

export async function runPhone(spec: PhoneSpec, options: { interface: string; consoleFile?: string }): Promise<PhoneReport> {
  const mac = macFileForm(spec.mac);
  const console = new PhoneConsole(options.consoleFile, { model: `CP-${spec.model}G`, mac, image: spec.image });
  const requests: { file: string; outcome: string; bytes?: number }[] = [];
  let image = spec.image;
  let boots = 0;
  const report = (extra: Partial<PhoneReport>): PhoneReport => ({ name: spec.name, requests, image, boots, ...extra });

  // Without an address the namespace has no route at all; a link route to the limited
  // broadcast address lets the UDP socket send from 0.0.0.0 like a booting phone.
  execFileSync('ip', ['route', 'replace', '255.255.255.255/32', 'dev', options.interface]);
  console.show(CONSOLE_TEXT.dhcpInit);
  const dhcp = await dhcpBind({
    mac: spec.mac,
    vendorClass: vendorClassOf(spec.model),
    ...(spec.dhcpRetrySeconds ? { retrySeconds: spec.dhcpRetrySeconds } : {}),
    onStep: (step) => {
      if (step === 'request') console.show(CONSOLE_TEXT.dhcpRequesting);
    },
  });
  if (dhcp.kind !== 'bound') {
    console.show(CONSOLE_TEXT.dhcpTimeout);
    return report({ stoppedWith: CONSOLE_TEXT.dhcpTimeout });
  }
  const { lease } = dhcp;
  const prefix = lease.netmask.split('.').reduce((n, o) => n + Number(o).toString(2).replace(/0/g, '').length, 0);
  execFileSync('ip', ['addr', 'add', `${lease.address}/${prefix}`, 'dev', options.interface]);
  console.show(CONSOLE_TEXT.dhcpBound);
  const tftp = tftpServerOf(spec, lease.tftp);
  if (!tftp) {
    // No TFTP server: nothing to ask, the phone keeps what is in flash (phone-facts 7.3).
    return report({ address: lease.address, stoppedWith: 'no TFTP server' });
  }

  const kept = new Map<string, Buffer>();
  let named: string | undefined; // the image a file named last (base name), and its files
  let namedFiles: string[] = [];
  let received = new Set<string>();

  const fetch = async (file: string): Promise<TftpResult> => {
    const r = await tftpGet({
      server: tftp.server,
      file,
      localAddress: lease.address,
      ...(spec.tftpTimeoutMs ? { timeoutMs: spec.tftpTimeoutMs } : {}),
      ...(spec.tftpRetries !== undefined ? { retries: spec.tftpRetries } : {}),
    });
    requests.push(r.kind === 'complete' ? { file, outcome: 'complete', bytes: r.data.length } : { file, outcome: r.kind === 'error' ? `error ${r.code}` : 'timeout' });
    if (r.kind === 'complete') received.add(file);
    if (r.kind === 'timeout') throw new Stop(CONSOLE_TEXT.tftpTimeout);
    return r;
  };

  /** A config file: not found is normal; another error ends the hunt (CSCee31047). */
  const config = async (file: string, keep?: string): Promise<void> => {
    const r = await fetch(file);
    if (r.kind === 'complete') {
      if (keep) kept.set(keep, r.data);
      if (keep === 'sep') console.configFile(file);
    } else if (r.kind === 'error' && r.code !== FILE_NOT_FOUND) {
      throw new Stop(CONSOLE_TEXT.tftpError);
    }
  };

  const nameImage = async (source: 'os79xx' | 'sep' | 'sip', ext: string | undefined): Promise<void> => {
    let file: string | undefined;
    if (source === 'os79xx') {
      const text = kept.get('os79xx');
      if (!text) return;
      file = parseOs79xxTxt(text, 'OS79XX.TXT').requestedFileName;
    } else if (source === 'sep') {
      const text = kept.get('sep');
      if (!text) return;
      const load = loadsForModel(parseSccpXml(text, 'SEP.cnf.xml'), spec.model)[0];
      if (!load) return;
      file = `${load.load.value}${ext ?? '.loads'}`;
    } else {
      // The per-phone file overrides the default file (phone-facts 5.1).
      const version = ['sip-mac', 'sip-default']
        .map((k) => kept.get(k))
        .map((t) => (t ? parseSipCnf(t, 'cnf').imageVersion : undefined))
        .find((v) => v !== undefined);
      if (!version) return;
      file = `${version.name}${ext ?? '.bin'}`;
    }
    const base = file.replace(/\.[^.]*$/, '');
    // A .loads is fetched whenever a config names one, even for the image in flash (the 8.12
    // log of phone-facts 2.1); any other image only when it differs from flash.
    if (base === image) {
      if (file.endsWith('.loads')) await fetch(file);
      return;
    }
    named = base;
    namedFiles = [file];
    await fetch(file);
  };

  const run = async (step: BootStep): Promise<void> => {
    if ('file' in step) return config(step.file.replace('{MAC}', mac), step.keep);
    if ('sipMac' in step) {
      const dflt = kept.get('sip-default');
      const dir = dflt ? parseSipCnf(dflt, 'SIPDefault.cnf').tftpCfgDir?.value : undefined;
      return config(expectedFileName('sip-phone', mac, dir), 'sip-mac');
    }
    if ('image' in step) return nameImage(step.image, step.ext);
    if ('parts' in step) {
      if (!named || !received.has(namedFiles[0] ?? '')) return;
      const app = applicationOf(parseImageName(named));
      if ('refused' in app) return;
      // The loader first, then the application (facts 2.2); the secure .sbn loader on a signed
      // image, the .bin one before 5.0 (ASSUMPTIONS.LOADER_FILE_BY_SIGNING in src/flows).
      const files = tftpFilesFor(app, app.image).files;
      const loaderExt = isSignedOnly(runningFirmware(image).version) ? '.sbn' : '.bin';
      const apps = files.filter((f) => f.role === 'application');
      const sb2 = apps.filter((f) => f.name.endsWith('.sb2'));
      const parts = [
        ...files.filter((f) => f.role === 'loader' && f.name.endsWith(loaderExt)),
        ...(sb2.length > 0 ? sb2 : apps),
      ].map((f) => f.name);
      namedFiles.push(...parts);
      for (const part of parts) await fetch(part);
      return;
    }
    if ('parallel' in step) {
      await Promise.all(step.parallel.map(run));
      return;
    }
    if ('pauseMs' in step) return new Promise((r) => setTimeout(r, step.pauseMs));
    // flash
    if (!named) return;
    if (!namedFiles.every((f) => received.has(f))) throw new Stop(CONSOLE_TEXT.protocolApplicationInvalid);
    const target = applicationOf(parseImageName(named));
    if ('refused' in target) throw new Stop(CONSOLE_TEXT.protocolApplicationInvalid);
    if (!checkMove(runningFirmware(image), target).legal) throw new Stop(CONSOLE_TEXT.imageAuthenticationFailed);
    image = target.image;
    throw new RebootInto();
  };

  try {
    for (const boot of spec.boots) {
      boots++;
      named = undefined;
      namedFiles = [];
      received = new Set();
      kept.clear();
      try {
        for (const step of boot) await run(step);
        break; // the boot went through without a new image: the phone runs
      } catch (e) {
        if (!(e instanceof RebootInto)) throw e;
      }
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    console.show(e.text);
    return report({ address: lease.address, tftpServer: tftp.server, tftpServerFrom: tftp.from, stoppedWith: e.text });
  }
  return report({ address: lease.address, tftpServer: tftp.server, tftpServerFrom: tftp.from });
}

/** The image was written to flash; the phone restarts with the next boot. */
class RebootInto extends Error {}
