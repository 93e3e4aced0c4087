import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, type ErrorCode } from '../errors.js';

/**
 * RFC 9457 problem details. Every error response has a stable `type` per kind of error, so clients branch on
 * `type`, never on `detail` (which is written for people and may change).
 */
export const problemTypeBase = 'https://skillproof.dev/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  /** Extension members (RFC 9457 section 3.2): machine-readable facts about this problem. */
  [extension: string]: unknown;
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const domainStatus: Record<ErrorCode, { status: number; title: string }> = {
  'invalid-input': { status: 400, title: 'The request is not valid' },
  unauthenticated: { status: 401, title: 'Sign in required' },
  'session-expired': { status: 401, title: 'Session expired' },
  'invalid-credentials': { status: 401, title: 'Sign-in failed' },
  forbidden: { status: 403, title: 'Not allowed' },
  'csrf-failed': { status: 403, title: 'Missing or wrong CSRF token' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  'too-large': { status: 413, title: 'Too large' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
};

// Fastify's own errors that are the client's fault, with the type we give them.
const fastifyCodes: Record<string, { type: string; title: string; detail?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    type: 'malformed-json',
    title: 'Malformed JSON',
    detail: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { type: 'malformed-json', title: 'Malformed JSON', detail: 'The JSON body is empty.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { type: 'body-too-large', title: 'Body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { type: 'unsupported-media-type', title: 'Unsupported media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { type: 'bad-request', title: 'Bad request' },
  FST_ERR_BAD_URL: { type: 'bad-request', title: 'Bad request', detail: 'The URL is not valid.' },
  FST_ERR_ASYNC_CONSTRAINT: { type: 'bad-request', title: 'Bad request' },
};

export function problem(status: number, slug: string, title: string, detail: string, extra: Partial<Problem> = {}) {
  return { type: problemTypeBase + slug, title, status, detail, ...extra } satisfies Problem;
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  // A problem that says when to come back (`retryAfter`, seconds) says it in the standard header too.
  if (typeof body.retryAfter === 'number') void reply.header('retry-after', String(body.retryAfter));
  return reply.code(body.status).type('application/problem+json').send(body);
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const missing = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  const leaf = typeof missing === 'string' ? (path ? `${path}.${missing}` : missing) : path;
  return leaf || context || 'body';
}

export function toProblem(error: FastifyError | Error, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0];
  if (error instanceof DomainError) {
    const { status, title } = domainStatus[error.code];
    const { field, ...extensions } = error.details ?? {};
    return problem(status, error.code, title, error.message, {
      ...extensions,
      instance,
      ...(typeof field === 'string' ? { errors: [{ field, message: error.message }] } : {}),
    });
  }
  const fastifyError = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((issue) => ({
      field: fieldOf(issue, fastifyError.validationContext),
      message: issue.message ?? 'is not valid',
    }));
    const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ');
    return problem(400, 'validation-failed', 'The request is not valid', detail, { instance, errors });
  }
  // Text PostgreSQL cannot store (bad encodings) is the input's fault; other database errors are ours.
  if (fastifyError.code === '22021' || fastifyError.code === '22P05') {
    return problem(400, 'invalid-value', 'A value is not acceptable', 'A value in the request cannot be stored.', {
      instance,
    });
  }
  // A value the database cannot read as its column's type (a non-UUID id): the input's fault, said plainly,
  // never with the database's own words.
  if (fastifyError.code === '22P02' || fastifyError.code === '22007' || fastifyError.code === '22003') {
    return problem(
      400,
      'invalid-value',
      'A value is not acceptable',
      'A value in the request is not in the expected form.',
      {
        instance,
      },
    );
  }
  const known = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  const status = fastifyError.statusCode ?? 500;
  if (known) return problem(status, known.type, known.title, known.detail ?? error.message, { instance });
  if (status === 429) {
    return problem(429, 'rate-limited', 'Too many requests', 'Too many attempts. Wait a minute and try again.', {
      instance,
    });
  }
  if (status >= 400 && status < 500)
    return problem(status, `http-${status}`, 'Bad request', error.message, { instance });
  return problem(500, 'internal', 'Internal error', 'Something went wrong on our side. It has been logged.', {
    instance,
  });
}
