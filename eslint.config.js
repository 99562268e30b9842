import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.corridor/**', 'web/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: 'Import z from src/domain/validation.ts, which sets the error messages and the text rules (no NUL, no lone surrogate).' },
          ],
        },
      ],
    },
  },
  { files: ['src/domain/validation.ts', 'src/domain/zod.ts', 'web/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The runner runs compiled worlds: it knows the engine, not the scenario file (docs/architecture.md).
    files: ['src/model/runner/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'Import z from src/domain/validation.ts.' }],
          patterns: [
            {
              group: ['**/scenarios/**', '**/store/**', '**/api/**', '**/model.service.js', '**/runs.js'],
              message: 'The runner knows the engine (src/model/core), not scenarios, services or the store.',
            },
          ],
        },
      ],
    },
  },
  {
    // Rules shared by the server, the CLI and the browser app: nothing but zod and each other.
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!zod$|\\./)', message: 'src/shared imports nothing but zod and src/shared itself.' }] }],
    },
  },
  {
    // The pure model core may not reach the outside world (DESIGN §3).
    files: ['src/model/core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'Date', 'performance', 'process', 'fetch', 'setTimeout'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use the seeded PRNG.' }],
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', '**/store/**', '**/api/**'] }],
    },
  },
);
