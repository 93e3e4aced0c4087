import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Issuance, StoredCredential } from '../issuance/issuance.js';
import { conflict } from '../platform/errors.js';
import type { Wallet } from '../wallet/wallet.js';
import { decodeCredentialJwt } from '../vc/jwt.js';
import {
  configurationId,
  endpoints,
  familyOf,
  oid4vciFormats,
  parseConfigurationId,
  preAuthorizedGrant,
  type Oid4vciFormat,
} from './metadata.js';
import { Oid4vciError, verifyKeyProof } from './proof.js';
import type { Oid4vciStore, StoredOffer } from './store.js';

export { Oid4vciError } from './proof.js';

/** How long each secret lives, and how many wrong transaction codes an offer survives. */
export const oid4vciLimits = {
  offerTtlSeconds: 600,
  accessTokenTtlSeconds: 600,
  nonceTtlSeconds: 300,
  txCodeLength: 6,
  txCodeFailures: 5,
  /** How long after the learner's consent an OAuth access token still reaches the offer it was given for. */
  authorizationSeconds: 3600,
};

/** What the OAuth 2.0 server says of one of its access tokens for the credential issuer (none: not valid). */
export interface OAuthAccess {
  userId: string;
  scopes: string[];
  grantId: string;
}

export interface Oid4vciDeps {
  store: Oid4vciStore;
  wallet: Pick<Wallet, 'holding'>;
  issuance: Pick<Issuance, 'find' | 'reissue'>;
  publicUrl: string;
  /**
   * The authorization-code flow: an access token of the OAuth 2.0 server for the credential issuer (its audience
   * is the issuer's identifier, its scopes are configuration ids), when the token is live.
   */
  oauthAccess?: (token: string) => Promise<OAuthAccess | undefined>;
  now?: () => Date;
}

