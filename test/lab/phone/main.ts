/**
 * Entry point of the simulated phone, run inside the phone's namespace by the lab:
 *
 *   node --import tsx test/lab/phone/main.ts SPEC.json INTERFACE [CONSOLE]
 *
 * SPEC.json holds a PhoneSpec; CONSOLE is a file or a pty (one end of a socat pty pair). The
 * report (PhoneReport) is printed as one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { runPhone } from './phone.js';
import type { PhoneSpec } from './spec.js';

const [specFile, iface, consoleFile] = process.argv.slice(2);
if (!specFile || !iface) {
  process.stderr.write('usage: main.ts SPEC.json INTERFACE [CONSOLE]\n');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as PhoneSpec;
runPhone(spec, { interface: iface, ...(consoleFile ? { consoleFile } : {}) }).then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (err: unknown) => {
    process.stderr.write(`phone ${spec.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
