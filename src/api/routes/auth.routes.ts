import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../../domain/access.js';
import { AppError } from '../../domain/errors.js';
import { pageSchema } from '../../domain/place.js';
import { isoDate, isoDateTime, z } from '../../domain/validation.js';
import { clearSessionCookie, sessionCookie, setSessionCookie } from '../auth.js';
import { defineRoute } from '../route.js';

const FacetSchema = z.array(z.object({ value: z.string(), count: z.number().int() }));
const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    objectType: z.string(),
    objectId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    details: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });
const AuditFacetsSchema = z.object({ actions: FacetSchema, objectTypes: FacetSchema, actors: FacetSchema }).meta({ id: 'AuditFacets' });

const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    createdAt: z.string(),
    scopes: z.array(z.string()).describe('Codes of the countries or areas the user may see and act on; empty for an unscoped admin.'),
  })
  .meta({ id: 'User' });
const UpdatedUserSchema = UserSchema.extend({
  revokedTokens: z.number().int().describe('How many of the user’s API tokens this change revoked (a password reset revokes them all).'),
}).meta({ id: 'UpdatedUser' });
const MeSchema = z.object({ user: UserSchema, permissions: z.array(z.enum(PERMISSIONS)), csrfToken: z.string().nullable() }).meta({ id: 'Me' });
const TokenSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
const json = (schema: z.ZodType) => ({ 'application/json': schema });
const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

