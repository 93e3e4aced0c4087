import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/accounts/roles.js';
import { grants, roles } from '../../src/accounts/roles.js';
import type { Access } from '../../src/accounts/access.js';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import { generateEd25519KeyPair } from '../../src/vc/multikey.js';
import {
  createOrg,
  createTestApp,
  grantRole,
  signIn,
  signUp,
  testPassword,
  uniqueEmail,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { testBackend } from '../helpers/database.js';
import { confirmEmailByLink, linkTokenFor } from '../helpers/mail.js';
import { itemsCsv } from '../helpers/items.js';
import { solidPng } from '../helpers/images.js';
import { sampleCountJob } from '../helpers/sample-count.js';
import { expectedAccess, type Who } from './expected-access.js';
import { createPathwaysStore } from '../../src/pathways/store.js';
import { preAuthorizedGrant } from '../../src/oid4vci/metadata.js';
import { didKeyWallet, keyProof, offerFor, readyToRequest } from '../helpers/oid4vci.js';
import { allObScopes, bearer, oauthTokens, redirectUri, registerClient } from '../helpers/oauth.js';

/**
 * Walks every route against the expected-access table (expected-access.ts), written apart from the routes'
 * declarations: a route missing from the table, a table entry no route declares, or a declaration that
 * differs from the table fails. Then each route is called as the table says: public routes answer anonymous
 * callers; other routes give anonymous callers 401, signed-in callers without the right 403, and the right
 * caller a 2xx. Every table entry needs a fixture here, so no route escapes the walk.
 */
let t: TestApp;
let orgId: string;
let owner: Client;
let learner: Client;
let outsider: Client;
let admin: Client;
const byRole = new Map<Role, Client>();

beforeAll(async () => {
  t = await createTestApp();
  // A test job, so a job run exists to read (the production app defines no such job).
  t.platform.queue.define(sampleCountJob(t.platform.database.db));
  owner = await signUp(t.app, 'Owner');
  orgId = await createOrg(t.app, owner, 'Walked Org');
  learner = await signUp(t.app, 'Learner');
  outsider = await signUp(t.app, 'Outsider');
  await createOrg(t.app, outsider, 'Other Org');
  for (const role of roles.filter((r) => r !== 'owner')) {
    const member = await signUp(t.app, `Member ${role}`);
    await grantRole(t.app, owner, orgId, member.email, role);
    byRole.set(role, member);
  }
  byRole.set('owner', owner);
  admin = await signUp(t.app, 'Instance Admin');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
  // Six sign-ups with scrypt and a migrated database: more than a minute on a busy machine.
}, 180_000);
afterAll(() => t.close());

interface Call {
  url: string;
  payload?: object;
  /** A CSV upload instead of JSON. */
  csv?: string;
  /** Headers of the request's own (an OpenID4VCI access token). */
  headers?: Record<string, string>;
  /** The answer the right caller gets when it is not a 2xx (a backup of PostgreSQL is pg_dump's job: 409). */
  status?: number;
  /** A form-encoded body (OAuth 2.0 endpoints). */
  form?: string;
  /** Cookies the browser holds besides the session (the OAuth interaction's). */
  cookie?: string;
}
/** A valid request, made for `caller` (the walked org's owner for public and org routes called anonymously). */
type Fixture = (caller: Client) => Promise<Call> | Call;

const credential = () => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Walked',
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://skillproof.test/achievements/walk',
      type: ['Achievement'],
      name: 'Walk',
      description: 'Walks every route.',
      criteria: { narrative: 'Be walked.' },
    },
  },
});

/** A bundled ESCO skill (the test definitions align to it). */
const walkSkill = 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d';

async function draftOne(publish = false): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/achievements`,
    headers: owner.headers,
    payload: sqlDefinition(),
  });
  const id = created.json().id as string;
  if (publish) {
    await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/achievements/${id}/publish`,
      headers: owner.headers,
    });
  }
  return id;
}

const testPolicy = {
  length: 5,
  passMark: 60,
  timeLimitMinutes: 10,
  maxAttempts: 3,
  cooldownHours: 1,
  stratifyBySkill: true,
  maxExposure: 1000,
  poolFactor: 3,
};

/** A published skill-test micro-credential with a deep enough item bank. */
async function testAchievement(): Promise<string> {
  const id = await draftOne(true);
  const base = `/api/orgs/${orgId}/achievements/${id}`;
  await t.app.inject({
    method: 'POST',
    url: `${base}/items/import`,
    headers: owner.headers,
    payload: { format: 'csv', content: itemsCsv(15) },
  });
  await t.app.inject({
    method: 'PUT',
    url: `${base}/test-policy`,
    headers: owner.headers,
    payload: testPolicy,
  });
  return id;
}

// For routes that leave the bank as deep as they found it (an edit adds one item and retires one).
let shared: Promise<string> | undefined;
const sharedTest = () => (shared ??= testAchievement());

async function attemptOf(client: Client): Promise<{ id: string; items: { id: string }[] }> {
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/achievements/${await testAchievement()}/attempts`,
    headers: client.headers,
  });
  return started.json();
}

/** What a VC-API issue request sends: the credential names its issuer, the walk organization's did:web. */
const vcApiCredential = () => ({ ...credential(), issuer: `did:web:skillproof.test:issuers:${orgId}` });
/** The organization's did:key identity now: its active Ed25519 key (keys rotate during the walk). */
async function didKeyOf(org: string): Promise<string> {
  return (await t.platform.keys.didKeySigner(org)).did;
}

async function issuedVc(): Promise<
  Record<string, unknown> & { id: string; credentialStatus: { statusListCredential: string } }
> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/issuers/${orgId}/credentials/issue`,
    headers: owner.headers,
    payload: { credential: vcApiCredential(), options: { statusPurpose: 'suspension' } },
  });
  return response.json().verifiableCredential;
}
const issueOne = async (): Promise<string> => (await issuedVc()).id;

/** A credential issued to `email` by the walked org, as its JSON (not yet in anyone's wallet). */
async function credentialFor(email: string): Promise<Record<string, unknown>> {
  const { issuance, catalog } = t.platform;
  const unsigned = credential();
  const issued = await issuance.issue(
    { orgId, profile: await catalog.issuerProfile(orgId) },
    {
      ...unsigned,
      credentialSubject: { ...unsigned.credentialSubject, identifier: [hashedIdentity(email)] },
    },
  );
  return issued.verifiableCredential as Record<string, unknown>;
}

/** An import in the caller's wallet. */
async function holdingOf(caller: Client): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/me/wallet/import',
    headers: (await signIn(t.app, caller.email)).headers,
    payload: { text: JSON.stringify(await credentialFor(caller.email)) },
  });
  return response.json().holding.id;
}

/** A DID Auth presentation over a fresh challenge of `caller`, signed by a new did:key. */
async function didAuthFor(caller: Client): Promise<Record<string, unknown>> {
  const { challenge, domain } = await t.platform.identities.challenge(caller.userId);
  return presentation(challenge, domain);
}

/** An extra address `caller` asked to add, and the token of the link sent to it. */
async function emailLinkFor(caller: Client): Promise<{ email: string; token: string }> {
  const { email } = await t.platform.identities.requestEmail(caller.userId, caller.email, uniqueEmail('extra'));
  const message = await t.platform.database.db
    .selectFrom('outbox')
    .select('text')
    .where('to_email', '=', email)
    .executeTakeFirstOrThrow();
  return { email, token: /\/identities\/email\/([\w-]+)/.exec(message.text)![1]! };
}

const walkRubric = {
  criteria: [
    {
      id: 'work',
      name: 'Work',
      levels: [
        { name: 'Weak', points: 0 },
        { name: 'Strong', points: 2 },
      ],
    },
  ],
  passPoints: 1,
};

/** A published micro-credential with a rubric, so learners can submit work to it. */
async function reviewedAchievement(): Promise<string> {
  const id = await draftOne(true);
  await t.app.inject({
    method: 'PUT',
    url: `/api/orgs/${orgId}/achievements/${id}/rubric`,
    headers: owner.headers,
    payload: walkRubric,
  });
  return id;
}

