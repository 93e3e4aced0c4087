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
import { createHoldingFactsStore, type HoldingFactsRow } from '../../src/pathways/facts-store.js';
import type { HeldDocument } from '../../src/pathways/holdings.js';
import { decodePage, type LearnerHoldings, type ReevaluationPage } from '../../src/pathways/reevaluate.js';
import type { RequirementNode } from '../../src/pathways/pathway.js';

/**
 * The projection re-evaluations read (pathway_holding_facts) against the per-learner path it stands in for
 * (`PathwaysDeps.holdings`: the wallet's holdings, imports verified), for learners holding credentials issued here,
 * revoked, expired, about to expire, imported and removed; and the publish-time job, which reads the projection,
 * against the per-learner evaluation (progress) of the same learners.
 */
let t: TestApp;
let northwind: Client;
let harbor: Client;
let nw: string;
let hb: string;
const id: Record<string, string> = {};
const learners: Record<string, Client> = {};

const cloudSkill = 'http://data.europa.eu/esco/skill/cloud-data';
const course = (title: string, ects: number, extra: object = {}) =>
  sqlDefinition({ title, workloadHours: ects * 25, ectsCredits: ects, prerequisites: [], ...extra });
const award = async (client: Client, orgId: string, achievementId: string, to: Client) => {
  const response = await request(t.app, client, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: to.email,
  });
  if (response.statusCode !== 201) throw new Error(`award failed: ${response.body}`);
  return response.json().credential.id as string;
};
/** Harbor's advanced credential as a file the learner imports (issued here, but reaching the wallet as an import). */
const importAdvanced = async (to: Client) => {
  const advanced = await t.platform.catalog.current(id.advanced!);
  const file = await t.platform.issuance.issue(
    { orgId: hb, profile: await t.platform.catalog.issuerProfile(hb) },
    awardCredential({ achievement: advanced.achievement, recipient: { email: to.email }, awardedAt: new Date() }),
  );
  const imported = await request(t.app, to, 'POST', '/api/me/wallet/import', {
    text: JSON.stringify(file.verifiableCredential),
  });
  if (imported.statusCode !== 201) throw new Error(imported.body);
  return imported.json().holding.id as string;
};
/** A credential of `achievementId` issued to `to` that ends at `validUntil`. */
const issueUntil = async (orgId: string, achievementId: string, to: Client, validUntil: Date) => {
  const current = await t.platform.catalog.current(achievementId);
  const issued = await t.platform.issuance.issue(
    { orgId, profile: await t.platform.catalog.issuerProfile(orgId) },
    awardCredential({
      achievement: current.achievement,
      recipient: { email: to.email },
      awardedAt: new Date(Date.now() - 60_000),
      validUntil,
    }),
    { recipientUserId: to.userId },
  );
  return issued.record.id;
};
const comp = (key: string, achievementId: string) => ({ type: 'component', key, component: { achievementId } });
/** What the projection keeps of a holding from the per-learner path (the rest are its bytes and id). */
const asRow = ({ credentialId: _c, document: _d, ...row }: HeldDocument): HoldingFactsRow => ({
  ...row,
  validUntil: row.validUntil ?? null,
});

