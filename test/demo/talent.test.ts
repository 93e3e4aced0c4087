import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { seedTalentDemo, talentJobTitles } from '../../src/demo/talent.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.platform.skills.loadBundled();
  await seedDemo(t.platform);
}, 120_000);
afterAll(() => t.close());

it(
  'seeds Contoso’s two open jobs and a ranked pool showing every kind of term, once',
  { timeout: 300_000 },
  async () => {
    const first = await seedTalentDemo(t.platform, { candidates: 60 });
    expect(first.created).toBe(true);
    expect(first.jobs.map((j) => j.title)).toEqual([talentJobTitles.analyst, talentJobTitles.cloud]);
    const kinds = new Set<string>();
    let revokedShown = false;
    let expiredShown = false;
    for (const job of first.jobs) {
      const ranked = await t.platform.hiring.candidates(first.orgId, job.id, { limit: 100, offset: 0 });
      expect(ranked.total).toBeGreaterThan(5);
      expect(ranked.job.blind).toBe(true);
      for (const c of ranked.candidates) {
        expect(c.score).toBe(c.terms.reduce((s, x) => s + x.points, 0));
        for (const term of c.terms) kinds.add(term.kind);
        if (c.terms.some((x) => x.points === 0 && /revoked/.test(x.note))) revokedShown = true;
        if (c.terms.some((x) => x.points === 0 && /“Cloud Operations” expired \(on \d{4}-\d{2}-\d{2}\)/.test(x.note)))
          expiredShown = true;
      }
    }
    expect([...kinds].sort()).toEqual(['credential', 'reference', 'saturation', 'track-record', 'work-history']);
    expect(revokedShown).toBe(true);
    expect(expiredShown).toBe(true);
    // Both demo issuers' credentials count.
    const issuers = await t.platform.database.db
      .selectFrom('talent_evidence')
      .select((eb) => eb.fn.count<number>('holding_id').distinct().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(issuers.n)).toBeGreaterThan(60);

    const again = await seedTalentDemo(t.platform, { candidates: 60 });
    expect(again).toEqual({ ...first, created: false });
    expect((await t.platform.hiring.jobs(first.orgId)).length).toBe(2);
  },
);
