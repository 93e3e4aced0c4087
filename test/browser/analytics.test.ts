import { randomUUID } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { seedOutcomeHistory, syntheticOrgName } from '../../src/demo/outcomes.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { sqlDefinition } from '../helpers/definitions.js';

/**
 * An instance admin opens the analytics dashboards on a synthetic history (the demo's, smaller): the event
 * study's plot is an SVG the server rendered, its table gives the planted effect with an interval, and a
 * sharing experiment is planned, started and listed with its (not yet readable) report.
 */
/** The width an image was drawn at once loaded (0 while loading or broken). */
const loaded = (img: unknown) => {
  const { complete, naturalWidth } = img as { complete: boolean; naturalWidth: number };
  return complete ? naturalWidth : 0;
};
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const email = 'analyst@analytics.test';
const password = 'a long enough password';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  await signUpConfirmed(server.platform, { email, name: 'Ana Analyst', password });
  await server.platform.accounts.grantInstanceAdmin(email);
  const { orgId } = await seedOutcomeHistory(server.platform, { workers: 600, engagements: 2_400, ownerEmail: email });
  // The synthetic employer shares its hiring funnel: 30 applications to one job, 16 with an aligned credential.
  const db = server.platform.database.db;
  const job = await db
    .insertInto('hiring_jobs')
    .values({
      org_id: orgId,
      title: 'Synthetic analyst',
      description: '',
      kind: 'job',
      status: 'open',
      skills: '[]',
      weights: JSON.stringify({ credentials: 1, workHistory: 1, references: 1 }),
      location: null,
      remote: true,
      blind: false,
      created_by: null,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const users = await db.selectFrom('users').select('id').where('email', '!=', email).limit(30).execute();
  for (const [i, user] of users.entries()) {
    const aligned = i < 16;
    await db
      .insertInto('hiring_applications')
      .values({
        job_id: job.id,
        org_id: orgId,
        user_id: user.id,
        origin: 'applied',
        stage: i % 4 === 0 ? 'offer' : 'rejected',
        furthest: i % 4 === 0 ? 4 : 2,
        holdings: '[]',
        aligned,
        applied_at: new Date('2026-03-01T10:00:00Z'),
        updated_at: new Date(),
      })
      .execute();
  }
  const owner = await server.platform.accounts.findUserByEmail(email);
  await server.platform.analytics.setFunnelSharing(orgId, true, owner!.id);
});
afterAll(() => rig?.close());

it('shows the event study as a server-rendered plot with its table, and runs a sharing experiment', async () => {
  const page = await context.newPage();
  await signInThroughForm(page, server.url, email, password);
  await page.getByRole('link', { name: 'Analytics' }).click();
  await page.getByRole('heading', { level: 1, name: 'Outcome analytics' }).waitFor();
  const plot = page.getByRole('img', { name: /Coefficient plot of the event study/ });
  await plot.waitFor();
  await expect.poll(() => plot.evaluate(loaded)).toBeGreaterThan(100);
  const table = page.getByRole('table', { name: 'Event-study estimates' });
  const post = table.getByRole('row', { name: /^post\b/ }).first();
  await post.waitFor();
  // The planted effect: more engagements after the credential, so earnings rise; the estimate is shown with its interval.
  const cells = await post.getByRole('cell').allTextContents();
  expect(Number(cells[1])).toBeGreaterThan(0);
  expect(cells[3]).toMatch(/^-?\d+\.\d{3} to \d+\.\d{3}$/);
  expect(await page.getByRole('link', { name: 'Download the table (CSV)' }).first().getAttribute('href')).toBe(
    '/api/admin/analytics/event-study.csv?outcome=log-earnings',
  );
  expect(await axeViolations(page)).toEqual([]);

  // The hiring funnel pooled over the employers who share: a server-rendered chart and its table.
  const funnel = page.getByRole('region', { name: 'Hiring funnel' });
  await funnel.getByText('Pooled over 1 employer(s): 30 applications.').waitFor();
  const funnelTable = funnel.getByRole('table', { name: /Applications reaching each stage/ });
  expect(
    await funnelTable
      .getByRole('row', { name: /^applied/ })
      .getByRole('cell')
      .allTextContents(),
  ).toEqual(['16 (100% on)', '14 (100% on)']);
  expect(
    await funnelTable
      .getByRole('row', { name: /^screening/ })
      .getByRole('cell')
      .allTextContents(),
  ).toEqual(['16 (25% on)', '14 (29% on)']);
  expect(
    await funnelTable
      .getByRole('row', { name: /^interview/ })
      .getByRole('cell')
      .allTextContents(),
  ).toEqual(['withheld', 'withheld']);
  await expect.poll(() => funnel.getByRole('img').evaluate(loaded)).toBeGreaterThan(100);
  expect(await funnel.getByRole('link', { name: 'Download the funnel table (CSV)' }).getAttribute('href')).toBe(
    '/api/admin/analytics/funnel.csv',
  );
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Outcome').selectOption('projects');
  await table
    .getByRole('row', { name: /^post\b/ })
    .first()
    .waitFor();

  await page.getByLabel('Name').fill('Reminder test');
  await page.getByText(/Planned size: [\d,]+ learners/).waitFor();
  await page.getByRole('button', { name: 'Start the experiment' }).click();
  const experiment = page.getByRole('region', { name: 'Reminder test' });
  await experiment.getByText(/0 of [\d,]+ planned learners exposed/).waitFor();
  await experiment
    .getByRole('table')
    .getByText(/Withheld: 0 of the planned/)
    .first()
    .waitFor();
  await expect.poll(() => experiment.getByRole('img').evaluate(loaded)).toBeGreaterThan(100);
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
  expect(syntheticOrgName).toMatch(/synthetic/);
});

