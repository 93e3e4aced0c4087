import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from 'helmet';
import type { Config } from '../config.js';
import { version } from '../version.js';
import { ProblemSchema, sendProblem, toProblem } from './problems.js';

export interface HttpKitOptions {
  /** pino options, or false for no logs (tests). */
  logger?: boolean | object;
}

/**
 * The HTTP kit every route stands on: Fastify with its limits, problem details for every error, security
 * headers, cookies, rate limits and the OpenAPI document. It registers no route of a capability: the
 * composition root (src/app/) adds access control and every capability's routes.
 */
export async function createHttpKit(config: Config, options: HttpKitOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            // Secrets never reach the logs, whatever a handler logs.
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password'],
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Deep or huge JSON cannot crash the parser; prototype poisoning is refused.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any route (a malformed or over-long path) are problems too.
    frameworkErrors: (error, request, reply) => void sendProblem(reply, toProblem(error, request)),
  });

  app.addSchema(ProblemSchema);
  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error as Error, request);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, body);
  });

  // Security headers on every response. The helmet middleware is built once: @fastify/helmet built it again
  // for every request (parsing the CSP each time), a measurable share of a verification's cost.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only makes sense behind TLS, which a proxy in front provides.
    strictTransportSecurity: config.trustProxy,
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  );
  await app.register(cookie);
  await app.register(rateLimit, { global: false, allowList: config.rateLimitAllowList ?? [] });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Skillproof API',
        version,
        description:
          'Micro-credentials: catalog, skill tests, Open Badges 3.0 issuance, wallet, verification. ' +
          'Errors are RFC 9457 problem details. Authenticate with the session cookie (browser) or ' +
          '`Authorization: Bearer sp_…` (API token).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sp_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  return app;
}
