import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { scratchDatabase } from './scratch-database.js';

/** Which backend this test run uses: `npm test` runs the suite once per backend. */
export const testBackend: 'pglite' | 'postgres' =
  process.env.SKILLPROOF_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';

function adminUrl(): string {
  const url = process.env.SKILLPROOF_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('SKILLPROOF_TEST_BACKEND=postgres needs SKILLPROOF_TEST_DATABASE_URL or DATABASE_URL');
  return url;
}

export interface TestDatabase extends DatabaseHandle {
  /** Closes and, on PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database that belongs to one test file: an in-memory PGlite, or a new database on the
 * PostgreSQL server named by SKILLPROOF_TEST_DATABASE_URL, dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testBackend === 'pglite') {
    const handle = await openDatabase({});
    await migrateToLatest(handle.db);
    return { ...handle, dispose: () => handle.close() };
  }
  const base = adminUrl();
  const database = await scratchDatabase(base, 'skillproof_test');
  const handle = await openDatabase({ url: database.url, poolSize: 5 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async dispose() {
      await handle.close();
      await database.drop();
    },
  };
}
