import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, oauthGrantOfRequest } from '../accounts/access.js';
import { DomainError } from '../platform/errors.js';
import { toProblem } from '../platform/http/problems.js';
import { createObApi, obLimits, type ObApiDeps } from './ob-api.js';
import { obScopes } from './scopes.js';
import { obApiPath } from './server.js';

/** OB 3.0 §6: the status information every error of the API answers with (Imsx_StatusInfo). */
const codeMinorOf: Record<number, string> = {
  400: 'invalid_data',
  401: 'unauthorizedrequest',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_allowed',
  406: 'not_acceptable',
  409: 'invalid_data',
  413: 'invalid_data',
  415: 'invalid_data',
  429: 'server_busy',
  503: 'server_busy',
};

export function imsxStatusInfo(status: number, description: string, codeMinor?: string) {
  return {
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: description,
    imsx_codeMinor: {
      imsx_codeMinorField: [
        {
          imsx_codeMinorFieldName: 'TargetEndSystem',
          imsx_codeMinorFieldValue:
            codeMinor ?? codeMinorOf[status] ?? (status >= 500 ? 'internal_server_error' : 'unknown'),
        },
      ],
    },
  };
}

function sendStatusInfo(request: FastifyRequest, reply: FastifyReply, error: FastifyError | Error) {
  const problem = toProblem(error, request);
  const status = problem.status;
  if (status >= 500) request.log.error({ err: error }, 'OB 3.0 API request failed');
  const details = error instanceof DomainError ? error.details : undefined;
  // RFC 6750 §3: a bearer token that is missing, bad or short of scope is answered with a challenge.
  if (status === 401 || status === 403) {
    const oauthError = typeof details?.oauthError === 'string' ? details.oauthError : undefined;
    const parts = ['realm="Open Badges 3.0"'];
    if (oauthError && oauthError !== 'invalid_request') parts.push(`error="${oauthError}"`);
    if (typeof details?.scope === 'string') parts.push(`scope="${details.scope}"`);
    reply.header('www-authenticate', `Bearer ${parts.join(', ')}`);
  }
  const validation = (error as FastifyError).validation !== undefined;
  const isQuery = validation && (error as FastifyError).validationContext === 'querystring';
  return reply
    .code(status)
    .type('application/json')
    .send(
      imsxStatusInfo(
        status,
        status >= 500 ? 'The server could not answer this request.' : problem.detail,
        isQuery ? 'invalid_query_parameter' : undefined,
      ),
    );
}

const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
    since: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

export async function obRoutes(app: FastifyInstance, deps: ObApiDeps) {
  const api = createObApi(deps);
  const base = `${deps.publicUrl}${obApiPath}`;

  await app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => sendStatusInfo(request, reply, error as FastifyError));
    const r = scope.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      `${obApiPath}/discovery`,
      {
        config: { access: access.public },
        schema: { tags: ['Open Badges 3.0'], summary: 'The Service Description Document (OB 3.0 §6.3)' },
      },
      async () => api.discovery(),
    );

    r.get(
      `${obApiPath}/credentials`,
      {
        config: { access: access.oauth(obScopes.credentialRead) },
        schema: {
          tags: ['Open Badges 3.0'],
          summary: "The learner's OB 3.0 credentials (getCredentials)",
          querystring: PageQuery,
        },
      },
      async (request, reply) => {
        const grant = oauthGrantOfRequest(request);
        const limit = request.query.limit === undefined ? obLimits.defaultPageSize : Number(request.query.limit);
        const offset = request.query.offset === undefined ? 0 : Number(request.query.offset);
        if (limit < 1 || limit > obLimits.maxPageSize) {
          throw Object.assign(
            new DomainError('invalid-input', `limit must be between 1 and ${obLimits.maxPageSize}.`),
            { validation: [], validationContext: 'querystring' },
          );
        }
        let since: Date | undefined;
        if (request.query.since !== undefined) {
          since = new Date(request.query.since);
          if (!/^\d{4}-\d{2}-\d{2}T/.test(request.query.since) || Number.isNaN(since.getTime())) {
            throw Object.assign(new DomainError('invalid-input', 'since must be an ISO 8601 date-time.'), {
              validation: [],
              validationContext: 'querystring',
            });
          }
        }
        const { total, body } = await api.credentials(grant.userId, { limit, offset, since });
        reply.header('x-total-count', String(total));
        reply.header('link', pageLinks(`${base}/credentials`, { limit, offset, total, since: request.query.since }));
        return body;
      },
    );

    r.post(
      `${obApiPath}/credentials`,
      {
        config: { access: access.oauth(obScopes.credentialUpsert) },
        schema: {
          tags: ['Open Badges 3.0'],
          summary:
            "Put a credential into the learner's wallet (upsertCredential): 201 new, 200 replaced, 304 unchanged",
          body: Type.Union([Type.Object({}, { additionalProperties: true }), Type.String({ maxLength: 1_000_000 })]),
        },
      },
      async (request, reply) => {
        const grant = oauthGrantOfRequest(request);
        const body = request.body;
        const outcome = await api.upsert(
          grant.userId,
          typeof body === 'string' ? { jws: body } : { credential: body as Record<string, unknown> },
        );
        if (outcome.status === 304) return reply.code(304).send();
        if ('jws' in outcome) return reply.code(outcome.status).type('text/plain').send(outcome.jws);
        return reply.code(outcome.status).send(outcome.credential);
      },
    );

    r.get(
      `${obApiPath}/profile`,
      {
        config: { access: access.oauth(obScopes.profileRead) },
        schema: { tags: ['Open Badges 3.0'], summary: "The learner's Profile (getProfile)" },
      },
      async (request) => api.profile(oauthGrantOfRequest(request).userId),
    );

    r.put(
      `${obApiPath}/profile`,
      {
        config: { access: access.oauth(obScopes.profileUpdate) },
        schema: {
          tags: ['Open Badges 3.0'],
          summary: "Update the learner's Profile (putProfile)",
          body: Type.Object({}, { additionalProperties: true }),
        },
      },
      async (request) =>
        api.updateProfile(oauthGrantOfRequest(request).userId, request.body as Record<string, unknown>),
    );
  });
}

/** RFC 8288 links to the first, previous, next and last pages (OB 3.0 §6.2 paging). */
function pageLinks(url: string, page: { limit: number; offset: number; total: number; since?: string | undefined }) {
  const at = (offset: number) => {
    const query = new URLSearchParams({ limit: String(page.limit), offset: String(offset) });
    if (page.since) query.set('since', page.since);
    return `${url}?${query}`;
  };
  const last = Math.max(0, Math.floor((page.total - 1) / page.limit) * page.limit);
  const links = [`<${at(0)}>; rel="first"`, `<${at(last)}>; rel="last"`];
  if (page.offset + page.limit < page.total) links.push(`<${at(page.offset + page.limit)}>; rel="next"`);
  if (page.offset > 0) links.push(`<${at(Math.max(0, page.offset - page.limit))}>; rel="prev"`);
  return links.join(', ');
}
