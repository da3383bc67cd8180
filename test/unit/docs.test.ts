/**
 * The README and docs/ say what the code does: the folder map of docs/architecture.md names every
 * top-level folder and module of src/ and parsers/ (and nothing that is gone), every module the
 * documents name exists, every link between the documents lands on a file and heading that exist, docs/cli.md names every command and option
 * the CLI accepts, the README's tour names every command and its exit codes are the CLI's, and its
 * two commands for a fresh machine are the ones that work.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as exitCodes from '../../src/exit-codes.js';
import { createProgram } from '../../src/program.js';
import { repoRoot } from '../helpers.js';
import { runCli } from '../run-cli.js';

const read = (relative: string): string => readFileSync(path.join(repoRoot, relative), 'utf8');

/** The top-level folders (as `src/engine/`) and TypeScript modules (as `src/cli.ts`) of a source tree. */
function topLevelEntries(tree: string): string[] {
  return readdirSync(path.join(repoRoot, tree), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() || entry.name.endsWith('.ts'))
    .map((entry) => (entry.isDirectory() ? `${tree}/${entry.name}/` : `${tree}/${entry.name}`));
}

/** The rows of the folder map: `| \`path\` | what it holds |`, path → description. */
function folderMap(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of read('docs/architecture.md').split('\n')) {
    const row = /^\| `([^`]+)` \| (.*) \|$/.exec(line);
    if (row?.[1] !== undefined && row[2] !== undefined) rows.set(row[1], row[2].trim());
  }
  return rows;
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const headings = markdown.split('\n').flatMap((line) => /^#{1,6} (.+)$/.exec(line)?.[1] ?? []);
  return new Set(headings.map(anchorOf));
}

/** The relative links of a Markdown file outside code blocks: the target file and its anchor, if any. */
function relativeLinks(markdown: string): { target: string; anchor: string | undefined }[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
  const links: { target: string; anchor: string | undefined }[] = [];
  for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const href = match[1] ?? '';
    if (/^[a-z]+:/.test(href)) continue;
    const [target = '', anchor] = href.split('#');
    links.push({ target, anchor });
  }
  return links;
}

const DOCUMENTS = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(path.join(repoRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('docs/architecture.md', () => {
  it('describes every top-level folder and module of src/ and parsers/ in its folder map', () => {
    const rows = folderMap();
    for (const entry of [...topLevelEntries('src'), ...topLevelEntries('parsers')]) {
      const description = rows.get(entry);
      assert.ok(description !== undefined, `${entry} has no row in the folder map of docs/architecture.md`);
      assert.ok(description.length > 20, `${entry}: its row says too little (${description})`);
    }
  });

  it('names no folder or module that does not exist', () => {
    for (const entry of folderMap().keys())
      assert.ok(existsSync(path.join(repoRoot, entry)), `docs/architecture.md describes ${entry}, which is gone`);
  });
});

describe('links between the README, the changelog and docs/', () => {
  it('the README links into docs/', () => {
    const intoDocs = relativeLinks(read('README.md')).filter((link) => link.target.startsWith('docs/'));
    assert.ok(intoDocs.length >= 5, 'the README points a newcomer at docs/');
  });

  for (const document of DOCUMENTS) {
    it(`every relative link of ${document} lands on a file and heading that exist`, () => {
      for (const { target, anchor } of relativeLinks(read(document))) {
        const file = target === '' ? document : path.posix.join(path.posix.dirname(document), target);
        assert.ok(existsSync(path.join(repoRoot, file)), `${document} links to ${file}, which does not exist`);
        if (anchor === undefined || !file.endsWith('.md')) continue;
        assert.ok(anchorsOf(read(file)).has(anchor), `${document} links to ${file}#${anchor}: no such heading`);
      }
    });
  }
});

describe('modules the docs name', () => {
  // The changelog names modules as they were called then; the other documents describe the tree as it is.
  for (const document of DOCUMENTS.filter((name) => name !== 'CHANGELOG.md')) {
    it(`${document} names only files and folders that exist`, () => {
      for (const match of read(document).matchAll(/`((?:src|parsers|test|scripts)\/[\w./-]*)`/g)) {
        const named = match[1] ?? '';
        assert.ok(existsSync(path.join(repoRoot, named)), `${document} names ${named}, which does not exist`);
      }
    });
  }
});

describe('the CLI as the docs describe it', () => {
  const program = createProgram();

  it('docs/cli.md names every command and every option it takes', () => {
    const cli = read('docs/cli.md');
    const names = (long: string | undefined): boolean => new RegExp(`${long}(?![\\w-])`).test(cli);
    for (const option of program.options) assert.ok(names(option.long), `docs/cli.md: global option ${option.long}`);
    for (const command of program.commands) {
      assert.ok(cli.includes(`phonedoc ${command.name()}`), `docs/cli.md does not show phonedoc ${command.name()}`);
      for (const option of command.options)
        assert.ok(names(option.long), `docs/cli.md: ${command.name()} ${option.long}`);
    }
  });

  it("the README's tour shows every command", () => {
    const readme = read('README.md');
    for (const command of program.commands)
      assert.ok(readme.includes(`phonedoc ${command.name()}`), `the README's tour lacks phonedoc ${command.name()}`);
  });

  it("the README's exit codes include every code the CLI defines", () => {
    const documented = new Set(
      read('README.md')
        .split('\n')
        .flatMap((line) => /^\| (\d+) \| \S/.exec(line)?.[1] ?? [])
        .map(Number),
    );
    const defined = Object.entries(exitCodes).flatMap(([name, value]) =>
      name.startsWith('EXIT_') && typeof value === 'number' ? [value] : [],
    );
    assert.ok(defined.length >= 3);
    for (const code of defined) assert.ok(documented.has(code), `exit code ${code} is not in the README's table`);
  });
});

describe("the README's two commands for a fresh machine", () => {
  const blocks = [...read('README.md').matchAll(/^```sh\n(.+)\n```$/gm)].map((match) => match[1] ?? '');

  it('the first runs the main job on the bundled sample, which has errors to find (exit 1)', async () => {
    const [install, analyze] = (blocks[0] ?? '').split(' && ');
    assert.equal(install, 'npm ci');
    const words = (analyze ?? '').split(' ');
    assert.deepEqual(words.slice(0, 2), ['node', 'dist/phonedoc.js'], 'it runs the built CLI');
    const args = words
      .slice(2)
      .map((word) => (existsSync(path.join(repoRoot, word)) ? path.join(repoRoot, word) : word));
    assert.equal(args[0], 'analyze');
    const run = await runCli(...args);
    assert.equal(run.status, exitCodes.EXIT_PROBLEMS, run.stderr);
    assert.match(run.stdout, /^Phone 00:0e:84:c0:60:a6 .*stopped/m);
    assert.match(run.stdout, /ERROR LOADS_PART_MISSING/, 'the cause the sample was made to show');
  });

  it('the second installs what CI installs, then runs npm ci and the fast suite', () => {
    const command = blocks[1] ?? '';
    assert.match(command, /&& npm ci && npm test$/);
    const packages = /apt-get install -y ([^&]+) &&/.exec(command)?.[1]?.trim().split(/\s+/) ?? [];
    assert.ok(packages.length > 5, 'the Debian packages the tests need');
    const ciPackages = new Set([...read('.ci/run').matchAll(/^ {2}([a-z0-9.+-]+)\s/gm)].map((match) => match[1]));
    for (const name of packages) assert.ok(ciPackages.has(name), `${name} is installed by the README, not by .ci/run`);
  });
});
