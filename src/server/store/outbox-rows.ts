import { json, num, optStr, readText, str, table } from "./table.js";
import type { OutboxRecord, StreamRecord, StreamStatus } from "./types.js";

// Row <-> record mapping of the outbox and the Shared Signals streams, for every SQL backend.

export const OUTBOX = table<OutboxRecord>("outbox", {
  id: str("id"),
  kind: str("kind"),
  target: str("target"),
  sid: optStr("sid"),
  userDn: optStr("user_dn"),
  payload: json("payload"),
  createdAt: num("created_at"),
  nextAttemptAt: num("next_attempt_at"),
  attempts: num("attempts"),
  state: str("state"),
  outcome: optStr("outcome"),
});

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
    reason: readText(r.reason),
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
