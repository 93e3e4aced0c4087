import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import { createAudit } from '../../audit/audit.js';
import { createAuditStore } from '../../audit/store.js';
import { createAccounts, type Accounts } from '../../accounts/accounts.js';
import { createAccountsStore } from '../../accounts/store.js';
import { loadConfig } from '../../platform/config.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { DomainError } from '../../platform/errors.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';
import { withDirectDatabase } from './db.js';

/**
 * Runs `work` on the accounts of the database this machine's settings name (direct access, like `db`), and
 * records it in the audit log as done by this command, with the system user and host that ran it.
 */
async function withAccounts<T extends { id: string; email: string }>(
  action: string,
  work: (accounts: Accounts) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  try {
    return await withDirectDatabase(config, async (handle) => {
      await migrateToLatest(handle.db);
      const user = await work(
        createAccounts({ store: createAccountsStore(handle.db), sessionTtlHours: config.sessionTtlHours }),
      );
      const audit = createAudit({
        store: createAuditStore(handle.db),
        retentionDays: config.auditRetentionDays ?? 730,
      });
      await audit.record({
        action,
        actor: { kind: 'command', userId: null, email: null },
        target: user.email,
        details: {
          command: `skillproof admin ${action === 'admin.granted' ? 'grant' : 'revoke'}`,
          systemUser: systemUser(),
          host: hostname(),
        },
      });
      return user;
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not-found')
      throw new CliError(error.message, exitCodes.badInput);
    throw error;
  }
}

/**
 * Instance admins (who manage the registry of trusted issuers) are made here, with access to the server's
 * database, never through the API: no account can make itself or another an admin.
 */
export function adminCommand(program: Command): void {
  const admin = program.command('admin').description('Instance admins (direct database access)');
  admin
    .command('grant')
    .description('Make an existing account an instance admin')
    .argument('<email>', 'the account email')
    .option('--json', 'print the result as JSON')
    .action(async (email: string, options: { json?: boolean }) => {
      const user = await withAccounts('admin.granted', (accounts) => accounts.grantInstanceAdmin(email));
      print(options, { user, isAdmin: true }, () => `${user.email} is an instance admin.`);
    });
  admin
    .command('revoke')
    .description('Take instance admin away from an account')
    .argument('<email>', 'the account email')
    .option('--json', 'print the result as JSON')
    .action(async (email: string, options: { json?: boolean }) => {
      const user = await withAccounts('admin.revoked', (accounts) => accounts.revokeInstanceAdmin(email));
      print(options, { user, isAdmin: false }, () => `${user.email} is no longer an instance admin.`);
    });
}

function systemUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}
