import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { invalid } from '../platform/errors.js';
import { access, callerOf } from '../accounts/access.js';
import { looksLikeJwt } from '../vc/jwt.js';
import type { Identities } from './identities.js';

const LinkedDidSchema = Type.Object({ did: Type.String(), verifiedAt: Type.String({ format: 'date-time' }) });
const LinkedEmailSchema = Type.Object({ email: Type.String(), verifiedAt: Type.String({ format: 'date-time' }) });

// A presentation for DID Auth holds a proof and, at most, a few credentials.
const maxPresentationChars = 256 * 1024;

/** The presentation as sent: a JSON object, or its text pasted from a wallet. */
function presentationOf(sent: unknown): unknown {
  if (typeof sent !== 'string') return sent;
  const text = sent.trim();
  if (looksLikeJwt(text))
    throw invalid(
      'Presentations as JWTs are not accepted here yet: sign the presentation with Data Integrity (eddsa-rdfc-2022).',
      { field: 'presentation' },
    );
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid('The presentation is not valid JSON.', { field: 'presentation' });
  }
}

export async function identitiesRoutes(base: FastifyInstance, { identities }: { identities: Identities }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/me/identities',
    {
      config: { access: access.user },
      schema: {
        tags: ['identities'],
        summary:
          'The identities credentials may name you by: your account email, extra addresses you confirmed and the ' +
          'DIDs you proved to control',
        response: {
          200: Type.Object({
            email: Type.String(),
            emails: Type.Array(LinkedEmailSchema),
            dids: Type.Array(LinkedDidSchema),
          }),
        },
      },
    },
    async (request) => {
      const { user } = callerOf(request);
      const [emails, dids] = await Promise.all([identities.emails(user.id), identities.dids(user.id)]);
      return {
        email: user.email,
        emails: emails.map((e) => ({ email: e.email, verifiedAt: e.verifiedAt.toISOString() })),
        dids: dids.map((d) => ({ did: d.did, verifiedAt: d.verifiedAt.toISOString() })),
      };
    },
  );

  app.post(
    '/api/me/identities/did/challenge',
    {
      config: { access: access.user, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['identities'],
        summary: 'A one-time challenge (10 minutes) and the domain to sign a DID Auth presentation for, to link a DID',
        response: {
          201: Type.Object({
            challenge: Type.String(),
            domain: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const issued = await identities.challenge(callerOf(request).user.id);
      return reply.code(201).send({ ...issued, expiresAt: issued.expiresAt.toISOString() });
    },
  );

  app.post(
    '/api/me/identities/did',
    {
      // Verifying may resolve a did:web through the guarded fetcher.
      config: { access: access.user, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['identities'],
        summary:
          'Link a DID: a Verifiable Presentation whose holder is the DID, signed by its key (eddsa-rdfc-2022, ' +
          'proofPurpose authentication) over your challenge and this domain',
        body: Type.Object(
          {
            presentation: Type.Union([
              Type.Object({}, { additionalProperties: true }),
              Type.String({ minLength: 1, maxLength: maxPresentationChars }),
            ]),
          },
          { additionalProperties: false },
        ),
        response: { 201: LinkedDidSchema },
      },
    },
    async (request, reply) => {
      const linked = await identities.linkDid(callerOf(request).user.id, presentationOf(request.body.presentation));
      return reply.code(201).send({ did: linked.did, verifiedAt: linked.verifiedAt.toISOString() });
    },
  );

  app.delete(
    '/api/me/identities/did/:did',
    {
      config: { access: access.user },
      schema: {
        tags: ['identities'],
        summary: 'Unlink a DID: credentials naming it can no longer be added to your wallet',
        params: Type.Object({ did: Type.String({ minLength: 1, maxLength: 2048 }) }),
      },
    },
    async (request, reply) => {
      await identities.unlinkDid(callerOf(request).user.id, request.params.did);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/me/identities/email',
    {
      // Each request writes a message to the outbox: a tight limit keeps it from being used to send mail.
      config: { access: access.user, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['identities'],
        summary: 'Add an email address: a confirmation link (valid 24 hours) is sent to it',
        body: Type.Object({ email: Type.String({ maxLength: 254 }) }, { additionalProperties: false }),
        response: { 202: Type.Object({ email: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (request, reply) => {
      const { user } = callerOf(request);
      const pending = await identities.requestEmail(user.id, user.email, request.body.email);
      return reply.code(202).send({ email: pending.email, expiresAt: pending.expiresAt.toISOString() });
    },
  );

  app.post(
    '/api/identities/email/:token',
    {
      config: { access: access.user, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['identities'],
        summary: 'Confirm an email address from the link sent to it (signed in to the account that asked)',
        params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: LinkedEmailSchema },
      },
    },
    async (request) => {
      const linked = await identities.confirmEmail(callerOf(request).user.id, request.params.token);
      return { email: linked.email, verifiedAt: linked.verifiedAt.toISOString() };
    },
  );

  app.delete(
    '/api/me/identities/email/:email',
    {
      config: { access: access.user },
      schema: {
        tags: ['identities'],
        summary: 'Remove a confirmed extra email address',
        params: Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) }),
      },
    },
    async (request, reply) => {
      await identities.unlinkEmail(callerOf(request).user.id, request.params.email);
      return reply.code(204).send();
    },
  );
}
