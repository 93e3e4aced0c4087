import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '../accounts/passwords.js';
import type { MicroCredentialDefinition } from '../catalog/definition.js';
import type { Platform } from '../app/platform.js';
import { createAwarding } from '../issuance/awarding.js';
import { demoAccounts, demoOrganizations } from './seed.js';
import { seededRandom } from '../platform/seeded-random.js';

/**
 * The hiring demo, on top of `seedDemo`: Contoso Talent's two open jobs (a junior data-analyst job and a cloud
 * project) and a pool of synthetic discoverable candidates whose credentials come from both demo issuers, awarded
 * through the real issuance path (signed, on status lists, in their wallets), some with work history and
 * references from Contoso, some revoked and some expired (Cloud Operations is valid two years; some candidates
 * earned it longer ago than that), so a ranking shows every kind of term. Idempotent: a second run finds the
 * jobs and adds nothing.
 *
 * The synthetic candidates cannot sign in (their password is random and never shown); they are data to rank.
 */
const esco = (id: string, name: string) => ({
  code: `http://data.europa.eu/esco/skill/${id}`,
  name,
  framework: 'ESCO',
  url: `http://data.europa.eu/esco/skill/${id}`,
});
const skills = {
  python: esco('ccd0a1d9-afda-43d9-b901-96344886e14d', 'Python (computer programming)'),
  analytics: esco('97bd1c21-66b2-4b7e-ad0f-e3cda590e378', 'data analytics'),
  statistics: esco('7ee4c2ea-b349-4bd2-81a3-ec31475d4833', 'statistics'),
  deploy: esco('6195c5f7-a4fb-425d-a3dd-c4467c4471a3', 'deploy cloud resource'),
  monitoring: esco('8efa6a7a-6556-4cb8-908d-59d3b5c58d2f', 'cloud monitoring and reporting'),
  automate: esco('ce8ae6ca-61d8-4174-b457-641de96cbff4', 'automate cloud tasks'),
};

const definition = (
  title: string,
  description: string,
  taught: (typeof skills)[keyof typeof skills][],
  extra: Partial<MicroCredentialDefinition> = {},
): MicroCredentialDefinition => ({
  title,
  description,
  learningOutcomes: [description],
  workloadHours: 30,
  ectsCredits: 1,
  eqfLevel: 5,
  assessmentType: 'exam',
  participationForm: 'online',
  qualityAssurance: 'internal',
  prerequisites: [],
  criteria: 'Pass the final assessment with at least 60%.',
  language: 'en',
  tags: ['talent-demo'],
  skills: taught,
  ...extra,
});

const pool: { org: 'issuer' | 'secondIssuer'; definition: MicroCredentialDefinition }[] = [
  {
    org: 'issuer',
    definition: definition('Applied Data Analytics', 'Turns data into answers with descriptive statistics.', [
      skills.analytics,
      skills.statistics,
    ]),
  },
  {
    org: 'issuer',
    definition: definition('Python for Analysts', 'Cleans and analyses data in Python.', [skills.python]),
  },
  {
    org: 'secondIssuer',
    definition: definition(
      'Cloud Operations',
      'Deploys, monitors and automates cloud resources.',
      [skills.deploy, skills.monitoring, skills.automate],
      { validity: 'P2Y' },
    ),
  },
  {
    org: 'secondIssuer',
    definition: definition('Cloud Automation Workshop', 'Attends a one-day workshop on automating cloud tasks.', [
      skills.automate,
    ]),
  },
];

