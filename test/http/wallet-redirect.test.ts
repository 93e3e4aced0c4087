import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type ipaddr from 'ipaddr.js';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';

/**
 * A credential URL on a public site that redirects to a private address must be refused at the redirect,
 * not only when the first address is private. The test has no public internet: 127.0.0.1 stands in for a
 * public site (the address classifier calls it public here), while every other private address stays private.
 */
vi.mock('ipaddr.js', async (importOriginal) => {
  const real = (await importOriginal<{ default: typeof ipaddr }>()).default;
  return {
    default: {
      ...real,
      parse(address: string) {
        const parsed = real.parse(address);
        if (address === '127.0.0.1') parsed.range = () => 'unicast';
        return parsed;
      },
    },
  };
});

let t: TestApp;
let learner: Client;
let site: Server;
let origin: string;

beforeAll(async () => {
  site = createServer((request, response) => {
    const target = new URL(request.url ?? '/', 'http://x').searchParams.get('to');
    if (target) return response.writeHead(302, { location: target }).end();
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  // Plain http for the local stand-in site; private addresses stay refused (the default).
  t = await createTestApp({ env: { SKILLPROOF_FETCH_ALLOW_HTTP: '1' } });
  learner = await signUp(t.app, 'Ada Lovelace');
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => site?.close(resolve));
});

it('refuses a URL that redirects to a private or loopback address, and keeps the wallet as it was', async () => {
  for (const target of ['http://10.1.2.3/credential.json', 'http://[::1]/credential.json', 'http://169.254.169.254/']) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/me/wallet/import',
      headers: learner.headers,
      payload: { url: `${origin}/go?to=${encodeURIComponent(target)}` },
    });
    expect(response.statusCode, target).toBe(400);
    // Refused at the redirect's target, so the stand-in site itself was fetched.
    expect(response.json().detail).toBe(`${new URL(target).host} is a private or local address, which is not fetched.`);
  }
  const wallet = await t.app.inject({ method: 'GET', url: '/api/me/wallet', headers: learner.cookie });
  expect(wallet.json().total).toBe(0);
});
