import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';

// Issue 17, 5: dates in one format, the reader's locale, written by the server on the pages it renders (the
// public credential page, the public profile, the certificate), as a day in UTC like the web app's.
let t: TestApp;
let issuer: Client;
let learner: Client;
let orgId: string;
let achievementId: string;

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Northwind Academy');
  learner = await signUp(t.app, 'Grace Hopper');
  achievementId = await publishAchievement(t.app, issuer, orgId);
});
afterAll(() => t.close());

const day = (date: Date, locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);

/** The text a PDF draws, as pdf.js extracts it. */
async function pdfText(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const content = await (await document.getPage(1)).getTextContent();
  await document.destroy();
  return content.items.map((item) => ('str' in item ? item.str : '')).join('');
}

it('writes dates in the locale the reader asks for, on every page the server renders', async () => {
  const awarded = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: learner.email,
  });
  expect(awarded.statusCode, awarded.body).toBe(201);
  const issuedAt = new Date(awarded.json().credential.issuedAt);
  const holdingId = (await request(t.app, learner, 'GET', '/api/me/wallet')).json().items[0].id;
  const shared = await request(t.app, learner, 'POST', `/api/me/wallet/${holdingId}/share`);
  const path = new URL(shared.json().url).pathname;

  for (const [header, locale] of [
    ['de-DE,de;q=0.9,en;q=0.5', 'de-DE'],
    ['en-US', 'en-US'],
    ['fr;q=0.4, ja', 'ja'],
    [undefined, 'en-GB'],
  ] as const) {
    const page = await t.app.inject({
      method: 'GET',
      url: path,
      headers: header ? { 'accept-language': header } : {},
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers.vary).toContain('Accept-Language');
    expect(page.body, header).toContain(`<dt>Issued on</dt><dd>${day(issuedAt, locale)}</dd>`);
  }

  const profile = await request(t.app, learner, 'PUT', '/api/me/profile', {
    handle: 'grace-dates',
    displayName: 'Grace',
    enabled: true,
    holdingIds: [holdingId],
  });
  expect(profile.statusCode, profile.body).toBe(200);
  const profilePage = await t.app.inject({
    method: 'GET',
    url: '/u/grace-dates',
    headers: { 'accept-language': 'de-DE' },
  });
  expect(profilePage.body).toContain(`on ${day(issuedAt, 'de-DE')}`);

  const pdf = await t.app.inject({
    method: 'GET',
    url: `/api/me/wallet/${holdingId}/certificate.pdf`,
    headers: { ...learner.cookie, 'accept-language': 'en-US' },
  });
  expect(pdf.statusCode, pdf.body).toBe(200);
  expect(await pdfText(pdf.rawPayload)).toContain(`on ${day(issuedAt, 'en-US')}`);
  // Cyrillic is in the certificate's fonts: the date as a Russian reader writes it.
  const russian = await t.app.inject({
    method: 'GET',
    url: `/api/me/wallet/${holdingId}/certificate.pdf`,
    headers: { ...learner.cookie, 'accept-language': 'ru' },
  });
  expect(await pdfText(russian.rawPayload)).toContain(`on ${day(issuedAt, 'ru')}`);
  // A locale whose script the fonts lack (Thai): the date in English, never replacement characters.
  const thai = await t.app.inject({
    method: 'GET',
    url: `/api/me/wallet/${holdingId}/certificate.pdf`,
    headers: { ...learner.cookie, 'accept-language': 'th' },
  });
  const thaiText = await pdfText(thai.rawPayload);
  expect(thaiText).toContain(`on ${day(issuedAt, 'en-GB')}`);
  expect(thaiText).not.toContain('\uFFFD');
});
