import { randomUUID } from 'node:crypto';
import { base58, base64urlnopad } from '@scure/base';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { compactVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clrSchema from '../../src/vc/schemas/clr_v2p0_clrcredential_schema.json' with { type: 'json' };
import { unbake } from '../../src/vc/baking.js';
import { createOrg, createTestApp, signUp, type Client, type TestApp, request, type Method } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';
import { sqlDefinition } from '../helpers/definitions.js';

let t: TestApp;
let issuer: Client;
let learner: Client;
let other: Client;
let orgId: string;
let otherOrgId: string;
/** Holdings of the learner: issued here as ldp_vc (two, one a prerequisite of the other), as VC-JWT, imported. */
const held = { ldp: '', advanced: '', jwt: '', imported: '' };

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);

async function publish(definition: ReturnType<typeof sqlDefinition>): Promise<string> {
  const id = (await send(issuer, 'POST', `/api/orgs/${orgId}/achievements`, definition)).json().id as string;
  const published = await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${id}/publish`);
  expect(published.statusCode, published.body).toBeLessThan(300);
  return id;
}

async function award(achievementId: string): Promise<{ id: string; achievementUrl: string }> {
  const response = await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: learner.email,
  });
  expect(response.statusCode, response.body).toBe(201);
  const body = response.json();
  return {
    id: body.credential.id,
    achievementUrl: body.verifiableCredential.credentialSubject.achievement.id,
  };
}

const verifyVc = (verifiableCredential: unknown) =>
  t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential } });

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Northwind <Academy> & Co');
  otherOrgId = await createOrg(t.app, issuer, 'Elsewhere');
  learner = await signUp(t.app, 'Grace Hopper');
  other = await signUp(t.app, 'Someone Else');

  const intro = await award(
    await publish(sqlDefinition({ title: 'Intro to <script>alert(1)</script> & Data', prerequisites: [] })),
  );
  held.ldp = intro.id;
  held.advanced = (
    await award(await publish(sqlDefinition({ title: 'Advanced SQL', prerequisites: [intro.achievementUrl] })))
  ).id;

  const { platform } = t;
  const profile = await platform.catalog.issuerProfile(orgId);
  held.jwt = (
    await platform.issuance.issue({ orgId, profile }, achievementCredential({ name: 'JWT Badge' }), {
      format: 'jwt',
      recipientUserId: learner.userId,
    })
  ).record.id;

  // A real credential from another organization, imported as the wallet's import would store it.
  const foreign = await platform.issuance.issue(
    { orgId: otherOrgId, profile: await platform.catalog.issuerProfile(otherOrgId) },
    achievementCredential({ name: 'Imported Badge' }),
  );
  held.imported = randomUUID();
  const document = JSON.stringify(foreign.verifiableCredential);
  await platform.wallet.storeImported({
    id: held.imported,
    userId: learner.userId,
    format: 'ldp_vc',
    document,
    digest: randomUUID(),
    source: 'json',
    sourceUrl: null,
    credentialId: foreign.record.credentialId,
    issuerId: platform.keys.did(otherOrgId),
    name: 'Imported Badge',
    validFrom: null,
    validUntil: null,
  });
});
afterAll(() => t.close());

const exportOf = (id: string, format: string, client = learner) =>
  send(client, 'GET', `/api/me/wallet/${id}/export/${format}`);

/** The Ed25519 public key a DID URL names, read from our DID document as any did:web client would. */
async function publicJwkOf(kid: string) {
  const did = kid.split('#')[0]!;
  const path = did.replace('did:web:skillproof.test', '').replaceAll(':', '/');
  const document = (await t.app.inject({ method: 'GET', url: `${path}/did.json` })).json();
  const method = document.verificationMethod.find((m: { id: string }) => m.id === kid);
  const raw = base58.decode(method.publicKeyMultibase.slice(1)).slice(2); // 'z', then the 0xed01 multicodec prefix
  return importJWK({ kty: 'OKP', crv: 'Ed25519', x: base64urlnopad.encode(raw) }, 'EdDSA');
}

describe('one credential, each format', () => {
  it('json: the credential as held, which verifies', async () => {
    const response = await exportOf(held.ldp, 'json');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/vc\+ld\+json/);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="intro-to-script-alert-1-script-data.json"',
    );
    expect((await verifyVc(response.json())).statusCode).toBe(200);
  });

  it('jwt: a VC-JWT twin of a credential issued here, verified by us and by jose with the DID key', async () => {
    const response = await exportOf(held.ldp, 'jwt');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const jwt = response.body;
    const verified = await verifyVc(jwt);
    expect(verified.statusCode, verified.body).toBe(200);

    const [header] = jwt.split('.');
    const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string };
    expect(kid.startsWith(t.platform.keys.did(orgId))).toBe(true);
    const { payload } = await compactVerify(jwt, await publicJwkOf(kid));
    const claims = JSON.parse(new TextDecoder().decode(payload));
    const original = (await exportOf(held.ldp, 'json')).json();
    // Same credential: id, dates and status entry.
    expect(claims.id).toBe(original.id);
    expect(claims.jti).toBe(original.id);
    expect(claims.validFrom).toBe(original.validFrom);
    expect(claims.credentialStatus).toEqual(original.credentialStatus);
    expect(claims.proof).toBeUndefined();
  });

  it('jwt: a credential held as VC-JWT comes back as it was; its JSON alone is refused', async () => {
    const jwt = await exportOf(held.jwt, 'jwt');
    expect(jwt.statusCode).toBe(200);
    const record = await t.platform.issuance.find(held.jwt);
    expect(jwt.body).toBe(record.document);
    expect((await verifyVc(jwt.body)).statusCode).toBe(200);
    const json = await exportOf(held.jwt, 'json');
    expect(json.statusCode).toBe(409);
    expect(json.json().detail).toMatch(/VC-JWT/);
  });

  it('an imported Data Integrity credential cannot be re-signed as a JWT', async () => {
    const response = await exportOf(held.imported, 'jwt');
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toMatch(/only the issuer can sign another format/);
    expect((await exportOf(held.imported, 'json')).statusCode).toBe(200);
  });

  for (const format of ['png', 'svg'] as const) {
    it(`${format}: a baked badge that unbakes to the credential and verifies`, async () => {
      for (const id of [held.ldp, held.jwt]) {
        const response = await exportOf(id, format);
        expect(response.statusCode, response.body).toBe(200);
        expect(response.headers['content-type']).toMatch(format === 'png' ? /^image\/png/ : /^image\/svg\+xml/);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        if (format === 'svg') expect(response.headers['content-security-policy']).toMatch(/sandbox/);
        const bytes = response.rawPayload;
        const content = unbake(bytes);
        expect(content.kind).toBe(id === held.jwt ? 'jwt' : 'json');
        const verified = await t.app.inject({
          method: 'POST',
          url: '/api/verify',
          payload: { image: bytes.toString('base64') },
        });
        expect(verified.json().verified, verified.body).toBe(true);
        expect(verified.json().baked).toBe(format);
      }
    });
  }

  it('the holding detail says which formats can be had, exactly as the export route then answers', async () => {
    for (const id of Object.values(held)) {
      const detail = await send(learner, 'GET', `/api/me/wallet/${id}`);
      expect(detail.statusCode, detail.body).toBe(200);
      const exports = detail.json().exports as { format: string; unavailable: string | null }[];
      expect(exports.map((e) => e.format)).toEqual(['json', 'jwt', 'png', 'svg']);
      for (const { format, unavailable } of exports) {
        const response = await exportOf(id, format);
        expect(response.statusCode, `${id} ${format}: ${response.body.slice(0, 200)}`).toBe(unavailable ? 409 : 200);
        if (unavailable) expect(response.json().detail).toBe(unavailable);
      }
    }
  });

  it("someone else's holding answers 404, like a missing one; unknown formats 400", async () => {
    for (const format of ['json', 'png']) {
      expect((await exportOf(held.ldp, format, other)).statusCode).toBe(404);
      expect((await exportOf(randomUUID(), format)).statusCode).toBe(404);
    }
    expect((await exportOf(held.ldp, 'pdf')).statusCode).toBe(400);
    expect((await exportOf('not-a-uuid', 'json')).statusCode).toBe(400);
  });
});

it('the zip holds every credential as held, a baked PNG of each, and a manifest', async () => {
  const response = await send(learner, 'GET', '/api/me/wallet/export.zip');
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/zip');
  const files = unzipSync(new Uint8Array(response.rawPayload));
  const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8'));
  expect(manifest.holdings.map((h: { holdingId: string }) => h.holdingId).sort()).toEqual(Object.values(held).sort());
  for (const entry of manifest.holdings as { holdingId: string; files: { path: string }[]; skipped: unknown[] }[]) {
    expect(entry.skipped).toEqual([]);
    expect(entry.files).toHaveLength(2);
    for (const file of entry.files) expect(files[file.path], file.path).toBeDefined();
  }
  const jwtEntry = manifest.holdings.find((h: { holdingId: string }) => h.holdingId === held.jwt);
  const jwtFile = jwtEntry.files.find((f: { path: string }) => f.path.endsWith('.jwt'));
  expect((await verifyVc(Buffer.from(files[jwtFile.path]!).toString('utf8'))).statusCode).toBe(200);
  const png = jwtEntry.files.find((f: { path: string }) => f.path.endsWith('.png'));
  expect(unbake(files[png.path]!)).toMatchObject({ kind: 'jwt' });

  // Another learner's zip has only its manifest.
  const theirs = unzipSync(new Uint8Array((await send(other, 'GET', '/api/me/wallet/export.zip')).rawPayload));
  expect(Object.keys(theirs)).toEqual(['manifest.json']);
});

describe('CLR 2.0 transcript', () => {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validateClr = ajv.compile(clrSchema);

  it('by default embeds every JSON credential that verifies, signed by the instance; valid CLR 2.0', async () => {
    const response = await send(learner, 'POST', '/api/me/wallet/transcript', {});
    expect(response.statusCode, response.body).toBe(200);
    const { transcript, included, leftOut } = response.json();
    expect([...included].sort()).toEqual([held.ldp, held.advanced, held.imported].sort());
    expect(leftOut.map((l: { holdingId: string }) => l.holdingId)).toEqual([held.jwt]);
    expect(leftOut[0].reason).toMatch(/VC-JWT/);

    expect(validateClr(transcript), JSON.stringify(validateClr.errors?.slice(0, 5))).toBe(true);
    expect(transcript.issuer.id).toBe('did:web:skillproof.test');
    expect(transcript.proof.cryptosuite).toBe('eddsa-rdfc-2022');
    expect(transcript.partial).toBe(true);
    const subject = transcript.credentialSubject;
    expect(subject.identifier[0].identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(JSON.stringify(transcript)).not.toContain(learner.email);
    expect(subject.verifiableCredential).toHaveLength(3);
    expect(subject.achievement).toHaveLength(3);
    // The intro course is a prerequisite of the advanced one.
    expect(subject.association).toEqual([
      expect.objectContaining({ type: 'Association', associationType: 'precedes' }),
    ]);

    const verified = await verifyVc(transcript);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().checks).toContain('schema');

    // Tampering with an embedded credential breaks the transcript's own proof.
    const tampered = structuredClone(transcript);
    tampered.credentialSubject.verifiableCredential[0].name = 'Forged';
    expect((await verifyVc(tampered)).statusCode).toBe(422);
  });

  it('includes exactly the chosen holdings; refuses others and what cannot go in', async () => {
    const response = await send(learner, 'POST', '/api/me/wallet/transcript', { holdingIds: [held.advanced] });
    expect(response.statusCode, response.body).toBe(200);
    const { transcript, included, leftOut } = response.json();
    expect(included).toEqual([held.advanced]);
    expect(leftOut).toEqual([]);
    expect(transcript.credentialSubject.verifiableCredential).toHaveLength(1);
    expect(transcript.credentialSubject.association).toBeUndefined();
    expect((await verifyVc(transcript)).statusCode).toBe(200);

    expect((await send(other, 'POST', '/api/me/wallet/transcript', { holdingIds: [held.ldp] })).statusCode).toBe(404);
    const onlyJwt = await send(learner, 'POST', '/api/me/wallet/transcript', { holdingIds: [held.jwt] });
    expect(onlyJwt.statusCode).toBe(409);
    expect((await send(other, 'POST', '/api/me/wallet/transcript', {})).statusCode).toBe(409);
    // No body at all asks for everything, like an empty object.
    expect((await send(other, 'POST', '/api/me/wallet/transcript')).json().detail).toMatch(/holds no credentials/);
    expect((await send(learner, 'POST', '/api/me/wallet/transcript', { holdingIds: ['nope'] })).statusCode).toBe(400);
  });

  it('leaves out a credential that no longer verifies (revoked)', async () => {
    const revoked = await send(issuer, 'POST', `/api/orgs/${orgId}/credentials/${held.advanced}/revoke`, {
      reason: 'Issued in error',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const response = await send(learner, 'POST', '/api/me/wallet/transcript', {});
    expect(response.statusCode, response.body).toBe(200);
    const { included, leftOut } = response.json();
    expect(included).not.toContain(held.advanced);
    expect(leftOut.find((l: { holdingId: string }) => l.holdingId === held.advanced).reason).toMatch(/does not verify/);
  });
});
