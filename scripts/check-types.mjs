// The type checks no compiler flag makes: a non-null assertion (`x!`) on a value whose type
// cannot be null or undefined says nothing and hides where a real one is needed. The same
// test typescript-eslint's no-unnecessary-type-assertion makes; Biome has no type information.
// tsconfig.json has noUncheckedIndexedAccess on, so `list[i]!` after a bounds check is not flagged.
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
const checker = program.getTypeChecker();
const checked = (file) => /^(src|parsers)\//.test(path.relative(root, file));

const NULLISH =
  ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown;
const mayBeNullish = (type) =>
  type.isUnion() ? type.types.some(mayBeNullish) : (type.flags & (NULLISH | ts.TypeFlags.TypeParameter)) !== 0;

const redundant = [];
for (const source of program.getSourceFiles()) {
  if (source.isDeclarationFile || !checked(source.fileName)) continue;
  const visit = (node) => {
    if (ts.isNonNullExpression(node) && !mayBeNullish(checker.getTypeAtLocation(node.expression))) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      redundant.push(
        `${path.relative(root, source.fileName)}:${line + 1}: \`${node.getText().slice(0, 60)}\` cannot be null`,
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
for (const line of redundant) console.log(line);
if (redundant.length) {
  console.log(`${redundant.length} redundant non-null assertions`);
  process.exitCode = 1;
}
