import type { RowInsert } from "./rows.js";
import type { OutboxKind, OutboxRecord, OutboxState, StreamRecord, StreamStatus } from "./types.js";

// Row <-> record mapping of the outbox and the Shared Signals streams, for every SQL backend.

const opt = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function outboxFromRow(r: Record<string, unknown>): OutboxRecord {
  return {
    id: String(r.id),
    kind: String(r.kind) as OutboxKind,
    target: String(r.target),
    sid: opt(r.sid),
    userDn: opt(r.user_dn),
    payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    createdAt: Number(r.created_at),
    nextAttemptAt: Number(r.next_attempt_at),
    attempts: Number(r.attempts),
    state: String(r.state) as OutboxState,
    outcome: opt(r.outcome),
  };
}

export const outboxInsert = (o: OutboxRecord): RowInsert => {
  const row = {
    id: o.id,
    kind: o.kind,
    target: o.target,
    sid: o.sid,
    user_dn: o.userDn,
    payload: JSON.stringify(o.payload),
    created_at: o.createdAt,
    next_attempt_at: o.nextAttemptAt,
    attempts: o.attempts,
    state: o.state,
    outcome: o.outcome,
  };
  return { table: "outbox", columns: Object.keys(row), values: Object.values(row) };
};

/** What a stream's `config` column holds. */
type StreamConfig = Pick<
  StreamRecord,
  "audience" | "method" | "endpointUrl" | "authorizationHeader" | "eventsRequested" | "description"
>;

export function streamFromRow(r: Record<string, unknown>): StreamRecord {
  const config = JSON.parse(String(r.config)) as StreamConfig;
  return {
    id: String(r.id),
    clientId: String(r.client_id),
    ...config,
    status: String(r.status) as StreamStatus,
    reason: opt(r.reason),
    subjects: JSON.parse(String(r.subjects)) as string[],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** The columns of a stream, in STREAM_COLUMNS order. */
export function streamValues(s: StreamRecord): unknown[] {
  const config: StreamConfig = {
    audience: s.audience,
    method: s.method,
    endpointUrl: s.endpointUrl,
    authorizationHeader: s.authorizationHeader,
    eventsRequested: s.eventsRequested,
    description: s.description,
  };
  return [
    s.id,
    s.clientId,
    JSON.stringify(config),
    s.status,
    s.reason,
    JSON.stringify(s.subjects),
    s.createdAt,
    s.updatedAt,
  ];
}

export const STREAM_COLUMNS = "id, client_id, config, status, reason, subjects, created_at, updated_at";