beforeAll(async () => {
  t = await createTestApp();
  northwind = await signUp(t.app, 'Northwind Issuer');
  harbor = await signUp(t.app, 'Harbor Issuer');
  nw = await createOrg(t.app, northwind, 'Northwind');
  hb = await createOrg(t.app, harbor, 'Harbor Cloud Academy');
  id.dest = await publishAchievement(t.app, northwind, nw, course('Data certificate', 10));
  id.sql = await publishAchievement(t.app, northwind, nw, course('SQL', 2));
  id.streams = await publishAchievement(t.app, northwind, nw, course('Streams', 1));
  id.ops = await publishAchievement(t.app, northwind, nw, course('Cloud operations', 3));
  id.harbor = await publishAchievement(t.app, harbor, hb, course('Harbor Cloud Foundations', 2));
  id.advanced = await publishAchievement(
    t.app,
    harbor,
    hb,
    course('Harbor Cloud Data Design', 2, {
      eqfLevel: 6,
      skills: [{ code: cloudSkill, name: 'cloud data design', framework: 'ESCO', url: cloudSkill }],
    }),
  );
  for (const name of ['complete', 'revoked', 'expired', 'expiring', 'imported', 'removed', 'none']) {
    learners[name] = await signUp(t.app, `Facts ${name}`);
  }
  const { complete, revoked, expired, expiring, imported, removed } = learners as Record<string, Client>;
  for (const who of [complete!, revoked!, expired!, expiring!]) {
    await award(northwind, nw, id.sql!, who);
    await award(northwind, nw, id.ops!, who);
  }
  await award(northwind, nw, id.streams!, complete!);
  const streams = await award(northwind, nw, id.streams!, revoked!);
  const revoke = await request(t.app, northwind, 'POST', `/api/orgs/${nw}/credentials/${streams}/revoke`, {
    reason: 'Issued in error',
  });
  if (revoke.statusCode !== 200) throw new Error(revoke.body);
  await issueUntil(nw, id.streams!, expired!, new Date(Date.now() - 1000));
  await issueUntil(nw, id.streams!, expiring!, new Date(Date.now() + 24 * 60 * 60_000));
  await award(northwind, nw, id.sql!, imported!);
  await award(harbor, hb, id.harbor!, imported!);
  await importAdvanced(imported!);
  await award(northwind, nw, id.sql!, removed!);
  const gone = await importAdvanced(removed!);
  const deleted = await request(t.app, removed!, 'DELETE', `/api/me/wallet/${gone}`);
  if (deleted.statusCode >= 300) throw new Error(deleted.body);
}, 180_000);
afterAll(() => t?.close());

