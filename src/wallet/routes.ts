import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { Catalog } from '../catalog/catalog.js';
import type { Issuance } from '../issuance/issuance.js';
import { DomainError, conflict } from '../platform/errors.js';
import { access, callerOf } from '../accounts/access.js';
import { problem, sendProblem } from '../platform/http/problems.js';
import { TtlCache } from '../verification/ttl-cache.js';
import type { PlatformVerifier } from '../verification/verifier.js';
import { VcError } from '../vc/errors.js';
import type { InputVerification } from '../vc/verify-input.js';
import {
  achievementOf,
  evidenceOf,
  factsFromAchievement,
  factsFromDefinition,
  issuerFactsOf,
  resultsOf,
} from './facts.js';
import { exportFormats, unavailableReason } from './export/formats.js';
import { credentialOf, walletItem, walletListing, walletStatuses, type WalletFilter } from './listing.js';
import { createWalletImport, type ImportInput } from './importing.js';
import type { Holding, Wallet } from './wallet.js';
import type { Identities } from '../identities/identities.js';

export interface WalletRouteOptions {
  wallet: Wallet;
  verifier: PlatformVerifier;
  issuance: Pick<Issuance, 'find'>;
  catalog: Pick<Catalog, 'version' | 'issuerProfile'>;
  identities: Pick<Identities, 'didsOf' | 'emailsOf'>;
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Str = Type.String();

const CheckSchema = Type.Object({
  id: Str,
  status: Type.Enum(['passed', 'failed', 'warning', 'skipped', 'unknown']),
  message: Str,
});

const WalletItemSchema = Type.Object({
  id: Str,
  kind: Type.Enum(['issued', 'imported']),
  format: Type.Enum(['ldp_vc', 'jwt', 'ob2']),
  name: Str,
  description: Nullable(Str),
  issuer: Type.Object({ id: Nullable(Str), name: Nullable(Str) }),
  skills: Type.Array(Type.Object({ name: Str, code: Nullable(Str), framework: Nullable(Str) })),
  facts: Type.Array(Type.Object({ label: Str, value: Str })),
  image: Nullable(Str),
  issuedAt: Nullable(Str),
  validUntil: Nullable(Str),
  addedAt: Str,
  status: Type.Enum([...walletStatuses]),
  source: Nullable(Str),
});

const VerdictSchema = Type.Object({
  verified: Type.Boolean(),
  checkedAt: Str,
  checks: Type.Array(CheckSchema),
  /** Why the credential could not be checked at all (unreadable, its issuer unreachable). */
  error: Nullable(Str),
  issuerTrust: Type.Optional(
    Type.Object(
      {
        known: Type.Boolean(),
        name: Type.Optional(Str),
        registry: Type.Optional(Str),
        url: Type.Optional(Str),
      },
      { additionalProperties: true },
    ),
  ),
});

const FactsSchema = Type.Object({
  name: Nullable(Str),
  description: Nullable(Str),
  criteria: Nullable(Str),
  achievementType: Nullable(Str),
  learningOutcomes: Type.Array(Str),
  workloadHours: Nullable(Type.Number()),
  workload: Nullable(Str),
  ectsCredits: Nullable(Type.Number()),
  eqfLevel: Nullable(Type.Integer()),
  nqfLevel: Nullable(Str),
  assessmentType: Nullable(Str),
  participationForm: Nullable(Str),
  qualityAssurance: Nullable(Str),
  skills: Type.Array(Type.Object({ name: Str, code: Nullable(Str), framework: Nullable(Str), url: Nullable(Str) })),
  alignments: Type.Array(Type.Object({ name: Str, type: Nullable(Str), framework: Nullable(Str), url: Nullable(Str) })),
});

const IssuerSchema = Type.Object({
  id: Nullable(Str),
  name: Nullable(Str),
  url: Nullable(Str),
  email: Nullable(Str),
  country: Nullable(Str),
  qualityAssurance: Nullable(
    Type.Object({
      accreditingBody: Str,
      accreditationId: Type.Optional(Str),
      framework: Type.Optional(Str),
      validUntil: Type.Optional(Str),
    }),
  ),
});

const DetailSchema = Type.Object({
  holding: WalletItemSchema,
  verification: VerdictSchema,
  achievement: FactsSchema,
  /** Where the achievement facts come from: this instance's catalog, or the credential itself. */
  factsFrom: Type.Enum(['catalog', 'credential']),
  issuer: IssuerSchema,
  results: Type.Array(Type.Object({ label: Str, value: Nullable(Str), status: Nullable(Str), detail: Nullable(Str) })),
  evidence: Type.Array(Type.Object({ name: Nullable(Str), narrative: Nullable(Str), url: Nullable(Str) })),
  revocationReason: Nullable(Str),
  sourceUrl: Nullable(Str),
  /** The credential as held: its JSON, or the compact JWT/JWS. */
  document: Type.Unknown(),
  /** Each download format, with why it cannot be had (null when it can): the export route's own rule. */
  exports: Type.Array(Type.Object({ format: Type.Enum([...exportFormats]), unavailable: Nullable(Str) })),
});

const ImportBody = Type.Union([
  Type.Object(
    { text: Type.String({ minLength: 1, description: 'A credential as JSON, or a VC-JWT' }) },
    {
      additionalProperties: false,
    },
  ),
  Type.Object(
    { url: Type.String({ minLength: 1, maxLength: 2000, description: 'Where the credential is served' }) },
    {
      additionalProperties: false,
    },
  ),
  Type.Object(
    { image: Type.String({ minLength: 1, description: 'base64 of a baked PNG or SVG' }) },
    {
      additionalProperties: false,
    },
  ),
]);

type Verdict = Static<typeof VerdictSchema>;

function verdictOf(result: InputVerification): Verdict {
  const trust = (result as { issuerTrust?: Verdict['issuerTrust'] }).issuerTrust;
  return {
    verified: result.verified,
    checkedAt: new Date().toISOString(),
    checks: result.checks,
    error: null,
    ...(trust ? { issuerTrust: trust } : {}),
  };
}

export async function walletRoutes(base: FastifyInstance, options: WalletRouteOptions) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { wallet, verifier, catalog } = options;
  const walletImport = createWalletImport(options);
  // The list re-checks imports (revocation, expiry) but not on every keystroke of a search: briefly cached.
  const listVerdicts = new TtlCache<InputVerification>(30_000, 10_000);

