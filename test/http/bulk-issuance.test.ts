import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { sqlDefinition } from '../helpers/definitions.js';
import { identityMatches } from '../../src/vc/identity.js';

let t: TestApp;
let issuer: Client;
let orgId: string;
let achievementId: string;
let draftId: string;
let otherOrgAchievement: string;

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);
const upload = (url: string, body: string | Buffer, client = issuer) =>
  t.app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/bulk-issuance${url}`,
    headers: { ...client.headers, 'content-type': 'text/csv' },
    payload: body,
  });
const header = 'email,name,achievement,score,date,narrative,evidence_url\n';

async function finished(runId: string) {
  for (let i = 0; i < 600; i++) {
    const run = (await send(issuer, 'GET', `/api/orgs/${orgId}/bulk-issuance/${runId}`)).json();
    if (run.state === 'completed' || run.state === 'failed') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the run did not finish');
}

async function credentialsOf(org: string) {
  return (await t.platform.database.db
    .selectFrom('credentials')
    .select(['id', 'source_key', 'recipient_user_id', 'document'])
    .where('org_id', '=', org)
    .execute()) as { id: string; source_key: string | null; recipient_user_id: string | null; document: string }[];
}

beforeAll(async () => {
  t = await createTestApp();
  await t.platform.queue.work();
  issuer = await signUp(t.app, 'Bulk Issuer');
  orgId = await createOrg(t.app, issuer, 'Bulk Academy');
  const create = async (org: string, title: string) =>
    (await send(issuer, 'POST', `/api/orgs/${org}/achievements`, sqlDefinition({ title, prerequisites: [] }))).json()
      .id as string;
  achievementId = await create(orgId, 'Bulk SQL');
  await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/publish`);
  draftId = await create(orgId, 'Still a draft');
  const otherOrg = await createOrg(t.app, issuer, 'Other Academy');
  otherOrgAchievement = await create(otherOrg, 'Theirs');
  await send(issuer, 'POST', `/api/orgs/${otherOrg}/achievements/${otherOrgAchievement}/publish`);
}, 60_000);
afterAll(() => t.close());

