/**
 * OpenID for Verifiable Credential Issuance 1.0 (final, 2025): what this instance offers wallets. The credential
 * issuer is the instance (its public URL); the authorization server of the pre-authorized code flow is a path
 * of it (`/oid4vci`), so its metadata and token endpoint stand apart from the OAuth 2.0 server of the OB 3.0 API.
 */

/** The credential types a holding issued here may have, and what a wallet is told of each. */
export const credentialFamilies = {
  OpenBadgeCredential: {
    context: ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    name: 'Open Badge',
    description: 'An Open Badges 3.0 micro-credential issued on Skillproof.',
  },
  AchievementCredential: {
    context: ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    name: 'Achievement',
    description: 'An Open Badges 3.0 achievement credential issued on Skillproof.',
  },
  ClrCredential: {
    context: [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    name: 'Comprehensive Learner Record',
    description: 'A CLR 2.0 transcript of stacked credentials issued on Skillproof.',
  },
} as const;

export type CredentialFamily = keyof typeof credentialFamilies;

/** `ldp_vc` is Data Integrity (eddsa-rdfc-2022); `jwt_vc_json` is VC-JWT (EdDSA). */
export const oid4vciFormats = ['ldp_vc', 'jwt_vc_json'] as const;
export type Oid4vciFormat = (typeof oid4vciFormats)[number];

export const configurationId = (family: CredentialFamily, format: Oid4vciFormat) => `${family}_${format}`;

export function parseConfigurationId(id: string): { family: CredentialFamily; format: Oid4vciFormat } | undefined {
  for (const family of Object.keys(credentialFamilies) as CredentialFamily[]) {
    for (const format of oid4vciFormats) if (configurationId(family, format) === id) return { family, format };
  }
  return undefined;
}

/** The family of a credential by its types, or undefined when it is none a wallet can receive from here. */
export function familyOf(types: unknown): CredentialFamily | undefined {
  const list = [types].flat().filter((t): t is string => typeof t === 'string');
  return (['ClrCredential', 'OpenBadgeCredential', 'AchievementCredential'] as const).find((f) => list.includes(f));
}

/** Proof-of-possession algorithms accepted in `jwt` key proofs (never `none`, never a MAC). */
export const proofAlgorithms = ['EdDSA', 'ES256'] as const;

export function endpoints(publicUrl: string) {
  return {
    credentialIssuer: publicUrl,
    authorizationServer: `${publicUrl}/oid4vci`,
    /** The OAuth 2.0 server (src/oauth, mounted at /oauth): the authorization-code flow's. */
    oauthServer: `${publicUrl}/oauth`,
    token: `${publicUrl}/oid4vci/token`,
    nonce: `${publicUrl}/oid4vci/nonce`,
    credential: `${publicUrl}/oid4vci/credential`,
  };
}

/** Every credential configuration id: each is also the OAuth scope a wallet asks the OAuth 2.0 server for. */
export function configurationScopes(): Record<string, string> {
  const words: Record<string, string> = {};
  for (const [family, facts] of Object.entries(credentialFamilies) as [
    CredentialFamily,
    (typeof credentialFamilies)[CredentialFamily],
  ][]) {
    for (const format of oid4vciFormats) {
      const kind = format === 'ldp_vc' ? 'a Data Integrity credential' : 'a JWT credential';
      words[configurationId(family, format)] =
        `Receive the ${facts.name} you chose on Skillproof in this wallet, as ${kind} bound to the wallet's key`;
    }
  }
  return words;
}

export const preAuthorizedGrant = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** The credential issuer metadata (OID4VCI 1.0 §12.2), served at /.well-known/openid-credential-issuer. */
export function issuerMetadata(publicUrl: string, instanceName = 'Skillproof') {
  const urls = endpoints(publicUrl);
  const configurations: Record<string, unknown> = {};
  for (const [family, facts] of Object.entries(credentialFamilies) as [
    CredentialFamily,
    (typeof credentialFamilies)[CredentialFamily],
  ][]) {
    const display = [
      {
        name: facts.name,
        description: facts.description,
        locale: 'en',
        background_color: '#12355b',
        text_color: '#ffffff',
      },
    ];
    for (const format of oid4vciFormats) {
      configurations[configurationId(family, format)] = {
        format,
        scope: configurationId(family, format),
        credential_definition:
          format === 'ldp_vc'
            ? { '@context': facts.context, type: ['VerifiableCredential', family] }
            : { type: ['VerifiableCredential', family] },
        cryptographic_binding_methods_supported: ['did:key', 'did:jwk', 'jwk'],
        credential_signing_alg_values_supported: format === 'ldp_vc' ? ['eddsa-rdfc-2022'] : ['EdDSA'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...proofAlgorithms] } },
        // 1.0 places display under credential_metadata; drafts up to 15 read it beside the format.
        credential_metadata: { display },
        display,
      };
    }
  }
  return {
    credential_issuer: urls.credentialIssuer,
    // The pre-authorized code flow's own server first, then the OAuth 2.0 server of the authorization-code flow;
    // each offer's grants name theirs.
    authorization_servers: [urls.authorizationServer, urls.oauthServer],
    credential_endpoint: urls.credential,
    nonce_endpoint: urls.nonce,
    display: [{ name: instanceName, locale: 'en' }],
    credential_configurations_supported: configurations,
  };
}

/**
 * The metadata of the authorization server of the pre-authorized code flow (RFC 8414). The authorization-code
 * flow is the OAuth 2.0 server's (issue 24 item 1), not this one's: this one offers the pre-authorized grant only.
 */
export function authorizationServerMetadata(publicUrl: string) {
  const urls = endpoints(publicUrl);
  return {
    issuer: urls.authorizationServer,
    token_endpoint: urls.token,
    grant_types_supported: [preAuthorizedGrant],
    token_endpoint_auth_methods_supported: ['none'],
    response_types_supported: [],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}
