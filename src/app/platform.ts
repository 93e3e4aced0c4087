import { createHmac } from 'node:crypto';
import { createAccounts, type Accounts } from '../accounts/accounts.js';
import { createAccountsStore } from '../accounts/store.js';
import { createAssessment, type Assessment } from '../assessment/assessment.js';
import { createAssessmentStore, finishedAttempts, testCanRun } from '../assessment/store.js';
import { createCatalog, type Catalog } from '../catalog/catalog.js';
import { createCatalogStore, publishedAchievements } from '../catalog/store.js';
import { createAwarding, type Awarding } from '../issuance/awarding.js';
import { createBulkIssuance, type BulkIssuance } from '../issuance/bulk-issuance.js';
import { createBulkStore } from '../issuance/bulk-store.js';
import { createIssuance, type Issuance } from '../issuance/issuance.js';
import { createIssuanceStore, earnedCredentials, issuedCredentials } from '../issuance/store.js';
import { createReview, type Review } from '../review/review.js';
import { createReviewStore } from '../review/store.js';
import { createSkills, type Skills } from '../skills/skills.js';
import { createSkillsStore } from '../skills/store.js';
import { createKeys, type Keys } from '../keys/keys.js';
import { assertMasterKeyOpens, loadMasterKey } from '../keys/master-key.js';
import { createKeysStore } from '../keys/store.js';
import { createWallet, type Wallet } from '../wallet/wallet.js';
import { createAdvice, type Advice } from '../advice/advice.js';
import { holdingFacts } from '../advice/evidence.js';
import { createWalletStore } from '../wallet/store.js';
import { createSharing, type Sharing } from '../sharing/sharing.js';
import { createSharingStore, sharedHoldings, shareActions } from '../sharing/store.js';
import { createAnalytics, type Analytics } from '../analytics/analytics.js';
import { createAnalyticsStore } from '../analytics/store.js';
import { createIssuerDashboard, type IssuerDashboard } from '../analytics/issuer.js';
import { createIssuerStore } from '../analytics/issuer-store.js';
import { createIdentities, type Identities } from '../identities/identities.js';
import { createIdentitiesStore } from '../identities/store.js';
import { createTrustStore } from '../trust/store.js';
import { createTrust, type Trust } from '../trust/trust.js';
import { createRegistryRefresh, type RegistryRefresh } from '../trust/refresh.js';
import { createPlatformVerifier, type PlatformVerifier } from '../verification/verifier.js';
import { createSafeFetch, defaultFetchPolicy } from '../platform/safe-fetch.js';
import type { Config } from '../platform/config.js';
import { assertDatabaseInitialized, assertDataFolder } from '../platform/data-folder.js';
import { openDatabase, redact, type DatabaseHandle } from '../platform/db/database.js';
import { assertReadable } from '../platform/db/integrity.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { createJobQueue, type JobQueue, type QueueOptions } from '../platform/jobs/queue.js';
import { createSmtpTransport, type MailTransport } from '../platform/mail/transport.js';
import { createMail, type Mail, type MailLogger } from '../mail/mail.js';
import { createMailStore } from '../mail/store.js';
import { pino } from 'pino';
import { createAudit, type Audit } from '../audit/audit.js';
import { createAuditStore } from '../audit/store.js';
import { createHiring, type Hiring } from '../hiring/hiring.js';
import { hiringFacts } from '../hiring/evidence.js';
import { credentialOf } from '../wallet/listing.js';
import { createHiringStore } from '../hiring/store.js';
import { createPathways, type Pathways } from '../pathways/pathways.js';
import { createPathwaysStore } from '../pathways/store.js';
import { createHoldingFactsStore } from '../pathways/facts-store.js';
import { heldCredential } from '../pathways/holdings.js';
import { signEddsaRdfc2022 } from '../vc/data-integrity.js';
import { createOid4vci, type Oid4vci } from '../oid4vci/oid4vci.js';
import { createOid4vciStore } from '../oid4vci/store.js';
import { configurationScopes } from '../oid4vci/metadata.js';
import { createApplications, type Applications } from '../hiring/applications.js';
import { createApplicationsStore } from '../hiring/applications-store.js';
import { createOAuthServer, type OAuthServer, type ResourceServer } from '../oauth/server.js';
import { createOAuthStore, type OAuthStore } from '../oauth/store.js';

