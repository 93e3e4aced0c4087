import { createPublicKey } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { VcError } from './errors.js';
import { euFactsOf, isEuElement } from './eu-elements.js';
import type { CredentialSummary } from './summary.js';
import type { Check, CheckId, CheckStatus, VerificationResult } from './checks.js';

/**
 * Open Badges 2.0 assertions, hosted and signed (1EdTech OB 2.0, section "Verification"). Many badges in
 * the wild are still 2.0; a learner can import them and an employer can check them, with the rules of
 * their own standard: a hosted assertion must still be served at its own id, on the issuer's origin; a
 * signed one must carry an RS256 signature by a key its issuer publishes; either may be revoked or expire.
 */
export const ob2Context = 'https://w3id.org/openbadges/v2';

export interface Ob2Response {
  status: number;
  json: unknown;
}

/** Fetches a URL for the OB 2.0 checks (the caller applies its network policy). */
export type Ob2Fetcher = (url: string) => Promise<Ob2Response>;

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

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
    return isOb2Assertion(JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')));
  } catch {
    return false;
  }
}

async function fetchObject(fetcher: Ob2Fetcher, url: string, what: string): Promise<Obj> {
  const response = await fetcher(url);
  const document = obj(response.json);
  if (response.status !== 200 || !document)
    throw new VcError('invalid-document', `The ${what} at ${url} could not be read.`);
  return document;
}

/** An embedded object, or the one its URL points to. */
async function resolve(fetcher: Ob2Fetcher, value: unknown, what: string): Promise<Obj> {
  const embedded = obj(value);
  if (embedded) return embedded;
  const url = str(value);
  if (!url) throw new VcError('invalid-document', `The assertion names no ${what}.`);
  return fetchObject(fetcher, url, what);
}

const origin = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
};

