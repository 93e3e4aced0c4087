import type { BrowserContext, Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import {
  apiClient,
  axeViolations,
  signInAs,
  startBrowserRig,
  type ApiClient,
  type BrowserRig,
} from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { solidPng } from '../helpers/images.js';
import { confirmEmailByLink } from '../helpers/mail.js';

/**
 * Badge images as an issuer and a learner meet them: the issuer uploads a PNG in the micro-credential editor
 * (a file of the wrong type or size is refused, saying why), publishes, and the badge shows on the catalog
 * card and, once awarded, on the learner's wallet card.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let issuer: ApiClient;
const password = 'a long enough password';
const stamp = Date.now();
const issuerEmail = `ines-${stamp}@example.org`;
const learnerEmail = `luis-${stamp}@example.org`;
const title = `Badge Design ${stamp}`;
let orgId: string;
let achievementId: string;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  issuer = await apiClient(server.url, { name: 'Ines Issuer', email: issuerEmail, password });
  await apiClient(server.url, { name: 'Luis Learner', email: learnerEmail, password });
  // The learner owns their address: awards sent to it reach the wallet.
  await confirmEmailByLink(server.platform, learnerEmail);
  orgId = (await (await issuer.call('POST', '/api/orgs', { name: 'Fabrikam Academy' })).json()).id;
  const created = await issuer.call(
    'POST',
    `/api/orgs/${orgId}/achievements`,
    sqlDefinition({ title, assessmentType: 'exam', prerequisites: [] }),
  );
  expect(created.status).toBe(201);
  achievementId = (await created.json()).id;
});
afterAll(() => rig?.close());

/** The image has loaded (the browser decoded it), and it is this instance's own uploaded badge. */
async function expectUploadedBadge(image: Locator) {
  await image.waitFor();
  expect(await image.getAttribute('src')).toMatch(/^\/badge-images\/[0-9a-f-]{36}$/);
  // The test's TypeScript has no DOM types: the element's properties are read as a plain object's.
  const loaded = () =>
    image.evaluate((img) => {
      const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number };
      return complete ? naturalWidth : 0;
    });
  await expect.poll(loaded).toBe(128);
}

it('uploads a badge image in the editor, refusing a wrong type or size, and shows it once published', async () => {
  const page = await signInAs(context, server.url, issuerEmail, password);
  await page.goto(`${server.url}/issuer/achievements/${achievementId}`);
  const upload = page.getByLabel('Upload a badge image');
  await upload.waitFor();

  // Not an image: refused before it is sent, saying why.
  await upload.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await page.getByText('“notes.txt” is not a PNG or JPEG image').waitFor();
  expect(await upload.getAttribute('aria-invalid')).toBe('true');
  // Too large (300 KiB).
  const large = Buffer.concat([Buffer.from(solidPng(128, 128)), Buffer.alloc(300 * 1024)]);
  await upload.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: large });
  await page.getByText('“huge.png” is 301 KiB; a badge image may be at most 256 KiB.').waitFor();
  // Named .png but not one: the server checks the bytes, and its message is shown.
  await upload.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a not a png') });
  await page.getByText('A badge image is a PNG or JPEG file.').waitFor();
  expect(await page.locator('.badge-preview').count()).toBe(0);

  // A real PNG: uploaded, previewed, and its address becomes the definition's image.
  await upload.setInputFiles({ name: 'badge.png', mimeType: 'image/png', buffer: Buffer.from(solidPng(128, 128)) });
  await expectUploadedBadge(page.locator('.badge-preview img'));
  expect(await page.locator('.badge-upload .field-error').count()).toBe(0);
  const imageUrl = await page.getByLabel('Image (URL)').inputValue();
  expect(imageUrl).toBe(
    `${server.platform.config.publicUrl}${await page.locator('.badge-preview img').getAttribute('src')}`,
  );
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published version 1.').waitFor();
  const stored = await (await issuer.call('GET', `/api/orgs/${orgId}/achievements/${achievementId}`)).json();
  expect(stored.record.draft.image).toBe(imageUrl);

  // The catalog card shows it.
  await page.goto(`${server.url}/catalog`);
  const card = page.locator('li.card').filter({ has: page.getByRole('link', { name: title }) });
  await expectUploadedBadge(card.locator('img.badge-image'));
  expect(new URL(imageUrl).pathname).toBe(await card.locator('img.badge-image').getAttribute('src'));
  expect(await axeViolations(page)).toEqual([]);
});

it("shows the badge on the learner's wallet card after an award", async () => {
  const awarded = await issuer.call('POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: learnerEmail,
  });
  expect(awarded.status).toBe(201);
  const page = await signInAs(context, server.url, learnerEmail, password);
  await page.goto(`${server.url}/wallet`);
  const card = page.locator('li.card').filter({ has: page.getByRole('link', { name: title }) });
  await expectUploadedBadge(card.locator('img.badge-image'));
  expect(await axeViolations(page)).toEqual([]);
});

it("sets the issuer's badge colour in the profile form, refusing one not written #rrggbb", async () => {
  const page = await signInAs(context, server.url, issuerEmail, password);
  await page.goto(`${server.url}/issuer`);
  const colour = page.getByLabel('Badge colour');
  await colour.fill('blue');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('The colour is written #rrggbb').first().waitFor();
  expect(await colour.getAttribute('aria-invalid')).toBe('true');
  await colour.fill('#0B4F9C');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  const profile = await (await issuer.call('GET', `/api/orgs/${orgId}/profile`)).json();
  expect(profile.details.colour).toBe('#0b4f9c');
  // The badge drawn for the micro-credential takes the colour.
  const drawn = await (await fetch(`${server.url}/achievements/${achievementId}/badge.svg`)).text();
  expect(drawn).toContain('fill="#0b4f9c"');
});