/** The running platform's services, wired once and shared by the HTTP app, the workers and the CLI. */
export interface Platform {
  config: Config;
  database: DatabaseHandle;
  accounts: Accounts;
  keys: Keys;
  catalog: Catalog;
  assessment: Assessment;
  skills: Skills;
  issuance: Issuance;
  awarding: Awarding;
  review: Review;
  bulk: BulkIssuance;
  verifier: PlatformVerifier;
  wallet: Wallet;
  sharing: Sharing;
  trust: Trust;
  identities: Identities;
  advice: Advice;
  analytics: Analytics;
  queue: JobQueue;
  mail: Mail;
  audit: Audit;
  hiring: Hiring;
  pathways: Pathways;
  trustRefresh: RegistryRefresh;
  oid4vci: Oid4vci;
  applications: Applications;
  /**
   * The OAuth 2.0 authorization server. Another capability's API (e.g. OID4VCI's credential endpoint) uses it
   * through `oauth.validateAccessToken(token, audience)` and the authorization-code flow under /oauth; its
   * resource server is added with `oauthResourceServers`.
   */
  oauth: OAuthServer;
  oauthStore: OAuthStore;
  /** The issuer dashboard of the outcome analytics (pass and share rates, event study per micro-credential). */
  issuerAnalytics: IssuerDashboard;
  close(): Promise<void>;
}

export interface PlatformOptions {
  /** An already-open database (tests); otherwise opened from the config. */
  database?: DatabaseHandle;
  queue?: QueueOptions;
  /** Skip migrations when the caller already ran them. */
  migrate?: boolean;
  /**
   * Whether an empty data folder (or a PostgreSQL database without Skillproof's tables) may become a new
   * instance: the first run. The CLI asks for it with `--init`; the default suits tests and library use.
   */
  init?: boolean;
  /** Delivers mail instead of SMTP (tests); otherwise SMTP when SKILLPROOF_SMTP_URL is set. */
  mailTransport?: MailTransport;
  /** Mail: retries before a message is dead, and how often workers look for new messages. */
  mail?: { retryLimit?: number; sweepIntervalMs?: number };
  /** Where background work logs; a JSON logger at the configured level by default. */
  logger?: MailLogger;
  /** How often workers look for trust registries due for a refresh (a minute by default). */
  trustRefreshSweepMs?: number;
  /** Resource servers (besides the OB 3.0 API) the OAuth 2.0 server issues access tokens for. */
  oauthResourceServers?: ResourceServer[];
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const init = options.init ?? true;
  if (!options.database && !config.databaseUrl) assertDataFolder(config.dataDir, init);
  const database = options.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  try {
    if (!options.database && config.databaseUrl) {
      await assertDatabaseInitialized(database.db, redact(config.databaseUrl), init);
    }
    // A damaged embedded database refuses to start, naming the damaged files, rather than serving 500s.
    if (!options.database && !config.databaseUrl) await assertReadable(database, config.dataDir);
    if (options.migrate !== false) await migrateToLatest(database.db);
    return await wirePlatform(config, database, options);
  } catch (error) {
    // Refused (a wrong master key) or failed: a database opened here is closed here.
    if (!options.database) await database.close().catch(() => {});
    throw error;
  }
}