/** An open submission by `client` (the walk's learner unless told), with one file. */
async function submissionOf(client: Client = learner): Promise<{ id: string; files: { url: string }[] }> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/achievements/${await reviewedAchievement()}/submissions`,
    headers: client.headers,
    payload: {
      narrative: 'Walked work',
      files: [{ name: 'notes.txt', content: Buffer.from('notes').toString('base64') }],
    },
  });
  return response.json();
}

/** The record id of an issued credential, as the organization's list shows it. */
async function recordOf(credentialId: string): Promise<string> {
  const listed = await t.app.inject({
    method: 'GET',
    url: `/api/orgs/${orgId}/credentials?limit=200`,
    headers: owner.cookie,
  });
  return (listed.json().credentials as { id: string; credentialId: string }[]).find(
    (c) => c.credentialId === credentialId,
  )!.id;
}

let bulkAchievement: string | undefined;
/** A credential issued to `client`, as their wallet holds it. */
async function heldBy(client: Client): Promise<string> {
  const issued = await t.platform.awarding.awardByHand({
    orgId,
    achievementId: (bulkAchievement ??= await draftOne(true)),
    email: client.email,
    issuedBy: owner.userId,
    // The walk awards the same micro-credential to a caller once per route.
    allowDuplicate: true,
  });
  return issued.record.id;
}

/** A holding of `client` with a live public link. */
async function sharedHoldingOf(client: Client): Promise<string> {
  const holdingId = await heldBy(client);
  await t.app.inject({ method: 'POST', url: `/api/me/wallet/${holdingId}/share`, headers: client.headers });
  return holdingId;
}

/** The public page of a credential `client` shared. */
async function sharedPageOf(client: Client): Promise<string> {
  const holdingId = await heldBy(client);
  const url = `/api/me/wallet/${holdingId}/share`;
  return new URL((await t.app.inject({ method: 'POST', url, headers: client.headers })).json().url).pathname;
}

const bulkCsv = async (email = 'walk@example.org') => {
  bulkAchievement ??= await draftOne(true);
  return `email,name,achievement\n${email},Walker,${bulkAchievement}\n`;
};
async function bulkRun(): Promise<string> {
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/bulk-issuance`,
    headers: { ...owner.headers, 'content-type': 'text/csv' },
    payload: await bulkCsv(),
  });
  return started.json().run.id;
}

/** The token of a claim link for a credential held for `email`, as if awarded before their account existed. */
async function claimTokenFor(email: string): Promise<string> {
  const record = (
    await t.platform.awarding.awardByHand({
      orgId,
      achievementId: (bulkAchievement ??= await draftOne(true)),
      email,
      issuedBy: owner.userId,
      allowDuplicate: true,
    })
  ).record;
  await t.platform.bulk.holdForClaim([{ record, email, name: null, uploadId: null }]);
  return (await t.platform.bulk.claimLink(record.id))!.split('/').pop()!;
}

/** A presentation by a new did:key over `challenge` and `domain`, holding no credential. */
function presentation(challenge: string, domain: string): Promise<Record<string, unknown>> {
  const key = generateEd25519KeyPair();
  const did = `did:key:${key.publicKeyMultibase}`;
  return signEddsaRdfc2022(
    { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: did },
    key.privateKey!,
    { verificationMethod: `${did}#${key.publicKeyMultibase}`, proofPurpose: 'authentication', challenge, domain },
  );
}

// The bundled ESCO and O*NET subsets, loaded once when a fixture needs an occupation.
let bundled: Promise<unknown> | undefined;

/** The handle of `client`'s public profile, listing one shared credential. */
async function profileOf(client: Client): Promise<string> {
  const handle = `walked-${client.userId.slice(0, 8)}`;
  const response = await t.app.inject({
    method: 'PUT',
    url: '/api/me/profile',
    headers: client.headers,
    payload: { handle, displayName: 'Walked', enabled: true, holdingIds: [await sharedHoldingOf(client)] },
  });
  if (response.statusCode !== 200) throw new Error(`profile: ${response.body}`);
  return handle;
}

let walkedCandidate: Promise<string> | undefined;
/** A discoverable worker holding a credential aligned to the walk's skill: their candidate id. */
function candidateOf(): Promise<string> {
  return (walkedCandidate ??= (async () => {
    const worker = await signUp(t.app, 'Walked Candidate');
    await heldBy(worker);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/me/talent',
      headers: worker.headers,
      payload: { discoverable: true, headline: 'Walks routes' },
    });
    if (put.statusCode !== 200) throw new Error(`talent: ${put.body}`);
    const preview = await t.app.inject({ method: 'GET', url: '/api/me/talent/preview', headers: worker.cookie });
    return preview.json().blind.candidateId as string;
  })());
}

/** A job of the walked organization asking for the walk's skill. */
async function walkedJob(): Promise<string> {
  await (bundled ??= t.platform.skills.loadBundled());
  const job = await t.platform.hiring.createJob(orgId, owner.userId, {
    title: 'Walked job',
    kind: 'job',
    status: 'open',
    skills: [{ skill: walkSkill, weight: 3 }],
  });
  return job.id;
}
let staffable: Promise<string> | undefined;
/** A project of the walked organization asking for the walk's skill, and an available candidate with a day rate. */
async function walkedProject(): Promise<string> {
  await (bundled ??= t.platform.skills.loadBundled());
  await (staffable ??= (async () => {
    const worker = await signUp(t.app, 'Walked Team Member');
    await heldBy(worker);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/me/talent',
      headers: worker.headers,
      payload: { discoverable: true, dayRate: 500 },
    });
    if (put.statusCode !== 200) throw new Error(`talent: ${put.body}`);
    return worker.userId;
  })());
  const job = await t.platform.hiring.createJob(orgId, owner.userId, {
    title: 'Walked project',
    kind: 'project',
    status: 'open',
    skills: [{ skill: walkSkill, weight: 3, required: true }],
  });
  return job.id;
}

/** A sharing experiment's id (any: stopping one twice and reading an unready one both answer). */
async function walkedExperiment(): Promise<string> {
  const [known] = await t.platform.analytics.experiments();
  if (known) return known.id;
  return (await t.platform.analytics.startExperiment({ name: 'Walked', baselineRate: 0.2, effect: 0.1 }, admin.userId))
    .id;
}
const walkedJobBody = { title: 'Walked job', kind: 'job', skills: [{ skill: walkSkill, weight: 3 }] };

