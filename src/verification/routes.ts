import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError, invalid } from '../platform/errors.js';
import { access } from '../accounts/access.js';
import type { IssuerTrust } from '../trust/check.js';
import { looksLikeJwt } from '../vc/jwt.js';
import type { Check } from '../vc/verify.js';
import { batchLimits, verifyBatch } from './batch.js';
import { verificationFor } from './outcome.js';
import type { PlatformVerifier } from './verifier.js';

const CheckSchema = Type.Object({
  id: Type.String(),
  status: Type.Enum(['passed', 'failed', 'warning', 'skipped', 'unknown']),
  message: Type.String(),
});
const Finding = Type.Object({ check: Type.String(), message: Type.String() });
export const IssuerTrustSchema = Type.Object(
  {
    known: Type.Boolean({ description: "Whether this instance's registry of trusted issuers lists the issuer" }),
    name: Type.Optional(Type.String({ description: "The issuer's name as the registry knows it" })),
    registry: Type.Optional(Type.String({ description: 'The registry that lists it' })),
    url: Type.Optional(Type.String()),
  },
  { description: 'What this instance knows of the issuer; the credential names itself in `summary.issuer`' },
);
const VcApiResult = Type.Object(
  {
    verified: Type.Boolean(),
    checks: Type.Array(Type.String(), { description: 'The checks that were run' }),
    warnings: Type.Array(Finding),
    errors: Type.Array(Finding),
    details: Type.Array(CheckSchema, { description: 'Every check with its outcome, in plain words' }),
    issuerTrust: Type.Optional(IssuerTrustSchema),
  },
  { additionalProperties: true },
);

/** VC-API's result shape: the checks run, then warnings and errors, plus our per-check details. */
export function vcApiResult(result: { verified: boolean; checks: Check[]; issuerTrust?: IssuerTrust }) {
  const ran = result.checks.filter((c) => c.status !== 'skipped');
  return {
    verified: result.verified,
    checks: ran.map((c) => c.id),
    warnings: result.checks.filter((c) => c.status === 'warning').map((c) => ({ check: c.id, message: c.message })),
    errors: result.checks.filter((c) => c.status === 'failed').map((c) => ({ check: c.id, message: c.message })),
    details: result.checks,
    ...(result.issuerTrust ? { issuerTrust: result.issuerTrust } : {}),
  };
}

