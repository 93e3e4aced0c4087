import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bakePng } from '../../src/vc/baking.js';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { generateEd25519KeyPair } from '../../src/vc/multikey.js';
import {
  createOrg,
  createTestApp,
  signUp,
  type Client,
  type TestApp,
  issueAchievementCredential,
} from '../helpers/app.js';
import { achievementCredential, issuerDid } from '../helpers/credentials.js';
import { solidPng } from '../helpers/images.js';
import { standardsJson } from '../helpers/standards.js';

let t: TestApp;
let admin: Client;
let stranger: Client;
let owner: Client;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signUp(t.app, 'Ada Admin');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
  stranger = await signUp(t.app, 'Sam Stranger');
  owner = await signUp(t.app, 'Olga Owner');
  orgId = await createOrg(t.app, owner, 'Northwind Institute');
});
afterAll(() => t.close());

/** The 1EdTech basic example, issued and signed by a foreign did:key issuer. */
async function foreignCredential(claimedName = 'Example Corp') {
  const key = generateEd25519KeyPair();
  const did = `did:key:${key.publicKeyMultibase}`;
  const example = standardsJson('ob3/examples/example-basic-openbadgecredential.json');
  const unsigned = { ...example, issuer: { ...(example.issuer as object), id: did, name: claimedName } };
  const vc = await signEddsaRdfc2022(unsigned, key.privateKey!, {
    verificationMethod: `${did}#${key.publicKeyMultibase}`,
  });
  return { did, vc };
}

const issueLocal = () => issueAchievementCredential(t.app, owner, orgId);

const dccRegistry = (entries: Record<string, object>) => ({
  meta: { created: '2026-01-01T00:00:00+0000', updated: '2026-11-01T00:00:00+0000' },
  registry: entries,
});

function importRegistry(client: Client | undefined, name: string, registry: unknown) {
  return t.app.inject({
    method: 'POST',
    url: '/api/admin/trust-registries',
    headers: client?.headers ?? {},
    payload: { name, registry },
  });
}