// A valid request per route, made fresh for each caller (so deletes have something to delete).
const fixtures: Record<string, Fixture> = {
  // Public routes: each is called anonymously and must answer.
  'GET /openapi.json': () => ({ url: '/openapi.json' }),
  'GET /healthz': () => ({ url: '/healthz' }),
  'GET /readyz': () => ({ url: '/readyz' }),
  'POST /api/auth/sign-up': () => ({
    url: '/api/auth/sign-up',
    payload: { email: uniqueEmail('walk'), name: 'Walker', password: testPassword },
  }),
  'POST /api/auth/sign-in': (caller) => ({
    url: '/api/auth/sign-in',
    payload: { email: caller.email, password: testPassword },
  }),
  'GET /.well-known/did.json': () => ({ url: '/.well-known/did.json' }),
  'GET /issuers/:orgId/did.json': () => ({ url: `/issuers/${orgId}/did.json` }),
  'GET /status-lists/:listId/did-key/:fragment': async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/issuers/${orgId}/credentials/issue`,
      headers: owner.headers,
      payload: {
        credential: { ...credential(), issuer: await didKeyOf(orgId) },
        options: { statusPurpose: 'suspension', identity: 'did:key' },
      },
    });
    if (response.statusCode !== 201) throw new Error(response.body);
    const status = [response.json().verifiableCredential.credentialStatus].flat()[0];
    return { url: new URL(status.statusListCredential).pathname };
  },
  'GET /status-lists/:listId': async () => ({
    url: new URL((await issuedVc()).credentialStatus.statusListCredential).pathname,
  }),
  'POST /credentials/verify': async () => ({
    url: '/credentials/verify',
    payload: { verifiableCredential: await issuedVc() },
  }),
  'POST /presentations/verify': async () => ({
    url: '/presentations/verify',
    payload: {
      verifiablePresentation: await presentation('walk-challenge', 'skillproof.test'),
      options: { challenge: 'walk-challenge', domain: 'skillproof.test' },
    },
  }),
  'POST /api/verify': async () => ({ url: '/api/verify', payload: { text: JSON.stringify(await issuedVc()) } }),
  'POST /api/verify/batch': async () => ({
    url: '/api/verify/batch',
    payload: { items: [{ text: JSON.stringify(await issuedVc()) }] },
  }),
  'GET /api/trust/issuers': () => ({ url: '/api/trust/issuers' }),
  'GET /api/catalog': () => ({ url: '/api/catalog' }),
  'GET /api/catalog/:achievementId': async () => ({ url: `/api/catalog/${await draftOne(true)}` }),
  'GET /achievements/:achievementId/versions/:version': async () => ({
    url: `/achievements/${await draftOne(true)}/versions/1`,
  }),
  'GET /api/skills/frameworks': () => ({ url: '/api/skills/frameworks' }),
  'GET /api/skills': () => ({ url: '/api/skills?q=data' }),
  'GET /api/occupations': () => ({ url: '/api/occupations?q=data' }),
  'GET /api/occupations/:occupationId': async () => {
    await (bundled ??= t.platform.skills.loadBundled());
    const listed = await t.app.inject({ method: 'GET', url: '/api/occupations?q=security&limit=1' });
    return { url: `/api/occupations/${encodeURIComponent(listed.json().occupations[0].id)}` };
  },
  'POST /api/advice/plan': async () => {
    await (bundled ??= t.platform.skills.loadBundled());
    return { url: '/api/advice/plan', payload: { target: { skills: [walkSkill] }, held: [] } };
  },
  'POST /api/advice/occupations': async () => {
    await (bundled ??= t.platform.skills.loadBundled());
    return { url: '/api/advice/occupations', payload: { held: [walkSkill], limit: 1 } };
  },
  'GET /api/advice/achievements/:achievementId/roles': async () => {
    await (bundled ??= t.platform.skills.loadBundled());
    return { url: `/api/advice/achievements/${await draftOne(true)}/roles?limit=1` };
  },
  'GET /api/achievements/:achievementId/test': async () => ({
    url: `/api/achievements/${await sharedTest()}/test`,
  }),
  'GET /c/:token': async (caller) => ({ url: await sharedPageOf(caller) }),
  'GET /c/:token/credential': async (caller) => ({ url: `${await sharedPageOf(caller)}/credential` }),
  'GET /c/:token/embed': async (caller) => ({ url: `${await sharedPageOf(caller)}/embed` }),
  'GET /u/:handle': async (caller) => ({ url: `/u/${await profileOf(caller)}` }),

  // Routes for signed-in callers.
  'POST /api/orgs/:orgId/bulk-issuance/preview': async () => ({
    url: `/api/orgs/${orgId}/bulk-issuance/preview`,
    csv: await bulkCsv(),
  }),
  'POST /api/orgs/:orgId/bulk-issuance': async () => ({
    url: `/api/orgs/${orgId}/bulk-issuance`,
    csv: await bulkCsv(`walk-${Math.random()}@example.org`),
  }),
  'GET /api/orgs/:orgId/bulk-issuance': () => ({ url: `/api/orgs/${orgId}/bulk-issuance` }),
  'GET /api/orgs/:orgId/bulk-issuance/:runId': async () => ({
    url: `/api/orgs/${orgId}/bulk-issuance/${await bulkRun()}`,
  }),
  'GET /api/orgs/:orgId/bulk-issuance/:runId/errors.csv': async () => ({
    url: `/api/orgs/${orgId}/bulk-issuance/${await bulkRun()}/errors.csv`,
  }),
  'GET /api/orgs/:orgId/bulk-issuance/:runId/claims.csv': async () => ({
    url: `/api/orgs/${orgId}/bulk-issuance/${await bulkRun()}/claims.csv`,
  }),
  'GET /api/orgs/:orgId/outbox': () => ({ url: `/api/orgs/${orgId}/outbox` }),
  'GET /api/claims/:token': async (caller) => ({ url: `/api/claims/${await claimTokenFor(caller.email)}` }),
  'POST /api/claims/:token': async (caller) => {
    if (!(await t.platform.accounts.getUser(caller.userId)).emailConfirmed) {
      await t.platform.accounts.resendConfirmation(caller.userId);
      await confirmEmailByLink(t.platform, caller.email);
    }
    // A credential held for the caller's email, as if awarded before their account existed.
    const record = (
      await t.platform.awarding.awardByHand({
        orgId,
        achievementId: (bulkAchievement ??= await draftOne(true)),
        email: caller.email,
        issuedBy: owner.userId,
        allowDuplicate: true,
      })
    ).record;
    await t.platform.bulk.holdForClaim([{ record, email: caller.email, name: null, uploadId: null }]);
    return { url: `/api/claims/${(await t.platform.bulk.claimLink(record.id))!.split('/').pop()}` };
  },
  'POST /api/me/email/confirmation': async (caller) => {
    // Only an unconfirmed email gets a new link; the claim fixture confirms it again by that link. Anonymous
    // calls are made with the owner's fixture, whose email stays confirmed.
    if (caller !== learner) return { url: '/api/me/email/confirmation' };
    await t.platform.database.db
      .updateTable('users')
      .set({ email_confirmed_at: null })
      .where('id', '=', caller.userId)
      .execute();
    return { url: '/api/me/email/confirmation' };
  },
  'GET /api/me/account': () => ({ url: '/api/me/account' }),
  // The same password again: the walk signs in with it afterwards.
  'POST /api/me/password': () => ({
    url: '/api/me/password',
    payload: { currentPassword: testPassword, newPassword: testPassword },
  }),
  'POST /api/me/email': async (caller) => {
    // The password change just before ended the caller's other sessions, the one later fixtures use among
    // them: give the caller a live one again.
    Object.assign(caller, await signIn(t.app, caller.email));
    return {
      url: '/api/me/email',
      payload: { email: `walk-${Math.random()}@example.org`, currentPassword: testPassword },
    };
  },
  'GET /api/admin/outbox': () => ({ url: '/api/admin/outbox?state=dead' }),
  'GET /api/admin/audit': () => ({ url: '/api/admin/audit?limit=5' }),
  'GET /api/admin/backup': () => ({ url: '/api/admin/backup', ...(testBackend === 'postgres' ? { status: 409 } : {}) }),
  'GET /api/admin/audit.csv': () => ({ url: '/api/admin/audit.csv?action=credential.' }),
  'GET /api/orgs/:orgId/audit': () => ({ url: `/api/orgs/${orgId}/audit?limit=5` }),
  'GET /api/orgs/:orgId/audit.csv': () => ({ url: `/api/orgs/${orgId}/audit.csv` }),
  'POST /api/admin/outbox/:messageId/retry': async () => {
    const id = randomUUID();
    await t.platform.database.db
      .insertInto('outbox')
      .values({
        id,
        org_id: null,
        to_email: 'dead@example.org',
        subject: 'Walk',
        text: 'Walk',
        claim_id: null,
        state: 'dead',
      })
      .execute();
    return { url: `/api/admin/outbox/${id}/retry` };
  },
  'POST /api/auth/confirm-email': async () => {
    const email = `walk-confirm-${Math.random()}@example.org`;
    await signUp(t.app, 'Walk Confirm', email, { confirm: false });
    return {
      url: '/api/auth/confirm-email',
      payload: { token: await linkTokenFor(t.platform, email, 'confirm-email') },
    };
  },
  'POST /api/auth/password-reset': () => ({
    url: '/api/auth/password-reset',
    payload: { email: `walk-reset-${Math.random()}@example.org` },
  }),
  'POST /api/auth/password-reset/confirm': async () => {
    const email = `walk-reset-${Math.random()}@example.org`;
    await signUp(t.app, 'Walk Reset', email);
    await t.platform.accounts.requestPasswordReset(email);
    return {
      url: '/api/auth/password-reset/confirm',
      payload: { token: await linkTokenFor(t.platform, email, 'reset-password'), password: testPassword },
    };
  },
  'GET /api/session/current': () => ({ url: '/api/session/current' }),
  'POST /api/auth/sign-out': () => ({ url: '/api/auth/sign-out' }),
  'GET /api/session': () => ({ url: '/api/session' }),
  'GET /api/tokens': () => ({ url: '/api/tokens' }),
  'POST /api/tokens': () => ({ url: '/api/tokens', payload: { name: 'walk', scopes: ['read'] } }),
  'DELETE /api/tokens/:tokenId': async (caller) => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: caller.headers,
      payload: { name: 'to revoke', scopes: ['read'] },
    });
    return { url: `/api/tokens/${created.json().record.id}` };
  },
  'POST /api/orgs': () => ({ url: '/api/orgs', payload: { name: 'Walk Org' } }),
  'GET /api/orgs/:orgId': () => ({ url: `/api/orgs/${orgId}` }),
  'GET /api/orgs/:orgId/members': () => ({ url: `/api/orgs/${orgId}/members` }),
  'POST /api/orgs/:orgId/members': () => ({
    url: `/api/orgs/${orgId}/members`,
    payload: { email: learner.email, role: 'employer' },
  }),
  'DELETE /api/orgs/:orgId/members/:userId/roles/:role': async () => {
    const victim = await signUp(t.app, 'Victim');
    await grantRole(t.app, owner, orgId, victim.email, 'assessor');
    return { url: `/api/orgs/${orgId}/members/${victim.userId}/roles/assessor` };
  },
  'GET /api/orgs/:orgId/keys': () => ({ url: `/api/orgs/${orgId}/keys` }),
  'POST /api/orgs/:orgId/keys/rotate': () => ({
    url: `/api/orgs/${orgId}/keys/rotate`,
    payload: { algorithm: 'Ed25519' },
  }),
  'POST /api/orgs/:orgId/keys/:keyId/retire': async () => {
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/keys/rotate`,
      headers: owner.headers,
      payload: { algorithm: 'RSA' },
    });
    return { url: `/api/orgs/${orgId}/keys/${rotated.json().id}/retire` };
  },
  'GET /api/orgs/:orgId/credentials': () => ({ url: `/api/orgs/${orgId}/credentials` }),
  'POST /api/orgs/:orgId/credentials/:credentialId/revoke': async () => ({
    url: `/api/orgs/${orgId}/credentials/${await recordOf(await issueOne())}/revoke`,
    payload: { reason: 'Walked' },
  }),
  'POST /api/orgs/:orgId/credentials/:credentialId/suspend': async () => ({
    url: `/api/orgs/${orgId}/credentials/${await recordOf(await issueOne())}/suspend`,
  }),
  'POST /api/orgs/:orgId/credentials/:credentialId/unsuspend': async () => {
    const id = await recordOf(await issueOne());
    await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/credentials/${id}/suspend`,
      headers: owner.headers,
    });
    return { url: `/api/orgs/${orgId}/credentials/${id}/unsuspend` };
  },
  'GET /api/orgs/:orgId/profile': () => ({ url: `/api/orgs/${orgId}/profile` }),
  'GET /api/me/credentials': () => ({ url: '/api/me/credentials' }),
  'GET /api/me/wallet/:holdingId/export/:format': async (caller) => ({
    url: `/api/me/wallet/${await heldBy(caller)}/export/png`,
  }),
  'GET /api/me/wallet/export.zip': () => ({ url: '/api/me/wallet/export.zip' }),
  'POST /api/me/wallet/transcript': async (caller) => ({
    url: '/api/me/wallet/transcript',
    payload: { holdingIds: [await heldBy(caller)] },
  }),
  'GET /api/me/identities': () => ({ url: '/api/me/identities' }),
  'POST /api/me/identities/did/challenge': () => ({ url: '/api/me/identities/did/challenge' }),
  'POST /api/me/identities/did': async (caller) => ({
    url: '/api/me/identities/did',
    payload: { presentation: await didAuthFor(caller) },
  }),
  'DELETE /api/me/identities/did/:did': async (caller) => {
    const linked = await t.platform.identities.linkDid(caller.userId, await didAuthFor(caller));
    return { url: `/api/me/identities/did/${linked.did}` };
  },
  'POST /api/me/identities/email': () => ({
    url: '/api/me/identities/email',
    payload: { email: uniqueEmail('extra') },
  }),
  'POST /api/identities/email/:token': async (caller) => ({
    url: `/api/identities/email/${(await emailLinkFor(caller)).token}`,
  }),
  'DELETE /api/me/identities/email/:email': async (caller) => {
    const { email, token } = await emailLinkFor(caller);
    await t.platform.identities.confirmEmail(caller.userId, token);
    return { url: `/api/me/identities/email/${email}` };
  },
  'GET /api/me/wallet': () => ({ url: '/api/me/wallet' }),
  'GET /api/me/wallet/:holdingId': async (caller) => ({ url: `/api/me/wallet/${await holdingOf(caller)}` }),
  'POST /api/me/wallet/import': async (caller) => ({
    url: '/api/me/wallet/import',
    payload: { text: JSON.stringify(await credentialFor(caller.email)) },
  }),
  'DELETE /api/me/wallet/:holdingId': async (caller) => ({ url: `/api/me/wallet/${await holdingOf(caller)}` }),
  'POST /api/me/wallet/:holdingId/share': async (caller) => ({
    url: `/api/me/wallet/${await heldBy(caller)}/share`,
  }),
  'GET /api/me/wallet/:holdingId/share': async (caller) => ({
    url: `/api/me/wallet/${await heldBy(caller)}/share`,
  }),
  'DELETE /api/me/wallet/:holdingId/share': async (caller) => ({
    url: `/api/me/wallet/${await sharedHoldingOf(caller)}/share`,
  }),
  'POST /api/me/wallet/:holdingId/share-events': async (caller) => ({
    url: `/api/me/wallet/${await heldBy(caller)}/share-events`,
    payload: { kind: 'copy' },
  }),
  'GET /api/me/wallet/:holdingId/certificate.pdf': async (caller) => {
    // The certificate's QR code opens the public page: the holding is shared first, on purpose.
    const holding = await heldBy(caller);
    const shared = await t.app.inject({
      method: 'POST',
      url: `/api/me/wallet/${holding}/share`,
      headers: (await signIn(t.app, caller.email)).headers,
    });
    if (shared.statusCode >= 300) throw new Error(`sharing failed: ${shared.statusCode} ${shared.body}`);
    return { url: `/api/me/wallet/${holding}/certificate.pdf` };
  },
  'GET /api/me/sharing': () => ({ url: '/api/me/sharing' }),
  'POST /api/me/advice/plan': async () => {
    await (bundled ??= t.platform.skills.loadBundled());
    return { url: '/api/me/advice/plan', payload: { target: { skills: [walkSkill] } } };
  },
  'GET /api/me/advice/skills': () => ({ url: '/api/me/advice/skills' }),
  'GET /api/me/outcomes': () => ({ url: '/api/me/outcomes' }),
  'POST /api/me/outcomes': () => ({ url: '/api/me/outcomes', payload: { date: '2026-01-05', kind: 'job-start' } }),
  'PUT /api/me/analytics/consent': () => ({ url: '/api/me/analytics/consent', payload: { studied: true } }),
  'POST /api/admin/analytics/outcomes': (caller) => ({
    url: '/api/admin/analytics/outcomes',
    payload: { csv: `worker,date,kind,value\n${caller.email},2026-01-05,earnings,1\n` },
  }),
  'GET /api/admin/analytics/sample-size': () => ({
    url: '/api/admin/analytics/sample-size?baselineRate=0.2&effect=0.05',
  }),
  'GET /api/admin/analytics/experiments': () => ({ url: '/api/admin/analytics/experiments' }),
  'POST /api/admin/analytics/experiments': async () => {
    for (const running of (await t.platform.analytics.experiments()).filter((e) => !e.stoppedAt)) {
      await t.platform.analytics.stopExperiment(running.id);
    }
    return { url: '/api/admin/analytics/experiments', payload: { name: 'Walk', baselineRate: 0.2, effect: 0.1 } };
  },
  'POST /api/admin/analytics/experiments/:id/stop': async () => ({
    url: `/api/admin/analytics/experiments/${await walkedExperiment()}/stop`,
  }),
  'GET /api/admin/analytics/experiments/:id/report': async () => ({
    url: `/api/admin/analytics/experiments/${await walkedExperiment()}/report`,
  }),
  'GET /api/admin/analytics/event-study.svg': () => ({
    url: '/api/admin/analytics/event-study.svg?outcome=projects',
  }),
  'GET /api/admin/analytics/event-study.csv': () => ({
    url: '/api/admin/analytics/event-study.csv?outcome=log-earnings&dynamic=true',
  }),
  'GET /api/orgs/:orgId/analytics/event-study.svg': () => ({
    url: `/api/orgs/${orgId}/analytics/event-study.svg?outcome=project-value`,
  }),
  'GET /api/orgs/:orgId/analytics/event-study.csv': () => ({
    url: `/api/orgs/${orgId}/analytics/event-study.csv?outcome=projects`,
  }),
  'GET /api/admin/analytics/experiments/:id/report.svg': async () => ({
    url: `/api/admin/analytics/experiments/${await walkedExperiment()}/report.svg`,
  }),
  'GET /api/admin/analytics/experiments/:id/report.csv': async () => ({
    url: `/api/admin/analytics/experiments/${await walkedExperiment()}/report.csv`,
  }),
  'POST /api/me/share-nudge': async (caller) => ({
    url: '/api/me/share-nudge',
    payload: { holdingId: await heldBy(caller), surface: 'dashboard' },
  }),
  'POST /api/admin/analytics/event-study': () => ({
    url: '/api/admin/analytics/event-study',
    payload: { outcome: 'log-earnings' },
  }),
  'GET /api/me/advice/occupations': () => ({ url: '/api/me/advice/occupations?limit=1' }),
  'GET /api/me/profile': () => ({ url: '/api/me/profile' }),
  'PUT /api/me/profile': () => ({
    url: '/api/me/profile',
    payload: { handle: 'walked-learner', displayName: 'Walked', enabled: false, holdingIds: [] },
  }),
  'GET /api/me/reminders': () => ({ url: '/api/me/reminders' }),
  'POST /api/me/reminders/:holdingId/dismiss': async (caller) => ({
    url: `/api/me/reminders/${await heldBy(caller)}/dismiss`,
  }),
  'GET /api/orgs/:orgId/share-stats': () => ({ url: `/api/orgs/${orgId}/share-stats` }),
  'POST /api/orgs/:orgId/achievements/:achievementId/awards': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne(true)}/awards`,
    payload: { email: 'walked@example.org' },
  }),
  'GET /api/orgs/:orgId/achievements/:achievementId/items': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}/items`,
  }),
  'POST /api/orgs/:orgId/achievements/:achievementId/items': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}/items`,
    payload: { items: [{ stem: 'Q?', options: ['x', 'y'], correct: [0], skills: [], difficulty: 1 }] },
  }),
  'POST /api/orgs/:orgId/achievements/:achievementId/items/import': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}/items/import`,
    payload: { format: 'csv', content: itemsCsv(2) },
  }),
  'GET /api/orgs/:orgId/achievements/:achievementId/items/statistics': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}/items/statistics`,
  }),
  'GET /api/orgs/:orgId/achievements/:achievementId/items/export': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}/items/export`,
  }),
  'POST /api/orgs/:orgId/achievements/:achievementId/items/:itemId/retire': async () => {
    const id = await testAchievement();
    const items = await t.app.inject({
      method: 'GET',
      url: `/api/orgs/${orgId}/achievements/${id}/items`,
      headers: owner.cookie,
    });
    return { url: `/api/orgs/${orgId}/achievements/${id}/items/${items.json().items[0].id}/retire` };
  },
  'PUT /api/orgs/:orgId/achievements/:achievementId/items/:itemId': async () => {
    const id = await sharedTest();
    const items = await t.app.inject({
      method: 'GET',
      url: `/api/orgs/${orgId}/achievements/${id}/items`,
      headers: owner.headers,
    });
    return {
      url: `/api/orgs/${orgId}/achievements/${id}/items/${items.json().items[0].id}`,
      payload: { stem: 'Edited', options: ['a', 'b'], correct: [1], skills: [], difficulty: 2 },
    };
  },
  'GET /api/orgs/:orgId/achievements/:achievementId/test-preview': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await sharedTest()}/test-preview`,
  }),
  'PUT /api/orgs/:orgId/achievements/:achievementId/test-policy': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}/test-policy`,
    payload: testPolicy,
  }),
  'POST /api/achievements/:achievementId/attempts': async () => ({
    url: `/api/achievements/${await testAchievement()}/attempts`,
  }),
  'GET /api/attempts/:attemptId': async (caller) => ({ url: `/api/attempts/${(await attemptOf(caller)).id}` }),
  'PUT /api/attempts/:attemptId/answers/:itemId': async (caller) => {
    const attempt = await attemptOf(caller);
    return { url: `/api/attempts/${attempt.id}/answers/${attempt.items[0]!.id}`, payload: { chosen: ['a'] } };
  },
  'POST /api/attempts/:attemptId/events': async (caller) => ({
    url: `/api/attempts/${(await attemptOf(caller)).id}/events`,
    payload: { type: 'paste' },
  }),
  'POST /api/attempts/:attemptId/submit': async (caller) => ({
    url: `/api/attempts/${(await attemptOf(caller)).id}/submit`,
  }),
  'POST /api/orgs/:orgId/skills/import': () => ({
    url: `/api/orgs/${orgId}/skills/import`,
    payload: { framework: 'Walk Skills', format: 'json', content: '[{"code":"W-1","name":"Walking"}]' },
  }),
  'PUT /api/orgs/:orgId/profile': () => ({ url: `/api/orgs/${orgId}/profile`, payload: { country: 'PT' } }),
  'GET /api/orgs/:orgId/achievements': () => ({ url: `/api/orgs/${orgId}/achievements` }),
  'POST /api/orgs/:orgId/achievements': () => ({ url: `/api/orgs/${orgId}/achievements`, payload: sqlDefinition() }),
  'GET /api/orgs/:orgId/achievements/:achievementId': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}`,
  }),
  'PUT /api/orgs/:orgId/achievements/:achievementId': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}`,
    payload: sqlDefinition({ title: 'Edited' }),
  }),
  'POST /api/orgs/:orgId/achievements/:achievementId/publish': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}/publish`,
  }),
  'POST /api/orgs/:orgId/achievements/:achievementId/retire': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne(true)}/retire`,
  }),
  'POST /issuers/:orgId/credentials/issue': () => ({
    url: `/issuers/${orgId}/credentials/issue`,
    payload: { credential: vcApiCredential() },
  }),
  'POST /credentials/issue': () => ({ url: '/credentials/issue', payload: { credential: vcApiCredential() } }),
  'POST /credentials/status': async () => ({
    url: '/credentials/status',
    payload: {
      credentialId: await issueOne(),
      credentialStatus: [{ statusPurpose: 'suspension', status: 'suspended' }],
    },
  }),
  'PUT /api/orgs/:orgId/achievements/:achievementId/rubric': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await draftOne()}/rubric`,
    payload: walkRubric,
  }),
  'GET /api/orgs/:orgId/achievements/:achievementId/rubric': async () => ({
    url: `/api/orgs/${orgId}/achievements/${await reviewedAchievement()}/rubric`,
  }),
  'GET /api/achievements/:achievementId/rubric': async () => ({
    url: `/api/achievements/${await reviewedAchievement()}/rubric`,
  }),
  'POST /api/achievements/:achievementId/submissions': async () => ({
    url: `/api/achievements/${await reviewedAchievement()}/submissions`,
    payload: { narrative: 'Walked work', links: ['https://example.org/work'] },
  }),
  'GET /api/me/submissions': () => ({ url: '/api/me/submissions' }),
  'GET /api/submissions/:submissionId/files/:fileId': async (caller) => ({
    url: (await submissionOf(caller)).files[0]!.url,
  }),
  'GET /api/orgs/:orgId/reviews': () => ({ url: `/api/orgs/${orgId}/reviews` }),
  'GET /api/orgs/:orgId/submissions/:submissionId': async () => ({
    url: `/api/orgs/${orgId}/submissions/${(await submissionOf()).id}`,
  }),
  'POST /api/orgs/:orgId/submissions/:submissionId/accept': async () => ({
    url: `/api/orgs/${orgId}/submissions/${(await submissionOf()).id}/accept`,
    payload: { scores: [{ criterionId: 'work', points: 2 }] },
  }),
  'POST /api/orgs/:orgId/submissions/:submissionId/return': async () => ({
    url: `/api/orgs/${orgId}/submissions/${(await submissionOf()).id}/return`,
    payload: { feedback: 'More, please.' },
  }),
  'GET /api/admin/trust-registries': () => ({ url: '/api/admin/trust-registries' }),
  'POST /api/admin/trust-registries': () => ({
    url: '/api/admin/trust-registries',
    payload: { name: 'Walked Registry', registry: { registry: { 'did:web:walk.example': { name: 'Walk' } } } },
  }),
  'DELETE /api/admin/trust-registries/:name': async () => {
    const name = `Walked ${Math.random()}`;
    await t.platform.trust.importRegistry(name, { registry: { 'did:web:walk.example': { name: 'Walk' } } }, null);
    return { url: `/api/admin/trust-registries/${encodeURIComponent(name)}` };
  },
  'GET /api/me/talent': () => ({ url: '/api/me/talent' }),
  'PUT /api/me/talent': () => ({ url: '/api/me/talent', payload: { discoverable: false, headline: 'Walked' } }),
  'GET /api/me/talent/preview': () => ({ url: '/api/me/talent/preview' }),
  'GET /api/orgs/:orgId/jobs': () => ({ url: `/api/orgs/${orgId}/jobs` }),
  'POST /api/orgs/:orgId/jobs': async () => {
    await (bundled ??= t.platform.skills.loadBundled());
    return { url: `/api/orgs/${orgId}/jobs`, payload: walkedJobBody };
  },
  'GET /api/orgs/:orgId/jobs/:jobId': async () => ({ url: `/api/orgs/${orgId}/jobs/${await walkedJob()}` }),
  'PUT /api/orgs/:orgId/jobs/:jobId': async () => ({
    url: `/api/orgs/${orgId}/jobs/${await walkedJob()}`,
    payload: { ...walkedJobBody, status: 'open' },
  }),
  'DELETE /api/orgs/:orgId/jobs/:jobId': async () => ({ url: `/api/orgs/${orgId}/jobs/${await walkedJob()}` }),
  'GET /api/orgs/:orgId/jobs/:jobId/candidates': async () => ({
    url: `/api/orgs/${orgId}/jobs/${await walkedJob()}/candidates?limit=5`,
  }),
  'GET /api/orgs/:orgId/jobs/:jobId/candidates/:candidateId': async () => ({
    url: `/api/orgs/${orgId}/jobs/${await walkedJob()}/candidates/${await candidateOf()}`,
  }),
  'POST /api/orgs/:orgId/jobs/:jobId/candidates/:candidateId/reveal': async () => ({
    url: `/api/orgs/${orgId}/jobs/${await walkedJob()}/candidates/${await candidateOf()}/reveal`,
  }),
  'GET /api/jobs': () => ({ url: '/api/jobs?q=walk&limit=5' }),
  'GET /api/jobs/:jobId/posting': async () => ({ url: `/api/jobs/${await walkedJob()}/posting` }),
  'POST /api/orgs/:orgId/engagements': async () => {
    await (bundled ??= t.platform.skills.loadBundled());
    return {
      url: `/api/orgs/${orgId}/engagements`,
      payload: {
        worker: learner.email,
        role: 'Walked analyst',
        from: '2026-01-05',
        until: '2026-06-30',
        skills: [walkSkill],
        ratings: { communication: 90, timeliness: 80, reliability: 85 },
        reference: { comment: 'Walks every route on time.' },
      },
    };
  },
  'GET /api/admin/trust-registry-sources': () => ({ url: '/api/admin/trust-registry-sources' }),
  'PUT /api/admin/trust-registry-sources/:name': () => ({
    url: `/api/admin/trust-registry-sources/${encodeURIComponent(`Walked source ${Math.random()}`)}`,
    payload: { url: 'https://registry.example/registry.json', intervalMinutes: 60 },
  }),
  'POST /api/admin/trust-registry-sources/:name/refresh': async () => {
    const name = `Walked source ${Math.random()}`;
    await t.platform.trustRefresh.setSource(name, { url: 'https://registry.example/registry.json' }, null);
    return { url: `/api/admin/trust-registry-sources/${encodeURIComponent(name)}/refresh` };
  },
  'DELETE /api/admin/trust-registry-sources/:name': async () => {
    const name = `Walked source ${Math.random()}`;
    await t.platform.trustRefresh.setSource(name, { url: 'https://registry.example/registry.json' }, null);
    return { url: `/api/admin/trust-registry-sources/${encodeURIComponent(name)}` };
  },
  'GET /api/jobs/:jobId': async (caller) => {
    const { run } = await t.platform.queue.enqueue(
      'sample.count',
      { count: 1 },
      { key: `walk-${Math.random()}`, userId: caller.userId },
    );
    return { url: `/api/jobs/${run.id}` };
  },

  // Pathways
  'GET /api/orgs/:orgId/pathways': () => ({ url: `/api/orgs/${orgId}/pathways` }),
  'POST /api/orgs/:orgId/pathways': async () => ({ url: `/api/orgs/${orgId}/pathways`, payload: await pathwayBody() }),
  'POST /api/orgs/:orgId/pathways/check': async () => ({
    url: `/api/orgs/${orgId}/pathways/check`,
    payload: await pathwayBody(),
  }),
  'GET /api/orgs/:orgId/pathways/:pathwayId': async () => ({
    url: `/api/orgs/${orgId}/pathways/${await pathwayOne()}`,
  }),
  'PUT /api/orgs/:orgId/pathways/:pathwayId': async () => ({
    url: `/api/orgs/${orgId}/pathways/${await pathwayOne()}`,
    payload: await pathwayBody(),
  }),
  'POST /api/orgs/:orgId/pathways/:pathwayId/publish': async () => ({
    url: `/api/orgs/${orgId}/pathways/${await pathwayOne()}/publish`,
  }),
  'POST /api/orgs/:orgId/pathways/:pathwayId/retire': async () => ({
    url: `/api/orgs/${orgId}/pathways/${await pathwayOne(true)}/retire`,
  }),
  'GET /api/orgs/:orgId/pathways/:pathwayId/flags': async () => ({
    url: `/api/orgs/${orgId}/pathways/${await pathwayOne()}/flags`,
  }),
  'POST /api/orgs/:orgId/pathways/:pathwayId/flags/:flagId/decision': async () => {
    const { pathwayId, flagId } = await pathwayFlag();
    return { url: `/api/orgs/${orgId}/pathways/${pathwayId}/flags/${flagId}/decision`, payload: { decision: 'keep' } };
  },
  'GET /api/me/pathways': () => ({ url: '/api/me/pathways' }),
  'GET /api/me/pathways/:pathwayId': async () => ({ url: `/api/me/pathways/${await pathwayOne(true)}` }),
  'GET /api/me/pathways/:pathwayId/clr': async (caller) => ({
    url: `/api/me/pathways/${await pathwayAwardedTo(caller)}/clr`,
  }),
  'POST /api/orgs/:orgId/badge-images': () => ({
    url: `/api/orgs/${orgId}/badge-images`,
    payload: { data: Buffer.from(solidPng(64, 64)).toString('base64') },
  }),
  'GET /badge-images/:imageId': async () => ({
    url: `/badge-images/${(await t.platform.catalog.uploadBadge(orgId, solidPng(64, 64))).id}`,
  }),
  'GET /achievements/:achievementId/badge.svg': async () => ({
    url: `/achievements/${await draftOne(true)}/badge.svg`,
  }),
  'GET /api/catalog/:achievementId/elm': async () => ({ url: `/api/catalog/${await draftOne(true)}/elm` }),
  'GET /api/me/wallet/:holdingId/elm': async (caller) => ({ url: `/api/me/wallet/${await holdingOf(caller)}/elm` }),
  'GET /api/me/pathways/:pathwayId/elm': async (caller) => ({
    url: `/api/me/pathways/${await pathwayAwardedTo(caller)}/elm`,
  }),
  // OpenID4VCI: metadata, the pre-authorized flow's endpoints (a wallet is anonymous), and the learner's offer
  'GET /.well-known/openid-credential-issuer': () => ({ url: '/.well-known/openid-credential-issuer' }),
  'GET /.well-known/oauth-authorization-server/oid4vci': () => ({
    url: '/.well-known/oauth-authorization-server/oid4vci',
  }),
  'GET /oid4vci/.well-known/oauth-authorization-server': () => ({
    url: '/oid4vci/.well-known/oauth-authorization-server',
  }),
  'POST /oid4vci/token': async () => {
    const { code, txCode } = await offerFor(t.app, learner, await heldBy(learner));
    return {
      url: '/oid4vci/token',
      payload: { grant_type: preAuthorizedGrant, 'pre-authorized_code': code, tx_code: txCode },
    };
  },
  'POST /oid4vci/nonce': () => ({ url: '/oid4vci/nonce' }),
  'POST /oid4vci/credential': async () => {
    const { accessToken, nonce } = await readyToRequest(t.app, learner, await heldBy(learner));
    const jwt = await keyProof(await didKeyWallet(), { aud: 'https://skillproof.test', nonce });
    return {
      url: '/oid4vci/credential',
      headers: { authorization: `Bearer ${accessToken}` },
      payload: { credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [jwt] } },
    };
  },
  'POST /api/me/wallet/:holdingId/oid4vci-offer': async (caller) => ({
    url: `/api/me/wallet/${await heldBy(caller)}/oid4vci-offer`,
  }),
  'POST /api/orgs/:orgId/jobs/:jobId/team': async () => ({
    url: `/api/orgs/${orgId}/jobs/${await walkedProject()}/team`,
    payload: { candidatePool: 'ranked' },
  }),

  // Applications, the pipeline, engagements and the funnel
  'POST /api/jobs/:jobId/applications': async () => ({
    url: `/api/jobs/${await walkedJob()}/applications`,
    payload: { note: 'Walked application' },
  }),
  'GET /api/me/applications': () => ({ url: '/api/me/applications' }),
  'POST /api/me/applications/:applicationId/accept': async (caller) => ({
    url: `/api/me/applications/${await invitationFor(caller)}/accept`,
    payload: { note: 'Walked in' },
  }),
  'POST /api/me/applications/:applicationId/decline': async (caller) => ({
    url: `/api/me/applications/${await invitationFor(caller)}/decline`,
    payload: {},
  }),
  'POST /api/me/applications/:applicationId/withdraw': async (caller) => ({
    url: `/api/me/applications/${(await applicationBy(caller)).applicationId}/withdraw`,
    payload: {},
  }),
  'POST /api/orgs/:orgId/jobs/:jobId/invitations': async () => ({
    url: `/api/orgs/${orgId}/jobs/${await walkedJob()}/invitations`,
    payload: { candidateId: await candidateOf() },
  }),
  'GET /api/orgs/:orgId/jobs/:jobId/applications': async () => ({
    url: `/api/orgs/${orgId}/jobs/${await walkedJob()}/applications?limit=5`,
  }),
  'GET /api/orgs/:orgId/jobs/:jobId/applications/:applicationId': async () => {
    const { jobId, applicationId } = await applicationBy(learner);
    return { url: `/api/orgs/${orgId}/jobs/${jobId}/applications/${applicationId}` };
  },
  'POST /api/orgs/:orgId/jobs/:jobId/applications/:applicationId/stage': async () => {
    const { jobId, applicationId } = await applicationBy(learner);
    return {
      url: `/api/orgs/${orgId}/jobs/${jobId}/applications/${applicationId}/stage`,
      payload: { stage: 'screening' },
    };
  },
  'GET /api/orgs/:orgId/engagements': () => ({ url: `/api/orgs/${orgId}/engagements?limit=5` }),
  'POST /api/orgs/:orgId/engagements/:engagementId/close': async () => {
    const { jobId, applicationId } = await applicationBy(learner);
    let engagementId: string | null = null;
    for (const stage of ['screening', 'interview', 'offer', 'hired'] as const) {
      const moved = await t.platform.applications.move(orgId, jobId, applicationId, owner.userId, {
        stage,
        ...(stage === 'hired' ? { engagement: { start: '2026-01-05', dayRate: 300 } } : {}),
      });
      engagementId = moved.engagementId;
    }
    return {
      url: `/api/orgs/${orgId}/engagements/${engagementId}/close`,
      payload: { end: '2026-02-27', value: 12_000, ratings: { communication: 80 } },
    };
  },
  'GET /api/orgs/:orgId/funnel': async () => ({ url: `/api/orgs/${orgId}/funnel?jobId=${await walkedJob()}` }),
  'GET /api/orgs/:orgId/funnel.svg': () => ({ url: `/api/orgs/${orgId}/funnel.svg?from=2026-01-01` }),
  'GET /api/me/stacked/:holdingId': async (caller) => {
    const pathwayId = await pathwayAwardedTo(caller);
    const awards = await createPathwaysStore(t.platform.database.db).awardsOf(caller.userId);
    return { url: `/api/me/stacked/${awards.find((a) => a.pathwayId === pathwayId)!.credentialId}` };
  },

  // OAuth 2.0 and the OB 3.0 API
  'GET /oauth/*': () => ({ url: '/oauth/.well-known/openid-configuration' }),
  'POST /oauth/*': async () => ({
    url: '/oauth/token/revocation',
    form: new URLSearchParams({ token: 'unknown', client_id: (await registerClient(t.app)).client_id }).toString(),
  }),
  'POST /oauth/reg': () => ({ url: '/oauth/reg', payload: { client_name: 'Walked', redirect_uris: [redirectUri] } }),
  'GET /oauth/interaction/:uid': async () => ({ url: `/oauth/interaction/${(await interactionStarted()).uid}` }),
  'GET /oauth/interaction/:uid/details': async () => {
    const { uid, cookie } = await interactionStarted();
    return { url: `/oauth/interaction/${uid}/details`, cookie };
  },
  'POST /oauth/interaction/:uid/decision': async () => {
    const { uid, cookie } = await interactionStarted();
    return { url: `/oauth/interaction/${uid}/decision`, cookie, payload: { allow: false } };
  },
  'GET /api/me/connected-apps': () => ({ url: '/api/me/connected-apps' }),
  'DELETE /api/me/connected-apps/:clientId': async (caller) => ({
    url: `/api/me/connected-apps/${(await oauthTokens(t.app, await signIn(t.app, caller.email))).client.client_id}`,
  }),
  'GET /ims/ob/v3p0/discovery': () => ({ url: '/ims/ob/v3p0/discovery' }),
  'GET /ims/ob/v3p0/credentials': () => ({ url: '/ims/ob/v3p0/credentials' }),
  'POST /ims/ob/v3p0/credentials': async (caller) => ({
    url: '/ims/ob/v3p0/credentials',
    payload: await credentialFor(caller.email),
  }),
  'GET /ims/ob/v3p0/profile': () => ({ url: '/ims/ob/v3p0/profile' }),
  'PUT /ims/ob/v3p0/profile': () => ({ url: '/ims/ob/v3p0/profile', payload: { type: 'Profile', name: 'Walked' } }),

  // Funnels in the outcome analytics
  'GET /api/admin/analytics/funnel': () => ({ url: `/api/admin/analytics/funnel?orgId=${orgId}` }),
  'GET /api/admin/analytics/funnel.svg': () => ({ url: '/api/admin/analytics/funnel.svg?from=2026-01-01' }),
  'GET /api/admin/analytics/funnel.csv': () => ({ url: '/api/admin/analytics/funnel.csv' }),
  'GET /api/orgs/:orgId/analytics/funnel': () => ({ url: `/api/orgs/${orgId}/analytics/funnel` }),
  'GET /api/orgs/:orgId/analytics/funnel.svg': () => ({ url: `/api/orgs/${orgId}/analytics/funnel.svg?scope=pooled` }),
  'GET /api/orgs/:orgId/analytics/funnel.csv': () => ({ url: `/api/orgs/${orgId}/analytics/funnel.csv?to=2026-12-31` }),
  'GET /api/orgs/:orgId/analytics/funnel-sharing': () => ({ url: `/api/orgs/${orgId}/analytics/funnel-sharing` }),
  'PUT /api/orgs/:orgId/analytics/funnel-sharing': () => ({
    url: `/api/orgs/${orgId}/analytics/funnel-sharing`,
    payload: { shared: true },
  }),

  // The issuer dashboard
  'GET /api/admin/analytics/issuer': () => ({ url: `/api/admin/analytics/issuer?orgId=${orgId}` }),
  'GET /api/admin/analytics/issuer.csv': () => ({ url: `/api/admin/analytics/issuer.csv?orgId=${orgId}` }),
  'GET /api/admin/analytics/issuer.svg': () => ({
    url: `/api/admin/analytics/issuer.svg?orgId=${orgId}&outcome=projects`,
  }),
  'GET /api/orgs/:orgId/analytics/issuer': () => ({ url: `/api/orgs/${orgId}/analytics/issuer` }),
  'GET /api/orgs/:orgId/analytics/issuer.csv': () => ({ url: `/api/orgs/${orgId}/analytics/issuer.csv` }),
  'GET /api/orgs/:orgId/analytics/issuer.svg': () => ({
    url: `/api/orgs/${orgId}/analytics/issuer.svg?outcome=projects`,
  }),
};

