import type { FastifyInstance } from 'fastify';
import { access } from '../accounts/access.js';
import type { DatabaseHandle } from '../platform/db/database.js';
import { backupBytes } from '../platform/db/backup.js';
import { problem, sendProblem } from '../platform/http/problems.js';

/**
 * A backup of the embedded database taken by the running server (instance admins): the same file `skillproof db
 * backup` writes, consistent while requests are served, so an instance need not stop to be backed up. The CLI
 * asks for it when a server holds the data folder. The master key is never in it. Recorded in the audit log.
 */
export async function backupRoutes(app: FastifyInstance, { database }: { database: DatabaseHandle }) {
  app.get(
    '/api/admin/backup',
    {
      config: { access: access.admin, audit: { action: 'database.backed-up' } },
      schema: {
        tags: ['platform'],
        summary: 'A consistent backup of the embedded database, taken while the server runs (never the master key)',
        produces: ['application/octet-stream'],
      },
    },
    async (request, reply) => {
      if (!database.pglite) {
        return sendProblem(
          reply,
          problem(
            409,
            'use-pg-dump',
            'Back up PostgreSQL with pg_dump',
            'This instance runs on PostgreSQL: back it up with pg_dump (online and consistent; see the README), ' +
              'keeping SKILLPROOF_MASTER_KEY apart from the dump.',
          ),
        );
      }
      const { header, bytes } = await backupBytes(database);
      request.log.info({ bytes: header.bytes, sha256: header.sha256 }, 'backup taken');
      const name = `skillproof-${header.createdAt.replace(/[:.]/g, '-')}.backup`;
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .header('x-skillproof-backup-sha256', header.sha256)
        .header('x-skillproof-backup-schema', header.schema)
        .send(bytes);
    },
  );
}
