import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { linkTokenFor } from '../helpers/mail.js';

/**
 * A person's account in the browser: sign-up and the confirmation link's landing page, account settings
 * (password and email changes), and a forgotten password reset by the mailed link; axe-core throughout.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const email = 'ava@accounts.test';
const newEmail = 'ava.new@accounts.test';
const password = 'a long enough password';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

async function waitForToken(address: string, page: 'confirm-email' | 'reset-password', previous?: string) {
  for (let i = 0; i < 100; i++) {
    const token = await linkTokenFor(server.platform, address, page).catch(() => undefined);
    if (token && token !== previous) return token;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${page} link for ${address}`);
}

async function noViolations(page: Page, what: string) {
  expect(await axeViolations(page), what).toEqual([]);
}

it('signs up, confirms by the mailed link, changes password and email, and resets a forgotten password', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-up`);
  await page.getByLabel('Your name').fill('Ava Account');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/dashboard');
  await page.getByText('Confirm your email address with the link we sent').waitFor();
  await noViolations(page, 'dashboard, unconfirmed');

  // The link from the mail: the page confirms on its own and takes the token out of the address bar.
  await page.goto(`${server.url}/confirm-email#${await waitForToken(email, 'confirm-email')}`);
  await page
    .getByRole('status')
    .filter({ hasText: `${email} is confirmed` })
    .waitFor();
  expect(new URL(page.url()).hash).toBe('');
  await noViolations(page, 'confirmation landing');
  await page.goto(`${server.url}/dashboard`);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  expect(await page.getByText('Confirm your email address with the link we sent').count()).toBe(0);

  // Account settings, from the name in the top bar.
  await page.getByRole('link', { name: 'Ava Account' }).click();
  await page.waitForURL('**/account');
  await page.getByText(`${email}`).first().waitFor();
  await noViolations(page, 'account settings');
  const passwordForm = page.locator('section', { has: page.getByRole('heading', { name: 'Password' }) });
  await passwordForm.getByLabel('Current password').fill('not my password');
  await passwordForm.getByLabel('New password', { exact: true }).fill('a changed password');
  await passwordForm.getByLabel('New password again').fill('a changed password');
  await passwordForm.getByRole('button', { name: 'Change password' }).click();
  await passwordForm.getByText('The current password is not right.').first().waitFor();
  await noViolations(page, 'account settings with an error');
  await passwordForm.getByLabel('Current password').fill(password);
  await passwordForm.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('status').filter({ hasText: 'Your password was changed' }).waitFor();

  const emailForm = page.locator('section', { has: page.getByRole('heading', { name: 'Email', exact: true }) });
  await emailForm.getByLabel('New email').fill(newEmail);
  await emailForm.getByLabel('Current password').fill('a changed password');
  await emailForm.getByRole('button', { name: 'Send a confirmation link' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `We sent a link to ${newEmail}` })
    .waitFor();
  await page.getByText(`Waiting for you to open the link sent to`).waitFor();
  await page.goto(`${server.url}/confirm-email#${await waitForToken(newEmail, 'confirm-email')}`);
  await page
    .getByRole('status')
    .filter({ hasText: `${newEmail} is confirmed` })
    .waitFor();

  // Signed out, the password is forgotten: the reset link from the mail sets a new one.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL('**/forgot-password');
  await noViolations(page, 'forgot password');
  await page.getByLabel('Email').fill(newEmail);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByRole('status').filter({ hasText: 'If an account has this email' }).waitFor();
  await page.goto(`${server.url}/reset-password#${await waitForToken(newEmail, 'reset-password')}`);
  await page.getByLabel('New password', { exact: true }).waitFor();
  expect(new URL(page.url()).hash).toBe('');
  await noViolations(page, 'reset password');
  await page.getByLabel('New password', { exact: true }).fill('the reset password');
  await page.getByLabel('New password again').fill('the reset password');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.waitForURL('**/sign-in');
  await page.getByRole('status').filter({ hasText: 'Your password was reset' }).waitFor();
  await signInThroughForm(page, server.url, newEmail, 'the reset password');
}, 180_000);
