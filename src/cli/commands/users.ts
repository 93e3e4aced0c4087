import type { Command } from 'commander';
import { apiClient } from '../api-client.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';
import { readPassword } from '../prompt.js';
import { serverOptions, type ServerOptions } from './server-options.js';

interface UsersCreateOptions extends ServerOptions {
  email: string;
  name: string;
  passwordStdin?: boolean;
  org?: string;
  role?: string;
  json?: boolean;
}

export function usersCommand(program: Command): void {
  const users = program.command('users').description('Accounts on a running instance');
  serverOptions(
    users
      .command('create')
      .description('Create an account; with --org and --role, also give it a role (needs an owner login)')
      .requiredOption('--email <email>', 'email address')
      .requiredOption('--name <name>', 'display name')
      .option('--password-stdin', 'read the password from standard input')
      .option('--org <orgId>', 'organization to add the account to')
      .option('--role <role>', 'role in that organization: owner, issuer, assessor or employer')
      .option('--json', 'print the result as JSON'),
  ).action(async (options: UsersCreateOptions) => {
    if (Boolean(options.org) !== Boolean(options.role)) {
      throw new CliError('--org and --role go together.', exitCodes.badInput);
    }
    const api = apiClient(options);
    if (options.org && !api.hasToken) {
      throw new CliError(
        'Adding to an organization needs an owner login: run `skillproof login` first.',
        exitCodes.badInput,
      );
    }
    const password = await readPassword(options);
    // Sign-up is public: it must not carry the caller's token, or it would act as them.
    const anonymous = apiClient({ url: options.url, anonymous: true });
    const { data } = await anonymous.request<{ user: { id: string; email: string; name: string } }>(
      'POST',
      '/api/auth/sign-up',
      { email: options.email, name: options.name, password },
    );
    let roles: string[] = [];
    if (options.org && options.role) {
      const member = await api.post<{ roles: string[] }>(`/api/orgs/${encodeURIComponent(options.org)}/members`, {
        email: options.email,
        role: options.role,
      });
      roles = member.roles;
    }
    print(
      options,
      { user: data.user, roles },
      () => `Created ${data.user.email} (${data.user.id})${roles.length ? ` with roles ${roles.join(', ')}` : ''}.`,
    );
  });
}