export async function verificationRoutes(base: FastifyInstance, { verifier }: { verifier: PlatformVerifier }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  // Verification is public and can make the server fetch foreign documents: keep it from being a cannon.
  const rateLimit = { max: 300, timeWindow: '1 minute' };

  app.post(
    '/credentials/verify',
    {
      config: { access: access.public, rateLimit },
      schema: {
        tags: ['vc-api'],
        summary: 'VC-API verify: 200 when the credential verifies, 422 with the reasons when it does not',
        body: Type.Object(
          {
            verifiableCredential: Type.Union([Type.Object({}, { additionalProperties: true }), Type.String()]),
            options: Type.Optional(Type.Object({}, { additionalProperties: true })),
          },
          { additionalProperties: false },
        ),
        response: { 200: VcApiResult, 422: VcApiResult },
      },
    },
    async (request, reply) => {
      const given = request.body.verifiableCredential;
      // VC-API: a credential is a JSON object, or a VC-JWT as a string; JSON text in a string is neither.
      if (typeof given === 'string' && !looksLikeJwt(given.trim())) {
        throw invalid('verifiableCredential is a string but not a VC-JWT: send the credential as a JSON object.', {
          field: 'verifiableCredential',
        });
      }
      const result = await verificationFor(() =>
        verifier.verify(typeof given === 'string' ? { text: given } : { json: given }, { client: request.ip }),
      );
      return reply.code(result.verified ? 200 : 422).send(vcApiResult(result));
    },
  );

  app.post(
    '/presentations/verify',
    {
      config: { access: access.public, rateLimit },
      schema: {
        tags: ['vc-api'],
        summary: 'VC-API verify presentation: the holder proof (challenge, domain) and every credential in it',
        body: Type.Object(
          {
            verifiablePresentation: Type.Object({}, { additionalProperties: true }),
            options: Type.Optional(
              Type.Object(
                { challenge: Type.Optional(Type.String()), domain: Type.Optional(Type.String()) },
                { additionalProperties: true },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Intersect([VcApiResult, Type.Object({ credentialResults: Type.Array(VcApiResult) })]),
          422: Type.Intersect([VcApiResult, Type.Object({ credentialResults: Type.Array(VcApiResult) })]),
        },
      },
    },
    async (request, reply) => {
      const options = request.body.options ?? {};
      const result = await verificationFor(
        () =>
          verifier.verifyPresentation(
            request.body.verifiablePresentation,
            {
              ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
              ...(options.domain !== undefined ? { domain: options.domain } : {}),
            },
            { client: request.ip },
          ),
        (presentation) => presentation.credentials,
      );
      const body = {
        ...vcApiResult(result),
        credentialResults: result.credentials.map((c) => vcApiResult(c)),
      };
      return reply.code(result.verified ? 200 : 422).send(body);
    },
  );

  app.post(
    '/api/verify',
    {
      config: { access: access.public, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['verification'],
        summary: 'Verify anything a person has: pasted JSON or JWT, a baked PNG or SVG (base64), or a URL',
        body: Type.Union([
          Type.Object({ text: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
          Type.Object({ url: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
          Type.Object(
            { image: Type.String({ minLength: 1, description: 'base64 of a PNG or SVG' }) },
            { additionalProperties: false },
          ),
        ]),
      },
    },
    async (request) => {
      const body = request.body as { text?: string; url?: string; image?: string };
      const result = await verificationFor(() =>
        body.url !== undefined
          ? verifier.verifyUrl(body.url, { client: request.ip })
          : body.image !== undefined
            ? verifier.verify({ bytes: Buffer.from(body.image, 'base64') }, { client: request.ip })
            : verifier.verify({ text: body.text! }, { client: request.ip }),
      );
      return {
        ...vcApiResult(result),
        format: result.format,
        baked: result.baked ?? null,
        summary: result.summary ?? null,
        credential: result.credential ?? null,
        jwt: result.jwt ?? null,
      };
    },
  );

  app.post(
    '/api/verify/batch',
    {
      // Each item costs about what one /api/verify does: fewer batches than single checks per minute.
      config: { access: access.public, rateLimit: { max: 10, timeWindow: '1 minute' } },
      bodyLimit: batchLimits.maxBodyBytes,
      // Refused from the declared length before the body is read, with a message a person can act on.
      preParsing: async (request) => {
        if (Number(request.headers['content-length'] ?? 0) > batchLimits.maxBodyBytes) {
          throw new DomainError(
            'too-large',
            `A batch may be at most ${batchLimits.totalChars / 1024 / 1024} MiB in all; split it into smaller batches.`,
          );
        }
      },
      schema: {
        tags: ['verification'],
        summary: `Verify up to ${batchLimits.items} credentials at once (text, URL or base64 image each); one result per item, in order`,
        body: Type.Object(
          {
            items: Type.Array(
              Type.Object(
                {
                  text: Type.Optional(Type.String()),
                  url: Type.Optional(Type.String({ maxLength: 2000 })),
                  image: Type.Optional(Type.String({ description: 'base64 of a PNG or SVG, or of a credential file' })),
                  label: Type.Optional(Type.String({ maxLength: 300, description: 'A name to show with the result' })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            counts: Type.Object({ verified: Type.Integer(), notVerified: Type.Integer(), errors: Type.Integer() }),
            results: Type.Array(
              Type.Object({
                index: Type.Integer(),
                label: Type.Union([Type.String(), Type.Null()]),
                verdict: Type.Enum(['verified', 'not-verified', 'error']),
                headline: Type.String({ description: 'The verdict in one plain sentence' }),
                issuer: Type.Union([
                  Type.Object({
                    id: Type.Union([Type.String(), Type.Null()]),
                    name: Type.Union([Type.String(), Type.Null()], {
                      description: "The registry's name for a known issuer, else the name it gives itself",
                    }),
                    claimedName: Type.Union([Type.String(), Type.Null()]),
                  }),
                  Type.Null(),
                ]),
                issuerTrust: Type.Union([IssuerTrustSchema, Type.Null()]),
                achievement: Type.Union([Type.String(), Type.Null()]),
                recipient: Type.Union([Type.String(), Type.Null()]),
                checks: Type.Array(CheckSchema),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const results = await verifyBatch(
        verifier,
        request.body.items,
        (error) => request.log.error({ err: error }, 'batch item failed'),
        { client: request.ip },
      );
      return {
        counts: {
          verified: results.filter((r) => r.verdict === 'verified').length,
          notVerified: results.filter((r) => r.verdict === 'not-verified').length,
          errors: results.filter((r) => r.verdict === 'error').length,
        },
        results,
      };
    },
  );
}
