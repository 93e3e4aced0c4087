import type { Command } from 'commander';
import { createAccounts } from '../../accounts/accounts.js';
import { createAccountsStore } from '../../accounts/store.js';
import { formatLogins, seedDemo } from '../../demo/seed.js';
import { loadConfig } from '../../platform/config.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { print } from '../output.js';
import { withDirectDatabase } from './db.js';

export function demoCommand(program: Command): void {
  const demo = program.command('demo').description('Demo data');
  demo
    .command('seed')
    .description('Create the demo organizations and logins (once; a second run changes nothing)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const result = await withDirectDatabase(config, async (handle) => {
        await migrateToLatest(handle.db);
        const accounts = createAccounts({
          store: createAccountsStore(handle.db),
          sessionTtlHours: config.sessionTtlHours,
        });
        return seedDemo(accounts);
      });
      print(
        options,
        result,
        () => `${result.created ? 'Seeded the demo.' : 'The demo was already seeded.'}\n${formatLogins(result)}`,
      );
    });
}
