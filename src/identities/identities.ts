import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { conflict, invalid, notFound } from '../platform/errors.js';
import { proofsOf } from '../vc/data-integrity.js';
import { VcError } from '../vc/errors.js';
import type { Check } from '../vc/verify.js';
import type { IdentitiesStore, LinkedDid } from './store.js';

/**
 * Identities a learner has proven, beyond the account's sign-up email: DIDs linked by DID Auth (a
 * presentation the DID's key signed over a challenge we gave out). The wallet matches credentials against
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
  now?: () => Date;
}

export const challengeLifetimeMs = 10 * 60 * 1000;
const maxDidLength = 2048;

export interface DidChallenge {
  challenge: string;
  domain: string;
  expiresAt: Date;
}

const hashOf = (challenge: string) => createHash('sha256').update(challenge, 'utf8').digest('hex');

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
  };
}

export type Identities = ReturnType<typeof createIdentities>;
