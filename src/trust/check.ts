import type { Check, VerificationResult } from '../vc/verify.js';

/** Who vouches for an issuer on this instance: one of its own organizations, or an imported registry. */
export interface TrustedIssuer {
  /** The issuer's name as the registry (or this instance) knows it, not as the credential asserts it. */
  name: string;
  /** The registry that lists it. */
  registry: string;
  url?: string;
  location?: string;
}

/** What a verification says about the issuer's standing, for a person to read beside the verdict. */
export interface IssuerTrust {
  known: boolean;
  name?: string;
  registry?: string;
  url?: string;
}

export const unknownIssuerMessage = "Issuer not in this instance's registry of trusted issuers";

/**
 * The 'trust' check: whether the issuer, once the signature ties the credential to it, is one this instance
 * knows. Never a failure: an unknown issuer is a warning a person weighs, and `verified` does not change.
 * A registry entry counts only for an issuer the signature confirmed; otherwise anyone could name a listed DID.
 */
export function trustCheck(
  issuerId: string | undefined,
  issuerCheck: Check | undefined,
  listed: TrustedIssuer | undefined,
  selfAssertedName?: string,
): { check: Check; issuerTrust: IssuerTrust } {
  const check = (status: Check['status'], message: string): Check => ({ id: 'trust', status, message });
  if (!issuerId) {
    return { check: check('skipped', 'The credential names no issuer to look up.'), issuerTrust: { known: false } };
  }
  if (!issuerCheck || issuerCheck.status === 'failed' || issuerCheck.status === 'skipped') {
    return {
      check: check(
        'skipped',
        'The signature does not confirm who issued the credential, so the registry of trusted issuers was not consulted.',
      ),
      issuerTrust: { known: false },
    };
  }
  if (!listed) {
    const claimed = selfAssertedName ? ` It calls itself "${selfAssertedName}"; nobody here has confirmed that.` : '';
    return {
      check: check('warning', `${unknownIssuerMessage}: ${issuerId}.${claimed}`),
      issuerTrust: { known: false },
    };
  }
  if (issuerCheck.status === 'warning') {
    return {
      check: check(
        'warning',
        `${listed.registry} lists ${issuerId} as ${listed.name}, but the signing key could not be confirmed with that issuer.`,
      ),
      issuerTrust: { known: false },
    };
  }
  return {
    check: check('passed', `Issuer known: ${listed.registry} lists ${issuerId} as ${listed.name}.`),
    issuerTrust: {
      known: true,
      name: listed.name,
      registry: listed.registry,
      ...(listed.url !== undefined ? { url: listed.url } : {}),
    },
  };
}

/** The result with the 'trust' check placed right after the 'issuer' check, and `issuerTrust` beside it. */
export function withTrust<T extends VerificationResult>(
  result: T,
  trust: { check: Check; issuerTrust: IssuerTrust },
): T & { issuerTrust: IssuerTrust } {
  const checks = result.checks.filter((c) => c.id !== 'trust');
  const at = checks.findIndex((c) => c.id === 'issuer');
  checks.splice(at === -1 ? checks.length : at + 1, 0, trust.check);
  return { ...result, checks, issuerTrust: trust.issuerTrust };
}