async function verify(payload: object) {
  const response = await t.app.inject({ method: 'POST', url: '/api/verify', payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const trustCheckOf = (body: { details: { id: string; status: string; message: string }[] }) =>
  body.details.find((c) => c.id === 'trust');

describe('importing registries', () => {
  it('lets only instance admins import, list and delete', async () => {
    const registry = dccRegistry({ 'did:web:only-admins.example': { name: 'Only Admins' } });
    expect((await importRegistry(undefined, 'Anon', registry)).statusCode).toBe(401);
    const refused = await importRegistry(stranger, 'Stranger', registry);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('instance admin');
    // An organization owner is no instance admin.
    expect((await importRegistry(owner, 'Owner', registry)).statusCode).toBe(403);
    for (const client of [stranger, owner]) {
      const list = await t.app.inject({ method: 'GET', url: '/api/admin/trust-registries', headers: client.cookie });
      expect(list.statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/trust-registries' })).statusCode).toBe(401);
    expect((await t.platform.trust.listRegistries()).map((r) => r.name)).not.toContain('Stranger');
  });

  it('imports a DCC registry, replaces it by name, and deletes it', async () => {
    const first = await importRegistry(
      admin,
      'DCC Sandbox Registry',
      dccRegistry({
        'did:web:one.example': { name: 'One University', location: 'Cambridge, MA, USA', url: 'https://one.example' },
        'did:web:two.example': { name: 'Two College' },
      }),
    );
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      replaced: false,
      registry: { name: 'DCC Sandbox Registry', entryCount: 2, meta: { updated: '2026-11-01T00:00:00+0000' } },
    });

    // The file's text is accepted as well as its JSON; the same name replaces the entries.
    const again = await importRegistry(
      admin,
      'DCC Sandbox Registry',
      JSON.stringify(dccRegistry({ 'did:web:three.example': { name: 'Three Academy', extra: 'kept' } })),
    );
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ replaced: true, registry: { entryCount: 1 } });

    const issuers = (await t.app.inject({ method: 'GET', url: '/api/trust/issuers' })).json().issuers;
    const dids = issuers.map((i: { did: string }) => i.did);
    expect(dids).toContain('did:web:three.example');
    expect(dids).not.toContain('did:web:one.example');
    expect(issuers.find((i: { did: string }) => i.did === 'did:web:three.example')).toMatchObject({
      name: 'Three Academy',
      registry: 'DCC Sandbox Registry',
      local: false,
    });

    const listed = await t.app.inject({ method: 'GET', url: '/api/admin/trust-registries', headers: admin.cookie });
    expect(listed.json().registries.map((r: { name: string }) => r.name)).toContain('DCC Sandbox Registry');

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/trust-registries/${encodeURIComponent('DCC Sandbox Registry')}`,
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/trust-registries/${encodeURIComponent('DCC Sandbox Registry')}`,
      headers: admin.headers,
    });
    expect(gone.statusCode).toBe(404);
    const after = (await t.app.inject({ method: 'GET', url: '/api/trust/issuers' })).json().issuers;
    expect(after.map((i: { did: string }) => i.did)).not.toContain('did:web:three.example');
  });

  it('refuses bad files with a 400 that names the problem', async () => {
    const cases: [unknown, string][] = [
      ['{"registry": ', 'not valid JSON'],
      [{ entries: {} }, 'lacks "registry"'],
      [dccRegistry({}), 'lists no issuers'],
      [dccRegistry({ 'https://issuer.example': { name: 'Web' } }), '"https://issuer.example", which is not a DID'],
      [dccRegistry({ 'did:web:x.example': { location: 'Nowhere' } }), 'registry["did:web:x.example"] lacks "name"'],
      [
        dccRegistry({ 'did:web:x.example': { name: 'X', url: 'javascript:alert(1)' } }),
        'must be an http or https address',
      ],
      [[1, 2], 'must be a JSON object'],
    ];
    for (const [registry, expected] of cases) {
      const response = await importRegistry(admin, 'Broken', registry);
      expect(response.statusCode, JSON.stringify(registry)).toBe(400);
      expect(response.json().detail).toContain(expected);
    }
    const slashed = await importRegistry(admin, 'EU/EBSI pilot', dccRegistry({ 'did:web:x.example': { name: 'X' } }));
    expect(slashed.statusCode).toBe(201);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/trust-registries/${encodeURIComponent('EU/EBSI pilot')}`,
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(204);
    const badName = await importRegistry(admin, '   ', dccRegistry({ 'did:web:x.example': { name: 'X' } }));
    expect(badName.statusCode).toBe(400);
    expect((await t.platform.trust.listRegistries()).map((r) => r.name)).not.toContain('Broken');
  });
});

describe('verification says whether the issuer is known', () => {
  it('a foreign issuer listed in an imported registry: trust passed, with the registry name for it', async () => {
    const { did, vc } = await foreignCredential('Totally Harvard');
    const before = await verify({ text: JSON.stringify(vc) });
    expect(before.verified).toBe(true);
    expect(trustCheckOf(before)).toMatchObject({ status: 'warning' });
    expect(trustCheckOf(before)?.message).toContain("Issuer not in this instance's registry of trusted issuers");
    expect(before.issuerTrust).toEqual({ known: false });

    const imported = await importRegistry(
      admin,
      'DCC Community Registry',
      dccRegistry({ [did]: { name: 'Example Corp (registered)', url: 'https://example.com' } }),
    );
    expect(imported.statusCode, imported.body).toBe(201);
    const after = await verify({ text: JSON.stringify(vc) });
    expect(after.verified).toBe(true);
    expect(trustCheckOf(after)).toEqual({
      id: 'trust',
      status: 'passed',
      message: `Issuer known: DCC Community Registry lists ${did} as Example Corp (registered).`,
    });
    expect(after.issuerTrust).toEqual({
      known: true,
      name: 'Example Corp (registered)',
      registry: 'DCC Community Registry',
      url: 'https://example.com',
    });
    // The credential's own claim stays visible beside the registry's name.
    expect(after.summary.issuer.name).toBe('Totally Harvard');
    // The trust check sits right after the issuer check.
    const ids = after.details.map((c: { id: string }) => c.id);
    expect(ids.indexOf('trust')).toBe(ids.indexOf('issuer') + 1);

    // VC-API carries it too, and stays a 200.
    const vcApi = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: vc },
    });
    expect(vcApi.statusCode).toBe(200);
    expect(vcApi.json().checks).toContain('trust');
    expect(vcApi.json().issuerTrust).toMatchObject({ known: true, registry: 'DCC Community Registry' });
  });

  it('an unlisted foreign issuer is a warning, and the credential still verifies', async () => {
    const { vc } = await foreignCredential();
    const vcApi = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: vc },
    });
    expect(vcApi.statusCode).toBe(200);
    const body = vcApi.json();
    expect(body.verified).toBe(true);
    expect(body.errors).toEqual([]);
    expect(body.warnings).toEqual([
      expect.objectContaining({ check: 'trust', message: expect.stringContaining('not in this instance') }),
    ]);
    expect(body.issuerTrust).toEqual({ known: false });
  });

  it("this instance's organizations are known, by the organization's name", async () => {
    const vc = await issueLocal();
    const body = await verify({ text: JSON.stringify(vc) });
    expect(body.verified).toBe(true);
    expect(trustCheckOf(body)).toMatchObject({
      status: 'passed',
      message: `Issuer known: skillproof.test (this instance) lists did:web:skillproof.test:issuers:${orgId} as Northwind Institute.`,
    });
    expect(body.issuerTrust).toEqual({
      known: true,
      name: 'Northwind Institute',
      registry: 'skillproof.test (this instance)',
    });
    const issuers = (await t.app.inject({ method: 'GET', url: '/api/trust/issuers' })).json().issuers;
    expect(issuers[0]).toMatchObject({
      did: `did:web:skillproof.test:issuers:${orgId}`,
      name: 'Northwind Institute',
      local: true,
    });
  });

  it('a VC-JWT and the credentials in a presentation get the same answer', async () => {
    const jwtResponse = await t.app.inject({
      method: 'POST',
      url: `/issuers/${orgId}/credentials/issue`,
      headers: owner.headers,
      payload: { credential: achievementCredential({ issuer: issuerDid(orgId) }), options: { format: 'jwt' } },
    });
    // The issue route answers an EnvelopedVerifiableCredential; pasted as JSON, it verifies as its JWT.
    const jwt = await verify({ text: JSON.stringify(jwtResponse.json().verifiableCredential) });
    expect(jwt.verified).toBe(true);
    expect(jwt.issuerTrust).toMatchObject({ known: true, name: 'Northwind Institute' });

    const { did, vc } = await foreignCredential();
    await importRegistry(admin, 'Presentation Registry', dccRegistry({ [did]: { name: 'Presented Issuer' } }));
    const holder = generateEd25519KeyPair();
    const holderDid = `did:key:${holder.publicKeyMultibase}`;
    const vp = await signEddsaRdfc2022(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiablePresentation'],
        holder: holderDid,
        verifiableCredential: [vc, await issueLocal()],
      },
      holder.privateKey!,
      {
        verificationMethod: `${holderDid}#${holder.publicKeyMultibase}`,
        proofPurpose: 'authentication',
        challenge: 'c-1',
        domain: 'jobs.example',
      },
    );
    const response = await t.app.inject({
      method: 'POST',
      url: '/presentations/verify',
      payload: { verifiablePresentation: vp, options: { challenge: 'c-1', domain: 'jobs.example' } },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().credentialResults.map((r: { issuerTrust: object }) => r.issuerTrust)).toEqual([
      { known: true, name: 'Presented Issuer', registry: 'Presentation Registry' },
      { known: true, name: 'Northwind Institute', registry: 'skillproof.test (this instance)' },
    ]);
  });

  it('a tampered credential from a listed issuer is not vouched for', async () => {
    const { did, vc } = await foreignCredential();
    await importRegistry(admin, 'Tamper Registry', dccRegistry({ [did]: { name: 'Listed Issuer' } }));
    const body = await verify({ text: JSON.stringify({ ...vc, name: 'Forged' }) });
    expect(body.verified).toBe(false);
    expect(trustCheckOf(body)).toMatchObject({ status: 'skipped' });
    expect(body.issuerTrust).toEqual({ known: false });
  });
});

