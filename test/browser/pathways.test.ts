import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, signInAs, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { signUpConfirmed } from '../helpers/mail.js';

/**
 * Pathways in the browser: an issuer builds one in the builder (components found in the whole catalog, a live
 * check of completability) and publishes it; a learner one component short sees the tree, what remains and the
 * cheapest route; once awarded, the stacked credential in the wallet lists its components.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

it(
  'builds, checks and publishes a pathway, shows a learner their progress, and the stacked credential',
  { timeout: 300_000 },
  async () => {
    const { accounts, catalog, awarding } = server.platform;
    const password = 'a long enough password';
    const stamp = Date.now();
    const issuer = await signUpConfirmed(server.platform, {
      email: `nw-${stamp}@example.org`,
      name: 'Nora Northwind',
      password,
    });
    const other = await signUpConfirmed(server.platform, {
      email: `hb-${stamp}@example.org`,
      name: 'Hal Harbor',
      password,
    });
    const learner = await signUpConfirmed(server.platform, {
      email: `ln-${stamp}@example.org`,
      name: 'Lea Learner',
      password,
    });
    const nw = (await accounts.createOrganization(issuer.id, { name: 'Northwind Browser' })).id;
    const hb = (await accounts.createOrganization(other.id, { name: 'Harbor Browser Academy' })).id;
    const publish = async (orgId: string, title: string, hours: number, ects: number) => {
      const { record } = await catalog.create(
        orgId,
        // An exam: the catalog lists a skill test only once it can run.
        sqlDefinition({ title, workloadHours: hours, ectsCredits: ects, prerequisites: [], assessmentType: 'exam' }),
      );
      await catalog.publish(orgId, record.id);
      return record.id;
    };
    const dest = await publish(nw, 'Zephyr Data Certificate', 300, 12);
    const sqlId = await publish(nw, 'Zephyr SQL Basics', 50, 2);
    const harborId = await publish(hb, 'Zephyr Cloud Foundations', 50, 2);

    // The issuer builds the pathway.
    const page = await signInAs(context, server.url, issuer.email, password);
    await page.getByRole('link', { name: 'Issuer console', exact: true }).click();
    await page.getByRole('link', { name: 'Pathways: how they stack' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pathways' }).waitFor();
    await page.getByRole('link', { name: 'New pathway' }).click();
    await page.getByRole('heading', { level: 1, name: 'New pathway' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill('Zephyr Data Engineering');
    await page.getByLabel('Description').fill('SQL here and cloud at Harbor.');
    await page.getByLabel('Destination (the micro-credential awarded at the end)').selectOption(dest);
    const checks = page.getByRole('region', { name: 'Checks' });
    // Nothing in the tree yet: the live check says why it cannot be completed.
    await checks.getByText('Publishing is refused until these are fixed').waitFor();
    const search = page.getByLabel('Search the catalog for a component');
    await search.fill('Zephyr SQL');
    await page.getByRole('button', { name: 'Add Zephyr SQL Basics (Northwind Browser)' }).click();
    await search.fill('Zephyr Cloud');
    await page.getByRole('button', { name: 'Add Zephyr Cloud Foundations (Harbor Browser Academy)' }).click();
    await page.getByText('Zephyr Cloud Foundations (Harbor Browser Academy)', { exact: true }).waitFor();
    await checks.getByText('Yes: nothing stops a learner from completing this pathway.').waitFor();
    // An anyOf asking for more parts than it has is refused live, with the reason; back to allOf clears it.
    await page.getByLabel('Kind of requirement for the whole pathway').selectOption('anyOf');
    await page.getByLabel('How many are needed (the whole pathway)').fill('3');
    await checks.getByText('Publishing is refused until these are fixed').waitFor();
    await page.getByLabel('Kind of requirement for the whole pathway').selectOption('allOf');
    await checks.getByText('Yes: nothing stops a learner from completing this pathway.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.getByRole('button', { name: 'Publish a new version' }).click();
    await page.getByText('Version 1 published.').waitFor();
    await page.getByRole('region', { name: 'Published versions' }).getByText('Version 1').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.close();

    // The learner holds the SQL credential: one component short.
    await awarding.awardByHand({ orgId: nw, achievementId: sqlId, email: learner.email, issuedBy: issuer.id });
    const learnerPage = await signInAs(context, server.url, learner.email, password);
    await learnerPage.getByRole('link', { name: 'Pathways', exact: true }).click();
    await learnerPage.getByRole('heading', { level: 1, name: 'My pathways' }).waitFor();
    const row = learnerPage.getByRole('row', { name: /Zephyr Data Engineering/ });
    await row.getByText('1 of 2').waitFor();
    expect(await axeViolations(learnerPage)).toEqual([]);
    await row.getByRole('link', { name: 'Zephyr Data Engineering' }).click();
    await learnerPage.getByRole('heading', { level: 1, name: 'Zephyr Data Engineering' }).waitFor();
    const tree = learnerPage.getByRole('list', { name: 'Requirements' });
    await tree.getByText('by “Zephyr SQL Basics”', { exact: false }).waitFor();
    expect(await tree.getByText('Done', { exact: true }).count()).toBe(1);
    expect(await tree.getByText('To do', { exact: true }).count()).toBe(2);
    const route = learnerPage.getByRole('list', { name: 'Cheapest route' });
    await route.getByRole('link', { name: 'Zephyr Cloud Foundations' }).waitFor();
    expect(await route.textContent()).toContain('50 h');
    expect(await axeViolations(learnerPage)).toEqual([]);

    // Harbor awards the last component; the award job issues the stacked credential.
    await awarding.awardByHand({ orgId: hb, achievementId: harborId, email: learner.email, issuedBy: other.id });
    let credentialId: string | null = null;
    for (let i = 0; i < 150 && !credentialId; i++) {
      const mine = await server.platform.pathways.mine(learner.id);
      credentialId = mine.pathways.find((p) => p.title === 'Zephyr Data Engineering')?.award?.credentialId ?? null;
      if (!credentialId) await new Promise((r) => setTimeout(r, 200));
    }
    expect(credentialId).not.toBeNull();
    await learnerPage.reload();
    await learnerPage.getByRole('link', { name: 'See it in your wallet' }).click();
    await learnerPage.getByRole('heading', { level: 1, name: 'Zephyr Data Certificate' }).waitFor();
    const stacked = learnerPage.getByRole('region', { name: 'Stacked from' });
    const parts = stacked.getByRole('list', { name: 'Component credentials' });
    await parts.getByRole('link', { name: 'Zephyr SQL Basics' }).waitFor();
    await parts.getByRole('link', { name: 'Zephyr Cloud Foundations' }).waitFor();
    expect(await parts.getByText('Valid', { exact: true }).count()).toBe(2);
    expect(await axeViolations(learnerPage)).toEqual([]);
  },
);
