import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from 'helmet';
import { accountsRoutes } from '../../accounts/routes.js';
import { assessmentRoutes } from '../../assessment/routes.js';
import { catalogRoutes } from '../../catalog/routes.js';
import { reviewRoutes } from '../../review/routes.js';
import { skillsRoutes } from '../../skills/routes.js';
import { sharingRoutes } from '../../sharing/routes.js';
import { bulkRoutes } from '../../issuance/bulk-routes.js';
import { identitiesRoutes } from '../../identities/routes.js';
import { issuanceRoutes } from '../../issuance/routes.js';
import { keysRoutes } from '../../keys/routes.js';
import { trustRoutes } from '../../trust/routes.js';
import { verificationRoutes } from '../../verification/routes.js';
import { createWalletExport } from '../../wallet/export/export.js';
import { walletExportRoutes } from '../../wallet/export-routes.js';
import { walletRoutes } from '../../wallet/routes.js';
import { jobRoutes } from '../jobs/routes.js';
import type { Platform } from '../platform.js';
import { access, registerAccessControl } from './access.js';
import { ProblemSchema, problem, sendProblem, toProblem } from './problems.js';
import { webRoutes } from './web.js';

export interface HttpOptions {
  /** pino options, or false for no logs (tests). */
  logger?: boolean | object;
  /** Sign-in and sign-up attempts per IP per minute. */
  authRateLimit?: number;
  /** Folder of the built web app; omitted, the API runs alone. */
  webDir?: string | undefined;
}

export const version = '0.1.0';

/** The HTTP app over a platform: plugins, error handling, access control and every capability's routes. */
export async function buildHttpApp(platform: Platform, options: HttpOptions = {}): Promise<FastifyInstance> {
  const { config } = platform;
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

  registerAccessControl(app, platform.accounts);

  app.get('/openapi.json', { config: { access: access.public }, schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/healthz',
    { config: { access: access.public }, schema: { tags: ['platform'], summary: 'The process is alive' } },
    async () => ({ status: 'ok', version }),
  );
  app.get(
    '/readyz',
    { config: { access: access.public }, schema: { tags: ['platform'], summary: 'The database answers' } },
    async (_request, reply) => {
      try {
        await platform.database.db.selectFrom('users').select('id').limit(1).execute();
        return { status: 'ready', database: platform.database.backend };
      } catch {
        return sendProblem(reply, problem(503, 'not-ready', 'Not ready', 'The database does not answer.'));
      }
    },
  );

  await app.register(accountsRoutes, {
    accounts: platform.accounts,
    authRateLimit: options.authRateLimit ?? 20,
  });
  await app.register(jobRoutes, { queue: platform.queue });
  await app.register(keysRoutes, { keys: platform.keys, accounts: platform.accounts });
  await app.register(issuanceRoutes, {
    issuance: platform.issuance,
    awarding: platform.awarding,
    catalog: platform.catalog,
    accounts: platform.accounts,
    publicUrl: config.publicUrl,
  });
  await app.register(bulkRoutes, { bulk: platform.bulk });
  await app.register(verificationRoutes, { verifier: platform.verifier });
  await app.register(walletRoutes, {
    wallet: platform.wallet,
    verifier: platform.verifier,
    issuance: platform.issuance,
    catalog: platform.catalog,
    identities: platform.identities,
  });
  await app.register(identitiesRoutes, { identities: platform.identities });
  await app.register(trustRoutes, { trust: platform.trust });
  await app.register(catalogRoutes, { catalog: platform.catalog });
  await app.register(skillsRoutes, { skills: platform.skills });
  await app.register(assessmentRoutes, { assessment: platform.assessment });
  await app.register(reviewRoutes, { review: platform.review });
  await app.register(walletExportRoutes, {
    walletExport: createWalletExport({
      wallet: platform.wallet,
      keys: platform.keys,
      verifier: platform.verifier,
      publicUrl: config.publicUrl,
    }),
  });
  await app.register(sharingRoutes, { sharing: platform.sharing });
  await app.register(webRoutes, { webDir: options.webDir });

  return app;
}
