import type { Platform } from '../../src/app/platform.js';
import type { User } from '../../src/accounts/store.js';

/** The token of the newest link (`…/PAGE#TOKEN`) the outbox holds for `email`, as the mail would carry it. */
export async function linkTokenFor(platform: Platform, email: string, page: 'confirm-email' | 'reset-password') {
  const rows = await platform.database.db
    .selectFrom('outbox')
    .select(['text'])
    .where('to_email', '=', email.toLowerCase())
    .orderBy('created_at', 'desc')
    .execute();
  for (const row of rows) {
    const match = new RegExp(`/${page}#([A-Za-z0-9_-]{43})`).exec(row.text);
    if (match) return match[1]!;
  }
  throw new Error(`no ${page} link in the outbox for ${email}`);
}

/** Follows the confirmation link sent to the account's email, as its owner would. */
export async function confirmEmailByLink(platform: Platform, email: string): Promise<User> {
  return platform.accounts.confirmEmail(await linkTokenFor(platform, email, 'confirm-email'));
}

/** Signs up and confirms the email by the link sent to it: an account as its owner ends up with it. */
export async function signUpConfirmed(
  platform: Platform,
  input: { email: string; name: string; password: string },
): Promise<User> {
  await platform.accounts.signUp(input);
  return confirmEmailByLink(platform, input.email);
}
