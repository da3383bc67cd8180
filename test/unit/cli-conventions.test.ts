/**
 * What the CLI shares with its neighbours: option mistakes in one `phonedoc: …` sentence with a
 * hint, `analyze --quiet` and `--format markdown`, colour on a terminal only (NO_COLOR and
 * --color respected), shell completion scripts and the man page generated from the command
 * definitions, and an npm tarball with the CLI, the captures and the docs only.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createProgram } from '../../src/program.js';
import { cliPath, repoRoot, requireTool } from '../helpers.js';
import { runCli } from '../run-cli.js';

const SAMPLE = path.join(repoRoot, 'captures', 'loads-part-missing');
const SAMPLE_ARGS = [
  path.join(SAMPLE, 'capture.pcap'),
  '--console',
  path.join(SAMPLE, 'console-sep000e84c060a6.log'),
  '--server-log',
  path.join(SAMPLE, 'tftpd.log'),
  '--tftp-root',
  path.join(SAMPLE, 'tftp-root'),
];
const ESC = '\x1b[';

/** The built CLI as a process of its own: for what depends on the process (its stdout, its environment). */
function spawned(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const { NO_COLOR: _ignored, ...rest } = process.env;
  const run = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...rest, ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the CLI with its stdout on a pseudo-terminal (util-linux `script`) and returns what the terminal got. */
function onTerminal(args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const { NO_COLOR: _ignored, ...rest } = process.env;
  // -e passes the exit code on: 1 here, as the sample has an error finding.
  const run = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', env: { ...rest, ...env } });
  assert.equal(run.status, 1, run.stderr);
  return run.stdout;
}

describe('option mistakes', () => {
  const cases: { args: string[]; sentence: RegExp }[] = [
    {
      args: ['analyze', '--fromat', 'md'],
      sentence:
        /^phonedoc: analyze: unknown option '--fromat' \(did you mean --format\?\); see phonedoc analyze --help\n$/,
    },
    {
      args: ['decode', '--format', 'xml', 'x.pcap'],
      sentence:
        /^phonedoc: decode: option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, jsonl; see phonedoc decode --help\n$/,
    },
    { args: ['lint'], sentence: /^phonedoc: lint: missing required argument 'tftp-root'; see phonedoc lint --help\n$/ },
    {
      args: ['analyse'],
      sentence: /^phonedoc: unknown command 'analyse' \(did you mean analyze\?\); see phonedoc --help\n$/,
    },
  ];
  for (const { args, sentence } of cases) {
    it(`${args.join(' ')}: one sentence with a hint on stderr, nothing on stdout, exit 2`, async () => {
      const run = await runCli(...args);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, sentence);
    });
  }
});

describe('analyze for scripts', () => {
  it('--quiet prints the verdict lines of the full report and nothing else, with the same exit code', async () => {
    const full = await runCli('analyze', ...SAMPLE_ARGS);
    const quiet = await runCli('analyze', '-q', ...SAMPLE_ARGS);
    assert.equal(full.status, 1, full.stderr);
    assert.equal(quiet.status, full.status);
    const lines = quiet.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^Phone 00:0e:84:c0:60:a6 .*SIP 8\.12/);
    assert.ok(
      lines.slice(1).every((l) => l.startsWith('  ')),
      quiet.stdout,
    );
    assert.ok(full.stdout.includes(quiet.stdout), 'the verdict as the full report words it');
    assert.doesNotMatch(quiet.stdout, /LOADS_PART_MISSING|Timeline|Fix:/);
  });

  it('--quiet with a format other than text is refused in one sentence', async () => {
    const run = await runCli('analyze', '--quiet', '--format', 'json', ...SAMPLE_ARGS);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'phonedoc: --quiet prints verdict lines as text: drop --format json.\n');
  });

  it('--format markdown is md', async () => {
    const md = await runCli('analyze', '--format', 'md', ...SAMPLE_ARGS);
    const markdown = await runCli('analyze', '--format', 'markdown', ...SAMPLE_ARGS);
    assert.match(md.stdout, /^# /m);
    assert.equal(markdown.stdout, md.stdout);
  });
});

