import { createHash, randomUUID } from 'node:crypto';
import { createPathwaysStore } from '../../src/pathways/store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { awardCredential } from '../../src/issuance/award.js';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import clrSchema from '../../src/vc/schemas/clr_v2p0_clrcredential_schema.json' with { type: 'json' };

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateClr = ajv.compile(clrSchema);

let t: TestApp;
let northwind: Client;
let harbor: Client;
let learner: Client;
let other: Client;
let nw: string;
let hb: string;
const id: Record<string, string> = {};

const cloudSkill = 'http://data.europa.eu/esco/skill/cloud-data';
const course = (title: string, hours: number, ects: number | undefined, extra: object = {}) =>
  sqlDefinition({ title, workloadHours: hours, ectsCredits: ects, prerequisites: [], ...extra });
const award = async (client: Client, orgId: string, achievementId: string, to = learner) => {
  const response = await request(t.app, client, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: to.email,
  });
  if (response.statusCode !== 201) throw new Error(`award failed: ${response.body}`);
  return response.json().credential.id as string;
};
const comp = (key: string, achievementId: string) => ({ type: 'component', key, component: { achievementId } });
const pathway = (over: object = {}) => ({
  title: 'Cloud Data Engineering',
  description: 'A certificate stacked from four micro-credentials.',
  destination: id.dest,
  requirements: {
    type: 'allOf',
    key: 'all',
    of: [
      comp('sql', id.sql!),
      { type: 'anyOf', key: 'electives', n: 1, of: [comp('modelling', id.modelling!), comp('streams', id.streams!)] },
      { type: 'credits', key: 'cloud', min: 4, unit: 'ECTS', of: [comp('harbor', id.harbor!), comp('ops', id.ops!)] },
    ],
  },
  recognition: [{ component: 'modelling', by: 'alignment', skills: [cloudSkill], minEqfLevel: 6 }],
  prerequisites: [{ before: 'sql', after: 'streams' }],
  ...over,
});
const org = (orgId: string) => `/api/orgs/${orgId}/pathways`;

beforeAll(async () => {
  t = await createTestApp();
  northwind = await signUp(t.app, 'Northwind Issuer');
  harbor = await signUp(t.app, 'Harbor Issuer');
  learner = await signUp(t.app, 'Pathway Learner');
  other = await signUp(t.app, 'Other Learner');
  nw = await createOrg(t.app, northwind, 'Northwind');
  hb = await createOrg(t.app, harbor, 'Harbor Cloud Academy');
  id.dest = await publishAchievement(t.app, northwind, nw, course('Cloud Data Engineering certificate', 300, 12));
  id.sql = await publishAchievement(t.app, northwind, nw, course('SQL', 50, 2));
  id.modelling = await publishAchievement(t.app, northwind, nw, course('Data modelling', 50, 2));
  id.streams = await publishAchievement(t.app, northwind, nw, course('Streams', 30, 1));
  id.ops = await publishAchievement(t.app, northwind, nw, course('Cloud operations', 75, 3));
  id.noEcts = await publishAchievement(t.app, northwind, nw, course('Workshop', 10, undefined));
  id.harbor = await publishAchievement(t.app, harbor, hb, course('Harbor Cloud Foundations', 50, 2));
  id.harborAdvanced = await publishAchievement(
    t.app,
    harbor,
    hb,
    course('Harbor Cloud Data Design', 50, 2, {
      eqfLevel: 6,
      skills: [{ code: cloudSkill, name: 'cloud data design', framework: 'ESCO', url: cloudSkill }],
    }),
  );
}, 120_000);
afterAll(() => t?.close());

