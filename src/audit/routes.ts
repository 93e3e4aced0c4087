import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../accounts/access.js';
import { DomainError } from '../platform/errors.js';
import { auditCsv, type Audit, type AuditActor, type AuditEntry, type AuditQuery } from './audit.js';

/**
 * A route's place in the audit log, declared with the route (`config: { access, audit: { … } }`): the action's
 * name, the body fields worth keeping (never secrets), and whether refusals are recorded too (failed sign-ins).
 */
export interface AuditedRoute {
  action: string;
  fields?: readonly string[];
  refusals?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: AuditedRoute;
  }
}

/** What only the handler knows (the organization of a credential named in the body). */
export interface AuditNote {
  /** Who, when the request's caller is not it (a sign-in: the account just signed in to). */
  actor?: AuditActor;
  orgId?: string;
  target?: string;
  details?: Record<string, unknown>;
}

const notes = new WeakMap<FastifyRequest, AuditNote>();

/** Adds what the handler learned to the request's audit entry. */
export function noteAudit(request: FastifyRequest, note: AuditNote): void {
  notes.set(request, { ...notes.get(request), ...note });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actorOf(request: FastifyRequest): AuditActor {
  const caller = request.caller;
  if (caller) return { kind: caller.kind, userId: caller.user.id, email: caller.user.email };
  // Nobody signed in (a sign-in, a password reset): the email the request names.
  const email = (request.body as Record<string, unknown> | undefined)?.email;
  return { kind: 'anonymous', userId: null, email: typeof email === 'string' ? email.trim().toLowerCase() : null };
}

/**
 * Records every audited route's outcome before its answer leaves (onSend), so a caller that saw an action succeed
 * finds it in the log. An entry that cannot be written is logged as an error; the action has happened already.
 */
export function registerAuditTrail(app: FastifyInstance, audit: Audit): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const rule = request.routeOptions.config.audit;
    if (!rule) return payload;
    const refused = reply.statusCode >= 400;
    // Refusals worth keeping are wrong credentials and missing rights (401, 403); not bad input, and not a rate
    // limit's 429, which answers floods cheaply and must not write a row for each request.
    if (refused && !(rule.refusals && (reply.statusCode === 401 || reply.statusCode === 403))) return payload;
    const params = (request.params ?? {}) as Record<string, string>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const note = notes.get(request) ?? {};
    const pathTarget = Object.entries(params)
      .filter(([name]) => name !== 'orgId')
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    const fields = Object.fromEntries(
      (rule.fields ?? []).filter((name) => body[name] !== undefined).map((name) => [name, body[name]]),
    );
    try {
      await audit.record({
        action: rule.action,
        outcome: refused ? 'refused' : 'done',
        actor: note.actor ?? actorOf(request),
        orgId: note.orgId ?? (params.orgId && uuidPattern.test(params.orgId) ? params.orgId : null),
        target: note.target ?? (pathTarget || null),
        details: { ...fields, ...note.details, status: reply.statusCode, request: `${request.method} ${request.url}` },
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
    } catch (error) {
      request.log.error({ err: error, action: rule.action }, 'the audit log could not record an action');
    }
    return payload;
  });
}

const EntrySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  at: Type.String({ format: 'date-time' }),
  action: Type.String(),
  outcome: Type.Enum(['done', 'refused']),
  actor: Type.Object({
    kind: Type.Enum(['session', 'token', 'anonymous', 'command']),
    userId: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
  }),
  orgId: Type.Union([Type.String(), Type.Null()]),
  target: Type.Union([Type.String(), Type.Null()]),
  details: Type.Object({}, { additionalProperties: true }),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
});

const Query = Type.Object(
  {
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9.-]+$' })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    before: Type.Optional(Type.String({ format: 'uuid', description: 'The id of the last entry of the page before' })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]{0,2}|1000)$', description: '1 to 1000 (100)' })),
  },
  { additionalProperties: false },
);
const ExportQuery = Type.Object(
  {
    action: Query.properties.action,
    since: Query.properties.since,
    until: Query.properties.until,
  },
  { additionalProperties: false },
);

const view = (entry: AuditEntry) => ({ ...entry, at: entry.at.toISOString() });
const exportLimit = 100_000;

/**
 * Reading the audit log: instance admins read every entry, an organization's owners its own; both page through
 * it as JSON and export it as CSV (an export is itself recorded). There is no route that changes an entry.
 */
export async function auditRoutes(base: FastifyInstance, { audit }: { audit: Audit }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  async function page(
    orgId: string | undefined,
    query: { action?: string; since?: string; until?: string; before?: string; limit?: string },
  ): Promise<AuditQuery> {
    let before: AuditQuery['before'];
    if (query.before) {
      const last = await audit.find(query.before);
      if (!last || (orgId && last.orgId !== orgId)) {
        throw new DomainError('invalid-input', 'before names no entry of this log.');
      }
      before = { at: last.at, id: last.id };
    }
    return {
      ...(orgId ? { orgId } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.since ? { since: new Date(query.since) } : {}),
      ...(query.until ? { until: new Date(query.until) } : {}),
      ...(before ? { before } : {}),
      limit: query.limit ? Number(query.limit) : 100,
    };
  }

  const listSchema = (summary: string) => ({
    tags: ['audit'],
    summary,
    querystring: Query,
    response: {
      200: Type.Object({
        entries: Type.Array(EntrySchema),
        retentionDays: Type.Integer({ description: 'Entries older than this many days are purged' }),
      }),
    },
  });
  const csvSchema = (summary: string) => ({
    tags: ['audit'],
    summary,
    querystring: ExportQuery,
    produces: ['text/csv'],
  });
  const OrgParams = Type.Object({ orgId: Type.String() });

  app.get(
    '/api/admin/audit',
    {
      config: { access: access.admin },
      schema: listSchema('The audit log of the whole instance, newest first (instance admins)'),
    },
    async (request) => ({
      entries: (await audit.list(await page(undefined, request.query))).map(view),
      retentionDays: audit.retentionDays,
    }),
  );

  app.get(
    '/api/admin/audit.csv',
    {
      config: { access: access.admin, audit: { action: 'audit.exported' } },
      schema: csvSchema('Export the audit log of the whole instance as CSV (instance admins)'),
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit.csv"')
        .header('cache-control', 'no-store')
        .send(auditCsv(await audit.list({ ...(await page(undefined, request.query)), limit: exportLimit }))),
  );

  app.get(
    '/api/orgs/:orgId/audit',
    {
      config: { access: access.org('owner') },
      schema: { ...listSchema("The organization's audit log, newest first (owners)"), params: OrgParams },
    },
    async (request) => ({
      entries: (await audit.list(await page(request.params.orgId, request.query))).map(view),
      retentionDays: audit.retentionDays,
    }),
  );

  app.get(
    '/api/orgs/:orgId/audit.csv',
    {
      config: { access: access.org('owner'), audit: { action: 'audit.exported' } },
      schema: { ...csvSchema("Export the organization's audit log as CSV (owners)"), params: OrgParams },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit.csv"')
        .header('cache-control', 'no-store')
        .send(auditCsv(await audit.list({ ...(await page(request.params.orgId, request.query)), limit: exportLimit }))),
  );
}
