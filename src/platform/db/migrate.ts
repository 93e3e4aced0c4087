import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import * as accounts from './migrations/0001-accounts.js';
import * as jobs from './migrations/0002-jobs.js';
import * as credentials from './migrations/0003-credentials.js';
import * as catalog from './migrations/0004-catalog.js';
import * as skills from './migrations/0005-skills.js';
import * as assessment from './migrations/0006-assessment.js';
import * as awards from './migrations/0007-awards.js';
import * as bulk from './migrations/0008-bulk.js';
import * as reviews from './migrations/0009-reviews.js';
import * as wallet from './migrations/0010-wallet.js';
import * as sharing from './migrations/0011-sharing.js';
import * as trust from './migrations/0012-trust.js';
import * as speed from './migrations/0013-speed.js';
import * as identities from './migrations/0014-identities.js';
import * as bulkWrites from './migrations/0015-bulk-writes.js';
import * as deflatedDocuments from './migrations/0016-deflated-documents.js';
import * as skillBroader from './migrations/0017-skill-broader.js';
import * as outcomes from './migrations/0018-outcomes.js';
import * as accountMail from './migrations/0019-account-mail.js';
import * as auditLog from './migrations/0020-audit-log.js';
import * as registrySources from './migrations/0021-registry-sources.js';
import * as firstHour from './migrations/0022-first-hour.js';
import * as hiring from './migrations/0023-hiring.js';
import * as pathways from './migrations/0024-pathways.js';
import * as hiringApplications from './migrations/0025-hiring-applications.js';
import * as pathwayNotices from './migrations/0026-pathway-notices.js';
import * as shareExperiments from './migrations/0027-share-experiments.js';
import * as oid4vci from './migrations/0029-oid4vci.js';
import * as teamStaffing from './migrations/0030-team-staffing.js';
import * as funnelSharing from './migrations/0032-funnel-sharing.js';
import * as oauth from './migrations/0028-oauth.js';
import * as rankBounds from './migrations/0034-rank-bounds.js';
import * as rankSkillPoints from './migrations/0035-rank-skill-points.js';
import * as pathwayHoldingFacts from './migrations/0036-pathway-holding-facts.js';

// Migrations are imported, not read from a folder, so they work the same from `src` (tsx, tests) and `dist`.
const migrations: Record<string, Migration> = {
  '0001-accounts': accounts,
  '0002-jobs': jobs,
  '0003-credentials': credentials,
  '0004-catalog': catalog,
  '0005-skills': skills,
  '0006-assessment': assessment,
  '0007-awards': awards,
  '0008-bulk': bulk,
  '0009-reviews': reviews,
  '0010-wallet': wallet,
  '0011-sharing': sharing,
  '0012-trust': trust,
  '0013-speed': speed,
  '0014-identities': identities,
  '0015-bulk-writes': bulkWrites,
  '0016-deflated-documents': deflatedDocuments,
  '0017-skill-broader': skillBroader,
  '0018-outcomes': outcomes,
  '0019-account-mail': accountMail,
  '0020-audit-log': auditLog,
  '0021-registry-sources': registrySources,
  '0022-first-hour': firstHour,
  '0023-hiring': hiring,
  '0024-pathways': pathways,
  '0025-hiring-applications': hiringApplications,
  '0026-pathway-notices': pathwayNotices,
  '0027-share-experiments': shareExperiments,
  '0029-oid4vci': oid4vci,
  '0030-team-staffing': teamStaffing,
  '0032-funnel-sharing': funnelSharing,
  '0028-oauth': oauth,
  '0034-rank-bounds': rankBounds,
  '0035-rank-skill-points': rankSkillPoints,
  '0036-pathway-holding-facts': pathwayHoldingFacts,
};

/** The names of the migrations this build knows, oldest first. */
export function knownMigrations(): string[] {
  return Object.keys(migrations).sort();
}

export interface MigrationReport {
  applied: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const outcome: MigrationResultSet = await migrator.migrateToLatest();
  if (outcome.error) {
    const failed = outcome.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${String((outcome.error as Error).message ?? outcome.error)}`);
  }
  return { applied: (outcome.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Undoes the newest migration (tests check that each one can be taken back). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateDownOne(db: Kysely<any>): Promise<string | undefined> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const outcome = await migrator.migrateDown();
  if (outcome.error) throw outcome.error;
  return outcome.results?.[0]?.migrationName;
}
