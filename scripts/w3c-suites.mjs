#!/usr/bin/env node
/**
 * Runs the official W3C / W3C-CCG conformance suites against a fresh local instance of this checkout and prints
 * passed / failed / pending per suite. The suites' code is never part of this project: check them out elsewhere
 * and install each one as README.md's "Standards conformance" section says, then
 *
 *   npm run build
 *   node scripts/w3c-suites.mjs SUITES_DIR [--port 3915] [--only vc-api-issuer-test-suite,...] [--failures]
 *                                          [--jwt] [--issuer-options '{"addStatus":true}']
 *
 * SUITES_DIR holds the checkouts under their repository names (vc-data-model-2.0-test-suite, vc-di-eddsa-test-suite,
 * vc-bitstring-status-list-test-suite, vc-api-issuer-test-suite, vc-api-verifier-test-suite). The instance serves
 * https with a throw-away self-signed certificate (the status-list suite fetches lists over https only) from a
 * throw-away data folder, seeded with the demo; the demo issuer's API token goes in the implementation manifest's
 * Authorization header, and the organization issues as its did:key (`options.identity`), since the suites resolve
 * only did:key. Each suite gets a `localConfig.cjs` (the suites' own mechanism for testing one local
 * implementation) and a mocha JSON report in SUITES_DIR/reports-skillproof/. --failures lists each failed test.
 *
 * Every suite gets the same implementation manifest, which declares issuer instances per suite, as the official
 * manifests (w3c/vc-test-suite-implementations) do: each suite takes the first endpoint carrying its tag
 * (`issuers.find(i => i.tags.has(tag))`, or the first of `endpoints.filterByTag`), so one tag picks one instance.
 * - the status issuer, tagged `vc2.0`, `BitstringStatusList` and `vc-api`: `options.identity: "did:key"`, adds its
 *   Bitstring Status List entries (revocation and suspension) as every VC-API issuer of ours does;
 * - the cryptosuite issuer, tagged `eddsa-rdfc-2022`: the same, with `options.addStatus: false`. The eddsa suite
 *   tests the signature, and expands what it is issued with a closed document loader
 *   (data-integrity-test-suite-assertion, vc-generator/documentLoader.js) that lacks the Bitstring Status List
 *   context a VC 1.1 credential's status entries need; with `--issuer-options '{"addStatus":true}'` it gets them.
 *
 * --jwt also declares the VC-JWT issuer (`options.format: "jwt"`) and the verifier with the suites' `JWT` tag. By
 * default they are not: in the VC-API suites that tag stands for JsonWebSignature2020 (a Linked Data proof with a
 * detached JWS), whose tests expect an issued credential object with a `proof`, which Skillproof does not offer.
 * --issuer-options adds request options to every issuer instance (e.g. to show what a suite failure depends on).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const suitesDir = args[0] && !args[0].startsWith('--') ? path.resolve(args[0]) : undefined;
if (!suitesDir) {
  console.error('usage: node scripts/w3c-suites.mjs SUITES_DIR [--port 3915] [--only a,b] [--failures]');
  process.exit(2);
}
const port = Number(option('--port', '3915'));
const showFailures = args.includes('--failures');
const jwt = args.includes('--jwt');
const issuerOptions = JSON.parse(option('--issuer-options', '{}'));

/** The suites, each with the tag its tests select implementations' endpoints by. */
const suites = {
  'vc-data-model-2.0-test-suite': 'vc2.0',
  'vc-di-eddsa-test-suite': 'eddsa-rdfc-2022',
  'vc-bitstring-status-list-test-suite': 'BitstringStatusList',
  'vc-api-issuer-test-suite': 'vc-api',
  'vc-api-verifier-test-suite': 'vc-api',
};
const only = option('--only', undefined)?.split(',');
const chosen = Object.keys(suites).filter((name) => !only || only.includes(name));

const work = mkdtempSync(path.join(tmpdir(), 'skillproof-w3c-'));
const cert = path.join(work, 'cert.pem');
const key = path.join(work, 'key.pem');
execFileSync(
  'openssl',
  ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-subj', '/CN=localhost'].concat([
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
  ]),
  { stdio: 'ignore' },
);

