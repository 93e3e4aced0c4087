import type { Command } from 'commander';
import { formatLogins, seedDemo } from '../../demo/seed.js';
import { loadConfig } from '../../platform/config.js';
import { withDataLock } from '../../platform/data-lock.js';
import { createPlatform } from '../../app/platform.js';
import { print } from '../output.js';

export function demoCommand(program: Command): void {
  const demo = program.command('demo').description('Demo data');
  demo
    .command('seed')
    .description('Create the demo organizations, logins and credentials (once; a second run changes nothing)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      // The whole platform (without workers): the demo credentials are awarded, signed and shared by the real
      // services. The embedded database's lock keeps a running server undisturbed.
      const run = async () => {
        const platform = await createPlatform(config);
        try {
          return await seedDemo(platform);
        } finally {
          await platform.close();
        }
      };
      const result = await (config.databaseUrl ? run() : withDataLock(config.dataDir, run));
      print(
        options,
        result,
        () => `${result.created ? 'Seeded the demo.' : 'The demo was already seeded.'}\n${formatLogins(result)}`,
      );
    });
}
