import { randomBytes } from 'node:crypto';
import type { Accounts } from '../accounts/accounts.js';
import { hashPassword } from '../accounts/passwords.js';
import type { MicroCredentialDefinition } from '../catalog/definition.js';
import type { Rubric } from '../review/rubric.js';
import { DomainError } from '../platform/errors.js';
import type { Platform } from '../app/platform.js';

/**
 * The published demo password: only ever given to demo accounts of an instance bound to a loopback address,
 * where nobody else can reach it. Elsewhere each seeding makes a random password, printed once.
 */
export const demoPassword = 'skillproof-demo';

/** Whether a bind address reaches only this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** The password new demo accounts get on an instance bound to this address. */
export function demoPasswordFor(host: string): string {
  return isLoopbackHost(host) ? demoPassword : `demo-${randomBytes(12).toString('base64url')}`;
}

export const demoAccounts = [
  { key: 'issuer', email: 'issuer@demo.skillproof.test', name: 'Iris Issuer' },
  { key: 'employer', email: 'employer@demo.skillproof.test', name: 'Emil Employer' },
  { key: 'learner', email: 'learner@demo.skillproof.test', name: 'Lea Learner' },
  { key: 'admin', email: 'admin@demo.skillproof.test', name: 'Ada Admin' },
  // The second issuer has a person of its own: the first stays the only issuer organization of Iris, which the
  // CLI and the VC-API use when no organization is named.
  { key: 'trainer', email: 'trainer@demo.skillproof.test', name: 'Theo Trainer' },
] as const;

export const demoOrganizations = {
  issuer: 'Northwind Institute of Technology',
  employer: 'Contoso Talent',
  secondIssuer: 'Harbor Cloud Academy',
} as const;

/** The learner's public profile handle. */
export const demoHandle = 'lea-learner';

const esco = (id: string, name: string) => ({
  code: `http://data.europa.eu/esco/skill/${id}`,
  name,
  framework: 'ESCO',
  url: `http://data.europa.eu/esco/skill/${id}`,
});

/** What Harbor's assessors score the cloud project with: learners submit their work, an assessor accepts it. */
const cloudProjectRubric: Rubric = {
  criteria: [
    {
      id: 'deployment',
      name: 'Working deployment',
      description: 'The service runs on a public cloud and answers at its address.',
      levels: [
        { name: 'Not working', points: 0 },
        { name: 'Works with manual steps', points: 2 },
        { name: 'Deployed from a repeatable pipeline', points: 4 },
      ],
    },
    {
      id: 'monitoring',
      name: 'Logs, metrics and alerts',
      description: 'The walkthrough shows where logs and metrics are, and an alert that fires.',
      levels: [
        { name: 'Missing', points: 0 },
        { name: 'Logs and metrics', points: 2 },
        { name: 'Logs, metrics and a tested alert', points: 4 },
      ],
    },
  ],
  passPoints: 5,
};

/**
 * One published micro-credential per demo issuer, each awarded to the demo learner; the project one is assessed
 * by review, with a rubric, so anyone can submit work for it.
 */
