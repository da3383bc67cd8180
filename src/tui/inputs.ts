/**
 * The inputs of a TUI session as files: the engine fed from them, each source's status at
 * the start. With no input at all, the bundled sample in captures/ is what is read, and the
 * header says so.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosisEngine } from '../engine/engine.js';
import type { EngineSetup } from '../engine/engine.js';
import type { AnalyzeInputs } from '../engine/input-events.js';
import type { SourceStatus } from './state.js';

/** The scenario `phonedoc tui` with no argument shows: a conversion stopped by a missing .sb2. */
export const BUNDLED_SAMPLE = 'loads-part-missing';

/** captures/ of the installed package (above src/ or dist/src/). */
function capturesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'captures');
}

/** The bundled sample's capture, console log, server log and TFTP root. */
export function bundledSampleInputs(scenario: string = BUNDLED_SAMPLE): AnalyzeInputs {
  const dir = path.join(capturesDir(), scenario);
  const files = readdirSync(dir);
  return {
    captures: files.filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => path.join(dir, f)),
    consoles: files.filter((f) => /^console-.*\.log$/.test(f)).map((f) => path.join(dir, f)),
    serverLogs: files.filter((f) => f === 'tftpd.log').map((f) => path.join(dir, f)),
    ...(files.includes('tftp-root') ? { tftpRoot: path.join(dir, 'tftp-root') } : {}),
  };
}

export function bundledSampleBanner(scenario: string = BUNDLED_SAMPLE): string {
  return `replaying the bundled sample captures/${scenario} (no source given)`;
}

export function hasInputs(inputs: AnalyzeInputs): boolean {
  return (
    inputs.captures.length + inputs.consoles.length + inputs.serverLogs.length > 0 || inputs.tftpRoot !== undefined
  );
}

export function engineFor(inputs: AnalyzeInputs, setup: Omit<EngineSetup, 'inputs'>): DiagnosisEngine {
  return new DiagnosisEngine({
    ...setup,
    inputs: [
      ...inputs.captures.map((p) => ({ kind: 'capture' as const, path: p })),
      ...inputs.consoles.map((p) => ({ kind: 'console' as const, path: p })),
      ...inputs.serverLogs.map((p) => ({ kind: 'server-log' as const, path: p })),
      ...(inputs.tftpRoot ? [{ kind: 'tftp-root' as const, path: inputs.tftpRoot }] : []),
    ],
  });
}

export function sourcesOf(inputs: AnalyzeInputs, state: SourceStatus['state']): SourceStatus[] {
  return [
    ...inputs.consoles.map((name) => ({ kind: 'console' as const, name, state })),
    ...inputs.captures.map((name) => ({ kind: 'capture' as const, name, state })),
    ...inputs.serverLogs.map((name) => ({ kind: 'server-log' as const, name, state })),
    ...(inputs.tftpRoot
      ? [{ kind: 'tftp-root' as const, name: inputs.tftpRoot, state: 'read' as const, detail: 'linted' }]
      : []),
  ];
}
