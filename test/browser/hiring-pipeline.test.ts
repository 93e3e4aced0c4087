import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import {
  apiClient,
  axeViolations,
  signInAs,
  startBrowserRig,
  type ApiClient,
  type BrowserRig,
} from '../helpers/browser.js';

/**
 * Issue 20, item 5 (part): the employer moves an application along the pipeline board with the keyboard (blind until
 * the interview, then named), sees the funnel chart; the worker sees the stage on their applications page and
 * withdraws. Both pages axe-clean.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let employer: ApiClient;
const password = 'a long enough password';
const stamp = Date.now();
const employerEmail = `erin-${stamp}@example.org`;
const workerEmail = `pat-${stamp}@example.org`;
let orgId: string;
let jobId: string;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  employer = await apiClient(server.url, { name: 'Erin Employer', email: employerEmail, password });
  const worker = await apiClient(server.url, { name: 'Pat Worker', email: workerEmail, password });
  orgId = (await (await employer.call('POST', '/api/orgs', { name: 'Contoso Pipeline' })).json()).id;
  await server.platform.skills.loadBundled();
  const created = await employer.call('POST', `/api/orgs/${orgId}/jobs`, {
    title: 'Pipeline analyst',
    kind: 'job',
    status: 'open',
    skills: [{ skill: 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d', weight: 3 }],
  });
  expect(created.status).toBe(201);
  jobId = (await created.json()).job.id;
  const applied = await worker.call('POST', `/api/jobs/${jobId}/applications`, { note: 'Keen on pipelines.' });
  expect(applied.status).toBe(201);
}, 180_000);
afterAll(() => rig?.close());

it(
  'the employer moves an application with the keyboard; blind until the interview; the funnel chart loads',
  { timeout: 180_000 },
  async () => {
    const page = await signInAs(context, server.url, employerEmail, password);
    await page.goto(`${server.url}/hiring/jobs/${jobId}/pipeline`);
    await page.getByRole('heading', { name: 'Pipeline: Pipeline analyst' }).waitFor();
    await page.getByText('Keen on pipelines.').waitFor();
    expect(await page.getByText('Pat Worker').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: /^Move to screening/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'screening (1)' }).waitFor();
    expect(await page.getByText('Pat Worker').count()).toBe(0);
    await page.getByRole('button', { name: /^Move to interview/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'interview (1)' }).waitFor();
    await page.getByText('Pat Worker').first().waitFor();
    const chart = page.getByRole('img', { name: /Hiring funnel of Pipeline analyst/ });
    const loaded = () =>
      chart.evaluate((img) => {
        const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number };
        return complete ? naturalWidth : 0;
      });
    await expect.poll(loaded).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  },
);

it('the worker sees where the application stands, and withdraws it', { timeout: 180_000 }, async () => {
  const page = await signInAs(context, server.url, workerEmail, password);
  await page.goto(`${server.url}/hiring/applications`);
  await page.getByRole('heading', { name: 'My applications' }).waitFor();
  await expect.poll(() => page.getByTestId('stage').textContent()).toBe('interview');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: /^Withdraw/ }).click();
  await expect.poll(() => page.getByTestId('stage').textContent()).toBe('withdrawn');
  expect(await page.getByRole('button', { name: /^Withdraw/ }).count()).toBe(0);
  await page.close();
});