/** An application `caller` made to a fresh open job of the walked organization. */
async function applicationBy(caller: Client): Promise<{ jobId: string; applicationId: string }> {
  const jobId = await walkedJob();
  const application = await t.platform.applications.apply(caller.userId, jobId, { note: 'Walked' });
  return { jobId, applicationId: application.id };
}

/** An invitation to a fresh open job for `caller` (made discoverable for it). */
async function invitationFor(caller: Client): Promise<string> {
  const jobId = await walkedJob();
  await t.platform.hiring.saveTalent(caller.userId, { discoverable: true });
  const { blind } = await t.platform.hiring.preview(caller.userId);
  const invited = await t.platform.applications.invite(orgId, jobId, owner.userId, { candidateId: blind.candidateId! });
  return invited.id;
}

/** An authorization request started in a browser: its interaction id and the cookies that bind it. */
async function interactionStarted(): Promise<{ uid: string; cookie: string }> {
  const client = await registerClient(t.app);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: allObScopes[0]!,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
  const start = await t.app.inject({ method: 'GET', url: `/oauth/auth?${query}` });
  const uid = String(start.headers.location).split('/').pop()!;
  return { uid, cookie: start.cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
}

/** A published pathway whose components the caller holds, and its stacked credential awarded to them. */
async function pathwayAwardedTo(caller: Client): Promise<string> {
  const body = await pathwayBody();
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/pathways`,
    headers: owner.headers,
    payload: body,
  });
  const pathwayId = created.json().id as string;
  await t.app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/pathways/${pathwayId}/publish`,
    headers: owner.headers,
  });
  for (const node of body.requirements.of) {
    await t.platform.awarding.awardByHand({
      orgId,
      achievementId: node.component.achievementId,
      email: caller.email,
      issuedBy: owner.userId,
    });
  }
  await t.platform.pathways.award({ pathwayId, version: 1, userId: caller.userId });
  return pathwayId;
}