const demoMicroCredentials: {
  org: 'issuer' | 'secondIssuer';
  key: string;
  definition: MicroCredentialDefinition;
  rubric?: Rubric;
  /** Not awarded to the demo learner (the pathway's destination, and the component she is short of). */
  notHeld?: boolean;
}[] = [
  {
    org: 'issuer',
    key: 'demo-learner-sql',
    definition: {
      title: 'Data Analysis with SQL',
      description: 'Writes SQL queries that answer business questions from relational data.',
      learningOutcomes: [
        'Write SELECT queries with joins and aggregates',
        'Explain a query plan',
        'Model a small relational schema',
      ],
      workloadHours: 50,
      ectsCredits: 2,
      eqfLevel: 5,
      assessmentType: 'exam',
      participationForm: 'online',
      qualityAssurance: 'internal',
      prerequisites: [],
      criteria: 'Pass a supervised two-hour SQL exam with at least 70%.',
      validity: 'P3Y',
      language: 'en',
      tags: ['data', 'sql'],
      skills: [esco('ccd0a1d9-afda-43d9-b901-96344886e14d', 'SQL')],
    },
  },
  {
    org: 'secondIssuer',
    key: 'demo-learner-cloud',
    definition: {
      title: 'Cloud Deployment Fundamentals',
      description: 'Deploys and monitors a small web service on a public cloud.',
      learningOutcomes: ['Deploy a containerised service', 'Set up logs, metrics and alerts'],
      workloadHours: 25,
      ectsCredits: 1,
      eqfLevel: 4,
      assessmentType: 'project',
      participationForm: 'blended',
      qualityAssurance: 'internal',
      prerequisites: [],
      criteria: 'Deploy a working service and walk an assessor through its monitoring.',
      language: 'en',
      tags: ['cloud', 'devops'],
      skills: [],
    },
    rubric: cloudProjectRubric,
  },
  {
    org: 'issuer',
    key: 'demo-learner-pipelines',
    notHeld: true,
    definition: {
      title: 'Data Pipelines with Python',
      description: 'Builds, schedules and tests batch data pipelines in Python.',
      learningOutcomes: ['Build an extract-transform-load pipeline', 'Schedule and monitor pipeline runs'],
      workloadHours: 75,
      ectsCredits: 3,
      eqfLevel: 5,
      assessmentType: 'project',
      participationForm: 'online',
      qualityAssurance: 'internal',
      prerequisites: [],
      criteria: 'Deliver a tested pipeline that loads a public data set on a schedule.',
      language: 'en',
      tags: ['data', 'python'],
      skills: [],
    },
  },
  {
    org: 'issuer',
    key: 'demo-cloud-data-engineering',
    notHeld: true,
    definition: {
      title: 'Cloud Data Engineering Certificate',
      description:
        'A certificate stacked from three micro-credentials across two issuers: data analysis, cloud deployment and data pipelines.',
      learningOutcomes: [
        'Analyse relational data with SQL',
        'Deploy and monitor a cloud service',
        'Build and schedule data pipelines',
      ],
      workloadHours: 150,
      ectsCredits: 6,
      eqfLevel: 5,
      assessmentType: 'portfolio',
      participationForm: 'blended',
      qualityAssurance: 'internal',
      prerequisites: [],
      criteria: 'Earn the three micro-credentials of the Cloud Data Engineering pathway.',
      language: 'en',
      tags: ['data', 'cloud', 'certificate'],
      skills: [],
    },
  },
];

/** The demo pathway: Northwind's certificate, accepting Harbor's cloud credential as one of its three parts. */
export const demoPathwayTitle = 'Cloud Data Engineering';

export type DemoServices = Pick<
  Platform,
  'accounts' | 'catalog' | 'awarding' | 'sharing' | 'review' | 'database' | 'pathways'
>;

export interface DemoSeedOptions {
  /**
   * The password of demo accounts made now (default: the published one, for tests and loopback instances; the
   * server and `demo seed` pass `demoPasswordFor(host)`). When it is not the published one, demo accounts that
   * still have the published password get this one instead, so an instance later bound to a public address
   * never keeps a known password.
   */
  password?: string;
}

export interface DemoSeedResult {
  created: boolean;
  /** Whether demo accounts got a password this run (made, or a published one replaced): print the logins now. */
  passwordsSet: boolean;
  /** `password` is null when it was set on an earlier run (and printed then), and is not known now. */
  logins: { email: string; password: string | null; name: string; organizations: string[]; isAdmin: boolean }[];
  /** The learner's public credential page and profile (absent when the learner withdrew or changed them). */
  publicPages: { credential?: string; profile?: string };
}

/**
 * A demo account that still has the published password keeps it only when `password` is the published one;
 * otherwise it gets `password`, and loses the sessions and tokens anyone may have opened with the published one.
 * Returns the account's password when known (kept or set), else undefined.
 */
async function keepOrReplacePublished(
  { accounts, database }: Pick<DemoServices, 'accounts' | 'database'>,
  email: string,
  userId: string,
  password: string,
): Promise<string | undefined> {
  const published = await accounts.signIn({ email, password: demoPassword }).then(
    () => true,
    () => false,
  );
  if (!published) return undefined;
  if (password === demoPassword) return demoPassword;
  await database.db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password) })
    .where('id', '=', userId)
    .execute();
  await database.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await database.db.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
  return password;
}

/**
 * For an instance bound to a reachable address: demo accounts left with the published password (seeded while it
 * was bound to loopback) get a random one. Returns those accounts with their new password, to print once.
 */
