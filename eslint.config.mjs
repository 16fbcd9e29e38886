// ESLint for the whole repository: the recommended JavaScript and typescript-eslint rules, plus a few type-aware checks
// that catch real bugs cheaply (promises left floating, awaiting non-promises, switches that miss a case). Formatting is
// Prettier's job (.prettierrc): no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'Buffer', 'require', 'fetch', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', '__dirname'].map(
    (n) => [n, 'readonly'],
  ),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.e2e/**', '.bench/**', 'out/**', 'test/e2e/work/**', 'media/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    rules: {
      // `cond && f()` and `c ? f() : g()` as statements are used on purpose for short side effects.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // Flags a default given before a try/if that every path then overwrites: defensive, not a bug.
      'no-useless-assignment': 'off',
      // `let [a, b] = …` where only b is reassigned stays one declaration.
      'prefer-const': ['error', { destructuring: 'all' }],
      // `_`-prefixed names are deliberately unused (callback positions, destructuring that drops a field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Browser code bundled by the e2e backend harness: the root tsconfig (Node typings) excludes it, the webview one (DOM)
    // holds it, so its type-aware rules use that project.
    files: ['test/e2e/backendHarnessPage.ts'],
    languageOptions: { parserOptions: { projectService: false, project: ['./webview/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Build, test and bench scripts in plain JavaScript run under Node.
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, exports: 'writable', module: 'writable', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The end-to-end driver also passes functions to Playwright that run inside the page.
    files: ['test/e2e/**/*.mjs'],
    languageOptions: { globals: { ...nodeGlobals, document: 'readonly', window: 'readonly', Event: 'readonly' } },
  },
);
