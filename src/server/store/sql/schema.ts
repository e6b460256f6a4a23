// The migrations both dialects took alike, written once over each dialect's column types; the
// earlier ones differ in history (SQLite grew by steps, PostgreSQL started later with one
// schema), and stay in sqlite/migrations.ts and postgres/migrations.ts. The schema-parity test
// checks that both end with the same tables, column kinds and indexes.

export interface ColumnTypes {
  /** Text that is compared, sorted or joined on: byte-wise in both. */
  key: string;
  /** Epoch milliseconds. */
  time: string;
  bool: string;
  false: string;
  /** A generated row id. */
  id: string;
}

export const SQLITE_TYPES: ColumnTypes = {
  key: "TEXT",
  time: "INTEGER",
  bool: "INTEGER",
  false: "0",
  id: "INTEGER PRIMARY KEY",
};
export const PG_TYPES: ColumnTypes = {
  key: 'TEXT COLLATE "C"',
  time: "BIGINT",
  bool: "BOOLEAN",
  false: "false",
  id: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
};

/** Authorization codes, stored hashed. */
export const codesTable = (t: ColumnTypes) => `CREATE TABLE authorization_codes (
    code_hash ${t.key} PRIMARY KEY,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    sid TEXT NOT NULL,
    user_dn TEXT NOT NULL,
    scopes TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT,
    auth_time ${t.time} NOT NULL,
    acr TEXT NOT NULL,
    expires_at ${t.time} NOT NULL
  );
  CREATE INDEX authorization_codes_expires ON authorization_codes (expires_at);`;

/** The audit of session events. */
export const eventsTable = (t: ColumnTypes) => `CREATE TABLE session_events (
    id ${t.id},
    at ${t.time} NOT NULL,
    type TEXT NOT NULL,
    sid TEXT,
    user_dn ${t.key},
    username TEXT,
    client_id TEXT,
    actor_type TEXT NOT NULL,
    actor TEXT,
    remote_ip TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX session_events_at ON session_events (at);
  CREATE INDEX session_events_user ON session_events (user_dn, at);
  CREATE INDEX session_events_type ON session_events (type, at);`;

/** The admin console: alarms about users, raised once while open. */
export const alarmsTable = (t: ColumnTypes) => `
  CREATE TABLE alarms (
    id ${t.id},
    kind TEXT NOT NULL,
    user_dn ${t.key} NOT NULL,
    username TEXT,
    raised_at ${t.time} NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    acknowledged_at ${t.time},
    acknowledged_by TEXT
  );
  CREATE UNIQUE INDEX alarms_open ON alarms (kind, user_dn) WHERE acknowledged_at IS NULL;
  CREATE INDEX alarms_user ON alarms (user_dn, raised_at);
  `;

/**
 * Replay detection (RFC 9700 4.14.2, RFC 6749 4.1.2): used refresh tokens and codes are kept
 * (marked) until they expire, and refresh tokens carry the grant family they descend from.
 */
export const replayDetection = (t: ColumnTypes) => `
  ALTER TABLE refresh_tokens ADD COLUMN family_id ${t.key};
  UPDATE refresh_tokens SET family_id = token_hash;
  ALTER TABLE refresh_tokens ADD COLUMN used_at ${t.time};
  CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
  ALTER TABLE authorization_codes ADD COLUMN used_at ${t.time};
  CREATE INDEX device_codes_user ON device_codes (user_dn) WHERE user_dn IS NOT NULL;
  `;

/**
 * OpenID Back-Channel Logout and Shared Signals: where clients take logout tokens, the streams
 * receivers configure, and the outbox of deliveries (written in the transaction that ends a session).
 */
export const backchannel = (t: ColumnTypes) => `
  ALTER TABLE clients ADD COLUMN backchannel_logout_uri TEXT;
  ALTER TABLE clients ADD COLUMN backchannel_logout_session_required ${t.bool} NOT NULL DEFAULT ${t.false};
  CREATE TABLE outbox (
    id ${t.key} PRIMARY KEY,
    kind TEXT NOT NULL,
    target ${t.key} NOT NULL,
    sid ${t.key},
    user_dn ${t.key},
    payload TEXT NOT NULL,
    created_at ${t.time} NOT NULL,
    next_attempt_at ${t.time} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    outcome TEXT
  );
  CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending' AND kind <> 'ssf-poll';
  CREATE INDEX outbox_sid ON outbox (sid);
  CREATE INDEX outbox_target ON outbox (target, state, created_at);
  CREATE INDEX outbox_created ON outbox (created_at);
  CREATE TABLE ssf_streams (
    id ${t.key} PRIMARY KEY,
    client_id ${t.key} NOT NULL,
    config TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    subjects TEXT NOT NULL DEFAULT '[]',
    created_at ${t.time} NOT NULL,
    updated_at ${t.time} NOT NULL
  );
  CREATE INDEX ssf_streams_client ON ssf_streams (client_id);
  `;
