/**
 * `npm run bench:site-root`: a CallManager-style TFTP root of a large site (one
 * `SEP<MAC>.cnf.xml` of about 2.4 KB per phone, each naming an image the root lacks, so
 * every file is evidence of one finding), `phonedoc lint` on it as a child process: seconds
 * and peak memory (GNU time's maximum resident set). `-- --phones 20000` for another size.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchDir as dir, cli, repoRoot } from './bench-places.js';
import { commandLine, hasGnuTime, lastErrorLine, measure } from './measure.js';
import { macHex } from './packet-builder.js';
import { phoneMac } from './site-capture.js';

function sepFile(name: string): string {
  const server = (host: string, priority: number): string =>
    `        <member ` +
    `priority="${priority}"><callManager><ports><ethernetPhonePort>2000</ethernetPhonePort><mgcpPorts><listen>2427</listen><keepAlive>2428</keepAlive></mgcpPorts></ports><processNodeName>${host}.site.example.com</processNodeName></callManager></member>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<device>',
    '  <deviceProtocol>SCCP</deviceProtocol>',
    '  <devicePool>',
    '    <dateTimeSetting><dateTemplate>M/D/Y</dateTemplate><timeZone>Central Standard/Daylight ' +
      'Time</timeZone><ntps><ntp><name>192.0.2.1</name><ntpMode>Unicast</ntpMode></ntp></ntps></dateTimeSetting>',
    '    <callManagerGroup><members>',
    server('cucm-pub', 0),
    server('cucm-sub1', 1),
    '    </members></callManagerGroup>',
    '  </devicePool>',
    '  <commonProfile><phonePassword></phonePassword><backgroundImageAccess>true</backgroundImageAccess><callLogBlfEnabled>2</callLogBlfEnabled></commonProfile>',
    '  <loadInformation model="IP Phone 7960">P00308010200</loadInformation>',
    '  <vendorConfig><disableSpeaker>false</disableSpeaker><disableSpeakerAndHeadset>false</disableSpeakerAndHeadset><pcPort>0</pcPort><settingsAccess>1</settingsAccess><garp>1</garp><voiceVlanAccess>0</voiceVlanAccess><autoSelectLineEnable>0</autoSelectLineEnable><webAccess>0</webAccess><spanToPCPort>1</spanToPCPort><loggingDisplay>1</loggingDisplay><loadServer></loadServer></vendorConfig>',
    `  <versionStamp>{Jan 01 2026 00:00:00}-${name}</versionStamp>`,
    '  <userLocale><name>English_United_States</name><langCode>en</langCode></userLocale><networkLocale>United_States</networkLocale><idleTimeout>0</idleTimeout>',
    '  <authenticationURL>http://cucm-pub.site.example.com:8080/ccmcip/authenticate.jsp</authenticationURL>',
    '  <directoryURL>http://cucm-pub.site.example.com:8080/ccmcip/xmldirectory.jsp</directoryURL>',
    '  <servicesURL>http://cucm-pub.site.example.com:8080/ccmcip/getservicesmenu.jsp</servicesURL>',
    '  <dscpForSCCPPhoneConfig>96</dscpForSCCPPhoneConfig><dscpForSCCPPhoneServices>0</dscpForSCCPPhoneServices>',
    '  <capfAuthMode>0</capfAuthMode><capfList><capf><phonePort>3804</phonePort></capf></capfList><certHash></certHash><encrConfig>false</encrConfig>',
    '</device>',
    '',
  ].join('\n');
}

function phones(): number {
  const at = process.argv.indexOf('--phones');
  const n = Number(at < 0 ? 100_000 : process.argv[at + 1]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--phones wants a phone count, got "${process.argv[at + 1] ?? ''}"`);
  return n;
}

async function main(): Promise<number> {
  if (!hasGnuTime()) process.stderr.write('note: /usr/bin/time missing (Debian package time): no peak memory\n');
  const n = phones();
  const root = path.join(dir, `site-root-${n}`);
  if (!existsSync(root)) {
    mkdirSync(root, { recursive: true });
    for (let i = 0; i < n; i++) {
      const name = `SEP${macHex(phoneMac(i))}`;
      writeFileSync(path.join(root, `${name}.cnf.xml`), sepFile(name));
    }
    process.stderr.write(`wrote ${root}: ${n} files\n`);
  }
  for (const format of ['text', 'json']) {
    const args = [cli, 'lint', root, '--format', format];
    const m = await measure(process.execPath, args, { captureStdout: false });
    if (m.exitCode !== 0 && m.exitCode !== 1) {
      process.stderr.write(
        `lint failed on ${n} files: ${m.signal ?? `exit ${m.exitCode}`}: ${lastErrorLine(m.stderrTail)}\n`,
      );
      return 1;
    }
    const peak = m.peakRssKib === undefined ? '?' : (m.peakRssKib / 1024).toFixed(1);
    process.stdout.write(
      `${n} files, --format ${format}: ${m.seconds.toFixed(2)} s, peak ${peak} MB   (${commandLine(
        'node',
        args.map((a) => (a.startsWith(repoRoot) ? path.relative(repoRoot, a) : a)),
        true,
      )})\n`,
    );
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench:site-root: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
