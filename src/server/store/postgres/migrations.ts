import {
  alarmsTable,
  backchannel,
  codesTable,
  eventsTable,
  PG_TYPES,
  replayDetection,
} from "../sql/schema.js";

// Ordered, append-only schema migrations; schema_migrations records which have run. Text
// columns compare byte-wise (COLLATE "C"), as SQLite's do, so sorting and ranges agree.

export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sid TEXT COLLATE "C" NOT NULL UNIQUE,
    cookie_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    user_dn TEXT COLLATE "C",
    state TEXT COLLATE "C" NOT NULL CHECK (state IN ('unauthenticated', 'authenticated')),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    auth_time BIGINT,
    absolute_expires_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    permission_granted BOOLEAN NOT NULL DEFAULT false,
    auth_user TEXT COLLATE "C",
    client_id TEXT COLLATE "C",
    acr TEXT COLLATE "C",
    remote_ip TEXT COLLATE "C",
    user_agent TEXT COLLATE "C",
    attrs TEXT NOT NULL DEFAULT '{}',
    secure BOOLEAN NOT NULL DEFAULT false,
    record_id TEXT COLLATE "C" NOT NULL,
    grants TEXT NOT NULL DEFAULT '{}',
    handle TEXT COLLATE "C" NOT NULL UNIQUE,
    user_id TEXT COLLATE "C",
    realm TEXT COLLATE "C" NOT NULL DEFAULT '/',
    props TEXT NOT NULL DEFAULT '{}',
    -- What pattern searches: the user, the sid and every attribute value, lower-cased.
    search_text TEXT NOT NULL DEFAULT ''
  );
  -- Covers the liveness range and the default sort, so a page is picked from the index.
  CREATE INDEX sessions_expires ON sessions (expires_at, created_at, sid);
  CREATE INDEX sessions_created ON sessions (created_at, sid);
  CREATE INDEX sessions_user_dn ON sessions (user_dn, expires_at);
  CREATE INDEX sessions_auth_user ON sessions (auth_user, created_at);
  CREATE INDEX sessions_client ON sessions (client_id, created_at);
  CREATE INDEX sessions_user_id ON sessions (user_id, expires_at);
  CREATE INDEX sessions_realm ON sessions (realm, last_used_at, sid);
  CREATE INDEX sessions_anon_ip ON sessions (remote_ip, expires_at) WHERE state = 'unauthenticated';
  CREATE INDEX sessions_anon ON sessions (expires_at) WHERE state = 'unauthenticated';
  CREATE INDEX sessions_text ON sessions USING gin (search_text gin_trgm_ops);

  CREATE TABLE users (
    dn TEXT COLLATE "C" PRIMARY KEY,
    username TEXT COLLATE "C" NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT false,
    password_changed_at BIGINT NOT NULL DEFAULT 0,
    roles TEXT NOT NULL DEFAULT '',
    email TEXT COLLATE "C",
    realm TEXT COLLATE "C" NOT NULL DEFAULT '/'
  );
  CREATE UNIQUE INDEX users_email ON users (email) WHERE email IS NOT NULL;

  CREATE TABLE login_attempts (
    username TEXT COLLATE "C" PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0,
    pending_at BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0
  );
  CREATE INDEX login_attempts_updated ON login_attempts (updated_at);

  CREATE TABLE clients (
    client_id TEXT COLLATE "C" PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    type TEXT NOT NULL DEFAULT 'confidential' CHECK (type IN ('confidential', 'public')),
    redirect_uris TEXT NOT NULL DEFAULT '[]',
    post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]',
    userinfo_jwt BOOLEAN NOT NULL DEFAULT false
  );

  CREATE TABLE signing_keys (
    kid TEXT COLLATE "C" PRIMARY KEY,
    private_jwk TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );

  CREATE TABLE revoked_tokens (
    jti TEXT COLLATE "C" PRIMARY KEY,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX revoked_tokens_expires ON revoked_tokens (expires_at);
  CREATE TABLE revoked_subjects (
    subject TEXT COLLATE "C" PRIMARY KEY,
    before BIGINT NOT NULL
  );

  CREATE TABLE device_codes (
    device_code_hash TEXT COLLATE "C" PRIMARY KEY,
    user_code TEXT COLLATE "C" NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    interval_s INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'used')),
    user_dn TEXT,
    last_poll_at BIGINT NOT NULL DEFAULT 0
  );
  CREATE INDEX device_codes_expires ON device_codes (expires_at);

  CREATE TABLE refresh_tokens (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    client_id TEXT NOT NULL,
    subject TEXT COLLATE "C" NOT NULL,
    scopes TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    sid TEXT COLLATE "C",
    offline BOOLEAN NOT NULL DEFAULT false
  );
  CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
  CREATE INDEX refresh_tokens_subject ON refresh_tokens (subject);
  CREATE INDEX refresh_tokens_sid ON refresh_tokens (sid) WHERE sid IS NOT NULL;

  ${codesTable(PG_TYPES)}

  ${eventsTable(PG_TYPES)}
  `,
  `${alarmsTable(PG_TYPES)}
  CREATE INDEX users_username_lower ON users (lower(username));
  -- Every searchable field has an index: the admin console filters by address, others by these.
  CREATE INDEX sessions_remote_ip ON sessions (remote_ip, created_at);
  CREATE INDEX sessions_last_used ON sessions (last_used_at, sid);
  CREATE INDEX sessions_auth_time ON sessions (auth_time);
  CREATE INDEX sessions_acr ON sessions (acr, created_at);
  `,
  replayDetection(PG_TYPES),
  backchannel(PG_TYPES),
];
