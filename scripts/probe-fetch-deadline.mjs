#!/usr/bin/env node
/**
 * A bounded loopback probe of issue 16, 2.2: starts an instance of the project in DIR (default: this one) with
 * SKILLPROOF_FETCH_ALLOW_HTTP/PRIVATE, and a server that answers at once, then drips one byte every 2 s for at
 * most LIMIT seconds (default 120). Posts 4 credentials naming status lists there (directly and through a
 * redirect) to /credentials/verify and prints how long the longest was held.
 *
 *   node scripts/probe-fetch-deadline.mjs [DIR] [LIMIT]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = path.resolve(process.argv[2] ?? '.');
const limit = Number(process.argv[3] ?? 120);

const drip = createServer((request, response) => {
  if (request.url.startsWith('/hop')) return response.writeHead(302, { location: '/drip' }).end();
  response.writeHead(200, { 'content-type': 'application/json' });
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started > limit * 1000) {
      clearInterval(timer);
      return response.end('{}');
    }
    response.write(' ');
  }, 2_000);
  response.on('close', () => clearInterval(timer));
});
await new Promise((resolve) => drip.listen(0, '127.0.0.1', resolve));
const dripBase = `http://127.0.0.1:${drip.address().port}`;

const data = mkdtempSync(path.join(tmpdir(), 'probe-2.2-'));
const port = 40_000 + Math.floor(Math.random() * 10_000);
const server = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(dir, 'src/cli/main.ts'), 'serve', '--port', String(port), '--no-workers'],
  {
    cwd: dir,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      SKILLPROOF_DATA_DIR: data,
      SKILLPROOF_FETCH_ALLOW_HTTP: 'true',
      SKILLPROOF_FETCH_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/readyz`)).ok) break;
  } catch {
    // not yet
  }
  if (i > 600) throw new Error('the instance did not start');
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const held = await Promise.all(
  ['/drip', '/hop', '/drip?2', '/hop?2'].map(async (list) => {
    const started = Date.now();
    const response = await fetch(`${base}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        verifiableCredential: {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiableCredential'],
          issuer: 'did:example:issuer',
          credentialSubject: { id: 'did:example:someone' },
          credentialStatus: {
            type: 'BitstringStatusListEntry',
            statusPurpose: 'revocation',
            statusListIndex: '7',
            statusListCredential: `${dripBase}${list}`,
          },
        },
      }),
    });
    const body = await response.json();
    return {
      list,
      seconds: (Date.now() - started) / 1000,
      status: body.details?.find((c) => c.id === 'status')?.message,
    };
  }),
);
console.log(JSON.stringify({ dir, longestHoldSeconds: Math.max(...held.map((h) => h.seconds)), held }));
server.kill('SIGTERM');
await new Promise((resolve) => server.on('exit', resolve));
drip.close();
drip.closeAllConnections();
rmSync(data, { recursive: true, force: true });