describe('the holdings projection re-evaluations read', () => {
  it('holds what the per-learner path gives, for issued, revoked, expired, imported and removed holdings', async () => {
    const facts = createHoldingFactsStore(t.platform.database.db);
    await t.platform.pathways.refreshMarked();
    expect(
      await t.platform.database.db
        .selectFrom('pathway_facts_dirty')
        .select('user_id')
        .where(
          'user_id',
          'in',
          Object.values(learners).map((l) => l.userId),
        )
        .execute(),
    ).toEqual([]);
    for (const [name, who] of Object.entries(learners)) {
      const live = (await t.platform.pathways.heldBy(who.userId)).map(asRow);
      expect(await facts.of(who.userId), name).toEqual(live);
    }
    const statuses = async (who: Client, now?: Date) => (await facts.of(who.userId, now)).map((h) => h.status).sort();
    expect(await statuses(learners.revoked!)).toEqual(['active', 'active', 'revoked']);
    expect(await statuses(learners.expired!)).toEqual(['active', 'active', 'expired']);
    expect(await statuses(learners.none!)).toEqual([]);
    // The removed import is gone; the imported one is there as the wallet verified it.
    expect((await facts.of(learners.removed!.userId)).map((h) => h.name)).toEqual(['SQL']);
    expect((await facts.of(learners.imported!.userId)).map((h) => h.name).sort()).toEqual([
      'Harbor Cloud Data Design',
      'Harbor Cloud Foundations',
      'SQL',
    ]);
    // What a re-evaluation reads of them in bulk (COPY on PostgreSQL), for a version naming every achievement.
    const all = ['sql', 'streams', 'ops', 'harbor', 'advanced'];
    const version = {
      definition: {
        title: 'All',
        description: 'All',
        destination: id.dest!,
        requirements: { type: 'allOf', key: 'all', of: all.map((k) => comp(k, id[k]!)) } as RequirementNode,
        recognition: [],
        prerequisites: [],
        offRamps: [],
      },
      facts: [],
      achievementUrlPrefix: `${t.platform.config.publicUrl}/achievements/`,
    };
    const source = createHoldingFactsStore(t.platform.database.db, { url: t.platform.database.url }).source(
      version,
      new Date(),
      async () => {},
    );
    const read: LearnerHoldings[] = [];
    try {
      for (let after: string | null = null; ;) {
        const { page, next }: { page: ReevaluationPage; next: string | null } = await source.read(after, 3);
        read.push(...decodePage(page));
        if (next === null) break;
        after = next;
      }
    } finally {
      await source.close();
    }
    for (const [name, who] of Object.entries(learners)) {
      const rows = (await facts.of(who.userId)).map(({ validUntil: _v, ...h }) => h);
      expect(read.find((l) => l.learner === who.userId)?.holdings ?? [], name).toEqual(rows);
    }
    // Expiry is judged when read: the credential valid until tomorrow is active now and expired the day after.
    expect(await statuses(learners.expiring!)).toEqual(['active', 'active', 'active']);
    expect(await statuses(learners.expiring!, new Date(Date.now() + 2 * 24 * 60 * 60_000))).toEqual([
      'active',
      'active',
      'expired',
    ]);
  }, 60_000);

  it('marks a learner whose holdings change, and refreshes them to match again', async () => {
    const facts = createHoldingFactsStore(t.platform.database.db);
    const who = learners.none!;
    await t.platform.pathways.refreshMarked();
    expect(await facts.markOf(who.userId)).toBeUndefined();
    const credential = await award(northwind, nw, id.streams!, who);
    expect(await facts.markOf(who.userId)).toBeDefined();
    await t.platform.pathways.refreshMarked();
    expect((await facts.of(who.userId)).map((h) => h.status)).toEqual(['active']);
    const revoked = await request(t.app, northwind, 'POST', `/api/orgs/${nw}/credentials/${credential}/revoke`, {
      reason: 'Issued in error',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await facts.markOf(who.userId)).toBeDefined();
    await t.platform.pathways.refreshMarked();
    expect((await facts.of(who.userId)).map((h) => h.status)).toEqual(['revoked']);
    expect(await facts.markOf(who.userId)).toBeUndefined();
    expect(await facts.of(who.userId)).toEqual((await t.platform.pathways.heldBy(who.userId)).map(asRow));
  }, 60_000);

  it('awards on publish the learners the per-learner evaluation finds complete, and no others', async () => {
    const definition = {
      title: 'Data certificate',
      description: 'SQL, streams or cloud data design, and 3 ECTS of cloud.',
      destination: id.dest,
      requirements: {
        type: 'allOf',
        key: 'all',
        of: [
          comp('sql', id.sql!),
          { type: 'anyOf', key: 'electives', n: 1, of: [comp('streams', id.streams!), comp('design', id.advanced!)] },
          {
            type: 'credits',
            key: 'cloud',
            min: 2,
            unit: 'ECTS',
            of: [comp('ops', id.ops!), comp('harbor', id.harbor!)],
          },
        ],
      },
      recognition: [],
      prerequisites: [],
    };
    const created = await request(t.app, northwind, 'POST', `/api/orgs/${nw}/pathways`, definition);
    const pid = created.json().id as string;
    expect((await request(t.app, northwind, 'POST', `/api/orgs/${nw}/pathways/${pid}/publish`)).statusCode).toBe(201);
    const result = await t.platform.pathways.reevaluate({ pathwayId: pid, version: 1 });
    const awardKeys = async () =>
      (
        await t.platform.database.db
          .selectFrom('job_runs')
          .select('key')
          .where('queue', '=', 'pathways.award')
          .where('key', 'like', `${pid}:1:%`)
          .execute()
      )
        .map((r) => r.key)
        .sort();
    const queued = await awardKeys();
    const queuedUsers = new Set(queued.map((k) => k.split(':')[2]));
    // The per-learner path: each learner's wallet evaluated on its own (what the job did before).
    const complete = new Set<string>();
    for (const who of Object.values(learners)) {
      if ((await t.platform.pathways.progress(who.userId, pid)).complete) complete.add(who.userId);
    }
    expect(complete.has(learners.complete!.userId)).toBe(true);
    expect(complete.has(learners.revoked!.userId)).toBe(false);
    expect(complete.has(learners.expired!.userId)).toBe(false);
    expect(queuedUsers).toEqual(complete);
    expect(result.complete).toBe(complete.size);
    expect(result.queued).toBe(complete.size);
    // The per-learner reads queued nothing new: the job's award keys name the same holdings.
    expect(await awardKeys()).toEqual(queued);
  }, 120_000);
});
