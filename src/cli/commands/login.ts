import os from 'node:os';
import type { Command } from 'commander';
import { apiClient } from '../api-client.js';
import { saveLogin, savedLogin } from '../credentials.js';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { readPassword } from '../prompt.js';
import { serverOptions, type ServerOptions } from './server-options.js';

export function loginCommands(program: Command): void {
  serverOptions(
    program
      .command('login')
      .description('Sign in and save an API token for later commands (in ~/.config/skillproof, mode 600)')
      .requiredOption('--email <email>', 'email address')
      .option('--password-stdin', 'read the password from standard input (or set SKILLPROOF_PASSWORD)')
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        [
          '',
          'The password comes from standard input with --password-stdin, else from SKILLPROOF_PASSWORD, else a',
          'prompt on the terminal. The instance (--url, SKILLPROOF_URL or http://localhost:3000) is remembered with',
          'the token: later commands talk to it without --url.',
        ].join('\n'),
      ),
  ).action(async (options: ServerOptions & { email: string; passwordStdin?: boolean; json?: boolean }) => {
    const password = await readPassword(options);
    const anonymous = apiClient({ url: options.url, anonymous: true });
    // Sign in with the password once, then trade the session for a named API token and end the session.
    const signIn = await anonymous.request<{ user: { email: string } }>('POST', '/api/auth/sign-in', {
      email: options.email,
      password,
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = await anonymous.request<{ csrfToken: string }>('GET', '/api/session', undefined, { cookie });
    const browser = { cookie, 'x-csrf-token': session.data.csrfToken };
    const created = await anonymous.request<{ token: string; record: { id: string } }>(
      'POST',
      '/api/tokens',
      { name: `CLI on ${os.hostname()}`.slice(0, 120), scopes: ['read', 'write'] },
      browser,
    );
    await anonymous.request('POST', '/api/auth/sign-out', {}, browser);
    saveLogin(anonymous.base, {
      token: created.data.token,
      tokenId: created.data.record.id,
      email: signIn.data.user.email,
    });
    print(
      options,
      { email: signIn.data.user.email, url: anonymous.base },
      () => `Signed in to ${anonymous.base} as ${signIn.data.user.email}.`,
    );
  });

  serverOptions(program.command('logout').description('Revoke and forget the saved API token')).action(
    async (options: ServerOptions) => {
      const api = apiClient(options);
      const saved = savedLogin(api.base);
      if (!saved) throw new CliError(`Not signed in to ${api.base}.`);
      await api.delete(`/api/tokens/${saved.tokenId}`).catch(() => undefined);
      saveLogin(api.base, undefined);
      console.log(`Signed out of ${api.base}.`);
    },
  );

  serverOptions(
    program
      .command('whoami')
      .description('Show the signed-in account and its organizations')
      .option('--json', 'print JSON'),
  ).action(async (options: ServerOptions & { json?: boolean }) => {
    const api = apiClient(options);
    if (!api.hasToken) throw new CliError('Not signed in: run `skillproof login` or set SKILLPROOF_TOKEN.');
    const session = await api.get<{
      user: { email: string; name: string };
      memberships: { org: { id: string; name: string }; roles: string[] }[];
    }>('/api/session');
    print(options, session, () =>
      [
        `${session.user.name} <${session.user.email}> on ${api.base}`,
        ...session.memberships.map((m) => `  ${m.org.name} (${m.org.id}): ${m.roles.join(', ')}`),
      ].join('\n'),
    );
  });
}
