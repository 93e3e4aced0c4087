import type { FastifyInstance } from 'fastify';
import { accountsRoutes } from '../accounts/routes.js';
import { adviceRoutes } from '../advice/routes.js';
import { analyticsRoutes } from '../analytics/routes.js';
import { issuerAnalyticsRoutes } from '../analytics/issuer-routes.js';
import { access, registerAccessControl } from '../accounts/access.js';
import { assessmentRoutes } from '../assessment/routes.js';
import { catalogRoutes } from '../catalog/routes.js';
import { reviewRoutes } from '../review/routes.js';
import { skillsRoutes } from '../skills/routes.js';
import { sharingRoutes } from '../sharing/routes.js';
import { bulkRoutes } from '../issuance/bulk-routes.js';
import { identitiesRoutes } from '../identities/routes.js';
import { issuanceRoutes } from '../issuance/routes.js';
import { jobRoutes } from '../jobs/routes.js';
import { keysRoutes } from '../keys/routes.js';
import { mailRoutes } from '../mail/routes.js';
import { trustRoutes } from '../trust/routes.js';
import { verificationRoutes } from '../verification/routes.js';
import { createWalletExport } from '../wallet/export/export.js';
import { walletExportRoutes } from '../wallet/export-routes.js';
import { walletRoutes } from '../wallet/routes.js';
import { createHttpKit } from '../platform/http/app.js';
import { problem, sendProblem } from '../platform/http/problems.js';
import { version } from '../platform/version.js';
import type { Platform } from './platform.js';
import { webRoutes } from './web.js';
import { auditRoutes, registerAuditTrail } from '../audit/routes.js';
import { hiringRoutes } from '../hiring/routes.js';
import { teamRoutes } from '../hiring/team-routes.js';
import { applicationsRoutes } from '../hiring/applications-routes.js';
import { pathwaysRoutes } from '../pathways/routes.js';
import { backupRoutes } from './backup-routes.js';
import { oid4vciRoutes } from '../oid4vci/routes.js';
import { oauthRoutes } from '../oauth/routes.js';
import { obRoutes } from '../oauth/ob-routes.js';
import { createWalletImport } from '../wallet/importing.js';

export interface HttpOptions {
  /** pino options, or false for no logs (tests). */
  logger?: boolean | object;
  /** Sign-in and sign-up attempts per IP per minute. */
  authRateLimit?: number;
  /** Folder of the built web app; omitted, the API runs alone. */
  webDir?: string | undefined;
  /** Serve https with this certificate and key (PEM). */
  https?: { cert: Buffer; key: Buffer };
  /** OAuth 2.0 client registrations per IP per hour. */
  registrationRateLimit?: number;
}

/** The HTTP app over a platform: the kit, access control, and every capability's routes. */
export async function buildHttpApp(platform: Platform, options: HttpOptions = {}): Promise<FastifyInstance> {
  const { config } = platform;
  const app = await createHttpKit(config, {
    logger: options.logger,
    ...(options.https ? { https: options.https } : {}),
  });

  registerAccessControl(app, platform.accounts, {
    validate: (token) => platform.oauth.validateAccessToken(token, platform.oauth.obResource),
  });
  // Before the routes: every route that declares `config.audit` is recorded.
  registerAuditTrail(app, platform.audit);

  app.get('/openapi.json', { config: { access: access.public }, schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/healthz',
    { config: { access: access.public }, schema: { tags: ['platform'], summary: 'The process is alive' } },
    async () => ({ status: 'ok', version }),
  );
  app.get(
    '/readyz',
    { config: { access: access.public }, schema: { tags: ['platform'], summary: 'The database answers' } },
    async (request, reply) => {
      try {
        await platform.database.db.selectFrom('users').select('id').limit(1).execute();
        return { status: 'ready', database: platform.database.backend };
      } catch (error) {
        // The answer says only "not ready"; the reason goes to the log, for whoever runs the instance.
        request.log.error({ err: error }, 'readiness check: the database does not answer');
        return sendProblem(reply, problem(503, 'not-ready', 'Not ready', 'The database does not answer.'));
      }
    },
  );

  await app.register(accountsRoutes, {
    accounts: platform.accounts,
    authRateLimit: options.authRateLimit ?? 20,
  });
  await app.register(jobRoutes, { queue: platform.queue });
  await app.register(mailRoutes, { mail: platform.mail });
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
  await app.register(trustRoutes, { trust: platform.trust, refresh: platform.trustRefresh });
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
  await app.register(adviceRoutes, { advice: platform.advice });
  await app.register(analyticsRoutes, { analytics: platform.analytics });
  await app.register(auditRoutes, { audit: platform.audit });
  await app.register(hiringRoutes, { hiring: platform.hiring });
  await app.register(pathwaysRoutes, { pathways: platform.pathways });
  await app.register(backupRoutes, { database: platform.database });
  await app.register(oid4vciRoutes, {
    oid4vci: platform.oid4vci,
    publicUrl: config.publicUrl,
    rateLimit: options.authRateLimit ?? 20,
  });
  await app.register(teamRoutes, { hiring: platform.hiring });
  await app.register(applicationsRoutes, { applications: platform.applications });
  await app.register(oauthRoutes, {
    server: platform.oauth,
    registrationRateLimit: options.registrationRateLimit ?? 20,
  });
  await app.register(obRoutes, {
    wallet: platform.wallet,
    walletImport: createWalletImport({
      wallet: platform.wallet,
      verifier: platform.verifier,
      issuance: platform.issuance,
      identities: platform.identities,
    }),
    user: (userId) => platform.accounts.getUser(userId).catch(() => undefined),
    store: platform.oauthStore,
    publicUrl: config.publicUrl,
  });
  await app.register(issuerAnalyticsRoutes, { issuer: platform.issuerAnalytics });
  await app.register(webRoutes, { webDir: options.webDir });

  return app;
}