export async function verifyOb2(
  input: Obj | string,
  fetcher: Ob2Fetcher,
  now: Date = new Date(),
): Promise<VerificationResult> {
  const checks: Check[] = [];
  const add = (id: CheckId, status: CheckStatus, message: string) => checks.push({ id, status, message });
  const signed = typeof input === 'string';
  let assertion: Obj;
  if (signed) {
    try {
      assertion = JSON.parse(Buffer.from(input.split('.')[1] ?? '', 'base64url').toString('utf8')) as Obj;
    } catch {
      throw new VcError('invalid-jwt', 'The signed Open Badges 2.0 assertion is not a readable JWS.');
    }
  } else {
    assertion = input;
  }

  const problems: string[] = [];
  if (assertion.type !== 'Assertion') problems.push('Its type must be "Assertion".');
  if (!obj(assertion.recipient)) problems.push('It names no recipient.');
  if (!str(assertion.issuedOn)) problems.push('It has no issuedOn date.');
  const verification = obj(assertion.verification);
  const method = str(verification?.type)?.toLowerCase();
  if (!verification || !method) problems.push('It has no verification object.');
  add(
    'data-model',
    problems.length ? 'failed' : 'passed',
    problems.length ? `Open Badges 2.0 assertion: ${problems.join(' ')}` : 'This is an Open Badges 2.0 assertion.',
  );

  let badge: Obj | undefined;
  let issuer: Obj | undefined;
  try {
    badge = await resolve(fetcher, assertion.badge, 'badge class');
    issuer = await resolve(fetcher, badge.issuer, 'issuer profile');
  } catch (error) {
    add('issuer', 'failed', error instanceof VcError ? error.message : 'The badge or its issuer could not be read.');
  }

  let revoked: string | undefined;
  if (method === 'hostedbadge' || method === 'hosted') {
    const id = str(assertion.id);
    if (signed) add('proof', 'failed', 'A signed assertion cannot use hosted verification.');
    else if (!id) add('proof', 'failed', 'A hosted assertion must have the URL it is served at as its id.');
    else {
      const allowed = [
        verification?.allowedOrigins ?? obj(issuer?.verification)?.allowedOrigins ?? origin(str(issuer?.id)),
      ].flat();
      let refused: string | undefined;
      const response = await fetcher(id).catch((error: Error) => {
        refused = error.message;
        return { status: 0, json: undefined };
      });
      const hosted = obj(response.json);
      if (refused !== undefined) {
        // Not an answer from the issuer: the fetch itself was refused or failed, which says nothing of the badge.
        add('proof', 'failed', `The assertion could not be fetched from ${id}, so it was not checked: ${refused}`);
      } else if (response.status === 410 || hosted?.revoked === true) {
        revoked = str(hosted?.revocationReason) ?? '';
        add('proof', 'passed', `The issuer still answers for this assertion at ${id}.`);
      } else if (response.status !== 200 || !hosted) {
        add('proof', 'failed', `The assertion is no longer served at ${id}, so its issuer no longer vouches for it.`);
      } else if (hosted.id !== id || JSON.stringify(hosted.badge) !== JSON.stringify(assertion.badge)) {
        add('proof', 'failed', `The assertion served at ${id} is not this one.`);
      } else if (!allowed.includes(origin(id))) {
        add('proof', 'failed', `The assertion is served from ${origin(id)}, not from its issuer's site.`);
      } else {
        add('proof', 'passed', `The issuer serves this exact assertion at ${id}.`);
        assertion = hosted;
      }
    }
  } else if (method === 'signedbadge' || method === 'signed') {
    if (!signed) add('proof', 'failed', 'A signed assertion must be checked as the JWS it was signed as.');
    else add(...(await checkSignature(input, assertion, verification!, issuer, fetcher)));
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

  const issuedOn = str(assertion.issuedOn) ? new Date(str(assertion.issuedOn)!) : undefined;
  if (issuedOn && issuedOn > now)
    add(
      'valid-from',
      'failed',
      `The assertion is not valid yet: it was issued for ${issuedOn.toISOString().slice(0, 10)}.`,
    );
  else add('valid-from', 'passed', issuedOn ? `Issued on ${issuedOn.toISOString().slice(0, 10)}.` : 'No issue date.');
  const expires = str(assertion.expires) ? new Date(str(assertion.expires)!) : undefined;
  if (expires && expires <= now)
    add('valid-until', 'failed', `The badge expired on ${expires.toISOString().slice(0, 10)}.`);
  else
    add(
      'valid-until',
      'passed',
      expires ? `Valid until ${expires.toISOString().slice(0, 10)}.` : 'The badge does not expire.',
    );

  if (revoked === undefined && assertion.revoked === true) revoked = str(assertion.revocationReason) ?? '';
  if (revoked === undefined && signed && issuer && str(issuer.revocationList)) {
    try {
      const list = await fetchObject(fetcher, str(issuer.revocationList)!, 'revocation list');
      const ids = [str(assertion.id), str(assertion.uid)].filter((v): v is string => v !== undefined);
      const entry = [list.revokedAssertions].flat().find((r) => {
        const named = str(r) ?? str(obj(r)?.id) ?? str(obj(r)?.uid);
        return named !== undefined && ids.includes(named);
      });
      if (entry !== undefined) revoked = str(obj(entry)?.revocationReason) ?? '';
    } catch (error) {
      if (error instanceof VcError)
        add('status', 'failed', `The issuer's revocation list could not be read: ${error.message}`);
      else add('status', 'unknown', 'The revocation status could not be checked just now. Try again later.');
    }
  }
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

async function checkSignature(
  jws: string,
  assertion: Obj,
  verification: Obj,
  issuer: Obj | undefined,
  fetcher: Ob2Fetcher,
): Promise<[CheckId, CheckStatus, string]> {
  const header = (() => {
    try {
      return decodeProtectedHeader(jws);
    } catch {
      return undefined;
    }
  })();
  if (header?.alg !== 'RS256')
    return ['proof', 'failed', `Open Badges 2.0 signatures use RS256, not ${String(header?.alg)}.`];
  const creator = str(verification.creator) ?? str(issuer?.publicKey);
  if (!creator) return ['proof', 'failed', 'The assertion does not say which key signed it (verification.creator).'];
  let key: Obj;
  try {
    key = await fetchObject(fetcher, creator, 'signing key');
  } catch (error) {
    return ['proof', 'failed', (error as Error).message];
  }
  const published = [issuer?.publicKey].flat().map((k) => str(k) ?? str(obj(k)?.id));
  if (key.owner !== issuer?.id && !published.includes(creator)) {
    return ['proof', 'failed', `The key ${creator} does not belong to the badge's issuer.`];
  }
  try {
    await compactVerify(jws, createPublicKey(String(key.publicKeyPem)), { algorithms: ['RS256'] });
  } catch {
    return [
      'proof',
      'failed',
      'The signature does not match: the assertion was changed after it was signed, or signed with another key.',
    ];
  }
  return ['proof', 'passed', `The issuer's RS256 signature is valid (key ${creator}).`];
}

function summarizeOb2(assertion: Obj, badge: Obj | undefined, issuer: Obj | undefined): CredentialSummary {
  const alignments = [badge?.alignment].flat().map(obj).filter(Boolean) as Obj[];
  return {
    types: ['Assertion'],
    issuer: { id: str(issuer?.id), name: str(issuer?.name), url: str(issuer?.url) },
    achievement: {
      id: str(badge?.id),
      name: str(badge?.name),
      description: str(badge?.description),
      criteria: str(obj(badge?.criteria)?.narrative) ?? str(badge?.criteria),
      image: str(badge?.image) ?? str(obj(badge?.image)?.id),
    },
    subject: {
      identifier: obj(assertion.recipient)?.hashed ? 'a hashed identity' : str(obj(assertion.recipient)?.identity),
    },
    skills: alignments
      .filter((a) => !isEuElement(a.targetType))
      .map((a) => ({
        name: str(a.targetName) ?? 'skill',
        code: str(a.targetCode),
        framework: str(a.targetFramework),
        url: str(a.targetUrl),
      })),
    ...euFactsOf(badge),
    validFrom: str(assertion.issuedOn),
    validUntil: str(assertion.expires),
  };
}
