import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTls } from './serve.js';
import { loadConfig } from '../../platform/config.js';
import { createHttpKit } from '../../platform/http/app.js';

// A self-signed certificate as the README documents it (openssl), for `serve --tls-cert/--tls-key`.
function selfSigned() {
  const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-subj', '/CN=localhost', '-days', '1'].concat([
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  return { cert, key, dir };
}

describe('https for local runs', () => {
  it('serves https with the given certificate', async () => {
    const files = selfSigned();
    const tls = readTls(files.cert, files.key)!;
    const app = await createHttpKit(loadConfig({ LOG_LEVEL: 'silent' }), { logger: false, https: tls });
    app.get('/ping', { config: { access: { kind: 'public' } } } as never, async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as { port: number }).port;
      const { status, body, peerCert } = await new Promise<{ status: number; body: string; peerCert: string }>(
        (resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port, path: '/ping', ca: readFileSync(files.cert), servername: 'localhost' },
            (res) => {
              let text = '';
              const cn = String((res.socket as TLSSocket).getPeerCertificate().subject.CN);
              res.on('data', (c) => (text += c));
              res.on('end', () => resolve({ status: res.statusCode!, body: text, peerCert: cn }));
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual({ ok: true });
      expect(peerCert).toBe('localhost');
    } finally {
      await app.close();
    }
  });

  it('refuses a certificate without its key, and files that are not PEM', () => {
    const files = selfSigned();
    expect(() => readTls(files.cert)).toThrow('--tls-cert and --tls-key go together');
    const bogus = path.join(files.dir, 'bogus.pem');
    writeFileSync(bogus, 'hello');
    expect(() => readTls(bogus, files.key)).toThrow('not a PEM file');
    expect(() => readTls(path.join(files.dir, 'missing.pem'), files.key)).toThrow('Cannot read the TLS certificate');
  });
});
