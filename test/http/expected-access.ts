import type { Role } from '../../src/accounts/roles.js';

/**
 * Who may call each route, written here on purpose and apart from the routes' own `config.access`
 * declarations: the authorization walk (authorization-walk.test.ts) fails when a declared route is missing
 * from this table, when this table names a route the app does not declare, when a declaration differs from
 * the entry here, and when a call does not get the answer this table says it should.
 *
 * One entry per route (`METHOD /path` exactly as declared; HEAD follows GET). A new route gets its entry
 * here and a request fixture in the walk. Public routes are listed like any other: nothing is open by omission.
 */
export type Who =
  /** Anyone, signed in or not. */
  | { kind: 'public' }
  /** Any signed-in user, on their own things (their wallet, attempts, tokens…). */
  | { kind: 'user' }
  /**
   * A signed-in user holding `role` in some organization; the route names no organization in its path (the
   * request's body or the credential does), so the route is declared for any user and the role is checked
   * by the handler or the domain. Signed-in users without the role get 403.
   */
  | { kind: 'user'; role: Role }
  /** A member of the organization in the path (`:orgId`) holding one of `roles` (owners hold every role). */
  | { kind: 'org'; roles: readonly Role[] | 'any' }
  /** Instance admins only: no organization role grants it. */
  | { kind: 'admin' }
  /** A client with an OAuth 2.0 access token carrying `scope` (the OB 3.0 API); sessions and API tokens get 401. */
  | { kind: 'oauth'; scope: string };

const anyone: Who = { kind: 'public' };
const signedIn: Who = { kind: 'user' };
const admin: Who = { kind: 'admin' };
const member: Who = { kind: 'org', roles: 'any' };
const org = (...roles: Role[]): Who => ({ kind: 'org', roles });
const roleAnywhere = (role: Role): Who => ({ kind: 'user', role });
const ob3 = 'https://purl.imsglobal.org/spec/ob/v3p0/scope/';
const oauth = (scope: string): Who => ({ kind: 'oauth', scope: ob3 + scope });

