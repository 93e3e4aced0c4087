import type { Accounts } from '../accounts/accounts.js';
import { normalizeEmail } from '../accounts/accounts.js';
import { DomainError } from '../platform/errors.js';

/** Demo accounts: printed on first start so a new user can sign in at once. Never use them in production. */
export const demoPassword = 'skillproof-demo';

export const demoAccounts = [
  { key: 'issuer', email: 'issuer@demo.skillproof.test', name: 'Iris Issuer' },
  { key: 'employer', email: 'employer@demo.skillproof.test', name: 'Emil Employer' },
  { key: 'learner', email: 'learner@demo.skillproof.test', name: 'Lea Learner' },
  { key: 'admin', email: 'admin@demo.skillproof.test', name: 'Ada Admin' },
] as const;

export interface DemoSeedResult {
  created: boolean;
  logins: { email: string; password: string; name: string; organizations: string[]; isAdmin: boolean }[];
}

/**
 * Seeds the demo once: an issuer organization (owner with issuer and assessor roles), an employer
 * organization, a learner and an instance admin. Running it again changes nothing.
 */
export async function seedDemo(accounts: Accounts): Promise<DemoSeedResult> {
  const users = new Map<string, string>();
  let created = false;
  for (const account of demoAccounts) {
    try {
      const user = await accounts.signUp({ email: account.email, name: account.name, password: demoPassword });
      users.set(account.key, user.id);
      created = true;
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
    }
  }
  // Granted on every run, so an instance seeded before the admin account existed gets one too.
  await accounts.grantInstanceAdmin(demoAccounts[3].email);
  if (created && users.size === demoAccounts.length) {
    const issuerOrg = await accounts.createOrganization(users.get('issuer')!, {
      name: 'Northwind Institute of Technology',
    });
    await accounts.addMember(issuerOrg.id, { email: normalizeEmail(demoAccounts[0].email), role: 'issuer' });
    await accounts.addMember(issuerOrg.id, { email: demoAccounts[0].email, role: 'assessor' });
    const employerOrg = await accounts.createOrganization(users.get('employer')!, { name: 'Contoso Talent' });
    await accounts.addMember(employerOrg.id, { email: demoAccounts[1].email, role: 'employer' });
    // The issuer also recruits for the employer, so the demo shows the organization switcher.
    await accounts.addMember(employerOrg.id, { email: demoAccounts[0].email, role: 'employer' });
  }
  const logins = [];
  for (const account of demoAccounts) {
    const user = await accounts.signIn({ email: account.email, password: demoPassword }).catch(() => undefined);
    const organizations = user ? (await accounts.memberships(user.id)).map((m) => m.org.name) : [];
    const isAdmin = user ? await accounts.isInstanceAdmin(user.id) : false;
    logins.push({ email: account.email, password: demoPassword, name: account.name, organizations, isAdmin });
  }
  return { created, logins };
}

export function formatLogins(result: DemoSeedResult): string {
  const rows = result.logins.map(
    (l) =>
      `  ${l.email.padEnd(32)} ${l.password}   ${l.name}${l.organizations.length ? ` (${l.organizations.join(', ')})` : ''}${l.isAdmin ? ' (instance admin)' : ''}`,
  );
  return ['Demo logins (email, password):', ...rows].join('\n');
}
