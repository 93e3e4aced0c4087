import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as statusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import { contexts as didContexts } from 'did-context';
import { contexts as ed25519Contexts } from 'ed25519-signature-2020-context';
import clr200 from './contexts/clr-v2p0-2.0.0.json' with { type: 'json' };
import clr201 from './contexts/clr-v2p0-2.0.1.json' with { type: 'json' };
import ob300 from './contexts/ob-v3p0-3.0.0.json' with { type: 'json' };
import ob301 from './contexts/ob-v3p0-3.0.1.json' with { type: 'json' };
import ob302 from './contexts/ob-v3p0-3.0.2.json' with { type: 'json' };
import ob303 from './contexts/ob-v3p0-3.0.3.json' with { type: 'json' };
import obExtensions from './contexts/ob-v3p0-extensions.json' with { type: 'json' };

export const contextUrls = {
  credentialsV2: 'https://www.w3.org/ns/credentials/v2',
  credentialsV1: 'https://www.w3.org/2018/credentials/v1',
  ob: 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  obExtensions: 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
  clr: 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
  dataIntegrityV2: 'https://w3id.org/security/data-integrity/v2',
  multikey: 'https://w3id.org/security/multikey/v1',
  did: 'https://www.w3.org/ns/did/v1',
  statusList: 'https://www.w3.org/ns/credentials/status/v1',
  examplesV2: 'https://www.w3.org/ns/credentials/examples/v2',
} as const;

type Documents = Map<string, unknown>;

/**
 * Every JSON-LD context Skillproof accepts, by URL. Anything else is refused: a document naming an unknown
 * context is never fetched (no SSRF, no tracking, works offline).
 */
export const bundledContexts: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...(credentialsContexts as Documents),
  ...(dataIntegrityContexts as Documents),
  ...(multikeyContexts as Documents),
  ...(statusListContexts as Documents),
  ...(didContexts as Documents),
  ...(ed25519Contexts as Documents),
  ['https://purl.imsglobal.org/spec/ob/v3p0/context.json', ob300],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json', ob301],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json', ob302],
  [contextUrls.ob, ob303],
  [contextUrls.obExtensions, obExtensions],
  [contextUrls.clr, clr201],
  ['https://purl.imsglobal.org/spec/clr/v2p0/context.json', clr200],
  // The W3C examples context is one @vocab line; the W3C test suites inline it exactly so.
  [contextUrls.examplesV2, { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } }],
]);
