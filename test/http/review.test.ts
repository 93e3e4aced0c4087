import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  grantRole,
  signUp,
  type Client,
  type TestApp,
  request,
  type Method,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { itemsCsv } from '../helpers/items.js';
import { sampleRubric as rubric } from '../helpers/rubrics.js';

let t: TestApp;
let owner: Client;
let assessor: Client;
let learner: Client;
let outsider: Client;
let orgId: string;
let otherOrgId: string;
let achievementId: string;

const passing = [
  { criterionId: 'design', points: 4 },
  { criterionId: 'queries', points: 6 },
];

const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');

const send = (client: Client | undefined, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);

async function publishedWithRubric(assessmentType: 'portfolio' | 'skill-test' = 'portfolio'): Promise<string> {
  const id = (
    await send(owner, 'POST', `/api/orgs/${orgId}/achievements`, sqlDefinition({ prerequisites: [], assessmentType }))
  ).json().id as string;
  await send(owner, 'POST', `/api/orgs/${orgId}/achievements/${id}/publish`);
  const set = await send(owner, 'PUT', `/api/orgs/${orgId}/achievements/${id}/rubric`, rubric);
  expect(set.statusCode, set.body).toBe(200);
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Owner');
  orgId = await createOrg(t.app, owner, 'Northwind');
  assessor = await signUp(t.app, 'Ada Assessor');
  await grantRole(t.app, owner, orgId, assessor.email, 'assessor');
  learner = await signUp(t.app, 'Lee <b>Learner</b>');
  outsider = await signUp(t.app, 'Outsider');
  otherOrgId = await createOrg(t.app, outsider, 'Other Org');
  await grantRole(t.app, outsider, otherOrgId, outsider.email, 'assessor');
  achievementId = await publishedWithRubric();
});
afterAll(() => t.close());

