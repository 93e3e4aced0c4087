import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  signUp,
  type Client,
  type TestApp,
  request,
  type Method,
  publishAchievement,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { itemsCsv } from '../helpers/items.js';
import { identityMatches } from '../../src/vc/identity.js';

let t: TestApp;
let issuer: Client;
let orgId: string;
let achievementId: string;
const policy = {
  length: 5,
  passMark: 60,
  timeLimitMinutes: 10,
  maxAttempts: 2,
  cooldownHours: 24,
  stratifyBySkill: true,
  maxExposure: 1000,
  poolFactor: 3,
};

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Test Author');
  orgId = await createOrg(t.app, issuer, 'Northwind');
  achievementId = await publishAchievement(t.app, issuer, orgId);
  await send(issuer, 'PUT', `/api/orgs/${orgId}/achievements/${achievementId}/test-policy`, policy);
});
afterAll(() => t.close());

const bank = `/api/orgs/${'ORG'}/achievements/${'ACH'}`;
const bankUrl = (suffix = '') => bank.replace('ORG', orgId).replace('ACH', achievementId) + suffix;

describe('item bank', () => {
  it('refuses to run a test on a shallow pool', async () => {
    const learner = await signUp(t.app, 'Early Learner');
    const response = await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`);
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toContain('needs at least 15');
  });

  it('imports CSV, refuses bad items, exports formula-safe CSV', async () => {
    const imported = await send(issuer, 'POST', bankUrl('/items/import'), { format: 'csv', content: itemsCsv(15) });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().added).toBe(15);
    const bad = await send(issuer, 'POST', bankUrl('/items/import'), {
      format: 'csv',
      content: 'stem,options,correct\n"Q","only one",a\n',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('2 to 10 options');
    const wrongColumns = await send(issuer, 'POST', bankUrl('/items/import'), {
      format: 'csv',
      content: 'question,answer\nx,y\n',
    });
    expect(wrongColumns.statusCode).toBe(400);

    await send(issuer, 'POST', bankUrl('/items'), {
      items: [
        {
          stem: '=HYPERLINK("http://evil.example","click")',
          options: ['+cmd', 'safe'],
          correct: [1],
          skills: ['@x'],
          difficulty: 2,
        },
      ],
    });
    const exported = await send(issuer, 'GET', bankUrl('/items/export?format=csv'));
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(exported.body).toContain("'+cmd|safe");
    expect(exported.body).not.toMatch(/(^|,)=HYPERLINK/m);
    const items = (await send(issuer, 'GET', bankUrl('/items'))).json().items;
    const formula = items.find((i: { stem: string }) => i.stem.startsWith('='));
    expect((await send(issuer, 'POST', bankUrl(`/items/${formula.id}/retire`))).statusCode).toBe(204);
  });
});

describe('taking the test', () => {
  interface ShownItem {
    id: string;
    options: { id: string; text: string }[];
  }
  interface BankItem extends ShownItem {
    correct: string[];
  }
  /** The right answer as the learner gives it: the labels this attempt shows for the right options' texts. */
  async function keyOf(item: ShownItem): Promise<string[]> {
    const banked = ((await send(issuer, 'GET', bankUrl('/items'))).json().items as BankItem[]).find(
      (i) => i.id === item.id,
    )!;
    const rightTexts = banked.options.filter((o) => banked.correct.includes(o.id)).map((o) => o.text);
    return item.options.filter((o) => rightTexts.includes(o.text)).map((o) => o.id);
  }

  it("relabels shuffled options in the order shown, so the author's order does not leak (2.13)", async () => {
    const learner = await signUp(t.app, 'Label Reader');
    const attempt = (await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`)).json();
    const banked = (await send(issuer, 'GET', bankUrl('/items'))).json().items as BankItem[];
    let reordered = 0;
    for (const item of attempt.items as ShownItem[]) {
      const labels = item.options.map((o) => o.id);
      expect(labels, 'labels in the order shown').toEqual('abcdefghij'.slice(0, labels.length).split(''));
      const authorOrder = banked.find((b) => b.id === item.id)!.options.map((o) => o.text);
      if (item.options.map((o) => o.text).join('|') !== authorOrder.join('|')) reordered += 1;
    }
    // The options were shuffled (five items of four options in the author's order: 1 in 24^5).
    expect(reordered).toBeGreaterThan(0);

    // Answers are given by the labels shown; the server maps them back, and they read back as given.
    const first = attempt.items[0] as ShownItem;
    const key = await keyOf(first);
    const answered = await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${first.id}`, { chosen: key });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().items[0].chosen).toEqual(key);
    expect((await send(learner, 'GET', `/api/attempts/${attempt.id}`)).json().items[0].chosen).toEqual(key);
    for (const item of (attempt.items as ShownItem[]).slice(1)) {
      await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${item.id}`, { chosen: await keyOf(item) });
    }
    const submitted = (await send(learner, 'POST', `/api/attempts/${attempt.id}/submit`)).json();
    expect(submitted.score).toMatchObject({ correct: 5, total: 5, passed: true });
  });

  it('draws items without keys, resumes, scores right answers, and stops after a pass', async () => {
    const learner = await signUp(t.app, 'Able Learner');
    const started = await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`);
    expect(started.statusCode, started.body).toBe(201);
    const attempt = started.json();
    expect(attempt.items).toHaveLength(5);
    expect(attempt.secondsLeft).toBeGreaterThan(590);
    expect(started.body).not.toMatch(/"correct"|"draws"|"difficulty"|"retired"/);

    const resumed = await send(learner, 'GET', `/api/attempts/${attempt.id}`);
    expect(resumed.json().items.map((i: { id: string }) => i.id)).toEqual(
      attempt.items.map((i: { id: string }) => i.id),
    );
    const again = await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ reason: 'in-progress', attemptId: attempt.id });

    const first = attempt.items[0];
    expect(
      (
        await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/00000000-0000-4000-8000-000000000000`, {
          chosen: ['a'],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${first.id}`, { chosen: ['z'] })).statusCode,
    ).toBe(400);
    expect(
      (await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${first.id}`, { chosen: ['a', 'b'] }))
        .statusCode,
    ).toBe(400);
    for (const item of attempt.items) {
      const answered = await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${item.id}`, {
        chosen: await keyOf(item),
      });
      expect(answered.statusCode, answered.body).toBe(200);
      expect(answered.body).not.toContain('"correct"');
    }
    expect((await send(learner, 'POST', `/api/attempts/${attempt.id}/events`, { type: 'focus-lost' })).statusCode).toBe(
      204,
    );

    const submitted = await send(learner, 'POST', `/api/attempts/${attempt.id}/submit`);
    expect(submitted.json().score).toMatchObject({ correct: 5, total: 5, percent: 100, passed: true });
    expect(
      submitted
        .json()
        .score.perSkill.map((s: { skill: string }) => s.skill)
        .sort(),
    ).toEqual(['esco:python', 'esco:sql', 'esco:statistics']);
    expect(submitted.body).not.toContain('"right"');
    expect((await send(learner, 'POST', `/api/attempts/${attempt.id}/submit`)).json().score.percent).toBe(100);
    expect(
      (await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${first.id}`, { chosen: ['a'] })).statusCode,
    ).toBe(409);
    expect((await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`)).json().reason).toBe('passed');

    // Passing issued the credential at once, exactly once, to this learner; it verifies.
    const credentialId = submitted.json().credentialId;
    expect(credentialId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await send(learner, 'GET', `/api/attempts/${attempt.id}`)).json().credentialId).toBe(credentialId);
    const mine = (await send(learner, 'GET', '/api/me/credentials')).json().credentials;
    expect(mine).toHaveLength(1);
    const vc = mine[0].verifiableCredential;
    expect(vc.credentialSubject.achievement.id).toBe(
      `https://skillproof.test/achievements/${achievementId}/versions/1`,
    );
    expect(vc.credentialSubject.result[0].value).toBe('100');
    expect(vc.validUntil).toBeDefined();
    expect(identityMatches(vc.credentialSubject.identifier[0], [learner.email])).toBe(true);
    expect(JSON.stringify(vc)).not.toContain(learner.email);
    const verified = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: vc },
    });
    expect(verified.statusCode, verified.body).toBe(200);

    const audit = await t.platform.database.db
      .selectFrom('attempts')
      .select(['integrity', 'passed'])
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    expect(audit.passed).toBe(true);
    expect(audit.integrity[0]?.type).toBe('focus-lost');
  });

  it('fails wrong answers, then enforces the cooldown', async () => {
    const learner = await signUp(t.app, 'Unlucky Learner');
    const attempt = (await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`)).json();
    // One wrong option per item, by its label in this attempt (which letter is right differs per attempt).
    for (const item of attempt.items as ShownItem[]) {
      const right = await keyOf(item);
      const wrong = item.options.find((o) => !right.includes(o.id))!.id;
      await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${item.id}`, { chosen: [wrong] });
    }
    const failed = (await send(learner, 'POST', `/api/attempts/${attempt.id}/submit`)).json();
    expect(failed.score).toMatchObject({ correct: 0, passed: false });
    expect(failed.credentialId).toBeNull();
    expect((await send(learner, 'GET', '/api/me/credentials')).json().credentials).toEqual([]);
    const cooling = await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`);
    expect(cooling.statusCode).toBe(409);
    expect(cooling.json().reason).toBe('cooldown');
    expect(Date.parse(cooling.json().retryAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });

  it('closes an attempt at its deadline, keeping only the answers given in time', async () => {
    const learner = await signUp(t.app, 'Slow Learner');
    const attempt = (await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`)).json();
    await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${attempt.items[0].id}`, {
      chosen: await keyOf(attempt.items[0]),
    });
    // The server's clock moves on: pretend the attempt began 11 minutes ago.
    const past = new Date(Date.now() - 11 * 60_000);
    await t.platform.database.db
      .updateTable('attempts')
      .set({ started_at: past, deadline: new Date(past.getTime() + 10 * 60_000) })
      .where('id', '=', attempt.id)
      .execute();
    const late = await send(learner, 'PUT', `/api/attempts/${attempt.id}/answers/${attempt.items[1].id}`, {
      chosen: ['b'],
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('Time is up');
    const closed = (await send(learner, 'GET', `/api/attempts/${attempt.id}`)).json();
    expect(closed).toMatchObject({ finished: true, secondsLeft: 0 });
    expect(closed.score.correct).toBe(1);
  });

  it('reports item statistics from finished attempts to the issuer', async () => {
    const stats = (await send(issuer, 'GET', bankUrl('/items/statistics'))).json();
    const answered = stats.items.filter((i: { responses: number }) => i.responses > 0);
    expect(answered.length).toBeGreaterThan(0);
    for (const item of answered) {
      expect(item.facility).toBeGreaterThanOrEqual(0);
      expect(item.facility).toBeLessThanOrEqual(1);
      expect(item.flags).toContain('too-few-responses');
    }
    const drawn = stats.items.reduce((sum: number, i: { draws: number }) => sum + i.draws, 0);
    expect(drawn).toBeGreaterThanOrEqual(15);
  });

  it('lets the issuer award by hand, to an account or to an email only, once per key', async () => {
    const learner = await signUp(t.app, 'Portfolio Learner');
    const award = (body: object) => send(issuer, 'POST', bankUrl('/awards'), body);
    const first = await award({
      email: learner.email.toUpperCase(),
      score: 88,
      narrative: 'Portfolio reviewed.',
      evidenceUrl: 'https://portfolio.example/x',
      key: 'row-1',
    });
    expect(first.statusCode, first.body).toBe(201);
    const again = await award({ email: learner.email, key: 'row-1' });
    expect(again.json().credential.id).toBe(first.json().credential.id);
    const vc = first.json().verifiableCredential;
    expect(vc.credentialSubject.result[0].value).toBe('88');
    expect(vc.evidence[0]).toMatchObject({ id: 'https://portfolio.example/x', narrative: 'Portfolio reviewed.' });
    expect(JSON.stringify(vc.evidence)).not.toContain('skill test');
    const mine = (await send(learner, 'GET', '/api/me/credentials')).json().credentials;
    expect(mine.map((c: { id: string }) => c.id)).toContain(first.json().credential.id);

    const stranger = await award({ email: 'no.account@example.org' });
    expect(stranger.statusCode).toBe(201);
    const verified = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: stranger.json().verifiableCredential },
    });
    expect(verified.statusCode, verified.body).toBe(200);

    expect((await award({ email: 'not an email' })).statusCode).toBe(400);
    expect((await award({ email: 'a@b.org', score: 101 })).statusCode).toBe(400);
    const other = await signUp(t.app, 'Other Issuer');
    const otherOrg = await createOrg(t.app, other, 'Elsewhere');
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${otherOrg}/achievements/${achievementId}/awards`,
      headers: other.headers,
      payload: { email: 'x@y.org' },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('keeps attempts private to their learner', async () => {
    const owner = await signUp(t.app, 'Owner Learner');
    const attempt = (await send(owner, 'POST', `/api/achievements/${achievementId}/attempts`)).json();
    const snoop = await signUp(t.app, 'Snoop');
    expect((await send(snoop, 'GET', `/api/attempts/${attempt.id}`)).statusCode).toBe(404);
    expect(
      (await send(snoop, 'PUT', `/api/attempts/${attempt.id}/answers/${attempt.items[0].id}`, { chosen: ['b'] }))
        .statusCode,
    ).toBe(404);
    expect((await send(snoop, 'POST', `/api/attempts/${attempt.id}/submit`)).statusCode).toBe(404);
  });
});

