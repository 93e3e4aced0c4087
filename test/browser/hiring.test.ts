import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, signInAs, startBrowserRig, type BrowserRig, escoSkill } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { signUpConfirmed } from '../helpers/mail.js';

/**
 * Skills-first hiring in the browser: a worker opts in on the talent profile and previews what employers see; an
 * employer posts a job with weighted skills in the editor, reads the ranked candidates with the reason for every
 * point, reviews blind, reveals one candidate (which the candidate then sees), and the worker reads the work
 * history and reference the employer signed.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;

// The rig loads the bundled skills first: slow on a busy machine.
beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
}, 300_000);
afterAll(() => rig?.close());

const password = 'a long enough password';

async function expectAxeClean(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

it(
  'worker opts in and previews; employer posts a job, ranks blind with explanations, reveals; worker sees the reveal and a reference',
  { timeout: 240_000 },
  async () => {
    const stamp = Date.now();
    const platform = server.platform;
    const db = platform.database.db;
    const skill = (name: string) => escoSkill(server, name);
    const sql = await skill('SQL');
    const js = await skill('JavaScript');

    // An academy issues: a tested SQL credential and a JavaScript one.
    const teacher = await signUpConfirmed(platform, {
      email: `teacher-${stamp}@example.org`,
      name: 'Tia Teacher',
      password,
    });
    const academy = await platform.accounts.createOrganization(teacher.id, { name: 'Hiring Browser Academy' });
    const publish = async (title: string, taught: Awaited<ReturnType<typeof skill>>) => {
      const { record } = await platform.catalog.create(
        academy.id,
        sqlDefinition({ title, prerequisites: [], skills: [taught] }),
      );
      await platform.catalog.publish(academy.id, record.id);
      return record.id;
    };
    const sqlCourse = await publish('Querying with SQL', sql);
    const jsCourse = await publish('Scripting with JavaScript', js);

    // Two workers: Wren holds both (and opts in through the page); Quinn holds SQL and a revoked JavaScript one.
    const wren = await signUpConfirmed(platform, { email: `wren-${stamp}@example.org`, name: 'Wren Worker', password });
    const quinn = await signUpConfirmed(platform, {
      email: `quinn-${stamp}@example.org`,
      name: 'Quinn Quietly',
      password,
    });
    const award = (email: string, achievementId: string, score: number) =>
      platform.awarding.awardByHand({ orgId: academy.id, achievementId, email, issuedBy: teacher.id, score });
    await award(wren.email, sqlCourse, 90);
    await award(wren.email, jsCourse, 85);
    await award(quinn.email, sqlCourse, 70);
    const revoked = await award(quinn.email, jsCourse, 95);
    await platform.issuance.changeStatus(teacher.id, academy.id, revoked.record.id, 'revoke', 'Awarded in error');
    await platform.hiring.saveTalent(quinn.id, { discoverable: true, headline: 'Backend work' });

    // The worker opts in on the talent profile page.
    const worker = await signInAs(context, server.url, wren.email, password);
    await worker.getByRole('link', { name: 'Talent profile' }).click();
    await worker.getByRole('heading', { level: 1, name: 'Talent profile' }).waitFor();
    await worker.getByText('You are not discoverable').waitFor();
    await expectAxeClean(worker);
    await worker.getByLabel('Let employers find me').check();
    await worker.getByLabel('Headline').fill('Data and web work');
    await worker.getByLabel('Days a week').fill('9');
    await worker.getByRole('button', { name: 'Save the talent profile' }).click();
    // Out of range is refused with the reason, at the field.
    await worker.getByText('daysPerWeek', { exact: false }).first().waitFor();
    await worker.getByLabel('Days a week').fill('4');
    await worker.getByRole('button', { name: 'Save the talent profile' }).click();
    await worker.getByText('Employers can find you now.').waitFor();
    const card = worker.getByRole('definition').filter({ hasText: /^Candidate [0-9a-f]{8}$/ });
    await card.waitFor();
    const evidence = worker.getByRole('list', { name: 'Evidence employers see' });
    await evidence.getByText('Querying with SQL').waitFor();
    await evidence.getByText('Scripting with JavaScript').waitFor();
    const blindCard = (await worker.getByLabel('Your card in blind review').textContent()) ?? '';
    expect(blindCard).toContain('Data and web work');
    expect(blindCard).not.toContain('Wren');
    expect(blindCard).not.toContain(wren.email);
    await expectAxeClean(worker);

    // The employer (owner of a hiring organization) posts a job through the editor.
    const boss = await signUpConfirmed(platform, { email: `boss-${stamp}@example.org`, name: 'Bo Boss', password });
    const employerOrg = await platform.accounts.createOrganization(boss.id, { name: 'Harbour Analytics' });
    const employer = await signInAs(context, server.url, boss.email, password);
    await employer.getByRole('link', { name: 'Hiring', exact: true }).click();
    await employer.getByRole('heading', { level: 1, name: 'Hiring' }).waitFor();
    await employer.getByText('No jobs or projects yet.').waitFor();
    await expectAxeClean(employer);
    await employer.getByRole('link', { name: 'Post a job or project' }).click();
    await employer.getByRole('heading', { level: 1, name: 'Post a job or project' }).waitFor();
    await employer.getByLabel('Title').fill('Junior data engineer');
    // No skill: the server refuses, and says so.
    await employer.getByRole('button', { name: 'Post the job' }).click();
    await employer.getByRole('alert').first().waitFor();
    expect(employer.url()).toMatch(/\/jobs\/new$/);
    for (const [term, name] of [
      ['SQL', 'SQL'],
      ['JavaScript', 'JavaScript'],
    ] as const) {
      await employer.getByLabel('Search skills').fill(term);
      await employer
        .getByRole('list', { name: 'Matching skills' })
        .getByRole('button', { name: new RegExp(`^Add ${name} \\(ESCO\\)$`) })
        .click();
    }
    await employer.getByLabel('Weight of SQL').selectOption('5');
    await employer.getByLabel('SQL is required').check();
    await employer.getByLabel('Status').selectOption('open');
    await expectAxeClean(employer);
    await employer.getByRole('button', { name: 'Post the job' }).click();
    await employer.getByRole('heading', { level: 1, name: 'Junior data engineer' }).waitFor();

    // The ranking: blind by default, Wren (both verifying) above Quinn (SQL; JavaScript revoked).
    const ranked = employer.getByRole('listitem').filter({ has: employer.getByRole('heading', { level: 3 }) });
    await employer.getByText('2 candidates;', { exact: false }).waitFor();
    expect(await ranked.count()).toBe(2);
    expect(await employer.getByText('Wren Worker').count()).toBe(0);
    expect(await employer.getByText('Quinn Quietly').count()).toBe(0);
    const first = ranked.nth(0);
    const second = ranked.nth(1);
    const scoreOf = async (item: typeof first) =>
      Number(/(\d+) points?/.exec((await item.getByRole('heading').textContent()) ?? '')![1]);
    expect(await scoreOf(first)).toBeGreaterThan(await scoreOf(second));
    const wrenCandidate =
      (await platform.hiring.talent(wren.id)) &&
      (await db.selectFrom('talent_profiles').select('id').where('user_id', '=', wren.id).executeTakeFirstOrThrow());
    await first.getByRole('link', { name: `Candidate ${wrenCandidate.id.slice(0, 8)}` }).waitFor();
    // Skills proven at a glance, and the reason for every point when opened.
    await second
      .getByRole('list', { name: /Skills .* proves/ })
      .getByText('JavaScript: not proven')
      .waitFor();
    await second.getByText(/^Why \d+ points/).click();
    const secondTerms = second.getByRole('table');
    await secondTerms.getByText('“Scripting with JavaScript” revoked by its issuer', { exact: false }).waitFor();
    // The score shown is the sum of the points of its rows.
    const rowPoints = (await secondTerms.locator('tbody td.points').allTextContents()).map((t) =>
      Number(t.replace('−', '-').replace('+', '')),
    );
    expect(rowPoints.reduce((s, p) => s + p, 0)).toBe(await scoreOf(second));
    await expectAxeClean(employer);

    // Blind off: names show; back on: hidden again.
    await employer.getByLabel('Blind review: hide names and contact details').uncheck();
    await employer.getByRole('link', { name: 'Wren Worker' }).waitFor();
    await employer.getByRole('link', { name: 'Quinn Quietly' }).waitFor();
    await employer.getByLabel('Blind review: hide names and contact details').check();
    await employer.getByRole('link', { name: `Candidate ${wrenCandidate.id.slice(0, 8)}` }).click();

    // The candidate page, blind: live verdicts, the explanation, and a reveal that is recorded.
    await employer.getByRole('heading', { level: 1, name: `Candidate ${wrenCandidate.id.slice(0, 8)}` }).waitFor();
    expect(await employer.getByText('Wren Worker').count()).toBe(0);
    expect(await employer.getByText(wren.email).count()).toBe(0);
    const credentials = employer.getByRole('region', { name: 'Credentials' });
    await credentials.getByText('Querying with SQL').waitFor();
    expect(await credentials.getByText('Verified now').count()).toBe(2);
    await employer.getByRole('region', { name: 'Why this score' }).getByRole('table').waitFor();
    await expectAxeClean(employer);
    await employer.getByRole('button', { name: 'Reveal this candidate' }).click();
    await employer.getByRole('heading', { level: 1, name: 'Wren Worker' }).waitFor();
    await employer.getByRole('link', { name: wren.email }).waitFor();
    await expectAxeClean(employer);

    // The employer closes an engagement with a reference on the Hiring page: both land in the worker's wallet.
    await employer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hiring', exact: true }).click();
    const engagement = employer.getByRole('region', { name: 'Record a finished engagement' });
    await engagement.getByLabel('Worker’s email').fill(wren.email);
    await engagement.getByLabel('Role').fill('Data intern');
    await engagement.getByLabel('From').fill('2025-01-01');
    await engagement.getByLabel('Until (empty: still going)').fill('2025-06-30');
    await engagement.getByLabel('Search skills').fill('SQL');
    await engagement
      .getByRole('list', { name: 'Matching skills' })
      .getByRole('button', { name: /^Add SQL \(ESCO\)$/ })
      .click();
    await engagement.getByLabel('Communication (0–100)').fill('90');
    await engagement.getByLabel('Timeliness (0–100)').fill('80');
    await engagement.getByLabel('Reliability (0–100)').fill('185');
    await engagement.getByLabel('Reference (optional)').fill('Wren turned messy data into clear answers.');
    await engagement.getByRole('button', { name: 'Sign and send' }).click();
    // A rating out of range is refused, with the reason.
    await engagement.getByRole('alert').first().waitFor();
    await engagement.getByLabel('Reliability (0–100)').fill('85');
    await engagement.getByRole('button', { name: 'Sign and send' }).click();
    await engagement.getByText('the work history and the reference', { exact: false }).waitFor();
    await expectAxeClean(employer);

    // On the ranking, the reference and work history are terms of Wren's score now.
    const jobUrl = `${server.url}/hiring/${employerOrg.id}/jobs/${(await platform.hiring.jobs(employerOrg.id))[0]!.id}`;
    await employer.goto(jobUrl);
    const top = ranked.nth(0);
    await top.getByText('Revealed').waitFor();
    await top.getByText(/^Why \d+ points/).click();
    await top.getByRole('table').getByText('Verified reference from Harbour Analytics', { exact: false }).waitFor();
    await top.getByRole('table').getByText('Verified work history “Data intern”', { exact: false }).waitFor();

    // The worker (signed in again: one browser, one session) sees who revealed them, and what they received.
    const back = await signInAs(context, server.url, wren.email, password);
    await back.goto(`${server.url}/talent`);
    const reveals = back.getByRole('region', { name: 'Who revealed your identity' });
    await reveals.getByRole('cell', { name: 'Harbour Analytics' }).waitFor();
    await reveals.getByRole('cell', { name: 'Junior data engineer' }).waitFor();
    await reveals.getByRole('cell', { name: 'Bo Boss' }).waitFor();
    const records = back.getByRole('region', { name: 'Verified work history and references' });
    await records.getByRole('link', { name: 'Data intern' }).waitFor();
    await records.getByText('rated communication 90', { exact: false }).waitFor();
    await records.getByText('Wren turned messy data into clear answers.').waitFor();
    await expectAxeClean(back);

    // Opting out removes the worker from the ranking at once.
    await back.getByLabel('Let employers find me').uncheck();
    await back.getByRole('button', { name: 'Save the talent profile' }).click();
    await back.getByText('You are in no employer’s ranking').waitFor();
    const again = await signInAs(context, server.url, boss.email, password);
    await again.goto(jobUrl);
    await again.getByText('1 candidate;', { exact: false }).waitFor();
    expect(await again.getByRole('link', { name: `Candidate ${wrenCandidate.id.slice(0, 8)}` }).count()).toBe(0);
  },
);
