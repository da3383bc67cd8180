/**
 * Issue 13, second half: a consequence names the cause the evidence shows and takes its fix
 * (the links are the catalog's, for analyze and lint alike); fix steps are distinct and name
 * real versions; malformed configs, the letter O after other repairs, the W210 risk against
 * the W210 seen, the documented path preferred to a doubted one; lint and path wrapped; and no
 * user-facing text cites this project's own files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseImageName, parseProtocolVersion } from '../../parsers/firmware/image-name.js';
import { SOURCES } from '../../parsers/firmware/sources.js';
import type { Analysis } from '../../src/engine/analysis.js';
import { analyzeFiles } from '../../src/engine/input-events.js';
import type { AnalyzeInputs } from '../../src/engine/input-events.js';
import { catalog, catalogEntry } from '../../src/findings/catalog.js';
import type { FindingId } from '../../src/findings/catalog.js';
import { linkCauses } from '../../src/findings/causes.js';
import type { Finding } from '../../src/findings/finding.js';
import { sameStep } from '../../src/findings/catalog-finding.js';
import { ASSUMPTIONS } from '../../src/flows/assumptions.js';
import { runningRelease } from '../../src/flows/phone.js';
import type { RunningImage } from '../../src/flows/phone.js';
import { lintTftpRoot } from '../../src/lint/lint.js';
import { ruleWhy } from '../../src/upgrade/find-path.js';
import { BLOCK_RULES, MOVE_RULES } from '../../src/upgrade/rules.js';
import { cliPath, fixture, repoRoot } from '../helpers.js';

const CAPTURES = path.join(repoRoot, 'captures');
const bundles = readdirSync(CAPTURES)
  .filter((d) => existsSync(path.join(CAPTURES, d, 'expected.json')))
  .sort();
const FIXTURE_ROOTS = readdirSync(fixture('tftp-roots'))
  .filter((d) => !d.includes('.'))
  .map((d) => fixture('tftp-roots', d));

function inputsOf(dir: string, only?: readonly ('capture' | 'console' | 'server-log' | 'tftp-root')[]): AnalyzeInputs {
  const files = readdirSync(dir);
  const want = (kind: string): boolean => !only || only.includes(kind as never);
  return {
    captures: want('capture') && files.includes('capture.pcap') ? [path.join(dir, 'capture.pcap')] : [],
    consoles: want('console') ? files.filter((f) => /^console-.*\.log$/.test(f)).map((f) => path.join(dir, f)) : [],
    serverLogs: want('server-log') && files.includes('tftpd.log') ? [path.join(dir, 'tftpd.log')] : [],
    ...(want('tftp-root') && files.includes('tftp-root') ? { tftpRoot: path.join(dir, 'tftp-root') } : {}),
  };
}

async function analyse(inputs: AnalyzeInputs): Promise<Analysis> {
  return (await analyzeFiles(inputs, { version: 'test' }, () => {})).analysis;
}

function phonedoc(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: '' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'phonedoc-causes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A TFTP root of the given files, in the scratch directory. */
function rootOf(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

const byId = (findings: readonly Finding[], id: string): Finding => {
  const found = findings.find((f) => f.id === id);
  assert.ok(found, `${id} not in ${findings.map((f) => f.id).join(', ')}`);
  return found;
};

/** Every finding of every bundle (all its inputs) and of every lint fixture root. */
const everyFinding: { where: string; finding: Finding }[] = [];
const analyses = new Map<string, Analysis>();
before(async () => {
  for (const b of bundles) {
    const analysis = await analyse(inputsOf(path.join(CAPTURES, b)));
    analyses.set(b, analysis);
    everyFinding.push(...analysis.report.findings.map((finding) => ({ where: `analyze ${b}`, finding })));
    const root = path.join(CAPTURES, b, 'tftp-root');
    if (existsSync(root))
      everyFinding.push(...lintTftpRoot(root).findings.map((finding) => ({ where: `lint ${b}`, finding })));
  }
  for (const root of FIXTURE_ROOTS)
    everyFinding.push(
      ...lintTftpRoot(root).findings.map((finding) => ({ where: `lint ${path.basename(root)}`, finding })),
    );
});

describe('causes live in the catalog, one place', () => {
  it('every cause a catalog entry names is an entry, never itself; a finding about the whole phone says which inputs show its cause', () => {
    for (const entry of catalog.values()) {
      for (const cause of entry.causes ?? []) {
        assert.ok(catalog.has(cause), `${entry.id} names the unknown cause ${cause}`);
        assert.notEqual(cause, entry.id);
      }
      if (entry.causeShownBy) assert.ok(entry.causes?.length, entry.id);
    }
  });

  it("a link the catalog does not list is not made; one it lists is, and the consequence takes the cause's fix", () => {
    const finding = (id: FindingId, causedBy?: FindingId): Finding => ({
      id,
      severity: 'error',
      title: catalogEntry(id).title,
      explanation: 'x.',
      fix: [`fix of ${id}`],
      evidence: [{ source: 'tftp-root', file: 'OS79XX.TXT', text: 'seen' }],
      ...(causedBy ? { causedBy } : {}),
    });
    const unlisted = linkCauses([finding('DHCP_NAK'), finding('IMAGE_NOT_FOUND', 'DHCP_NAK')], new Set(['tftp-root']));
    assert.equal(unlisted.find((f) => f.id === 'IMAGE_NOT_FOUND')!.causedBy, undefined);
    const listed = linkCauses(
      [finding('IMAGE_NOT_FOUND', 'OS79XX_SYNTAX'), finding('OS79XX_SYNTAX')],
      new Set(['tftp-root']),
    );
    assert.deepEqual(
      listed.map((f) => f.id),
      ['OS79XX_SYNTAX', 'IMAGE_NOT_FOUND'],
    );
    assert.deepEqual(listed[1]!.fix, ['fix of OS79XX_SYNTAX', 'Then reboot the phone.']);
  });

  it("a finding about the whole phone takes the cause seen last before it, else the catalog's first", () => {
    const at = (id: FindingId, time?: string): Finding => ({
      id,
      severity: 'error',
      title: catalogEntry(id).title,
      explanation: 'x.',
      fix: [`fix of ${id}`],
      evidence: [{ source: 'capture', file: 'c.pcap', text: 'seen', ...(time ? { time } : {}) }],
    });
    const given = new Set(['capture', 'console'] as const);
    const cause = (findings: Finding[]): string | undefined =>
      linkCauses(findings, given).find((f) => f.id === 'PHONE_UNPROVISIONED')!.causedBy;
    assert.equal(
      cause([
        at('OS79XX_SYNTAX', '2026-11-26T08:00:01Z'),
        at('SIP_MAC_CONFIG_MISSING', '2026-11-26T08:00:09Z'),
        at('PHONE_UNPROVISIONED', '2026-11-26T08:00:10Z'),
      ]),
      'SIP_MAC_CONFIG_MISSING',
    );
    assert.equal(
      cause([
        at('OS79XX_SYNTAX', '2026-11-26T08:00:09Z'),
        at('SIP_MAC_CONFIG_MISSING', '2026-11-26T08:00:01Z'),
        at('PHONE_UNPROVISIONED', '2026-11-26T08:00:10Z'),
      ]),
      'OS79XX_SYNTAX',
    );
    assert.equal(
      cause([at('OS79XX_SYNTAX'), at('SIP_MAC_CONFIG_MISSING'), at('PHONE_UNPROVISIONED')]),
      'SIP_MAC_CONFIG_MISSING',
    );
  });

  it('analyze and lint keep the links their rules see, each consequence listed after its cause', () => {
    assert.ok(everyFinding.length > 50);
    const causedBy = (b: string, id: string): string | undefined =>
      analyses.get(b)!.report.findings.find((f) => f.id === id)?.causedBy;
    assert.equal(causedBy('os79xx-letter-o-forum', 'IMAGE_NOT_FOUND'), 'IMAGE_NAME_LETTER_O');
    assert.equal(causedBy('loads-part-missing', 'PROTOCOL_APPLICATION_INVALID'), 'LOADS_PART_MISSING');
    assert.equal(causedBy('sip-mac-cnf-lower-case', 'SIP_MAC_CONFIG_MISSING'), 'FILE_NAME_CASE');
    assert.ok(everyFinding.some(({ where, finding }) => where.startsWith('lint') && finding.causedBy));
    for (const [b, analysis] of analyses) {
      const ids = analysis.report.findings.map((f) => f.id);
      analysis.report.findings.forEach((f, i) => {
        if (f.causedBy) assert.ok(ids.indexOf(f.causedBy) < i, `${b}: ${f.id} before its cause ${f.causedBy}`);
      });
    }
  });
});

describe('fix steps are distinct and name real versions', () => {
  it('no catalog entry repeats a step, and none writes a placeholder', () => {
    for (const entry of catalog.values()) {
      for (const [i, a] of entry.fix.entries())
        for (const b of entry.fix.slice(i + 1)) assert.ok(!sameStep(a, b), `${entry.id}: "${a}" / "${b}"`);
      for (const step of entry.fix) assert.doesNotMatch(step, /\b(CURRENT|TARGET)\b|named in the finding/, entry.id);
    }
  });

  it('no finding of analyze or lint repeats a step (LOADS_PART_MISSING among them), or writes a placeholder', () => {
    assert.ok(everyFinding.some((f) => f.finding.id === 'LOADS_PART_MISSING'));
    for (const { where, finding } of everyFinding) {
      const { fix } = finding;
      for (const [i, a] of fix.entries())
        for (const b of fix.slice(i + 1))
          assert.ok(a !== b && !sameStep(a, b), `${where} ${finding.id}: "${a}" / "${b}"`);
      for (const step of fix)
        assert.doesNotMatch(step, /\b(CURRENT|TARGET)\b|named in the finding/, `${where} ${finding.id}`);
    }
  });

  it('a downgrade with no route says so, with the real versions, in lint and in analyze', () => {
    const lint = lintTftpRoot(fixture('tftp-roots', 'correct'), {
      current: runningOf('SIP 8.12'),
      target: runningOf('SIP 2.3'),
    });
    const blocked = byId(lint.findings, 'UPGRADE_PATH_BLOCKED');
    assert.match(blocked.fix[0]!, /^There is no route from SIP 8\.12 to SIP 2\.3/);
    assert.match(blocked.fix.join(' '), /P0S30203/);
    const analysis = analyses.get('sip-63-to-sip-23-blocked')!;
    const seen = byId(analysis.report.findings, 'UPGRADE_PATH_BLOCKED');
    assert.match(seen.fix.join(' '), /SIP 6\.3|P0S3-06-3-00|P0S3-07/);
    assert.doesNotMatch(seen.fix.join(' '), /named in the finding/);
  });
});

const runningOf = (text: string): RunningImage => runningRelease(parseProtocolVersion(text)!);

describe('PHONE_UNPROVISIONED names the cause the evidence shows', () => {
  const bundle = path.join(CAPTURES, 'sip-mac-cnf-lower-case');
  /** The bundle's console with the phone showing Unprovisioned after its SIP<MAC>.cnf was not found. */
  function unprovisionedConsole(): string {
    const dir = path.join(scratch, 'unprovisioned');
    mkdirSync(dir, { recursive: true });
    const log = readdirSync(bundle).find((f) => f.startsWith('console-'))!;
    const copy = path.join(dir, log);
    copyFileSync(path.join(bundle, log), copy);
    const last = readFileSync(copy, 'utf8').trim().split('\n').pop()!;
    const at = new Date(Date.parse(last.slice(0, 24)) + 1600).toISOString();
    appendFileSync(copy, `${at} Unprovisioned\n`);
    return copy;
  }

  it("SIP<MAC>.cnf not found just before: the fix is that file's, not OS79XX.TXT's", async () => {
    const console = unprovisionedConsole();
    const analysis = await analyse({
      captures: [path.join(bundle, 'capture.pcap')],
      consoles: [console],
      serverLogs: [],
    });
    const unprovisioned = byId(analysis.report.findings, 'PHONE_UNPROVISIONED');
    assert.equal(unprovisioned.causedBy, 'SIP_MAC_CONFIG_MISSING');
    assert.match(unprovisioned.fix[0]!, /^Create SIP<MAC>\.cnf/);
    assert.doesNotMatch(unprovisioned.fix.join(' '), /OS79XX/);
    assert.match(unprovisioned.explanation, /Here it follows from SIP_MAC_CONFIG_MISSING/);
    assert.match(analysis.phones[0]!.verdict, /stopped, SIP<MAC>\.cnf was not found/);

    // With the TFTP root the cause is one step further back: the file is there in lower case.
    const withRoot = await analyse({
      captures: [path.join(bundle, 'capture.pcap')],
      consoles: [console],
      serverLogs: [],
      tftpRoot: path.join(bundle, 'tftp-root'),
    });
    const again = byId(withRoot.report.findings, 'PHONE_UNPROVISIONED');
    assert.match(again.fix[0]!, /^Rename SIP000e84c060a6\.cnf .*mv SIP000e84c060a6\.cnf SIP000E84C060A6\.cnf/);
    assert.equal(withRoot.report.findings[0]!.id, 'FILE_NAME_CASE');
  });

  it('with no cause in view it says which inputs would show one', async () => {
    const analysis = await analyse({ captures: [], consoles: [unprovisionedConsole()], serverLogs: [] });
    const unprovisioned = byId(analysis.report.findings, 'PHONE_UNPROVISIONED');
    assert.equal(unprovisioned.causedBy, undefined);
    assert.match(
      unprovisioned.fix.at(-1)!,
      /^No cause of it shows in the inputs given; a capture of the phone's boot \(phonedoc analyze CAPTURE\), the TFTP server's log \(--server-log\) or the TFTP root \(--tftp-root\) would show which one it is/,
    );
  });

  it('OS79XX.TXT with a trailing blank (the lab bundle): the fix rewrites OS79XX.TXT', () => {
    const findings = analyses.get('os79xx-trailing-space')!.report.findings;
    const unprovisioned = byId(findings, 'PHONE_UNPROVISIONED');
    assert.ok(
      unprovisioned.causedBy === 'OS79XX_SYNTAX' || unprovisioned.causedBy === 'IMAGE_NOT_FOUND',
      unprovisioned.causedBy,
    );
    assert.match(unprovisioned.fix[0]!, /OS79XX\.TXT as the single line P0S30203/);
  });
});

describe('malformed configs: CONFIG_MALFORMED with file, line and column', () => {
  it('an XMLDefault.cnf.xml element whose attribute lacks its =, an unclosed tag, a .cnf line without a colon, an open quote (lint)', () => {
    const root = rootOf('malformed', {
      'XMLDefault.cnf.xml':
        '<Default>\n<loadInformation8 model="IP Phone 7940">P0S3-8-12-00</loadInformation8>\n<loadInformation7 ' +
        'model"IP Phone 7960">P0S3-8-12-00</loadInformation7>\n<callManagerGroup>\n</Default>\n',
      'SIPDefault.cnf': 'image_version: "P0S3-8-12-00"\nproxy1_address "192.0.2.1"\nline1_name: "100\n',
    });
    const findings = lintTftpRoot(root).findings.filter((f) => f.id === 'CONFIG_MALFORMED');
    const xml = findings.find((f) => f.evidence[0]!.file === 'XMLDefault.cnf.xml')!;
    const cnf = findings.find((f) => f.evidence[0]!.file === 'SIPDefault.cnf')!;
    assert.ok(xml && cnf, JSON.stringify(findings));
    assert.equal(xml.severity, 'warning');
    assert.match(xml.explanation, /likely/i);
    // One line of evidence per malformed line: the parser's follow-on complaints on the same line are not repeated.
    assert.deepEqual(xml.evidence.filter((e) => e.line === 3).length, 1);
    assert.match(
      xml.evidence.find((e) => e.line === 3)!.text,
      /^column 24: attribute model of <loadInformation7> has no value/,
    );
    assert.ok(
      xml.evidence.some((e) => /callManagerGroup/.test(e.text)),
      'the unclosed tag',
    );
    assert.deepEqual(
      cnf.evidence.map((e) => e.line),
      [2, 3],
    );
    assert.match(cnf.evidence[1]!.text, /column 13: .*never closes/);
  });

  it('analyze reports it from the file the phone received (the lab bundle xmldefault-malformed)', () => {
    const malformed = byId(analyses.get('xmldefault-malformed')!.report.findings, 'CONFIG_MALFORMED');
    const where = malformed.evidence[0]!;
    assert.equal(where.line, 15);
    assert.match(where.text, /XMLDefault\.cnf\.xml column 24: attribute model of <loadInformation7> has no value/);
  });
});

describe('the letter O for zero, also after other repairs', () => {
  it('a request for "POS3-08-12-00.bin   \\r.bin" is read as the letter-O name of P0S3-8-12-00.bin', () => {
    const name = parseImageName('POS3-08-12-00.bin   \r.bin');
    assert.ok(name.problems.some((p) => p.code === 'letter-o'));
    assert.equal(name.suggestion, 'P0S3-8-12-00.bin');
  });

  it('the forum case in OS79XX.TXT (letter O, .bin, trailing blanks, CR): IMAGE_NAME_LETTER_O with the corrected name, no "matches no image scheme"', () => {
    const root = rootOf('forum', { 'OS79XX.TXT': 'POS3-08-12-00.bin   \r\n' });
    for (const findings of [lintTftpRoot(root).findings, analyses.get('os79xx-letter-o-forum')!.report.findings]) {
      const letterO = byId(findings, 'IMAGE_NAME_LETTER_O');
      assert.match(letterO.fix[0]!, /write P0S3-8-12-00 instead of POS3-08-12-00\.bin/);
      assert.ok(findings.every((f) => f.evidence.every((e) => !/matches no Cisco/.test(e.text))));
    }
  });
});

describe('W210: a risk from the size alone, an error only when the message is seen', () => {
  it('a SIPDefault.cnf over the limit and no message: BUFFER_FULL_W210_RISK, a warning worded "likely"', () => {
    const findings = analyses.get('sip-22-w210-risk')!.report.findings;
    const risk = byId(findings, 'BUFFER_FULL_W210_RISK');
    assert.equal(risk.severity, 'warning');
    assert.match(risk.explanation, /likely/i);
    assert.ok(!findings.some((f) => f.id === 'BUFFER_FULL_W210'));
  });

  it('analyze --w210-limit moves the size taken as the limit', () => {
    const dir = path.join(CAPTURES, 'sip-22-w210-risk');
    const console = readdirSync(dir).find((f) => f.startsWith('console-'))!;
    const run = (limit: string) =>
      JSON.parse(
        phonedoc(
          'analyze',
          path.join(dir, 'capture.pcap'),
          '--console',
          path.join(dir, console),
          '--w210-limit',
          limit,
          '--format',
          'json',
        ).stdout,
      ) as { findings: Finding[] };
    assert.ok(!run('20000').findings.some((f) => f.id.startsWith('BUFFER_FULL_W210')));
    assert.match(
      byId(run('4096').findings, 'BUFFER_FULL_W210_RISK').evidence[0]!.text,
      /above the 4096 bytes taken as its limit/,
    );
    assert.equal(phonedoc('analyze', path.join(dir, 'capture.pcap'), '--w210-limit', '0').status, 2);
  });

  it('the message on the console: BUFFER_FULL_W210; the same boot without the console: no error from the size', async () => {
    assert.equal(byId(analyses.get('sip-23-w210-buffer-full')!.report.findings, 'BUFFER_FULL_W210').severity, 'error');
    const blind = await analyse(
      inputsOf(path.join(CAPTURES, 'sip-23-w210-buffer-full'), ['capture', 'server-log', 'tftp-root']),
    );
    assert.ok(!blind.report.findings.some((f) => f.id === 'BUFFER_FULL_W210'));
  });
});

describe('path prefers the documented route', () => {
  it('SIP 6.0 → SCCP 8.1(2): SIP 7.x, then the config files; the gkdefault route shown as an alternative with its doubt', () => {
    const text = phonedoc('path', '--from', 'SIP 6.0', '--to', 'SCCP 8.1(2)');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^SIP 6\.0 \(P0S3-06-0-00\) → SCCP 8\.1\(2\) \(P00308010200\): 2 steps\./);
    assert.match(text.stdout, /^1\. SIP 7\.\d+: P0S3-07-\d-00$/m);
    assert.match(text.stdout, /^2\. SCCP 8\.1\(2\): P00308010200$/m);
    const flat = text.stdout.replace(/\s+/g, ' ');
    assert.match(
      flat,
      /Alternative, in doubt: SCCP 8\.1\(2\) \(P00308010200\) in 1 step\. gkdefault and upgradecode are documented for the 7905G\/7912G/,
    );
    assert.ok(text.stdout.indexOf('Alternative, in doubt') > text.stdout.indexOf('2. SCCP 8.1(2)'));
    const json = JSON.parse(
      phonedoc('path', '--from', 'SIP 6.0', '--to', 'SCCP 8.1(2)', '--format', 'json').stdout,
    ) as { steps: { version: string }[]; doubted?: { doubt: string } };
    assert.equal(json.steps.length, 2);
    assert.match(json.doubted!.doubt, /7905G\/7912G/);
  });
});

