import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A pathway is a draft being edited plus the immutable versions published from it (as achievements are).
  await db.schema
    .createTable('pathways')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published', 'retired')`))
    .addColumn('draft', 'jsonb', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('pathways_org_idx').on('pathways').columns(['org_id', 'updated_at']).execute();

  await db.schema
    .createTable('pathway_versions')
    .addColumn('pathway_id', 'uuid', (c) => c.notNull().references('pathways.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('destination', 'uuid', (c) => c.notNull().references('achievements.id'))
    // Every achievement a holding may match (local ids, foreign ids, recognized achievement ids): "near" queries.
    .addColumn('matches', sql`text[]`, (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('pathway_versions_pkey', ['pathway_id', 'version'])
    .execute();

  // The stacked credential: at most one per learner and pathway version, whatever retries or crashes do.
  await db.schema
    .createTable('pathway_awards')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('pathway_id', 'uuid', (c) => c.notNull().references('pathways.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'issued')`))
    .addColumn('credential_id', 'uuid', (c) => c.references('credentials.id'))
    // The components as held when awarded: holding id, credential id, issuer, name, digest of the bytes.
    .addColumn('components', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('issued_at', 'timestamptz')
    .addUniqueConstraint('pathway_awards_once', ['pathway_id', 'version', 'user_id'])
    .execute();
  await db.schema.createIndex('pathway_awards_user_idx').on('pathway_awards').columns(['user_id']).execute();

  // A component revoked after the stacked credential was issued: the issuer reviews, nothing is revoked silently.
  await db.schema
    .createTable('pathway_award_flags')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('award_id', 'uuid', (c) => c.notNull().references('pathway_awards.id').onDelete('cascade'))
    .addColumn('component_holding_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decision', 'text', (c) => c.check(sql`decision in ('revoke', 'keep')`))
    .addColumn('note', 'text')
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addUniqueConstraint('pathway_award_flags_once', ['award_id', 'component_holding_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pathway_award_flags').execute();
  await db.schema.dropTable('pathway_awards').execute();
  await db.schema.dropTable('pathway_versions').execute();
  await db.schema.dropTable('pathways').execute();
}
