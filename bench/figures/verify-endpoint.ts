import autocannon from 'autocannon';
import type { Figure } from '../figure.js';
import { deployment, freePort, startServer } from '../server.js';

/**
 * POST /credentials/verify under load: a real server (`skillproof serve`) on loopback, autocannon sending a
 * mix of valid (expect 200), revoked and tampered credentials (expect 422). A response with another status, a
 * socket error or a timeout counts as an error.
 *
 * By default one process on the embedded database in a temp folder. With BENCH_DATABASE_URL (a PostgreSQL
 * server's URL; a fresh database is made on it and dropped afterwards) the server runs with
 * `--processes ${BENCH_PROCESSES:-2}`, one process per core, as a production deployment would.
 */
const distinctValid = Math.max(1, Number(process.env.BENCH_DISTINCT ?? 3));

/** A user, an organization and credentials made through the API, as an issuer would. */
async function prepare(base: string) {
  const call = async (method: string, url: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(base + url, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return response;
  };
  const signUp = await call('POST', '/api/auth/sign-up', {
    email: 'bench@bench.example',
    name: 'Bench Issuer',
    password: 'a long bench password',
  });
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const session = (await (await fetch(`${base}/api/session`, { headers: { cookie } })).json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': session.csrfToken };
  const org = (await (await call('POST', '/api/orgs', { name: 'Bench Institute' }, headers)).json()) as { id: string };
  const { benchCredential } = await import('../credential.js');
  const { id: did } = (await (await fetch(`${base}/issuers/${org.id}/did.json`)).json()) as { id: string };
  const issue = async () => {
    const { issuer: _issuer, id: _id, credentialStatus: _status, ...unsigned } = benchCredential();
    // The VC-API requires the issuer: the organization's DID, as its DID document names it.
    const credential = { ...unsigned, issuer: did };
    const response = await call('POST', `/issuers/${org.id}/credentials/issue`, { credential }, headers);
    return ((await response.json()) as { verifiableCredential: Record<string, unknown> }).verifiableCredential;
  };
  // BENCH_DISTINCT=N: N different valid credentials. The default 3 measures credentials verified again (the
  // verifier's memo answers their pure checks); more than the memo holds (1,000) measures new ones each time.
  const valid: Record<string, unknown>[] = [];
  while (valid.length < distinctValid) {
    const batch = Math.min(16, distinctValid - valid.length);
    valid.push(...(await Promise.all(Array.from({ length: batch }, issue))));
  }
  const revoked = await issue();
  await call(
    'POST',
    '/credentials/status',
    { credentialId: revoked.id, credentialStatus: [{ status: 'revoked' }] },
    headers,
  );
  const tampered = { ...(await issue()), name: 'Changed after signing' };
  return [
    ...valid.map((vc) => ({ vc, expect: 200 })),
    { vc: revoked, expect: 422 },
    ...valid.map((vc) => ({ vc, expect: 200 })),
    { vc: tampered, expect: 422 },
  ];
}

export const figure: Figure = {
  name: 'verify-endpoint',
  unit: 'verifications/s',
  hasReference: false,
  async measure({ quick }) {
    const where = await deployment();
    const port = await freePort();
    const server = await startServer(port, where);
    try {
      const base = `http://127.0.0.1:${port}`;
      const mix = await prepare(base);
      // Every answer must be what the API defines for its credential, first without load.
      for (const { vc, expect } of mix) {
        const response = await fetch(`${base}/credentials/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ verifiableCredential: vc }),
        });
        if (response.status !== expect)
          throw new Error(`expected ${expect}, got ${response.status}: ${await response.text()}`);
      }
      let mismatches = 0;
      const bodies = mix.map(({ vc, expect }) => ({ body: JSON.stringify({ verifiableCredential: vc }), expect }));
      const result = await autocannon({
        url: base,
        connections: 32,
        pipelining: 1,
        duration: quick ? 1 : 10,
        // Each connection walks the whole mix from its own starting point: connections in step would send the
        // same credential at once, and all but the first would find it in the verifier's memo.
        requests: [
          {
            method: 'POST' as const,
            path: '/credentials/verify',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request: autocannon.Request, state: object) => {
              const context = state as { next?: number; expect?: number };
              const next = context.next ?? Math.floor(Math.random() * mix.length);
              const item = bodies[next % mix.length]!;
              context.next = next + 1;
              context.expect = item.expect;
              return { ...request, body: item.body };
            },
            onResponse: (status: number, _body: string, state: object) => {
              if (status !== (state as { expect?: number }).expect) mismatches++;
            },
          },
        ],
      });
      const errors = result.errors + result.timeouts + mismatches;
      return {
        skillproof: result.requests.average,
        reference: null,
        identical: null,
        details: {
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          errors,
          requests: result.requests.total,
          processes: where.processes,
          database: where.env.DATABASE_URL ? 'postgres' : 'embedded',
          distinct: distinctValid,
        },
      };
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      await where.dispose();
    }
  },
};