describe('batch verification', () => {
  it('answers each item on its own, in order', async () => {
    const local = await issueLocal();
    const { vc: foreign } = await foreignCredential('Unlisted Co');
    const baked = Buffer.from(bakePng(solidPng(), { kind: 'json', credential: local })).toString('base64');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/verify/batch',
      payload: {
        items: [
          { text: JSON.stringify(local), label: 'local.json' },
          { text: JSON.stringify({ ...local, name: 'Tampered' }) },
          { text: 'garbage' },
          { url: 'https://10.0.0.1/credential.json' },
          { text: JSON.stringify(foreign) },
          { image: baked, label: 'badge.png' },
          {},
        ],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const { results, counts } = response.json();
    expect(counts).toEqual({ verified: 3, notVerified: 1, errors: 3 });
    expect(results.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results.map((r: { verdict: string }) => r.verdict)).toEqual([
      'verified',
      'not-verified',
      'error',
      'error',
      'verified',
      'verified',
      'error',
    ]);
    expect(results[0]).toMatchObject({
      label: 'local.json',
      achievement: 'Data Analysis with SQL',
      issuer: { name: 'Northwind Institute' },
      issuerTrust: { known: true, registry: 'skillproof.test (this instance)' },
    });
    expect(results[0].headline).toBe('Verified: Northwind Institute issued "Data Analysis with SQL".');
    expect(results[1].headline).toMatch(/^Not verified: .*signature does not match/);
    expect(results[2].headline).toMatch(/^Could not be checked: /);
    expect(results[3].headline).toContain('private or local address');
    expect(results[3].label).toBe('https://10.0.0.1/credential.json');
    expect(results[4]).toMatchObject({ issuer: { name: 'Unlisted Co' }, issuerTrust: { known: false } });
    expect(results[4].headline).toContain('an issuer this instance does not know');
    expect(results[4].checks.find((c: { id: string }) => c.id === 'trust').status).toBe('warning');
    expect(results[6].headline).toContain('exactly one of text, url or image');
  });

  it('refuses a body that is not a batch with a 400 problem', async () => {
    for (const payload of [{}, { items: 'x' }, { items: [] }, { items: [{ text: 5 }] }, { items: [{ file: 'x' }] }]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/verify/batch', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('refuses batches that are too big with a clear 413', async () => {
    const tooMany = await t.app.inject({
      method: 'POST',
      url: '/api/verify/batch',
      payload: { items: Array.from({ length: 51 }, () => ({ text: '{}' })) },
    });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().detail).toContain('at most 50');
    const tooLarge = await t.app.inject({
      method: 'POST',
      url: '/api/verify/batch',
      payload: { items: [{ text: 'x'.repeat(17 * 1024 * 1024) }] },
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().detail).toContain('split it');
  });
});

describe('instance admins', () => {
  it('the session says who is an admin', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/session', headers: admin.cookie });
    expect(mine.json().isAdmin).toBe(true);
    const theirs = await t.app.inject({ method: 'GET', url: '/api/session', headers: stranger.cookie });
    expect(theirs.json().isAdmin).toBe(false);
  });

  it('a revoked admin is refused at once', async () => {
    const temp = await signUp(t.app, 'Temp Admin');
    await t.platform.accounts.grantInstanceAdmin(temp.email);
    const ok = await t.app.inject({ method: 'GET', url: '/api/admin/trust-registries', headers: temp.cookie });
    expect(ok.statusCode).toBe(200);
    await t.platform.accounts.revokeInstanceAdmin(temp.email);
    const refused = await t.app.inject({ method: 'GET', url: '/api/admin/trust-registries', headers: temp.cookie });
    expect(refused.statusCode).toBe(403);
  });
});