export async function replacePublishedDemoPasswords(
  services: Pick<DemoServices, 'accounts' | 'database'>,
  host: string,
): Promise<{ email: string; password: string }[]> {
  if (isLoopbackHost(host)) return [];
  const password = demoPasswordFor(host);
  const replaced = [];
  for (const account of demoAccounts) {
    const user = await services.accounts.findUserByEmail(account.email);
    if (user && (await keepOrReplacePublished(services, account.email, user.id, password))) {
      replaced.push({ email: account.email, password });
    }
  }
  return replaced;
}

async function signUpDemoUsers(
  services: Pick<DemoServices, 'accounts' | 'database'>,
  password: string,
): Promise<{ created: boolean; replaced: boolean; users: Map<string, string>; passwords: Map<string, string> }> {
  const { accounts } = services;
  const users = new Map<string, string>();
  const passwords = new Map<string, string>();
  let created = false;
  let replaced = false;
  for (const account of demoAccounts) {
    try {
      // The demo's addresses are on the reserved .test domain, which no mail reaches: the seed vouches for them.
      const user = await accounts.signUp({ email: account.email, name: account.name, password }, { vouched: true });
      users.set(account.key, user.id);
      passwords.set(account.key, password);
      created = true;
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      const user = await accounts.findUserByEmail(account.email);
      if (!user) continue;
      // Demo accounts made before emails were confirmed.
      users.set(account.key, (await accounts.markEmailConfirmed(user.id)).id);
      const now = await keepOrReplacePublished(services, account.email, user.id, password);
      if (now) passwords.set(account.key, now);
      if (now && now !== demoPassword) replaced = true;
    }
  }
  return { created, replaced, users, passwords };
}

/** The organization of that name the owner belongs to, made (with the given members) when missing. */
async function ensureOrganization(
  accounts: Accounts,
  ownerId: string,
  name: string,
  members: { email: string; role: 'issuer' | 'assessor' | 'employer' }[],
): Promise<string> {
  const existing = (await accounts.memberships(ownerId)).find((m) => m.org.name === name);
  if (existing) return existing.org.id;
  const org = await accounts.createOrganization(ownerId, { name });
  for (const member of members) await accounts.addMember(ownerId, org.id, member);
  return org.id;
}

/**
 * Seeds the demo: an issuer organization (owner with issuer and assessor roles), a second small issuer with
 * its own owner, an employer organization, a learner and an instance admin. The learner holds a credential from each issuer,
 * one shared on a public page and listed on her public profile, with a few share events behind the
 * issuer's share statistics. Every step looks before it writes, so running it again changes nothing.
 */