/** A pathway of the walked org over two of its published micro-credentials (the destination is a third). */
async function pathwayBody() {
  const [destination, a, b] = await Promise.all([draftOne(true), draftOne(true), draftOne(true)]);
  return {
    title: 'Walked pathway',
    description: 'Walks the pathway routes.',
    destination,
    requirements: {
      type: 'allOf',
      of: [
        { type: 'component', key: 'a', component: { achievementId: a } },
        { type: 'component', key: 'b', component: { achievementId: b } },
      ],
    },
  };
}

async function pathwayOne(publish = false): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/pathways`,
    headers: owner.headers,
    payload: await pathwayBody(),
  });
  const id = created.json().id as string;
  if (publish) {
    await t.app.inject({ method: 'POST', url: `/api/orgs/${orgId}/pathways/${id}/publish`, headers: owner.headers });
  }
  return id;
}

/** A stacked award of a published pathway, flagged for review (a component revoked). */
async function pathwayFlag(): Promise<{ pathwayId: string; flagId: string }> {
  const pathwayId = await pathwayOne(true);
  const store = createPathwaysStore(t.platform.database.db);
  const award = await store.claimAward({
    id: randomUUID(),
    pathwayId,
    version: 1,
    userId: learner.userId,
    components: [{ holdingId: randomUUID() }],
  });
  await store.markIssued(award.id, (await t.platform.issuance.find(await issueOne())).id);
  const flagId = randomUUID();
  await store.flag({
    id: flagId,
    awardId: award.id,
    componentHoldingId: award.components[0]!.holdingId,
    reason: 'Walk',
  });
  return { pathwayId, flagId };
}

async function call(
  method: string,
  fixture: Fixture,
  caller: Client | undefined,
  fixtureOwner: Client,
  accessToken?: string,
) {
  const { url, payload, csv, form, cookie, headers: own } = await fixture(caller ?? fixtureOwner);
  // A fresh session for each call: sign-out would otherwise end the caller's session for the next ones.
  const headers: Record<string, string> = caller ? { ...(await signIn(t.app, caller.email)).headers } : {};
  Object.assign(headers, own);
  if (accessToken) Object.assign(headers, bearer(accessToken));
  if (cookie) headers.cookie = [headers.cookie, cookie].filter(Boolean).join('; ');
  if (csv !== undefined) headers['content-type'] = 'text/csv';
  if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  return t.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    ...(csv !== undefined ? { payload: csv } : {}),
    ...(form !== undefined ? { payload: form } : {}),
  });
}

/** The declaration a table entry stands for. */
function declarationOf(who: Who): Access {
  if (who.kind === 'org') return { kind: 'org', roles: who.roles === 'any' ? 'any' : [...who.roles].sort() };
  if (who.kind === 'oauth') return { kind: 'oauth', scope: who.scope };
  return { kind: who.kind };
}
const normalized = (rule: Access): Access =>
  rule.kind === 'org' && rule.roles !== 'any' ? { kind: 'org', roles: [...rule.roles].sort() } : rule;
const shown = (rule: Access) =>
  rule.kind === 'org'
    ? `org(${rule.roles === 'any' ? 'any' : rule.roles.join(', ')})`
    : rule.kind === 'oauth'
      ? `oauth(${rule.scope})`
      : rule.kind;

/** Routes as the app declares them; HEAD follows GET, and the API docs' own routes are infrastructure. */
const declared = () => t.app.accessRules.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'));

it('every declared route is in the expected-access table, declared as the table says, with a fixture', () => {
  const names = declared().map((r) => `${r.method} ${r.url}`);
  expect(names.length).toBeGreaterThan(100);
  expect(
    names.filter((name) => !Object.hasOwn(expectedAccess, name)),
    'routes missing from test/http/expected-access.ts',
  ).toEqual([]);
  expect(
    Object.keys(expectedAccess).filter((name) => !names.includes(name)),
    'table entries no route declares',
  ).toEqual([]);
  const differing = declared().flatMap((route) => {
    const name = `${route.method} ${route.url}`;
    const expected = declarationOf(expectedAccess[name]!);
    return JSON.stringify(normalized(route.access)) === JSON.stringify(expected)
      ? []
      : [`${name}: declared ${shown(route.access)}, the table says ${shown(expected)}`];
  });
  expect(differing, 'declarations that differ from the table').toEqual([]);
  const heads = t.app.accessRules.filter((r) => r.method === 'HEAD' && !r.url.startsWith('/docs'));
  for (const head of heads) {
    const get = t.app.accessRules.find((r) => r.method === 'GET' && r.url === head.url);
    expect(head.access, `HEAD ${head.url}`).toEqual(get?.access);
  }
  expect(
    Object.keys(expectedAccess).filter((name) => !fixtures[name]),
    'table entries without a fixture in the walk',
  ).toEqual([]);
});

/** Whether a member holding only `role` passes a rule for `wanted` (owners hold every role). */
const passes = (role: Role, wanted: readonly Role[] | 'any') => wanted === 'any' || grants([role], wanted);

// Each route on its own: every role, a fresh sign-in each; on a busy machine a route can take a while.
describe('every route answers each caller as the table says', () => {
  for (const [name, who] of Object.entries(expectedAccess)) {
    it(name, { timeout: 120_000 }, async () => {
      const fixture = fixtures[name];
      expect(fixture, `${name} has no fixture`).toBeDefined();
      const method = name.slice(0, name.indexOf(' '));

      const anonymous = await call(method, fixture!, undefined, owner);
      if (who.kind === 'public') {
        expect(anonymous.statusCode, `${name} anonymous: ${anonymous.body.slice(0, 500)}`).toBeLessThan(400);
        return;
      }
      expect(anonymous.statusCode, `${name} anonymous`).toBe(401);

      if (who.kind === 'oauth') {
        // A session cookie is no OAuth token; a token without the scope is refused; one with it passes.
        expect((await call(method, fixture!, learner, learner)).statusCode, `${name} with a session`).toBe(401);
        const [right, wrong] = await Promise.all([
          oauthTokens(t.app, learner, [who.scope]),
          oauthTokens(
            t.app,
            learner,
            allObScopes.filter((s) => s !== who.scope),
          ),
        ]);
        const refused = await call(method, fixture!, undefined, learner, wrong.access_token);
        expect(refused.statusCode, `${name} without the scope`).toBe(403);
        const response = await call(method, fixture!, undefined, learner, right.access_token);
        expect(response.statusCode, `${name} with ${who.scope}: ${response.body}`).toBeLessThan(300);
        return;
      }

      if (who.kind === 'user' && 'role' in who) {
        // A fresh account: the walk's learner may have created organizations by now.
        const stranger = await signUp(t.app, 'Stranger');
        expect((await call(method, fixture!, stranger, stranger)).statusCode, `${name} as a learner`).toBe(403);
        for (const role of roles) {
          const member = byRole.get(role)!;
          const response = await call(method, fixture!, member, member);
          if (passes(role, [who.role])) {
            expect(response.statusCode, `${name} as ${role}: ${response.body}`).toBeLessThan(300);
          } else {
            expect(response.statusCode, `${name} as ${role}`).toBe(403);
          }
        }
        return;
      }

      if (who.kind === 'user') {
        const response = await call(method, fixture!, learner, learner);
        expect(response.statusCode, `${name} as a learner: ${response.body}`).toBeLessThan(300);
        return;
      }

      if (who.kind === 'admin') {
        // Instance admins only: no organization role, not even owner, grants it.
        for (const caller of [await signUp(t.app, 'Learner'), ...byRole.values()]) {
          const refused = await call(method, fixture!, caller, owner);
          expect(refused.statusCode, `${name} as a non-admin`).toBe(403);
        }
        const response = await call(method, fixture!, admin, admin);
        const status = (await fixture!(admin)).status;
        if (status) expect(response.statusCode, `${name} as an instance admin: ${response.body}`).toBe(status);
        else expect(response.statusCode, `${name} as an instance admin: ${response.body}`).toBeLessThan(300);
        return;
      }

      // A fresh account: earlier fixtures may have given the walk's learner a role here.
      const asLearner = await call(method, fixture!, await signUp(t.app, 'Learner'), owner);
      expect(asLearner.statusCode, `${name} as a learner`).toBe(403);
      const asOutsider = await call(method, fixture!, outsider, owner);
      expect(asOutsider.statusCode, `${name} as an owner of another org`).toBe(403);
      for (const role of roles) {
        const response = await call(method, fixture!, byRole.get(role)!, owner);
        if (passes(role, who.roles)) {
          expect(response.statusCode, `${name} as ${role}: ${response.body}`).toBeLessThan(300);
          expect(response.statusCode, `${name} as ${role}`).toBeGreaterThanOrEqual(200);
        } else {
          expect(response.statusCode, `${name} as ${role}`).toBe(403);
        }
      }
    });
  }
});
