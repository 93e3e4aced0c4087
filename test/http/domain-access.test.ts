import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, grantRole, signUp, type Client, type TestApp } from '../helpers/app.js';

/**
 * Members, keys and submissions are guarded by the domain too, not only by the routes' access rules: a route
 * declared too loosely (or a new caller of the domain) still cannot show or change them for anyone else.
 */
let t: TestApp;
let owner: Client;
let issuer: Client;
let assessor: Client;
let learner: Client;
let outsider: Client;
let orgId: string;
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
  await createOrg(t.app, outsider, 'Elsewhere');
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
