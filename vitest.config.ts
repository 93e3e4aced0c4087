import { defineConfig } from 'vitest/config';

// `npm test` runs everything on PGlite, then only the tests that touch a database (test/) on PostgreSQL.
const integrationOnly = process.env.SKILLPROOF_TEST_SCOPE === 'integration';

export default defineConfig({
  test: {
    include: integrationOnly ? ['test/**/*.test.ts'] : ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
