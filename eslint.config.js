// Lint for everything hand-written (npm test runs `eslint . --max-warnings 0`). Type-aware: the
// typescript-eslint project service gives each file its tsconfig's program, so no-floating-promises
// sees real types.
import tseslint from 'typescript-eslint';
import { noImportCycle } from './lint/no-import-cycle.js';

export default tseslint.config(
  {
    // Only generated and vendored files are left out. Generated sources begin with `// GENERATED`.
    ignores: [
      'src/generated/',
      '**/dist/',
      '**/node_modules/',
      'test/fixtures/',
      'coverage/',
      'reports/',
      '.stryker-tmp/',
      // bench/run.ts writes copies of src/ and of peer SDKs' generated clients here (gitignored).
      'bench/.generated/',
      // Local notes and experiments (gitignored).
      '.scratch/',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: {
          // Files no tsconfig includes: the root config files, lint/ and the runtime-matrix app.
          allowDefaultProject: [
            '*.{js,mjs,ts}',
            'lint/*.js',
            'ecosystem-tests/runtimes/*.{js,mjs,cjs}',
          ],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: {
      '@typescript-eslint': tseslint.plugin,
      local: { rules: { 'no-import-cycle': noImportCycle } },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      // Counts `import type` too (the team guide does); see lint/no-import-cycle.js for why not
      // eslint-plugin-import-x's no-cycle.
      'local/no-import-cycle': 'error',
    },
  },
  {
    files: ['src/**', 'scripts/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
);
