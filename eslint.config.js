import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'web/dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Domain modules (every capability's plain functions, and the credential core in vc/) must not reach
    // into HTTP or the database: they take a store, and routes are thin. Routes and stores are the only
    // files of a capability that may; a new capability folder is listed here when it is made.
    files: [
      'src/{accounts,advice,analytics,audit,assessment,catalog,hiring,identities,issuance,keys,mail,pathways,review,sharing,skills,trust,verification,wallet,oid4vci,oauth}/**/*.ts',
      'src/vc/**/*.ts',
    ],
    ignores: [
      '**/routes.ts',
      '**/*-routes.ts',
      '**/store.ts',
      '**/*-store.ts',
      '**/*.test.ts',
      // The access rules are the HTTP side of accounts: a Fastify hook.
      'src/accounts/access.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fastify', '@fastify/*', 'kysely', 'pg', 'pg-boss', '@electric-sql/*'],
              message: 'Domain modules use no HTTP framework or database driver: take a store, keep routes thin.',
            },
            {
              group: ['**/http/*', '**/db/*', '**/access.js', '**/routes.js', '**/*-routes.js'],
              message: 'Domain modules import no HTTP layer, route or database schema.',
            },
          ],
        },
      ],
    },
  },
);
