import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { DomainError, notFound } from '../errors.js';
import { sendProblem, toProblem } from './problems.js';

const request = { url: '/api/things?x=1' } as FastifyRequest;

describe('toProblem', () => {
  it('maps domain errors to their status and a stable type, with the field', () => {
    const p = toProblem(new DomainError('invalid-input', 'Bad email.', { field: 'email' }), request);
    expect(p).toMatchObject({
      status: 400,
      type: 'https://skillproof.dev/problems/invalid-input',
      detail: 'Bad email.',
      instance: '/api/things',
      errors: [{ field: 'email', message: 'Bad email.' }],
    });
    expect(toProblem(new DomainError('conflict', 'Taken.'), request).status).toBe(409);
    expect(toProblem(new DomainError('forbidden', 'No.'), request).status).toBe(403);
  });
  it('names the fields of schema validation errors', () => {
    const error = Object.assign(new Error('body/email must be string'), {
      validation: [
        { instancePath: '', message: "must have required property 'email'", params: { missingProperty: 'email' } },
      ],
      validationContext: 'body',
      statusCode: 400,
    });
    const p = toProblem(error, request);
    expect(p.type).toContain('validation-failed');
    expect(p.errors).toEqual([{ field: 'email', message: "must have required property 'email'" }]);
  });
  it('hides the details of unexpected errors', () => {
    const p = toProblem(new Error('connection refused at db.internal:5432'), request);
    expect(p.status).toBe(500);
    expect(p.detail).not.toContain('db.internal');
  });
  it('treats PostgreSQL data exceptions as bad input', () => {
    const p = toProblem(Object.assign(new Error('invalid byte sequence'), { code: '22021' }), request);
    expect(p.status).toBe(400);
  });
  it('says when to come back in Retry-After when the problem gives `retryAfter`', async () => {
    const app = Fastify();
    app.get('/busy', (req, reply) =>
      sendProblem(reply, toProblem(new DomainError('unavailable', 'Busy.', { retryAfter: 60 }), req)),
    );
    app.get('/gone', (req, reply) => sendProblem(reply, toProblem(notFound('That thing'), req)));
    const busy = await app.inject({ url: '/busy' });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('60');
    expect(busy.json()).toMatchObject({ retryAfter: 60, detail: 'Busy.' });
    expect((await app.inject({ url: '/gone' })).headers['retry-after']).toBeUndefined();
    await app.close();
  });
});
