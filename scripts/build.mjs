#!/usr/bin/env node
/**
 * `npm run build`: type-checks and compiles the tree into dist/ incrementally (tsc keeps its
 * build info in dist/, so a second build only redoes what changed), removes compiled files
 * whose source is gone (a deleted test must not run from a stale dist/), then bundles the CLI
 * into one file, dist/phonedoc.js, which starts faster than the module tree (the `bin`), and
 * writes the man page dist/phonedoc.1 from the command definitions.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

try {
  execFileSync(
    bin('tsc'),
    ['-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', path.join(dist, '.tsbuildinfo')],
    { cwd: root, stdio: 'inherit' },
  );
} catch {
  process.exit(1);
}

for (const top of ['src', 'parsers', 'test']) pruneStale(path.join(dist, top), path.join(root, top));

/**
 * blessed takes about 70 ms to load (dozens of widget modules), which every command would pay
 * as an ES module import is hoisted: in the bundle it is a stand-in that loads it on first use.
 */
const lazyBlessed = {
  name: 'lazy-blessed',
  setup(build) {
    build.onResolve({ filter: /^blessed$/ }, (args) =>
      args.namespace === 'lazy-blessed'
        ? { path: 'blessed', external: true }
        : { path: 'blessed', namespace: 'lazy-blessed' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-blessed' }, () => ({
      contents: `let loaded;
const load = () => (loaded ??= require('blessed'));
export default new Proxy({}, {
  get: (_target, key) => load()[key],
  has: (_target, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_target, key) => ({ ...Reflect.getOwnPropertyDescriptor(load(), key), configurable: true }),
});`,
      loader: 'js',
    }));
  },
};

const { build } = await loadEsbuild();
const bundle = await build({
  write: false,
  entryPoints: [path.join(root, 'src', 'cli.ts')],
  outfile: path.join(dist, 'phonedoc.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // serialport loads a native binding and blessed requires its widgets by computed name: both stay packages.
  external: ['serialport', 'blessed'],
  plugins: [lazyBlessed],
  // commander is CommonJS and requires Node built-ins; an ES module bundle needs a require for it.
  banner: {
    js: "import { createRequire as phonedocCreateRequire } from 'node:module';\nconst require = phonedocCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

writeIfChanged(path.join(dist, 'phonedoc.js'), bundle.outputFiles[0].contents, 0o755);
const { manPage } = await import(path.join(dist, 'src', 'cli-docs', 'man-page.js'));
writeIfChanged(path.join(dist, 'phonedoc.1'), Buffer.from(manPage()), 0o644);

/** Leaves an unchanged file alone: a CLI being run by a test while the tree is rebuilt is not cut. */
function writeIfChanged(file, contents, mode) {
  if (existsSync(file) && Buffer.compare(readFileSync(file), Buffer.from(contents)) === 0) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents, { mode });
  renameSync(temporary, file);
}

/** esbuild comes with tsx (a dev dependency): hoisted to node_modules, or inside tsx's own. */
async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
    return import(pathToFileURL(fromTsx.resolve('esbuild')).href);
  }
}

/** Removes every compiled file under `out` whose TypeScript source under `src` no longer exists. */
function pruneStale(out, src) {
  if (!existsSync(out)) return;
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    const compiled = path.join(out, entry.name);
    if (entry.isDirectory()) {
      const source = path.join(src, entry.name);
      if (existsSync(source)) pruneStale(compiled, source);
      else rmSync(compiled, { recursive: true, force: true });
      continue;
    }
    const stem = entry.name.replace(/\.(js|js\.map|d\.ts)$/, '');
    if (stem !== entry.name && !existsSync(path.join(src, `${stem}.ts`))) rmSync(compiled, { force: true });
  }
}