export interface CreatedOffer {
  /** The credential offer as a URI for a QR code or a link (openid-credential-offer://?credential_offer=…). */
  offerUri: string;
  offer: Record<string, unknown>;
  /** Shown to the learner beside the QR code, never put in it: the wallet asks for it. */
  txCode: string;
  expiresAt: Date;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  c_nonce: string;
  c_nonce_expires_in: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const secret = () => randomBytes(32).toString('base64url');

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const invalidRequest = (description: string) => new Oid4vciError('invalid_request', 400, description);
const invalidGrant = (description: string) => new Oid4vciError('invalid_grant', 400, description);
const invalidToken = (description: string) => new Oid4vciError('invalid_token', 401, description);
const invalidCredentialRequest = (description: string) =>
  new Oid4vciError('invalid_credential_request', 400, description);

function typesOf(record: StoredCredential): unknown {
  const credential =
    record.format === 'jwt' ? decodeCredentialJwt(record.document).credential : JSON.parse(record.document);
  return (credential as { type?: unknown }).type;
}

/**
 * OpenID4VCI issuance of credentials issued here to a learner's wallet (pre-authorized code flow with a
 * transaction code). The learner makes an offer for one of their holdings; the wallet exchanges its code (and the
 * transaction code the learner types) for an access token, fetches a nonce, and requests the credential with a
 * key proof; the credential is re-issued from the same award for the wallet's key, and recorded.
 */
export function createOid4vci(deps: Oid4vciDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const urls = endpoints(deps.publicUrl);
  const later = (seconds: number) => new Date(now().getTime() + seconds * 1000);

  /**
   * An offer of one of the learner's credentials issued here; imported ones are not ours to re-issue. It carries
   * the pre-authorized code grant; with `withAuthorizationCode`, also the authorization_code grant through the
   * OAuth 2.0 server (issuer_state: the offer's id). Not by default: some wallets (the Sphereon client) take the
   * authorization-code flow whenever an offer has it, and every endpoint from the first authorization server.
   */
  async function createOffer(userId: string, holdingId: string, withAuthorizationCode = false): Promise<CreatedOffer> {
    const holding = await deps.wallet.holding(userId, holdingId);
    if (holding.kind !== 'issued' || !holding.issued) {
      throw conflict(
        'Only credentials issued on this platform can be sent to a wallet from here; this one was imported.',
      );
    }
    const record = holding.issued;
    if (record.revokedAt) throw conflict('This credential was revoked: it cannot be sent to a wallet.');
    if (record.suspendedAt) throw conflict('This credential is suspended: it cannot be sent to a wallet now.');
    const family = familyOf(typesOf(record));
    if (!family) throw conflict('This credential is of no type a wallet can receive from here.');
    const configurationIds = oid4vciFormats.map((format) => configurationId(family, format));
    const code = secret();
    const txCode = String(randomInt(10 ** oid4vciLimits.txCodeLength)).padStart(oid4vciLimits.txCodeLength, '0');
    const expiresAt = later(oid4vciLimits.offerTtlSeconds);
    const offerId = randomUUID();
    await store.insertOffer({
      id: offerId,
      userId,
      credentialId: record.id,
      codeHash: digest(code),
      // With the code: the table alone does not let anyone try the million transaction codes offline.
      txCodeHash: digest(`${code}:${txCode}`),
      configurationIds,
      expiresAt,
    });
    const offer = {
      credential_issuer: urls.credentialIssuer,
      credential_configuration_ids: configurationIds,
      grants: {
        [preAuthorizedGrant]: {
          'pre-authorized_code': code,
          tx_code: {
            input_mode: 'numeric',
            length: oid4vciLimits.txCodeLength,
            description: 'The code shown on Skillproof beside the QR code.',
          },
          authorization_server: urls.authorizationServer,
        },
        // The same offer through the OAuth 2.0 server: the wallet sends issuer_state in its authorization
        // request, and the learner's consent there binds the grant to this offer (bindOffer).
        ...(withAuthorizationCode
          ? { authorization_code: { issuer_state: offerId, authorization_server: urls.oauthServer } }
          : {}),
      },
    };
    const offerUri = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
    return { offerUri, offer, txCode, expiresAt };
  }

  async function newNonce(): Promise<{ c_nonce: string; expiresIn: number }> {
    await store.sweepNonces(now());
    const nonce = secret();
    await store.insertNonce(digest(nonce), later(oid4vciLimits.nonceTtlSeconds));
    return { c_nonce: nonce, expiresIn: oid4vciLimits.nonceTtlSeconds };
  }

  /** The token endpoint (OID4VCI 1.0 §6): the pre-authorized code and transaction code for an access token. */
  async function token(body: Record<string, unknown>): Promise<TokenResponse> {
    if (body.grant_type !== preAuthorizedGrant) {
      throw new Oid4vciError(
        'unsupported_grant_type',
        400,
        `This token endpoint serves the pre-authorized code grant (${preAuthorizedGrant}) only.`,
      );
    }
    const code = body['pre-authorized_code'];
    if (typeof code !== 'string' || code.length === 0) throw invalidRequest('pre-authorized_code is missing.');
    // Draft 11 wallets call the transaction code user_pin.
    const txCode = body.tx_code ?? body.user_pin;
    const offer = await store.offerByCode(digest(code));
    if (!offer) throw invalidGrant('The pre-authorized code is not valid.');
    if (offer.redeemedAt) throw invalidGrant('The pre-authorized code was already used.');
    if (offer.expiresAt <= now()) throw invalidGrant('The pre-authorized code has expired.');
    if (offer.txCodeFailures >= oid4vciLimits.txCodeFailures) {
      throw invalidGrant('Too many wrong transaction codes: ask for a new offer.');
    }
    if (typeof txCode !== 'string' || txCode.length === 0) throw invalidRequest('tx_code is missing.');
    if (!sameDigest(digest(`${code}:${txCode}`), offer.txCodeHash)) {
      await store.countTxCodeFailure(offer.id);
      throw invalidGrant('The transaction code is wrong.');
    }
    const accessToken = secret();
    const redeemed = await store.redeem(
      offer.id,
      digest(accessToken),
      now(),
      later(oid4vciLimits.accessTokenTtlSeconds),
      oid4vciLimits.txCodeFailures,
    );
    if (!redeemed) throw invalidGrant('The pre-authorized code was already used.');
    const nonce = await newNonce();
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: oid4vciLimits.accessTokenTtlSeconds,
      // Drafts before 14 take the first nonce from the token response; 1.0 wallets use the nonce endpoint.
      c_nonce: nonce.c_nonce,
      c_nonce_expires_in: nonce.expiresIn,
    };
  }

