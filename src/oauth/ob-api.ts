import { DomainError, conflict, invalid } from '../platform/errors.js';
import type { WalletImport } from '../wallet/importing.js';
import type { Holding, Wallet } from '../wallet/wallet.js';
import { obScopes } from './scopes.js';
import { oauthPrefix, obApiPath } from './server.js';
import type { OAuthStore } from './store.js';

/**
 * The 1EdTech Open Badges 3.0 REST API (OB 3.0 §6) over a learner's wallet: list the OB 3.0 credentials held,
 * upsert one from another platform (verified and recipient-checked like any wallet import), read and update the
 * learner's Profile. Access is decided by the routes (OAuth 2.0 scopes); this works on one learner's data.
 */
export interface ObApiDeps {
  wallet: Pick<Wallet, 'holdings' | 'removeImported' | 'storeImported'>;
  walletImport: Pick<WalletImport, 'importCredential'>;
  user: (userId: string) => Promise<{ id: string; email: string; emailConfirmed: boolean; name: string } | undefined>;
  store: Pick<OAuthStore, 'profileOf' | 'saveProfile'>;
  publicUrl: string;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;

export const obLimits = { maxPageSize: 100, defaultPageSize: 20 };

/** The payload of a compact JWS, or undefined when it is not one. */
function jwsPayload(jws: string): Obj | undefined {
  const parts = jws.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return obj(JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

/** The credential itself: the JSON document, or the VC inside a VC-JWT (VC-JOSE 2.0 payload, or VC 1.1 `vc`). */
function credentialOf(holding: Pick<Holding, 'format' | 'document'>): Obj | undefined {
  if (holding.format === 'jwt') {
    const payload = jwsPayload(holding.document);
    return obj(payload?.vc) ?? payload;
  }
  try {
    return obj(JSON.parse(holding.document));
  } catch {
    return undefined;
  }
}

function isOpenBadge(credential: Obj | undefined): boolean {
  const types = [credential?.type].flat();
  return types.includes('OpenBadgeCredential') || types.includes('AchievementCredential');
}

const credentialIdOf = (credential: Obj | undefined, jws?: Obj) =>
  (typeof credential?.id === 'string' && credential.id) || (typeof jws?.jti === 'string' && jws.jti) || undefined;

/** The fields of a Profile a client may set; `id`, `type` and `email` are the account's. */
const profileFields = [
  'name',
  'description',
  'url',
  'phone',
  'givenName',
  'familyName',
  'additionalName',
  'patronymicName',
  'honorificPrefix',
  'honorificSuffix',
  'familyNamePrefix',
  'dateOfBirth',
] as const;

export type UpsertInput = { credential: Obj } | { jws: string };
export type UpsertOutcome =
  { status: 200 | 201; credential: Obj } | { status: 200 | 201; jws: string } | { status: 304 };

export function createObApi(deps: ObApiDeps) {
  const base = `${deps.publicUrl}${obApiPath}`;

  async function userOf(userId: string) {
    const user = await deps.user(userId);
    if (!user) throw new DomainError('unauthenticated', 'The account this token was issued for no longer exists.');
    return user;
  }

  async function restore(imported: NonNullable<Holding['imported']>) {
    const { importedAt: _importedAt, ...record } = imported;
    await deps.wallet.storeImported(record);
  }

  async function profile(userId: string): Promise<Obj> {
    const user = await userOf(userId);
    const stored = (await deps.store.profileOf(userId)) ?? {};
    return {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: `urn:uuid:${user.id}`,
      type: 'Profile',
      name: user.name,
      ...stored,
      email: user.email,
    };
  }

  return {
    profile,

    /** The Service Description Document (OB 3.0 §6.3): an OpenAPI 3.0 document naming the OAuth 2.0 endpoints. */
    discovery() {
      const oauth = `${deps.publicUrl}${oauthPrefix}`;
      return {
        openapi: '3.0.1',
        info: {
          title: 'Skillproof',
          version: '3.0',
          description: 'The Open Badges 3.0 API of this Skillproof instance: a learner wallet.',
          termsOfService: `${deps.publicUrl}/terms`,
          'x-imssf-image': `${deps.publicUrl}/favicon.svg`,
          'x-imssf-privacyPolicyUrl': `${deps.publicUrl}/privacy`,
        },
        servers: [{ url: base, description: 'Open Badges 3.0 API' }],
        tags: [
          { name: 'OpenBadgeCredentials', description: 'Exchange OpenBadgeCredentials and Profile information.' },
          { name: 'Discovery' },
        ],
        paths: {
          '/credentials': {
            get: {
              tags: ['OpenBadgeCredentials'],
              operationId: 'getCredentials',
              security: [{ OAuth2ACG: [obScopes.credentialRead] }],
            },
            post: {
              tags: ['OpenBadgeCredentials'],
              operationId: 'upsertCredential',
              security: [{ OAuth2ACG: [obScopes.credentialUpsert] }],
            },
          },
          '/profile': {
            get: {
              tags: ['OpenBadgeCredentials'],
              operationId: 'getProfile',
              security: [{ OAuth2ACG: [obScopes.profileRead] }],
            },
            put: {
              tags: ['OpenBadgeCredentials'],
              operationId: 'putProfile',
              security: [{ OAuth2ACG: [obScopes.profileUpdate] }],
            },
          },
          '/discovery': { get: { tags: ['Discovery'], operationId: 'getServiceDescription' } },
        },
        components: {
          securitySchemes: {
            OAuth2ACG: {
              type: 'oauth2',
              description: 'OAuth 2.0 Authorization Code Grant authorization (PKCE with S256 required)',
              'x-imssf-name': 'Skillproof',
              'x-imssf-registrationUrl': `${oauth}/reg`,
              flows: {
                authorizationCode: {
                  tokenUrl: `${oauth}/token`,
                  authorizationUrl: `${oauth}/auth`,
                  refreshUrl: `${oauth}/token`,
                  scopes: {
                    [obScopes.credentialRead]:
                      'Permission to read AchievementCredentials for the authenticated entity.',
                    [obScopes.credentialUpsert]:
                      'Permission to create or update AchievementCredentials for the authenticated entity.',
                    [obScopes.profileRead]: 'Permission to read the profile for the authenticated entity.',
                    [obScopes.profileUpdate]: 'Permission to update the profile for the authenticated entity.',
                  },
                },
              },
            },
          },
        },
      };
    },

    /** One page of the learner's OB 3.0 credentials (newest first), and how many there are in all. */
    async credentials(userId: string, page: { limit: number; offset: number; since?: Date | undefined }) {
      const held = (await deps.wallet.holdings(userId)).filter(
        (h) => h.format !== 'ob2' && (!page.since || h.addedAt >= page.since) && isOpenBadge(credentialOf(h)),
      );
      const slice = held.slice(page.offset, page.offset + page.limit);
      const credential: Obj[] = [];
      const compactJwsString: string[] = [];
      for (const holding of slice) {
        if (holding.format === 'jwt') compactJwsString.push(holding.document);
        else credential.push(credentialOf(holding)!);
      }
      return {
        total: held.length,
        body: {
          ...(credential.length > 0 ? { credential } : {}),
          ...(compactJwsString.length > 0 ? { compactJwsString } : {}),
        },
      };
    },

    /**
     * Puts a credential into the learner's wallet, or replaces the one with the same id: 201 when new, 200 when
     * replaced, 304 when the wallet holds it unchanged. It must verify and name the learner, like any import.
     */
    async upsert(userId: string, input: UpsertInput): Promise<UpsertOutcome> {
      const jws = 'jws' in input ? input.jws.trim() : undefined;
      const payload = jws === undefined ? undefined : jwsPayload(jws);
      if (jws !== undefined && !payload) throw invalid('The body is not a compact JWS (a VC-JWT).');
      const credential = 'credential' in input ? input.credential : (obj(payload?.vc) ?? payload);
      if (!isOpenBadge(credential)) {
        throw invalid('The credential is not an Open Badges 3.0 credential (type OpenBadgeCredential).');
      }
      const text = jws ?? JSON.stringify(credential);
      const id = credentialIdOf(credential, payload);
      const holdings = await deps.wallet.holdings(userId);
      const held = id ? holdings.find((h) => (h.imported?.credentialId ?? h.issued?.credentialId) === id) : undefined;
      if (held && sameDocument(held.document, text)) return { status: 304 };
      if (held?.kind === 'issued') {
        throw conflict(
          'This credential was issued to you here; the issuer keeps it, and another copy cannot replace it.',
        );
      }
      const user = await userOf(userId);
      // The wallet keeps one copy per issuer and credential id: the old copy makes way, and comes back if the
      // new one is refused.
      if (held?.imported) await deps.wallet.removeImported(userId, held.id);
      const outcome = await deps.walletImport.importCredential(user, { text }).catch(async (error: unknown) => {
        if (held?.imported) await restore(held.imported);
        throw error;
      });
      if (outcome.outcome === 'refused') {
        if (held?.imported) await restore(held.imported);
        if (outcome.reason === 'already-held') return { status: 304 };
        throw invalid(outcome.message, { reason: outcome.reason });
      }
      const status = held ? 200 : 201;
      return jws !== undefined ? { status, jws } : { status, credential: credential as Obj };
    },

    /** Replaces the Profile's fields a client may set; the account's email cannot be changed this way. */
    async updateProfile(userId: string, input: Obj): Promise<Obj> {
      const user = await userOf(userId);
      if (![input.type].flat().includes('Profile')) throw invalid('The body is not a Profile (type "Profile").');
      if (input.email !== undefined && input.email !== user.email) {
        throw invalid('The email address is the account’s; change it in the account settings on Skillproof.');
      }
      const kept: Obj = {};
      for (const field of profileFields) {
        const value = input[field];
        if (value === undefined) continue;
        if (typeof value !== 'string' || value.length > 2000)
          throw invalid(`"${field}" must be a text of at most 2000 characters.`);
        kept[field] = value;
      }
      await deps.store.saveProfile(userId, kept);
      return profile(userId);
    },
  };
}

function sameDocument(held: string, text: string): boolean {
  if (held === text) return true;
  try {
    return JSON.stringify(JSON.parse(held)) === JSON.stringify(JSON.parse(text));
  } catch {
    return false;
  }
}

export type ObApi = ReturnType<typeof createObApi>;