  const verifyHolding = (holding: Holding) => verifier.verify({ text: holding.document });

  const liveCheckLimit = { max: 120, timeWindow: '1 minute' };

  app.get(
    '/api/me/wallet',
    {
      // Listing re-checks imported credentials (cached briefly) and may fetch their issuers' status lists.
      config: { access: access.user, rateLimit: liveCheckLimit },
      schema: {
        tags: ['wallet'],
        summary: 'Your wallet: credentials issued to you here and those you imported, with search and filters',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 200, description: 'Words in the name, issuer or skills' })),
            issuer: Type.Optional(Type.String({ maxLength: 500, description: "An issuer's id or name" })),
            skill: Type.Optional(Type.String({ maxLength: 500, description: "A skill's name or code" })),
            status: Type.Optional(Type.Enum([...walletStatuses])),
            expiringWithinDays: Type.Optional(
              Type.String({
                pattern: '^[0-9]{1,4}$',
                description: 'Still valid, expiring within this many days',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            total: Type.Integer({ description: 'Holdings before filtering' }),
            items: Type.Array(WalletItemSchema),
            facets: Type.Object({
              issuers: Type.Array(Type.Object({ id: Nullable(Str), name: Nullable(Str) })),
              skills: Type.Array(Str),
            }),
          }),
        },
      },
    },
    async (request) => {
      const holdings = await wallet.holdings(callerOf(request).user.id);
      const verdicts = new Map<string, InputVerification>();
      await Promise.all(
        holdings
          .filter((h) => h.kind === 'imported')
          .map(async (h) => {
            // An import that cannot be checked right now lists as 'unverified', not as an error.
            const result = await listVerdicts.get(h.id, () => verifyHolding(h)).catch(() => undefined);
            if (result) verdicts.set(h.id, result);
          }),
      );
      const { expiringWithinDays, ...rest } = request.query;
      const filter: WalletFilter = {
        ...rest,
        ...(expiringWithinDays !== undefined ? { expiringWithinDays: Number(expiringWithinDays) } : {}),
      };
      return walletListing(holdings, verdicts, filter, new Date());
    },
  );

  app.get(
    '/api/me/wallet/:holdingId',
    {
      // A live verification on every view: it may fetch the issuer's DID and status list.
      config: { access: access.user, rateLimit: liveCheckLimit },
      schema: {
        tags: ['wallet'],
        summary: 'One credential in your wallet: every fact about it and a verification verdict checked just now',
        params: Type.Object({ holdingId: Type.String({ maxLength: 100 }) }),
        response: { 200: DetailSchema },
      },
    },
    async (request) => {
      const holding = await wallet.holding(callerOf(request).user.id, request.params.holdingId);
      let verification: Verdict;
      let live: InputVerification | undefined;
      try {
        live = await verifyHolding(holding);
        verification = verdictOf(live);
        listVerdicts.delete(holding.id);
      } catch (error) {
        if (!(error instanceof VcError || error instanceof DomainError)) throw error;
        verification = {
          verified: false,
          checkedAt: new Date().toISOString(),
          checks: [],
          error: `The credential could not be checked just now: ${error.message}`,
        };
      }
      const credential = credentialOf(holding) ?? {};
      const now = new Date();
      const item = walletItem(holding, live, now);
      const exports = exportFormats.map((format) => ({
        format,
        unavailable: unavailableReason(holding, format) ?? null,
      }));
      const record = holding.issued;
      if (record?.achievementId && record.achievementVersion !== null) {
        const [version, profile] = await Promise.all([
          catalog.version(record.achievementId, record.achievementVersion),
          catalog.issuerProfile(record.orgId),
        ]);
        return {
          holding: item,
          verification,
          achievement: factsFromDefinition(version.definition),
          factsFrom: 'catalog' as const,
          issuer: issuerFactsOf(profile),
          results: resultsOf(credential),
          evidence: evidenceOf(credential),
          revocationReason: record.revocationReason,
          sourceUrl: null,
          document: holding.format === 'ldp_vc' ? credential : holding.document,
          exports,
        };
      }
      // OB 2.0 assertions name their badge and issuer by URL: the live check fetched them (summary).
      const summary = live?.summary;
      const facts = factsFromAchievement(achievementOf(credential));
      return {
        holding: item,
        verification,
        achievement: {
          ...facts,
          name: facts.name ?? summary?.achievement?.name ?? null,
          description: facts.description ?? summary?.achievement?.description ?? null,
          criteria: facts.criteria ?? summary?.achievement?.criteria ?? null,
          skills: facts.skills.length
            ? facts.skills
            : (summary?.skills ?? []).map((s) => ({
                name: s.name,
                code: s.code ?? null,
                framework: s.framework ?? null,
                url: s.url ?? null,
              })),
        },
        factsFrom: 'credential' as const,
        issuer:
          credential.issuer !== undefined
            ? issuerFactsOf(credential.issuer)
            : { ...issuerFactsOf(summary?.issuer), qualityAssurance: null },
        results: resultsOf(credential),
        evidence: evidenceOf(credential),
        revocationReason: record?.revocationReason ?? null,
        sourceUrl: holding.imported?.sourceUrl ?? null,
        document: holding.format === 'jwt' || !holding.document.trim().startsWith('{') ? holding.document : credential,
        exports,
      };
    },
  );

  app.post(
    '/api/me/wallet/import',
    {
      config: { access: access.user, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['wallet'],
        summary:
          'Add a credential issued to you elsewhere: JSON, VC-JWT, a baked PNG or SVG (base64), a URL, or an ' +
          'Open Badges 2.0 assertion. It is verified first and must name you as its recipient.',
        body: ImportBody,
        response: {
          201: Type.Object({ holding: WalletItemSchema, expired: Type.Boolean(), message: Str }),
        },
      },
    },
    async (request, reply) => {
      const result = await walletImport.importCredential(callerOf(request).user, request.body as ImportInput);
      if (result.outcome === 'refused') {
        return sendProblem(
          reply,
          problem(
            result.status,
            `wallet-${result.reason}`,
            result.status === 409 ? 'Already in your wallet' : 'Not added to your wallet',
            result.message,
            {
              instance: request.url,
              reason: result.reason,
              checks: result.failedChecks,
              ...(result.holdingId ? { holdingId: result.holdingId } : {}),
            },
          ),
        );
      }
      listVerdicts.delete(result.holding.id);
      return reply.code(201).send({
        holding: walletItem(result.holding, result.verification, new Date()),
        expired: result.expired,
        message: result.message,
      });
    },
  );

  app.delete(
    '/api/me/wallet/:holdingId',
    {
      // The same limit as the wallet routes around it.
      config: { access: access.user, rateLimit: liveCheckLimit },
      schema: {
        tags: ['wallet'],
        summary: 'Remove a credential you imported (credentials issued here stay; only their issuer can withdraw them)',
        params: Type.Object({ holdingId: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request, reply) => {
      const userId = callerOf(request).user.id;
      const holding = await wallet.holding(userId, request.params.holdingId);
      if (holding.kind === 'issued') {
        throw conflict(
          'This credential was issued to you on this instance, so it stays in your wallet: only its issuer can ' +
            'revoke it. You can keep it private by not sharing it.',
        );
      }
      await wallet.removeImported(userId, holding.id);
      listVerdicts.delete(holding.id);
      return reply.code(204).send();
    },
  );
}