export const expectedAccess: Record<string, Who> = {
  // Platform
  'GET /openapi.json': anyone,
  'GET /healthz': anyone,
  'GET /readyz': anyone,
  'GET /api/jobs/:jobId': signedIn,

  // Accounts
  'POST /api/auth/sign-up': anyone,
  'POST /api/auth/sign-in': anyone,
  'POST /api/auth/sign-out': signedIn,
  'GET /api/session': signedIn,
  'GET /api/session/current': anyone,
  'POST /api/auth/confirm-email': anyone,
  'POST /api/me/email/confirmation': signedIn,
  'POST /api/auth/password-reset': anyone,
  'POST /api/auth/password-reset/confirm': anyone,
  'GET /api/me/account': signedIn,
  'POST /api/me/password': signedIn,
  'POST /api/me/email': signedIn,

  // Mail: the outbox's delivery states, for instance admins (never the messages' text)
  'GET /api/admin/outbox': admin,
  'POST /api/admin/outbox/:messageId/retry': admin,
  'GET /api/tokens': signedIn,
  'POST /api/tokens': signedIn,
  'DELETE /api/tokens/:tokenId': signedIn,
  'POST /api/orgs': signedIn,
  'GET /api/orgs/:orgId': member,
  'GET /api/orgs/:orgId/members': org('owner'),
  'POST /api/orgs/:orgId/members': org('owner'),
  'DELETE /api/orgs/:orgId/members/:userId/roles/:role': org('owner'),

  // Keys and DIDs
  'GET /.well-known/did.json': anyone,
  'GET /issuers/:orgId/did.json': anyone,
  'GET /api/orgs/:orgId/keys': org('issuer'),
  'POST /api/orgs/:orgId/keys/rotate': org('owner'),
  'POST /api/orgs/:orgId/keys/:keyId/retire': org('owner'),

  // Issuance (VC-API and the issuer's pages)
  'POST /issuers/:orgId/credentials/issue': org('issuer'),
  'POST /credentials/issue': roleAnywhere('issuer'),
  'POST /credentials/status': roleAnywhere('issuer'),
  'GET /status-lists/:listId': anyone,
  'GET /status-lists/:listId/did-key/:fragment': anyone,
  'POST /api/orgs/:orgId/achievements/:achievementId/awards': org('issuer'),
  'GET /api/me/credentials': signedIn,
  'GET /api/orgs/:orgId/credentials': org('issuer'),
  'POST /api/orgs/:orgId/credentials/:credentialId/revoke': org('issuer'),
  'POST /api/orgs/:orgId/credentials/:credentialId/suspend': org('issuer'),
  'POST /api/orgs/:orgId/credentials/:credentialId/unsuspend': org('issuer'),

  // Bulk issuance and claim links
  'POST /api/orgs/:orgId/bulk-issuance/preview': org('issuer'),
  'POST /api/orgs/:orgId/bulk-issuance': org('issuer'),
  'GET /api/orgs/:orgId/bulk-issuance': org('issuer'),
  'GET /api/orgs/:orgId/bulk-issuance/:runId': org('issuer'),
  'GET /api/orgs/:orgId/bulk-issuance/:runId/errors.csv': org('issuer'),
  'GET /api/orgs/:orgId/bulk-issuance/:runId/claims.csv': org('issuer'),
  'GET /api/orgs/:orgId/outbox': org('issuer'),
  'GET /api/claims/:token': anyone,
  'POST /api/claims/:token': signedIn,

  // Verification
  'POST /credentials/verify': anyone,
  'POST /presentations/verify': anyone,
  'POST /api/verify': anyone,
  'POST /api/verify/batch': anyone,

  // Wallet
  'GET /api/me/wallet': signedIn,
  'GET /api/me/wallet/:holdingId': signedIn,
  'POST /api/me/wallet/import': signedIn,
  'DELETE /api/me/wallet/:holdingId': signedIn,
  'GET /api/me/wallet/export.zip': signedIn,
  'GET /api/me/wallet/:holdingId/export/:format': signedIn,
  'POST /api/me/wallet/transcript': signedIn,

  // Identities
  'GET /api/me/identities': signedIn,
  'POST /api/me/identities/did/challenge': signedIn,
  'POST /api/me/identities/did': signedIn,
  'DELETE /api/me/identities/did/:did': signedIn,
  'POST /api/me/identities/email': signedIn,
  'POST /api/identities/email/:token': signedIn,
  'DELETE /api/me/identities/email/:email': signedIn,

  // Trust
  'GET /api/trust/issuers': anyone,
  'GET /api/admin/trust-registries': admin,
  'POST /api/admin/trust-registries': admin,
  'DELETE /api/admin/trust-registries/:name': admin,
  'GET /api/admin/trust-registry-sources': admin,
  'PUT /api/admin/trust-registry-sources/:name': admin,
  'POST /api/admin/trust-registry-sources/:name/refresh': admin,
  'DELETE /api/admin/trust-registry-sources/:name': admin,

  // Catalog
  'GET /api/orgs/:orgId/profile': member,
  'PUT /api/orgs/:orgId/profile': org('owner'),
  'GET /api/orgs/:orgId/achievements': org('issuer'),
  'POST /api/orgs/:orgId/achievements': org('issuer'),
  'GET /api/orgs/:orgId/achievements/:achievementId': org('issuer'),
  'PUT /api/orgs/:orgId/achievements/:achievementId': org('issuer'),
  'POST /api/orgs/:orgId/achievements/:achievementId/publish': org('issuer'),
  'POST /api/orgs/:orgId/achievements/:achievementId/retire': org('issuer'),
  'GET /api/catalog': anyone,
  'GET /api/catalog/:achievementId': anyone,
  'GET /achievements/:achievementId/versions/:version': anyone,

  // Skills
  'GET /api/skills/frameworks': anyone,
  'GET /api/skills': anyone,
  'GET /api/occupations': anyone,
  'GET /api/occupations/:occupationId': anyone,
  'POST /api/orgs/:orgId/skills/import': org('issuer'),

  // Assessment: the item bank holds the answer keys, so only its organization's issuers see or change it.
  'GET /api/orgs/:orgId/achievements/:achievementId/items': org('issuer'),
  'POST /api/orgs/:orgId/achievements/:achievementId/items': org('issuer'),
  'GET /api/orgs/:orgId/achievements/:achievementId/items/statistics': org('issuer'),
  'POST /api/orgs/:orgId/achievements/:achievementId/items/import': org('issuer'),
  'GET /api/orgs/:orgId/achievements/:achievementId/items/export': org('issuer'),
  'POST /api/orgs/:orgId/achievements/:achievementId/items/:itemId/retire': org('issuer'),
  'PUT /api/orgs/:orgId/achievements/:achievementId/items/:itemId': org('issuer'),
  'GET /api/orgs/:orgId/achievements/:achievementId/test-preview': org('issuer'),
  'PUT /api/orgs/:orgId/achievements/:achievementId/test-policy': org('issuer'),
  'GET /api/achievements/:achievementId/test': anyone,
  'POST /api/achievements/:achievementId/attempts': signedIn,
  'GET /api/attempts/:attemptId': signedIn,
  'PUT /api/attempts/:attemptId/answers/:itemId': signedIn,
  'POST /api/attempts/:attemptId/events': signedIn,
  'POST /api/attempts/:attemptId/submit': signedIn,

  // Review
  'PUT /api/orgs/:orgId/achievements/:achievementId/rubric': org('issuer'),
  'GET /api/orgs/:orgId/achievements/:achievementId/rubric': org('issuer', 'assessor'),
  // A published micro-credential's rubric is public: its catalog page says how it is assessed.
  'GET /api/achievements/:achievementId/rubric': anyone,
  'POST /api/achievements/:achievementId/submissions': signedIn,
  'GET /api/me/submissions': signedIn,
  'GET /api/submissions/:submissionId/files/:fileId': signedIn,
  'GET /api/orgs/:orgId/reviews': org('assessor'),
  'GET /api/orgs/:orgId/submissions/:submissionId': org('assessor'),
  'POST /api/orgs/:orgId/submissions/:submissionId/accept': org('assessor'),
  'POST /api/orgs/:orgId/submissions/:submissionId/return': org('assessor'),

  // Sharing
  'POST /api/me/wallet/:holdingId/share': signedIn,
  'GET /api/me/wallet/:holdingId/share': signedIn,
  'DELETE /api/me/wallet/:holdingId/share': signedIn,
  'POST /api/me/wallet/:holdingId/share-events': signedIn,
  'GET /api/me/wallet/:holdingId/certificate.pdf': signedIn,
  'GET /api/me/sharing': signedIn,
  'GET /api/me/profile': signedIn,
  'PUT /api/me/profile': signedIn,
  'GET /api/me/reminders': signedIn,
  'POST /api/me/reminders/:holdingId/dismiss': signedIn,
  'GET /api/orgs/:orgId/share-stats': org('issuer'),
  'GET /c/:token': anyone,
  'GET /c/:token/credential': anyone,
  'GET /c/:token/embed': anyone,
  'GET /u/:handle': anyone,

  // Reskilling advice: one's own plan and roles; what-if exploration and a credential's roles for anyone
  'POST /api/me/advice/plan': signedIn,
  'GET /api/me/advice/occupations': signedIn,
  'GET /api/me/advice/skills': signedIn,
  'POST /api/advice/plan': anyone,
  'POST /api/advice/occupations': anyone,
  'GET /api/advice/achievements/:achievementId/roles': anyone,

  // Outcome analytics: one's own ledger and consent; imports and studies by instance admins (analysts)
  'GET /api/me/outcomes': signedIn,
  'POST /api/me/outcomes': signedIn,
  'PUT /api/me/analytics/consent': signedIn,
  'POST /api/admin/analytics/outcomes': admin,
  'POST /api/admin/analytics/event-study': admin,

  // Audit log: the whole instance's for instance admins, an organization's for its owners; read-only
  'GET /api/admin/audit': admin,
  'GET /api/admin/audit.csv': admin,
  'GET /api/orgs/:orgId/audit': org('owner'),
  'GET /api/orgs/:orgId/audit.csv': org('owner'),
  // Hiring: one's own talent profile; jobs and their candidates for the organization's employers (and owners)
  'GET /api/me/talent': signedIn,
  'PUT /api/me/talent': signedIn,
  'GET /api/me/talent/preview': signedIn,
  'GET /api/orgs/:orgId/jobs': org('employer'),
  'POST /api/orgs/:orgId/jobs': org('employer'),
  'GET /api/orgs/:orgId/jobs/:jobId': org('employer'),
  'PUT /api/orgs/:orgId/jobs/:jobId': org('employer'),
  'DELETE /api/orgs/:orgId/jobs/:jobId': org('employer'),
  'GET /api/orgs/:orgId/jobs/:jobId/candidates': org('employer'),
  'GET /api/orgs/:orgId/jobs/:jobId/candidates/:candidateId': org('employer'),
  'POST /api/orgs/:orgId/jobs/:jobId/candidates/:candidateId/reveal': org('employer'),
  // Open jobs are public: anyone may search them (drafts and closed jobs are never listed)
  'GET /api/jobs': anyone,
  'GET /api/jobs/:jobId/posting': anyone,
  // Pathways: issuers define them; learners see their own progress only
  'GET /api/orgs/:orgId/pathways': org('issuer'),
  'POST /api/orgs/:orgId/pathways': org('issuer'),
  'POST /api/orgs/:orgId/pathways/check': org('issuer'),
  'GET /api/orgs/:orgId/pathways/:pathwayId': org('issuer'),
  'PUT /api/orgs/:orgId/pathways/:pathwayId': org('issuer'),
  'POST /api/orgs/:orgId/pathways/:pathwayId/publish': org('issuer'),
  'POST /api/orgs/:orgId/pathways/:pathwayId/retire': org('issuer'),
  'GET /api/orgs/:orgId/pathways/:pathwayId/flags': org('issuer'),
  'POST /api/orgs/:orgId/pathways/:pathwayId/flags/:flagId/decision': org('issuer'),
  'GET /api/me/pathways': signedIn,
  'GET /api/me/pathways/:pathwayId': signedIn,
  'POST /api/orgs/:orgId/engagements': org('employer'),
  'GET /api/me/pathways/:pathwayId/clr': signedIn,

  // A backup of the embedded database taken by the running server
  'GET /api/admin/backup': admin,
  // Badge images: issuers upload; anyone sees them, and the badges drawn for micro-credentials without one
  'POST /api/orgs/:orgId/badge-images': org('issuer'),
  'GET /badge-images/:imageId': anyone,
  'GET /achievements/:achievementId/badge.svg': anyone,
  // European Learning Model (ELM v3) exports: a published micro-credential (public, as the catalog), your own
  // credentials and awarded pathways
  'GET /api/catalog/:achievementId/elm': anyone,
  'GET /api/me/wallet/:holdingId/elm': signedIn,
  'GET /api/me/pathways/:pathwayId/elm': signedIn,
  // OpenID4VCI (pre-authorized code flow): metadata and protocol endpoints (wallets authenticate with the
  // pre-authorized code and the access token), and the learner's offer of their own credential
  'GET /.well-known/openid-credential-issuer': anyone,
  'GET /.well-known/oauth-authorization-server/oid4vci': anyone,
  'GET /oid4vci/.well-known/oauth-authorization-server': anyone,
  'POST /oid4vci/token': anyone,
  'POST /oid4vci/nonce': anyone,
  'POST /oid4vci/credential': anyone,
  'POST /api/me/wallet/:holdingId/oid4vci-offer': signedIn,
  // Team staffing for a project: its employers only
  'POST /api/orgs/:orgId/jobs/:jobId/team': org('employer'),
  // Applications: a worker applies and answers their own (invitations, withdrawing); the organization's employers
  // (and owners) invite, run the pipeline, close engagements and read the funnel
  'POST /api/jobs/:jobId/applications': signedIn,
  'GET /api/me/applications': signedIn,
  'POST /api/me/applications/:applicationId/accept': signedIn,
  'POST /api/me/applications/:applicationId/decline': signedIn,
  'POST /api/me/applications/:applicationId/withdraw': signedIn,
  'POST /api/orgs/:orgId/jobs/:jobId/invitations': org('employer'),
  'GET /api/orgs/:orgId/jobs/:jobId/applications': org('employer'),
  'GET /api/orgs/:orgId/jobs/:jobId/applications/:applicationId': org('employer'),
  'POST /api/orgs/:orgId/jobs/:jobId/applications/:applicationId/stage': org('employer'),
  'GET /api/orgs/:orgId/engagements': org('employer'),
  'POST /api/orgs/:orgId/engagements/:engagementId/close': org('employer'),
  'GET /api/orgs/:orgId/funnel': org('employer'),
  'GET /api/orgs/:orgId/funnel.svg': org('employer'),
  'GET /api/me/stacked/:holdingId': signedIn,
  // Sharing experiments: admins (analysts) run and read them; a learner is told what to show, logged as an exposure
  'GET /api/admin/analytics/sample-size': admin,
  'GET /api/admin/analytics/experiments': admin,
  'POST /api/admin/analytics/experiments': admin,
  'POST /api/admin/analytics/experiments/:id/stop': admin,
  'GET /api/admin/analytics/experiments/:id/report': admin,
  'POST /api/me/share-nudge': signedIn,
  // Dashboards: plots (SVG) and tables (CSV); issuers see studies of their own credentials only
  'GET /api/admin/analytics/event-study.svg': admin,
  'GET /api/admin/analytics/event-study.csv': admin,
  'GET /api/orgs/:orgId/analytics/event-study.svg': org('issuer'),
  'GET /api/orgs/:orgId/analytics/event-study.csv': org('issuer'),
  'GET /api/admin/analytics/experiments/:id/report.svg': admin,
  'GET /api/admin/analytics/experiments/:id/report.csv': admin,

  // OAuth 2.0 authorization server (oidc-provider under /oauth): its endpoints are public and authenticate
  // clients themselves; the consent API and connected applications are the signed-in learner's
  'GET /oauth/*': anyone,
  'POST /oauth/*': anyone,
  'POST /oauth/reg': anyone,
  'GET /oauth/interaction/:uid': anyone,
  'GET /oauth/interaction/:uid/details': signedIn,
  'POST /oauth/interaction/:uid/decision': signedIn,
  'GET /api/me/connected-apps': signedIn,
  'DELETE /api/me/connected-apps/:clientId': signedIn,
  // Open Badges 3.0 REST API: OAuth 2.0 access tokens with the OB 3.0 scopes
  'GET /ims/ob/v3p0/discovery': anyone,
  'GET /ims/ob/v3p0/credentials': oauth('credential.readonly'),
  'POST /ims/ob/v3p0/credentials': oauth('credential.upsert'),
  'GET /ims/ob/v3p0/profile': oauth('profile.readonly'),
  'PUT /ims/ob/v3p0/profile': oauth('profile.update'),
  // Funnels in the outcome analytics: employers their own and the pool they share into; analysts any cut
  'GET /api/admin/analytics/funnel': admin,
  'GET /api/admin/analytics/funnel.svg': admin,
  'GET /api/admin/analytics/funnel.csv': admin,
  'GET /api/orgs/:orgId/analytics/funnel': org('employer'),
  'GET /api/orgs/:orgId/analytics/funnel.svg': org('employer'),
  'GET /api/orgs/:orgId/analytics/funnel.csv': org('employer'),
  'GET /api/orgs/:orgId/analytics/funnel-sharing': org('employer'),
  'PUT /api/orgs/:orgId/analytics/funnel-sharing': org('employer'),

  // The issuer dashboard: the organization's issuers their own micro-credentials; analysts any organization's
  'GET /api/admin/analytics/issuer': admin,
  'GET /api/admin/analytics/issuer.csv': admin,
  'GET /api/admin/analytics/issuer.svg': admin,
  'GET /api/orgs/:orgId/analytics/issuer': org('issuer'),
  'GET /api/orgs/:orgId/analytics/issuer.csv': org('issuer'),
  'GET /api/orgs/:orgId/analytics/issuer.svg': org('issuer'),
};
