import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

/** A real server on a fresh embedded database, with the built web app, and Chromium to drive it. */
export async function startBrowserRig(): Promise<BrowserRig> {
  if (!existsSync(path.join(defaultWebDir, 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` (npm test does it) before the browser tests');
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'skillproof-browser-'));
  const server = await startServer(loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), {
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
