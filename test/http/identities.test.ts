import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { generateEd25519KeyPair, type Ed25519KeyPair } from '../../src/vc/multikey.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import {
  createOrg,
  createTestApp,
  signUp,
  uniqueEmail,
  type Client,
  type TestApp,
  request,
  type Method,
} from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';

/** Linking DIDs by DID Auth, and the wallet accepting credentials issued to a linked DID (and only those). */
let t: TestApp;
let learner: Client;
let other: Client;
let orgId: string;

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);

interface Wallet {
  key: Ed25519KeyPair;
  did: string;
}
function newWallet(): Wallet {
  const key = generateEd25519KeyPair();
  return { key, did: `did:key:${key.publicKeyMultibase}` };
}

async function challengeFor(client: Client): Promise<{ challenge: string; domain: string; expiresAt: string }> {
  const response = await send(client, 'POST', '/api/me/identities/did/challenge');
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** What the learner's wallet app sends back: a presentation signed by `signer`, naming `holder`. */
async function presentation(
  signer: Wallet,
  challenge: string,
  domain: string,
  holder = signer.did,
): Promise<Record<string, unknown>> {
  return signEddsaRdfc2022(
    { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder },
    signer.key.privateKey!,
    {
      verificationMethod: `${signer.did}#${signer.key.publicKeyMultibase}`,
      proofPurpose: 'authentication',
      challenge,
      domain,
    },
  ) as Promise<Record<string, unknown>>;
}

const link = (client: Client, vp: unknown) => send(client, 'POST', '/api/me/identities/did', { presentation: vp });

async function credentialTo(did: string, email?: string): Promise<Record<string, unknown>> {
  const base = achievementCredential();
  const subject: Record<string, unknown> = { ...(base.credentialSubject as Record<string, unknown>), id: did };
  if (email) {
    delete subject.id;
    subject.identifier = [hashedIdentity(email)];
  }
  const issued = await t.platform.issuance.issue(
    { orgId, profile: await t.platform.catalog.issuerProfile(orgId) },
    { ...base, credentialSubject: subject },
    { format: 'ldp_vc' },
  );
  return issued.verifiableCredential as Record<string, unknown>;
}

beforeAll(async () => {
  t = await createTestApp();
  orgId = await createOrg(t.app, await signUp(t.app, 'Issuer Owner'), 'Contoso Academy');
  learner = await signUp(t.app, 'Grace Hopper');
  other = await signUp(t.app, 'Someone Else');
});
afterAll(() => t.close());

describe('linking a DID by DID Auth', () => {
  const wallet = newWallet();

  it('gives a one-time challenge for this domain and links the DID whose key signed it', async () => {
    const { challenge, domain, expiresAt } = await challengeFor(learner);
    expect(domain).toBe('skillproof.test');
    expect(challenge.length).toBeGreaterThanOrEqual(32);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(9 * 60 * 1000);
    // Only the hash is kept.
    const stored = await t.platform.database.db.selectFrom('did_challenges').select('challenge_hash').execute();
    expect(stored.map((s) => s.challenge_hash)).not.toContain(challenge);

    const vp = await presentation(wallet, challenge, domain);
    const linked = await link(learner, vp);
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json().did).toBe(wallet.did);

    const listed = await send(learner, 'GET', '/api/me/identities');
    expect(listed.json()).toMatchObject({ email: learner.email, dids: [{ did: wallet.did }] });

    // The same presentation again: its challenge is spent.
    const replay = await link(learner, vp);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().detail).toMatch(/already used/);
  });

  it('takes the presentation as pasted text too', async () => {
    const textWallet = newWallet();
    const { challenge, domain } = await challengeFor(learner);
    const linked = await link(learner, JSON.stringify(await presentation(textWallet, challenge, domain)));
    expect(linked.statusCode, linked.body).toBe(201);
    const unlinked = await send(learner, 'DELETE', `/api/me/identities/did/${textWallet.did}`);
    expect(unlinked.statusCode).toBe(204);
  });

  it('refuses a wrong, expired or foreign challenge, a wrong domain and a holder that did not sign', async () => {
    const fresh = newWallet();
    const { challenge, domain } = await challengeFor(learner);

    const wrongChallenge = await link(learner, await presentation(fresh, 'made-up-challenge', domain));
    expect(wrongChallenge.statusCode).toBe(400);
    expect(wrongChallenge.json().detail).toMatch(/not given to you/);

    // A challenge given to someone else is not the learner's to use.
    const theirs = await challengeFor(other);
    const foreign = await link(learner, await presentation(fresh, theirs.challenge, domain));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().detail).toMatch(/not given to you/);

    const wrongDomain = await link(learner, await presentation(fresh, challenge, 'evil.example'));
    expect(wrongDomain.statusCode).toBe(400);
    expect(wrongDomain.json().detail).toMatch(/evil\.example.*not for skillproof\.test/);

    const impostor = newWallet();
    const notHolder = await link(learner, await presentation(impostor, challenge, domain, fresh.did));
    expect(notHolder.statusCode).toBe(400);
    expect(notHolder.json().detail).toMatch(/not a key of its holder/);

    // The holder's key id, but a different key's signature: the signature check catches it.
    const forged = await presentation(impostor, challenge, domain, fresh.did);
    (forged.proof as Record<string, unknown>).verificationMethod = `${fresh.did}#${fresh.key.publicKeyMultibase}`;
    const forgedLink = await link(learner, forged);
    expect(forgedLink.statusCode).toBe(400);
    expect(forgedLink.json().detail).toMatch(/did not verify/);

    const unsigned = await link(learner, {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      holder: fresh.did,
    });
    expect(unsigned.statusCode).toBe(400);
    expect(unsigned.json().detail).toMatch(/not signed/);

    await t.platform.database.db
      .updateTable('did_challenges')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', learner.userId)
      .where('used_at', 'is', null)
      .execute();
    const expired = await link(learner, await presentation(fresh, challenge, domain));
    expect(expired.statusCode).toBe(400);
    expect(expired.json().detail).toMatch(/expired/);

    const dids = (await send(learner, 'GET', '/api/me/identities')).json().dids.map((d: { did: string }) => d.did);
    expect(dids).not.toContain(fresh.did);
  });

  it('refuses a DID another account linked (409), and unlinking frees it', async () => {
    const { challenge, domain } = await challengeFor(other);
    const taken = await link(other, await presentation(wallet, challenge, domain));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().detail).toMatch(/another account/);

    const notMine = await send(other, 'DELETE', `/api/me/identities/did/${wallet.did}`);
    expect(notMine.statusCode).toBe(404);
  });
});