export async function seedDemo(services: DemoServices, options: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const { accounts, catalog, awarding, sharing, review, pathways } = services;
  const { created, replaced, users, passwords } = await signUpDemoUsers(services, options.password ?? demoPassword);
  // Granted on every run, so an instance seeded before the admin account existed gets one too.
  await accounts.grantInstanceAdmin(demoAccounts[3].email);
  const publicPages: DemoSeedResult['publicPages'] = {};
  const issuerId = users.get('issuer');
  const employerId = users.get('employer');
  const learnerId = users.get('learner');
  const trainerId = users.get('trainer');
  if (issuerId && employerId && learnerId && trainerId) {
    const issuerEmail = demoAccounts[0].email;
    const orgs = {
      issuer: await ensureOrganization(accounts, issuerId, demoOrganizations.issuer, [
        { email: issuerEmail, role: 'issuer' },
        { email: issuerEmail, role: 'assessor' },
      ]),
      secondIssuer: await ensureOrganization(accounts, trainerId, demoOrganizations.secondIssuer, [
        { email: demoAccounts[4].email, role: 'issuer' },
      ]),
    };
    await ensureOrganization(accounts, employerId, demoOrganizations.employer, [
      { email: demoAccounts[1].email, role: 'employer' },
      // The issuer also recruits for the employer, so the demo shows the organization switcher.
      { email: issuerEmail, role: 'employer' },
    ]);

    const held: string[] = [];
    const achievementIds = new Map<string, string>();
    for (const item of demoMicroCredentials) {
      const orgId = orgs[item.org];
      const existing = (await catalog.list(orgId)).find((r) => r.draft.title === item.definition.title);
      const record = existing ?? (await catalog.create(orgId, item.definition)).record;
      if (record.status === 'draft') await catalog.publish(orgId, record.id);
      achievementIds.set(item.key, record.id);
      if (item.rubric) {
        // Each demo organization's owner (an issuer by right) sets its rubrics.
        const ownerId = item.org === 'issuer' ? issuerId : trainerId;
        const hasRubric = await review.orgRubric(ownerId, orgId, record.id).then(
          () => true,
          (error: unknown) => {
            if (error instanceof DomainError && error.code === 'not-found') return false;
            throw error;
          },
        );
        if (!hasRubric) await review.setRubric(ownerId, orgId, record.id, item.rubric);
      }
      if (item.notHeld) continue;
      // The key makes the award exactly-once: later runs get the first credential back.
      const issued = await awarding.awardByHand({
        orgId,
        achievementId: record.id,
        email: demoAccounts[2].email,
        narrative: 'Awarded for the Skillproof demo.',
        key: item.key,
        issuedBy: item.org === 'issuer' ? issuerId : trainerId,
      });
      held.push(issued.record.id);
    }

    // The pathway, published once: the learner holds two of its three parts.
    const pathwayExists = (await pathways.list(orgs.issuer)).some((p) => p.draft.title === demoPathwayTitle);
    if (!pathwayExists) {
      const component = (key: string, item: string) => ({
        type: 'component',
        key,
        component: { achievementId: achievementIds.get(item)! },
      });
      const { record } = await pathways.create(orgs.issuer, {
        title: demoPathwayTitle,
        description: 'Data analysis and pipelines from Northwind, cloud deployment from Harbor Cloud Academy.',
        destination: achievementIds.get('demo-cloud-data-engineering')!,
        requirements: {
          type: 'allOf',
          of: [
            component('sql', 'demo-learner-sql'),
            component('cloud', 'demo-learner-cloud'),
            component('pipelines', 'demo-learner-pipelines'),
          ],
        },
        prerequisites: [{ before: 'sql', after: 'pipelines' }],
      });
      await pathways.publish(orgs.issuer, record.id);
    }

    // Shared once: a learner who later withdraws the page or changes the profile keeps her choice.
    const sharedId = held[0]!;
    const everShared = (await sharing.mine(learnerId)).some((s) => s.holdingId === sharedId);
    if (!everShared) {
      const share = await sharing.share(learnerId, sharedId);
      for (const kind of ['linkedin-profile', 'copy', 'email'] as const) {
        await sharing.recordAction(learnerId, sharedId, kind);
      }
      // Two visits to the public page, as the page records them.
      for (let i = 0; i < 2; i++) await sharing.publicCredential(share.token, { recordView: true });
    }
    const profile = await sharing.profile(learnerId);
    if (!profile.handle) {
      await sharing
        .saveProfile(learnerId, {
          handle: demoHandle,
          displayName: demoAccounts[2].name,
          enabled: true,
          holdingIds: [sharedId],
        })
        // Someone else may hold the handle on a long-running instance; the demo then goes without a profile.
        .catch((error: unknown) => {
          if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
        });
    }
    const live = await sharing.shareOf(learnerId, sharedId);
    if (live) publicPages.credential = live.url;
    const saved = await sharing.profile(learnerId);
    if (saved.url) publicPages.profile = saved.url;
  }

  const logins = [];
  for (const account of demoAccounts) {
    const userId = users.get(account.key);
    const organizations = userId ? (await accounts.memberships(userId)).map((m) => m.org.name) : [];
    const isAdmin = userId ? await accounts.isInstanceAdmin(userId) : false;
    const password = passwords.get(account.key) ?? null;
    logins.push({ email: account.email, password, name: account.name, organizations, isAdmin });
  }
  return { created, passwordsSet: created || replaced, logins, publicPages };
}

export function formatLogins(result: DemoSeedResult): string {
  const rows = result.logins.map(
    (l) =>
      `  ${l.email.padEnd(32)} ${(l.password ?? '(printed when it was set)').padEnd(28)} ${l.name}${l.organizations.length ? ` (${l.organizations.join(', ')})` : ''}${l.isAdmin ? ' (instance admin)' : ''}`,
  );
  const pages = [
    ...(result.publicPages.credential ? [`  Shared credential: ${result.publicPages.credential}`] : []),
    ...(result.publicPages.profile ? [`  Public profile:    ${result.publicPages.profile}`] : []),
  ];
  const secret = result.logins.some((l) => l.password !== null && l.password !== demoPassword);
  return [
    secret
      ? 'Demo logins (email, password; the password is random and shown only now, so keep it):'
      : 'Demo logins (email, password):',
    ...rows,
    ...(pages.length ? ["Lea Learner's public pages (no login needed):", ...pages] : []),
  ].join('\n');
}
