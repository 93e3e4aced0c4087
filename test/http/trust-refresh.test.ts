import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';

/** A real registry host on a local port: what it serves is changed between steps. */
let served: { status: number; body: string } = { status: 200, body: '' };
let requests = 0;
let server: Server;
let registryUrl: string;

let t: TestApp;
let admin: Client;
let stranger: Client;

const registry = (entries: Record<string, string>) =>
  JSON.stringify({
    meta: { created: '2026-01-01T00:00:00+0000', updated: '2026-11-01T00:00:00+0000' },
    registry: Object.fromEntries(Object.entries(entries).map(([did, name]) => [did, { name }])),
  });

beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    response.writeHead(served.status, { 'content-type': 'application/json' }).end(served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/registry.json`;
  t = await createTestApp({
    env: { SKILLPROOF_FETCH_ALLOW_PRIVATE: '1', SKILLPROOF_FETCH_ALLOW_HTTP: '1' },
    platform: { trustRefreshSweepMs: 200 },
  });
  admin = await signUp(t.app, 'Ada Admin');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
  stranger = await signUp(t.app, 'Sam Stranger');
  // Workers as `serve` runs them: the job queue, and the sweep that enqueues due sources.
  await t.platform.queue.work();
  t.platform.trustRefresh.startSweeping();
});
afterAll(async () => {
  await t.platform.trustRefresh.stop();
  await t.close();
  await new Promise((resolve) => server.close(resolve));
});

interface SourceView {
  name: string;
  url: string;
  intervalMinutes: number;
  nextRefreshAt: string;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: 'pending' | 'ok' | 'failed';
  lastError: string | null;
  lastEntryCount: number | null;
}

async function sources(): Promise<SourceView[]> {
  const response = await t.app.inject({
    method: 'GET',
    url: '/api/admin/trust-registry-sources',
    headers: admin.cookie,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().sources;
}

/** Waits until the source's refresh after `since` (an earlier lastAttemptAt) has been recorded. */
async function refreshed(name: string, since: string | null): Promise<SourceView> {
  for (let i = 0; i < 300; i++) {
    const source = (await sources()).find((s) => s.name === name);
    if (source?.lastAttemptAt && source.lastAttemptAt !== since) return source;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} was not refreshed`);
}

async function issuersOf(registryName: string): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: '/api/trust/issuers' });
  return (response.json().issuers as { did: string; registry: string }[])
    .filter((issuer) => issuer.registry === registryName)
    .map((issuer) => issuer.did)
    .sort();
}