export const authRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/auth/login',
    operationId: 'login',
    summary: 'Log in with email and password: sets the session cookie and returns the CSRF token for writes',
    tags: ['access'],
    public: true,
    body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) }).strict(),
    responses: { 200: { description: 'Logged in', content: json(MeSchema) }, 429: { description: 'Too many failed logins; see Retry-After' } },
    async handler({ body, services, request, reply }) {
      const { sessionId, csrfToken, user } = await services.auth.login(body.email, body.password, request.ip);
      // A new login replaces the browser's previous session rather than leaving it alive.
      const previous = sessionCookie(request);
      if (previous) await services.auth.logout(previous);
      setSessionCookie(request, reply, sessionId, 12 * 3600);
      return { user, permissions: ROLE_PERMISSIONS[user.role], csrfToken };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/logout',
    operationId: 'logout',
    summary: 'End the session',
    tags: ['access'],
    responses: { 204: { description: 'Logged out' } },
    async handler({ services, request, reply }) {
      const sessionId = sessionCookie(request);
      if (sessionId) await services.auth.logout(sessionId);
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/auth/me',
    operationId: 'getMe',
    summary: 'Who I am: user, permissions, and (for a browser session) the CSRF token',
    tags: ['access'],
    responses: { 200: { description: 'The current user', content: json(MeSchema) } },
    async handler({ services, actor, request }) {
      const user = actor.userId ? await services.auth.user(actor, actor.userId) : null;
      if (!user) throw new AppError('UNAUTHENTICATED', 'log in first');
      const session = sessionCookie(request);
      const csrfToken = session && !request.headers.authorization ? ((await services.auth.fromSession(session))?.csrfToken ?? null) : null;
      return { user, permissions: ROLE_PERMISSIONS[user.role], csrfToken };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/auth/password',
    operationId: 'changePassword',
    summary: 'Change my password (the current one is required); my other sessions end',
    tags: ['access'],
    body: z.object({ currentPassword: z.string().min(1).max(1000), newPassword: z.string().min(10, 'must be at least 10 characters').max(1000) }).strict(),
    responses: { 204: { description: 'Changed' } },
    async handler({ body, services, actor, request, reply }) {
      await services.auth.changePassword(actor, body.currentPassword, body.newPassword, sessionCookie(request));
      return reply.code(204).send();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/users',
    operationId: 'listUsers',
    summary: 'Users with their roles and scopes (admins: the users within their scope)',
    tags: ['access'],
    responses: { 200: { description: 'Every user', content: json(z.object({ items: z.array(UserSchema) })) } },
    async handler({ services, actor }) {
      return { items: await services.auth.listUsers(actor) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/users',
    operationId: 'createUser',
    summary: 'Create a user (admins: with a role and scope within their own)',
    tags: ['access'],
    body: z
      .object({
        email: z.string().min(3).max(320),
        name: z.string().min(1).max(200).optional(),
        role: z.enum(ROLES),
        scopes: z.array(z.string().min(1).max(64)).max(500).default([]),
        password: z.string().min(10, 'must be at least 10 characters').max(1000),
      })
      .strict(),
    responses: { 201: { description: 'The user', content: json(UserSchema) } },
    async handler({ body, services, actor, reply }) {
      reply.code(201);
      return services.auth.createUser(actor, body);
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/users/:id',
    operationId: 'updateUser',
    summary:
      "Change a user's role, scopes, name or status, or reset their password (admins, for users within their scope); their sessions end, and a reset revokes their API tokens",
    tags: ['access'],
    params: IdParams,
    body: z
      .object({
        role: z.enum(ROLES).optional(),
        scopes: z.array(z.string().min(1).max(64)).max(500).optional(),
        disabled: z.boolean().optional(),
        name: z.string().min(1).max(200).optional(),
        password: z.string().min(10, 'must be at least 10 characters').max(1000).optional().describe('A new password (a reset by an admin).'),
      })
      .strict(),
    responses: { 200: { description: 'The user, with how many API tokens were revoked', content: json(UpdatedUserSchema) } },
    async handler({ params, body, services, actor }) {
      return services.auth.updateUser(actor, params.id, body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/tokens',
    operationId: 'listTokens',
    summary: 'My personal API tokens (with all=true, those of every user within my scope: admins)',
    tags: ['access'],
    query: z.object({ all: z.enum(['true', 'false']).default('false') }).strict(),
    responses: { 200: { description: 'Tokens (never the secrets)', content: json(z.object({ items: z.array(TokenSchema) })) } },
    async handler({ query, services, actor }) {
      return { items: await services.auth.listTokens(actor, query.all === 'true') };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/tokens',
    operationId: 'createToken',
    summary: 'Create a personal API token; the token is in this answer only (use: Authorization: Bearer …)',
    tags: ['access'],
    body: z
      .object({ name: z.string().min(1).max(100), email: z.string().max(320).optional().describe('Another user (admins without a scope only).') })
      .strict(),
    responses: {
      201: { description: 'The token, shown once', content: json(z.object({ id: z.string(), token: z.string(), email: z.string(), name: z.string() })) },
    },
    async handler({ body, services, actor, reply }) {
      reply.code(201);
      return services.auth.createToken(actor, body.name, body.email);
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/tokens/:id',
    operationId: 'revokeToken',
    summary: 'Revoke a token (its owner, or an admin within whose scope the owner is)',
    tags: ['access'],
    params: IdParams,
    responses: { 204: { description: 'Revoked' } },
    async handler({ params, services, actor, reply }) {
      await services.auth.revokeToken(actor, params.id);
      return reply.code(204).send();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/audit',
    operationId: 'listAudit',
    summary: 'The audit trail, newest first (admins; country managers: writes within their scope)',
    tags: ['access'],
    query: z
      .object({
        actor: z.string().max(320).optional(),
        action: z.string().max(64).optional(),
        objectType: z.string().max(64).optional(),
        objectId: z.string().max(64).optional(),
        from: isoDateTime.or(isoDate).optional(),
        to: isoDateTime.or(isoDate).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        offset: z.coerce.number().int().min(0).default(0),
      })
      .strict(),
    responses: { 200: { description: 'A page of audit entries', content: { 'application/json': pageSchema(AuditEntrySchema, 'AuditPage') } } },
    async handler({ query, services, actor }) {
      return services.audit.list(actor, query);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/audit/facets',
    operationId: 'auditFacets',
    summary: 'What the audit trail holds, to filter by: the actions, object types and actors recorded, with counts',
    tags: ['access'],
    responses: { 200: { description: 'The recorded values of each filter, the most frequent first', content: { 'application/json': AuditFacetsSchema } } },
    async handler({ services, actor }) {
      return services.audit.facets(actor);
    },
  }),
];