describe('issuer pathway definitions', () => {
  it('drafts with the checks, publishes an immutable version, and retires', async () => {
    const created = await request(t.app, northwind, 'POST', org(nw), pathway());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().check).toEqual({ errors: [], warnings: [] });
    const pid = created.json().id as string;
    const published = await request(t.app, northwind, 'POST', `${org(nw)}/${pid}/publish`);
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json()).toMatchObject({ version: 1, status: 'published', issuer: { name: 'Northwind' } });
    // Editing the draft afterwards leaves version 1 as it was.
    const edited = await request(t.app, northwind, 'PUT', `${org(nw)}/${pid}`, pathway({ title: 'Renamed' }));
    expect(edited.statusCode, edited.body).toBe(200);
    const read = (await request(t.app, northwind, 'GET', `${org(nw)}/${pid}`)).json();
    expect(read.record.draft.title).toBe('Renamed');
    expect(
      read.versions.map((v: { version: number; definition: { title: string } }) => [v.version, v.definition.title]),
    ).toEqual([[1, 'Cloud Data Engineering']]);
    const retired = await request(t.app, northwind, 'POST', `${org(nw)}/${pid}/retire`);
    expect(retired.json().status).toBe('retired');
    expect((await request(t.app, northwind, 'POST', `${org(nw)}/${pid}/publish`)).statusCode).toBe(409);
    expect((await request(t.app, learner, 'GET', `/api/me/pathways/${pid}`)).statusCode).toBe(404);
  });

  it('refuses to publish what nobody could complete, with each reason', async () => {
    const refused = async (body: object, code: string) => {
      const created = await request(t.app, northwind, 'POST', org(nw), body);
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().check.errors.map((e: { code: string }) => e.code)).toContain(code);
      const published = await request(t.app, northwind, 'POST', `${org(nw)}/${created.json().id}/publish`);
      expect(published.statusCode, published.body).toBe(400);
      expect(published.json().errors.map((e: { code: string }) => e.code)).toContain(code);
      return published.json();
    };
    const cycle = await refused(
      pathway({
        prerequisites: [
          { before: 'sql', after: 'streams' },
          { before: 'streams', after: 'sql' },
        ],
      }),
      'cycle',
    );
    expect(cycle.detail).toContain('sql → streams → sql');
    await refused(
      pathway({ requirements: { type: 'anyOf', n: 3, of: [comp('sql', id.sql!), comp('ops', id.ops!)] } }),
      'any-of-range',
    );
    await refused(
      pathway({
        requirements: { type: 'credits', min: 20, unit: 'ECTS', of: [comp('sql', id.sql!), comp('ops', id.ops!)] },
      }),
      'credits-unreachable',
    );
    await refused(
      pathway({
        requirements: { type: 'credits', min: 2, unit: 'ECTS', of: [comp('sql', id.sql!), comp('w', id.noEcts!)] },
      }),
      'unit-mismatch',
    );
    await refused(pathway({ destination: id.harbor }), 'foreign-destination');
    await refused(pathway({ requirements: comp('x', '00000000-0000-4000-8000-000000000000') }), 'unknown-component');
  });

  it('answers bad input and other organizations with 4xx problems', async () => {
    const shape = await request(
      t.app,
      northwind,
      'POST',
      org(nw),
      pathway({ requirements: { type: 'someOf', of: [] } }),
    );
    expect(shape.statusCode).toBe(400);
    expect(shape.json().errors).toEqual([expect.objectContaining({ field: 'requirements.type' })]);
    const noKey = await request(
      t.app,
      northwind,
      'POST',
      `${org(nw)}/check`,
      pathway({ requirements: { type: 'allOf', of: [{ type: 'component', component: { achievementId: id.sql } }] } }),
    );
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().errors[0].field).toBe('requirements.of[0].key');
    const unit = await request(
      t.app,
      northwind,
      'POST',
      `${org(nw)}/check`,
      pathway({ requirements: { type: 'credits', min: 2, unit: 'points', of: [comp('sql', id.sql!)] } }),
    );
    expect(unit.statusCode).toBe(200);
    expect(unit.json().errors[0]).toMatchObject({ code: 'unit-mismatch' });
    expect((await request(t.app, northwind, 'POST', org(nw), { title: 'x' })).statusCode).toBe(400);
    expect((await request(t.app, northwind, 'GET', `${org(nw)}/not-a-uuid`)).statusCode).toBe(404);
    // Harbor's issuer cannot see or touch Northwind's pathways.
    const mine = (await request(t.app, northwind, 'POST', org(nw), pathway())).json().id as string;
    expect((await request(t.app, harbor, 'GET', `${org(nw)}/${mine}`)).statusCode).toBe(403);
    expect((await request(t.app, harbor, 'GET', `${org(hb)}/${mine}`)).statusCode).toBe(404);
    expect((await request(t.app, harbor, 'POST', `${org(hb)}/${mine}/publish`)).statusCode).toBe(404);
    expect((await request(t.app, learner, 'GET', `/api/me/pathways/not-a-uuid`)).statusCode).toBe(404);
    expect((await request(t.app, undefined, 'GET', `/api/me/pathways`)).statusCode).toBe(401);
  });
});

