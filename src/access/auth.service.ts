import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { authorize, can, roleWithin, scopeWithin, type Actor, type Role } from '../domain/access.js';
import { AppError, invalidInput, type Issue } from '../domain/errors.js';
import { newUid } from '../lib/uid.js';
import type { Store } from '../store/index.js';
import type { TokenRow, UserRow } from '../store/user.repository.js';
import { FailureLimiter } from './rate-limit.js';

const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id
const SESSION_HOURS = 12;
const TOKEN_PREFIX = 'crd_';

/** SHA-256 of a high-entropy secret (session id, API token): enough to store it safely. */
export const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

/** A new user, as an admin creates one. */
export interface UserInput {
  email: string;
  name?: string | undefined;
  role: Role;
  /** Codes of places (ISO3 for countries) the user may see and act on; empty for everywhere (admins only). */
  scopes: string[];
  password: string;
}

/** A user after an admin's change: with how many API tokens a password reset revoked. */
export type UpdatedUser = UserRow & { revokedTokens: number };

/**
 * Accounts, sessions, personal API tokens and login protection (DESIGN §6).
 *
 * Who manages whom (docs/access.md): an admin without a scope manages everyone; a scoped admin
 * manages only the users whose scope lies wholly within its own, and every other user looks to it
 * as if it did not exist (NOT_FOUND). Nobody grants a scope or role beyond their own, nobody
 * changes their own role, scope or status, and only an unscoped admin mints tokens for others.
 */
export class AuthService {
  readonly limiter = new FailureLimiter();

  constructor(private readonly store: Store) {}

  /** The actor of a user: role and the paths of their scope places. */
  private async actorOf(user: UserRow): Promise<Actor> {
    const paths = await this.store.repos.users.scopePaths(user.id);
    return { label: user.email, userId: user.id, role: user.role, scopePaths: user.role === 'admin' && paths.length === 0 ? null : paths };
  }

  /** True when the actor manages the user: an unscoped admin, or one whose scope holds the user's wholly. */
  private async manages(actor: Actor, userId: string): Promise<boolean> {
    if (!can(actor, 'users:manage')) return false;
    return actor.scopePaths === null || scopeWithin(await this.store.repos.users.scopePaths(userId), actor.scopePaths);
  }

  /** The user with this id when the actor manages it; otherwise NOT_FOUND, exactly as if there were none. */
  private async managed(actor: Actor, id: string): Promise<UserRow> {
    const user = await this.store.repos.users.byId(id);
    if (!user || !(await this.manages(actor, user.id))) throw new AppError('NOT_FOUND', `no user has id "${id}"`, { id });
    return user;
  }

  /**
   * FORBIDDEN unless the role and the scope (place codes) lie within the actor's own. For a scoped
   * admin an unknown code is refused like one outside its scope, so that it cannot probe which
   * areas exist elsewhere.
   */
  private async checkGrant(actor: Actor, role: Role, codes: string[]): Promise<void> {
    if (!roleWithin(role, actor.role)) {
      throw new AppError(
        'FORBIDDEN',
        `you may not give the role ${role.replace('_', ' ')}: it has more power than your own (${actor.role.replace('_', ' ')})`,
        { field: 'role' },
      );
    }
    if (actor.scopePaths === null) return;
    const own = (actor.userId ? (await this.store.repos.users.byId(actor.userId))?.scopes.join(', ') : '') || 'none';
    if (codes.length === 0) {
      throw new AppError('FORBIDDEN', `you may not give an empty scope (everywhere): give countries or areas within your own scope (${own})`, {
        field: 'scopes',
      });
    }
    for (const [k, code] of codes.entries()) {
      const place = await this.store.repos.places.findByCode(code);
      const path = place && place.level !== 'site' ? await this.store.repos.places.pathOf(place.id) : null;
      if (!path || !scopeWithin([path], actor.scopePaths)) {
        throw new AppError('FORBIDDEN', `scope "${code}" is not a country or area within your own scope (${own})`, { field: `scopes.${k}`, value: code });
      }
    }
  }

  private async scopeIds(codes: string[], issues: Issue[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [k, code] of codes.entries()) {
      const place = await this.store.repos.places.findByCode(code);
      if (!place || place.level === 'site') issues.push({ field: `scopes.${k}`, value: code, message: 'no country or admin area has this code' });
      else ids.push(place.id);
    }
    return ids;
  }

  private checkPassword(password: string, issues: Issue[]): void {
    if (password.length < 10) issues.push({ field: 'password', message: 'must be at least 10 characters' });
  }