async function wirePlatform(config: Config, database: DatabaseHandle, options: PlatformOptions): Promise<Platform> {
  // Late-bound: bulk issuance needs accounts, yet new accounts get the credentials waiting for their email; the
  // verifier is created last, yet keys and issuance tell it about changes.
  const late: {
    bulk?: BulkIssuance;
    verifier?: PlatformVerifier;
    sharing?: Sharing;
    identities?: Identities;
    pathways?: Pathways;
    hiring?: Hiring;
  } = {};
  const queue = createJobQueue(database, options.queue);
  const logger = options.logger ?? pino({ level: config.logLevel });
  const transport =
    options.mailTransport ??
    (config.smtpUrl ? createSmtpTransport({ url: config.smtpUrl, from: config.mailFrom! }) : undefined);
  const mail = createMail({
    store: createMailStore(database.db),
    queue,
    transport,
    smtpUrl: config.smtpUrl,
    logger,
    ...options.mail,
    // Accounts are created next (they send mail); the outbox is only read after both exist.
    isAdmin: (userId) => accounts.isInstanceAdmin(userId),
  });
  queue.define(mail.job);
  const accounts = createAccounts({
    store: createAccountsStore(database.db),
    sessionTtlHours: config.sessionTtlHours,
    publicUrl: config.publicUrl,
    sendMail: (message) => mail.send(message),
    // What was awarded to an email attaches once the account proves it holds that email, never at sign-up.
    onEmailConfirmed: async (user) => void (await late.bulk?.attachPending(user)),
    emailHeldElsewhere: async (email, userId) => {
      const owner = await late.identities?.emailOwner(email);
      return owner !== undefined && owner !== userId;
    },
    ...(config.signInFailuresPerAccount ? { signInFailuresPerAccount: config.signInFailuresPerAccount } : {}),
    ...(config.signInLockMinutes ? { signInLockMinutes: config.signInLockMinutes } : {}),
  });
  const keysStore = createKeysStore(database.db);
  // A missing or wrong master key refuses to start here, before anything is served or signed.
  const master = loadMasterKey(config.masterKey, config.dataDir, { sealedKeys: await keysStore.countSealed() });
  const masterKey = master.key;
  const issuanceStore = createIssuanceStore(database.db);
  const keys = createKeys({
    store: keysStore,
    masterKey,
    publicUrl: config.publicUrl,
    onRetired: (orgId) => issuanceStore.unpublish(orgId),
    onKeysChanged: (orgId) => late.verifier?.forgetIssuer(orgId),
    hasRole: (userId, orgId, role) => accounts.hasRole(userId, orgId, [role]),
  });
  assertMasterKeyOpens(master.source, await keys.checkSealed());
  const catalog = createCatalog({
    store: createCatalogStore(database.db, { testCanRun }),
    publicUrl: config.publicUrl,
    didOf: (orgId) => keys.did(orgId),
    orgName: async (orgId) => (await accounts.getOrganization(orgId)).name,
  });
  const skills = createSkills({ store: createSkillsStore(database.db) });
  const issuance = createIssuance({
    store: issuanceStore,
    keys,
    publicUrl: config.publicUrl,
    onStatusChanged: (listId) => late.verifier?.forgetStatusList(listId),
    onRevoked: async (id, reason) =>
      late.pathways?.componentRevoked(id, reason ? `Revoked by its issuer: ${reason}` : 'Revoked by its issuer.'),
    onIssuedTo: async (userId, id) =>
      late.pathways
        ?.holdingsChanged(userId, `issued:${id}`)
        .catch((error: unknown) => logger.warn({ err: error, userId }, 'pathways: could not queue the re-evaluation')),
    isIssuer: (userId, orgId) => accounts.hasRole(userId, orgId, ['issuer']),
  });
  const awarding = createAwarding({
    issuance,
    catalog,
    emailOf: async (userId) => (await accounts.getUser(userId)).email,
    // Only an account that confirmed the email receives what is awarded to it; otherwise it waits as a claim.
    userIdOf: async (email) => (await accounts.confirmedUserByEmail(email))?.id,
    onUnclaimed: async ({ record, email }) => late.bulk?.holdForClaim([{ record, email, name: null, uploadId: null }]),
  });
  const assessment = createAssessment({
    store: createAssessmentStore(database.db),
    catalog,
    isIssuer: (userId, orgId) => accounts.hasRole(userId, orgId, ['issuer']),
    awards: {
      award: async (attempt, score) => (await awarding.awardForTest(attempt, score, attempt.policy.passMark)).record.id,
    },
    credentialsHeld: async (userId, achievementId) =>
      (await issuance.ofRecipient(userId))
        .filter((c) => c.achievementId === achievementId)
        .map((c) => ({ validUntil: c.validUntil, revoked: c.revokedAt !== null, suspended: c.suspendedAt !== null })),
  });
  const review = createReview({
    store: createReviewStore(database.db),
    catalog,
    isAssessor: (userId, orgId) => accounts.hasRole(userId, orgId, ['assessor']),
    isIssuer: (userId, orgId) => accounts.hasRole(userId, orgId, ['issuer']),
    attemptSignals: (userId, achievementId) => assessment.attemptSignals(userId, achievementId),
    awards: {
      award: async (submission, score, reviewerId) =>
        (
          await awarding.awardForReview(
            submission,
            {
              points: score.points,
              maxPoints: score.maxPoints,
              passPoints: score.passPoints,
              percent: score.percent,
              criteria: score.criteria,
            },
            reviewerId,
          )
        ).record.id,
    },
  });
  const fetcher = createSafeFetch({
    ...defaultFetchPolicy,
    allowPrivate: config.fetchAllowPrivate,
    allowHttp: config.fetchAllowHttp,
    timeoutMs: config.fetchTimeoutMs,
  });
  const trust = createTrust({
    store: createTrustStore(database.db),
    publicUrl: config.publicUrl,
    orgName: (orgId) =>
      accounts.getOrganization(orgId).then(
        (org) => org.name,
        () => undefined,
      ),
    onChanged: async () => {
      late.verifier?.forgetTrustedIssuers();
      // Rankings weigh trusted issuers: the workers whose issuers moved in or out are recomputed.
      await late.hiring?.issuersChanged();
    },
  });
  const verifier = createPlatformVerifier({
    keys,
    issuance,
    fetcher,
    publicUrl: config.publicUrl,
    organizationExists: (orgId) =>
      accounts.getOrganization(orgId).then(
        () => true,
        () => false,
      ),
    trustedIssuer: (did) => trust.lookup(did),
    // A public credential page of this instance (/c/TOKEN, …/credential): the shared credential as stored.
    localDocument: async (url) => {
      const token = /^\/c\/([^/]+)(?:\/credential)?\/?$/.exec(url.pathname)?.[1];
      if (!token) return undefined;
      const shared = await late.sharing?.publicCredential(token);
      return shared?.state === 'shared' ? shared.holding.document : undefined;
    },
    // The clients exempt from rate limits (an internal verification service) are from the fetch cap too.
    statusListLimits: { exemptClients: config.rateLimitAllowList ?? [] },
  });
  late.verifier = verifier;
  const bulk = createBulkIssuance({
    store: createBulkStore(database.db),
    issuance,
    catalog,
    queue,
    publicUrl: config.publicUrl,
    claimSecret: createHmac('sha256', masterKey).update('skillproof claim links').digest(),
    orgName: async (orgId) => (await accounts.getOrganization(orgId)).name,
    isIssuer: (userId, orgId) => accounts.hasRole(userId, orgId, ['issuer']),
  });
  late.bulk = bulk;
  queue.define(bulk.job);
  const walletStore = createWalletStore(database.db);
  const wallet = createWallet({ store: walletStore, issuance });
  const sharing = createSharing({
    store: createSharingStore(database.db),
    wallet,
    verify: (input) => verifier.verify(input),
    userName: async (userId) => (await accounts.getUser(userId)).name,
    orgName: async (orgId) => (await accounts.getOrganization(orgId)).name,
    publicUrl: config.publicUrl,
  });
  late.sharing = sharing;
  const identities = createIdentities({
    store: createIdentitiesStore(database.db),
    domain: new URL(config.publicUrl).host,
    verifyPresentation: (presentation, options) => verifier.verifyPresentation(presentation, options),
    publicUrl: config.publicUrl,
    accountWithEmail: async (email) => (await accounts.findUserByEmail(email))?.id,
  });
  late.identities = identities;
  /**
   * A user's holdings with the wallet's status rules, each imported one verified now (undefined when it could not
   * be checked): what advice, hiring and pathways read a worker's evidence from.
   */
  const verifiedHoldings = async (userId: string) =>
    Promise.all(
      (await wallet.holdings(userId)).map(async (holding) => ({
        holding,
        verdict:
          holding.kind === 'imported'
            ? await verifier.verify({ text: holding.document }).catch(() => undefined)
            : undefined,
      })),
    );
  const advice = createAdvice({
    // The wallet's holdings with the wallet's status rules; imports are verified now (revoked, expired: no skills).
    holdings: async (userId) => {
      const now = new Date();
      return (await verifiedHoldings(userId)).map(({ holding, verdict }) => holdingFacts(holding, verdict, now));
    },
    skills,
    catalog,
    // Open jobs as targets (hiring is wired below; the port is called per request, after wiring).
    jobs: { target: (jobId) => hiring.openJobTarget(jobId) },
  });
  const analytics = createAnalytics({
    store: createAnalyticsStore(database.db, { earnedCredentials, shareActions }),
    // A sharing experiment's stratum: the issuer of the holding the nudge is about (null for an import).
    issuerOfHolding: async (userId, holdingId) =>
      wallet.holding(userId, holdingId).then(
        (holding) => holding.issued?.orgId ?? null,
        () => undefined,
      ),
    joinedAt: async (userId) =>
      (await database.db.selectFrom('users').select('created_at').where('id', '=', userId).executeTakeFirstOrThrow())
        .created_at,
    userIdOf: async (worker) =>
      worker.includes('@')
        ? (await accounts.findUserByEmail(worker))?.id
        : /^[0-9a-f-]{36}$/i.test(worker)
          ? await accounts.getUser(worker).then(
              (user) => user.id,
              () => undefined,
            )
          : undefined,
    // Hiring's funnel, pooled over the organizations analytics names (hiring is wired below; called per request).
    funnel: (orgIds, period) => applications.pooledFunnel(orgIds, period),
  });
  const issuerAnalytics = createIssuerDashboard({
    store: createIssuerStore(database.db, {
      publishedAchievements,
      finishedAttempts,
      issuedCredentials,
      sharedHoldings,
    }),
    eventStudy: (request) => analytics.eventStudy(request),
    organizationExists: (orgId) =>
      accounts.getOrganization(orgId).then(
        () => true,
        () => false,
      ),
  });
  const audit = createAudit({
    store: createAuditStore(database.db),
    retentionDays: config.auditRetentionDays ?? 730,
  });
  const hiring = createHiring({
    store: createHiringStore(database.db),
    // The wallet's holdings with the wallet's status rules (imports verified now), and whether the registry of
    // trusted issuers knows each issuer.
    holdings: async (userId) => {
      const now = new Date();
      const trusted = new Map<string, Promise<boolean>>();
      const isTrusted = (id: string | null) => {
        if (!id?.startsWith('did:')) return Promise.resolve(false);
        if (!trusted.has(id))
          trusted.set(
            id,
            trust.lookup(id).then(
              (found) => found !== undefined,
              () => false,
            ),
          );
        return trusted.get(id)!;
      };
      const held = await verifiedHoldings(userId);
      // Imported work history and references count only when they name the worker: one of their DIDs or
      // confirmed emails, or a credential they hold.
      const worker = {
        dids: await identities.didsOf(userId),
        emails: [(await accounts.getUser(userId)).email, ...(await identities.emailsOf(userId))],
        credentialIds: held
          .map(({ holding }) => credentialOf(holding)?.id)
          .filter((id): id is string => typeof id === 'string'),
      };
      return Promise.all(
        held.map(async ({ holding, verdict }) => {
          const facts = hiringFacts(holding, verdict, now, worker);
          return { ...facts, trustedIssuer: await isTrusted(facts.issuer.id) };
        }),
      );
    },
    verdict: async (userId, holdingId) => {
      const holding = await wallet.holding(userId, holdingId).catch(() => undefined);
      if (!holding) return undefined;
      const result = await verifier.verify({ text: holding.document });
      return { verified: result.verified, checks: result.checks };
    },
    skills,
    identity: async (userId) => {
      const user = await accounts.getUser(userId);
      return { displayName: user.name, email: user.email };
    },
    orgName: (orgId) =>
      accounts.getOrganization(orgId).then(
        (org) => org.name,
        () => undefined,
      ),
    issue: async (orgId, unsigned, options) => {
      const issued = await issuance.issue({ orgId, profile: await catalog.issuerProfile(orgId) }, unsigned, options);
      return { id: issued.record.id, credentialId: issued.record.credentialId };
    },
    workerByEmail: async (email) => (await accounts.confirmedUserByEmail(email))?.id,
    // Team staffing's applicant pool: applications in play, with the holdings each worker attached.
    applicants: (_orgId, jobId) => applications.applicants(jobId),
    isTrustedIssuer: async (issuerId) =>
      issuerId.startsWith('did:') && (await trust.lookup(issuerId).catch(() => undefined)) !== undefined,
    // Engagements closed here feed the outcomes ledger (a job start on the first day, source 'engagement').
    engagementClosed: (engagement) => analytics.recordEngagement(engagement),
  });
  late.hiring = hiring;
  const pathways = createPathways({
    store: createPathwaysStore(database.db),
    publicUrl: config.publicUrl,
    achievements: async (ids) =>
      (
        await Promise.all(
          ids.map(async (id) => {
            const [latest] = await catalog.versions(id);
            if (!latest) return undefined;
            return {
              achievementId: id,
              name: latest.definition.title,
              orgId: latest.orgId,
              orgName: latest.orgName,
              published: latest.status === 'published',
              ectsCredits: latest.definition.ectsCredits ?? null,
              workloadHours: latest.definition.workloadHours,
              eqfLevel: latest.definition.eqfLevel ?? null,
            };
          }),
        )
      ).filter((f) => f !== undefined),
    // The wallet's holdings with the wallet's status rules; imports are verified now, and their issuer looked up
    // among this instance's organizations and the trust registry.
    holdings: async (userId) => {
      const now = new Date();
      return Promise.all(
        (await verifiedHoldings(userId)).map(async ({ holding, verdict }) => {
          const issuerId = verdict?.summary?.issuer.id ?? holding.imported?.issuerId ?? null;
          const accepted =
            holding.kind === 'imported' && issuerId ? (await trust.lookup(issuerId)) !== undefined : false;
          return heldCredential(holding, verdict, now, accepted);
        }),
      );
    },
    issue: async (award) => {
      const issued = await awarding.awardForPathway(award);
      return { credentialId: issued.record.id, name: issued.record.name ?? 'Stacked credential' };
    },
    revoke: async (userId, orgId, credentialId, reason) =>
      void (await issuance.changeStatus(userId, orgId, credentialId, 'revoke', reason)),
    emailOf: async (userId) => (await accounts.getUser(userId)).email,
    mailed: () => mail.kick(),
    enqueue: (name, data, options) => queue.enqueue(name, data, options),
    // The projection of every wallet that re-evaluations read in bulk (on PostgreSQL with COPY, connections of its own).
    facts: createHoldingFactsStore(database.db, { url: database.url }),
    instance: {
      issuer: () => ({
        did: keys.did(null),
        name: `Skillproof (${new URL(config.publicUrl).host})`,
        url: config.publicUrl,
      }),
      sign: async (unsigned) => {
        const signer = await keys.signer(null, 'Ed25519');
        return signEddsaRdfc2022(unsigned, signer.privateKey, { verificationMethod: signer.verificationMethod });
      },
    },
    publishedAchievement: async (id) => (await catalog.current(id)).achievement as unknown as Record<string, unknown>,
  });
  late.pathways = pathways;
  queue.define(pathways.job);
  queue.define(pathways.learnerJob);
  queue.define(pathways.reevaluateJob);
  // Applications, the pipeline and engagements; notices to workers go through the outbox (and mail, if configured).
  const applications = createApplications({
    store: createApplicationsStore(database.db),
    hiringStore: createHiringStore(database.db),
    hiring,
    holdings: (userId) => hiring.workerHoldings(userId),
    identity: async (userId) => {
      const user = await accounts.getUser(userId);
      return { displayName: user.name, email: user.email };
    },
    orgName: (orgId) =>
      accounts.getOrganization(orgId).then(
        (org) => org.name,
        () => undefined,
      ),
    publicUrl: config.publicUrl,
    kickMail: () => mail.kick(),
    // Closed engagements' value enters the outcomes ledger (earnings and a project won, source 'engagement').
    engagementEarned: (engagement) => analytics.recordEarnings(engagement),
  });
  queue.define(pathways.recheckJob);
  // Registries fetched from a URL: files up to 5 MB (10,000 issuers is about 2 MB), under the outbound-fetch rules.
  const registryFetcher = createSafeFetch({
    ...defaultFetchPolicy,
    allowPrivate: config.fetchAllowPrivate,
    allowHttp: config.fetchAllowHttp,
    timeoutMs: config.fetchTimeoutMs,
    maxBytes: 5 * 1024 * 1024,
  });
  const trustRefresh = createRegistryRefresh({
    store: createTrustStore(database.db),
    trust,
    queue,
    fetchText: async (url) => (await registryFetcher.fetchDocument(url, 'application/json')).body.toString('utf8'),
    allowHttp: config.fetchAllowHttp,
    ...(options.trustRefreshSweepMs ? { sweepIntervalMs: options.trustRefreshSweepMs } : {}),
    onError: (error) =>
      logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'Looking for due registries failed',
      ),
  });
  queue.define(trustRefresh.job);
  const oid4vci = createOid4vci({
    store: createOid4vciStore(database.db),
    wallet,
    issuance,
    publicUrl: config.publicUrl,
    // The authorization-code flow: the OAuth 2.0 server's tokens for the credential issuer (created below).
    oauthAccess: (token) => oauth.validateAccessToken(token, config.publicUrl),
  });
  // The credential issuer as a resource server of the OAuth 2.0 server: one scope per credential configuration;
  // the learner's consent binds the grant to the offer the wallet's issuer_state names.
  const credentialIssuer: ResourceServer = {
    identifier: config.publicUrl,
    scopes: Object.keys(configurationScopes()),
    scopeWords: configurationScopes(),
    onConsent: ({ userId, grantId, params }) => oid4vci.bindOffer(userId, params.issuer_state, grantId),
  };

  const oauthStore = createOAuthStore(database.db);
  const oauth = createOAuthServer({
    store: oauthStore,
    publicUrl: config.publicUrl,
    masterKey,
    userExists: async (userId) =>
      /^[0-9a-f-]{36}$/i.test(userId) &&
      (await accounts.getUser(userId).then(
        () => true,
        () => false,
      )),
    resourceServers: [credentialIssuer, ...(options.oauthResourceServers ?? [])],
  });
  return {
    config,
    database,
    accounts,
    keys,
    catalog,
    assessment,
    skills,
    issuance,
    awarding,
    review,
    bulk,
    verifier,
    wallet,
    sharing,
    trust,
    identities,
    advice,
    analytics,
    queue,
    mail,
    audit,
    hiring,
    pathways,
    trustRefresh,
    oid4vci,
    applications,
    oauth,
    oauthStore,
    issuerAnalytics,
    async close() {
      await pathways.stop();
      await oauth.stop();
      await trustRefresh.stop();
      await mail.stop();
      await queue.stop();
      await issuance.close();
      await database.close();
    },
  };
}
