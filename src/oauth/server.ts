import { createCipheriv, createDecipheriv, createHmac, createPrivateKey, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type Configuration, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { DomainError } from '../platform/errors.js';
import { obScopes, scopeWords } from './scopes.js';
import type { OAuthAdapter, OAuthStore } from './store.js';

/**
 * The OAuth 2.0 authorization server (oidc-provider), on our database through the OAuth store: dynamic client
 * registration (RFC 7591), authorization code with PKCE (S256 only), refresh tokens with rotation, revocation
 * (RFC 7009) and the `iss` authorization response parameter (RFC 9207). Access tokens are opaque, kept hashed,
 * and name one resource server: the Open Badges 3.0 API, or another one the composition root adds.
 */
export interface ResourceServer {
  /** The resource indicator (RFC 8707) and token audience, e.g. the OB 3.0 API's base URL. */
  identifier: string;
  /** The scopes a token for it may carry. */
  scopes: string[];
  /** What each of its scopes lets a client do, in plain words, for the consent page. */
  scopeWords?: Record<string, string>;
  /**
   * Called when the learner allows a client access to this resource server, with the saved grant and the
   * authorization request's parameters (including `extraParams`); a string refuses the grant (access_denied, with
   * it as the description) and the grant is destroyed.
   */
  onConsent?: (consent: {
    userId: string;
    clientId: string;
    grantId: string;
    params: Record<string, unknown>;
  }) => Promise<string | undefined>;
}

/** Authorization request parameters beyond OAuth's that the server keeps (OID4VCI's `issuer_state`). */
export const extraAuthorizationParams = ['issuer_state'];

export interface OAuthServerDeps {
  store: OAuthStore;
  publicUrl: string;
  /** The instance's master key: cookie keys and the ID token signing key are derived from it. */
  masterKey: Uint8Array;
  /** Whether a user id names an account. */
  userExists: (userId: string) => Promise<boolean>;
  /** Resource servers beyond the OB 3.0 API (another capability's API). */
  resourceServers?: ResourceServer[];
}

/** What a valid access token grants: whose data, to which client, for which scopes. */
export interface TokenGrant {
  userId: string;
  clientId: string;
  scopes: string[];
  grantId: string;
  audience: string;
}

/** What the consent page shows. */
export interface ConsentDetails {
  uid: string;
  client: {
    id: string;
    name: string;
    logoUri: string | null;
    clientUri: string | null;
    policyUri: string | null;
    tosUri: string | null;
  };
  /** Where the learner is sent back to: the client's host, so a lookalike name cannot hide it. */
  redirectHost: string;
  scopes: { scope: string; words: string }[];
}

export const oauthPrefix = '/oauth';
export const obApiPath = '/ims/ob/v3p0';

export const oauthLimits = {
  authorizationCodeSeconds: 60,
  accessTokenSeconds: 3600,
  refreshTokenSeconds: 30 * 24 * 3600,
  grantSeconds: 365 * 24 * 3600,
  interactionSeconds: 600,
  sessionSeconds: 24 * 3600,
};

const derive = (masterKey: Uint8Array, label: string) => createHmac('sha256', masterKey).update(label).digest();

/** An Ed25519 signing key (for ID tokens, when a client asks for `openid`) derived from the master key. */
function signingKey(masterKey: Uint8Array): JWK {
  const seed = derive(masterKey, 'skillproof oauth id token key');
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return {
    ...jwk,
    kid: derive(masterKey, 'skillproof oauth kid').toString('base64url').slice(0, 16),
    alg: 'EdDSA',
    use: 'sig',
  } as JWK;
}

/**
 * The client adapter keeps `client_secret` sealed (AES-256-GCM under a key derived from the master key): the
 * provider compares secrets as given, so they cannot be hashed, and a copy of the database then holds none of them.
 */
export function sealedClients(adapter: OAuthAdapter, masterKey: Uint8Array): OAuthAdapter {
  const key = derive(masterKey, 'skillproof oauth client secrets');
  const prefix = 'sealed:v1:';
  const seal = (secret: string) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  };
  const open = (sealed: string) => {
    const bytes = Buffer.from(sealed.slice(prefix.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  };
  return {
    ...adapter,
    upsert: (id, payload, expiresIn) =>
      adapter.upsert(
        id,
        typeof payload.client_secret === 'string'
          ? { ...payload, client_secret: seal(payload.client_secret) }
          : payload,
        expiresIn,
      ),
    async find(id) {
      const payload = await adapter.find(id);
      if (typeof payload?.client_secret !== 'string' || !payload.client_secret.startsWith(prefix)) return payload;
      return { ...payload, client_secret: open(payload.client_secret) };
    },
  };
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return uri;
  }
}

export function createOAuthServer(deps: OAuthServerDeps) {
  const issuer = `${deps.publicUrl}${oauthPrefix}`;
  const obResource = `${deps.publicUrl}${obApiPath}`;
  const resources = new Map<string, ResourceServer>([
    [obResource, { identifier: obResource, scopes: Object.values(obScopes) }],
    ...(deps.resourceServers ?? []).map((r) => [r.identifier, r] as const),
  ]);
  const words: Record<string, string> = {
    ...Object.assign({}, ...[...resources.values()].map((r) => r.scopeWords ?? {})),
    ...scopeWords,
  };
  const knownScopes = (scope: string | undefined) => {
    const requested = new Set((scope ?? '').split(' ').filter(Boolean));
    return Object.keys(words).filter((s) => requested.has(s));
  };
  /**
   * The resource server an authorization request is for: its `resource` parameter, or else the one whose scopes
   * it asks for (a wallet asking for a credential configuration's scope need not name the credential issuer),
   * or else the OB 3.0 API.
   */
  const resourceOf = (params: Record<string, unknown>): string => {
    if (typeof params.resource === 'string') return params.resource;
    const requested = String(params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    for (const r of resources.values()) {
      if (r.identifier !== obResource && requested.some((s) => r.scopes.includes(s))) return r.identifier;
    }
    return obResource;
  };

  const adapterFor = (name: string) =>
    name === 'Client' ? sealedClients(deps.store.adapter(name), deps.masterKey) : deps.store.adapter(name);
  const configuration: Configuration = {
    adapter: adapterFor as unknown as Configuration['adapter'],
    clients: [],
    jwks: { keys: [signingKey(deps.masterKey)] },
    cookies: { keys: [derive(deps.masterKey, 'skillproof oauth cookies').toString('base64url')] },
    // Every scope a client may register or request: the OIDC ones and each resource server's.
    scopes: ['openid', 'offline_access', ...[...resources.values()].flatMap((r) => r.scopes)],
    claims: { openid: ['sub'] },
    responseTypes: ['code'],
    extraParams: extraAuthorizationParams,
    pkce: { required: () => true },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'EdDSA',
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    rotateRefreshToken: true,
    // Tokens outlive the browser session that granted them: the learner revokes them on their own page.
    expiresWithSession: async () => false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Every authorization asks the learner: a grant remembered in the provider's own cookie would answer for
    // whoever used the browser last, even after they signed out of Skillproof. Only the grant the learner just
    // gave on the consent page counts.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    ttl: {
      AuthorizationCode: oauthLimits.authorizationCodeSeconds,
      AccessToken: oauthLimits.accessTokenSeconds,
      RefreshToken: oauthLimits.refreshTokenSeconds,
      Grant: oauthLimits.grantSeconds,
      Interaction: oauthLimits.interactionSeconds,
      Session: oauthLimits.sessionSeconds,
      IdToken: 3600,
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      revocation: { enabled: true },
      introspection: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx) => resourceOf(ctx.oidc.params ?? {}),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          const resource = resources.get(indicator);
          if (!resource) throw new errors.InvalidTarget();
          return {
            scope: resource.scopes.join(' '),
            audience: resource.identifier,
            accessTokenFormat: 'opaque',
            accessTokenTTL: oauthLimits.accessTokenSeconds,
          };
        },
      },
    },
    interactions: { url: async (_ctx, interaction) => `${oauthPrefix}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, id) =>
      (await deps.userExists(id)) ? { accountId: id, claims: async () => ({ sub: id }) } : undefined,
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };

  const provider = new Provider(issuer, configuration);
  // Every URL the provider writes (endpoints in its metadata, redirects) stands on the public URL, whatever
  // Host header or proxy a request came through: the request's own scheme and host are replaced by it.
  provider.proxy = true;
  const publicOrigin = new URL(deps.publicUrl);
  const callback = provider.callback();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    req.headers['x-forwarded-proto'] = publicOrigin.protocol.replace(':', '');
    req.headers['x-forwarded-host'] = publicOrigin.host;
    req.headers.host = publicOrigin.host;
    return callback(req, res);
  };

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    try {
      return await provider.interactionDetails(req, res);
    } catch {
      throw new DomainError(
        'not-found',
        'This authorization request has expired or belongs to another browser. Start again from the application.',
      );
    }
  }

  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<number> | undefined;

  return {
    issuer,
    obResource,
    provider,

    /** The provider's HTTP handler, for a request whose URL was made relative to the prefix. */
    handle,

    /** An access token's grant, if the token is live, not revoked, and meant for `audience`. */
    async validateAccessToken(token: string, audience = obResource): Promise<TokenGrant | undefined> {
      if (!token || token.length > 512) return undefined;
      const found = await provider.AccessToken.find(token);
      if (!found || found.isExpired || !found.accountId || !found.grantId) return undefined;
      const aud = [found.aud].flat();
      if (!aud.includes(audience)) return undefined;
      const grant = await provider.Grant.find(found.grantId);
      if (!grant || grant.accountId !== found.accountId || grant.clientId !== found.clientId) return undefined;
      return {
        userId: found.accountId,
        clientId: found.clientId!,
        scopes: (found.scope ?? '').split(' ').filter(Boolean),
        grantId: found.grantId,
        audience,
      };
    },

    /** What the learner is asked to allow, for the interaction bound to this browser's cookie. */
    async consentDetails(req: IncomingMessage, res: ServerResponse): Promise<ConsentDetails> {
      const details = await interaction(req, res);
      const clientId = String(details.params.client_id);
      const client = await provider.Client.find(clientId);
      if (!client) throw new DomainError('not-found', 'The application asking for access is no longer registered.');
      const redirectUri = String(details.params.redirect_uri ?? client.redirectUris?.[0] ?? '');
      const redirectHost = hostOf(redirectUri);
      const meta = client.metadata();
      const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
      return {
        uid: details.uid,
        client: {
          id: clientId,
          name: text(meta.client_name) ?? clientId,
          logoUri: text(meta.logo_uri),
          clientUri: text(meta.client_uri),
          policyUri: text(meta.policy_uri),
          tosUri: text(meta.tos_uri),
        },
        redirectHost,
        scopes: knownScopes(String(details.params.scope ?? '')).map((scope) => ({
          scope,
          words: words[scope]!,
        })),
      };
    },

    /** The learner's answer: a grant of the requested scopes, or a denial. Returns where the browser goes next. */
    async decide(req: IncomingMessage, res: ServerResponse, userId: string, allow: boolean): Promise<string> {
      const details = await interaction(req, res);
      if (!allow) {
        return provider.interactionResult(
          req,
          res,
          { error: 'access_denied', error_description: 'The learner did not allow access.' },
          { mergeWithLastSubmission: false },
        );
      }
      const clientId = String(details.params.client_id);
      const requested = String(details.params.scope ?? '')
        .split(' ')
        .filter(Boolean);
      const resource = resourceOf(details.params);
      const server = resources.get(resource);
      const grant = new provider.Grant({ accountId: userId, clientId });
      const resourceScopes = requested.filter((s) => server?.scopes.includes(s));
      if (server && resourceScopes.length > 0) grant.addResourceScope(resource, resourceScopes.join(' '));
      // Every scope the server knows is also an "OIDC scope" to oidc-provider (that is how clients may register
      // them), so the grant names them on both sides; the access token carries the resource's.
      const known = requested.filter((s) => s === 'openid' || s === 'offline_access' || server?.scopes.includes(s));
      if (known.length > 0) grant.addOIDCScope(known.join(' '));
      const grantId = await grant.save();
      const refusal = await server?.onConsent?.({ userId, clientId, grantId, params: details.params });
      if (refusal) {
        await grant.destroy();
        return provider.interactionResult(
          req,
          res,
          { error: 'access_denied', error_description: refusal },
          { mergeWithLastSubmission: false },
        );
      }
      return provider.interactionResult(
        req,
        res,
        { login: { accountId: userId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    },

    /** The applications a learner allowed, each with the scopes it holds (grants of one client merged). */
    async connectedApplications(userId: string) {
      const grants = await deps.store.grantsOf(userId);
      const byClient = new Map<string, { scopes: Set<string>; since: Date }>();
      for (const grant of grants) {
        const entry = byClient.get(grant.clientId) ?? { scopes: new Set<string>(), since: grant.grantedAt };
        grant.scopes.forEach((s) => entry.scopes.add(s));
        if (grant.grantedAt < entry.since) entry.since = grant.grantedAt;
        byClient.set(grant.clientId, entry);
      }
      const apps = [];
      for (const [clientId, entry] of byClient) {
        const client = await provider.Client.find(clientId);
        const meta = client?.metadata();
        apps.push({
          clientId,
          name: typeof meta?.client_name === 'string' ? meta.client_name : clientId,
          logoUri: typeof meta?.logo_uri === 'string' ? meta.logo_uri : null,
          clientUri: typeof meta?.client_uri === 'string' ? meta.client_uri : null,
          scopes: knownScopes([...entry.scopes].join(' ')).map((scope) => ({ scope, words: words[scope]! })),
          connectedAt: entry.since.toISOString(),
        });
      }
      return apps;
    },

    /** Revokes every grant, code and token the learner gave a client; false when there was none. */
    async disconnect(userId: string, clientId: string): Promise<boolean> {
      return (await deps.store.revokeClient(userId, clientId)) > 0;
    },

    /** Drops expired codes, tokens, sessions and interactions every `periodMs` in a worker process. */
    startSweeping(periodMs = 60 * 60_000): void {
      if (sweepTimer) return;
      const kick = () => {
        sweeping ??= deps.store
          .sweepExpired()
          .catch(() => 0)
          .finally(() => (sweeping = undefined));
      };
      sweepTimer = setInterval(kick, periodMs);
      sweepTimer.unref();
      kick();
    },

    async stop(): Promise<void> {
      if (sweepTimer) clearInterval(sweepTimer);
      sweepTimer = undefined;
      await sweeping;
    },
  };
}

export type OAuthServer = ReturnType<typeof createOAuthServer>;
