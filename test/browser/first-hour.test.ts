import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { signUpConfirmed } from '../helpers/mail.js';

/**
 * Issue 17 ("the first hour"), in Chromium against a real server, axe-core on each page: a credential's
 * skills apart from its EU micro-credential facts; one date format, the reader's, the same day on the server's
 * pages and in the web app; the issuer's DID kept inside its own cell.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let orgId: string;
let issuerId: string;
let learnerId: string;
const password = 'a long enough password';
const learnerEmail = 'learner@facts.test';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts, catalog, awarding } = server.platform;
  learnerId = (await signUpConfirmed(server.platform, { email: learnerEmail, name: 'Lin Learner', password })).id;
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

it("writes dates in the reader's locale, the same day on the server's page as in the app, and keeps the DID in its cell", async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  // A time zone where today is another day than in UTC right now: a date formatted in the reader's zone differs.
  const timezoneId = new Date().getUTCHours() < 11 ? 'Pacific/Pago_Pago' : 'Pacific/Kiritimati';
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setTimezoneOverride', { timezoneId });
  await cdp.send('Emulation.setLocaleOverride', { locale: 'de-DE' });
  await page.setExtraHTTPHeaders({ 'accept-language': 'de-DE,de;q=0.9' });
  await context.clearCookies();
  await signInThroughForm(page, server.url, learnerEmail, password);

  const [holding] = (await server.platform.wallet.holdings(learnerId)).filter((h) => h.kind === 'issued');
  const issuedAt = holding!.issued!.issuedAt;
  const expected = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'UTC' }).format(issuedAt);

  await page.goto(`${server.url}/wallet`);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Data Analysis with SQL' }) });
  const issued = card.locator('dt:text-is("Issued") + dd');
  await issued.waitFor();
  expect(await issued.textContent()).toBe(expected);

  const { url } = await server.platform.sharing.share(learnerId, holding!.id);
  await page.goto(`${server.url}${new URL(url).pathname}`);
  expect(await page.locator('dt:text-is("Issued on") + dd').textContent()).toBe(expected);
  await expectAccessible(page, 'public page in German');

  // The issuer's DID wraps inside its own cell and never runs over the accreditation beside it.
  await page.goto(`${server.url}/wallet/${holding!.id}`);
  const identifier = page.locator('dt:text-is("Identifier") + dd');
  await identifier.waitFor();
  expect(await identifier.textContent()).toMatch(/^did:/);
  // The text's own extent (a Range), not its box: overflowing text spills out of an unchanged box.
  interface Box {
    x: number;
    y: number;
    width: number;
    height: number;
  }
  // Runs in the page (the test's own compiler has no DOM library).
  type InPage = {
    ownerDocument: { createRange(): { selectNodeContents(n: unknown): void; getBoundingClientRect(): Box } };
  };
  const textBox = (element: unknown): Box => {
    const range = (element as InPage).ownerDocument.createRange();
    range.selectNodeContents(element);
    const { x, y, width, height } = range.getBoundingClientRect();
    return { x, y, width, height };
  };
  const did = await identifier.evaluate(textBox);
  const cell = (await identifier.locator('xpath=..').boundingBox())!;
  const accreditation = await page.locator('dt:text-is("Accreditation") + dd').evaluate(textBox);
  expect(did.x + did.width).toBeLessThanOrEqual(cell.x + cell.width + 0.5);
  const overlaps =
    did.x < accreditation.x + accreditation.width &&
    accreditation.x < did.x + did.width &&
    did.y < accreditation.y + accreditation.height &&
    accreditation.y < did.y + did.height;
  expect(overlaps).toBe(false);
  await expectAccessible(page, 'holding page in German');
  await page.close();
});

it('shows each micro-credential’s code in the console and lets the issuer choose another', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await signInThroughForm(page, server.url, 'owner@facts.test', password);
  await page.goto(`${server.url}/issuer`);
  const row = page.getByRole('row', { name: /Data Analysis with SQL/ });
  await row.waitFor();
  expect(await row.getByRole('cell').nth(1).textContent()).toBe('DAS-001');
  await expectAccessible(page, 'issuer console with codes');

  await row.getByRole('link', { name: 'Data Analysis with SQL' }).click();
  await page.getByRole('button', { name: 'New version' }).click();
  const code = page.getByLabel('Code');
  expect(await code.inputValue()).toBe('DAS-001');
  await code.fill('sql-201');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('The draft has changes not yet published.').waitFor();
  await expectAccessible(page, 'editor with a code');
  await page.getByRole('link', { name: '← Issuer console' }).click();
  await page.getByRole('cell', { name: 'SQL-201', exact: true }).waitFor();
  await page.close();
});
