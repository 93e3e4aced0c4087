import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DomainError } from './errors.js';

/**
 * Fetching what a credential points to (foreign DID documents, status lists, credentials by URL) on behalf
 * of an anonymous caller is a classic SSRF hole. This client only speaks HTTPS (plain HTTP only when
 * allowed), refuses private, loopback and link-local addresses as resolved at connection time (so DNS
 * rebinding cannot slip past a check made earlier), caps the time and size, and re-checks every redirect.
 */
export interface FetchPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
  /**
   * The deadline for a whole fetch, redirects included: a server that answers slowly, or drips its answer a
   * byte at a time, is cut off when it passes, not only when it goes quiet.
   */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export const defaultFetchPolicy: FetchPolicy = {
  allowHttp: false,
  allowPrivate: false,
  timeoutMs: 5_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 3,
};

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

const refuse = (message: string) => new DomainError('invalid-input', message);

function guardedLookup(policy: FetchPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const blocked = list.find((a) => !policy.allowPrivate && !isPublicAddress(a.address));
      if (blocked) {
        return callback(
          Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }),
          '',
          0,
        );
      }
      const first = list[0]!;
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, first.address, first.family);
    });
  };
}

export interface FetchedDocument {
  url: string;
  contentType: string;
  body: Buffer;
}

function requestOnce(
  url: URL,
  policy: FetchPolicy,
  accept: string,
  deadline: number,
): Promise<{ status: number; location?: string; contentType: string; body: Buffer }> {
  const late = () => refuse(`${url.host} did not answer within ${policy.timeoutMs / 1000} s.`);
  const remaining = deadline - Date.now();
  if (remaining <= 0) return Promise.reject(late());
  return new Promise((settle, fail) => {
    let timer: NodeJS.Timeout | undefined = undefined;
    const resolve = (value: { status: number; location?: string; contentType: string; body: Buffer }) => {
      clearTimeout(timer);
      settle(value);
    };
    const reject = (error: unknown) => {
      clearTimeout(timer);
      fail(error);
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(
      url,
      {
        lookup: guardedLookup(policy),
        headers: { accept, 'user-agent': 'Skillproof verifier' },
        timeout: policy.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > policy.maxBytes) {
            request.destroy();
            reject(refuse(`${url.host} sent more than ${policy.maxBytes / 1024} KiB.`));
          } else {
            chunks.push(chunk);
          }
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            ...(response.headers.location ? { location: response.headers.location } : {}),
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(late()));
    // The overall deadline: settle first (the response may already be streaming), then cut the connection.
    timer = setTimeout(() => {
      reject(late());
      request.destroy();
    }, remaining);
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof DomainError) return reject(error);
      if (error.code === 'EPRIVATE')
        return reject(refuse(`${url.host} is a private or local address, which is not fetched.`));
      reject(refuse(`${url.host} could not be reached (${error.code ?? error.message}).`));
    });
  });
}

export function createSafeFetch(policy: FetchPolicy = defaultFetchPolicy) {
  async function fetchDocument(
    target: string,
    accept = 'application/json',
    anyStatus = false,
  ): Promise<FetchedDocument & { status: number }> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw refuse(`"${target}" is not a URL.`);
    }
    const deadline = Date.now() + policy.timeoutMs;
    for (let hop = 0; hop <= policy.maxRedirects; hop++) {
      if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
        throw refuse(`Only https:// addresses are fetched, not ${url.protocol}//.`);
      }
      if (url.username || url.password) throw refuse('Addresses with credentials are not fetched.');
      // A literal IP in the URL skips DNS: check it here.
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (ipaddr.isValid(host) && !policy.allowPrivate && !isPublicAddress(host)) {
        throw refuse(`${url.host} is a private or local address, which is not fetched.`);
      }
      const response = await requestOnce(url, policy, accept, deadline);
      if (response.status >= 300 && response.status < 400 && response.location) {
        url = new URL(response.location, url);
        continue;
      }
      if (response.status !== 200 && !anyStatus) throw refuse(`${url.href} answered HTTP ${response.status}.`);
      return { url: url.href, status: response.status, contentType: response.contentType, body: response.body };
    }
    throw refuse(`${target} redirected more than ${policy.maxRedirects} times.`);
  }

  async function fetchJson(target: string): Promise<unknown> {
    const document = await fetchDocument(
      target,
      'application/did+json, application/vc+ld+json, application/ld+json, application/json',
    );
    try {
      return JSON.parse(document.body.toString('utf8'));
    } catch {
      throw refuse(`${target} did not answer with JSON.`);
    }
  }

  /** JSON with its status code, for protocols where 410 Gone means something (Open Badges 2.0 revocation). */
  async function fetchJsonResponse(target: string): Promise<{ status: number; json: unknown }> {
    const document = await fetchDocument(target, 'application/ld+json, application/json', true);
    try {
      return { status: document.status, json: JSON.parse(document.body.toString('utf8')) };
    } catch {
      return { status: document.status, json: undefined };
    }
  }

  return { fetchDocument, fetchJson, fetchJsonResponse };
}

export type SafeFetch = ReturnType<typeof createSafeFetch>;