const setSource = (client: Client, name: string, payload: object) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/admin/trust-registry-sources/${encodeURIComponent(name)}`,
    headers: client.headers,
    payload,
  });

/** Time passing: the source's next refresh falls due (as it would after its interval). */
const fallDue = (name: string) =>
  sql`update trust_registry_sources set next_refresh_at = date_trunc('milliseconds', now()) - interval '1 minute'
      where name = ${name}`.execute(t.platform.database.db);

describe('trust registries refreshed from a URL', () => {
  it('fetches at once, refreshes on schedule, and keeps the last good entries when a refresh fails', async () => {
    const name = 'Consortium';
    served = { status: 200, body: registry({ 'did:web:one.example': 'One', 'did:web:two.example': 'Two' }) };

    const created = await setSource(admin, name, { url: registryUrl, intervalMinutes: 60 });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().source).toMatchObject({ name, url: registryUrl, intervalMinutes: 60, lastStatus: 'pending' });
    expect(created.json().run.queue).toBe('trust-registry-refresh');

    const first = await refreshed(name, null);
    expect(first).toMatchObject({ lastStatus: 'ok', lastError: null, lastEntryCount: 2 });
    expect(first.lastSuccessAt).toBe(first.lastAttemptAt);
    // The next refresh is an interval away.
    expect(Date.parse(first.nextRefreshAt) - Date.parse(first.lastAttemptAt!)).toBeGreaterThanOrEqual(59 * 60_000);
    expect(await issuersOf(name)).toEqual(['did:web:one.example', 'did:web:two.example']);
    const registries = await t.app.inject({ method: 'GET', url: '/api/admin/trust-registries', headers: admin.cookie });
    expect(registries.json().registries).toContainEqual(expect.objectContaining({ name, entryCount: 2 }));

    // On schedule: the new file replaces the entries whole (two gone, one kept, one new).
    served = { status: 200, body: registry({ 'did:web:two.example': 'Two', 'did:web:three.example': 'Three' }) };
    await fallDue(name);
    const scheduled = await refreshed(name, first.lastAttemptAt);
    expect(scheduled).toMatchObject({ lastStatus: 'ok', lastEntryCount: 2 });
    expect(await issuersOf(name)).toEqual(['did:web:three.example', 'did:web:two.example']);

    // A file that is not a registry: refused, the entries stay as the last good refresh left them.
    served = { status: 200, body: JSON.stringify({ registry: { 'not a did': { name: 'Bad' } } }) };
    await fallDue(name);
    const invalid = await refreshed(name, scheduled.lastAttemptAt);
    expect(invalid.lastStatus).toBe('failed');
    expect(invalid.lastError).toMatch(/not a DID/);
    expect(invalid.lastSuccessAt).toBe(scheduled.lastSuccessAt);
    expect(invalid.lastEntryCount).toBe(2);
    expect(await issuersOf(name)).toEqual(['did:web:three.example', 'did:web:two.example']);

    // The host failing (HTTP 500), asked for by hand: the same.
    served = { status: 500, body: 'down for maintenance' };
    const now = await t.app.inject({
      method: 'POST',
      url: `/api/admin/trust-registry-sources/${name}/refresh`,
      headers: admin.headers,
    });
    expect(now.statusCode, now.body).toBe(202);
    const failed = await refreshed(name, invalid.lastAttemptAt);
    expect(failed).toMatchObject({ lastStatus: 'failed' });
    expect(failed.lastError).toMatch(/HTTP 500/);
    expect(await issuersOf(name)).toEqual(['did:web:three.example', 'did:web:two.example']);
    const run = await t.app.inject({ method: 'GET', url: `/api/jobs/${now.json().run.id}`, headers: admin.cookie });
    expect(run.json()).toMatchObject({ state: 'failed' });

    // Fixed again: the next good refresh takes over, and the status says so.
    served = { status: 200, body: registry({ 'did:web:four.example': 'Four' }) };
    await fallDue(name);
    const recovered = await refreshed(name, failed.lastAttemptAt);
    expect(recovered).toMatchObject({ lastStatus: 'ok', lastError: null, lastEntryCount: 1 });
    expect(await issuersOf(name)).toEqual(['did:web:four.example']);

    // Not due: the sweeper leaves it alone.
    const before = requests;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(requests).toBe(before);

    // Stopping the refresh keeps the entries; removing the registry removes them.
    const stopped = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/trust-registry-sources/${name}`,
      headers: admin.headers,
    });
    expect(stopped.statusCode).toBe(204);
    expect((await sources()).map((s) => s.name)).not.toContain(name);
    expect(await issuersOf(name)).toEqual(['did:web:four.example']);
  });

  it('refuses bad sources with a problem, and non-admins', async () => {
    for (const payload of [
      { url: 'ftp://registry.example/registry.json' },
      { url: 'not a url' },
      { url: 'https://user:secret@registry.example/registry.json' },
      { url: registryUrl, intervalMinutes: 5 },
      { url: registryUrl, intervalMinutes: 10_081 },
    ]) {
      const refused = await setSource(admin, 'Bad source', payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await setSource(admin, ' ', { url: registryUrl })).statusCode).toBe(400);
    expect((await setSource(stranger, 'Stranger', { url: registryUrl })).statusCode).toBe(403);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/admin/trust-registry-sources/Nobody/refresh',
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
    expect((await sources()).map((s) => s.name)).not.toContain('Bad source');
  });

  it('a removed registry is not fetched back', async () => {
    const name = 'Short-lived';
    served = { status: 200, body: registry({ 'did:web:brief.example': 'Brief' }) };
    expect((await setSource(admin, name, { url: registryUrl })).statusCode).toBe(201);
    await refreshed(name, null);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/trust-registries/${name}`,
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect((await sources()).map((s) => s.name)).not.toContain(name);
    expect(await issuersOf(name)).toEqual([]);
  });
});
