import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  grantRole,
  issueAchievementCredential,
  publishAchievement,
  request,
  signUp,
  testPassword,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { achievementCredential, issuerDid } from '../helpers/credentials.js';

/**
 * The audit log of sensitive actions: each recorded action appears with who, when, what and from where; owners
 * read their organization's entries and no one else's; instance admins read all; nothing changes an entry,
 * neither through the API nor in the database.
 */
let t: TestApp;
let owner: Client;
let issuer: Client;
let otherOwner: Client;
let admin: Client;
let learner: Client;
let orgId: string;
let otherOrgId: string;

interface Entry {
  id: string;
  at: string;
  action: string;
  outcome: 'done' | 'refused';
  actor: { kind: string; userId: string | null; email: string | null };
  orgId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Owner');
  orgId = await createOrg(t.app, owner, 'Audited Org');
  issuer = await signUp(t.app, 'Issuer');
  await grantRole(t.app, owner, orgId, issuer.email, 'issuer');
  otherOwner = await signUp(t.app, 'Other Owner');
  otherOrgId = await createOrg(t.app, otherOwner, 'Other Org');
  admin = await signUp(t.app, 'Admin');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
  learner = await signUp(t.app, 'Learner');
}, 120_000);
afterAll(() => t?.close());

async function orgLog(client: Client = owner, id = orgId, query = ''): Promise<Entry[]> {
  const response = await request(t.app, client, 'GET', `/api/orgs/${id}/audit${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().entries;
}
async function adminLog(query = ''): Promise<Entry[]> {
  const response = await request(t.app, admin, 'GET', `/api/admin/audit${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().entries;
}
const newest = (entries: Entry[], action: string) => entries.find((e) => e.action === action);

describe('what is recorded', () => {
  it('role grants and removals, with who, when and from where', async () => {
    const before = Date.now();
    const member = await signUp(t.app, 'Member');
    const granted = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/members`,
      headers: { ...owner.headers, 'user-agent': 'audit-test/1', 'x-forwarded-for': '203.0.113.9' },
      remoteAddress: '198.51.100.7',
      payload: { email: member.email, role: 'assessor' },
    });
    expect(granted.statusCode).toBe(201);
    const grant = newest(await orgLog(), 'member.role-granted')!;
    expect(grant).toMatchObject({
      outcome: 'done',
      actor: { kind: 'session', userId: owner.userId, email: owner.email },
      orgId,
      details: { email: member.email, role: 'assessor', status: 201 },
      // The proxy header is not trusted unless the instance is told it runs behind one.
      ip: '198.51.100.7',
      userAgent: 'audit-test/1',
    });
    expect(Date.parse(grant.at)).toBeGreaterThanOrEqual(before - 1000);

    const removed = await request(t.app, owner, 'DELETE', `/api/orgs/${orgId}/members/${member.userId}/roles/assessor`);
    expect(removed.statusCode).toBe(204);
    expect(newest(await orgLog(), 'member.role-removed')).toMatchObject({
      actor: { userId: owner.userId },
      target: `userId=${member.userId} role=assessor`,
    });
  });

  it('awards, revocations, suspensions and VC-API status changes', async () => {
    const achievementId = await publishAchievement(t.app, owner, orgId);
    const awarded = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
      email: learner.email,
    });
    expect(awarded.statusCode, awarded.body).toBe(201);
    const recordId = awarded.json().credential.id as string;
    expect(newest(await orgLog(), 'credential.awarded')).toMatchObject({
      actor: { userId: issuer.userId },
      target: `credentialId=${recordId}`,
      details: { email: learner.email },
    });

    const revoked = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/credentials/${recordId}/revoke`, {
      reason: 'Issued in error',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);

    // A credential with a suspension entry, suspended and taken back.
    const issued = await request(t.app, issuer, 'POST', `/issuers/${orgId}/credentials/issue`, {
      credential: { ...achievementCredential(), issuer: issuerDid(orgId) },
      options: { statusPurpose: 'suspension' },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const listed = await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/credentials?limit=200`);
    const suspendable = (listed.json().credentials as { id: string; credentialId: string }[]).find(
      (c) => c.credentialId === issued.json().verifiableCredential.id,
    )!.id;
    for (const change of ['suspend', 'unsuspend']) {
      const changed = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/credentials/${suspendable}/${change}`);
      expect(changed.statusCode, `${change}: ${changed.body}`).toBe(200);
    }
    const log = await orgLog();
    expect(newest(log, 'credential.revoked')).toMatchObject({
      actor: { userId: issuer.userId },
      orgId,
      target: `credentialId=${recordId}`,
      details: { reason: 'Issued in error' },
    });
    for (const action of ['credential.suspended', 'credential.unsuspended']) {
      expect(newest(log, action), action).toMatchObject({
        actor: { userId: issuer.userId },
        orgId,
        target: `credentialId=${suspendable}`,
      });
    }

    // The VC-API route names no organization: the entry still lands in the credential's organization's log.
    const vc = await issueAchievementCredential(t.app, issuer, orgId);
    const changed = await request(t.app, issuer, 'POST', '/credentials/status', {
      credentialId: vc.id,
      credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked', statusPurpose: 'revocation' }],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(newest(await orgLog(), 'credential.status-changed')).toMatchObject({
      orgId,
      actor: { userId: issuer.userId },
      target: `credentialId=${changed.json().id}`,
    });
  });

  it('key rotations and retirements', async () => {
    const rotated = await request(t.app, owner, 'POST', `/api/orgs/${orgId}/keys/rotate`, { algorithm: 'Ed25519' });
    expect(rotated.statusCode).toBe(201);
    const keyId = rotated.json().id as string;
    expect(newest(await orgLog(), 'key.rotated')).toMatchObject({
      target: `keyId=${keyId}`,
      details: { algorithm: 'Ed25519' },
    });
    const retired = await request(t.app, owner, 'POST', `/api/orgs/${orgId}/keys/${keyId}/retire`);
    expect(retired.statusCode, retired.body).toBe(204);
    expect(newest(await orgLog(), 'key.retired')).toMatchObject({ target: `keyId=${keyId}`, orgId });
  });

  it('registry changes and outbox retries by instance admins', async () => {
    const imported = await request(t.app, admin, 'POST', '/api/admin/trust-registries', {
      name: 'Audited Registry',
      registry: { registry: { 'did:web:audited.example': { name: 'Audited' } } },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const removed = await request(t.app, admin, 'DELETE', '/api/admin/trust-registries/Audited%20Registry');
    expect(removed.statusCode).toBe(204);
    const log = await adminLog();
    expect(newest(log, 'trust-registry.imported')).toMatchObject({
      actor: { userId: admin.userId },
      orgId: null,
      details: { name: 'Audited Registry' },
    });
    // The registry file itself is not copied into the log.
    expect(newest(log, 'trust-registry.imported')!.details).not.toHaveProperty('registry');
    expect(newest(log, 'trust-registry.removed')).toMatchObject({ target: 'name=Audited Registry' });
  });

  it('sign-ins, refused ones too, and password changes, never with the password', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: learner.email, password: 'not the password' },
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: learner.email, password: testPassword },
    });
    expect(signedIn.statusCode).toBe(200);
    const changed = await request(t.app, learner, 'POST', '/api/me/password', {
      currentPassword: testPassword,
      newPassword: `${testPassword} again`,
    });
    expect(changed.statusCode, changed.body).toBeLessThan(300);

    const log = await adminLog('?action=account.');
    const signIns = log.filter((e) => e.action === 'account.signed-in' && e.actor.email === learner.email);
    expect(signIns[0]).toMatchObject({ outcome: 'done', actor: { kind: 'session', userId: learner.userId } });
    expect(signIns[1]).toMatchObject({ outcome: 'refused', actor: { kind: 'anonymous', userId: null } });
    expect(newest(log, 'account.password-changed')).toMatchObject({ actor: { userId: learner.userId } });
    expect(JSON.stringify(log)).not.toContain(testPassword);
    expect(JSON.stringify(log)).not.toContain('not the password');
    // Only account actions under that filter.
    expect(log.every((e) => e.action.startsWith('account.'))).toBe(true);
  });

  it('exports of personal data', async () => {
    const exported = await request(t.app, learner, 'GET', '/api/me/wallet/export.zip');
    expect(exported.statusCode).toBe(200);
    expect(newest(await adminLog(), 'personal-data.exported')).toMatchObject({
      actor: { userId: learner.userId },
      details: { request: 'GET /api/me/wallet/export.zip' },
    });

    const achievementId = await publishAchievement(t.app, owner, orgId);
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/bulk-issuance`,
      headers: { ...issuer.headers, 'content-type': 'text/csv' },
      payload: `email,name,achievement\nbulk-audit@example.org,Bulk,${achievementId}\n`,
    });
    expect(started.statusCode, started.body).toBeLessThan(300);
    const runId = started.json().run.id as string;
    expect(newest(await orgLog(), 'bulk.started')).toMatchObject({ actor: { userId: issuer.userId } });
    const claims = await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/bulk-issuance/${runId}/claims.csv`);
    expect(claims.statusCode).toBe(200);
    expect(newest(await orgLog(), 'personal-data.exported')).toMatchObject({
      actor: { userId: issuer.userId },
      target: `runId=${runId}`,
    });
  });

  it('a flood of sign-ins answered by the rate limit writes no entries', async () => {
    const limited = await createTestApp({ authRateLimit: 2 });
    try {
      const attempt = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: 'flood@example.org', password: 'not the password' },
        });
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await attempt()).statusCode);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(4);
      const entries = await limited.platform.audit.list({ action: 'account.signed-in', limit: 100 });
      expect(entries.map((e) => e.outcome)).toEqual(['refused', 'refused']);
    } finally {
      await limited.close();
    }
  });

  it('a refused action is not recorded as done', async () => {
    const before = (await orgLog()).length;
    const refused = await request(t.app, owner, 'POST', `/api/orgs/${orgId}/keys/rotate`, { algorithm: 'DSA' });
    expect(refused.statusCode).toBe(400);
    const forbidden = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/keys/rotate`, { algorithm: 'RSA' });
    expect(forbidden.statusCode).toBe(403);
    expect((await orgLog()).length).toBe(before);
  });
});

describe('who reads it', () => {
  it("owners read their organization's entries, and only those", async () => {
    const mine = await orgLog();
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.every((e) => e.orgId === orgId)).toBe(true);
    // The other organization's creation is in its own log, not in this one.
    expect(newest(await orgLog(otherOwner, otherOrgId), 'org.created')).toMatchObject({ orgId: otherOrgId });
    expect(mine.some((e) => e.orgId === otherOrgId)).toBe(false);
  });

  it('no one else reads an organization log: issuers, other owners, learners, anonymous callers', async () => {
    for (const [who, client] of [
      ['an issuer of the organization', issuer],
      ['the owner of another organization', otherOwner],
      ['a learner', learner],
    ] as const) {
      for (const path of [`/api/orgs/${orgId}/audit`, `/api/orgs/${orgId}/audit.csv`]) {
        const response = await request(t.app, client, 'GET', path);
        expect(response.statusCode, `${who}: ${path}`).toBe(403);
        expect(response.json()).not.toHaveProperty('entries');
      }
    }
    expect((await request(t.app, undefined, 'GET', `/api/orgs/${orgId}/audit`)).statusCode).toBe(401);
  });

  it('only instance admins read the whole log; an organization owner is no instance admin', async () => {
    for (const client of [owner, issuer, learner]) {
      expect((await request(t.app, client, 'GET', '/api/admin/audit')).statusCode).toBe(403);
      expect((await request(t.app, client, 'GET', '/api/admin/audit.csv')).statusCode).toBe(403);
    }
    const all = await adminLog('?limit=1000');
    expect(new Set(all.map((e) => e.orgId))).toEqual(new Set([orgId, otherOrgId, null]));
  });

  it('pages newest first', async () => {
    const first = await adminLog('?limit=3');
    expect(first).toHaveLength(3);
    const next = await adminLog(`?limit=3&before=${first[2]!.id}`);
    expect(next).toHaveLength(3);
    const both = [...first, ...next];
    expect(new Set(both.map((e) => e.id)).size).toBe(6);
    const times = both.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // A page of another organization's log cannot be named from this one.
    const foreign = (await orgLog(otherOwner, otherOrgId))[0]!;
    expect((await request(t.app, owner, 'GET', `/api/orgs/${orgId}/audit?before=${foreign.id}`)).statusCode).toBe(400);
  });

  it('exports as CSV, and the export is itself recorded', async () => {
    const response = await request(t.app, owner, 'GET', `/api/orgs/${orgId}/audit.csv?action=credential.`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.trim().split('\n');
    expect(lines[0]).toContain('id,at,action,outcome,actor_kind');
    expect(lines.length).toBeGreaterThan(4);
    expect(response.body).toContain('credential.revoked');
    expect(response.body).not.toContain('member.role-granted');
    expect(newest(await orgLog(), 'audit.exported')).toMatchObject({ actor: { userId: owner.userId } });
  });
});

describe('nothing alters it', () => {
  it('has no route that writes, changes or deletes an entry', async () => {
    const [entry] = await orgLog();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      for (const path of [
        `/api/orgs/${orgId}/audit`,
        `/api/orgs/${orgId}/audit/${entry!.id}`,
        '/api/admin/audit',
        `/api/admin/audit/${entry!.id}`,
      ]) {
        const response = await request(t.app, admin, method, path, method === 'DELETE' ? undefined : { action: 'x' });
        expect(response.statusCode, `${method} ${path}`).toBe(404);
      }
    }
    const declared = t.app.accessRules.filter((r) => r.url.includes('/audit'));
    expect(declared.every((r) => r.method === 'GET' || r.method === 'HEAD')).toBe(true);
    expect((await orgLog()).find((e) => e.id === entry!.id)).toEqual(entry);
  });

  it('the database refuses to change or delete an entry, or to empty the log', async () => {
    const [entry] = await orgLog();
    const db = t.platform.database.db;
    await expect(
      db.updateTable('audit_log').set({ action: 'nothing.happened' }).where('id', '=', entry!.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').where('id', '=', entry!.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    expect((await orgLog()).find((e) => e.id === entry!.id)).toEqual(entry);
  });

  it('retention purges only entries older than the period', async () => {
    const db = t.platform.database.db;
    const retentionDays = t.platform.audit.retentionDays;
    // An entry as old as the period and a day, written as the log's own insert would be (the only way in).
    const old = await t.platform.audit.record({
      action: 'test.old',
      actor: { kind: 'command', userId: null, email: null },
    });
    await db.transaction().execute(async (trx) => {
      // Test-only: back-date it, with the triggers off for this one statement.
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
      await sql`update audit_log set at = now() - make_interval(days => ${retentionDays + 1}) where id = ${old.id}`.execute(
        trx,
      );
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
    });
    const total = Number(
      (await db.selectFrom('audit_log').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
    );
    expect(await t.platform.audit.purgeExpired()).toBe(1);
    expect(await t.platform.audit.find(old.id)).toBeUndefined();
    const after = Number(
      (await db.selectFrom('audit_log').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
    );
    expect(after).toBe(total - 1);
  });
});
