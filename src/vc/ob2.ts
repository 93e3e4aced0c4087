import type { Check, CheckId, CheckStatus, VerificationResult } from './checks.js';
import { VcError } from './errors.js';
import { fetchObject, obj, resolve, str, type Ob2Fetcher, type Obj } from './ob2-document.js';
import { checkHosted } from './ob2-hosted.js';
import { checkSignature, signedAssertion } from './ob2-signed.js';
import { summarizeOb2 } from './ob2-summary.js';

/**
 * Open Badges 2.0 assertions, hosted and signed (1EdTech OB 2.0, section "Verification"). Many badges in
 * the wild are still 2.0; a learner can import them and an employer can check them, with the rules of
 * their own standard: a hosted assertion must still be served at its own id, on the issuer's origin; a
 * signed one must carry an RS256 signature by a key its issuer publishes; either may be revoked or expire.
 */
export const ob2Context = 'https://w3id.org/openbadges/v2';

export type { Ob2Fetcher, Ob2Response } from './ob2-document.js';

export function isOb2Assertion(value: unknown): boolean {
  const document = obj(value);
  if (!document) return false;
  const contexts = [document['@context']].flat();
  return (
    contexts.includes(ob2Context) || (document.type === 'Assertion' && 'badge' in document && 'recipient' in document)
  );
}

/** Whether a compact JWS carries an OB 2.0 assertion. */
export function isOb2Jws(jws: string): boolean {
  try {
    return isOb2Assertion(signedAssertion(jws));
  } catch {
    return false;
  }
}

type Add = (id: CheckId, status: CheckStatus, message: string) => void;

/** The assertion's own shape: an Assertion with a recipient, an issue date and a verification object. */
function checkDataModel(assertion: Obj, add: Add) {
  const problems: string[] = [];
  if (assertion.type !== 'Assertion') problems.push('Its type must be "Assertion".');
  if (!obj(assertion.recipient)) problems.push('It names no recipient.');
  if (!str(assertion.issuedOn)) problems.push('It has no issuedOn date.');
  const verification = obj(assertion.verification);
  if (!verification || !str(verification.type)) problems.push('It has no verification object.');
  add(
    'data-model',
    problems.length ? 'failed' : 'passed',
    problems.length ? `Open Badges 2.0 assertion: ${problems.join(' ')}` : 'This is an Open Badges 2.0 assertion.',
  );
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Issued on a day that has come, and not expired. */
function checkDates(assertion: Obj, now: Date, add: Add) {
  const issuedOn = str(assertion.issuedOn) ? new Date(str(assertion.issuedOn)!) : undefined;
  if (issuedOn && issuedOn > now)
    add('valid-from', 'failed', `The assertion is not valid yet: it was issued for ${day(issuedOn)}.`);
  else add('valid-from', 'passed', issuedOn ? `Issued on ${day(issuedOn)}.` : 'No issue date.');
  const expires = str(assertion.expires) ? new Date(str(assertion.expires)!) : undefined;
  if (expires && expires <= now) add('valid-until', 'failed', `The badge expired on ${day(expires)}.`);
  else add('valid-until', 'passed', expires ? `Valid until ${day(expires)}.` : 'The badge does not expire.');
}

/**
 * Whether the issuer's revocation list names the assertion (by id or uid): its reason ('' without one), or
 * undefined. A list that cannot be read is a failed status check; an error that is not the list's is no verdict.
 */
async function listedAsRevoked(assertion: Obj, issuer: Obj, fetcher: Ob2Fetcher, add: Add) {
  try {
    const list = await fetchObject(fetcher, str(issuer.revocationList)!, 'revocation list');
    const ids = [str(assertion.id), str(assertion.uid)].filter((v): v is string => v !== undefined);
    const entry = [list.revokedAssertions].flat().find((r) => {
      const named = str(r) ?? str(obj(r)?.id) ?? str(obj(r)?.uid);
      return named !== undefined && ids.includes(named);
    });
    return entry === undefined ? undefined : (str(obj(entry)?.revocationReason) ?? '');
  } catch (error) {
    if (error instanceof VcError)
      add('status', 'failed', `The issuer's revocation list could not be read: ${error.message}`);
    else add('status', 'unknown', 'The revocation status could not be checked just now. Try again later.');
    return undefined;
  }
}

export async function verifyOb2(
  input: Obj | string,
  fetcher: Ob2Fetcher,
  now: Date = new Date(),
): Promise<VerificationResult> {
  const checks: Check[] = [];
  const add: Add = (id, status, message) => checks.push({ id, status, message });
  const signed = typeof input === 'string';
  let assertion = signed ? signedAssertion(input) : input;
  checkDataModel(assertion, add);

  let badge: Obj | undefined;
  let issuer: Obj | undefined;
  try {
    badge = await resolve(fetcher, assertion.badge, 'badge class');
    issuer = await resolve(fetcher, badge.issuer, 'issuer profile');
  } catch (error) {
    add('issuer', 'failed', error instanceof VcError ? error.message : 'The badge or its issuer could not be read.');
  }

  let revoked: string | undefined;
  const verification = obj(assertion.verification);
  const method = str(verification?.type)?.toLowerCase();
  if (method === 'hostedbadge' || method === 'hosted') {
    if (signed) add('proof', 'failed', 'A signed assertion cannot use hosted verification.');
    else {
      const hosted = await checkHosted(assertion, verification, issuer, fetcher);
      add('proof', hosted.status, hosted.message);
      revoked = hosted.revoked;
      assertion = hosted.served ?? assertion;
    }
  } else if (method === 'signedbadge' || method === 'signed') {
    if (!signed) add('proof', 'failed', 'A signed assertion must be checked as the JWS it was signed as.');
    else add(...(await checkSignature(input, verification!, issuer, fetcher)));
  } else {
    add('proof', 'failed', `The verification type ${String(verification?.type)} is not an Open Badges 2.0 one.`);
  }
  if (!checks.some((c) => c.id === 'issuer')) {
    add(
      'issuer',
      issuer ? 'passed' : 'failed',
      issuer ? `Issued by ${str(issuer.name) ?? str(issuer.id)}.` : 'No issuer.',
    );
  }

  checkDates(assertion, now, add);

  if (revoked === undefined && assertion.revoked === true) revoked = str(assertion.revocationReason) ?? '';
  if (revoked === undefined && signed && issuer && str(issuer.revocationList))
    revoked = await listedAsRevoked(assertion, issuer, fetcher, add);
  if (!checks.some((c) => c.id === 'status')) {
    if (revoked !== undefined)
      add('status', 'failed', `The issuer has revoked this badge${revoked ? `: ${revoked}` : '.'}`);
    else add('status', 'passed', 'The issuer has not revoked it.');
  }

  return {
    verified: !checks.some((c) => c.status === 'failed'),
    checks,
    summary: summarizeOb2(assertion, badge, issuer),
  };
}
