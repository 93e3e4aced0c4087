import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '../accounts/passwords.js';
import { normal, seededRandom } from '../analytics/simulate.js';
import type { Platform } from '../app/platform.js';
import { demoAccounts } from './seed.js';

/**
 * A SYNTHETIC outcome history for the analytics dashboards of the demo: about 2,000 workers, each earning one
 * credential of "Synthetic Outcomes Academy (synthetic data)" on a day of an 18-month span, and about 5,000 paid
 * engagements in the outcomes ledger (a project won and its earnings, source `engagement`), with a planted
 * credential effect: after their credential a worker wins engagements at 1.8 times their earlier rate. Seeded
 * (the same history every time); nothing in it is a real person or a real outcome. The credentials are ledger
 * rows with a placeholder document (`{"synthetic": true}`): the studies read who earned what when, and these
 * are not signed credentials to show anyone. The demo issuer owns the organization, so its issuer dashboard
 * shows the study of its credentials; the demo admin sees every cut.
 */
export const syntheticOrgName = 'Synthetic Outcomes Academy (synthetic data)';

export async function seedOutcomeHistory(
  platform: Pick<Platform, 'accounts' | 'database'>,
  options: { workers?: number; engagements?: number; seed?: number; today?: Date; ownerEmail?: string } = {},
): Promise<{ orgId: string; created: boolean }> {
  const { accounts, database } = platform;
  const db = database.db;
  const issuer = await accounts.findUserByEmail(options.ownerEmail ?? demoAccounts[0].email);
  if (!issuer) throw new Error('The outcome history needs the demo accounts: seed the demo first.');
  const known = (await accounts.memberships(issuer.id)).find((m) => m.org.name === syntheticOrgName);
  if (known) return { orgId: known.org.id, created: false };
  const org = await accounts.createOrganization(issuer.id, { name: syntheticOrgName });

  const workers = options.workers ?? 2_000;
  const engagements = options.engagements ?? 5_000;
  const random = seededRandom(options.seed ?? 23);
  const gauss = normal(random);
  const today = options.today ?? new Date();
  // 18 months ending 30 days ago, so every event's window after has ended.
  const spanDays = 548;
  const first =
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - (spanDays + 30) * 86_400_000;
  const dayOf = (offset: number) => new Date(first + offset * 86_400_000);

  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  const people = Array.from({ length: workers }, (_, i) => ({
    id: randomUUID(),
    email: `synthetic-worker-${i + 1}@synthetic.example`,
    name: `Synthetic worker ${i + 1}`,
    // The credential: earned between month 3 and month 16.
    earnedOn: 90 + Math.floor(random() * (spanDays - 150)),
    // How busy the worker is (some win far more than others).
    activity: Math.exp(0.8 * gauss()),
  }));
  for (let i = 0; i < people.length; i += 500) {
    await db
      .insertInto('users')
      .values(
        people.slice(i, i + 500).map((p) => ({
          id: p.id,
          email: p.email,
          name: p.name,
          password_hash: passwordHash,
          email_confirmed_at: dayOf(0),
          created_at: dayOf(0),
        })),
      )
      .execute();
    await db
      .insertInto('credentials')
      .values(
        people.slice(i, i + 500).map((p) => ({
          id: randomUUID(),
          org_id: org.id,
          credential_id: `urn:uuid:${randomUUID()}`,
          format: 'ldp_vc' as const,
          document: JSON.stringify({ synthetic: true }),
          document_deflated: null,
          subject_id: null,
          name: 'Synthetic skill test (synthetic data)',
          issued_by: issuer.id,
          issued_at: dayOf(p.earnedOn),
          recipient_user_id: p.id,
        })),
      )
      .execute();
  }

  // Engagements: a worker drawn by activity, a day drawn uniformly; days before the credential are kept with
  // probability 1/1.8 (the planted effect), so the rate after is 1.8 times the rate before.
  const totalActivity = people.reduce((s, p) => s + p.activity, 0);
  const rows: {
    user_id: string;
    occurred_on: string;
    kind: 'project' | 'earnings';
    value: number;
    source: 'engagement';
  }[] = [];
  let made = 0;
  while (made < engagements) {
    let pick = random() * totalActivity;
    let w = 0;
    while (w < people.length - 1 && pick > people[w]!.activity) pick -= people[w++]!.activity;
    const person = people[w]!;
    const day = Math.floor(random() * spanDays);
    if (day < person.earnedOn && random() > 1 / 1.8) continue;
    const value = Math.round(Math.exp(5.5 + 0.7 * gauss()));
    const date = dayOf(day).toISOString().slice(0, 10);
    rows.push({ user_id: person.id, occurred_on: date, kind: 'project', value, source: 'engagement' });
    rows.push({ user_id: person.id, occurred_on: date, kind: 'earnings', value, source: 'engagement' });
    made += 1;
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('outcome_events')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
  return { orgId: org.id, created: true };
}
