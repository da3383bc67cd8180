import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Analysis } from '../../src/engine/analysis.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import { bundledSampleInputs } from '../../src/tui/inputs.js';
import { TuiSession } from '../../src/tui/session.js';
import type { SessionSetup } from '../../src/tui/session.js';
import type { SourceStatus } from '../../src/tui/state.js';
import { PHONEDOC_VERSION } from '../../src/version.js';
import { until } from '../helpers.js';

interface Watched {
  readonly session: TuiSession;
  readonly analyses: { at: number; analysis: Analysis }[];
  sources: readonly SourceStatus[];
  readonly notices: string[];
}

function watch(setup: Omit<SessionSetup, 'engine' | 'onAnalysis' | 'onSources' | 'onNotice' | 'sessionDir'>): Watched {
  const w: Watched = {
    analyses: [],
    sources: [],
    notices: [],
    session: new TuiSession({
      ...setup,
      sessionDir: tmpdir(),
      engine: { version: PHONEDOC_VERSION },
      onAnalysis: (analysis) => w.analyses.push({ at: Date.now(), analysis }),
      onSources: (sources) => {
        w.sources = sources;
      },
      onNotice: (text) => w.notices.push(text),
    }),
  };
  return w;
}

const ids = (a: Analysis | undefined): string[] => (a?.report.findings ?? []).map((f) => f.id).sort();

describe('tui session', () => {
  it('reaches the same findings as analyze from the saved files', async (t) => {
    const inputs = bundledSampleInputs();
    const expected = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const w = watch({ inputs });
    t.after(() => w.session.stop());
    w.session.start();
    await until(
      'the analysis',
      () => ids(w.analyses.at(-1)?.analysis).length === expected.analysis.report.findings.length,
    );
    assert.deepEqual(ids(w.analyses.at(-1)!.analysis), ids(expected.analysis));
    assert.deepEqual(w.sources.find((s) => s.kind === 'tftp-root')?.state, 'following');
  });

  it('--replay plays the saved files with their original timing, scaled by the speed', async (t) => {
    const inputs = { ...bundledSampleInputs(), serverLogs: [] };
    const { analysis } = await analyzeFiles(inputs, { version: PHONEDOC_VERSION }, () => undefined);
    const console = analysis.phones[0]!.timeline.filter((e) => e.lane === 'console');
    // The console lines span this long on the recording's own clock.
    const span = console.at(-1)!.time! - console[0]!.time!;
    assert.ok(span > 0.3, `the sample spans ${span} s`);
    const speed = 0.5;
    const w = watch({ inputs, replay: { speed } });
    t.after(() => w.session.stop());
    const started = Date.now();
    w.session.start();
    await until(
      'the replay to end',
      () => w.sources.filter((s) => s.kind !== 'tftp-root').every((s) => s.state === 'read'),
      10_000,
    );
    const took = (Date.now() - started) / 1000;
    assert.ok(took >= (span / speed) * 0.9, `replayed in ${took} s, the recording spans ${span} s at speed ${speed}`);
    await until('the last analysis', () => ids(w.analyses.at(-1)?.analysis).join() === ids(analysis).join());
    const consoleRows = (a: Analysis): number => a.phones[0]?.timeline.filter((e) => e.lane === 'console').length ?? 0;
    assert.ok(
      w.analyses.some(({ analysis: a }) => consoleRows(a) > 0 && consoleRows(a) < console.length),
      'the console lines arrive over time',
    );
  });

  it('follows a server log as it grows', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tui-session-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const sample = bundledSampleInputs();
    const log = path.join(dir, 'tftpd.log');
    const lines = readFileSync(sample.serverLogs[0]!, 'utf8').split('\n').filter(Boolean);
    writeFileSync(log, '');
    const w = watch({ inputs: { captures: [], consoles: [], serverLogs: [log] } });
    t.after(() => w.session.stop());
    w.session.start();
    appendFileSync(log, `${lines.slice(0, 2).join('\n')}\n`);
    await until('two log lines followed', () => w.sources.find((s) => s.name === log)?.detail === '2 lines');
    appendFileSync(log, `${lines.slice(2).join('\n')}\n`);
    await until(
      'every log line followed',
      () => w.sources.find((s) => s.name === log)?.detail === `${lines.length} lines`,
    );
    const serverRows = (): number =>
      w.analyses.at(-1)?.analysis.phones.flatMap((p) => p.timeline.filter((e) => e.lane === 'server')).length ?? 0;
    await until(
      'the server lines in the timeline',
      () => serverRows() === lines.filter((l) => l.includes('192.0.2.106')).length,
    );
  });

  it('re-lints the TFTP root when a file is added', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tui-session-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const sample = bundledSampleInputs();
    const root = path.join(dir, 'tftp-root');
    cpSync(sample.tftpRoot!, root, { recursive: true });
    const w = watch({ inputs: { captures: [], consoles: [], serverLogs: [], tftpRoot: root } });
    t.after(() => w.session.stop());
    w.session.start();
    await until('the root linted', () => ids(w.analyses.at(-1)?.analysis).includes('LOADS_PART_MISSING'));
    // The missing part of the .loads put in place: the re-lint no longer finds it missing.
    // The scenario says which part the phone asked for and did not get.
    const expected = JSON.parse(readFileSync(path.join(path.dirname(sample.tftpRoot!), 'expected.json'), 'utf8')) as {
      phones: { requests: { file: string; outcome: string }[] }[];
    };
    const sb2 = expected.phones[0]!.requests.find((r) => r.file.endsWith('.sb2') && r.outcome !== 'complete')?.file;
    assert.ok(sb2, 'the scenario names the missing .sb2');
    writeFileSync(path.join(root, sb2), Buffer.alloc(1024));
    await until('the re-lint', () => !ids(w.analyses.at(-1)?.analysis).includes('LOADS_PART_MISSING'));
  });
});
