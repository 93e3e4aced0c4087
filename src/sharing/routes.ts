import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { readerLocale } from '../platform/dates.js';
import { conflict, invalid } from '../platform/errors.js';
import { access, callerOf } from '../accounts/access.js';
import { problem, sendProblem } from '../platform/http/problems.js';
import { looksLikeJwt } from '../vc/jwt.js';
import { certificatePdf } from './certificate.js';
import { credentialPage, embedCard, messagePage, profilePage, type CredentialPageModel } from './pages.js';
import { actionKinds, type CredentialFacts, type Sharing } from './sharing.js';

const HoldingParams = Type.Object({ holdingId: Type.String({ maxLength: 100 }) });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });

const Links = Type.Object({
  url: Type.String(),
  linkedInProfile: Type.String(),
  linkedInFeed: Type.String(),
  email: Type.String(),
  embed: Type.String({ description: 'An HTML snippet (an iframe of the embed card) to paste into a web page' }),
});
const ShareView = Type.Object({
  holdingId: Type.String(),
  token: Type.String(),
  url: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  links: Links,
});
const Counts = Type.Object({
  views: Type.Integer(),
  actions: Type.Record(Type.String(), Type.Integer()),
});
const Profile = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  enabled: Type.Boolean(),
  holdingIds: Type.Array(Type.String()),
  url: Type.Union([Type.String(), Type.Null()]),
  choices: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }), {
    description: 'Every credential in my wallet, to choose from',
  }),
});

const shareJson = (view: Awaited<ReturnType<Sharing['share']>>) => ({
  ...view,
  createdAt: view.createdAt.toISOString(),
});

const jsonTypes = new Set(['application/vc+ld+json', 'application/ld+json', 'application/json']);
interface Wanted {
  html: boolean;
  json: boolean;
  jwt: boolean;
}
/**
 * What the client asked for: the HTML page unless it names a credential media type before text/html (a
 * browser never does); a client accepting both JSON and a JWT gets the credential as held.
 */
function wanted(accept: string | undefined): Wanted {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const firstCredential = types.findIndex((t) => t === 'application/vc+jwt' || jsonTypes.has(t));
  const htmlAt = types.indexOf('text/html');
  if (firstCredential < 0 || (htmlAt >= 0 && htmlAt < firstCredential)) return { html: true, json: false, jwt: false };
  return { html: false, json: types.some((t) => jsonTypes.has(t)), jwt: types.includes('application/vc+jwt') };
}

function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'Accept, Accept-Language')
    .send(body);
}

const notShared = 'No credential is shared at this address. Check the link, or ask its holder for a new one.';
const withdrawnText = 'Its holder withdrew this credential from public view.';