describe('colour', () => {
  it('analyze colours severities on a terminal, not with NO_COLOR or --color never', (t) => {
    if (!requireTool(t, 'script', 'util-linux')) return;
    const coloured = onTerminal(['analyze', ...SAMPLE_ARGS]);
    assert.ok(coloured.includes(`\x1b[1;31mERROR\x1b[0m LOADS_PART_MISSING`), coloured);
    assert.ok(!onTerminal(['analyze', ...SAMPLE_ARGS], { NO_COLOR: '1' }).includes(ESC));
    assert.ok(!onTerminal(['analyze', '--color', 'never', ...SAMPLE_ARGS]).includes(ESC));
  });

  it('never in a pipe, unless --color always', () => {
    assert.ok(!spawned(['analyze', ...SAMPLE_ARGS]).stdout.includes(ESC));
    const always = spawned(['analyze', '--color', 'always', ...SAMPLE_ARGS], { NO_COLOR: '1' }).stdout;
    assert.ok(always.includes(`\x1b[1;31mERROR\x1b[0m LOADS_PART_MISSING`));
    // The text without its colour is the plain report.
    assert.equal(always.replace(/\x1b\[[0-9;]*m/g, ''), spawned(['analyze', ...SAMPLE_ARGS]).stdout);
  });
});

describe('completion and man page', () => {
  const program = createProgram();
  const names = program.commands.map((c) => c.name());

  it('phonedoc completion bash is a valid bash script that completes commands, options and choices', async (t) => {
    const script = (await runCli('completion', 'bash')).stdout;
    if (!requireTool(t, 'bash', 'bash')) return;
    execFileSync('bash', ['-n'], { input: script });
    const complete = (line: string): string[] =>
      execFileSync(
        'bash',
        [
          '-c',
          `${script}
COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _phonedoc; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
    assert.deepEqual(complete('phonedoc an'), ['analyze']);
    assert.deepEqual(complete('phonedoc analyze --for'), ['--format']);
    assert.deepEqual(complete("phonedoc analyze --format ''"), ['text', 'md', 'markdown', 'html', 'json']);
    assert.deepEqual(complete('phonedoc decode --color al'), ['always']);
  });

  it('zsh and fish scripts name every command', async () => {
    for (const shell of ['zsh', 'fish']) {
      const run = await runCli('completion', shell);
      assert.equal(run.status, 0, run.stderr);
      for (const name of names) assert.match(run.stdout, new RegExp(`\\b${name}\\b`), `${shell}: ${name}`);
    }
    assert.match((await runCli('completion', 'fish')).stdout, /-l format -x -a 'text md markdown html json'/);
  });

  it('the man page lists every command and every long option, and is installed by package.json', () => {
    const page = readFileSync(path.join(repoRoot, 'dist', 'phonedoc.1'), 'utf8');
    assert.match(page, /^\.TH PHONEDOC 1 /);
    for (const command of program.commands) {
      assert.ok(page.includes(`.SS "${command.name()} `), command.name());
      for (const option of command.options)
        assert.ok(page.includes(option.long!.replace(/-/g, '\\-')), `${command.name()} ${option.long}`);
    }
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { man: string };
    assert.equal(manifest.man, 'dist/phonedoc.1');
  });
});

describe('npm package', () => {
  it('holds the CLI, its man page, the captures and the docs, and no test or benchmark', (t) => {
    if (!requireTool(t, 'npm', 'npm')) return;
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const f of [
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'docs/cli.md',
      'docs/architecture.md',
      'package.json',
      'dist/phonedoc.js',
      'dist/phonedoc.1',
      'captures/README.md',
      'captures/loads-part-missing/capture.pcap',
    ]) {
      assert.ok(files.includes(f), `${f} missing from the tarball`);
    }
    assert.deepEqual(
      files.filter((f) => /(^|\/)(test|bench)(\/|$)|\.test\.js$|\.ts$|\.map$/.test(f)),
      [],
    );
    assert.deepEqual(
      files.filter(
        (f) =>
          !/^(captures\/|docs\/[^/]+\.md$|dist\/phonedoc\.(js|1)$|LICENSE$|README\.md$|CHANGELOG\.md$|package\.json$)/.test(
            f,
          ),
      ),
      [],
    );
  });
});
