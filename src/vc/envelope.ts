import { contextUrls } from './contexts.js';
import { VcError } from './errors.js';

/**
 * Enveloped verifiable credentials (VC Data Model 2.0 §4.13.1): an object whose `id` is a data: URL holding a
 * credential secured by an enveloping mechanism, here a VC-JWT. The VC-API answers an issued JWT this way, since
 * its response's `verifiableCredential` is an object (W3C VCALM, `VerifiableCredentialResponse`).
 */
export const envelopedCredentialType = 'EnvelopedVerifiableCredential';

export type EnvelopedCredential = {
  '@context': string;
  id: string;
  type: typeof envelopedCredentialType;
};

/** Media types of a data: URL whose content is a compact JWS: VC-JOSE-COSE's, and plain JWT (the W3C suite's). */
const jwtMediaTypes = ['application/vc+jwt', 'application/jwt'];
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function envelopeJwt(jwt: string): EnvelopedCredential {
  return { '@context': contextUrls.credentialsV2, id: `data:application/vc+jwt,${jwt}`, type: envelopedCredentialType };
}

/** Whether a document says it is an enveloped credential (its type is, or includes, EnvelopedVerifiableCredential). */
export function isEnvelope(document: Record<string, unknown>): boolean {
  return [document.type].flat().includes(envelopedCredentialType);
}

/** The compact JWS an enveloped credential holds; refused with the reason when the envelope is not well formed. */
export function unwrapEnvelope(document: Record<string, unknown>): string {
  const refuse = (why: string) => new VcError('invalid-document', `The enveloped credential ${why}`);
  if (![document['@context']].flat().includes(contextUrls.credentialsV2)) {
    throw refuse(`must name the VC 2.0 base context (${contextUrls.credentialsV2}) in its @context.`);
  }
  // Anything beside @context, id and type would be a claim nobody signed, shown next to one somebody did.
  const unsecured = Object.keys(document).filter((key) => !['@context', 'id', 'type'].includes(key));
  if (unsecured.length) {
    throw refuse(`carries ${unsecured.join(', ')} outside what its JWT secures; only @context, id and type belong.`);
  }
  const id = document.id;
  const match = typeof id === 'string' ? /^data:([^,;]*)((?:;[^,;]*)*),(.*)$/s.exec(id) : null;
  if (!match) throw refuse('must have a data: URL as its id.');
  const [, mediaType = '', parameters = '', data = ''] = match;
  if (!jwtMediaTypes.includes(mediaType.toLowerCase())) {
    throw refuse(`holds ${mediaType || 'an unnamed media type'}; Skillproof reads ${jwtMediaTypes.join(' and ')}.`);
  }
  let text: string;
  try {
    text = parameters.split(';').includes('base64')
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeURIComponent(data);
  } catch {
    throw refuse('has a data: URL that does not decode.');
  }
  if (!compactJws.test(text.trim())) throw refuse('is not a JWT: its data: URL must hold a compact JWS.');
  return text.trim();
}
