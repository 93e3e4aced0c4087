import { isEnvelope, unwrapEnvelope } from './envelope.js';
import { proofsOf } from './data-integrity.js';
import { looksLikeJwt, verifyCredentialJwt } from './jwt.js';
import { contextUrls } from './contexts.js';
import { defaultDocumentLoader, unknownContexts } from './document-loader.js';
import { checkProofs, verifyCredential, type Check, type VerificationResult, type VerifierDeps } from './verify.js';

export interface PresentationResult {
  verified: boolean;
  checks: Check[];
  credentials: VerificationResult[];
}

/**
 * Verifies a Verifiable Presentation: the holder's proof (purpose authentication, with the expected
 * challenge and domain, which stop a presentation being replayed elsewhere), then every credential in it.
 */
export async function verifyPresentation(
  presentation: unknown,
  deps: VerifierDeps,
  options: { challenge?: string; domain?: string } = {},
): Promise<PresentationResult> {
  const checks: Check[] = [];
  if (!presentation || typeof presentation !== 'object' || Array.isArray(presentation)) {
    return {
      verified: false,
      checks: [{ id: 'data-model', status: 'failed', message: 'A presentation is a JSON object.' }],
      credentials: [],
    };
  }
  const vp = presentation as Record<string, unknown>;
  const problems: string[] = [];
  if ([vp['@context']].flat()[0] !== contextUrls.credentialsV2)
    problems.push(`Its first @context must be ${contextUrls.credentialsV2}.`);
  if (![vp.type].flat().includes('VerifiablePresentation'))
    problems.push('Its type must include "VerifiablePresentation".');
  const unknown = unknownContexts(vp);
  if (unknown.length) problems.push(`It uses unknown vocabularies (${unknown.join(', ')}).`);
  checks.push(
    problems.length
      ? { id: 'data-model', status: 'failed', message: problems.join(' ') }
      : {
          id: 'data-model',
          status: 'passed',
          message: 'The presentation has the structure of a W3C Verifiable Presentation.',
        },
  );

  const proofs = proofsOf(vp);
  if (proofs.length === 0) {
    checks.push(
      options.challenge !== undefined
        ? {
            id: 'proof',
            status: 'failed',
            message: 'The presentation is not signed by its holder, but a challenge was expected.',
          }
        : { id: 'proof', status: 'warning', message: 'The presentation is not signed by its holder.' },
    );
  } else if (!unknown.length) {
    const holder = typeof vp.holder === 'string' ? vp.holder : (vp.holder as { id?: string } | undefined)?.id;
    const outcome = await checkProofs(
      vp,
      holder ?? 'any',
      deps,
      deps.documentLoader ?? defaultDocumentLoader,
      {
        proofPurpose: 'authentication',
        ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
        ...(options.domain !== undefined ? { domain: options.domain } : {}),
      },
      deps.now?.() ?? new Date(),
    );
    checks.push({
      id: 'proof',
      status: outcome.status,
      message:
        outcome.status === 'passed'
          ? `The holder's signature is valid${options.challenge !== undefined ? ' for this challenge' : ''}${options.domain !== undefined ? ' and domain' : ''}.`
          : outcome.message.replaceAll('issuer', 'holder'),
    });
  }

  const embedded = [vp.verifiableCredential].flat().filter((c) => c !== undefined);
  const credentials: VerificationResult[] = [];
  for (const credential of embedded) {
    if (typeof credential === 'string' && looksLikeJwt(credential))
      credentials.push(await verifyCredentialJwt(credential, deps));
    else if (
      credential &&
      typeof credential === 'object' &&
      !Array.isArray(credential) &&
      isEnvelope(credential as Record<string, unknown>)
    ) {
      credentials.push(await verifyCredentialJwt(unwrapEnvelope(credential as Record<string, unknown>), deps));
    } else credentials.push(await verifyCredential(credential, deps));
  }
  const credentialsOk = credentials.every((c) => c.verified);
  return { verified: !checks.some((c) => c.status === 'failed') && credentialsOk, checks, credentials };
}