describe('learner progress and the stacked award', () => {
  let pid: string;
  const held: Record<string, string> = {};

  beforeAll(async () => {
    const created = await request(t.app, northwind, 'POST', org(nw), pathway());
    pid = created.json().id;
    const published = await request(t.app, northwind, 'POST', `${org(nw)}/${pid}/publish`);
    if (published.statusCode !== 201) throw new Error(published.body);
    held.harbor = await award(harbor, hb, id.harbor!);
    held.ops = await award(northwind, nw, id.ops!);
    held.streams = await award(northwind, nw, id.streams!);
    held.modellingRevoked = await award(northwind, nw, id.modelling!);
    const revoked = await request(
      t.app,
      northwind,
      'POST',
      `/api/orgs/${nw}/credentials/${held.modellingRevoked}/revoke`,
      {
        reason: 'Issued in error',
      },
    );
    if (revoked.statusCode !== 200) throw new Error(revoked.body);
    await t.platform.queue.work();
  }, 60_000);

  it('lists the pathways the learner is on or near, and none for a learner sharing no component', async () => {
    const mine = await request(t.app, learner, 'GET', '/api/me/pathways');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().pathways).toEqual([
      expect.objectContaining({ pathwayId: pid, version: 1, complete: false, satisfied: 2, components: 5 }),
    ]);
    expect((await request(t.app, other, 'GET', '/api/me/pathways')).json()).toEqual({ pathways: [] });
  });

  it('says what each credential satisfies, what does not count and why, and the cheapest way to finish', async () => {
    const response = await request(t.app, learner, 'GET', `/api/me/pathways/${pid}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.progress.satisfied.map((s: { component: string }) => s.component).sort()).toEqual(['harbor', 'ops']);
    expect(body.progress.tree.children[2]).toMatchObject({
      key: 'cloud',
      complete: true,
      credits: { counted: 5, min: 4 },
    });
    const reasons = body.progress.notCounted.map((n: { component: string; reason: string }) => [n.component, n.reason]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['modelling', expect.stringContaining('has been revoked')],
        ['streams', expect.stringContaining('waits for SQL')],
      ]),
    );
    // SQL (50 h) is needed; the streams credential held was earned before it and never counts, so the elective
    // is earned again: streams (30 h, after SQL) beats data modelling (50 h).
    expect(body.route).toMatchObject({
      status: 'optimal',
      totalHours: 80,
      steps: [
        { achievementId: id.sql, hours: 50 },
        { achievementId: id.streams, hours: 30 },
      ],
    });
    expect(body.award).toBeNull();
  });

  it('awards the destination once when the holdings complete it, with the components and their digests as evidence', async () => {
    // SQL now; the streams credential was earned before it, so a recognized Harbor credential covers the elective.
    held.sql = await award(northwind, nw, id.sql!);
    held.harborAdvanced = await award(harbor, hb, id.harborAdvanced!);
    const first = (await request(t.app, learner, 'GET', `/api/me/pathways/${pid}`)).json();
    expect(first.complete).toBe(true);
    expect(
      first.progress.satisfied.find((s: { component: string }) => s.component === 'modelling').holding,
    ).toMatchObject({
      via: 'recognition',
      holdingId: held.harborAdvanced,
    });
    await request(t.app, learner, 'GET', `/api/me/pathways/${pid}`);
    await request(t.app, learner, 'GET', '/api/me/pathways');
    let stacked: { state: string; credentialId: string } | null = null;
    for (let i = 0; i < 100 && stacked?.state !== 'issued'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      stacked = (await request(t.app, learner, 'GET', `/api/me/pathways/${pid}`)).json().award;
    }
    expect(stacked?.state).toBe('issued');
    await t.platform.pathways.award({ pathwayId: pid, version: 1, userId: learner.userId });
    const wallet = (await request(t.app, learner, 'GET', '/api/me/wallet')).json();
    const inWallet = wallet.items.filter((i: { name: string }) => i.name === 'Cloud Data Engineering certificate');
    expect(inWallet).toHaveLength(1);
    const credential = await t.platform.issuance.find(stacked!.credentialId);
    expect(credential.recipientUserId).toBe(learner.userId);
    const document = JSON.parse(credential.document);
    expect(document.issuer.id).toContain(nw);
    const evidence = document.evidence as { name: string; description: string; genre: string }[];
    expect(evidence).toHaveLength(4);
    const sqlHolding = await t.platform.issuance.find(held.sql!);
    const sqlDigest = `sha256:${createHash('sha256').update(sqlHolding.document).digest('hex')}`;
    expect(evidence).toContainEqual(
      expect.objectContaining({ name: 'SQL', description: sqlDigest, genre: 'Component credential' }),
    );
    const outbox = await t.platform.database.db
      .selectFrom('outbox')
      .select('subject')
      .where('to_email', '=', learner.email)
      .where('subject', 'like', 'You earned%')
      .execute();
    expect(outbox).toHaveLength(1);
  }, 60_000);

  it('exports the awarded pathway as a CLR 2.0 credential that validates and verifies, and refuses before the award', async () => {
    const response = await request(t.app, learner, 'GET', `/api/me/pathways/${pid}/clr`);
    expect(response.statusCode, response.body).toBe(200);
    const { clr, leftOut } = response.json();
    expect(leftOut).toEqual([]);
    expect(validateClr(clr), JSON.stringify(validateClr.errors)).toBe(true);
    const verdict = await t.platform.verifier.verify({ json: clr });
    expect(verdict.verified, JSON.stringify(verdict.checks)).toBe(true);
    expect(clr.credentialSubject.verifiableCredential).toHaveLength(5);
    const types = clr.credentialSubject.association.map((a: { associationType: string }) => a.associationType);
    expect(types.filter((x: string) => x === 'isParentOf')).toHaveLength(4);
    expect(types.filter((x: string) => x === 'isChildOf')).toHaveLength(4);
    expect((await request(t.app, other, 'GET', `/api/me/pathways/${pid}/clr`)).statusCode).toBe(409);
    expect((await request(t.app, learner, 'GET', `/api/me/pathways/not-a-uuid/clr`)).statusCode).toBe(404);
  });

  it('issues the stacked credential once however many award jobs run at the same time', async () => {
    const second = await signUp(t.app, 'Second Learner');
    for (const [client, orgId, achievementId] of [
      [northwind, nw, id.sql],
      [northwind, nw, id.modelling],
      [harbor, hb, id.harbor],
      [northwind, nw, id.ops],
    ] as const) {
      await award(client, orgId, achievementId!, second);
    }
    const runs = await Promise.all(
      [1, 2, 3].map(() => t.platform.pathways.award({ pathwayId: pid, version: 1, userId: second.userId })),
    );
    expect(new Set(runs.map((r) => r.credentialId)).size).toBe(1);
    const stacked = (await t.platform.issuance.ofRecipient(second.userId)).filter((c) => c.achievementId === id.dest);
    expect(stacked).toHaveLength(1);
  }, 60_000);

  it('finishes an award whose job crashed after signing: the same credential, marked issued, no second one', async () => {
    const third = await signUp(t.app, 'Third Learner');
    for (const [client, orgId, achievementId] of [
      [northwind, nw, id.sql],
      [northwind, nw, id.modelling],
      [harbor, hb, id.harbor],
      [northwind, nw, id.ops],
    ] as const) {
      await award(client, orgId, achievementId!, third);
    }
    // A first run recorded the award and signed the credential, then died before marking it issued.
    const store = createPathwaysStore(t.platform.database.db);
    const claimed = await store.claimAward({
      id: randomUUID(),
      pathwayId: pid,
      version: 1,
      userId: third.userId,
      components: [],
    });
    const signed = await t.platform.awarding.awardForPathway({
      orgId: nw,
      achievementId: id.dest!,
      userId: third.userId,
      pathwayName: 'Cloud Data Engineering',
      components: [],
      sourceKey: `pathway:${claimed.id}`,
    });
    expect((await store.award(claimed.id))!.state).toBe('pending');
    const retried = await t.platform.pathways.award({ pathwayId: pid, version: 1, userId: third.userId });
    expect(retried).toEqual({ awarded: true, credentialId: signed.record.id });
    expect(await store.award(claimed.id)).toMatchObject({ state: 'issued', credentialId: signed.record.id });
    const stacked = (await t.platform.issuance.ofRecipient(third.userId)).filter((c) => c.achievementId === id.dest);
    expect(stacked).toHaveLength(1);
  }, 60_000);

  it('awards an off-ramp once when its subtree completes, before the whole pathway', async () => {
    const ramp = await publishAchievement(t.app, northwind, nw, course('Cloud Foundations (intermediate)', 125, 5));
    const created = await request(
      t.app,
      northwind,
      'POST',
      org(nw),
      pathway({ offRamps: [{ node: 'cloud', achievementId: ramp }] }),
    );
    expect(created.json().check.errors).toEqual([]);
    const rampPathway = created.json().id as string;
    expect((await request(t.app, northwind, 'POST', `${org(nw)}/${rampPathway}/publish`)).statusCode).toBe(201);
    const fourth = await signUp(t.app, 'Fourth Learner');
    await award(harbor, hb, id.harbor!, fourth);
    await award(northwind, nw, id.ops!, fourth);
    const progress = (await request(t.app, fourth, 'GET', `/api/me/pathways/${rampPathway}`)).json();
    expect(progress.progress.offRamps).toEqual([{ node: 'cloud', achievementId: ramp, complete: true }]);
    for (let i = 0; i < 2; i++) {
      expect(
        await t.platform.pathways.award({ pathwayId: rampPathway, version: 1, userId: fourth.userId }),
      ).toMatchObject({
        awarded: false,
        offRamps: 1,
      });
    }
    const issued = (await t.platform.issuance.ofRecipient(fourth.userId)).filter((c) => c.achievementId === ramp);
    expect(issued).toHaveLength(1);
    const evidence = JSON.parse(issued[0]!.document)
      .evidence.map((e: { name: string }) => e.name)
      .sort();
    expect(evidence).toEqual(['Cloud operations', 'Harbor Cloud Foundations']);
    expect((await t.platform.issuance.ofRecipient(fourth.userId)).some((c) => c.achievementId === id.dest)).toBe(false);
    // The learner hears of the off-ramp once, through the outbox, however often the job ran.
    const notices = await t.platform.database.db
      .selectFrom('outbox')
      .select(['subject', 'text', 'org_id'])
      .where('to_email', '=', fourth.email)
      .where('subject', 'like', 'You earned%')
      .execute();
    expect(notices).toEqual([
      {
        subject: 'You earned Cloud Foundations (intermediate)',
        text: expect.stringContaining('You completed part of the pathway “Cloud Data Engineering” of Northwind'),
        org_id: nw,
      },
    ]);
  }, 60_000);

  it('flags the stacked credential for review when a component is revoked, and records the decision', async () => {
    const revoked = await request(t.app, northwind, 'POST', `/api/orgs/${nw}/credentials/${held.ops}/revoke`, {
      reason: 'Exam irregularity',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const flags = (await request(t.app, northwind, 'GET', `${org(nw)}/${pid}/flags`)).json().flags;
    expect(flags).toEqual([
      expect.objectContaining({
        componentHoldingId: held.ops,
        decision: null,
        reason: expect.stringContaining('Exam irregularity'),
      }),
    ]);
    // The stacked credential is not revoked by itself.
    // This pathway's award (the learner is near the off-ramp test's pathway too; the list is in id order).
    const award = (await request(t.app, learner, 'GET', '/api/me/pathways'))
      .json()
      .pathways.find((p: { pathwayId: string }) => p.pathwayId === pid).award;
    expect((await t.platform.issuance.find(award.credentialId)).revokedAt).toBeNull();
    const url = `${org(nw)}/${pid}/flags/${flags[0].id}/decision`;
    expect((await request(t.app, harbor, 'POST', url, { decision: 'keep' })).statusCode).toBe(403);
    const kept = await request(t.app, northwind, 'POST', url, { decision: 'keep', note: 'Ops was a small part' });
    expect(kept.statusCode, kept.body).toBe(200);
    expect((await request(t.app, northwind, 'POST', url, { decision: 'revoke' })).statusCode).toBe(409);
    const after = (await request(t.app, northwind, 'GET', `${org(nw)}/${pid}/flags`)).json().flags[0];
    expect(after).toMatchObject({ decision: 'keep', note: 'Ops was a small part', decidedBy: northwind.userId });
  });

  it('flags the stacked credential when an imported component is found revoked, and shows it with its components', async () => {
    // Harbor's advanced credential reaches this learner as a file (not an award here): an imported holding.
    const fifth = await signUp(t.app, 'Fifth Learner');
    const advanced = await t.platform.catalog.current(id.harborAdvanced!);
    const file = await t.platform.issuance.issue(
      { orgId: hb, profile: await t.platform.catalog.issuerProfile(hb) },
      awardCredential({ achievement: advanced.achievement, recipient: { email: fifth.email }, awardedAt: new Date() }),
    );
    const imported = await request(t.app, fifth, 'POST', '/api/me/wallet/import', {
      text: JSON.stringify(file.verifiableCredential),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const importedId = imported.json().holding.id as string;
    await award(northwind, nw, id.sql!, fifth);
    await award(harbor, hb, id.harbor!, fifth);
    await award(northwind, nw, id.ops!, fifth);
    const done = await t.platform.pathways.award({ pathwayId: pid, version: 1, userId: fifth.userId });
    expect(done.awarded).toBe(true);
    const stackedId = done.credentialId!;
    const before = (await request(t.app, fifth, 'GET', `/api/me/stacked/${stackedId}`)).json();
    expect(before.pathway).toMatchObject({ id: pid, version: 1, title: 'Cloud Data Engineering' });
    expect(before.components).toHaveLength(4);
    expect(before.components.find((c: { holdingId: string }) => c.holdingId === importedId)).toMatchObject({
      name: 'Harbor Cloud Data Design',
      status: 'active',
      sameBytes: true,
    });
    expect(before.flags).toEqual([]);

    // Harbor revokes it: nothing here is told (it is another issuer's credential as far as the award knows); the
    // next check with the issuer finds it, and the stacked credential is flagged for Northwind, not revoked.
    await t.platform.issuance.changeStatus(harbor.userId, hb, file.record.id, 'revoke', 'Plagiarism');
    expect(await t.platform.pathways.recheck(fifth.userId)).toBe(1);
    expect(await t.platform.pathways.recheck(fifth.userId)).toBe(0);
    const flags = (await request(t.app, northwind, 'GET', `${org(nw)}/${pid}/flags`)).json().flags;
    expect(flags.filter((f: { userId: string }) => f.userId === fifth.userId)).toEqual([
      expect.objectContaining({
        componentHoldingId: importedId,
        credentialId: stackedId,
        decision: null,
        reason: expect.stringContaining('Harbor Cloud Data Design'),
      }),
    ]);
    expect((await t.platform.issuance.find(stackedId)).revokedAt).toBeNull();
    const after = (await request(t.app, fifth, 'GET', `/api/me/stacked/${stackedId}`)).json();
    expect(after.components.find((c: { holdingId: string }) => c.holdingId === importedId).status).toBe('revoked');
    expect(after.flags).toEqual([expect.objectContaining({ componentHoldingId: importedId, decision: null })]);
    // Only the holder sees it; a holding that is not a stacked credential is not found.
    expect((await request(t.app, other, 'GET', `/api/me/stacked/${stackedId}`)).statusCode).toBe(404);
    expect((await request(t.app, fifth, 'GET', `/api/me/stacked/${importedId}`)).statusCode).toBe(404);
    expect((await request(t.app, fifth, 'GET', '/api/me/stacked/not-a-uuid')).statusCode).toBe(404);
  }, 60_000);

  it('awards without the learner looking: when a credential completes a pathway, and when a new pathway is published', async () => {
    const awardState = (who: Client, pathwayId: string) =>
      t.platform.database.db
        .selectFrom('pathway_awards')
        .select('state')
        .where('user_id', '=', who.userId)
        .where('pathway_id', '=', pathwayId)
        .executeTakeFirst();
    const waitIssued = async (who: Client, pathwayId: string) => {
      for (let i = 0; i < 150 && (await awardState(who, pathwayId))?.state !== 'issued'; i++) {
        await new Promise((r) => setTimeout(r, 200));
      }
      return (await awardState(who, pathwayId))?.state;
    };
    // A small published pathway: SQL and Streams. The learner earns both and never opens a pathways page.
    const small = pathway({
      title: 'Data foundations',
      requirements: { type: 'allOf', key: 'all', of: [comp('sql', id.sql!), comp('streams', id.streams!)] },
      recognition: [],
      prerequisites: [],
    });
    const first = (await request(t.app, northwind, 'POST', org(nw), small)).json().id as string;
    expect((await request(t.app, northwind, 'POST', `${org(nw)}/${first}/publish`)).statusCode).toBe(201);
    const sixth = await signUp(t.app, 'Sixth Learner');
    await award(northwind, nw, id.sql!, sixth);
    expect(await awardState(sixth, first)).toBeUndefined();
    await award(northwind, nw, id.streams!, sixth);
    expect(await waitIssued(sixth, first)).toBe('issued');

    // A second pathway published after the learner already holds all of it: the publish evaluates them.
    const second = (await request(t.app, northwind, 'POST', org(nw), { ...small, title: 'Data foundations II' })).json()
      .id as string;
    expect(await awardState(sixth, second)).toBeUndefined();
    expect((await request(t.app, northwind, 'POST', `${org(nw)}/${second}/publish`)).statusCode).toBe(201);
    expect(await waitIssued(sixth, second)).toBe('issued');
    // Each stacked credential once, and a learner holding nothing of it is not awarded.
    const issued = await t.platform.issuance.ofRecipient(sixth.userId);
    expect(issued.filter((c) => c.achievementId === id.dest)).toHaveLength(2);
    expect(await awardState(other, second)).toBeUndefined();
    const reran = await t.platform.pathways.reevaluate({ pathwayId: second, version: 1 });
    expect(reran.learners).toBeGreaterThanOrEqual(1);
    expect(
      (await t.platform.issuance.ofRecipient(sixth.userId)).filter((c) => c.achievementId === id.dest),
    ).toHaveLength(2);
  }, 90_000);

  it('queues a recheck per learner holding a stacked credential, once per period', async () => {
    const runs = () =>
      t.platform.database.db.selectFrom('job_runs').select('key').where('queue', '=', 'pathways.recheck').execute();
    const before = (await runs()).length;
    const queued = await t.platform.pathways.sweepRechecks(24 * 60 * 60_000);
    const holders = await t.platform.database.db
      .selectFrom('pathway_awards')
      .select('user_id')
      .where('state', '=', 'issued')
      .distinct()
      .execute();
    expect(queued).toBe(holders.length);
    expect((await runs()).length).toBe(before + holders.length);
    // The same period again: the job keys are taken, nothing new is queued.
    await t.platform.pathways.sweepRechecks(24 * 60 * 60_000);
    expect((await runs()).length).toBe(before + holders.length);
  });
});
