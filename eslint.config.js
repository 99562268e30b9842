import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.corridor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-imports': ['error', { paths: [{ name: 'zod', message: 'Import z from src/domain/validation.ts, which sets the error messages and the text rules (no NUL, no lone surrogate).' }] }],
    },
  },
  { files: ['src/domain/validation.ts', 'src/domain/zod.ts', 'web/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
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
