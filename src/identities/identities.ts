import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { conflict, invalid, notFound } from '../platform/errors.js';
import { proofsOf } from '../vc/data-integrity.js';
import { VcError } from '../vc/errors.js';
import type { Check } from '../vc/verify.js';
import { emailPattern, normalizeEmail } from '../accounts/accounts.js';
import type { IdentitiesStore, LinkedDid, LinkedEmail } from './store.js';

/**
 * Identities a learner has proven, beyond the account's sign-up email: DIDs linked by DID Auth (a
 * presentation the DID's key signed over a challenge we gave out) and extra addresses confirmed by a link
 * sent to them. The wallet matches credentials against
 * these; an issuer's choice of subject id proves nothing about who controls it.
 */
export interface IdentitiesDeps {
  store: IdentitiesStore;
  /** The public URL's host: the domain a presentation must be signed for, so it cannot be replayed elsewhere. */
  domain: string;
  /** Verifies a presentation's holder proof (purpose authentication) with this challenge and domain. */
  verifyPresentation(
    presentation: unknown,
    options: { challenge: string; domain: string },
  ): Promise<{ checks: Check[] }>;
  /** Where the confirmation links point. */
  publicUrl: string;
  /** The account whose sign-up email this is, if any: an address belongs to one account only. */
  accountWithEmail(email: string): Promise<string | undefined>;
  now?: () => Date;
}

export const emailLinkLifetimeMs = 24 * 60 * 60 * 1000;

export const challengeLifetimeMs = 10 * 60 * 1000;
const maxDidLength = 2048;

export interface DidChallenge {
  challenge: string;
  domain: string;
  expiresAt: Date;
}

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => !!value && typeof value === 'object' && !Array.isArray(value);

function holderOf(vp: Obj): string | undefined {
  const holder = isObj(vp.holder) ? vp.holder.id : vp.holder;
  return typeof holder === 'string' ? holder : undefined;
}