describe('bulk issuance over HTTP', () => {
  it('previews rows without issuing anything', async () => {
    const csv =
      header +
      `ada@example.org,Ada,${achievementId},90,2025-05-01,"<b>Great</b> work",https://example.org/e/1\n` +
      `ADA@example.org,Ada again,${achievementId},90,2025-05-01,,\n` +
      `broken,Bob,${draftId},120,2999-01-01,,http://example.org\n` +
      `carl@example.org,Carl,${otherOrgAchievement},,,,\n`;
    const response = await upload('/preview', csv);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.totals).toEqual({ rows: 4, ok: 1, errors: 2, duplicates: 1 });
    expect(body.rows[0]).toMatchObject({ status: 'ok', narrative: '<b>Great</b> work', email: 'ada@example.org' });
    expect(body.rows[1]).toMatchObject({ status: 'duplicate', messages: ['Same award as row 1.'] });
    expect(body.rows[2].messages.join(' ')).toMatch(/not an email.*not published.*0 to 100.*future.*https/);
    expect(body.rows[3].messages.join(' ')).toContain("not one of this organization's");
    expect(await credentialsOf(orgId)).toHaveLength(0);
  });

  it('refuses bad files with clear problems', async () => {
    const wrong = await upload('/preview', 'mail,full name\nx,y\n');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toContain('lacks the columns email, name, achievement');
    expect(wrong.json().detail).toContain('"mail", "full name"');
    const latin1 = await upload(
      '/preview',
      Buffer.from(`${header}zoe@example.org,Zo\u00eb,${achievementId},,,,\n`, 'latin1'),
    );
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json().detail).toContain('not UTF-8');
    const bom = await upload(
      '/preview',
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`${header}zoe@example.org,Zoë,${achievementId},,,,\n`),
      ]),
    );
    expect(bom.statusCode).toBe(200);
    expect(bom.json().rows[0]).toMatchObject({ status: 'ok', name: 'Zoë' });
    const empty = await upload('/preview', '');
    expect(empty.statusCode).toBe(400);
    const huge = await upload('/preview', header + 'x'.repeat(10 * 1024 * 1024));
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toContain('application/problem+json');
    const json = await send(issuer, 'POST', `/api/orgs/${orgId}/bulk-issuance/preview`, { csv: 'x' });
    expect(json.statusCode).toBe(400);
  });

  it('issues the good rows once, with progress, error CSV and claim links', async () => {
    const known = await signUp(t.app, 'Known Learner');
    const fresh = uniqueEmail('fresh');
    const rows = [
      // Multi-byte text: the signing threads hand documents over as UTF-8 bytes, stored as they are.
      `${known.email},Known,${achievementId},88,2025-03-01,Portfolio — Zoë’s 数据 🎓,https://example.org/p/1`,
      `${fresh},"=HYPERLINK(""https://evil.example"")",${achievementId},,,,`,
      `${fresh},Again,${achievementId},,,,`,
      `bad-email,X,${achievementId},,,,`,
      `-formula@example.org,+cmd,${achievementId},,,,`,
      ...Array.from({ length: 20 }, (_, i) => `learner${i}@example.org,Learner ${i},${achievementId},${i},,,`),
    ];
    const csv = header + rows.join('\n') + '\n';
    const started = await upload('', csv);
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().run.id;
    expect(started.json().preview).toEqual({ rows: 25, ok: 23, errors: 1, duplicates: 1 });

    const run = await finished(runId);
    expect(run).toMatchObject({
      state: 'completed',
      done: 25,
      total: 25,
      issued: 23,
      existing: 0,
      errors: 1,
      duplicates: 1,
    });
    const issued = await credentialsOf(orgId);
    expect(issued).toHaveLength(23);
    expect(new Set(issued.map((c) => c.source_key)).size).toBe(23);

    // The learner with an account has it in the wallet, with score and evidence.
    const wallet = (await send(known, 'GET', '/api/me/credentials')).json().credentials;
    expect(wallet).toHaveLength(1);
    // As for a credential issued alone, their pathways are evaluated again (so a completed one is awarded);
    // nobody without an account is.
    const toKnown = issued.find((c) => c.recipient_user_id === known.userId)!;
    const learnerJobs = async () =>
      t.platform.database.db
        .selectFrom('job_runs')
        .select(['key', 'user_id'])
        .where('queue', '=', 'pathways.learner')
        .where(
          'key',
          'in',
          issued.map((c) => `issued:${c.id}`),
        )
        .execute();
    for (let i = 0; i < 100 && (await learnerJobs()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await learnerJobs()).toEqual([{ key: `issued:${toKnown.id}`, user_id: known.userId }]);
    const vc = wallet[0].verifiableCredential;
    expect(vc.credentialSubject.result[0].value).toBe('88');
    expect(vc.evidence[0]).toMatchObject({ narrative: 'Portfolio — Zoë’s 数据 🎓', id: 'https://example.org/p/1' });
    expect(vc.validFrom).toBe('2025-03-01T00:00:00Z');
    expect(identityMatches(vc.credentialSubject.identifier[0], [known.email])).toBe(true);
    const verified = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: vc },
    });
    expect(verified.json().verified, verified.body).toBe(true);

    // The same file again: the first run, nothing new.
    const again = await upload('', csv);
    expect(again.statusCode).toBe(200);
    expect(again.json().run.id).toBe(runId);

    // Another file with some of the same awards: those are recognized, not issued twice.
    const overlap = await upload(
      '',
      header + rows.slice(5, 10).join('\n') + `\nnew@example.org,New,${achievementId},,,,\n`,
    );
    expect(overlap.statusCode).toBe(202);
    const second = await finished(overlap.json().run.id);
    expect(second).toMatchObject({ issued: 1, existing: 5, errors: 0 });
    expect(await credentialsOf(orgId)).toHaveLength(24);

    // The preview says per row what exists already; the micro-credential may be named by its exact title.
    const notes = await upload(
      '/preview',
      header +
        `${rows[5]}\n` +
        `${known.email},Known,bulk sql,,2025-04-01,,\n` +
        `learner0@example.org,Learner 0,Bulk SQL,,2025-04-02,,\n` +
        `nobody-yet@example.org,Nobody,${achievementId},,,,\n`,
    );
    expect(notes.statusCode, notes.body).toBe(200);
    const noted = notes.json().rows;
    expect(noted.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(noted[0].notes.join(' ')).toContain('issued before');
    expect(noted[1]).toMatchObject({ achievementId });
    expect(noted[1].notes.join(' ')).toContain('already holds');
    // Unclaimed (no account yet) counts as held too: the claim waits for them.
    expect(noted[2].notes.join(' ')).toContain('already holds');
    expect(noted[3].notes).toBeUndefined();

    const errors = await send(issuer, 'GET', `/api/orgs/${orgId}/bulk-issuance/${runId}/errors.csv`);
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toContain('text/csv');
    // It names people by email: no cache may keep it.
    expect(errors.headers['cache-control']).toBe('no-store');
    const errorRows = parse(errors.body) as string[][];
    expect(errorRows[0]).toEqual(['row', 'email', 'achievement', 'status', 'messages']);
    expect(errorRows.slice(1).map((r) => [r[0], r[3]])).toEqual([
      ['3', 'duplicate'],
      ['4', 'error'],
    ]);

    const claims = await send(issuer, 'GET', `/api/orgs/${orgId}/bulk-issuance/${runId}/claims.csv`);
    const claimRows = parse(claims.body) as string[][];
    expect(claimRows[0]).toEqual(['email', 'name', 'credential', 'claimed', 'claim_url']);
    // Everyone but the learner with an account gets a claim link; formula-looking cells are neutralized.
    expect(claimRows).toHaveLength(1 + 22);
    const freshRow = claimRows.find((r) => r[0] === fresh)!;
    expect(freshRow[1]).toBe(`'=HYPERLINK("https://evil.example")`);
    expect(claimRows.find((r) => r[0] === "'-formula@example.org")?.[1]).toBe("'+cmd");
    expect(freshRow[4]).toMatch(/^https:\/\/skillproof\.test\/claim\/[A-Za-z0-9_-]{43}$/);

    const outbox = (await send(issuer, 'GET', `/api/orgs/${orgId}/outbox`)).json().messages;
    const notice = outbox.find((m: { to: string }) => m.to === fresh);
    expect(notice.subject).toContain('Bulk SQL');
    expect(notice.text).toContain(freshRow[4]);

    // Claiming: anyone with the link sees what waits; only the right account takes it, once.
    const token = freshRow[4]!.split('/').pop()!;
    const shown = await t.app.inject({ method: 'GET', url: `/api/claims/${token}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      achievement: { id: achievementId, name: 'Bulk SQL' },
      issuer: { id: orgId, name: 'Bulk Academy' },
      claimed: false,
    });
    expect(shown.json().recipient).not.toBe(fresh);
    const stranger = await signUp(t.app, 'Stranger');
    const wrong = await send(stranger, 'POST', `/api/claims/${token}`);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().detail).toContain('Sign in with that address');
    const owner = await signUp(t.app, 'Fresh Learner', fresh);
    // Signing up attached it already; the link is then used up.
    expect((await send(owner, 'GET', '/api/me/credentials')).json().credentials).toHaveLength(1);
    const twice = await send(owner, 'POST', `/api/claims/${token}`);
    expect(twice.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: `/api/claims/${token}` })).json().claimed).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/claims/not-a-token' })).statusCode).toBe(404);
  }, 120_000);

  it("finds unclaimed awards by the recipient's name and email in the issuer's list", async () => {
    const email = uniqueEmail('unclaimed');
    const started = await upload('', header + `${email},Wilhelmina Unclaimed,${achievementId},,,,\n`);
    expect(started.statusCode, started.body).toBe(202);
    expect(await finished(started.json().run.id)).toMatchObject({ issued: 1 });
    const search = async (q: string) =>
      (await send(issuer, 'GET', `/api/orgs/${orgId}/credentials?q=${encodeURIComponent(q)}`)).json();
    for (const q of [email, email.slice(0, 12).toUpperCase(), 'wilhelmina unclaimed', 'Unclaim']) {
      const found = await search(q);
      expect(found.total, q).toBe(1);
      expect(found.credentials[0]).toMatchObject({ recipientEmail: email, recipientName: 'Wilhelmina Unclaimed' });
    }
    // Once claimed, the account's name and email are the recipient's.
    const learner = await signUp(t.app, 'Mina Claimed', email);
    const claimed = await search(email);
    expect(claimed.credentials[0]).toMatchObject({ recipientEmail: email, recipientName: 'Mina Claimed' });
    expect((await search('Wilhelmina')).total).toBe(0);
    expect(learner.email).toBe(email);
  });

  it('refuses a second hand award to the same email without a key, with the existing credential', async () => {
    const email = uniqueEmail('twice');
    const url = `/api/orgs/${orgId}/achievements/${achievementId}/awards`;
    const first = await send(issuer, 'POST', url, { email });
    expect(first.statusCode, first.body).toBe(201);
    const firstId = first.json().credential.id;
    for (const again of [email, email.toUpperCase()]) {
      const second = await send(issuer, 'POST', url, { email: again });
      expect(second.statusCode, second.body).toBe(409);
      expect(second.json().credential).toMatchObject({ id: firstId });
      expect(second.json().detail).toMatch(/already holds this micro-credential/);
    }
    // The same for a recipient with an account.
    const learner = await signUp(t.app, 'Twice Learner');
    expect((await send(issuer, 'POST', url, { email: learner.email })).statusCode).toBe(201);
    expect((await send(issuer, 'POST', url, { email: learner.email })).statusCode).toBe(409);
    // Meant: allowDuplicate awards again; a key makes retries return the first.
    const meant = await send(issuer, 'POST', url, { email, allowDuplicate: true });
    expect(meant.statusCode, meant.body).toBe(201);
    expect(meant.json().credential.id).not.toBe(firstId);
    const keyed = await send(issuer, 'POST', url, { email, key: `retry-${email}` });
    expect(keyed.statusCode).toBe(201);
    expect((await send(issuer, 'POST', url, { email, key: `retry-${email}` })).json().credential.id).toBe(
      keyed.json().credential.id,
    );
  });

  it('lets the recipient claim by link, and holds hand awards to unknown emails for claiming', async () => {
    const email = uniqueEmail('hand');
    const award = await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, { email });
    expect(award.statusCode, award.body).toBe(201);
    const credentialId = award.json().credential.id;
    const link = await t.platform.bulk.claimLink(credentialId);
    expect(link).toBeDefined();
    const outbox = (await send(issuer, 'GET', `/api/orgs/${orgId}/outbox`)).json().messages;
    expect(outbox.find((m: { to: string }) => m.to === email).text).toContain(link);
    // The account exists before the claim here: created through the API's own path, then the link is used.
    const db = t.platform.database.db;
    await db.deleteFrom('claims').where('credential_id', '=', credentialId).execute();
    await t.platform.bulk.holdForClaim([
      { record: await t.platform.issuance.find(credentialId), email, name: 'Hand', uploadId: null },
    ]);
    const fresh = (await t.platform.bulk.claimLink(credentialId))!;
    const user = await t.platform.accounts.findUserByEmail(email);
    expect(user).toBeUndefined();
    const learner = await signUp(t.app, 'Hand Learner', email);
    // Sign-up attached it at once; a link to an attached credential is used up.
    expect(
      (await send(learner, 'GET', '/api/me/credentials')).json().credentials.map((c: { id: string }) => c.id),
    ).toEqual([credentialId]);
    expect((await send(learner, 'POST', `/api/claims/${fresh.split('/').pop()}`)).statusCode).toBe(409);
  });

  it('attaches by claim link for an account that already existed', async () => {
    const learner = await signUp(t.app, 'Link Learner');
    const award = await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
      email: learner.email,
    });
    const record = await t.platform.issuance.find(award.json().credential.id);
    // Held for claiming as if the account had come later than the award.
    await t.platform.database.db
      .updateTable('credentials')
      .set({ recipient_user_id: null })
      .where('id', '=', record.id)
      .execute();
    await t.platform.bulk.holdForClaim([{ record, email: learner.email, name: null, uploadId: null }]);
    const token = (await t.platform.bulk.claimLink(record.id))!.split('/').pop()!;
    expect((await send(learner, 'GET', '/api/me/credentials')).json().credentials).toHaveLength(0);
    const claimed = await send(learner, 'POST', `/api/claims/${token}`);
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json().credential.id).toBe(record.id);
    expect((await send(learner, 'GET', '/api/me/credentials')).json().credentials).toHaveLength(1);
    expect((await send(learner, 'POST', `/api/claims/${token}`)).statusCode).toBe(409);
  });

  it('keeps runs to their organization', async () => {
    const outsider = await signUp(t.app, 'Outsider');
    const otherOrg = await createOrg(t.app, outsider, 'Outsider Org');
    const runs = (await send(issuer, 'GET', `/api/orgs/${orgId}/bulk-issuance`)).json().runs;
    expect(runs.length).toBeGreaterThan(0);
    const peek = await send(outsider, 'GET', `/api/orgs/${otherOrg}/bulk-issuance/${runs[0].id}`);
    expect(peek.statusCode).toBe(404);
  });
});

describe('recipients and claim links in the domain', () => {
  // Emails and claim links are guarded by the domain too, not only by the routes' access rules.
  it('are read only by an issuer of the organization, checked before the run is looked up', async () => {
    const { bulk, accounts } = t.platform;
    const learner = await signUp(t.app, 'Curious Learner');
    const assessor = await signUp(t.app, 'Assessor Here');
    await accounts.addMember(issuer.userId, orgId, { email: assessor.email, role: 'assessor' });
    const runId = '00000000-0000-4000-8000-000000000000';
    const reads: [string, (userId: string) => Promise<unknown>][] = [
      ['errorsCsv', (u) => bulk.errorsCsv(u, orgId, runId)],
      ['claimsCsv', (u) => bulk.claimsCsv(u, orgId, runId)],
      ['outbox', (u) => bulk.outbox(u, orgId)],
    ];
    for (const [name, read] of reads) {
      for (const caller of [learner, assessor]) {
        await expect(read(caller.userId), `${name} by ${caller.email}`).rejects.toMatchObject({
          code: 'forbidden',
          message: 'Only an issuer of this organization may read its recipients and claim links.',
        });
      }
    }
    await expect(bulk.claimsCsv(issuer.userId, orgId, runId)).rejects.toMatchObject({ code: 'not-found' });
    expect(Array.isArray(await bulk.outbox(issuer.userId, orgId))).toBe(true);
  });
});