describe('importing by a linked DID', () => {
  it('adds a credential issued to a linked DID, refuses one for an unlinked DID and says how to link', async () => {
    const mine = newWallet();
    const { challenge, domain } = await challengeFor(learner);
    expect((await link(learner, await presentation(mine, challenge, domain))).statusCode).toBe(201);

    const accepted = await send(learner, 'POST', '/api/me/wallet/import', {
      text: JSON.stringify(await credentialTo(mine.did)),
    });
    expect(accepted.statusCode, accepted.body).toBe(201);

    const stranger = newWallet();
    const refused = await send(learner, 'POST', '/api/me/wallet/import', {
      text: JSON.stringify(await credentialTo(stranger.did)),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().reason).toBe('not-yours');
    expect(refused.json().detail).toContain(learner.email);
    expect(refused.json().detail).toContain(mine.did);
    expect(refused.json().detail).toMatch(/link it first/);

    // Once unlinked, the DID no longer names the learner.
    expect((await send(learner, 'DELETE', `/api/me/identities/did/${mine.did}`)).statusCode).toBe(204);
    const afterUnlink = await send(learner, 'POST', '/api/me/wallet/import', {
      text: JSON.stringify(await credentialTo(mine.did)),
    });
    expect(afterUnlink.statusCode).toBe(422);
    expect(afterUnlink.json().reason).toBe('not-yours');
  });
});

/** The token in the newest confirmation link the outbox holds for `email`. */
async function tokenSentTo(email: string): Promise<string> {
  const message = await t.platform.database.db
    .selectFrom('outbox')
    .select(['text', 'subject'])
    .where('to_email', '=', email)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const token = /https:\/\/skillproof\.test\/identities\/email\/([\w-]+)/.exec(message.text)?.[1];
  expect(token, message.text).toBeTruthy();
  return token!;
}

describe('extra email addresses', () => {
  it('sends a confirmation link to the outbox, confirms it for the same account only, and imports by it', async () => {
    const extra = uniqueEmail('grace-work');
    const asked = await send(learner, 'POST', '/api/me/identities/email', { email: extra.toUpperCase() });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json().email).toBe(extra);
    const token = await tokenSentTo(extra);
    const stored = await t.platform.database.db.selectFrom('email_verifications').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    // Before confirming, a credential issued to the address is not the learner's.
    const early = await send(learner, 'POST', '/api/me/wallet/import', {
      text: JSON.stringify(await credentialTo('', extra)),
    });
    expect(early.statusCode).toBe(422);

    const byOther = await send(other, 'POST', `/api/identities/email/${token}`);
    expect(byOther.statusCode).toBe(404);
    const confirmed = await send(learner, 'POST', `/api/identities/email/${token}`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().email).toBe(extra);
    const again = await send(learner, 'POST', `/api/identities/email/${token}`);
    expect(again.statusCode).toBe(400);
    expect(again.json().detail).toMatch(/already used/);

    const listed = (await send(learner, 'GET', '/api/me/identities')).json();
    expect(listed.emails.map((e: { email: string }) => e.email)).toEqual([extra]);

    const imported = await send(learner, 'POST', '/api/me/wallet/import', {
      text: JSON.stringify(await credentialTo('', extra)),
    });
    expect(imported.statusCode, imported.body).toBe(201);

    const stranger = await send(learner, 'POST', '/api/me/wallet/import', {
      text: JSON.stringify(await credentialTo('', 'nobody@example.net')),
    });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().detail).toContain(`your confirmed email ${extra}`);

    // Another account cannot take it, nor the learner's sign-up address.
    for (const email of [extra, learner.email]) {
      const taken = await send(other, 'POST', '/api/me/identities/email', { email });
      expect(taken.statusCode, email).toBe(409);
      expect(taken.json().detail).toMatch(/another account/);
    }

    expect((await send(learner, 'DELETE', `/api/me/identities/email/${extra}`)).statusCode).toBe(204);
    expect((await send(learner, 'GET', '/api/me/identities')).json().emails).toEqual([]);
  });

  it('refuses a bad address, the account email, an expired link and an unknown one', async () => {
    const bad = await send(learner, 'POST', '/api/me/identities/email', { email: 'not an address' });
    expect(bad.statusCode).toBe(400);
    const own = await send(learner, 'POST', '/api/me/identities/email', { email: learner.email });
    expect(own.statusCode).toBe(400);
    expect(own.json().detail).toMatch(/already your account email/);

    const extra = uniqueEmail('late');
    expect((await send(learner, 'POST', '/api/me/identities/email', { email: extra })).statusCode).toBe(202);
    const token = await tokenSentTo(extra);
    await t.platform.database.db
      .updateTable('email_verifications')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('email', '=', extra)
      .execute();
    const late = await send(learner, 'POST', `/api/identities/email/${token}`);
    expect(late.statusCode).toBe(400);
    expect(late.json().detail).toMatch(/expired/);

    const unknown = await send(learner, 'POST', '/api/identities/email/made-up-token');
    expect(unknown.statusCode).toBe(404);
  });
});
