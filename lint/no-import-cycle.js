// ESLint rule: no import cycles, with `import type` counted. eslint-plugin-import-x's no-cycle
// (like eslint-plugin-import's) skips type-only imports and has no option to count them, and the
// team guide counts them: a type cycle still ties two modules together. This rule reads each
// module's imports with TypeScript's pre-processor (every `import`, `import type`, `export … from`
// and `import()`), resolves them with the linted file's compiler options (so `./x.js` finds
// `./x.ts` and tsconfig `paths` apply), and reports an import whose target leads back to the file.
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, relative, resolve } from 'node:path';
import ts from 'typescript';

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

// Used when a file has no program (it always has one under the project service).
const FALLBACK_OPTIONS = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
};

/** Each module's resolved local imports, re-read when the file's mtime changes (editor sessions). */
const importsCache = new Map();

/** The project file a specifier names, or undefined for packages, built-ins and unresolved names. */
function resolveLocal(specifier, fromFile, options) {
  const { resolvedModule } = ts.resolveModuleName(specifier, fromFile, options, ts.sys);
  if (!resolvedModule || resolvedModule.isExternalLibraryImport) return undefined;
  const file = resolve(resolvedModule.resolvedFileName);
  return SOURCE_EXTENSIONS.has(extname(file)) && !file.endsWith('.d.ts') ? file : undefined;
}

/** The project files a module imports, type-only imports included. */
function importsOf(file, options) {
  const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  const cached = importsCache.get(file);
  if (cached && cached.mtime === mtime) return cached.targets;
  const text = mtime === undefined ? '' : readFileSync(file, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const targets = new Set();
  for (const { fileName } of importedFiles) {
    const target = resolveLocal(fileName, file, options);
    if (target) targets.add(target);
  }
  importsCache.set(file, { mtime, targets });
  return targets;
}

/** The shortest import chain from `start` back to `file` (both included), or undefined. */
function chainBack(start, file, options) {
  const cameFrom = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === file) {
      const chain = [];
      for (let at = current; at !== undefined; at = cameFrom.get(at)) chain.unshift(at);
      return chain;
    }
    for (const next of importsOf(current, options)) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, current);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles, counting `import type` and `export type … from`.' },
    schema: [],
    messages: { cycle: 'Import cycle: {{chain}}.' },
  },
  create(context) {
    const file = resolve(context.physicalFilename);
    const program = context.sourceCode.parserServices?.program;
    // allowJs: a .js module in the chain closes a cycle as surely as a .ts one.
    const options = { ...(program?.getCompilerOptions() ?? FALLBACK_OPTIONS), allowJs: true };
    const check = (node) => {
      if (node.source?.type !== 'Literal' || typeof node.source.value !== 'string') return;
      const target = resolveLocal(node.source.value, file, options);
      const chain = target && chainBack(target, file, options);
      if (!chain) return;
      const names = [file, ...chain].map((at) => relative(dirname(file), at) || '.');
      context.report({ node, messageId: 'cycle', data: { chain: names.join(' → ') } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        check({ ...node, source: node.arguments[0] }),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check({ ...node, source: node.moduleReference.expression }),
    };
  },
};
