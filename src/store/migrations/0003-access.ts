/** Users, their scopes, sessions and personal API tokens (DESIGN §6). Secrets are stored hashed. */
export default `
CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'country_manager', 'data_entry', 'analyst', 'viewer')),
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The places (countries or subtrees) a user may see and act on; none means everywhere only for admins.
CREATE TABLE user_scopes (
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  place_id text NOT NULL REFERENCES places (id),
  PRIMARY KEY (user_id, place_id)
);
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor);
-- Where a write happened (the object's place path), so that scoped readers see their own writes.
ALTER TABLE audit_events ADD COLUMN place_path text;
CREATE INDEX audit_events_place_idx ON audit_events (place_path text_pattern_ops);
`;
