import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf, sessionCookie } from '../accounts/access.js';
import { DomainError } from '../platform/errors.js';
import { noteAudit } from '../audit/routes.js';
import type { Accounts, ApiTokenRecord, Caller, Member, SessionGrant } from './accounts.js';
import { passwordRules } from './passwords.js';
import { apiScopes, roles } from './roles.js';

const Id = Type.String({ format: 'uuid' });
const UserSchema = Type.Object(
  {
    id: Id,
    email: Type.String(),
    name: Type.String(),
    emailConfirmed: Type.Boolean({
      description: 'Whether the email was confirmed by the link sent to it; until then nothing sent to it attaches',
    }),
  },
  { $id: 'User' },
);
const OrgSchema = Type.Object({ id: Id, name: Type.String() }, { $id: 'Organization' });
const RoleSchema = Type.Enum(roles, { description: 'owner, issuer, assessor or employer' });
const MembershipSchema = Type.Object({ org: OrgSchema, roles: Type.Array(RoleSchema) });
const MemberSchema = Type.Object({ user: UserSchema, roles: Type.Array(RoleSchema) });
const TokenSchema = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const Email = Type.String({ maxLength: 254, description: 'Email address' });
const Password = Type.String({ maxLength: passwordRules.maxLength });
const OrgParams = Type.Object({ orgId: Type.String() });
const LinkToken = Type.String({ minLength: 1, maxLength: 200, description: 'The token from the link sent by mail' });
const Pending = Type.Object({ email: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

/** Password and email changes need a person at a browser: an API token, if leaked, must not take the account over. */
function sessionOnly(caller: ReturnType<typeof callerOf>) {
  if (caller.kind !== 'session') {
    throw new DomainError('forbidden', 'Change your password or email signed in on the web, not with an API token.');
  }
  return caller;
}

export interface AccountsRouteOptions {
  accounts: Accounts;
  /** Sign-up and sign-in attempts per IP per minute. */
  authRateLimit: number;
}

const tokenView = (record: ApiTokenRecord) => ({
  ...record,
  createdAt: record.createdAt.toISOString(),
  expiresAt: record.expiresAt?.toISOString() ?? null,
  lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
  revokedAt: record.revokedAt?.toISOString() ?? null,
});

const memberView = (member: Member) => member;

/** Sign-up, sign-in, sessions, API tokens and organizations. Each handler only parses, calls, formats. */
export async function accountsRoutes(base: FastifyInstance, { accounts, authRateLimit }: AccountsRouteOptions) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const rateLimit = { max: authRateLimit, timeWindow: '1 minute' };

  function setSessionCookie(reply: FastifyReply, grant: SessionGrant) {
    reply.setCookie(sessionCookie, grant.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: reply.request.protocol === 'https',
      expires: grant.expiresAt,
    });
  }

  app.post(
    '/api/auth/sign-up',
    {
      config: { access: access.public, rateLimit },
      schema: {
        tags: ['accounts'],
        summary: 'Create an account and sign in',
        body: Type.Object(
          { email: Email, name: Type.String({ maxLength: 120 }), password: Password },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ user: UserSchema }) },
      },
    },
    async (request, reply) => {
      const user = await accounts.signUp(request.body);
      setSessionCookie(reply, await accounts.startSession(user.id));
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/api/auth/sign-in',
    {
      config: { access: access.public, rateLimit, audit: { action: 'account.signed-in', refusals: true } },
      schema: {
        tags: ['accounts'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: Type.Object({ email: Email, password: Password }, { additionalProperties: false }),
        response: { 200: Type.Object({ user: UserSchema }) },
      },
    },
    async (request, reply) => {
      const user = await accounts.signIn(request.body);
      setSessionCookie(reply, await accounts.startSession(user.id));
      noteAudit(request, { actor: { kind: 'session', userId: user.id, email: user.email } });
      return { user };
    },
  );

  app.post(
    '/api/auth/confirm-email',
    {
      config: { access: access.public, rateLimit },
      schema: {
        tags: ['accounts'],
        summary:
          'Confirm an email from the link sent to it (at sign-up or an email change); what was sent to it attaches',
        body: Type.Object({ token: LinkToken }, { additionalProperties: false }),
        response: { 200: Type.Object({ email: Type.String() }) },
      },
    },
    async (request) => {
      const user = await accounts.confirmEmail(request.body.token);
      return { email: user.email };
    },
  );

  app.post(
    '/api/me/email/confirmation',
    {
      config: { access: access.user, rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['accounts'],
        summary: 'Send a new link that confirms your email (the previous one stops working)',
        response: { 202: Pending },
      },
    },
    async (request, reply) => {
      const sent = await accounts.resendConfirmation(callerOf(request).user.id);
      return reply.code(202).send({ email: sent.email, expiresAt: sent.expiresAt.toISOString() });
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: { access: access.public, rateLimit: { max: Math.min(authRateLimit, 5), timeWindow: '1 minute' } },
      schema: {
        tags: ['accounts'],
        summary:
          'Ask for a password reset link (valid one hour, once). The answer is the same whether or not the email has an account',
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Type.Object({ message: Type.String() }) },
      },
    },
    async (request, reply) => {
      // Not awaited: an unknown email would answer sooner than a known one, which would tell who has an account.
      void accounts
        .requestPasswordReset(request.body.email)
        .catch((error: unknown) => request.log.error({ err: error }, 'password reset request failed'));
      return reply.code(202).send({
        message:
          'If an account has this email, a link to reset its password is on its way. It works once, within one hour.',
      });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      config: { access: access.public, rateLimit, audit: { action: 'account.password-reset' } },
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with the link sent by mail; every session of the account ends',
        body: Type.Object({ token: LinkToken, password: Password }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const user = await accounts.resetPassword(request.body);
      noteAudit(request, { actor: { kind: 'anonymous', userId: user.id, email: user.email } });
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/me/account',
    {
      config: { access: access.user },
      schema: {
        tags: ['accounts'],
        summary: 'Your email, whether it is confirmed, and an email change waiting for its link',
        response: {
          200: Type.Object({
            email: Type.String(),
            emailConfirmed: Type.Boolean(),
            pendingEmail: Type.Union([Pending, Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const status = await accounts.emailStatus(callerOf(request).user.id);
      return {
        ...status,
        pendingEmail: status.pendingEmail && {
          email: status.pendingEmail.email,
          expiresAt: status.pendingEmail.expiresAt.toISOString(),
        },
      };
    },
  );

  app.post(
    '/api/me/password',
    {
      config: { access: access.user, rateLimit, audit: { action: 'account.password-changed', refusals: true } },
      schema: {
        tags: ['accounts'],
        summary: 'Change your password (with the current one); your other sessions end',
        body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const caller = sessionOnly(callerOf(request));
      await accounts.changePassword({ userId: caller.user.id, sessionId: caller.sessionId }, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/me/email',
    {
      config: {
        access: access.user,
        rateLimit: { max: 5, timeWindow: '1 minute' },
        audit: { action: 'account.email-change-requested', fields: ['email'] },
      },
      schema: {
        tags: ['accounts'],
        summary:
          'Change your email (with your password): a link goes to the new address, which replaces the current one once followed',
        body: Type.Object({ email: Email, currentPassword: Password }, { additionalProperties: false }),
        response: { 202: Pending },
      },
    },
    async (request, reply) => {
      const caller = sessionOnly(callerOf(request));
      const pending = await accounts.requestEmailChange(caller.user.id, request.body);
      return reply.code(202).send({ email: pending.email, expiresAt: pending.expiresAt.toISOString() });
    },
  );

  app.post(
    '/api/auth/sign-out',
    { config: { access: access.user }, schema: { tags: ['accounts'], summary: 'End this session' } },
    async (request, reply) => {
      const caller = callerOf(request);
      if (caller.kind === 'session') await accounts.endSession(caller.sessionId);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.code(204).send();
    },
  );

  const SessionSchema = Type.Object({
    user: UserSchema,
    memberships: Type.Array(MembershipSchema),
    csrfToken: Type.Union([Type.String(), Type.Null()]),
    isAdmin: Type.Boolean({ description: 'Whether the user is an instance admin' }),
  });
  const sessionView = async (caller: Caller) => ({
    user: caller.user,
    memberships: await accounts.memberships(caller.user.id),
    csrfToken: caller.kind === 'session' ? caller.csrfToken : null,
    isAdmin: await accounts.isInstanceAdmin(caller.user.id),
  });

  app.get(
    '/api/session',
    {
      config: { access: access.user },
      schema: {
        tags: ['accounts'],
        summary: 'Who is signed in, their organizations and roles, and the CSRF token for writes',
        response: { 200: SessionSchema },
      },
    },
    async (request) => sessionView(callerOf(request)),
  );

  // What the web app asks on every page load: nobody signed in is an answer (null), not a 401 that browsers log
  // as an error on every signed-out page.
  app.get(
    '/api/session/current',
    {
      config: { access: access.public },
      schema: {
        tags: ['accounts'],
        summary: 'The session as GET /api/session gives it, or null when nobody is signed in (never 401)',
        response: { 200: Type.Union([SessionSchema, Type.Null()]) },
      },
    },
    async (request) => (request.caller ? sessionView(request.caller) : null),
  );

  app.get(
    '/api/tokens',
    {
      config: { access: access.user },
      schema: {
        tags: ['accounts'],
        summary: 'List your API tokens',
        response: { 200: Type.Object({ tokens: Type.Array(TokenSchema) }) },
      },
    },
    async (request) => ({ tokens: (await accounts.listApiTokens(callerOf(request).user.id)).map(tokenView) }),
  );

  app.post(
    '/api/tokens',
    {
      config: { access: access.user, audit: { action: 'token.created', fields: ['name', 'scopes', 'expiresInDays'] } },
      schema: {
        tags: ['accounts'],
        summary: 'Create an API token; the secret is shown only in this response',
        body: Type.Object(
          {
            name: Type.String({ maxLength: 120 }),
            scopes: Type.Array(Type.Enum(apiScopes), { minItems: 1, maxItems: 2 }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ token: Type.String(), record: TokenSchema }) },
      },
    },
    async (request, reply) => {
      const { token, record } = await accounts.createApiToken(callerOf(request).user.id, request.body);
      return reply.code(201).send({ token, record: tokenView(record) });
    },
  );

  app.delete(
    '/api/tokens/:tokenId',
    {
      config: { access: access.user, audit: { action: 'token.revoked' } },
      schema: {
        tags: ['accounts'],
        summary: 'Revoke an API token',
        params: Type.Object({ tokenId: Id }),
      },
    },
    async (request, reply) => {
      await accounts.revokeApiToken(callerOf(request).user.id, request.params.tokenId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/orgs',
    {
      config: { access: access.user, audit: { action: 'org.created', fields: ['name'] } },
      schema: {
        tags: ['organizations'],
        summary: 'Create an organization; you become its owner',
        body: Type.Object({ name: Type.String({ maxLength: 120 }) }, { additionalProperties: false }),
        response: { 201: OrgSchema },
      },
    },
    async (request, reply) => {
      const org = await accounts.createOrganization(callerOf(request).user.id, request.body);
      // Its creator becomes its owner: the organization's log starts here.
      noteAudit(request, { orgId: org.id, target: `orgId=${org.id}` });
      return reply.code(201).send(org);
    },
  );

  app.get(
    '/api/orgs/:orgId',
    {
      config: { access: access.orgMember },
      schema: {
        tags: ['organizations'],
        summary: 'An organization you belong to, with your roles in it',
        params: OrgParams,
        response: { 200: MembershipSchema },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      const org = await accounts.getOrganization(orgId);
      const mine = (await accounts.memberships(callerOf(request).user.id)).find((m) => m.org.id === orgId);
      return { org, roles: mine?.roles ?? [] };
    },
  );

  app.get(
    '/api/orgs/:orgId/members',
    {
      config: { access: access.org('owner') },
      schema: {
        tags: ['organizations'],
        summary: 'Members of the organization and their roles',
        params: OrgParams,
        response: { 200: Type.Object({ members: Type.Array(MemberSchema) }) },
      },
    },
    async (request) => ({
      members: (await accounts.listMembers(callerOf(request).user.id, request.params.orgId)).map(memberView),
    }),
  );

  app.post(
    '/api/orgs/:orgId/members',
    {
      config: { access: access.org('owner'), audit: { action: 'member.role-granted', fields: ['email', 'role'] } },
      schema: {
        tags: ['organizations'],
        summary: 'Give a role to an existing account',
        params: OrgParams,
        body: Type.Object({ email: Email, role: RoleSchema }, { additionalProperties: false }),
        response: { 201: MemberSchema },
      },
    },
    async (request, reply) => {
      const member = await accounts.addMember(callerOf(request).user.id, request.params.orgId, request.body);
      return reply.code(201).send(member);
    },
  );

  app.delete(
    '/api/orgs/:orgId/members/:userId/roles/:role',
    {
      config: { access: access.org('owner'), audit: { action: 'member.role-removed' } },
      schema: {
        tags: ['organizations'],
        summary: 'Take a role away from a member',
        params: Type.Object({ orgId: Type.String(), userId: Id, role: RoleSchema }),
      },
    },
    async (request, reply) => {
      const { orgId, userId, role } = request.params;
      await accounts.removeRole(callerOf(request).user.id, orgId, userId, role);
      return reply.code(204).send();
    },
  );
}
