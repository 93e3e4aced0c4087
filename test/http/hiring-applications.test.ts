import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  grantRole,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { newcombe } from '../../src/hiring/funnel.js';

let t: TestApp;
let issuer: Client;
let issuerOrg: string;
let owner: Client;
let employer: Client;
let elsewhere: Client;
let orgId: string;
let otherOrg: string;
let jobId: string;
let sqlSkill: string;
let sqlCourse: string;
const w: Record<string, Client> = {};
const held: Record<string, string> = {};

const esco = async (name: string) => {
  const found = (
    await t.app.inject({ method: 'GET', url: `/api/skills?framework=ESCO&limit=5&q=${encodeURIComponent(name)}` })
  ).json();
  const exact = found.skills.find((s: { name: string }) => s.name === name);
  if (!exact) throw new Error(`no ESCO skill ${name}`);
  return exact.code as string;
};
const award = async (to: Client) => {
  const response = await request(t.app, issuer, 'POST', `/api/orgs/${issuerOrg}/achievements/${sqlCourse}/awards`, {
    email: to.email,
    score: 90,
    allowDuplicate: true,
  });
  if (response.statusCode !== 201) throw new Error(`award failed: ${response.body}`);
  return response.json().credential.id as string;
};
const newJob = async (extra: object = {}) => {
  const created = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs`, {
    title: 'Data analyst',
    kind: 'job',
    status: 'open',
    skills: [{ skill: sqlSkill, weight: 5 }],
    ...extra,
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  return created.json().job.id as string;
};
const apply = (client: Client | undefined, job: string, body: object = {}) =>
  request(t.app, client, 'POST', `/api/jobs/${job}/applications`, body);
const board = (client: Client, job = jobId, query = '') =>
  request(t.app, client, 'GET', `/api/orgs/${orgId}/jobs/${job}/applications${query}`);
const move = (applicationId: string, body: object, job = jobId) =>
  request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs/${job}/applications/${applicationId}/stage`, body);
const mine = async (client: Client) =>
  (await request(t.app, client, 'GET', '/api/me/applications')).json().applications;
const leaks = (body: string) =>
  Object.entries(w)
    .filter(([name, c]) => body.includes(c.email) || body.includes(`Worker ${name}`))
    .map(([name]) => name);
const outboxFor = async (email: string) =>
  (
    await t.platform.database.db
      .selectFrom('outbox')
      .select(['subject', 'text'])
      .where('to_email', '=', email.toLowerCase())
      .orderBy('created_at')
      .execute()
  ).filter((m) => !/confirm/i.test(m.subject));

const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  await t.platform.skills.loadBundled();
  sqlSkill = await esco('SQL');
  issuer = await signUp(t.app, 'Apps Issuer');
  issuerOrg = await createOrg(t.app, issuer, 'Fabrikam Academy');
  sqlCourse = await publishAchievement(
    t.app,
    issuer,
    issuerOrg,
    sqlDefinition({
      title: 'SQL for analysts',
      prerequisites: [],
      skills: [{ code: sqlSkill, name: 'SQL', framework: 'ESCO', url: sqlSkill }],
    }),
  );
  owner = await signUp(t.app, 'Contoso Owner');
  orgId = await createOrg(t.app, owner, 'Contoso Hiring');
  employer = await signUp(t.app, 'Contoso Recruiter');
  await grantRole(t.app, owner, orgId, employer.email, 'employer');
  elsewhere = await signUp(t.app, 'Other Recruiter');
  otherOrg = await createOrg(t.app, elsewhere, 'Other Employer');
  for (const name of ['ann', 'ben', 'cat', 'dan']) w[name] = await signUp(t.app, `Worker ${name}`);
  for (const name of ['ann', 'cat', 'dan']) held[name] = await award(w[name]!);
  for (const name of ['cat', 'dan']) {
    const put = await request(t.app, w[name], 'PUT', '/api/me/talent', { discoverable: true });
    if (put.statusCode !== 200) throw new Error(put.body);
  }
  jobId = await newJob();
}, 240_000);
afterAll(() => t.close());