export function createIdentities(deps: IdentitiesDeps) {
  const now = deps.now ?? (() => new Date());
  const { store, domain } = deps;

  async function checkChallenge(userId: string, challenge: string): Promise<void> {
    const state = await store.challengeState(userId, hashOf(challenge), now());
    if (state === 'unknown')
      throw invalid(
        'The presentation is signed over a challenge that was not given to you here. Ask for a new challenge ' +
          'and sign the presentation with it.',
        { field: 'challenge' },
      );
    if (state === 'expired')
      throw invalid('The challenge expired (each lasts 10 minutes). Ask for a new challenge and sign again.', {
        field: 'challenge',
      });
    if (state === 'already-used')
      throw invalid('The challenge was already used: each links one DID once. Ask for a new challenge.', {
        field: 'challenge',
      });
  }

  return {
    domain,

    /** A fresh challenge for DID Auth; only its hash is stored. */
    async challenge(userId: string): Promise<DidChallenge> {
      const at = now();
      await store.pruneChallenges(userId, at);
      const challenge = randomBytes(24).toString('base64url');
      const expiresAt = new Date(at.getTime() + challengeLifetimeMs);
      await store.saveChallenge({ id: randomUUID(), userId, hash: hashOf(challenge), expiresAt });
      return { challenge, domain, expiresAt };
    },

    /** Links the presentation's holder DID when its own key signed our challenge for our domain. */
    async linkDid(userId: string, presentation: unknown): Promise<LinkedDid> {
      if (!isObj(presentation)) throw invalid('A presentation is a JSON object.', { field: 'presentation' });
      const holder = holderOf(presentation);
      if (!holder || !holder.startsWith('did:') || holder.length > maxDidLength)
        throw invalid('The presentation must name the DID to link as its "holder".', { field: 'holder' });
      const proofs = proofsOf(presentation).filter(isObj);
      if (proofs.length === 0)
        throw invalid('The presentation is not signed: sign it with a key of the DID you want to link.', {
          field: 'proof',
        });
      const proof = proofs.find((p) => typeof p.challenge === 'string');
      if (!proof || typeof proof.challenge !== 'string')
        throw invalid("The presentation's proof carries no challenge. Ask for a challenge and sign with it.", {
          field: 'challenge',
        });
      const challenge = proof.challenge;
      await checkChallenge(userId, challenge);
      const domains = [proof.domain].flat();
      if (!domains.includes(domain))
        throw invalid(
          `The presentation is signed for the domain ${domains.filter((d) => typeof d === 'string').join(', ') || '(none)'}, ` +
            `not for ${domain}. Sign it with the domain ${domain}.`,
          { field: 'domain' },
        );
      const method = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : '';
      if (method.split('#')[0] !== holder)
        throw invalid(
          `The presentation was signed with the key ${method || '(none given)'}, which is not a key of its holder ` +
            `${holder}. Sign it with a key of the DID you want to link.`,
          { field: 'proof' },
        );
      if (proof.proofPurpose !== 'authentication')
        throw invalid('The presentation must be signed with the proof purpose "authentication".', { field: 'proof' });
      let checks: Check[];
      try {
        ({ checks } = await deps.verifyPresentation(presentation, { challenge, domain }));
      } catch (error) {
        if (error instanceof VcError) throw invalid(`The presentation could not be checked: ${error.message}`);
        throw error;
      }
      const failed = checks.filter((c) => c.status === 'failed');
      if (failed.length > 0)
        throw invalid(`The presentation did not verify: ${failed.map((c) => c.message).join(' ')}`, {
          checks: failed,
        });
      const at = now();
      if (!(await store.useChallenge(userId, hashOf(challenge), at)))
        throw invalid('The challenge was already used: each links one DID once. Ask for a new challenge.', {
          field: 'challenge',
        });
      if (!(await store.linkDid(userId, holder, at)))
        throw conflict(
          `${holder} is already linked to another account. Unlink it there first if it is yours; a DID belongs ` +
            'to one account only.',
        );
      return { did: holder, verifiedAt: at };
    },

    dids: (userId: string): Promise<LinkedDid[]> => store.dids(userId),

    async didsOf(userId: string): Promise<string[]> {
      return (await store.dids(userId)).map((d) => d.did);
    },

    async unlinkDid(userId: string, did: string): Promise<void> {
      if (!(await store.unlinkDid(userId, did))) throw notFound(`The linked DID ${did}`);
    },

    /** Sends (to the outbox) a link that confirms an extra email address; only the token's hash is kept. */
    async requestEmail(
      userId: string,
      accountEmail: string,
      address: string,
    ): Promise<{ email: string; expiresAt: Date }> {
      const email = normalizeEmail(address);
      if (email.length > 254 || !emailPattern.test(email))
        throw invalid('Enter a valid email address, like name@example.org.', { field: 'email' });
      if (email === normalizeEmail(accountEmail))
        throw invalid('This is already your account email address.', { field: 'email' });
      const [linkedTo, accountOwner] = await Promise.all([store.emailOwner(email), deps.accountWithEmail(email)]);
      if (linkedTo === userId) throw conflict(`${email} is already one of your verified addresses.`);
      if ((linkedTo && linkedTo !== userId) || (accountOwner && accountOwner !== userId))
        throw conflict(`${email} belongs to another account. An address can belong to one account only.`);
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now().getTime() + emailLinkLifetimeMs);
      const link = `${deps.publicUrl}/identities/email/${token}`;
      await store.saveEmailVerification(
        { id: randomUUID(), userId, email, hash: hashOf(token), expiresAt },
        {
          id: randomUUID(),
          subject: 'Confirm your email address on Skillproof',
          text:
            `Someone (we hope you) asked to add ${email} to a Skillproof account, so that credentials issued to ` +
            `this address can go into its wallet.\n\nTo confirm, sign in and open this link within 24 hours:\n${link}\n\n` +
            'If this was not you, ignore this message: nothing changes.',
        },
      );
      return { email, expiresAt };
    },

    /** Confirms an extra address: the link must be the signed-in user's own, unused and not expired. */
    async confirmEmail(userId: string, token: string): Promise<LinkedEmail> {
      const hash = hashOf(token);
      const pending = await store.emailVerification(hash);
      // Someone else's link reads as unknown: it says nothing about that account.
      if (!pending || pending.userId !== userId)
        throw notFound('This confirmation link (for the account you are signed in to)');
      const at = now();
      if (pending.usedAt) throw invalid('This confirmation link was already used.', { field: 'token' });
      if (pending.expiresAt <= at)
        throw invalid('This confirmation link expired (links last 24 hours). Add the address again for a new one.', {
          field: 'token',
        });
      const accountOwner = await deps.accountWithEmail(pending.email);
      if (accountOwner && accountOwner !== userId)
        throw conflict(`${pending.email} belongs to another account. An address can belong to one account only.`);
      if (!(await store.useEmailVerification(hash, at)))
        throw invalid('This confirmation link was already used.', { field: 'token' });
      if (!(await store.linkEmail(userId, pending.email, at)))
        throw conflict(`${pending.email} belongs to another account. An address can belong to one account only.`);
      return { email: pending.email, verifiedAt: at };
    },

    emails: (userId: string): Promise<LinkedEmail[]> => store.emails(userId),

    /** The account that confirmed this address as an extra one, if any. */
    emailOwner: (email: string): Promise<string | undefined> => store.emailOwner(normalizeEmail(email)),

    async emailsOf(userId: string): Promise<string[]> {
      return (await store.emails(userId)).map((e) => e.email);
    },

    async unlinkEmail(userId: string, email: string): Promise<void> {
      if (!(await store.unlinkEmail(userId, normalizeEmail(email)))) throw notFound(`The verified address ${email}`);
    },
  };
}

export type Identities = ReturnType<typeof createIdentities>;
