import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOutcomeHistory } from '../../src/demo/outcomes.js';
import { createTestApp, signUp, type TestApp } from '../helpers/app.js';

// The demo's synthetic outcome history: its size, that seeding twice changes nothing, and that the dashboards'
// event study on it finds the planted effect (engagements at 1.8 times the rate after the credential).
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the synthetic outcome history', () => {
  it('holds 2,000 workers and 5,000 engagements, once, and its event study shows the planted effect', async () => {
    const owner = await signUp(t.app, 'Demo issuer');
    const first = await seedOutcomeHistory(t.platform, { ownerEmail: owner.email });
    expect(first.created).toBe(true);
    const again = await seedOutcomeHistory(t.platform, { ownerEmail: owner.email });
    expect(again).toEqual({ orgId: first.orgId, created: false });
    const db = t.platform.database.db;
    const credentials = await db
      .selectFrom('credentials')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_id', '=', first.orgId)
      .executeTakeFirstOrThrow();
    expect(Number(credentials.n)).toBe(2_000);
    const projects = await db
      .selectFrom('outcome_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'project')
      .executeTakeFirstOrThrow();
    expect(Number(projects.n)).toBe(5_000);

    const study = await t.platform.analytics.eventStudy({ outcome: 'projects', orgId: first.orgId, windowDays: 30 });
    expect(study.events).toBeGreaterThan(0);
    const post = study.coefficients.post;
    expect(post && 'estimate' in post && post.ciLow).toBeGreaterThan(0);
  });
});