const base = `https://localhost:${port}`;
const server = spawn(
  process.execPath,
  [path.join(root, 'bin/skillproof.js'), 'serve', '--init', '--seed-demo', '--port', String(port)].concat([
    '--tls-cert',
    cert,
    '--tls-key',
    key,
  ]),
  {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      SKILLPROOF_DATA_DIR: path.join(work, 'data'),
      SKILLPROOF_PUBLIC_URL: base,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const stop = () => {
  server.kill();
  rmSync(work, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});

/** A JSON request to the instance over its self-signed https. */
function call(method, url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${url}`,
      { method, rejectUnauthorized: false, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode, headers: res.headers, data: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

try {
  for (let i = 0; ; i++) {
    const ready = await call('GET', '/readyz').catch(() => undefined);
    if (ready?.status === 200) break;
    if (i > 1200 || server.exitCode !== null) throw new Error('the instance did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The demo's published password, which a loopback-only instance gives its demo accounts.
  const signIn = await call('POST', '/api/auth/sign-in', {
    email: 'issuer@demo.skillproof.test',
    password: 'skillproof-demo',
  });
  const cookie = String(signIn.headers['set-cookie']).split(';')[0];
  const session = (await call('GET', '/api/session', undefined, { cookie })).data;
  const org = session.memberships.find((m) => m.roles.includes('issuer')).org.id;
  const { token } = (
    await call(
      'POST',
      '/api/tokens',
      { name: 'w3c suites', scopes: ['read', 'write'] },
      {
        cookie,
        'x-csrf-token': session.csrfToken,
      },
    )
  ).data;
  const didDocument = (await call('GET', `/issuers/${org}/did.json`)).data;
  const issuerId = `did:key:${didDocument.verificationMethod[0].publicKeyMultibase}`;
  const headers = { Authorization: `Bearer ${token}` };
  const endpoint = (tags, url, extra = {}) => ({ id: issuerId, endpoint: `${base}${url}`, headers, tags, ...extra });

  const reports = path.join(suitesDir, 'reports-skillproof');
  mkdirSync(reports, { recursive: true });
  const counts = [];
  // One manifest for every suite, with an issuer instance per purpose (see the header).
  const issue = `/issuers/${org}/credentials/issue`;
  const statusTags = ['vc2.0', 'BitstringStatusList', 'vc-api'];
  const implementation = {
    name: 'Skillproof',
    implementation: 'Skillproof (local)',
    issuers: [
      endpoint(statusTags, issue, { options: { identity: 'did:key', ...issuerOptions } }),
      endpoint(['eddsa-rdfc-2022'], issue, { options: { identity: 'did:key', addStatus: false, ...issuerOptions } }),
      ...(jwt
        ? [endpoint(['vc-api', 'JWT'], issue, { options: { identity: 'did:key', ...issuerOptions, format: 'jwt' } })]
        : []),
    ],
    verifiers: [
      endpoint([...statusTags, 'eddsa-rdfc-2022', ...(jwt ? ['JWT'] : [])], '/credentials/verify', {
        id: `${base}/credentials/verify`,
      }),
    ],
    vpVerifiers: [
      endpoint(['vc2.0', 'BitstringStatusList'], '/presentations/verify', { id: `${base}/presentations/verify` }),
    ],
    setStatusLists: [endpoint(['BitstringStatusList'], '/credentials/status')],
  };
  for (const name of chosen) {
    const dir = path.join(suitesDir, name);
    writeFileSync(
      path.join(dir, 'localConfig.cjs'),
      `// Written by Skillproof's scripts/w3c-suites.mjs: test only the local instance.\nmodule.exports = ${JSON.stringify(
        { settings: { enableInteropTests: false, testAllImplementations: false }, implementations: [implementation] },
        null,
        2,
      )};\n`,
    );
    const out = path.join(reports, `${name}.json`);
    const mocha = spawn(
      'npx',
      ['mocha', 'tests/', '--reporter', 'json', '--reporter-option', `output=${out}`].concat([
        '--timeout',
        '15000',
        '--preserve-symlinks',
      ]),
      {
        cwd: dir,
        // The suites' own settings (tests/test-config.js): which implementation issues their JWT and DI inputs.
        env: {
          ...process.env,
          NODE_TLS_REJECT_UNAUTHORIZED: '0',
          ISSUER_NAME: 'Skillproof',
          ISSUER_NAME_JWT: 'Skillproof',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    await new Promise((resolve) => mocha.on('close', resolve));
    const report = JSON.parse(readFileSync(out, 'utf8'));
    counts.push({ name, passed: report.stats.passes, failed: report.stats.failures, pending: report.stats.pending });
    if (showFailures) {
      for (const failure of report.failures) {
        console.log(`${name}: ${failure.fullTitle}\n    ${String(failure.err.message).slice(0, 300)}`);
      }
    }
  }
  const options = [jwt ? '--jwt' : '', Object.keys(issuerOptions).length ? JSON.stringify(issuerOptions) : '']
    .filter(Boolean)
    .join(' ');
  console.log(
    `\n${options ? `(${options}) ` : ''}commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim()}`,
  );
  // The options of the issuer instance each suite picks: the first one carrying its tag, as the suites choose.
  const issuerOptionsOf = (name) =>
    JSON.stringify(implementation.issuers.find((i) => i.tags.includes(suites[name])).options);
  console.log('suite | passed | failed | pending | issuer options');
  for (const c of counts)
    console.log(`${c.name} | ${c.passed} | ${c.failed} | ${c.pending} | ${issuerOptionsOf(c.name)}`);
} finally {
  stop();
}
