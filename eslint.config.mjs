// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'bench/results/**', 'test-results/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unawaited promises are how a bridge leaves a light on: every one must be handled.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // Plain JavaScript has no types to check against: ESLint's recommended rules (no-undef above all, with
  // each file's globals below) and typescript-eslint's, without the type-aware ones.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...js.configs.recommended.rules,
      ...tseslint.configs.disableTypeChecked.rules,
      'no-unused-vars': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  // Node scripts: the build, the generators and the bench print what they did, on purpose.
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', '*.mjs'],
    languageOptions: { globals: globals.node, sourceType: 'module' },
    rules: { 'no-console': 'off' },
  },
  // Other .js files are CommonJS for Node (jest.config.js, stand-ins bundled into the command).
  {
    files: ['**/*.js'],
    ignores: ['local/dashboard/public/**'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
  },
  // The dashboard page: a classic browser script, no modules, no build step.
  {
    files: ['local/dashboard/public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
);