  /** Creates a user (admins only). The password is stored as an argon2id hash. */
  async createUser(actor: Actor, input: UserInput): Promise<UserRow> {
    authorize(actor, 'users:manage');
    await this.checkGrant(actor, input.role, input.scopes);
    const issues: Issue[] = [];
    const email = input.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) issues.push({ field: 'email', value: input.email, message: 'is not an email address' });
    this.checkPassword(input.password, issues);
    const scopeIds = await this.scopeIds(input.scopes, issues);
    if (input.role !== 'admin' && input.scopes.length === 0)
      issues.push({ field: 'scopes', message: 'a user other than an admin needs at least one country or area' });
    if (await this.store.repos.users.byEmail(email)) issues.push({ field: 'email', value: email, message: 'another user has this email' });
    if (issues.length) throw invalidInput('user', issues);
    const passwordHash = await hash(input.password, { algorithm: ARGON2ID });
    const id = newUid();
    return this.store.transaction(async (repos) => {
      await repos.users.save({ id, email, name: input.name ?? email, role: input.role, disabled: false }, passwordHash, scopeIds);
      const user = (await repos.users.byId(id))!;
      await repos.audit.append([{ actor: actor.label, action: 'create', objectType: 'user', objectId: id, after: user }]);
      return user;
    });
  }

  /**
   * Changes a user's role, scopes, status, name or password (admins, for users they manage). Anything
   * that narrows what the user may do, or a new password, ends their sessions; a new password (a
   * reset) also revokes their API tokens, and the answer says how many.
   */
  async updateUser(
    actor: Actor,
    id: string,
    change: {
      role?: Role | undefined;
      scopes?: string[] | undefined;
      disabled?: boolean | undefined;
      name?: string | undefined;
      password?: string | undefined;
    },
  ): Promise<UpdatedUser> {
    authorize(actor, 'users:manage');
    const before = await this.managed(actor, id);
    const sameScopes = !change.scopes || [...new Set(change.scopes.map((c) => c.toUpperCase()))].sort().join() === [...before.scopes].sort().join();
    if (id === actor.userId) {
      // Nobody widens themselves, and nobody locks themselves out: there is always an admin left.
      if ((change.role !== undefined && change.role !== before.role) || !sameScopes || (change.disabled === true && !before.disabled)) {
        throw new AppError('FORBIDDEN', 'you may not change your own role, scope or status: another admin must do it');
      }
      if (change.password !== undefined) throw new AppError('FORBIDDEN', 'change your own password with your current one (POST /api/auth/password)');
    }
    if (change.role !== undefined || change.scopes !== undefined) await this.checkGrant(actor, change.role ?? before.role, change.scopes ?? before.scopes);
    const issues: Issue[] = [];
    const scopeIds = change.scopes ? await this.scopeIds(change.scopes, issues) : await this.scopeIds(before.scopes, issues);
    const role = change.role ?? before.role;
    if (role !== 'admin' && (change.scopes ?? before.scopes).length === 0)
      issues.push({ field: 'scopes', message: 'a user other than an admin needs at least one country or area' });
    if (change.password !== undefined) this.checkPassword(change.password, issues);
    if (issues.length) throw invalidInput('user', issues);
    const passwordHash = change.password !== undefined ? await hash(change.password, { algorithm: ARGON2ID }) : null;
    return this.store.transaction(async (repos) => {
      await repos.users.save(
        { id, email: before.email, name: change.name ?? before.name, role, disabled: change.disabled ?? before.disabled },
        passwordHash,
        scopeIds,
      );
      // Anything that narrows what the user may do, or a new password, ends their sessions.
      if (role !== before.role || change.disabled || !sameScopes || passwordHash) await repos.users.deleteSessionsOf(id);
      // A reset is what an admin does when an account may be in other hands: its tokens go too.
      const revoked: TokenRow[] = [];
      if (passwordHash) for (const t of await repos.users.tokens(id)) if (!t.revokedAt && (await repos.users.revokeToken(t.id))) revoked.push(t);
      const after = (await repos.users.byId(id))!;
      await repos.audit.append([
        {
          actor: actor.label,
          action: role !== before.role ? 'role-change' : passwordHash ? 'password-reset' : 'update',
          objectType: 'user',
          objectId: id,
          before,
          after,
          ...(passwordHash ? { details: { passwordReset: true, revokedTokens: revoked.length } } : {}),
        },
        ...revoked.map((t) => ({
          actor: actor.label,
          action: 'revoke',
          objectType: 'api-token',
          objectId: t.id,
          before: t,
          details: { reason: 'password-reset' },
        })),
      ]);
      return { ...after, revokedTokens: revoked.length };
    });
  }

  /** A user: oneself, or (admins) a user one manages. */
  async user(actor: Actor, id: string): Promise<UserRow> {
    if (id !== actor.userId) {
      authorize(actor, 'users:manage');
      return this.managed(actor, id);
    }
    const user = await this.store.repos.users.byId(id);
    if (!user) throw new AppError('NOT_FOUND', `no user has id "${id}"`, { id });
    return user;
  }

  /** Changes one's own password, given the current one; one's other sessions end. */
  async changePassword(actor: Actor, current: string, next: string, keepSession?: string): Promise<void> {
    if (!actor.userId) throw new AppError('BAD_REQUEST', 'only a user has a password');
    const stored = await this.store.repos.users.passwordHash(actor.userId);
    if (!stored || !(await verify(stored, current).catch(() => false))) {
      throw invalidInput('password change', [{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    const issues: Issue[] = [];
    this.checkPassword(next, issues);
    if (issues.length)
      throw invalidInput(
        'password change',
        issues.map((i) => ({ ...i, field: 'newPassword' })),
      );
    const user = (await this.store.repos.users.byId(actor.userId))!;
    const passwordHash = await hash(next, { algorithm: ARGON2ID });
    const scopeIds = await this.scopeIds(user.scopes, []);
    await this.store.transaction(async (repos) => {
      await repos.users.save(user, passwordHash, scopeIds);
      await repos.users.deleteSessionsOf(user.id, keepSession ? digest(keepSession) : undefined);
      await repos.audit.append([{ actor: actor.label, action: 'password-change', objectType: 'user', objectId: user.id }]);
    });
  }

  /** The users the actor manages (everyone, for an unscoped admin). */
  async listUsers(actor: Actor): Promise<UserRow[]> {
    authorize(actor, 'users:manage');
    const users = await this.store.repos.users.list();
    if (actor.scopePaths === null) return users;
    const kept: UserRow[] = [];
    for (const u of users) if (await this.manages(actor, u.id)) kept.push(u);
    return kept;
  }

  /**
   * Checks email and password; on success opens a session. Failures are counted per address and
   * per account: past the limit, RATE_LIMITED with the seconds to wait. The message never says
   * which of email or password was wrong.
   */
  async login(email: string, password: string, address: string): Promise<{ sessionId: string; csrfToken: string; user: UserRow }> {
    const keys = [`ip:${address}`, `account:${email.trim().toLowerCase()}`];
    const wait = Math.max(...keys.map((k) => this.limiter.retryAfter(k)));
    if (wait > 0) throw new AppError('RATE_LIMITED', `too many failed logins; try again in ${wait} seconds`, { retryAfter: wait });
    const user = await this.store.repos.users.byEmail(email.trim());
    const stored = user && !user.disabled ? await this.store.repos.users.passwordHash(user.id) : null;
    // Verify even without a user, so that timing does not tell which accounts exist.
    const ok = await verify(stored || '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$3b3hMnQFxuNfqa8oXZ3oQn0mU3Qm6xGSXEPR2d0VjSk', password).catch(
      () => false,
    );
    if (!user || !stored || !ok) {
      for (const k of keys) this.limiter.fail(k);
      await this.store.repos.audit.append([
        { actor: email.trim().toLowerCase(), action: 'login-failed', objectType: 'session', objectId: null, details: { address } },
      ]);
      throw new AppError('UNAUTHENTICATED', 'email or password is wrong');
    }
    for (const k of keys) this.limiter.succeed(k);
    const sessionId = secret();
    const csrfToken = secret();
    await this.store.repos.users.createSession(digest(sessionId), user.id, csrfToken, SESSION_HOURS);
    await this.store.repos.audit.append([{ actor: user.email, action: 'login', objectType: 'session', objectId: user.id, details: { address } }]);
    return { sessionId, csrfToken, user };
  }

  async logout(sessionId: string): Promise<void> {
    const session = await this.store.repos.users.session(digest(sessionId));
    await this.store.repos.users.deleteSession(digest(sessionId));
    if (session)
      await this.store.repos.audit.append([
        { actor: (await this.store.repos.users.byId(session.userId))?.email ?? 'unknown', action: 'logout', objectType: 'session', objectId: session.userId },
      ]);
  }

  /** The actor of a session cookie, with the session's CSRF token; null when it is not live. */
  async fromSession(sessionId: string): Promise<{ actor: Actor; csrfToken: string; user: UserRow } | null> {
    const session = await this.store.repos.users.session(digest(sessionId));
    if (!session) return null;
    const user = await this.store.repos.users.byId(session.userId);
    if (!user || user.disabled) return null;
    return { actor: await this.actorOf(user), csrfToken: session.csrfToken, user };
  }

  /** The actor of a bearer token; null when it is unknown or revoked. */
  async fromToken(token: string): Promise<{ actor: Actor; user: UserRow } | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const userId = await this.store.repos.users.tokenUser(digest(token));
    const user = userId ? await this.store.repos.users.byId(userId) : null;
    if (!user || user.disabled) return null;
    return { actor: await this.actorOf(user), user };
  }

  /** True when the CSRF token sent matches the session's (constant-time). */
  csrfMatches(expected: string, sent: string | undefined): boolean {
    if (!sent || sent.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(expected), Buffer.from(sent));
  }

  /**
   * Creates a personal API token for the actor, or (unscoped admins only) for another user; the
   * token is shown once. A scoped admin never acts as another user, whoever it is.
   */
  async createToken(actor: Actor, name: string, forEmail?: string): Promise<{ id: string; token: string; email: string; name: string }> {
    let userId = actor.userId;
    let email = actor.label;
    if (forEmail && forEmail.trim().toLowerCase() !== actor.label) {
      authorize(actor, 'users:manage');
      if (actor.scopePaths !== null)
        throw new AppError('FORBIDDEN', 'only an admin without a scope may create a token for another user: they can create their own');
      const user = await this.store.repos.users.byEmail(forEmail);
      if (!user) throw new AppError('NOT_FOUND', `no user has email "${forEmail}"`);
      userId = user.id;
      email = user.email;
    }
    if (!userId) throw new AppError('BAD_REQUEST', 'tokens belong to users: name the user (corridor tokens create <email>)');
    const token = TOKEN_PREFIX + secret();
    const id = newUid();
    await this.store.transaction(async (repos) => {
      await repos.users.createToken(id, userId, name, digest(token));
      await repos.audit.append([{ actor: actor.label, action: 'create', objectType: 'api-token', objectId: id, after: { email, name } }]);
    });
    return { id, token, email, name };
  }

  /** One's own tokens; with `all`, (admins) those of every user one manages. */
  async listTokens(actor: Actor, all = false): Promise<TokenRow[]> {
    if (all) authorize(actor, 'users:manage');
    const tokens = await this.store.repos.users.tokens(all ? undefined : (actor.userId ?? undefined));
    if (!all || actor.scopePaths === null) return tokens;
    const managed = new Map<string, boolean>();
    for (const t of tokens) if (!managed.has(t.userId)) managed.set(t.userId, await this.manages(actor, t.userId));
    return tokens.filter((t) => managed.get(t.userId));
  }

  /** Revokes a token: its owner, or an admin who manages its owner (for anyone else it does not exist). */
  async revokeToken(actor: Actor, id: string): Promise<void> {
    const token = (await this.store.repos.users.tokens()).find((t) => t.id === id);
    if (!token || (token.userId !== actor.userId && !(await this.manages(actor, token.userId)))) throw new AppError('NOT_FOUND', `no token has id "${id}"`);
    await this.store.transaction(async (repos) => {
      await repos.users.revokeToken(id);
      await repos.audit.append([{ actor: actor.label, action: 'revoke', objectType: 'api-token', objectId: id, before: token }]);
    });
  }

  /**
   * On the first start, the first admin: from CORRIDOR_ADMIN_EMAIL and CORRIDOR_ADMIN_PASSWORD,
   * or with a random password returned once (to print) and never stored in plain text.
   */
  async ensureFirstAdmin(env: NodeJS.ProcessEnv): Promise<{ email: string; password: string | null } | null> {
    if ((await this.store.repos.users.count()) > 0) return null;
    const email = (env.CORRIDOR_ADMIN_EMAIL ?? 'admin@corridor.local').trim().toLowerCase();
    const given = env.CORRIDOR_ADMIN_PASSWORD;
    const password = given ?? randomBytes(12).toString('base64url');
    const system: Actor = { label: 'system', userId: null, role: 'admin', scopePaths: null };
    await this.createUser(system, { email, name: 'Administrator', role: 'admin', scopes: [], password });
    return { email, password: given ? null : password };
  }
}
