import {
  alarmsTable,
  backchannel,
  codesTable,
  eventsTable,
  replayDetection,
  SQLITE_TYPES,
} from "../sql/schema.js";

// Ordered, append-only schema migrations; PRAGMA user_version records how many have run.
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    sid TEXT NOT NULL UNIQUE,
    cookie_hash TEXT NOT NULL UNIQUE,
    user_dn TEXT,
    state TEXT NOT NULL CHECK (state IN ('unauthenticated', 'authenticated')),
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    auth_time INTEGER,
    absolute_expires_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    permission_granted INTEGER NOT NULL DEFAULT 0,
    auth_user TEXT,
    client_id TEXT,
    acr TEXT,
    remote_ip TEXT,
    user_agent TEXT,
    attrs TEXT NOT NULL DEFAULT '{}'
  );
  -- Covers the liveness range and the default sort, so a page is picked without row lookups.
  CREATE INDEX sessions_expires ON sessions (expires_at, created_at, sid);
  CREATE INDEX sessions_created ON sessions (created_at);
  CREATE INDEX sessions_user_dn ON sessions (user_dn, expires_at);
  CREATE INDEX sessions_auth_user ON sessions (auth_user, created_at);
  CREATE INDEX sessions_client ON sessions (client_id, created_at);

  -- Substring search (pattern) over user, sid and attributes through a trigram index.
  CREATE VIRTUAL TABLE sessions_text USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'trigram');
  CREATE TRIGGER sessions_text_ins AFTER INSERT ON sessions BEGIN
    INSERT INTO sessions_text (rowid, body)
      VALUES (new.id, coalesce(new.user_dn, '') || ' ' || new.sid || ' ' ||
        coalesce((SELECT group_concat(value, ' ') FROM json_each(new.attrs)), ''));
  END;
  CREATE TRIGGER sessions_text_del AFTER DELETE ON sessions BEGIN
    DELETE FROM sessions_text WHERE rowid = old.id;
  END;
  CREATE TRIGGER sessions_text_upd AFTER UPDATE OF user_dn, attrs ON sessions BEGIN
    DELETE FROM sessions_text WHERE rowid = old.id;
    INSERT INTO sessions_text (rowid, body)
      VALUES (new.id, coalesce(new.user_dn, '') || ' ' || new.sid || ' ' ||
        coalesce((SELECT group_concat(value, ' ') FROM json_each(new.attrs)), ''));
  END;

  CREATE TABLE users (
    dn TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_jwk TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE revoked_tokens (
    jti TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE device_codes (
    device_code_hash TEXT PRIMARY KEY,
    user_code TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    interval_s INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'used')),
    user_dn TEXT,
    last_poll_at INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  `
  -- Lockout state per user name (known or not, so the answers never tell them apart): settled
  -- failures, attempts being evaluated now, and the lock.
  CREATE TABLE login_attempts (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0,
    pending_at INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX login_attempts_updated ON login_attempts (updated_at);
  ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN password_changed_at INTEGER NOT NULL DEFAULT 0;
  -- Sessions created over TLS are never accepted over plain HTTP.
  ALTER TABLE sessions ADD COLUMN secure INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX sessions_anon_ip ON sessions (remote_ip, expires_at) WHERE state = 'unauthenticated';
  CREATE INDEX sessions_anon ON sessions (expires_at) WHERE state = 'unauthenticated';
  -- Every token of a subject issued before this instant is revoked (user disabled, password reset).
  CREATE TABLE revoked_subjects (
    subject TEXT PRIMARY KEY,
    before INTEGER NOT NULL
  );
  CREATE INDEX revoked_tokens_expires ON revoked_tokens (expires_at);
  CREATE INDEX device_codes_expires ON device_codes (expires_at);
  CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
  CREATE INDEX refresh_tokens_subject ON refresh_tokens (subject);
  `,
  `
  -- OpenID Provider: registered relying parties, codes, tokens bound to sessions, session events.
  ALTER TABLE clients ADD COLUMN type TEXT NOT NULL DEFAULT 'confidential' CHECK (type IN ('confidential', 'public'));
  ALTER TABLE clients ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE clients ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE clients ADD COLUMN userinfo_jwt INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '';
  ALTER TABLE users ADD COLUMN email TEXT;
  CREATE UNIQUE INDEX users_email ON users (email) WHERE email IS NOT NULL;
  -- The record's own identifier (never the cookie), and the clients the session granted codes to.
  ALTER TABLE sessions ADD COLUMN record_id TEXT;
  ALTER TABLE sessions ADD COLUMN grants TEXT NOT NULL DEFAULT '{}';
  UPDATE sessions SET record_id = lower(hex(randomblob(16))) WHERE record_id IS NULL;
  ${codesTable(SQLITE_TYPES)}
  ALTER TABLE refresh_tokens ADD COLUMN sid TEXT;
  ALTER TABLE refresh_tokens ADD COLUMN offline INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX refresh_tokens_sid ON refresh_tokens (sid) WHERE sid IS NOT NULL;
  ${eventsTable(SQLITE_TYPES)}
  `,
  `
  -- The PingAM face: an admin handle per session (never its token), the user's id and realm, and
  -- properties set through the session-properties API; users belong to a realm.
  ALTER TABLE sessions ADD COLUMN handle TEXT;
  UPDATE sessions SET handle = 'shandle:' || lower(hex(randomblob(24))) WHERE handle IS NULL;
  CREATE UNIQUE INDEX sessions_handle ON sessions (handle);
  ALTER TABLE sessions ADD COLUMN user_id TEXT;
  UPDATE sessions SET user_id = substr(user_dn, 6, instr(user_dn, ',') - 6) WHERE user_dn LIKE 'inum=%,%';
  ALTER TABLE sessions ADD COLUMN realm TEXT NOT NULL DEFAULT '/';
  ALTER TABLE sessions ADD COLUMN props TEXT NOT NULL DEFAULT '{}';
  CREATE INDEX sessions_user_id ON sessions (user_id, expires_at);
  CREATE INDEX sessions_realm ON sessions (realm, last_used_at, sid);
  ALTER TABLE users ADD COLUMN realm TEXT NOT NULL DEFAULT '/';
  `,
  `${alarmsTable(SQLITE_TYPES)}
  -- The admin console filters sessions by address.
  CREATE INDEX sessions_remote_ip ON sessions (remote_ip, created_at);
  `,
  replayDetection(SQLITE_TYPES),
  backchannel(SQLITE_TYPES),
  `
  -- Parity with PostgreSQL (the schema-parity test compares them): the session indexes it gained in
  -- 2911aed (remote_ip's was added to an applied migration, so files migrated before lack it), the
  -- creation sort with its tie-breaker, and no lockout columns on users (login_attempts holds them).
  CREATE INDEX IF NOT EXISTS sessions_remote_ip ON sessions (remote_ip, created_at);
  CREATE INDEX sessions_last_used ON sessions (last_used_at, sid);
  CREATE INDEX sessions_auth_time ON sessions (auth_time);
  CREATE INDEX sessions_acr ON sessions (acr, created_at);
  CREATE INDEX users_username_lower ON users (lower(username));
  DROP INDEX sessions_created;
  CREATE INDEX sessions_created ON sessions (created_at, sid);
  ALTER TABLE users DROP COLUMN failed_logins;
  ALTER TABLE users DROP COLUMN locked_until;
  `,
];