it("shows an issuer its micro-credentials' pass and share rates and each one's event study, small cells withheld", async () => {
  const db = server.platform.database.db;
  const { orgId } = await seedOutcomeHistory(server.platform, { ownerEmail: email });
  // The synthetic credentials become those of two published micro-credentials: 597 of one, 3 of another.
  const publish = async (title: string) => {
    const { record } = await server.platform.catalog.create(orgId, sqlDefinition({ prerequisites: [], title }));
    await server.platform.catalog.publish(orgId, record.id);
    return record.id;
  };
  const big = await publish('Synthetic data wrangling');
  const small = await publish('Synthetic niche skill');
  await db.updateTable('credentials').set({ achievement_id: big }).where('org_id', '=', orgId).execute();
  const three = await db
    .selectFrom('credentials')
    .select(['id', 'recipient_user_id'])
    .where('org_id', '=', orgId)
    .limit(3)
    .execute();
  await db
    .updateTable('credentials')
    .set({ achievement_id: small })
    .where(
      'id',
      'in',
      three.map((c) => c.id),
    )
    .execute();
  // Forty candidates of the large one's skill test (30 pass); twelve of its holders shared theirs.
  const holders = await db
    .selectFrom('credentials')
    .select(['id', 'recipient_user_id'])
    .where('achievement_id', '=', big)
    .orderBy('id')
    .limit(40)
    .execute();
  for (const [i, holder] of holders.entries()) {
    await db
      .insertInto('attempts')
      .values({
        id: randomUUID(),
        achievement_id: big,
        version: 1,
        user_id: holder.recipient_user_id!,
        policy: '{}',
        started_at: new Date('2026-01-10T10:00:00Z'),
        deadline: new Date('2026-01-10T11:00:00Z'),
        finished_at: new Date('2026-01-10T10:30:00Z'),
        score: '{}',
        passed: i < 30,
      })
      .execute();
    if (i < 12) {
      await server.platform.sharing.recordAction(holder.recipient_user_id!, holder.id, 'copy');
    }
  }

  // Still signed in from the first test (the same browser context).
  const page = await context.newPage();
  await page.goto(`${server.url}/dashboard`);
  await page.getByRole('link', { name: 'Analytics' }).click();
  const panel = page.getByRole('region', { name: 'Your micro-credentials' });
  const table = panel.getByRole('table', { name: /Micro-credentials: pass rate, share rate/ });
  const bigRow = table.getByRole('row', { name: /^Synthetic data wrangling/ });
  await bigRow.waitFor();
  const cells = await bigRow.getByRole('cell').allTextContents();
  // Known numbers: R's prop.test(30, 40, correct = FALSE) and prop.test(12, 597, correct = FALSE).
  expect(cells.slice(0, 6)).toEqual(['40', '40', '75.0% (59.8% to 85.8%)', '597', '597', '2.0% (1.2% to 3.5%)']);
  // The planted effect: holders earn more after their credential.
  expect(Number(cells[6]!.split(' ')[0])).toBeGreaterThan(0);
  expect(
    await table
      .getByRole('row', { name: /^Synthetic niche skill/ })
      .getByRole('cell')
      .allTextContents(),
  ).toEqual(['withheld', 'withheld', 'withheld', 'withheld', 'withheld', 'withheld', 'withheld']);
  const rates = panel.getByRole('img', { name: /pass rate and the share rate/ });
  await expect.poll(() => rates.evaluate(loaded)).toBeGreaterThan(100);
  expect(await panel.getByRole('link', { name: 'Download the issuer table (CSV)' }).getAttribute('href')).toBe(
    `/api/orgs/${orgId}/analytics/issuer.csv`,
  );
  expect(await panel.getByRole('link', { name: 'Download the rates chart (SVG)' }).getAttribute('href')).toBe(
    `/api/orgs/${orgId}/analytics/issuer.svg`,
  );
  // Each micro-credential's coefficient plot: chosen in the selector, or opened from its row.
  await panel.getByLabel('Micro-credential for the coefficient plot').selectOption(big);
  const study = panel.getByRole('img', { name: /Event-study coefficients for Synthetic data wrangling/ });
  await expect.poll(() => study.evaluate(loaded)).toBeGreaterThan(100);
  expect(await bigRow.getByRole('link', { name: /Plot of Synthetic data wrangling/ }).getAttribute('href')).toBe(
    `/api/orgs/${orgId}/analytics/event-study.svg?outcome=log-earnings&achievementId=${big}`,
  );
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});