describe('rubrics', () => {
  it('are validated and shown to learners', async () => {
    const bad = await send(owner, 'PUT', `/api/orgs/${orgId}/achievements/${achievementId}/rubric`, {
      ...rubric,
      passPoints: 11,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('from 1 to 10');
    const shown = await send(learner, 'GET', `/api/achievements/${achievementId}/rubric`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json().rubric).toEqual(rubric);
    // Public, like the criteria: the catalog page shows how it is assessed before anyone signs in.
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/achievements/${achievementId}/rubric` });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json().rubric).toEqual(rubric);
    const asAssessor = await send(assessor, 'GET', `/api/orgs/${orgId}/achievements/${achievementId}/rubric`);
    expect(asAssessor.statusCode).toBe(200);
    const otherIssuer = await send(outsider, 'PUT', `/api/orgs/${orgId}/achievements/${achievementId}/rubric`, rubric);
    expect(otherIssuer.statusCode).toBe(403);
  });
});

describe('submission, review and award', () => {
  it('refuses bad work: non-https links, unknown or disguised types, too many or too large files', async () => {
    const id = await publishedWithRubric();
    const submit = (payload: object) => send(learner, 'POST', `/api/achievements/${id}/submissions`, payload);
    const cases: [object, string][] = [
      [{ narrative: 'x', links: ['http://example.org/work'] }, 'links.0'],
      [{ narrative: 'x', links: ['javascript:alert(1)'] }, 'links.0'],
      [
        { narrative: 'x', files: [{ name: 'a.gif', content: b64('GIF89a\u0001\u0000\u0001\u0000\u0000;') }] },
        'files.0',
      ],
      [
        { narrative: 'x', files: [{ name: 'report.pdf', content: b64(Buffer.from('4d5a900003000000', 'hex')) }] },
        'files.0',
      ],
      [
        { narrative: 'x', files: [{ name: 'big.txt', content: b64(Buffer.alloc(5 * 1024 * 1024 + 1, 0x41)) }] },
        'files.0',
      ],
      [{ narrative: '', links: [] }, 'narrative'],
    ];
    for (const [payload, field] of cases) {
      const response = await submit(payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().errors[0].field, JSON.stringify(payload).slice(0, 80)).toBe(field);
    }
    const six = await submit({
      narrative: 'x',
      files: Array.from({ length: 6 }, () => ({ name: 'a.png', content: b64(png) })),
    });
    expect(six.statusCode).toBe(400);
    const notBase64 = await submit({ narrative: 'x', files: [{ name: 'a.png', content: '<script>' }] });
    expect(notBase64.statusCode).toBe(400);
    const huge = await submit({
      narrative: 'x',
      files: [{ name: 'huge.txt', content: b64(Buffer.alloc(6 * 1024 * 1024, 0x41)) }],
    });
    expect(huge.statusCode).toBe(400);
    expect((await send(learner, 'GET', `/api/me/submissions?achievementId=${id}`)).json().submissions).toEqual([]);
  });

  it('goes from submission to returned, to resubmitted, to accepted: one credential that verifies', async () => {
    const html = '<script>alert("x")</script><b>My schema</b> & queries';
    const first = await send(learner, 'POST', `/api/achievements/${achievementId}/submissions`, {
      narrative: html,
      links: ['https://github.com/lee/sql-project'],
      files: [
        { name: '../diagram.png', content: b64(png) },
        { name: 'notes.txt', content: b64('Plain notes: <i>not html</i>') },
      ],
    });
    expect(first.statusCode, first.body).toBe(201);
    const submission = first.json();
    expect(submission).toMatchObject({
      status: 'open',
      narrative: html,
      links: ['https://github.com/lee/sql-project'],
    });
    expect(submission.files.map((f: { name: string; mediaType: string }) => [f.name, f.mediaType])).toEqual([
      ['diagram.png', 'image/png'],
      ['notes.txt', 'text/plain'],
    ]);

    const again = await send(learner, 'POST', `/api/achievements/${achievementId}/submissions`, { narrative: 'twice' });
    expect(again.statusCode).toBe(409);

    // Files: the learner and the issuer's assessors, nobody else; always as an attachment, never sniffed.
    const fileUrl = submission.files[0].url as string;
    for (const client of [learner, assessor]) {
      const download = await send(client, 'GET', fileUrl);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(png)).toBe(true);
      expect(download.headers['content-type']).toBe('image/png');
      expect(download.headers['content-disposition']).toBe(
        'attachment; filename="diagram.png"; filename*=UTF-8\'\'diagram.png',
      );
      expect(download.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await send(outsider, 'GET', fileUrl)).statusCode).toBe(404);
    expect((await send(undefined, 'GET', fileUrl)).statusCode).toBe(401);

    // The queue: oldest first, with the learner's name as text.
    const queue = await send(assessor, 'GET', `/api/orgs/${orgId}/reviews`);
    expect(queue.statusCode).toBe(200);
    expect(queue.json().submissions).toContainEqual(
      expect.objectContaining({
        id: submission.id,
        learnerName: 'Lee <b>Learner</b>',
        achievementTitle: 'Data Analysis with SQL',
      }),
    );
    expect((await send(learner, 'GET', `/api/orgs/${orgId}/reviews`)).statusCode).toBe(403);
    expect((await send(outsider, 'GET', `/api/orgs/${orgId}/reviews`)).statusCode).toBe(403);
    expect((await send(outsider, 'GET', `/api/orgs/${otherOrgId}/submissions/${submission.id}`)).statusCode).toBe(404);
    expect(
      (await send(outsider, 'POST', `/api/orgs/${otherOrgId}/submissions/${submission.id}/accept`, { scores: passing }))
        .statusCode,
    ).toBe(404);

    const detail = await send(assessor, 'GET', `/api/orgs/${orgId}/submissions/${submission.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ submission: { narrative: html }, rubric, attempts: [], history: [] });

    const feedback = 'Add indexes & explain the <join> plan.';
    const returned = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${submission.id}/return`, {
      feedback,
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', feedback });
    const acceptReturned = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${submission.id}/accept`, {
      scores: passing,
    });
    expect(acceptReturned.statusCode).toBe(409);

    const mine = await send(learner, 'GET', `/api/me/submissions?achievementId=${achievementId}`);
    expect(mine.json().submissions).toEqual([expect.objectContaining({ status: 'returned', feedback })]);

    const second = await send(learner, 'POST', `/api/achievements/${achievementId}/submissions`, {
      narrative: 'Now with indexes.',
      links: ['https://github.com/lee/sql-project/tree/v2'],
    });
    expect(second.statusCode).toBe(201);
    const secondId = second.json().id as string;

    const unscored = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${secondId}/accept`, {
      scores: [{ criterionId: 'design', points: 4 }],
    });
    expect(unscored.statusCode).toBe(400);
    const failing = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${secondId}/accept`, {
      scores: [
        { criterionId: 'design', points: 2 },
        { criterionId: 'queries', points: 0 },
      ],
    });
    expect(failing.statusCode).toBe(400);
    expect(failing.json().detail).toContain('below the pass threshold');

    const accepted = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${secondId}/accept`, {
      scores: passing,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', score: { points: 10, percent: 100, passed: true } });
    const credentialId = accepted.json().credentialId as string;
    expect(credentialId).toBeTruthy();
    const twice = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${secondId}/accept`, {
      scores: passing,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('already accepted');

    const wallet = (await send(learner, 'GET', '/api/me/credentials')).json().credentials as {
      id: string;
      status: string;
      verifiableCredential: Record<string, unknown> & {
        credentialSubject: { result: { value: string; alignment?: { targetCode: string }[] }[] };
        evidence: { narrative: string; id?: string }[];
      };
    }[];
    const ours = wallet.filter((c) => c.id === credentialId);
    expect(ours).toHaveLength(1);
    expect(wallet).toHaveLength(1);
    const vc = ours[0]!.verifiableCredential;
    expect(vc.credentialSubject.result.map((r) => [r.value, r.alignment?.[0]?.targetCode])).toEqual([
      ['100', undefined],
      ['4', 'design'],
      ['6', 'queries'],
    ]);
    expect(vc.evidence).toContainEqual(expect.objectContaining({ narrative: 'Now with indexes.' }));
    expect(vc.evidence).toContainEqual(expect.objectContaining({ id: 'https://github.com/lee/sql-project/tree/v2' }));
    const verified = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: vc },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().verified).toBe(true);

    const history = (await send(learner, 'GET', `/api/me/submissions?achievementId=${achievementId}`)).json()
      .submissions;
    expect(history.map((s: { status: string }) => s.status)).toEqual(['accepted', 'returned']);
    expect(history[0].credentialId).toBe(credentialId);
  });

  it('issues once when two assessors accept the same submission at the same time', async () => {
    const id = await publishedWithRubric();
    const racer = await signUp(t.app, 'Racing Learner');
    const work = await send(racer, 'POST', `/api/achievements/${id}/submissions`, { narrative: 'Race me.' });
    const url = `/api/orgs/${orgId}/submissions/${work.json().id}/accept`;
    const answers = await Promise.all([
      send(assessor, 'POST', url, { scores: passing }),
      send(owner, 'POST', url, { scores: passing }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const wallet = (await send(racer, 'GET', '/api/me/credentials')).json().credentials;
    expect(wallet).toHaveLength(1);
  });

  it('does not let an assessor review their own submission', async () => {
    const id = await publishedWithRubric();
    const own = await send(assessor, 'POST', `/api/achievements/${id}/submissions`, { narrative: 'Mine.' });
    expect(own.statusCode).toBe(201);
    const accept = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${own.json().id}/accept`, {
      scores: passing,
    });
    expect(accept.statusCode).toBe(403);
    const giveBack = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${own.json().id}/return`, {
      feedback: 'Looks fine to me',
    });
    expect(giveBack.statusCode).toBe(403);
    // Another assessor (the owner) may.
    const byOwner = await send(owner, 'POST', `/api/orgs/${orgId}/submissions/${own.json().id}/accept`, {
      scores: passing,
    });
    expect(byOwner.statusCode).toBe(200);
  });

  it('shows assessors the integrity signals of skill-test attempts, without failing anyone on them', async () => {
    const id = await publishedWithRubric('skill-test');
    const base = `/api/orgs/${orgId}/achievements/${id}`;
    await send(owner, 'POST', `${base}/items/import`, { format: 'csv', content: itemsCsv(15) });
    await send(owner, 'PUT', `${base}/test-policy`, {
      length: 5,
      passMark: 60,
      timeLimitMinutes: 10,
      maxAttempts: 2,
      cooldownHours: 0,
      stratifyBySkill: true,
      maxExposure: 1000,
      poolFactor: 3,
    });
    const candidate = await signUp(t.app, 'Tess Taker');
    const attempt = await send(candidate, 'POST', `/api/achievements/${id}/attempts`);
    expect(attempt.statusCode, attempt.body).toBe(201);
    await send(candidate, 'POST', `/api/attempts/${attempt.json().id}/events`, { type: 'paste' });
    await send(candidate, 'POST', `/api/attempts/${attempt.json().id}/events`, { type: 'focus-lost' });
    const work = await send(candidate, 'POST', `/api/achievements/${id}/submissions`, { narrative: 'My project.' });
    expect(work.statusCode).toBe(201);
    const detail = await send(assessor, 'GET', `/api/orgs/${orgId}/submissions/${work.json().id}`);
    expect(detail.json().attempts).toEqual([
      expect.objectContaining({
        attemptId: attempt.json().id,
        signals: [expect.objectContaining({ type: 'paste' }), expect.objectContaining({ type: 'focus-lost' })],
      }),
    ]);
    // The signals inform; the assessor still decides, and may accept.
    const accepted = await send(assessor, 'POST', `/api/orgs/${orgId}/submissions/${work.json().id}/accept`, {
      scores: passing,
    });
    expect(accepted.statusCode).toBe(200);
  });

  it('refuses micro-credentials without a rubric', async () => {
    const id = (
      await send(
        owner,
        'POST',
        `/api/orgs/${orgId}/achievements`,
        sqlDefinition({ prerequisites: [], assessmentType: 'portfolio' }),
      )
    ).json().id as string;
    await send(owner, 'POST', `/api/orgs/${orgId}/achievements/${id}/publish`);
    const response = await send(learner, 'POST', `/api/achievements/${id}/submissions`, { narrative: 'Work' });
    expect(response.statusCode).toBe(409);
    // Its page learns that it is not assessed by review without an error.
    const shown = await send(learner, 'GET', `/api/achievements/${id}/rubric`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ assessmentType: 'portfolio', rubric: null });
  });
});
