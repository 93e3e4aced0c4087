import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { RefusedToStart } from '../errors.js';
import type { DatabaseHandle } from './database.js';

/**
 * Corruption shows itself only when a damaged page is read: a server that never reads it answers `/readyz` and
 * then fails on every page that lists it. So the embedded database is read through at start: the system catalog,
 * then every page of every table (PGlite keeps data checksums, so a page with changed bytes fails to read, naming
 * its file). `skillproof db check` goes further, on demand: every column of every row (out-of-line values too)
 * and, on the embedded database, every B-tree index and heap with amcheck.
 */
export interface IntegrityProblem {
  relation: string;
  /** The file of the damaged relation, under the data folder (embedded database). */
  file?: string;
  message: string;
}

export interface IntegrityReport {
  ok: boolean;
  tables: number;
  indexes: number;
  problems: IntegrityProblem[];
  milliseconds: number;
}

const catalogs = ['pg_class', 'pg_attribute', 'pg_type', 'pg_namespace', 'pg_index', 'pg_proc', 'pg_constraint'];
const schemas = ['public', 'pgboss'];

interface Relation {
  schema: string;
  name: string;
  file: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads any schema
async function relations(db: Kysely<any>, kinds: string[]): Promise<Relation[]> {
  const { rows } = await sql<Relation>`
    select n.nspname as schema, c.relname as name, pg_relation_filepath(c.oid) as file
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in (${sql.join(kinds)}) and n.nspname in (${sql.join(schemas)})
    order by n.nspname, c.relname`.execute(db);
  return rows;
}

const quoted = (relation: Relation) => sql`${sql.id(relation.schema)}.${sql.id(relation.name)}`;
const label = (relation: Relation) =>
  relation.schema === 'public' ? relation.name : `${relation.schema}.${relation.name}`;

/** Reads the catalog and every table (and, when thorough, every value and index); lists what fails to read. */
export async function checkIntegrity(
  handle: DatabaseHandle,
  options: { thorough?: boolean; dataDir?: string } = {},
): Promise<IntegrityReport> {
  const started = performance.now();
  const problems: IntegrityProblem[] = [];
  const fileOf = (relation: Relation) =>
    relation.file ? (options.dataDir ? path.join(options.dataDir, relation.file) : relation.file) : undefined;
  const attempt = async (relation: Relation, read: () => Promise<unknown>) => {
    try {
      await read();
    } catch (error) {
      const file = fileOf(relation);
      problems.push({ relation: label(relation), ...(file ? { file } : {}), message: (error as Error).message });
    }
  };
  const db = handle.db;
  for (const name of catalogs) {
    const { rows } = await sql<Relation>`
      select 'pg_catalog' as schema, relname as name, pg_relation_filepath(oid) as file
      from pg_class where relname = ${name} and relnamespace = 'pg_catalog'::regnamespace`.execute(db);
    const relation = rows[0] ?? { schema: 'pg_catalog', name, file: null };
    await attempt(relation, () => sql`select count(*) from ${sql.id('pg_catalog')}.${sql.id(name)}`.execute(db));
  }
  const tables = await relations(db, ['r', 'm']);
  // A sequential scan reads every page of the table (an index-only count would skip them); one transaction per
  // table, since a failed read aborts its transaction.
  for (const table of tables) {
    await attempt(table, () =>
      db.transaction().execute(async (trx) => {
        for (const setting of ['enable_indexscan', 'enable_indexonlyscan', 'enable_bitmapscan']) {
          await sql`select set_config(${setting}, 'off', true)`.execute(trx);
        }
        await (options.thorough
          ? // Every column of every row, out-of-line (TOAST) values too.
            sql`select sum(length(t::text)) from ${quoted(table)} as t`.execute(trx)
          : sql`select count(*) from ${quoted(table)}`.execute(trx));
      }),
    );
  }
  let indexes: Relation[] = [];
  if (options.thorough && handle.pglite) {
    await sql`create extension if not exists amcheck`.execute(db);
    indexes = await relations(db, ['i']);
    const btree = await sql<{ name: string; schema: string }>`
      select n.nspname as schema, c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace join pg_am a on a.oid = c.relam
      where c.relkind = 'i' and a.amname = 'btree' and n.nspname in (${sql.join(schemas)})`.execute(db);
    const isBtree = new Set(btree.rows.map((row) => `${row.schema}.${row.name}`));
    for (const index of indexes) {
      if (!isBtree.has(`${index.schema}.${index.name}`)) continue;
      await attempt(index, () => sql`select bt_index_check(${`${index.schema}.${index.name}`}::regclass)`.execute(db));
    }
    for (const table of tables) {
      await attempt(table, async () => {
        const { rows } = await sql<{ blkno: number; msg: string }>`
          select blkno, msg from verify_heapam(${`${table.schema}.${table.name}`}::regclass) limit 1`.execute(db);
        if (rows[0]) throw new Error(`block ${rows[0].blkno}: ${rows[0].msg}`);
      });
    }
  }
  return {
    ok: problems.length === 0,
    tables: tables.length,
    indexes: indexes.length,
    problems,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** The report as the operator reads it: what is damaged, where, and what to do. */
export function describeDamage(report: IntegrityReport, where: string): string {
  const lines = report.problems.map(
    (problem) => `  ${problem.relation}${problem.file ? ` (file ${problem.file})` : ''}: ${problem.message}`,
  );
  return [
    `The database in ${where} is damaged: ${report.problems.length} part${report.problems.length === 1 ? '' : 's'} cannot be read.`,
    ...lines,
    'Restore it from a backup (`skillproof db restore FILE`); keep the damaged folder for inspection.',
  ].join('\n');
}

/** The check at start: refuses to serve a damaged embedded database. */
export async function assertReadable(handle: DatabaseHandle, dataDir: string): Promise<IntegrityReport> {
  const report = await checkIntegrity(handle, { dataDir });
  if (!report.ok) throw new RefusedToStart(describeDamage(report, dataDir));
  return report;
}