  /** Where a learner's consent on the OAuth 2.0 server is recorded: the offer's token digest, by grant. */
  const grantKey = (grantId: string) => digest(`oauth-grant:${grantId}`);

  /**
   * The offer a bearer token reaches: a pre-authorized flow's token (ours: 43 base64url characters, so never a
   * grant key's preimage), or an access token of the OAuth 2.0 server whose grant the learner gave for an offer;
   * for the latter, the scopes it carries too.
   */
  async function offerOfToken(accessToken: string): Promise<{ offer: StoredOffer; scopes?: string[] }> {
    if (/^[A-Za-z0-9_-]{43}$/.test(accessToken)) {
      const offer = await store.offerByToken(digest(accessToken), now());
      if (offer) return { offer };
    }
    const access = deps.oauthAccess ? await deps.oauthAccess(accessToken) : undefined;
    if (!access) throw invalidToken('The access token is not valid or has expired.');
    const offer = await store.offerByToken(grantKey(access.grantId), now());
    if (!offer || offer.userId !== access.userId) {
      throw new Oid4vciError(
        'credential_request_denied',
        400,
        'This access token was not given for an offer, or the offer has lapsed: start again from "Send to my wallet".',
      );
    }
    return { offer, scopes: access.scopes };
  }

  /**
   * The authorization-code flow: the learner allowed a wallet, on the OAuth 2.0 server, to receive the credential
   * of the offer its authorization request named in `issuer_state` (the offer's id). The offer must be the
   * learner's, live and unused; it is then used up (its pre-authorized code with it) and bound to the grant for
   * `authorizationSeconds`. Returns why not, in words for the wallet, or undefined when bound. A request without
   * issuer_state is refused: the wallet cannot name a holding any other way, so every credential it receives is
   * one the learner chose to send.
   */
  async function bindOffer(userId: string, issuerState: unknown, grantId: string): Promise<string | undefined> {
    if (typeof issuerState !== 'string' || !/^[0-9a-f-]{36}$/i.test(issuerState)) {
      return 'Credentials are received from an offer made on Skillproof ("Send to my wallet"): this request names none (issuer_state).';
    }
    const offer = await store.offerById(issuerState.toLowerCase());
    // Another learner's offer is answered as an unknown one.
    if (!offer || offer.userId !== userId) return 'No offer of yours has this issuer_state.';
    if (offer.redeemedAt) return 'This offer was already used: make a new one.';
    if (offer.expiresAt <= now()) return 'This offer has expired: make a new one.';
    const bound = await store.redeem(
      offer.id,
      grantKey(grantId),
      now(),
      later(oid4vciLimits.authorizationSeconds),
      oid4vciLimits.txCodeFailures,
    );
    return bound ? undefined : 'This offer was already used or has expired: make a new one.';
  }

  /** Which configuration a credential request asks for: by id (1.0, draft 15) or by format and type (draft 13). */
  function requestedConfiguration(body: Record<string, unknown>, offered: string[]) {
    if (body.credential_identifier !== undefined) {
      throw new Oid4vciError(
        'invalid_credential_request',
        400,
        'No credential identifiers were issued with this token: name a credential_configuration_id.',
      );
    }
    let id: string | undefined;
    if (typeof body.credential_configuration_id === 'string') id = body.credential_configuration_id;
    else if (typeof body.format === 'string') {
      const definition = body.credential_definition as { type?: unknown } | undefined;
      const family = familyOf(definition?.type);
      id = family && configurationId(family, body.format as Oid4vciFormat);
    }
    if (!id) throw invalidCredentialRequest('Name a credential_configuration_id.');
    const parsed = parseConfigurationId(id);
    if (!parsed || !offered.includes(id)) {
      throw new Oid4vciError(
        'unknown_credential_configuration',
        400,
        `The offer behind this token is for ${offered.join(' or ')}.`,
      );
    }
    return { id, ...parsed };
  }

