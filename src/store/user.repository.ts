import type { Role } from '../domain/access.js';
import type { SqlClient } from './sql-client.js';

/** A user as stored, without the password hash. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  /** Codes of the places in scope (ISO3 for countries). */
  scopes: string[];
}

export interface TokenRow {
  id: string;
  userId: string;
  email: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const ts = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const SELECT_USER = `SELECT u.id, u.email, u.name, u.role, u.disabled, ${ts('u.created_at')} AS "createdAt",
    COALESCE((SELECT jsonb_agg(p.code ORDER BY p.code) FROM user_scopes s JOIN places p ON p.id = s.place_id WHERE s.user_id = u.id), '[]'::jsonb) AS scopes
  FROM users u`;

/** Users, scopes, sessions and tokens. Only hashes of secrets are stored. */
export class UserRepository {
  constructor(private readonly db: SqlClient) {}

  async count(): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n;
  }

  list(): Promise<UserRow[]> {
    return this.db.query<UserRow>(`${SELECT_USER} ORDER BY u.email`);
  }

  async byId(id: string): Promise<UserRow | null> {
    return (await this.db.query<UserRow>(`${SELECT_USER} WHERE u.id = $1`, [id]))[0] ?? null;
  }

  async byEmail(email: string): Promise<UserRow | null> {
    return (await this.db.query<UserRow>(`${SELECT_USER} WHERE u.email = $1`, [email.toLowerCase()]))[0] ?? null;
  }

  async passwordHash(id: string): Promise<string | null> {
    return (await this.db.query<{ h: string }>('SELECT password_hash AS h FROM users WHERE id = $1', [id]))[0]?.h ?? null;
  }

  /** Materialised paths of a user's scope places. */
  async scopePaths(userId: string): Promise<string[]> {
    const rows = await this.db.query<{ path: string }>(
      'SELECT p.path FROM user_scopes s JOIN places p ON p.id = s.place_id WHERE s.user_id = $1 ORDER BY p.path',
      [userId],
    );
    return rows.map((r) => r.path);
  }

  async save(
    u: { id: string; email: string; name: string; role: Role; disabled: boolean },
    passwordHash: string | null,
    scopePlaceIds: string[],
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO users (id, email, name, role, disabled, password_hash) VALUES ($1, $2, $3, $4, $5, COALESCE($6, ''))
       ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, role = EXCLUDED.role,
         disabled = EXCLUDED.disabled, password_hash = COALESCE($6, users.password_hash), updated_at = now()`,
      [u.id, u.email.toLowerCase(), u.name, u.role, u.disabled, passwordHash],
    );
    await this.db.query('DELETE FROM user_scopes WHERE user_id = $1', [u.id]);
    await this.db.query('INSERT INTO user_scopes (user_id, place_id) SELECT $1, x FROM jsonb_array_elements_text($2::jsonb) AS x', [
      u.id,
      JSON.stringify(scopePlaceIds),
    ]);
  }

  async createSession(idHash: string, userId: string, csrfToken: string, ttlHours: number): Promise<void> {
    await this.db.query(`INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`, [
      idHash,
      userId,
      csrfToken,
      ttlHours,
    ]);
  }

  /** The live session's user and CSRF token, or null when unknown or expired. */
  async session(idHash: string): Promise<{ userId: string; csrfToken: string } | null> {
    const rows = await this.db.query<{ userId: string; csrfToken: string }>(
      `SELECT user_id AS "userId", csrf_token AS "csrfToken" FROM sessions WHERE id_hash = $1 AND expires_at > now()`,
      [idHash],
    );
    return rows[0] ?? null;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE id_hash = $1 OR expires_at < now()', [idHash]);
  }

  /** Ends every session of a user, except `keepHash` (the one making the change) when given. */
  async deleteSessionsOf(userId: string, keepHash?: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2', [userId, keepHash ?? '']);
  }

  async createToken(id: string, userId: string, name: string, tokenHash: string): Promise<void> {
    await this.db.query('INSERT INTO api_tokens (id, user_id, name, token_hash) VALUES ($1, $2, $3, $4)', [id, userId, name, tokenHash]);
  }

  /** The user of a live token (and marks it used), or null. */
  async tokenUser(tokenHash: string): Promise<string | null> {
    const rows = await this.db.query<{ userId: string }>(
      `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id AS "userId"`,
      [tokenHash],
    );
    return rows[0]?.userId ?? null;
  }

  tokens(userId?: string): Promise<TokenRow[]> {
    return this.db.query<TokenRow>(
      `SELECT t.id, t.user_id AS "userId", u.email, t.name, ${ts('t.created_at')} AS "createdAt",
         ${ts('t.last_used_at')} AS "lastUsedAt", ${ts('t.revoked_at')} AS "revokedAt"
       FROM api_tokens t JOIN users u ON u.id = t.user_id ${userId ? 'WHERE t.user_id = $1' : ''} ORDER BY t.created_at`,
      userId ? [userId] : [],
    );
  }

  async revokeToken(id: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]);
    return rows.length > 0;
  }
}
