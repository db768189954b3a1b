import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

// Import boundaries (STYLE.md): imports point down only. common/ imports nothing of ours and no
// runtime; nothing imports server/ or renderer/; the renderer reaches the server over HTTP alone.
const folder = (name) => ({ regex: `(^|/)(\\.\\./)*${name}(/|$)`, message: `Do not import ${name}/ from here: imports point down only (see STYLE.md).` });
const boundary = (...names) => ['error', { patterns: names.map(folder) }];
const noNode = { regex: '^(node:|fs$|path$|crypto$|http$|os$|child_process$)', message: 'No Node.js modules here: this code runs in the browser or everywhere.' };

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'data/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  // Type-aware rules: a promise nobody awaits or handles, or one passed where a callback's result is
  // ignored (event handlers), loses its errors silently. Each file is checked with its own tsconfig.
  {
    files: ['**/*.ts', '**/*.vue'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['renderer/vite.config.ts', 'renderer/portal/vite.config.ts', 'vitest.config.ts', 'scripts/*.test.ts'] }, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.vue'] },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  // No import cycle between files: a cycle means two modules need each other, and the shared piece
  // belongs one floor down. (Cycles between server/ folders: server/layering.test.ts.)
  {
    files: ['server/**/*.ts', 'common/**/*.ts', 'node/**/*.ts', 'electron/**/*.ts', 'renderer/src/**/*.{ts,vue}', 'renderer/portal/**/*.{ts,vue}'],
    plugins: { 'import-x': importX },
    settings: {
      // .vue files are linted themselves, but not read as dependencies (the TS parser cannot read them).
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.vue', '.mjs', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['common/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [folder('server'), folder('renderer'), folder('electron'), noNode, { regex: '^electron$', message: 'common/ must not use Electron.' }] }] },
  },
  // node/: Node-only code shared by the server's CLI and Electron's main process (keychain, age).
  { files: ['node/**'], rules: { 'no-restricted-imports': boundary('server', 'renderer', 'electron') } },
  { files: ['server/**'], rules: { 'no-restricted-imports': boundary('renderer', 'electron') } },
  { files: ['electron/**'], rules: { 'no-restricted-imports': boundary('server', 'renderer') } },
  {
    files: ['renderer/src/**', 'renderer/portal/**'],
    ignores: ['renderer/portal/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: [folder('server'), folder('electron'), noNode] }] },
  },
);
