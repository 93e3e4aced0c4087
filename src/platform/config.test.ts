import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('logs each request (info) in production, and only warnings elsewhere unless LOG_LEVEL says otherwise', () => {
    expect(loadConfig({}).logLevel).toBe('warn');
    expect(loadConfig({ NODE_ENV: 'development' }).logLevel).toBe('warn');
    expect(loadConfig({ NODE_ENV: 'production' }).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
  });
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      publicUrl: 'http://localhost:3000',
      fetchTimeoutMs: 5_000,
    });
    expect(config.dataDir).toBe(path.resolve('data'));
  });
  it('reads the environment', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@h/db',
      SKILLPROOF_PUBLIC_URL: 'https://badges.example.edu/',
      SKILLPROOF_TRUST_PROXY: 'true',
      SKILLPROOF_FETCH_TIMEOUT_MS: '2000',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u@h/db',
      publicUrl: 'https://badges.example.edu',
      trustProxy: true,
      fetchTimeoutMs: 2_000,
    });
  });
  it('refuses bad values with the variable named', () => {
    expect(() => loadConfig({ PORT: '99999' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SKILLPROOF_PUBLIC_URL: 'not a url' })).toThrow(/SKILLPROOF_PUBLIC_URL/);
    expect(() => loadConfig({ SKILLPROOF_SESSION_TTL_HOURS: '0' })).toThrow(/SESSION_TTL/);
    expect(() => loadConfig({ SKILLPROOF_FETCH_TIMEOUT_MS: '0' })).toThrow(/FETCH_TIMEOUT/);
  });
});