export async function sharingRoutes(base: FastifyInstance, { sharing }: { sharing: Sharing }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  // Public pages verify on every view and count it: keep a scraper from turning them into a load test.
  const pageRateLimit = { max: 300, timeWindow: '1 minute' };

  app.post(
    '/api/me/wallet/:holdingId/share',
    {
      config: { access: access.user },
      schema: {
        tags: ['sharing'],
        summary: 'Make a credential public (or return its live public link), with every share link',
        description: 'Optional JSON body: `{ "displayName": string | null }`, the name the public page shows.',
        params: HoldingParams,
        response: { 200: ShareView },
      },
    },
    async (request) => {
      // The body is optional (a bare POST shares with the default name), so it is checked here, not by a schema.
      const body = (request.body ?? {}) as { displayName?: unknown };
      if (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).some((k) => k !== 'displayName')) {
        throw invalid('The body is optional: { "displayName": string | null }.');
      }
      if (body.displayName !== undefined && body.displayName !== null && typeof body.displayName !== 'string') {
        throw invalid('displayName is a string, or null for the profile or account name.', { field: 'displayName' });
      }
      const options = body.displayName === undefined ? {} : { displayName: body.displayName };
      return shareJson(await sharing.share(callerOf(request).user.id, request.params.holdingId, options));
    },
  );

  app.get(
    '/api/me/wallet/:holdingId/share',
    {
      config: { access: access.user },
      schema: {
        tags: ['sharing'],
        summary: 'The live public link of a credential (null while private), and its view and share counts',
        params: HoldingParams,
        response: {
          200: Type.Object({ share: Type.Union([ShareView, Type.Null()]), counts: Counts }),
        },
      },
    },
    async (request) => {
      const userId = callerOf(request).user.id;
      const [share, counts] = await Promise.all([
        sharing.shareOf(userId, request.params.holdingId),
        sharing.countsOf(userId, request.params.holdingId),
      ]);
      return { share: share ? shareJson(share) : null, counts };
    },
  );

  app.delete(
    '/api/me/wallet/:holdingId/share',
    {
      config: { access: access.user },
      schema: {
        tags: ['sharing'],
        summary: 'Withdraw the public link: it answers 410 Gone from now on',
        params: HoldingParams,
      },
    },
    async (request, reply) => {
      await sharing.withdraw(callerOf(request).user.id, request.params.holdingId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/me/wallet/:holdingId/share-events',
    {
      config: { access: access.user },
      schema: {
        tags: ['sharing'],
        summary: 'Record a share action (LinkedIn, copy, email, embed, download, certificate)',
        params: HoldingParams,
        body: Type.Object({ kind: Type.Enum([...actionKinds]) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await sharing.recordAction(callerOf(request).user.id, request.params.holdingId, request.body.kind);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/me/sharing',
    {
      config: { access: access.user },
      schema: {
        tags: ['sharing'],
        summary: 'My shared credentials, with page views and share actions',
        response: {
          200: Type.Object({
            shares: Type.Array(
              Type.Object({
                holdingId: Type.String(),
                name: Type.String(),
                live: Type.Boolean(),
                url: Type.Union([Type.String(), Type.Null()]),
                sharedAt: Type.String({ format: 'date-time' }),
                withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
                views: Type.Integer(),
                actions: Type.Record(Type.String(), Type.Integer()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      shares: (await sharing.mine(callerOf(request).user.id)).map((s) => ({
        ...s,
        sharedAt: s.sharedAt.toISOString(),
        withdrawnAt: s.withdrawnAt?.toISOString() ?? null,
      })),
    }),
  );

  app.get(
    '/api/me/profile',
    {
      config: { access: access.user },
      schema: { tags: ['sharing'], summary: 'My opt-in public profile', response: { 200: Profile } },
    },
    async (request) => sharing.profile(callerOf(request).user.id),
  );

  app.put(
    '/api/me/profile',
    {
      config: { access: access.user },
      schema: {
        tags: ['sharing'],
        summary: 'Save my public profile: handle, display name, on or off, and which credentials it lists',
        body: Type.Object(
          {
            handle: Type.String({ maxLength: 60 }),
            displayName: Type.String({ maxLength: 200 }),
            enabled: Type.Boolean(),
            holdingIds: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Profile },
      },
    },
    async (request) => sharing.saveProfile(callerOf(request).user.id, request.body),
  );

  app.get(
    '/api/me/reminders',
    {
      config: { access: access.user },
      schema: {
        tags: ['sharing'],
        summary: 'Credentials earned a few days ago and not shared yet',
        response: {
          200: Type.Object({
            reminders: Type.Array(
              Type.Object({
                holdingId: Type.String(),
                name: Type.String(),
                earnedAt: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      reminders: (await sharing.reminders(callerOf(request).user.id)).map((r) => ({
        ...r,
        earnedAt: r.earnedAt.toISOString(),
      })),
    }),
  );

  app.post(
    '/api/me/reminders/:holdingId/dismiss',
    {
      config: { access: access.user },
      schema: { tags: ['sharing'], summary: 'Do not remind me to share this credential', params: HoldingParams },
    },
    async (request, reply) => {
      await sharing.dismissReminder(callerOf(request).user.id, request.params.holdingId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/me/wallet/:holdingId/certificate.pdf',
    {
      config: { access: access.user },
      schema: {
        tags: ['sharing'],
        summary:
          'A printable PDF certificate whose QR code opens the public page: 409 while the credential is not ' +
          'shared (share it first with POST …/share; a GET never shares)',
        params: HoldingParams,
      },
    },
    async (request, reply) => {
      const userId = callerOf(request).user.id;
      const share = await sharing.shareOf(userId, request.params.holdingId);
      if (!share) {
        throw conflict(
          "The certificate's QR code opens the credential's public page, and the credential is not public. " +
            'Make it public first (POST /api/me/wallet/HID/share), then get the certificate.',
        );
      }
      const found = await sharing.publicCredential(share.token);
      if (found?.state !== 'shared') throw new Error('A share made just now is not readable');
      const pdf = await certificatePdf({
        holderName: found.holderName,
        facts: found.facts,
        verdict: found.verdict,
        url: found.url,
        locale: readerLocale(request.headers['accept-language']),
      });
      await sharing.recordAction(userId, request.params.holdingId, 'certificate');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="certificate.pdf"')
        .header('cache-control', 'no-store')
        .send(Buffer.from(pdf));
    },
  );

  app.get(
    '/api/orgs/:orgId/share-stats',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['sharing'],
        summary: 'Per micro-credential: credentials issued, how many their holders shared, and public page views',
        params: Type.Object({ orgId: Type.String() }),
        response: {
          200: Type.Object({
            achievements: Type.Array(
              Type.Object({
                achievementId: Type.String(),
                name: Type.Union([Type.String(), Type.Null()]),
                issued: Type.Integer(),
                shared: Type.Integer(),
                shareRate: Type.Number(),
                views: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ achievements: await sharing.shareStats(request.params.orgId) }),
  );

  // Public pages: server-rendered HTML, no script.

  const pageModel = (found: Extract<Awaited<ReturnType<Sharing['publicCredential']>>, { state: 'shared' }>) =>
    ({
      url: found.url,
      holderName: found.holderName,
      facts: found.facts,
      verdict: found.verdict,
      issuerTrust: found.issuerTrust,
      downloadLabel: looksLikeJwt(found.holding.document) ? 'JWT' : 'JSON',
    }) satisfies CredentialPageModel;

  /**
   * The page's HTML, rendered again only when what it shows changes: per page content (the facts object the
   * sharing cache holds for a few seconds), the last rendering and what it was rendered from (the verdict,
   * fresh on every request, the issuer's trust, the holder's name, whether it has expired by now). A revocation
   * changes the verdict, so the next request renders it; a popular page is not rendered on every view.
   */
  const rendered = new WeakMap<CredentialFacts, { key: string; html: string }>();
  const renderedPage = (found: Parameters<typeof pageModel>[0], locale: string) => {
    // The reader's locale is part of the model, so a reader of another language gets a page of their own.
    const model = { ...pageModel(found), locale };
    const { facts, ...rest } = model;
    const expired = facts.validUntil !== null && facts.validUntil.getTime() < Date.now();
    const key = JSON.stringify([rest, expired]);
    const last = rendered.get(facts);
    if (last?.key === key) return last.html;
    const page = credentialPage(model);
    rendered.set(facts, { key, html: page });
    return page;
  };

  app.get(
    '/c/:token',
    {
      config: { access: access.public, rateLimit: pageRateLimit },
      schema: {
        tags: ['sharing'],
        summary:
          'A shared credential: an HTML page verified on view, or (Accept: application/vc+ld+json or ' +
          'application/vc+jwt) the credential itself. 410 once withdrawn.',
        params: TokenParams,
      },
    },
    async (request, reply) => {
      const want = wanted(request.headers.accept);
      const found = await sharing.publicCredential(request.params.token, {
        recordView: want.html && request.method === 'GET',
        // One view per visitor (address and browser) per hour.
        visitor: `${request.ip} ${request.headers['user-agent'] ?? ''}`,
      });
      if (!want.html) {
        if (!found) return sendProblem(reply, problem(404, 'not-found', 'Not found', notShared));
        if (found.state === 'gone') return sendProblem(reply, problem(410, 'gone', 'Gone', withdrawnText));
        const isJwt = looksLikeJwt(found.holding.document);
        if (!(isJwt ? want.jwt : want.json)) {
          return sendProblem(
            reply,
            problem(
              406,
              'not-acceptable',
              'Not acceptable',
              `This credential is held as ${isJwt ? 'a VC-JWT (application/vc+jwt)' : 'JSON (application/vc+ld+json)'} only.`,
            ),
          );
        }
        return reply
          .header('content-type', isJwt ? 'application/vc+jwt' : 'application/vc+ld+json')
          .header('vary', 'Accept')
          .header('cache-control', 'no-store')
          .send(found.holding.document.trim());
      }
      if (!found) return html(reply, 404, messagePage('Credential not found', notShared));
      if (found.state === 'gone') return html(reply, 410, messagePage('Credential withdrawn', withdrawnText));
      return html(reply, 200, renderedPage(found, readerLocale(request.headers['accept-language'])));
    },
  );

  app.get(
    '/c/:token/credential',
    {
      config: { access: access.public, rateLimit: pageRateLimit },
      schema: {
        tags: ['sharing'],
        summary: 'Download a shared credential as held (JSON or VC-JWT)',
        params: TokenParams,
      },
    },
    async (request, reply) => {
      const found = await sharing.publicCredential(request.params.token);
      if (!found) return sendProblem(reply, problem(404, 'not-found', 'Not found', notShared));
      if (found.state === 'gone') return sendProblem(reply, problem(410, 'gone', 'Gone', withdrawnText));
      const isJwt = looksLikeJwt(found.holding.document);
      return reply
        .header('content-type', isJwt ? 'application/vc+jwt' : 'application/vc+ld+json')
        .header('content-disposition', `attachment; filename="credential.${isJwt ? 'jwt' : 'json'}"`)
        .header('cache-control', 'no-store')
        .send(found.holding.document.trim());
    },
  );

  app.get(
    '/c/:token/embed',
    {
      config: { access: access.public, rateLimit: pageRateLimit },
      schema: { tags: ['sharing'], summary: 'A small card of a shared credential, for an iframe', params: TokenParams },
    },
    async (request, reply) => {
      // The one page other sites may frame.
      reply.raw.removeHeader('x-frame-options');
      const csp = String(reply.raw.getHeader('content-security-policy') ?? '');
      reply.raw.setHeader('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
      const found = await sharing.publicCredential(request.params.token);
      if (!found) return html(reply, 404, messagePage('Credential not found', notShared));
      if (found.state === 'gone') return html(reply, 410, messagePage('Credential withdrawn', withdrawnText));
      return html(reply, 200, embedCard(pageModel(found)));
    },
  );

  app.get(
    '/u/:handle',
    {
      config: { access: access.public, rateLimit: pageRateLimit },
      schema: {
        tags: ['sharing'],
        summary: "A learner's opt-in public profile",
        params: Type.Object({ handle: Type.String({ maxLength: 60 }) }),
      },
    },
    async (request, reply) => {
      const found = await sharing.publicProfile(request.params.handle);
      if (!found) {
        return html(reply, 404, messagePage('Profile not found', 'There is no public profile at this address.'));
      }
      return html(
        reply,
        200,
        profilePage({
          url: sharing.profileUrl(found.profile.handle),
          displayName: found.profile.displayName,
          locale: readerLocale(request.headers['accept-language']),
          credentials: found.credentials.map((c) => ({
            url: c.url,
            name: c.facts.name,
            issuerName: c.issuerTrust?.name ?? c.facts.issuerName,
            verdict: c.verdict,
            issuedAt: c.facts.issuedAt,
          })),
        }),
      );
    },
  );
}
