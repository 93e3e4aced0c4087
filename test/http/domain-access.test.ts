import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  grantRole,
  issueAchievementCredential,
  publishAchievement,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { sampleRubric } from '../helpers/rubrics.js';

/**
 * Members, keys, submissions, the outbox, issued credentials and rubrics are guarded by the domain too, not only by the routes' access rules: a route
 * declared too loosely (or a new caller of the domain) still cannot show or change them for anyone else.
 */
let t: TestApp;
let owner: Client;
let issuer: Client;
let assessor: Client;
let learner: Client;
let outsider: Client;
let admin: Client;
let orgId: string;
let outsiderOrgId: string;
const noSuchId = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Olive Owner');
  orgId = await createOrg(t.app, owner, 'Northwind');
  issuer = await signUp(t.app, 'Iris Issuer');
  await grantRole(t.app, owner, orgId, issuer.email, 'issuer');
  assessor = await signUp(t.app, 'Asa Assessor');
  await grantRole(t.app, owner, orgId, assessor.email, 'assessor');
  learner = await signUp(t.app, 'Lee Learner');
  // An owner (so an issuer and assessor by right) of another organization.
  outsider = await signUp(t.app, 'Other Owner');
  outsiderOrgId = await createOrg(t.app, outsider, 'Elsewhere');
  admin = await signUp(t.app, 'Ada Admin');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
});
afterAll(() => t.close());

async function expectRefused(
  operations: [string, (userId: string) => Promise<unknown>][],
  callers: Client[],
  message: string,
) {
  for (const [name, operation] of operations) {
    for (const caller of callers) {
      await expect(operation(caller.userId), `${name} by ${caller.email}`).rejects.toMatchObject({
        code: 'forbidden',
        message,
      });
    }
  }
}

describe('members in the domain', () => {
  it('are seen and changed only by an owner of the organization', async () => {
    const { accounts } = t.platform;
    await expectRefused(
      [
        ['listMembers', (u) => accounts.listMembers(u, orgId)],
        ['addMember', (u) => accounts.addMember(u, orgId, { email: learner.email, role: 'owner' })],
        ['removeRole', (u) => accounts.removeRole(u, orgId, owner.userId, 'owner')],
      ],
      [issuer, assessor, learner, outsider],
      'Only an owner of this organization may see or change its members.',
    );
    // Nobody was made an owner or lost the role on the way.
    const members = await accounts.listMembers(owner.userId, orgId);
    expect(members.filter((m) => m.roles.includes('owner')).map((m) => m.user.id)).toEqual([owner.userId]);
    expect(members.some((m) => m.user.id === learner.userId)).toBe(false);
  });
});

describe('keys in the domain', () => {
  it('are listed only by an issuer of the organization, rotated and retired only by an owner', async () => {
    const { keys } = t.platform;
    await expectRefused(
      [['list', (u) => keys.list(u, orgId)]],
      [assessor, learner, outsider],
      'Only an issuer of this organization may see its keys.',
    );
    await expectRefused(
      [
        ['rotate', (u) => keys.rotate(u, orgId, 'Ed25519')],
        ['retire', (u) => keys.retire(u, orgId, noSuchId)],
      ],
      [issuer, assessor, learner, outsider],
      'Only an owner of this organization may rotate or retire its keys.',
    );
    const before = await keys.list(issuer.userId, orgId);
    expect(before.length).toBeGreaterThan(0);
    const rotated = await keys.rotate(owner.userId, orgId, 'Ed25519');
    expect((await keys.list(issuer.userId, orgId)).map((k) => k.id)).toContain(rotated.id);
  });
});

