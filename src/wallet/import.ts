import { createHash } from 'node:crypto';
import { identityMatches } from '../vc/identity.js';
import type { IdentityObject } from '../vc/types.js';
import type { Check } from '../vc/verify.js';
import type { InputVerification } from '../vc/verify-input.js';
import type { ImportSource, ImportedFormat, NewImportedCredential } from './store.js';

/**
 * Whether a verified credential may join a learner's wallet. Pure: the caller verified it, looked up our own
 * issuance records and the learner's identities; this decides, and says why in words a learner understands.
 */
export interface LearnerIdentities {
  userId: string;
  /** Verified email addresses: the account's email (once confirmed), then extra addresses confirmed by link. */
  emails: string[];
  /** The account's email while it is not confirmed: it counts for nothing, and the refusal says why. */
  unconfirmedEmail?: string | undefined;
  /** DIDs the learner proved to control by DID Auth (linked on the identities page). */
  dids: string[];
}

export interface ImportContext {
  verification: InputVerification;
  source: ImportSource;
  sourceUrl?: string | undefined;
  identities: LearnerIdentities;
  /** Our own issuance record for the credential's id, when this instance issued it. */
  issuedHere?: { recipientUserId: string | null } | undefined;
}

/** What to store: everything but the new id and the learner. */
export type AcceptedImport = Omit<NewImportedCredential, 'id' | 'userId'>;

export type RefusalReason =
  'not-verified' | 'revoked' | 'suspended' | 'not-valid-yet' | 'no-recipient' | 'not-yours' | 'already-held';

export type ImportDecision =
  | { outcome: 'accept'; record: AcceptedImport; expired: boolean; message: string }
  | { outcome: 'refuse'; status: 409 | 422; reason: RefusalReason; message: string; failedChecks: Check[] };

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