describe('applying', () => {
  it('a worker applies with a note and the holdings they attach; the employer sees neither name nor email (blind)', async () => {
    const applied = await apply(w.ann, jobId, { note: 'SQL every day.', holdingIds: [held.ann] });
    expect(applied.statusCode, applied.body).toBe(201);
    const own = applied.json().application;
    expect(own).toMatchObject({
      stage: 'applied',
      origin: 'applied',
      note: 'SQL every day.',
      allowedMoves: ['withdrawn'],
    });
    expect(own.job).toMatchObject({ id: jobId, title: 'Data analyst', organization: 'Contoso Hiring' });
    expect(own.holdings).toEqual([expect.objectContaining({ holdingId: held.ann, status: 'active', aligned: true })]);
    ids.ann = own.id;
    const ben = await apply(w.ben, jobId, { note: 'Keen to learn.' });
    expect(ben.statusCode).toBe(201);
    ids.ben = ben.json().application.id;

    const listed = await board(employer);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().counts).toMatchObject({ applied: 2, screening: 0 });
    expect(leaks(listed.body)).toEqual([]);
    const ann = listed.json().applications.find((a: { id: string }) => a.id === ids.ann);
    expect(ann).toMatchObject({
      displayName: null,
      email: null,
      alignedCredential: true,
      note: 'SQL every day.',
      allowedMoves: ['screening', 'rejected'],
    });
    const benSeen = listed.json().applications.find((a: { id: string }) => a.id === ids.ben);
    expect(benSeen.alignedCredential).toBe(false);
  });

  it('refuses applying twice (409), to drafts, closed and unknown jobs (404), and foreign holdings (400), writing nothing', async () => {
    const twice = await apply(w.ann, jobId, { note: 'Again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.headers['content-type']).toMatch(/problem\+json/);
    const draft = await newJob({ status: 'draft' });
    const closed = await newJob({ status: 'closed' });
    for (const job of [draft, closed, 'not-a-job', '00000000-0000-4000-8000-000000000000']) {
      expect((await apply(w.dan, job)).statusCode, job).toBe(404);
    }
    // Another organization's draft is not found either.
    const foreignDraft = await request(t.app, elsewhere, 'POST', `/api/orgs/${otherOrg}/jobs`, {
      title: 'Secret',
      kind: 'job',
      skills: [{ skill: sqlSkill, weight: 3 }],
    });
    expect((await apply(w.dan, foreignDraft.json().job.id)).statusCode).toBe(404);
    const job = await newJob();
    for (const body of [
      { holdingIds: [held.ann] },
      { holdingIds: ['00000000-0000-4000-8000-000000000000'] },
      { note: 'x'.repeat(2001) },
      { note: 'Hi', colour: 'blue' },
      { holdingIds: Array.from({ length: 51 }, () => held.dan) },
    ]) {
      const refused = await apply(w.dan, job, body);
      expect(refused.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect((await board(employer, job)).json().total).toBe(0);
    expect((await apply(undefined, job)).statusCode).toBe(401);
  });
});

describe('the pipeline', () => {
  it('moves one stage at a time; backwards, skipping and out of a final state are 409 with the allowed moves', async () => {
    const screened = await move(ids.ann!, { stage: 'screening' });
    expect(screened.statusCode, screened.body).toBe(200);
    expect(screened.json().application).toMatchObject({ stage: 'screening', displayName: null });
    const back = await move(ids.ann!, { stage: 'applied' });
    expect(back.statusCode).toBe(409);
    expect(back.json()).toMatchObject({ allowed: ['interview', 'rejected'], stage: 'screening' });
    const skip = await move(ids.ben!, { stage: 'offer' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().allowed).toEqual(['screening', 'rejected']);
    expect((await move(ids.ben!, { stage: 'hired-ish' })).statusCode).toBe(400);
    // A rejection needs a reason from the list; a reason is for rejections only.
    expect((await move(ids.ben!, { stage: 'rejected' })).statusCode).toBe(400);
    expect((await move(ids.ben!, { stage: 'rejected', reason: 'vibes' })).statusCode).toBe(400);
    expect((await move(ids.ben!, { stage: 'screening', reason: 'experience' })).statusCode).toBe(400);
    const rejected = await move(ids.ben!, { stage: 'rejected', reason: 'experience', note: 'Internal: too junior' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().application.rejection).toEqual({ reason: 'experience', note: 'Internal: too junior' });
    const out = await move(ids.ben!, { stage: 'screening' });
    expect(out.statusCode).toBe(409);
    expect(out.json().allowed).toEqual([]);
    // The candidate sees their stage and the reason, not the employer's note; nor can they withdraw now.
    const ben = (await mine(w.ben!)).find((a: { id: string }) => a.id === ids.ben);
    expect(ben).toMatchObject({ stage: 'rejected', rejectionReason: 'experience', allowedMoves: [] });
    expect(JSON.stringify(ben)).not.toContain('too junior');
    const withdraw = await request(t.app, w.ben, 'POST', `/api/me/applications/${ids.ben}/withdraw`, {});
    expect(withdraw.statusCode).toBe(409);
    const [notice] = (await outboxFor(w.ben!.email)).filter((m) => /not selected/.test(m.subject));
    expect(notice!.text).toMatch(/did not select.*experience/);
    expect(notice!.text).not.toContain('too junior');
  });

  it('the interview reveals a blind job’s candidate: recorded, shown to them, with every move (who, when)', async () => {
    const interview = await move(ids.ann!, { stage: 'interview' });
    expect(interview.statusCode).toBe(200);
    const seen = interview.json().application;
    expect(seen).toMatchObject({ stage: 'interview', displayName: 'Worker ann', email: w.ann!.email });
    expect(seen.revealedAt).toBeTruthy();
    expect(seen.history.map((h: { to: string }) => h.to)).toEqual(['applied', 'screening', 'interview']);
    expect(seen.history[1]).toMatchObject({ by: 'employer', byName: 'Contoso Recruiter', from: 'applied' });
    expect(seen.history[0]).toMatchObject({ by: 'candidate', byName: null });
    const preview = (await request(t.app, w.ann, 'GET', '/api/me/talent/preview')).json();
    expect(preview.reveals).toEqual([expect.objectContaining({ jobId, revealedBy: 'Contoso Recruiter' })]);
    const own = (await mine(w.ann!)).find((a: { id: string }) => a.id === ids.ann);
    expect(own.stage).toBe('interview');
    expect(own.revealedAt).toBe(seen.revealedAt);
    const subjects = (await outboxFor(w.ann!.email)).map((m) => m.subject);
    expect(subjects).toEqual(['Data analyst: screening', 'Data analyst: interview']);
    // Audited: who moved which application.
    const log = (await request(t.app, owner, 'GET', `/api/orgs/${orgId}/audit?action=application.moved`)).json();
    expect(log.entries.length).toBeGreaterThanOrEqual(3);
  });

  it('only the job’s employers see the board; a worker cannot act on another’s application', async () => {
    expect((await board(elsewhere)).statusCode).toBe(403);
    expect(
      (await request(t.app, elsewhere, 'GET', `/api/orgs/${otherOrg}/jobs/${jobId}/applications`)).statusCode,
    ).toBe(404);
    expect((await board(w.ann!)).statusCode).toBe(403);
    expect((await request(t.app, w.dan, 'POST', `/api/me/applications/${ids.ann}/withdraw`, {})).statusCode).toBe(404);
    for (const query of ['?limit=0', '?limit=1000', '?offset=-1', '?stage=pending', '?sort=name']) {
      expect((await board(employer, jobId, query)).statusCode, query).toBe(400);
    }
    expect((await board(employer, jobId, '?stage=rejected')).json().applications).toHaveLength(1);
  });
});

describe('invitations', () => {
  const candidateOf = async (client: Client) =>
    (await request(t.app, client, 'GET', '/api/me/talent/preview')).json().blind.candidateId as string;
  const invite = (candidateId: string, job = jobId) =>
    request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs/${job}/invitations`, {
      candidateId,
      note: 'Your SQL credential caught our eye.',
    });

  it('reveals nothing of the candidate until they accept; they accept with what they attach, or decline', async () => {
    const invited = await invite(await candidateOf(w.cat!));
    expect(invited.statusCode, invited.body).toBe(201);
    const inv = invited.json().application;
    expect(inv).toMatchObject({ stage: 'invited', displayName: null, email: null, note: null, holdings: [] });
    expect(inv.alignedCredential).toBeNull();
    expect(leaks(invited.body)).toEqual([]);
    ids.cat = inv.id;
    // Invited twice, an invitation the employer tries to move, an opted-out or unknown candidate.
    expect((await invite(await candidateOf(w.cat!))).statusCode).toBe(409);
    const stuck = await move(ids.cat!, { stage: 'screening' });
    expect(stuck.statusCode).toBe(409);
    expect(stuck.json().allowed).toEqual([]);
    expect((await invite('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    // A worker who is not discoverable is not found by their id either.
    expect((await request(t.app, w.ben, 'PUT', '/api/me/talent', { discoverable: false })).statusCode).toBe(200);
    expect((await invite(await candidateOf(w.ben!))).statusCode).toBe(404);
    // The worker is told, and sees the invitation; applying instead is refused.
    const [notice] = await outboxFor(w.cat!.email);
    expect(notice!.subject).toBe('Contoso Hiring invites you to apply: Data analyst');
    expect(notice!.text).toContain('Your SQL credential caught our eye.');
    const own = (await mine(w.cat!)).find((a: { id: string }) => a.id === ids.cat);
    expect(own).toMatchObject({ stage: 'invited', allowedMoves: ['applied', 'declined'] });
    expect((await apply(w.cat, jobId)).statusCode).toBe(409);
    const accepted = await request(t.app, w.cat, 'POST', `/api/me/applications/${ids.cat}/accept`, {
      note: 'Happy to talk.',
      holdingIds: [held.cat],
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().application).toMatchObject({ stage: 'applied', note: 'Happy to talk.' });
    const now = (
      await request(t.app, employer, 'GET', `/api/orgs/${orgId}/jobs/${jobId}/applications/${ids.cat}`)
    ).json().application;
    expect(now).toMatchObject({ stage: 'applied', alignedCredential: true, note: 'Happy to talk.', displayName: null });

    const dan = await invite(await candidateOf(w.dan!));
    const declined = await request(
      t.app,
      w.dan,
      'POST',
      `/api/me/applications/${dan.json().application.id}/decline`,
      {},
    );
    expect(declined.statusCode).toBe(200);
    expect(declined.json().application.stage).toBe('declined');
    const seen = (
      await request(
        t.app,
        employer,
        'GET',
        `/api/orgs/${orgId}/jobs/${jobId}/applications/${dan.json().application.id}`,
      )
    ).json().application;
    expect(seen).toMatchObject({ stage: 'declined', displayName: null, holdings: [] });
    // The candidate may withdraw later on; the employer may not accept for them.
    const withdrawn = await request(t.app, w.cat, 'POST', `/api/me/applications/${ids.cat}/withdraw`, {
      note: 'Took another role.',
    });
    expect(withdrawn.json().application.stage).toBe('withdrawn');
  });
});

describe('engagements', () => {
  it('hired opens an engagement; bad terms are refused and nothing is half-written', async () => {
    expect((await move(ids.ann!, { stage: 'offer' })).statusCode).toBe(200);
    for (const engagement of [
      undefined,
      { start: '2026-13-01', dayRate: 400 },
      { start: '2026-01-05' },
      { start: '2026-01-05', dayRate: -5 },
      { start: '2026-01-05', dayRate: 5e9 },
      { start: '2026-01-05', value: 1e15 },
    ]) {
      const refused = await move(ids.ann!, { stage: 'hired', ...(engagement ? { engagement } : {}) });
      expect(refused.statusCode, JSON.stringify(engagement)).toBe(400);
    }
    expect((await move(ids.ann!, { stage: 'offer', engagement: { start: '2026-01-05', dayRate: 1 } })).statusCode).toBe(
      409,
    );
    const one = await request(t.app, employer, 'GET', `/api/orgs/${orgId}/jobs/${jobId}/applications/${ids.ann}`);
    expect(one.json().application.stage).toBe('offer');
    expect((await request(t.app, employer, 'GET', `/api/orgs/${orgId}/engagements`)).json().engagements).toEqual([]);

    const hired = await move(ids.ann!, {
      stage: 'hired',
      engagement: { role: 'Data analyst', start: '2026-01-05', dayRate: 420 },
    });
    expect(hired.statusCode, hired.body).toBe(200);
    ids.engagement = hired.json().engagementId;
    const [engagement] = (await request(t.app, employer, 'GET', `/api/orgs/${orgId}/engagements`)).json().engagements;
    expect(engagement).toMatchObject({
      id: ids.engagement,
      displayName: 'Worker ann',
      status: 'open',
      startDate: '2026-01-05',
      dayRate: 420,
      credentialsAtHire: [expect.objectContaining({ holdingId: held.ann, status: 'active', aligned: true })],
    });
    const own = (await mine(w.ann!)).find((a: { id: string }) => a.id === ids.ann);
    expect(own.engagement).toMatchObject({ id: ids.engagement, status: 'open' });
  });

  it('closing records end, value and ratings, and signs the work history and the reference to the wallet', async () => {
    const close = (body: object, id = ids.engagement) =>
      request(t.app, employer, 'POST', `/api/orgs/${orgId}/engagements/${id}/close`, body);
    const good = {
      end: '2026-06-30',
      value: 48_000,
      ratings: { communication: 90, timeliness: 85, reliability: 95 },
      reference: { comment: 'Clear queries, clear notes.' },
    };
    for (const body of [
      { ...good, end: '2025-12-31' },
      { ...good, end: '2999-01-01' },
      { ...good, value: -1 },
      { ...good, value: 1e13 },
      { ...good, ratings: { communication: 101 } },
      { ...good, skills: ['http://data.europa.eu/esco/skill/no-such-skill'] },
      { ...good, end: 'soon' },
    ]) {
      expect((await close(body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await close(good, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const closed = await close(good);
    expect(closed.statusCode, closed.body).toBe(200);
    const { engagement, workHistory, reference } = closed.json();
    expect(engagement).toMatchObject({
      status: 'closed',
      endDate: '2026-06-30',
      value: 48_000,
      ratings: { communication: 90, timeliness: 85, reliability: 95 },
      workHistoryId: workHistory.id,
      referenceId: reference.id,
    });
    for (const id of [workHistory.id, reference.id]) {
      const holding = await t.platform.wallet.holding(w.ann!.userId, id);
      const verdict = await t.platform.verifier.verify({ text: holding.document });
      expect(verdict.verified).toBe(true);
    }
    const document = JSON.parse((await t.platform.wallet.holding(w.ann!.userId, workHistory.id)).document);
    expect(document.credentialSubject).toMatchObject({
      role: 'Data analyst',
      activityStartDate: '2026-01-05T00:00:00Z',
      activityEndDate: '2026-06-30T00:00:00Z',
    });
    // The job's skills are the skills used, unless the employer names others.
    expect(document.credentialSubject.achievement.alignment[0].targetCode).toBe(sqlSkill);
    expect((await close(good)).statusCode).toBe(409);
    // The outcomes ledger: the job start on the first day, the earnings and the project won on the last (once).
    const outcomes = (await t.platform.analytics.outcomesOf(w.ann!.userId)).filter((o) => o.source === 'engagement');
    expect(outcomes.map(({ date, kind, value }) => ({ date, kind, value }))).toEqual(
      expect.arrayContaining([
        { date: '2026-01-05', kind: 'job-start', value: 1 },
        { date: '2026-06-30', kind: 'earnings', value: 48_000 },
        { date: '2026-06-30', kind: 'project', value: 48_000 },
      ]),
    );
    expect(outcomes).toHaveLength(3);
    const subjects = (await outboxFor(w.ann!.email)).map((m) => m.subject);
    expect(subjects).toContain('Contoso Hiring closed your engagement: Data analyst');
    expect(subjects).toContain('Data analyst: hired');
  });
});

describe('the funnel', () => {
  const funnel = (query: string, client = employer) =>
    request(t.app, client, 'GET', `/api/orgs/${orgId}/funnel${query}`);

  it('counts each stage split by a verified aligned credential; below 10 decided interviews per group it says so', async () => {
    const response = await funnel(`?jobId=${jobId}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    // With: ann (hired) and cat (withdrawn at applied); without: ben (rejected at applied).
    expect(body.withCredential.reached).toEqual({ applied: 2, screening: 1, interview: 1, offer: 1, hired: 1 });
    expect(body.withoutCredential.reached).toEqual({ applied: 1, screening: 0, interview: 0, offer: 0, hired: 0 });
    expect(body.withCredential).toMatchObject({ withdrawn: 1, rejected: 0 });
    expect(body.withoutCredential.rejected).toBe(1);
    expect(body.interviewToOffer).toMatchObject({ insufficientData: true, difference: null });
    expect(body.interviewToOffer.note).toMatch(/^insufficient data/);
    expect(body.invitations).toEqual({ sent: 2, pending: 0, declined: 1, accepted: 1 });
    // A period with no applications.
    const empty = (await funnel(`?jobId=${jobId}&from=2020-01-01&to=2020-12-31`)).json();
    expect(empty.all.applications).toBe(0);
  });

  it('gives the interview-to-offer difference with Newcombe’s interval once each group has 10', async () => {
    const job = await newJob({ title: 'Analytics engineer' });
    // Forty applicants straight into the tables: 20 with a verified aligned credential (12 decided interviews,
    // 8 offers), 20 without (11 decided interviews, 3 offers).
    const db = t.platform.database.db;
    const rows: { aligned: boolean; furthest: number; stage: string }[] = [];
    const add = (n: number, aligned: boolean, furthest: number, stage: string) => {
      for (let i = 0; i < n; i++) rows.push({ aligned, furthest, stage });
    };
    add(8, true, 4, 'offer');
    add(4, true, 3, 'rejected');
    add(2, true, 3, 'interview');
    add(6, true, 1, 'rejected');
    add(3, false, 5, 'hired');
    add(8, false, 3, 'rejected');
    add(9, false, 2, 'rejected');
    for (const [i, row] of rows.entries()) {
      const user = await sql<{ id: string }>`insert into users (id, email, name, password_hash)
        values (gen_random_uuid(), ${`funnel-${i}-${Math.random()}@apps.test`}, ${`Funnel ${i}`}, 'x') returning id`.execute(
        db,
      );
      await db
        .insertInto('hiring_applications')
        .values({
          job_id: job,
          org_id: orgId,
          user_id: user.rows[0]!.id,
          origin: 'applied',
          stage: row.stage,
          furthest: row.furthest,
          holdings: '[]',
          aligned: row.aligned,
          applied_at: new Date('2026-03-01T10:00:00Z'),
          updated_at: new Date(),
        })
        .execute();
    }
    const body = (await funnel(`?jobId=${job}&from=2026-03-01&to=2026-03-01`)).json();
    expect(body.withCredential.applications).toBe(20);
    expect(body.interviewToOffer.withCredential).toMatchObject({ offers: 8, decided: 12 });
    expect(body.interviewToOffer.withoutCredential).toMatchObject({ offers: 3, decided: 11 });
    const expected = newcombe(8, 12, 3, 11)!;
    expect(body.interviewToOffer.insufficientData).toBe(false);
    expect(body.interviewToOffer.difference.estimate).toBeCloseTo(expected.estimate, 4);
    expect(body.interviewToOffer.difference.ci95[0]).toBeCloseTo(expected.low, 4);
    expect(body.interviewToOffer.difference.ci95[1]).toBeCloseTo(expected.high, 4);
    expect(body.withCredential.conversions[2]).toMatchObject({
      from: 'interview',
      pending: 2,
      advanced: 8,
      dropped: 4,
    });
    // Outside the period: nothing.
    expect((await funnel(`?jobId=${job}&from=2026-03-02`)).json().all.applications).toBe(0);
    // The organization's funnel over every job holds both.
    expect((await funnel('')).json().all.applications).toBe(43);

    const chart = await request(t.app, employer, 'GET', `/api/orgs/${orgId}/funnel.svg?jobId=${job}`);
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(chart.body).toMatch(/^<svg /);
    expect(chart.body).toContain('Hiring funnel: Analytics engineer');
    expect(chart.body).toMatch(/95% CI/);

    // The counts the funnel reads are the applications' own, whatever wrote them; a deleted job's go with it.
    const direct = await sql<{ n: number }>`select count(*)::int as n from hiring_applications
      where org_id = ${orgId} and furthest > 0 and aligned is not null`.execute(db);
    const counted = await sql<{ n: number }>`select coalesce(sum(count), 0)::int as n from hiring_funnel_counts
      where org_id = ${orgId}`.execute(db);
    expect(counted.rows[0]!.n).toBe(direct.rows[0]!.n);
    expect((await request(t.app, employer, 'DELETE', `/api/orgs/${orgId}/jobs/${job}`)).statusCode).toBe(204);
    expect((await funnel('')).json().all.applications).toBe(3);
  });

  it('refuses bad dates, another organization’s job and unknown parameters; only employers read it', async () => {
    for (const query of ['?from=2026-13-01', '?to=yesterday', '?from=2026-05-01&to=2026-04-01', '?sort=1']) {
      const response = await funnel(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await funnel('?jobId=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await funnel('?jobId=nope')).statusCode).toBe(404);
    expect((await funnel('', elsewhere)).statusCode).toBe(403);
    expect((await funnel('', w.ann!)).statusCode).toBe(403);
  });
});