describe('what the web console and the learner pages read', () => {
  async function freshTest(items: number): Promise<(suffix?: string) => string> {
    const id = (
      await send(issuer, 'POST', `/api/orgs/${orgId}/achievements`, sqlDefinition({ prerequisites: [] }))
    ).json().id as string;
    await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${id}/publish`);
    await send(issuer, 'PUT', `/api/orgs/${orgId}/achievements/${id}/test-policy`, policy);
    if (items)
      await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${id}/items/import`, {
        format: 'csv',
        content: itemsCsv(items),
      });
    return (suffix = '') => `/api/orgs/${orgId}/achievements/${id}${suffix}`;
  }
  const idOf = (url: (s?: string) => string) => url().split('/').at(-1)!;

  it('previews a draw without keys and without counting exposure; refuses on a shallow pool', async () => {
    const shallow = await freshTest(4);
    const refused = await send(issuer, 'GET', shallow('/test-preview'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('needs at least 15');

    const url = await freshTest(15);
    const preview = await send(issuer, 'GET', url('/test-preview'));
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().items).toHaveLength(5);
    expect(preview.json().items[0].options).toHaveLength(4);
    expect(preview.body).not.toMatch(/"correct"|"draws"|"difficulty"/);
    const draws = (await send(issuer, 'GET', url('/items'))).json().items.map((i: { draws: number }) => i.draws);
    expect(draws.every((d: number) => d === 0)).toBe(true);
    const learner = await signUp(t.app, 'Nosy Learner');
    expect((await send(learner, 'GET', url('/test-preview'))).statusCode).toBe(403);
  });

  it('edits an item as a new one and retires the old; a bad edit changes nothing', async () => {
    const url = await freshTest(15);
    const [first] = (await send(issuer, 'GET', url('/items'))).json().items as { id: string }[];
    const edit = {
      stem: 'Edited?',
      options: ['No', 'Yes', 'Maybe'],
      correct: [0, 1],
      skills: ['esco:sql'],
      difficulty: 2,
    };
    const bad = await send(issuer, 'PUT', url(`/items/${first!.id}`), { ...edit, correct: [7] });
    expect(bad.statusCode).toBe(400);
    let items = (await send(issuer, 'GET', url('/items'))).json().items as { id: string; retired: boolean }[];
    expect(items.find((i) => i.id === first!.id)!.retired).toBe(false);

    const edited = await send(issuer, 'PUT', url(`/items/${first!.id}`), edit);
    expect(edited.statusCode, edited.body).toBe(200);
    items = (await send(issuer, 'GET', url('/items'))).json().items;
    expect(items.find((i) => i.id === first!.id)!.retired).toBe(true);
    expect(items.find((i) => i.id === edited.json().id)).toMatchObject({
      stem: 'Edited?',
      multiple: true,
      retired: false,
    });
    expect((await send(issuer, 'PUT', url('/items/00000000-0000-4000-8000-000000000000'), edit)).statusCode).toBe(404);
  });

  it("tells anyone the test's facts and a learner their standing, and serves the catalog entry", async () => {
    const url = await freshTest(15);
    const id = idOf(url);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/achievements/${id}/test` });
    expect(anonymous.statusCode, anonymous.body).toBe(200);
    expect(anonymous.json()).toEqual({
      policy: { length: 5, passMark: 60, timeLimitMinutes: 10, maxAttempts: 2, cooldownHours: 24 },
      available: true,
      me: null,
    });
    const entry = await t.app.inject({ method: 'GET', url: `/api/catalog/${id}` });
    expect(entry.statusCode, entry.body).toBe(200);
    expect(entry.json()).toMatchObject({
      achievementId: id,
      version: 1,
      issuer: { name: 'Northwind' },
      issuerDetails: {},
    });

    const learner = await signUp(t.app, 'Standing Learner');
    expect((await send(learner, 'GET', `/api/achievements/${id}/test`)).json().me).toMatchObject({
      attemptsUsed: 0,
      attemptsLeft: 2,
      canStart: true,
    });
    const attempt = (await send(learner, 'POST', `/api/achievements/${id}/attempts`)).json();
    expect((await send(learner, 'GET', `/api/achievements/${id}/test`)).json().me).toMatchObject({
      canStart: false,
      reason: 'in-progress',
      openAttemptId: attempt.id,
    });
    await send(learner, 'POST', `/api/attempts/${attempt.id}/submit`);
    const cooling = (await send(learner, 'GET', `/api/achievements/${id}/test`)).json().me;
    expect(cooling).toMatchObject({ attemptsUsed: 1, attemptsLeft: 1, canStart: false, reason: 'cooldown' });
    expect(cooling.lastAttemptId).toBe(attempt.id);
    expect(Date.parse(cooling.retryAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);

    await send(issuer, 'POST', url('/retire'));
    expect((await t.app.inject({ method: 'GET', url: `/api/catalog/${id}` })).statusCode).toBe(409);
  });
});

describe('the item bank in the domain', () => {
  // The answer keys are guarded by the domain too, not only by the routes' access rules: a route declared
  // too loosely (or a new caller of the domain) still cannot hand them out.
  it('refuses every bank operation to anyone but an issuer of the organization', async () => {
    const { assessment, accounts } = t.platform;
    const learner = await signUp(t.app, 'Curious Learner');
    const outsider = await signUp(t.app, 'Other Owner');
    const otherOrg = await createOrg(t.app, outsider, 'Elsewhere');
    const assessor = await signUp(t.app, 'Assessor Here');
    await accounts.addMember(issuer.userId, orgId, { email: assessor.email, role: 'assessor' });
    const item = { stem: 'Q?', options: ['x', 'y'], correct: [0], skills: [], difficulty: 1 };
    const operations: [string, (userId: string) => Promise<unknown>][] = [
      ['bank', (u) => assessment.bank(u, orgId, achievementId)],
      ['statistics', (u) => assessment.statistics(u, orgId, achievementId)],
      ['exportItems', (u) => assessment.exportItems(u, orgId, achievementId, 'json')],
      ['preview', (u) => assessment.preview(u, orgId, achievementId)],
      ['addItems', (u) => assessment.addItems(u, orgId, achievementId, [item])],
      ['setPolicy', (u) => assessment.setPolicy(u, orgId, achievementId, policy)],
      ['retireItem', (u) => assessment.retireItem(u, orgId, achievementId, '00000000-0000-4000-8000-000000000000')],
      [
        'replaceItem',
        (u) => assessment.replaceItem(u, orgId, achievementId, '00000000-0000-4000-8000-000000000000', item),
      ],
    ];
    for (const [name, operation] of operations) {
      for (const caller of [learner, outsider, assessor]) {
        await expect(operation(caller.userId), `${name} by ${caller.email}`).rejects.toMatchObject({
          code: 'forbidden',
          message: 'Only an issuer of this organization may see or change its item bank.',
        });
      }
    }
    // Its owner (an issuer by right) gets the keys; an owner elsewhere naming their own org finds no such bank.
    expect((await assessment.bank(issuer.userId, orgId, achievementId)).items.length).toBeGreaterThan(0);
    await expect(assessment.bank(outsider.userId, otherOrg, achievementId)).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