  function proofJwtOf(body: Record<string, unknown>): unknown {
    const proofs = body.proofs as Record<string, unknown> | undefined;
    if (proofs !== undefined) {
      if (!proofs || typeof proofs !== 'object' || Array.isArray(proofs)) throw invalidProof('proofs is an object.');
      const jwts = proofs.jwt;
      if (Object.keys(proofs).length !== 1 || !Array.isArray(jwts)) {
        throw invalidProof('Only jwt proofs are accepted: { "proofs": { "jwt": [ … ] } }.');
      }
      if (jwts.length !== 1) throw invalidProof('This issuer does not issue batches: send exactly one proof.');
      return jwts[0];
    }
    const proof = body.proof as Record<string, unknown> | undefined;
    if (!proof || typeof proof !== 'object') throw invalidProof('A key proof (proofs.jwt) is required.');
    if (proof.proof_type !== 'jwt') throw invalidProof('Only jwt proofs are accepted.');
    return proof.jwt;
  }

  /**
   * The credential endpoint (OID4VCI 1.0 §8): checks the access token, the request and its key proof (its nonce is
   * used up), re-issues the award for the wallet's key and records the delivery. Answers in the shape the request
   * was made in: 1.0 `credentials` array, or the draft 13 `credential` with a new nonce.
   */
  async function credential(authorization: string | undefined, body: unknown) {
    const [scheme, accessToken] = (authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !accessToken) throw invalidToken('A Bearer access token is required.');
    const { offer, scopes } = await offerOfToken(accessToken);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw invalidCredentialRequest('The body is a JSON object.');
    const request = body as Record<string, unknown>;
    const configuration = requestedConfiguration(request, offer.configurationIds);
    if (scopes && !scopes.includes(configuration.id)) {
      throw new Oid4vciError(
        'insufficient_scope',
        403,
        `The access token does not carry the scope ${configuration.id}: ask the authorization server for it.`,
      );
    }
    const proven = await verifyKeyProof(proofJwtOf(request), { audience: urls.credentialIssuer, now: now() });
    if (!(await store.consumeNonce(digest(proven.nonce), now()))) {
      throw new Oid4vciError('invalid_nonce', 400, 'The proof nonce is unknown, used or expired: get a new one.');
    }
    const original = await deps.issuance.find(offer.credentialId);
    if (original.revokedAt || original.suspendedAt) {
      throw new Oid4vciError('credential_request_denied', 400, 'The credential was revoked or suspended.');
    }
    const format = configuration.format === 'ldp_vc' ? 'ldp_vc' : 'jwt';
    const issued = await deps.issuance.reissue(original, proven.subjectId, format);
    const document =
      typeof issued.verifiableCredential === 'string'
        ? issued.verifiableCredential
        : JSON.stringify(issued.verifiableCredential);
    await store.insertDelivery({
      id: randomUUID(),
      offerId: offer.id,
      originalId: original.id,
      userId: offer.userId,
      credentialId: issued.credentialId,
      configurationId: configuration.id,
      subjectId: proven.subjectId,
      keyThumbprint: proven.thumbprint,
      document,
    });
    const delivered = { credentialId: issued.credentialId, originalId: original.id, userId: offer.userId };
    if (typeof request.format === 'string' && request.credential_configuration_id === undefined) {
      const nonce = await newNonce();
      return {
        delivered,
        response: {
          format: configuration.format,
          credential: issued.verifiableCredential,
          c_nonce: nonce.c_nonce,
          c_nonce_expires_in: nonce.expiresIn,
        },
      };
    }
    return { delivered, response: { credentials: [{ credential: issued.verifiableCredential }] } };
  }

  return {
    createOffer,
    bindOffer,
    token,
    nonce: newNonce,
    credential,
    /** The copies delivered to wallets of one of the learner's credentials. */
    async deliveries(userId: string, holdingId: string) {
      const holding = await deps.wallet.holding(userId, holdingId);
      return store.deliveriesOf(holding.id);
    },
  };
}

const invalidProof = (description: string) => new Oid4vciError('invalid_proof', 400, description);

export type Oid4vci = ReturnType<typeof createOid4vci>;
