// ESLint (flat config) over the whole tree: typescript-eslint's recommended rules everywhere, the
// import rules that keep the layers apart (docs/design.md, "Layers"), and for the add-in the rules of
// eslint-plugin-office-addins that catch Office.js mistakes (reading before load and sync, sync in a
// loop, testing for null instead of isNullObject). `npm run lint` checks everything; .ci/run runs it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import officeAddins from 'eslint-plugin-office-addins';

/** Node's built-in modules, bare and with the node: prefix. */
const NODE_BUILTINS = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))].flatMap((m) => [m, `node:${m}`]);

/** A relative import that climbs out to a top-level folder of the tree (or to pipeline/cli from pipeline/server). */
const folder = (name) => `^(\\.\\./)+${name}(/|$)`;

const NOT_ADDIN = { regex: folder('addin'), message: 'pipeline/ does not import addin/: they share core/.' };

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', 'out/**', 'coverage/**'] },
  {
    // The few JavaScript files: build and test configuration, the bin entry point (CommonJS, Node).
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // core/ runs inside Excel and in Node alike: no Node built-ins, no adapters, no Office.js, and of
    // npm packages only zod and OpenCC.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'core/ is pure: no Node built-ins (it runs inside Excel too).' })),
          patterns: [
            { regex: folder('(pipeline|addin)'), message: 'core/ knows nothing of its adapters: pipeline/ and addin/ import core/, never the reverse.' },
            { regex: '^(?!\\.|zod$|opencc-js(/|$))', message: 'core/ depends on zod and opencc-js only.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Office', message: 'core/ is pure: Office.js belongs to addin/.' },
        { name: 'Excel', message: 'core/ is pure: Office.js belongs to addin/.' },
        { name: 'OfficeExtension', message: 'core/ is pure: Office.js belongs to addin/.' },
      ],
      '@typescript-eslint/triple-slash-reference': ['error', { path: 'never', types: 'never', lib: 'never' }],
    },
  },
  {
    // The pipeline is Node; the add-in is a browser bundle. They meet in core/ and over HTTP only.
    files: ['pipeline/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NOT_ADDIN] }] },
  },
  {
    // The service answers requests; the CLI parses a command line. What both need is in pipeline/ (parameters.ts, db/, ...).
    files: ['pipeline/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [NOT_ADDIN, { regex: folder('cli'), message: 'pipeline/server/ never imports pipeline/cli/: shared parameter handling is pipeline/parameters.ts.' }] },
      ],
    },
  },
  {
    files: ['addin/**/*.ts'],
    plugins: { 'office-addins': officeAddins },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: folder('pipeline'), message: 'addin/ is a browser bundle: it shares core/ with the pipeline, never pipeline/ itself.' }] }],
      'office-addins/call-sync-after-load': 'error',
      'office-addins/call-sync-before-read': 'error',
      'office-addins/load-object-before-read': 'error',
      'office-addins/no-context-sync-in-loop': 'warn',
      'office-addins/no-empty-load': 'warn',
      'office-addins/no-navigational-load': 'warn',
      'office-addins/no-office-initialize': 'warn',
      'office-addins/test-for-null-using-isNullObject': 'error',
    },
  },
);