function dateOf(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function refuse(status: 409 | 422, reason: RefusalReason, message: string, failedChecks: Check[] = []): ImportDecision {
  return { outcome: 'refuse', status, reason, message, failedChecks };
}

/** Who a credential says it was issued to: hashed or plain identities, and subject ids. */
export interface Recipient {
  identities: IdentityObject[];
  subjectIds: string[];
}

export function recipientOf(credential: Obj, format: 'ob2' | 'ob3'): Recipient {
  if (format === 'ob2') {
    const recipient = obj(credential.recipient);
    const identity = str(recipient?.identity);
    if (!recipient || !identity) return { identities: [], subjectIds: [] };
    const type = str(recipient.type) ?? 'email';
    return {
      identities: [
        {
          type: 'IdentityObject',
          hashed: recipient.hashed === true,
          identityHash: identity,
          // OB 2.0 says "email"; OB 3.0 says "emailAddress": one rule for both.
          identityType: type === 'email' ? 'emailAddress' : type,
          ...(typeof recipient.salt === 'string' ? { salt: recipient.salt } : {}),
        },
      ],
      subjectIds: [],
    };
  }
  const subjects = [credential.credentialSubject].flat().map(obj).filter(Boolean) as Obj[];
  const identities = subjects
    .flatMap((s) => [s.identifier].flat())
    .map(obj)
    .filter((i): i is Obj => !!i && typeof i.identityHash === 'string' && typeof i.identityType === 'string')
    .map((i) => i as unknown as IdentityObject);
  const subjectIds = subjects.map((s) => str(s.id)).filter((id): id is string => !!id);
  return { identities, subjectIds };
}

/** Whether the credential names this learner, and which of its identities were checked (for the message). */
export function recipientMatches(recipient: Recipient, learner: LearnerIdentities): boolean {
  for (const identity of recipient.identities) {
    if (identity.identityType === 'emailAddress' && identityMatches(identity, learner.emails)) return true;
    if (identity.identityType === 'did' && identityMatches(identity, learner.dids)) return true;
  }
  return recipient.subjectIds.some((id) => learner.dids.includes(id));
}

function describeRecipient(recipient: Recipient): string {
  const parts = [
    ...recipient.identities.map((i) =>
      i.identityType === 'emailAddress'
        ? i.hashed
          ? 'a hashed email address'
          : `the email address ${i.identityHash}`
        : `a ${i.hashed ? 'hashed ' : ''}${i.identityType} identity`,
    ),
    ...recipient.subjectIds.map((id) => `the subject ${id}`),
  ];
  return parts.join(', ');
}

/**
 * The wallet refuses the same credential twice. Two copies are "the same" when the issuer and the
 * credential's own id agree, not only when the bytes do: the same credential pasted as JSON and then chosen
 * as a baked PNG, or re-serialized with other whitespace, is still one credential. A credential without an
 * id can only be recognized by its exact text.
 */
export function importDigest(issuerId: string | null, credentialId: string | null, document: string): string {
  const key = credentialId ? `credential\n${issuerId ?? ''}\n${credentialId}` : `document\n${document}`;
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A signed Open Badges 2.0 assertion arrives as a JWS only: its payload is the assertion. */
function jwsPayload(jws: string): Obj | undefined {
  try {
    return obj(JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

const failed = (checks: Check[]) => checks.filter((c) => c.status === 'failed');
const plain = (checks: Check[]) => checks.map((c) => c.message).join(' ');

export function decideImport(context: ImportContext): ImportDecision {
  const { verification, identities } = context;
  const credential = verification.credential ?? (verification.jwt ? jwsPayload(verification.jwt) : undefined);
  const problems = failed(verification.checks);
  const byId = (id: string) => problems.filter((c) => c.id === id);

  // Expiry alone does not keep a credential out: it is still a record of what was achieved, as other
  // wallets treat it. Everything else that failed does.
  const expired = byId('valid-until').length > 0;
  const blocking = problems.filter((c) => c.id !== 'valid-until');
  const status = byId('status')[0];
  // The check's message starts with the sentence the refusal already says; keep only what follows (a reason).
  const beyond = (message: string) =>
    message.replace(/^The issuer has (revoked|suspended) this credential\.\s*/, '').trim();
  if (status && /suspend/i.test(status.message) && blocking.length === 1) {
    return refuse(
      422,
      'suspended',
      `The issuer has suspended this credential, so it cannot be added now. ${beyond(status.message)}`.trim(),
      blocking,
    );
  }
  if (status && /revok/i.test(status.message) && blocking.length === 1) {
    return refuse(
      422,
      'revoked',
      `The issuer has revoked this credential, so it cannot be added. ${beyond(status.message)}`.trim(),
      [status],
    );
  }
  if (byId('valid-from').length > 0 && blocking.length === 1) {
    return refuse(422, 'not-valid-yet', byId('valid-from')[0]!.message, blocking);
  }
  if (blocking.length > 0 || !credential) {
    return refuse(
      422,
      'not-verified',
      `This credential did not pass verification, so it was not added: ${plain(blocking) || 'its content could not be read.'}`,
      blocking,
    );
  }

  const summary = verification.summary;
  const credentialId = str(credential.id) ?? null;
  const issuerId = summary?.issuer.id ?? null;

  if (context.issuedHere?.recipientUserId === identities.userId) {
    return refuse(409, 'already-held', 'This credential is already in your wallet: it was issued to you here.');
  }

  const recipient = recipientOf(credential, verification.format === 'ob2' ? 'ob2' : 'ob3');
  if (recipient.identities.length === 0 && recipient.subjectIds.length === 0) {
    return refuse(
      422,
      'no-recipient',
      'This credential names no recipient (no email identity and no subject id), so nothing shows it was ' +
        'issued to you. Ask the issuer for a credential issued to your email address.',
    );
  }
  if (!recipientMatches(recipient, identities)) {
    const checked = [
      ...(identities.unconfirmedEmail
        ? [
            `your account email ${identities.unconfirmedEmail} (not confirmed yet: follow the link sent to it, ` +
              'then add the credential again)',
          ]
        : []),
      ...identities.emails.map((e, i) =>
        i === 0 && !identities.unconfirmedEmail ? `your account email ${e}` : `your confirmed email ${e}`,
      ),
      ...(identities.dids.length
        ? [`your linked DIDs (${identities.dids.join(', ')})`]
        : ['no DIDs (you have not linked one yet)']),
    ].join(' and ');
    const howToLink = recipient.subjectIds.some((id) => id.startsWith('did:'))
      ? ' If the DID it names is yours, link it first under Identities (/identities): your wallet app signs a ' +
        'challenge with its key, then add the credential again.'
      : '';
    return refuse(
      422,
      'not-yours',
      `This credential was issued to someone else: it names ${describeRecipient(recipient)}, which matches ` +
        `none of ${checked}. Only credentials issued to you can be added to your wallet.${howToLink}`,
    );
  }

  const format: ImportedFormat =
    verification.format === 'ob2' ? 'ob2' : verification.format === 'json' ? 'ldp_vc' : 'jwt';
  const document = verification.jwt ?? JSON.stringify(credential);
  const until = summary?.validUntil ?? str(credential.expires);
  const record: AcceptedImport = {
    format,
    document,
    digest: importDigest(issuerId, credentialId, document),
    source: context.source,
    sourceUrl: context.sourceUrl ?? null,
    credentialId,
    issuerId,
    name: summary?.achievement?.name ?? summary?.name ?? str(credential.name) ?? null,
    validFrom: dateOf(summary?.validFrom ?? str(credential.issuedOn)),
    validUntil: dateOf(until),
  };
  return {
    outcome: 'accept',
    record,
    expired,
    message: expired
      ? `Added to your wallet, marked as expired: ${byId('valid-until')[0]!.message} It still records what you achieved, but it no longer counts as valid.`
      : 'Verified and added to your wallet.',
  };
}
