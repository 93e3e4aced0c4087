import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeFetch, defaultFetchPolicy, isPublicAddress } from './safe-fetch.js';

describe('isPublicAddress', () => {
  it('accepts public unicast and refuses private, loopback, link-local and mapped ones', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:2800:220:1:248:1893:25c8:1946')).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fc00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '100.64.0.1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    expect(isPublicAddress('not an ip')).toBe(false);
  });
});

describe('safe fetch', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      if (request.url === '/redirect') return response.writeHead(302, { location: '/doc' }).end();
      if (request.url === '/loop') return response.writeHead(302, { location: '/loop' }).end();
      if (request.url === '/big') return response.end('x'.repeat(2 * 1024 * 1024));
      if (request.url === '/slow') return setTimeout(() => response.end('{}'), 2_000);
      if (request.url === '/drip') {
        // Answers at once, then one byte every 100 ms: never idle, never done.
        response.writeHead(200, { 'content-type': 'application/json' });
        const drip = setInterval(() => response.write(' '), 100);
        response.on('close', () => clearInterval(drip));
        return;
      }
      if (request.url === '/drip-redirect') {
        // Each hop just inside the idle timeout: redirects must not restart the deadline.
        return setTimeout(() => response.writeHead(302, { location: '/drip-redirect' }).end(), 300);
      }
      if (request.url === '/doc')
        return response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('refuses loopback and plain http by default', async () => {
    const strict = createSafeFetch();
    await expect(strict.fetchJson(`${base}/doc`)).rejects.toThrow(/Only https/);
    const httpOnly = createSafeFetch({ ...defaultFetchPolicy, allowHttp: true });
    await expect(httpOnly.fetchJson(`${base}/doc`)).rejects.toThrow(/private or local/);
    await expect(httpOnly.fetchJson('http://localhost:9/doc')).rejects.toThrow(/private or local/);
    await expect(httpOnly.fetchJson('http://user:pw@example.org/')).rejects.toThrow(/credentials/);
    await expect(httpOnly.fetchJson('file:///etc/passwd')).rejects.toThrow(/Only https/);
    await expect(httpOnly.fetchJson('not a url')).rejects.toThrow(/not a URL/);
  });

  it('when allowed, follows a few redirects and caps size and time', async () => {
    const open = createSafeFetch({
      ...defaultFetchPolicy,
      allowHttp: true,
      allowPrivate: true,
      timeoutMs: 500,
      maxBytes: 1024 * 1024,
    });
    expect(await open.fetchJson(`${base}/redirect`)).toEqual({ ok: true });
    await expect(open.fetchJson(`${base}/loop`)).rejects.toThrow(/redirected more than/);
    await expect(open.fetchJson(`${base}/big`)).rejects.toThrow(/more than 1024 KiB/);
    await expect(open.fetchJson(`${base}/slow`)).rejects.toThrow(/did not answer within/);
    await expect(open.fetchJson(`${base}/missing`)).rejects.toThrow(/HTTP 404/);
  });

  it('cuts off a server that drips its answer at the overall deadline, redirects included', async () => {
    const open = createSafeFetch({ ...defaultFetchPolicy, allowHttp: true, allowPrivate: true, timeoutMs: 500 });
    let started = Date.now();
    await expect(open.fetchJson(`${base}/drip`)).rejects.toThrow(/did not answer within 0.5 s/);
    expect(Date.now() - started).toBeLessThan(1_000);
    const hops = createSafeFetch({
      ...defaultFetchPolicy,
      allowHttp: true,
      allowPrivate: true,
      timeoutMs: 500,
      maxRedirects: 10,
    });
    started = Date.now();
    await expect(hops.fetchJson(`${base}/drip-redirect`)).rejects.toThrow(/did not answer within 0.5 s/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
