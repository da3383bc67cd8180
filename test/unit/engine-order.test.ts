/**
 * The engine takes events as they arrive and its analysis does not depend on the order of
 * arrival across sources: the same events fed in another order give the same analysis, and
 * asking for the analysis between events changes nothing at the end.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiagnosisEngine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { readInputEvents } from '../../src/engine/input-events.js';
import { repoRoot } from '../helpers.js';

async function eventsOf(scenario: string, consoles: readonly string[]): Promise<EngineEvent[]> {
  const dir = path.join(repoRoot, 'captures', scenario);
  const events: EngineEvent[] = [];
  await readInputEvents(
    {
      captures: [path.join(dir, 'capture.pcap')],
      consoles: consoles.map((c) => path.join(dir, c)),
      serverLogs: [path.join(dir, 'tftpd.log')],
      tftpRoot: path.join(dir, 'tftp-root'),
    },
    (e) => events.push(e),
    () => {},
  );
  return events;
}

/** A fixed permutation (xorshift), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = Math.abs(s) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function analyse(events: readonly EngineEvent[], midway = false): string {
  const engine = new DiagnosisEngine({ version: 'test', inputs: [] });
  for (const e of events) {
    engine.add(e);
    if (midway) engine.analysis();
  }
  return JSON.stringify(engine.analysis());
}

describe('engine: order of arrival', () => {
  for (const [scenario, consoles] of [
    ['loads-part-missing', ['console-sep000e84c060a6.log']],
    [
      'site-three-phones-one-fails',
      ['console-sep000dbc500002.log', 'console-sep000dbc500003.log', 'console-sep000e84c060a6.log'],
    ],
  ] as const) {
    it(`${scenario}: shuffled events give the same analysis`, async () => {
      const events = await eventsOf(scenario, consoles);
      const reference = analyse(events);
      assert.ok(JSON.parse(reference).phones.length > 0);
      for (const seed of [1, 7, 42]) assert.equal(analyse(shuffled(events, seed)), reference, `seed ${seed}`);
      assert.equal(analyse([...events].reverse()), reference, 'reversed');
    });
  }

  it('an analysis asked for after each event leaves the final one unchanged', async () => {
    const events = await eventsOf('loads-part-missing', ['console-sep000e84c060a6.log']);
    assert.equal(analyse(events, true), analyse(events));
  });
});
