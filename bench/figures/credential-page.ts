import autocannon from 'autocannon';
import type { Figure } from '../figure.js';
import { deployment, freePort, startServer } from '../server.js';

/**
 * Issue 16, item 2.9: the public credential page `GET /c/TOKEN` against the verify API (`POST
 * /credentials/verify`) under the same load command: one server (`skillproof serve --init --seed-demo`, the demo
 * learner's shared credential), the same autocannon settings (50 connections, pipelining 1, 10 s) for both, the
 * verify API first, then the page, each after a warm-up. Both verify the same credential: the page renders the
 * verdict, the API answers with it. Any status other than 200, socket error or timeout counts as an error.
 *
 * The figure is the page's requests/s; the reference is the verify API's, measured in the same child on the
 * same server (the ratio page / API is the target: at least 1). The page's and the API's p99 are in the details.
 */
const connections = 50;
const demoPassword = 'skillproof-demo';

async function sharedCredential(base: string): Promise<{ pageUrl: string; credential: unknown }> {
  const signIn = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'learner@demo.skillproof.test', password: demoPassword }),
  });
  if (!signIn.ok) throw new Error(`demo sign-in: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const shares = (await (await fetch(`${base}/api/me/sharing`, { headers: { cookie } })).json()) as {
    shares: { live: boolean; url: string | null }[];
  };
  const live = shares.shares.find((share) => share.live && share.url);
  if (!live?.url) throw new Error('the demo learner shares no credential');
  const pageUrl = new URL(live.url).pathname;
  const document = await fetch(`${base}${pageUrl}/credential`, { headers: { accept: 'application/json' } });
  if (!document.ok) throw new Error(`${pageUrl}/credential: ${document.status}`);
  return { pageUrl, credential: JSON.parse(await document.text()) as unknown };
}

async function load(base: string, request: autocannon.Request, seconds: number) {
  let mismatches = 0;
  const result = await autocannon({
    url: base,
    connections,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        ...request,
        onResponse: (status: number) => {
          if (status !== 200) mismatches++;
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + mismatches,
    requests: result.requests.total,
  };
}

export const figure: Figure = {
  name: 'credential-page',
  unit: 'requests/s',
  hasReference: false,
  async measure({ quick }) {
    const where = await deployment();
    const port = await freePort();
    const server = await startServer(port, where, ['--init', '--seed-demo']);
    try {
      const base = `http://127.0.0.1:${port}`;
      const { pageUrl, credential } = await sharedCredential(base);
      const page: autocannon.Request = { method: 'GET', path: pageUrl, headers: { accept: 'text/html' } };
      const verify: autocannon.Request = {
        method: 'POST',
        path: '/credentials/verify',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verifiableCredential: credential }),
      };
      // Each answers 200 without load first.
      for (const [name, request] of [
        ['page', page],
        ['verify', verify],
      ] as const) {
        const response = await fetch(base + request.path, {
          method: request.method!,
          headers: request.headers as Record<string, string>,
          ...(request.body ? { body: request.body as string } : {}),
        });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${name}: ${response.status} ${text.slice(0, 300)}`);
        if (name === 'page' && !/Verified/.test(text)) throw new Error('the page does not say Verified');
      }
      const seconds = quick ? 1 : 10;
      await load(base, verify, quick ? 1 : 2);
      const api = await load(base, verify, seconds);
      await load(base, page, quick ? 1 : 2);
      const html = await load(base, page, seconds);
      return {
        skillproof: html.rps,
        reference: api.rps,
        identical: null,
        details: {
          pageP50Ms: html.p50,
          pageP99Ms: html.p99,
          verifyP50Ms: api.p50,
          verifyP99Ms: api.p99,
          errors: html.errors + api.errors,
          connections,
          processes: where.processes,
          database: where.env.DATABASE_URL ? 'postgres' : 'embedded',
        },
      };
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      await where.dispose();
    }
  },
};