describe('lint and path text wrap like analyze', () => {
  it('no line of lint (bundle roots with findings of every kind) or path beyond 80 columns when not on a terminal', () => {
    const outputs = [
      ...[
        'loads-part-missing',
        'os79xx-letter-o-forum',
        'sip-23-w210-buffer-full',
        'xmldefault-malformed',
        'gkdefault-upgradecode',
      ].map(
        (b) =>
          phonedoc(
            'lint',
            path.join(CAPTURES, b, 'tftp-root'),
            '--mac',
            '000E84C060A6',
            '--current',
            'SIP 6.3',
            '--target',
            'SIP 8.12',
          ).stdout,
      ),
      phonedoc('path', '--from', 'SIP 2.3', '--to', 'SCCP 8.1(2)').stdout,
      phonedoc('path', '--from', 'SIP 8.12', '--to', 'SIP 2.3').stdout,
    ];
    for (const out of outputs) {
      assert.ok(out.length > 0);
      for (const line of out.split('\n')) assert.ok(line.length <= 80, line);
    }
  });
});

describe("user-facing text cites public sources, never this project's files", () => {
  const INTERNAL =
    /phone-facts|\bfacts \d|shared\/|\bseed\b|parsers\/|\bsrc\/|\.ts\b|diagnoses\.md|CME-INSTL|LKML-TEO|DE-BLOG|TN5455-TITLES|W210_SIPDEFAULT_LIMIT_BYTES/i;
  const check = (where: string, text: string | undefined): void => {
    if (text !== undefined) assert.doesNotMatch(text, INTERNAL, `${where}: ${text}`);
  };

  it('catalog entries, source labels, path rules and assumptions', () => {
    for (const e of catalog.values())
      [e.title, e.explanation, e.source, e.causeShownBy?.what, ...e.fix].forEach((t) => {
        check(e.id, t);
      });
    for (const [id, s] of Object.entries(SOURCES)) check(id, s.label);
    for (const rule of MOVE_RULES) check(rule.id, ruleWhy(rule));
    for (const rule of BLOCK_RULES)
      [rule.reason, rule.inferred, rule.via?.text].forEach((t) => {
        check(rule.id, t);
      });
    for (const [id, text] of Object.entries(ASSUMPTIONS)) check(id, text);
  });

  it('what analyze, lint and path print', () => {
    for (const { where, finding } of everyFinding) {
      [finding.title, finding.explanation, ...finding.fix, ...finding.evidence.map((e) => e.text)].forEach((t) => {
        check(`${where} ${finding.id}`, t);
      });
    }
    for (const [b, analysis] of analyses) {
      for (const phone of analysis.phones) check(b, phone.verdict);
      for (const a of analysis.report.assumptions) check(b, a.text);
    }
    for (const [from, to] of [
      ['SIP 6.0', 'SCCP 8.1(2)'],
      ['SIP 4.4', 'SCCP 8.1(2)'],
      ['SCCP 3.3(3)', 'SIP 4.4'],
      ['SIP 3.0', 'SCCP 8.1(2)'],
      ['SIP 8.12', 'SIP 2.3'],
      ['SIP 2.1', 'SCCP 8.1(2)'],
    ] as const) {
      const run = phonedoc('path', '--from', from, '--to', to);
      check(`path ${from} → ${to}`, run.stdout);
    }
  });
});
