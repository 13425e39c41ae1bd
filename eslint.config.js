import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const nodeOnly = ['electron', 'electron/*', 'node:*', 'better-sqlite3', 'fs', 'path', 'os', 'child_process', 'crypto', 'http'];

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig },
    },
  },
  // Layers: shared is pure; the renderer never reaches into main; the core never imports electron.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...nodeOnly, 'svelte', 'svelte/*'], message: 'src/shared is pure TypeScript: no electron, node:*, better-sqlite3 or svelte.' }] }],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', ...nodeOnly], message: 'The renderer talks to the core through the api client only.' },
            {
              group: ['zod', '**/shared/domain', '**/shared/contract', '**/shared/calibration-report', '**/shared/dispatch'],
              allowTypeImports: true,
              message: 'Types only: values come from shared/constants, so that zod stays out of the renderer bundle.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', 'electron/*'], message: 'The core is transport-agnostic: no electron import under src/main/core.' }] }],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['zod', '**/contract', '**/main/**', 'node:*'], message: 'The sandboxed preload bundles only electron and the channel names.' }] }],
    },
  },
);