describe('submissions in the domain', () => {
  it('are seen and decided only by an assessor of the organization', async () => {
    const { review } = t.platform;
    const scores = [{ criterionId: 'design', points: 4 }];
    await expectRefused(
      [
        ['queue', (u) => review.queue(u, orgId)],
        ['forAssessor', (u) => review.forAssessor(u, orgId, noSuchId)],
        ['accept', (u) => review.accept(orgId, noSuchId, u, scores)],
        ['giveBack', (u) => review.giveBack(orgId, noSuchId, u, 'Add the queries.', undefined)],
      ],
      [issuer, learner, outsider],
      'Only an assessor of this organization may see or review its submissions.',
    );
    expect(await review.queue(assessor.userId, orgId)).toEqual([]);
    await expect(review.forAssessor(assessor.userId, orgId, noSuchId)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('the outbox in the domain', () => {
  it('is seen and retried only by an instance admin', async () => {
    const { mail } = t.platform;
    await expectRefused(
      [
        ['list', (u) => mail.list(u)],
        ['counts', (u) => mail.counts(u)],
        ['retry', (u) => mail.retry(u, noSuchId)],
      ],
      [owner, issuer, learner, outsider],
      'Only an instance admin may see or retry the outbox.',
    );
    // Signing up sent confirmation mail, which the admin sees.
    const messages = await mail.list(admin.userId);
    expect(messages.map((m) => m.to)).toContain(learner.email);
    await expect(mail.retry(admin.userId, noSuchId)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('issued credentials in the domain', () => {
  it('are listed, revoked and suspended only by an issuer of the organization', async () => {
    const { issuance } = t.platform;
    const credential = await issueAchievementCredential(t.app, owner, orgId);
    const record = await issuance.find(credential.id as string);
    const filter = { limit: 50, offset: 0 };
    await expectRefused(
      [
        ['list', (u) => issuance.list(u, orgId, filter)],
        ['revoke', (u) => issuance.changeStatus(u, orgId, record.id, 'revoke', 'Issued in error')],
        ['suspend', (u) => issuance.changeStatus(u, orgId, record.id, 'suspend')],
        ['changeStatuses', (u) => issuance.changeStatuses(u, orgId, record.id, [{ change: 'revoke' }])],
        // Role first: a credential that does not exist is refused the same way.
        ['revoke none', (u) => issuance.changeStatus(u, orgId, noSuchId, 'revoke', 'Issued in error')],
      ],
      [assessor, learner, outsider],
      'Only an issuer of this organization may see or change its credentials.',
    );
    // Nothing changed on the way.
    const listed = await issuance.list(issuer.userId, orgId, filter);
    const mine = listed.credentials.find((c) => c.id === record.id);
    expect(mine).toMatchObject({ revokedAt: null, suspendedAt: null });
    // An issuer elsewhere, naming their own organization, does not find this one's credential.
    await expect(
      issuance.changeStatus(outsider.userId, outsiderOrgId, record.id, 'revoke', 'Not yours'),
    ).rejects.toMatchObject({ code: 'not-found' });
    const revoked = await issuance.changeStatus(issuer.userId, orgId, record.id, 'revoke', 'Issued in error');
    expect(revoked.revokedAt).not.toBeNull();
  });
});

describe('rubrics in the domain', () => {
  it('are set only by an issuer of the organization, and seen only by its issuers and assessors', async () => {
    const { review } = t.platform;
    const achievementId = await publishAchievement(t.app, owner, orgId);
    await expectRefused(
      [['setRubric', (u) => review.setRubric(u, orgId, achievementId, sampleRubric)]],
      [assessor, learner, outsider],
      'Only an issuer of this organization may set its rubrics.',
    );
    await expectRefused(
      [['orgRubric', (u) => review.orgRubric(u, orgId, achievementId)]],
      [learner, outsider],
      'Only an issuer or assessor of this organization may see its rubrics.',
    );
    await expect(review.orgRubric(assessor.userId, orgId, achievementId)).rejects.toMatchObject({
      code: 'not-found',
    });
    await review.setRubric(issuer.userId, orgId, achievementId, sampleRubric);
    expect(await review.orgRubric(assessor.userId, orgId, achievementId)).toEqual(sampleRubric);
  });
});