const first = ['Ada', 'Ben', 'Chen', 'Dara', 'Emre', 'Fatou', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kemi', 'Lars'];
const last = ['Okafor', 'Silva', 'Novak', 'Haddad', 'Larsen', 'Tanaka', 'Moreau', 'Kowalski', 'Singh', 'Garcia'];

const random = seededRandom;

export const talentJobTitles = { analyst: 'Junior data analyst', cloud: 'Cloud migration project' } as const;

export async function seedTalentDemo(
  platform: Pick<Platform, 'accounts' | 'catalog' | 'awarding' | 'issuance' | 'hiring' | 'database'>,
  options: { candidates?: number } = {},
): Promise<{ orgId: string; jobs: { id: string; title: string }[]; created: boolean }> {
  const { accounts, catalog, awarding, issuance, hiring, database } = platform;
  // Awards earned years ago (so past a two-year validity now): the same issuance path, dated then.
  let earnedAt = new Date();
  const earlier = createAwarding({
    issuance,
    catalog,
    emailOf: async (userId) => (await accounts.getUser(userId)).email,
    userIdOf: async (email) => (await accounts.confirmedUserByEmail(email))?.id,
    now: () => earnedAt,
  });
  const employer = await accounts.findUserByEmail(demoAccounts[1].email);
  const issuerUser = await accounts.findUserByEmail(demoAccounts[0].email);
  const trainer = await accounts.findUserByEmail(demoAccounts[4].email);
  if (!employer || !issuerUser || !trainer)
    throw new Error('The talent demo needs the demo accounts: seed the demo first.');
  const memberships = [
    ...(await accounts.memberships(employer.id)),
    ...(await accounts.memberships(issuerUser.id)),
    ...(await accounts.memberships(trainer.id)),
  ];
  const orgOf = (name: string) => memberships.find((m) => m.org.name === name)!.org.id;
  const contoso = orgOf(demoOrganizations.employer);
  const orgs = { issuer: orgOf(demoOrganizations.issuer), secondIssuer: orgOf(demoOrganizations.secondIssuer) };

  const existing = await hiring.jobs(contoso);
  const found = Object.values(talentJobTitles).map((title) => existing.find((j) => j.title === title));
  if (found.every(Boolean))
    return { orgId: contoso, jobs: found.map((j) => ({ id: j!.id, title: j!.title })), created: false };

  // The micro-credentials the candidates earned, published by both demo issuers.
  const achievements: { id: string; org: string; by: string; tested: boolean; expires: boolean }[] = [];
  for (const item of pool) {
    const orgId = orgs[item.org];
    const listed = (await catalog.list(orgId)).find((r) => r.draft.title === item.definition.title);
    const record = listed ?? (await catalog.create(orgId, item.definition)).record;
    if (record.status === 'draft') await catalog.publish(orgId, record.id);
    achievements.push({
      id: record.id,
      org: orgId,
      by: item.org === 'issuer' ? issuerUser.id : trainer.id,
      tested: !item.definition.title.includes('Workshop'),
      expires: item.definition.validity !== undefined,
    });
  }

  // Synthetic candidates: confirmed accounts with a random, never-shown password.
  const count = options.candidates ?? 300;
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  const rand = random(19);
  const people: { id: string; email: string; name: string }[] = [];
  for (let i = 0; i < count; i++) {
    const email = `candidate-${String(i + 1).padStart(3, '0')}@talent.demo.skillproof.test`;
    const name = `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]}`;
    const known = await accounts.findUserByEmail(email);
    if (known) {
      people.push({ id: known.id, email, name });
      continue;
    }
    const row = await database.db
      .insertInto('users')
      .values({ id: randomUUID(), email, name, password_hash: passwordHash, email_confirmed_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    people.push({ id: row.id, email, name });
  }

  for (const [i, person] of people.entries()) {
    // Long-tailed: most hold 1–3 of the pool's credentials, a few hold several copies over the years.
    const held = 1 + Math.min(7, Math.floor(-Math.log(1 - rand()) * 1.5));
    for (let k = 0; k < held; k++) {
      const a = achievements[Math.floor(rand() * achievements.length)]!;
      // About a third of those who hold an expiring credential earned it 25 to 40 months ago: expired now.
      const old = a.expires && rand() < 0.35;
      if (old) earnedAt = new Date(Date.now() - (25 + Math.floor(rand() * 16)) * 30.4 * 24 * 3600 * 1000);
      const issued = await (old ? earlier : awarding).awardByHand({
        orgId: a.org,
        achievementId: a.id,
        email: person.email,
        issuedBy: a.by,
        ...(a.tested ? { score: 50 + Math.floor(rand() * 51) } : {}),
        key: `talent-demo-${i}-${k}`,
        allowDuplicate: true,
      });
      if (rand() < 0.06) await issuance.changeStatus(a.by, a.org, issued.record.id, 'revoke', 'Demo: awarded in error');
    }
    if (rand() < 0.15) {
      const analyst = rand() < 0.5;
      const months = 2 + Math.floor(rand() * 40);
      const from = new Date(Date.UTC(2026, 0, 1) - months * 30.4 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      await hiring.closeEngagement(contoso, employer.id, {
        worker: person.email,
        role: analyst ? 'Data analyst' : 'Cloud engineer',
        from,
        until: '2025-12-31',
        skills: analyst ? [skills.analytics.code, skills.python.code] : [skills.deploy.code, skills.monitoring.code],
        ratings: {
          communication: 60 + Math.floor(rand() * 41),
          timeliness: 60 + Math.floor(rand() * 41),
          reliability: 60 + Math.floor(rand() * 41),
        },
        ...(rand() < 0.6 ? { reference: { comment: `${person.name.split(' ')[0]} was a dependable colleague.` } } : {}),
      });
    }
    await hiring.saveTalent(person.id, {
      discoverable: true,
      headline: rand() < 0.5 ? 'Data and analytics' : 'Cloud and operations',
      daysPerWeek: 3 + Math.floor(rand() * 3),
    });
  }

  const jobs = [];
  const analyst =
    found[0] ??
    (await hiring.createJob(contoso, employer.id, {
      title: talentJobTitles.analyst,
      description: 'Junior data analyst for our reporting team: SQL or Python, analytics, statistics.',
      kind: 'job',
      status: 'open',
      skills: [
        { skill: skills.python.code, weight: 4 },
        { skill: skills.analytics.code, weight: 5, required: true },
        { skill: skills.statistics.code, weight: 3 },
      ],
      location: 'Lisbon',
      remote: true,
    }));
  jobs.push({ id: analyst.id, title: analyst.title });
  const cloud =
    found[1] ??
    (await hiring.createJob(contoso, employer.id, {
      title: talentJobTitles.cloud,
      description: 'A three-month project moving a reporting stack to the cloud.',
      kind: 'project',
      status: 'open',
      skills: [
        // Two members who deploy, so the team builder staffs a team rather than one person.
        { skill: skills.deploy.code, weight: 5, required: true, members: 2 },
        { skill: skills.monitoring.code, weight: 4 },
        { skill: skills.automate.code, weight: 3 },
      ],
      weights: { credentials: 1, workHistory: 2, references: 1 },
      remote: true,
    }));
  jobs.push({ id: cloud.id, title: cloud.title });
  await hiring.sweep(count * 2);
  return { orgId: contoso, jobs, created: true };
}
