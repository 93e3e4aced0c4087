#!/usr/bin/env node
/**
 * A reproducible, bounded probe of issue 16, 2.1 (loopback only): starts an instance of the project in DIR
 * (default: this one) on an empty data folder with SKILLPROOF_FETCH_ALLOW_HTTP/PRIVATE, serves ~1 MB status
 * lists at distinct URLs from a local server, posts REQUESTS credentials (default 600) each naming another
 * list to /credentials/verify, 8 at a time, and prints the instance's resident memory before the load and its
 * peak during the load (VmHWM, reset once the instance is ready).
 *
 *   node scripts/probe-status-list-memory.mjs [DIR] [REQUESTS]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = path.resolve(process.argv[2] ?? '.');
const requests = Number(process.argv[3] ?? 600);

// One ~1 MB list document (random bits compress badly), served at every path with its own id.
const encodedList = 'u' + gzipSync(randomBytes(740 * 1024)).toString('base64url');
const lists = createServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end(
    JSON.stringify({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: `http://127.0.0.1:${lists.address().port}${request.url}`,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: 'did:example:issuer',
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList },
    }),
  );
});
await new Promise((resolve) => lists.listen(0, '127.0.0.1', resolve));
const listBase = `http://127.0.0.1:${lists.address().port}`;

const data = mkdtempSync(path.join(tmpdir(), 'probe-2.1-'));
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
      SKILLPROOF_RATE_LIMIT_ALLOW: '127.0.0.1',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const memory = (field) => {
  const line = readFileSync(`/proc/${server.pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(field));
  return Number(line.split(/\s+/)[1]) / 1024; // MiB
};
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
// Let start-up's memory settle (a few seconds) before measuring.
await new Promise((resolve) => setTimeout(resolve, 5_000));
const idle = memory('VmRSS');
// Start-up (migrations) has its own peak: reset the high-water mark so VmHWM is the load's.
writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
const statuses = {};
let firstStatus;
let sent = 0;
const started = Date.now();
async function worker() {
  while (sent < requests) {
    const n = sent++;
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
            statusListCredential: `${listBase}/lists/${n}`,
          },
        },
      }),
    });
    const body = await response.json();
    firstStatus ??= body.details?.find((c) => c.id === 'status')?.message;
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
const result = {
  dir,
  requests,
  seconds: (Date.now() - started) / 1000,
  statuses,
  firstStatus: firstStatus?.slice(0, 160),
  idleRssMiB: Math.round(idle),
  finalRssMiB: Math.round(memory('VmRSS')),
  peakRssMiB: Math.round(memory('VmHWM')),
};
console.log(JSON.stringify(result));
server.kill('SIGTERM');
await new Promise((resolve) => server.on('exit', resolve));
lists.close();
rmSync(data, { recursive: true, force: true });
