import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '**/generated/**',
      'coverage/**',
      'eslint.config.mjs',
      'jest.config.js',
      // Browser scripts of the console, plain JavaScript served as is.
      'apps/console/public/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/unbound-method': 'off',
      // Services may import only their own generated Prisma client: no service reads another's tables.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/*/src/**'], message: 'A service never imports another service.' }] },
      ],
    },
  },
  {
    // The seed command loads each service's reference data with that service's own checks.
    // The oversight rebuild replays the event history through the oversight service's own projector.
    // The catch-up process runs four services side by side, each from its own root module, as if alone.
    files: [
      'tools/db/seed.ts',
      'tools/db/rotate-keys.ts',
      'tools/db/rebuild-oversight.ts',
      'apps/catch-up/src/main.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The timers benchmark drives the province's own Prisma client and deadline kinds, as the service does;
    // the round-trip benchmark times intake's own Prisma client.
    files: ['bench/timers.ts', 'bench/round-trip.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  prettier,
);
