import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/platform/config.js';
import { defaultWebDir, startServer, type RunningServer } from '../../src/app/server.js';

/** Debian's Chromium, driven by playwright-core: never a downloaded browser. */
export const chromiumPath = process.env.SKILLPROOF_CHROMIUM ?? '/usr/bin/chromium';

const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'skillproof-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    viewport: { width: 1200, height: 800 },
    // Lets the axe-core audit inject its script; the app's own CSP is tested over HTTP.
    bypassCSP: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules) in the page and returns its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

export interface BrowserRig {
  server: RunningServer;
  context: BrowserContext;
  close(): Promise<void>;
}

/** A port nothing listens on now (the operating system's choice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A real server on a fresh embedded database, with the built web app, and Chromium to drive it. */
export async function startBrowserRig(): Promise<BrowserRig> {
  if (!existsSync(path.join(defaultWebDir, 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` (npm test does it) before the browser tests');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'skillproof-browser-'));
  // The instance's public address is where the browser reaches it, as on a real install: with PORT 0 alone it
  // would be http://localhost:0, so every address the server hands out (badge images, public pages) would be
  // another site's to the page.
  const port = await freePort();
  const env = {
    PORT: String(port),
    SKILLPROOF_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SKILLPROOF_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const server = await startServer(loadConfig(env), {
    // A new folder: the first run, on purpose.
    init: true,
    print: () => {},
  });
  const browser = await launchBrowser();
  return {
    server,
    context: browser.context,
    async close() {
      await browser.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sign-in form, as a person would, and waits for the dashboard. */
export async function signInThroughForm(page: Page, serverUrl: string, email: string, password: string) {
  await page.goto(`${serverUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/dashboard');
}

/** Signs in through the form in a new page of a context without cookies (so as nobody else), as a person would. */
export async function signInAs(context: BrowserContext, serverUrl: string, email: string, password: string) {
  await context.clearCookies();
  const page = await context.newPage();
  await signInThroughForm(page, serverUrl, email, password);
  return page;
}

/** A signed-in client of a running server, over plain fetch with its session cookie and CSRF token. */
export interface ApiClient {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: () => Promise<any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses
}

/** Signs a new account up through the API and returns a client signed in as it (for setting up what a test needs). */
export async function apiClient(serverUrl: string, account: { name: string; email: string; password: string }) {
  const signUp = await fetch(`${serverUrl}/api/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (signUp.status !== 201)
    throw new Error(`sign-up of ${account.email} failed: ${signUp.status} ${await signUp.text()}`);
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const session = (await (await fetch(`${serverUrl}/api/session`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  const client: ApiClient = {
    async call(method, path, body) {
      const response = await fetch(`${serverUrl}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': session.csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: () => response.json() };
    },
  };
  return client;
}

/** Creates a micro-credential in the organization through the API and publishes it; returns its id. */
export async function publishedAchievement(client: ApiClient, orgId: string, definition: object): Promise<string> {
  const created = await client.call('POST', `/api/orgs/${orgId}/achievements`, definition);
  if (created.status !== 201) throw new Error(`creating a micro-credential failed: ${created.status}`);
  const id = (await created.json()).id as string;
  const published = await client.call('POST', `/api/orgs/${orgId}/achievements/${id}/publish`);
  if (published.status !== 201) throw new Error(`publishing ${id} failed: ${published.status}`);
  return id;
}

/**
 * Starts a skill test from its catalog page and waits for the test itself: its questions' navigator. (The catalog
 * page has a "Skill test" heading of its own, so waiting for that heading can end before the test has loaded.)
 */
export async function startSkillTest(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Take the test' }).click();
  await page.waitForURL('**/attempts/*');
  const questions = page.getByRole('navigation', { name: 'Questions' }).getByRole('button');
  await questions.first().waitFor();
  return questions.count();
}

/** A bundled ESCO skill by its name, in the shape a micro-credential definition or a job names it. */
export async function escoSkill(server: RunningServer, name: string) {
  const s = await server.platform.database.db
    .selectFrom('skills')
    .select(['code', 'name', 'url'])
    .where('framework', '=', 'ESCO')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return { code: s.code, name: s.name, url: s.url, framework: 'ESCO' };
}
