import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { signUpConfirmed } from '../helpers/mail.js';

/**
 * Issue 17, 5: a credential's skills and its EU micro-credential facts are shown apart, each labelled, in
 * plain words, on the wallet card, the holding page and the verify results, in Chromium; axe-core on each.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let orgId: string;
let issuerId: string;
const password = 'a long enough password';
const learnerEmail = 'learner@facts.test';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts, catalog, awarding } = server.platform;
  await signUpConfirmed(server.platform, { email: learnerEmail, name: 'Lin Learner', password });
  const owner = await signUpConfirmed(server.platform, { email: 'owner@facts.test', name: 'Owner', password });
  issuerId = owner.id;
  orgId = (await accounts.createOrganization(owner.id, { name: 'Northwind Academy' })).id;
  const { record } = await catalog.create(
    orgId,
    sqlDefinition({ prerequisites: [], image: undefined, workloadHours: 25, ectsCredits: 1, eqfLevel: 4 }),
  );
  await catalog.publish(orgId, record.id);
  await awarding.awardByHand({ orgId, achievementId: record.id, email: learnerEmail, issuedBy: issuerId });
});
afterAll(() => rig?.close());

async function expectAccessible(page: Page, where: string) {
  expect(await axeViolations(page), where).toEqual([]);
}

it('shows skills as skills and the EU elements as labelled facts in plain words', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInThroughForm(page, server.url, learnerEmail, password);
  await page.goto(`${server.url}/wallet`);

  const skills = page.getByRole('list', { name: 'Skills of Data Analysis with SQL' });
  await skills.waitFor();
  expect(await skills.getByRole('listitem').allTextContents()).toEqual(['SQL']);
  const card = page.locator('dl[aria-label="Micro-credential facts of Data Analysis with SQL"]');
  expect(await card.locator(':scope > div').allTextContents()).toEqual([
    'Workload25 hours · 1 ECTS credit',
    'LevelEQF level 4 · national level NQF 5',
    'Assessmentskill test, online',
    'Quality assuranceaccredited',
    'Valid for2 years',
    'Stacks intoCounts towards the Data Analyst pathway.',
  ]);
  await page.getByRole('heading', { name: 'Micro-credential facts', level: 3 }).waitFor();
  await expectAccessible(page, 'wallet card');

  // The holding page says the same in words, never the raw codes.
  await page.getByRole('link', { name: 'Data Analysis with SQL' }).click();
  await page.getByRole('heading', { name: 'About this achievement' }).waitFor();
  const about = await page.locator('section[aria-labelledby="achievement-heading"]').textContent();
  expect(about).toContain('Assessmentskill test, online');
  expect(about).not.toMatch(/skill-test|P2Y/);
  const document = await page.evaluate(async (id) => {
    const response = await fetch(`/api/me/wallet/${id}`);
    return JSON.stringify(((await response.json()) as { document: unknown }).document);
  }, new URL(page.url()).pathname.split('/').pop());
  await expectAccessible(page, 'holding page');

  // The verify results: skills and facts apart, under their own labels.
  await page.goto(`${server.url}/verify`);
  await page.getByLabel(/Paste the credential/).fill(document);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const results = page.locator('dl.summary');
  await results.waitFor();
  const terms = await results.locator(':scope > dt').allTextContents();
  expect(terms).toEqual(expect.arrayContaining(['Skills', 'Micro-credential facts', 'Learning outcomes']));
  const skillsDd = results.locator(':scope > dt:text-is("Skills") + dd');
  expect(await skillsDd.textContent()).toBe('SQL · ESCO');
  const factsList = results.locator('dl[aria-label="Micro-credential facts"]');
  expect(await factsList.textContent()).toContain('Valid for2 years');
  await expectAccessible(page, 'verify results');
  await page.close();
});
